/**
 * Many tenants in one stack (issue 7): one component and one provider a tenant, named from its key, with the
 * stack's keys as defaults; the MSP pattern (one multi-tenant app, its service principal in every tenant); and
 * the one-tenant stack, whose URNs must never change.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../src/errors";
import { EXCHANGE_ROLES } from "../../src/facts";
import { parseStackConfig, resolveStackSignIn } from "../../src/config/parseStack";
import type { RegisteredResource } from "../../src/mocks/run";
import { evaluate, T } from "../support/evaluate";
import { engineConfig } from "../support/stackConfig";

const CONTOSO = { key: "contoso", tenantId: "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7", organization: "contoso.onmicrosoft.com" };
const FABRIKAM = { key: "fabrikam", tenantId: "7a2e3d4c-5b6f-4a70-9b82-a3c4d5e6f708", organization: "fabrikam.onmicrosoft.com" };
const NORTHWIND = { tenantId: "8b3f4e5d-6c70-4b81-8c93-b4d5e6f70819", organization: "northwind.onmicrosoft.com" };

/** A stack of `tenants` only: no top-level tenant. */
async function many(tenants: unknown[], defaults: Record<string, unknown> = {}) {
  return evaluate({ tenantId: undefined, organization: undefined, tenants, ...defaults });
}

const urnsOf = (resources: readonly RegisteredResource[]) => resources.map((r) => r.urn).sort();
const byKey = (resources: readonly RegisteredResource[], key: string) => resources.filter((r) => r.name === `exo-${key}` || r.name.startsWith(`exo-${key}-`));
const roleOf = (name: string) => EXCHANGE_ROLES.find((r) => r.name === name)!.templateId;

describe("a one-tenant stack keeps its URNs", () => {
  const fixture = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "single-tenant-urns.json"), "utf8")) as Record<string, string[]>;

  it.each<[string, Record<string, unknown>]>([
    ["default", {}],
    ["everything", { clientSecret: "true", clientSecretRotation: "1", federatedCredentials: [{ kind: "github", repository: "contoso/ops", branch: "main" }] }],
  ])("%s: the same URNs as before many tenants existed", async (name, config) => {
    expect(urnsOf((await evaluate(config)).resources)).toEqual(fixture[name]);
  });
});

describe("many tenants, one app each (appMode perTenant)", () => {
  it("gives each tenant its own provider (its tenant, its cloud), component and outputs, keyed by key or tenant id", async () => {
    const run = await many([CONTOSO, FABRIKAM, { ...NORTHWIND, environment: "usgovernment", organization: "northwind.onmicrosoft.us" }]);
    const providers = run.ofType(T.provider);
    expect(providers.map((p) => [p.name, p.inputs.tenantId, p.inputs.environment])).toEqual([
      ["exo-contoso-tenant", CONTOSO.tenantId, "public"],
      ["exo-fabrikam-tenant", FABRIKAM.tenantId, "public"],
      [`exo-${NORTHWIND.tenantId}-tenant`, NORTHWIND.tenantId, "usgovernment"],
    ]);
    for (const key of ["contoso", "fabrikam", NORTHWIND.tenantId]) {
      const provider = providers.find((p) => p.name === `exo-${key}-tenant`)!;
      const directory = byKey(run.resources, key).filter((r) => r.type.startsWith("azuread:index/"));
      expect(directory.map((r) => r.type).sort()).toEqual([T.application, T.certificate, T.appRoleAssignment, T.directoryRoleAssignment, T.servicePrincipal].sort());
      // Every directory object of the tenant goes through that tenant's provider, no other.
      for (const r of directory) expect(r.provider).toBe(provider.urn);
    }
    const outputs = run.outputs.tenants as Record<string, { tenantId: string; organization: string; environment: string }>;
    expect(Object.keys(outputs)).toEqual(["contoso", "fabrikam", NORTHWIND.tenantId]);
    expect(outputs.fabrikam).toMatchObject({ tenantId: FABRIKAM.tenantId, organization: FABRIKAM.organization });
    expect(outputs[NORTHWIND.tenantId]).toMatchObject({ environment: "usgovernment" });
  });

  it("takes the stack's keys as every tenant's defaults, and an entry's own key over them", async () => {
    const run = await many([CONTOSO, { ...FABRIKAM, role: "Exchange Recipient Administrator", clientSecret: true }], { role: "Global Reader" });
    const roles = run.ofType(T.directoryRoleAssignment).map((r) => [r.name, r.inputs.roleId]);
    expect(roles).toEqual([
      ["exo-contoso-exchange-role", roleOf("Global Reader")],
      ["exo-fabrikam-exchange-role", roleOf("Exchange Recipient Administrator")],
    ]);
    expect(run.ofType(T.password).map((p) => p.name)).toEqual(["exo-fabrikam-secret-a"]);
  });

  it("adding, removing or reordering tenants changes only that tenant's resources", async () => {
    const base = urnsOf((await many([CONTOSO, FABRIKAM, NORTHWIND])).resources);
    const reordered = urnsOf((await many([NORTHWIND, CONTOSO, FABRIKAM])).resources);
    expect(reordered).toEqual(base);
    const removed = urnsOf((await many([CONTOSO, NORTHWIND])).resources);
    expect(base.filter((u) => !removed.includes(u)).every((u) => u.includes("::exo-fabrikam"))).toBe(true);
    expect(removed.every((u) => base.includes(u))).toBe(true);
    const added = urnsOf((await many([CONTOSO, FABRIKAM, NORTHWIND, { key: "tailspin", tenantId: "9c405f6e-7d81-4c92-9da4-c5e6f708192a", organization: "tailspin.onmicrosoft.com" }])).resources);
    expect(added.filter((u) => !base.includes(u)).every((u) => u.includes("::exo-tailspin"))).toBe(true);
    expect(base.every((u) => added.includes(u))).toBe(true);
  });

  it("passes each tenant's own azuread block to its provider, over the stack's azuread:* settings", async () => {
    const run = await evaluate(
      { tenantId: undefined, organization: undefined, tenants: [CONTOSO, { ...FABRIKAM, azuread: { clientId: "11111111-2222-4333-8444-555555555555", useOidc: true } }] },
      { "azuread:useCli": "true" },
    );
    const [contoso, fabrikam] = run.ofType(T.provider);
    expect(contoso!.inputs).toMatchObject({ useCli: "true" });
    expect(contoso!.inputs).not.toHaveProperty("useOidc");
    expect(fabrikam!.inputs).toMatchObject({ useCli: "true", useOidc: "true", clientId: "[secret]" });
  });

  it("plans every tenant's resources, one-tenant names untouched", async () => {
    const run = await many([CONTOSO, FABRIKAM]);
    expect(run.resources.some((r) => r.name === "exo")).toBe(false);
    expect(run.resources.filter((r) => r.type === T.application).map((r) => r.name)).toEqual(["exo-contoso-registration-app", "exo-fabrikam-registration-app"]);
  });
});

describe("one multi-tenant app, many tenants (appMode multiTenant)", () => {
  const HOME = { ...CONTOSO, home: true };

  it("registers the one app in the home tenant, and its service principal, consent and role in every tenant", async () => {
    const run = await many([HOME, FABRIKAM, NORTHWIND], { appMode: "multiTenant" });
    const [app] = run.ofType(T.application);
    expect(run.ofType(T.application)).toHaveLength(1);
    expect(app!.inputs.signInAudience).toBe("AzureADMultipleOrgs");
    const tenants = run.outputs.tenants as Record<string, { clientId: string; servicePrincipalObjectId: string; tenantId: string }>;
    const clientId = tenants.contoso!.clientId;
    const providers = Object.fromEntries(run.ofType(T.provider).map((p) => [p.inputs.tenantId, p.urn]));
    for (const [key, tenant] of [["contoso", CONTOSO], ["fabrikam", FABRIKAM], [NORTHWIND.tenantId, NORTHWIND]] as const) {
      const sp = byKey(run.resources, key).find((r) => r.type === T.servicePrincipal)!;
      expect(sp.inputs.clientId).toBe(clientId);
      expect(sp.provider).toBe(providers[tenant.tenantId]);
      const consent = byKey(run.resources, key).find((r) => r.type === T.appRoleAssignment)!;
      const role = byKey(run.resources, key).find((r) => r.type === T.directoryRoleAssignment)!;
      expect(consent.inputs.principalObjectId).toBe(tenants[key]!.servicePrincipalObjectId);
      expect(role.inputs.principalObjectId).toBe(tenants[key]!.servicePrincipalObjectId);
      expect([consent.provider, role.provider]).toEqual([providers[tenant.tenantId], providers[tenant.tenantId]]);
      expect(tenants[key]!.clientId).toBe(clientId);
    }
    // Credentials live with the app, in the home tenant only.
    expect(run.ofType(T.certificate).map((c) => c.provider)).toEqual([providers[CONTOSO.tenantId]]);
  });

  it("checks every customer tenant inside up with the home app's credential", async () => {
    const run = await many([HOME, FABRIKAM], { appMode: "multiTenant" });
    const checks = run.ofType(T.check).sort((a, b) => a.name.localeCompare(b.name));
    expect(checks.map((c) => [c.name, c.inputs.tenantId])).toEqual([
      ["exo-contoso-verify", CONTOSO.tenantId],
      ["exo-fabrikam-verify", FABRIKAM.tenantId],
    ]);
    expect(checks[1]!.inputs).toMatchObject({ certificatePem: "[secret]", clientId: checks[0]!.inputs.clientId, organization: FABRIKAM.organization });
  });

  it("creates nothing in a tenant with consent: manual, and says what its admin has to do", async () => {
    const run = await many([HOME, { ...FABRIKAM, consent: "manual", role: "Global Reader" }], { appMode: "multiTenant" });
    expect(byKey(run.resources, "fabrikam")).toEqual([]);
    const tenants = run.outputs.tenants as Record<string, Record<string, unknown>>;
    const clientId = tenants.contoso!.clientId as string;
    expect(tenants.fabrikam).toMatchObject({
      consent: "manual",
      tenantId: FABRIKAM.tenantId,
      clientId,
      adminConsentUrl: `https://login.microsoftonline.com/${FABRIKAM.tenantId}/adminconsent?client_id=${clientId}&scope=https://outlook.office365.com/.default`,
    });
    const commands = tenants.fabrikam!.roleAssignment as { azRest: string; powershell: string };
    expect(commands.azRest).toContain(`az ad sp show --id ${clientId}`);
    expect(commands.azRest).toContain(roleOf("Global Reader"));
    expect(commands.powershell).toContain(`-RoleDefinitionId ${roleOf("Global Reader")}`);
  });
});

describe("bad input for many tenants: one clear message, nothing registered", () => {
  const cases: ReadonlyArray<[string, Record<string, unknown>, string, RegExp]> = [
    ["a duplicate tenant id", { tenants: [CONTOSO, { ...FABRIKAM, tenantId: CONTOSO.tenantId }] }, "exchange-app-only:tenants[fabrikam]", /repeats the tenant id of tenants\[contoso\]/],
    ["a duplicate key", { tenants: [CONTOSO, { ...FABRIKAM, key: "contoso" }] }, "exchange-app-only:tenants[contoso]", /repeats the key of tenants\[contoso\]/],
    ["two homes", { appMode: "multiTenant", tenants: [{ ...CONTOSO, home: true }, { ...FABRIKAM, home: true }] }, "exchange-app-only:tenants", /names more than one home tenant/],
    ["no home", { appMode: "multiTenant", tenants: [CONTOSO, FABRIKAM] }, "exchange-app-only:tenants", /names no home tenant/],
    ["an entry with no credential and no default", { certificate: "none", tenants: [{ ...CONTOSO, clientSecret: true }, FABRIKAM] }, "exchange-app-only:certificate", /leaves the app with no credential/],
    ["an unknown per-tenant key", { tenants: [{ ...CONTOSO, rol: "Global Reader" }] }, "exchange-app-only:tenants[contoso].rol", /Did you mean "role"\?/],
    ["a bad per-tenant value", { tenants: [{ ...CONTOSO, role: "User Administrator" }] }, "exchange-app-only:tenants[contoso].role", /isn't supported/],
    ["home in perTenant mode", { tenants: [{ ...CONTOSO, home: true }] }, "exchange-app-only:tenants[contoso].home", /appMode: multiTenant only/],
    ["manual consent on the home tenant", { appMode: "multiTenant", tenants: [{ ...CONTOSO, home: true, consent: "manual" }] }, "exchange-app-only:tenants[contoso].consent", /cannot apply to the home tenant/],
    ["an app key on a customer tenant", { appMode: "multiTenant", tenants: [{ ...CONTOSO, home: true }, { ...FABRIKAM, clientSecret: true }] }, "exchange-app-only:tenants[fabrikam].clientSecret", /belongs to the one app/],
    ["a customer in another cloud", { appMode: "multiTenant", tenants: [{ ...CONTOSO, home: true }, { ...FABRIKAM, environment: "china", organization: "fabrikam.partner.onmschina.cn" }] }, "exchange-app-only:tenants[fabrikam].environment", /a multi-tenant app reaches tenants of its own cloud only/],
    ["a stack-level key in an entry", { tenants: [{ ...CONTOSO, appMode: "multiTenant" }] }, "exchange-app-only:tenants[contoso].appMode", /stack-level key/],
    ["a key that cannot name resources", { tenants: [{ ...CONTOSO, key: "Contoso Ltd" }] }, "exchange-app-only:tenants[6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7].key", /lower-case letters, digits and hyphens/], // an invalid key may be anything: the entry is named by its tenant id
    ["an empty list", { tenants: [] }, "exchange-app-only:tenants", /at least one entry/],
    ["multiTenant without tenants", { appMode: "multiTenant" }, "exchange-app-only:appMode", /needs tenants/],
    ["an unknown app mode", { appMode: "multitenant", tenants: [CONTOSO] }, "exchange-app-only:appMode", /Did you mean "multiTenant"\?/],
  ];

  it.each(cases)("%s", async (_label, overrides, key, wording) => {
    const base = "tenants" in overrides ? { tenantId: undefined, organization: undefined } : {};
    const error = await evaluate({ ...base, ...overrides }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const issue = (error as ConfigError).issues.find((i) => i.key === key);
    expect({ issues: (error as ConfigError).issues, found: issue?.message }).toMatchObject({ found: expect.stringMatching(wording) });
    const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, unknown> };
    expect(monitor.getRegisteredResources().size).toBe(0);
  });

  it("reports a bad stack-level default once, not once a tenant", async () => {
    const error = (await many([CONTOSO, FABRIKAM, NORTHWIND], { role: "Exchange Admin" }).catch((e: unknown) => e)) as ConfigError;
    expect(error.issues.filter((i) => i.key === "exchange-app-only:role")).toHaveLength(1);
  });
});

describe("signing in to each tenant from environment variables", () => {
  const stack = () =>
    parseStackConfig(
      engineConfig({
        tenants: [
          { ...CONTOSO, azuread: { clientIdEnv: "CONTOSO_CLIENT_ID", clientSecretEnv: "CONTOSO_SECRET" } },
          { ...FABRIKAM, azuread: { clientSecretEnv: "FABRIKAM_SECRET" } },
        ],
      }),
    );

  it("reads each tenant's settings from its variables, secrets among the secrets", () => {
    const resolved = resolveStackSignIn(stack(), { CONTOSO_CLIENT_ID: "c1", CONTOSO_SECRET: "s1", FABRIKAM_SECRET: "s2" });
    expect(resolved.tenants.map((t) => [t.signIn.settings, t.signIn.secrets])).toEqual([
      [{ clientId: "c1" }, { clientSecret: "s1" }],
      [{}, { clientSecret: "s2" }],
    ]);
  });

  it("names the tenant and the variable when one is missing, every missing one at once, never a value", () => {
    const error = (() => {
      try {
        resolveStackSignIn(stack(), { CONTOSO_CLIENT_ID: "c1", CONTOSO_SECRET: "s3cr3t" });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error("expected a ConfigError");
    })();
    expect(error.issues.map((i) => i.key)).toEqual(["exchange-app-only:tenants[fabrikam].azuread.clientSecretEnv"]);
    expect(error.issues[0]!.message).toMatch(/FABRIKAM_SECRET, which is not set: tenant fabrikam cannot sign in/);
    expect(error.message).not.toContain("s3cr3t");
  });

  it("needs no variable offline (plan, tests)", () => {
    expect(() => resolveStackSignIn(stack(), {}, true)).not.toThrow();
  });
});
