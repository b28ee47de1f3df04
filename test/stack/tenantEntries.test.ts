/**
 * Tenant entries (issue 14): an initial domain belongs to one tenant, so two tenant ids with the same organization
 * are refused; an entry that lacks a key each entry needs is named by its key or its place in the list, and the fix
 * says to add it to that entry, not to set it for the whole stack.
 */
import { ConfigError } from "../../src/errors";
import { evaluate } from "../support/evaluate";
import { refusal, refusedAt } from "../support/refusal";

const MANY = { tenantId: undefined, organization: undefined };
const CONTOSO = { key: "contoso", tenantId: "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7", organization: "contoso.onmicrosoft.com" };
const FABRIKAM = { key: "fabrikam", tenantId: "7a2e3d4c-5b6f-4a70-9b82-a3c4d5e6f708", organization: "fabrikam.onmicrosoft.com" };
const NORTHWIND = { tenantId: "8b3f4e5d-6c70-4b81-8c93-b4d5e6f70819", organization: "northwind.onmicrosoft.com" };

describe("one initial domain, one tenant", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["the same domain", { ...FABRIKAM, organization: CONTOSO.organization }, "tenants[fabrikam].organization"],
    ["the same domain in other case", { ...FABRIKAM, organization: "CONTOSO.onmicrosoft.com" }, "tenants[fabrikam].organization"],
    ["an entry without a key", { ...NORTHWIND, organization: CONTOSO.organization }, `tenants[${NORTHWIND.tenantId}].organization`],
  ])("%s under two tenant ids is refused", async (_label, second, key) => {
    const issue = await refusedAt({ ...MANY, tenants: [CONTOSO, second] }, key);
    expect(issue.value).toBe('"contoso.onmicrosoft.com"');
    expect(issue.message).toMatch(/is tenants\[contoso\]'s organization too: an initial domain belongs to one tenant.*Entra admin center → Overview/);
  });

  it("in a multi-tenant stack too", async () => {
    const issue = await refusedAt({ ...MANY, appMode: "multiTenant", tenants: [{ ...CONTOSO, home: true }, { ...FABRIKAM, organization: CONTOSO.organization, consent: "manual" }] }, "tenants[fabrikam].organization");
    expect(issue.message).toMatch(/belongs to one tenant/);
  });

  it("different domains pass", async () => {
    await expect(evaluate({ ...MANY, tenants: [CONTOSO, FABRIKAM, NORTHWIND] })).resolves.toBeDefined();
  });
});

describe("an entry that lacks a key is named, and told to add it there", () => {
  it.each<[string, Record<string, unknown>[], string, RegExp]>([
    ["organization, by the entry's key", [CONTOSO, { key: "fabrikam", tenantId: FABRIKAM.tenantId }], "tenants[fabrikam].organization", /is required: add organization: <tenant>\.onmicrosoft\.com \(the tenant's initial domain\) to tenants\[fabrikam\], the entry this key is missing from/],
    ["tenantId, by the entry's place", [CONTOSO, FABRIKAM, { organization: "northwind.onmicrosoft.com" }], "tenants[2].tenantId", /is required: add tenantId: <the tenant's id, a GUID: .*> to tenants\[2\]/],
    ["both, by the entry's place", [{ role: "Global Reader" }], "tenants[0].organization", /add organization: .* to tenants\[0\]/],
    ["organization of a GCC High entry, with its cloud's suffix", [{ key: "gov", tenantId: CONTOSO.tenantId, environment: "usgovernment" }], "tenants[gov].organization", /add organization: <tenant>\.onmicrosoft\.us/],
  ])("%s", async (_label, tenants, key, why) => {
    const error = await refusal({ ...MANY, tenants });
    const issue = error.issues.find((i) => i.key === `exchange-app-only:${key}`);
    expect({ key, message: issue?.message }).toEqual({ key, message: expect.stringMatching(why) });
    expect(issue!.value).toBe("(not set)");
    // Never the stack-level key, and never `pulumi config set`, which would give every tenant the same value.
    expect(error.issues.filter((i) => i.key === "exchange-app-only:tenantId" || i.key === "exchange-app-only:organization")).toEqual([]);
    expect(issue!.message).not.toMatch(/pulumi config set/);
  });

  it("a one-tenant stack still says pulumi config set", async () => {
    const error = (await evaluate({ organization: undefined }).catch((e: unknown) => e)) as ConfigError;
    expect(error.issues.find((i) => i.key === "exchange-app-only:organization")!.message).toMatch(/is required: pulumi config set organization <tenant>\.onmicrosoft\.com/);
  });
});
