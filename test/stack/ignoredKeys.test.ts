/**
 * A setting the chosen mode ignores is refused, not dropped (issue 14): a managed identity of any kind, a customer
 * tenant of a multi-tenant app, a consent: manual tenant, an adopted app, a perTenant entry. One table (modes.ts)
 * says, for every mode, which keys it uses and which it ignores with why; these tests hold it to that.
 */
import { CONFIG_KEY_NAMES, ENTRY_ONLY_KEYS } from "../../src/config/keys";
import { MODES, MODE_KEYS, MODE_RULES } from "../../src/config/modes";
import { section } from "../support/docs";
import { evaluate, T } from "../support/evaluate";
import { refusal, refusedAt } from "../support/refusal";
import { makeCertificate } from "../support/stackConfig";

const WHERE = { resourceGroup: "rg-exchange", location: "westeurope" };
const IDENTITIES = {
  userAssigned: { kind: "userAssigned", name: "exo-runner", ...WHERE },
  automationAccount: { kind: "automationAccount", name: "exo-automation", moduleVersion: "3.7.1", ...WHERE },
  existing: { kind: "existing", principalId: "5a6b7c8d-1111-4222-8333-444455556666" },
};
const CONTOSO = { key: "contoso", tenantId: "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7", organization: "contoso.onmicrosoft.com" };
const FABRIKAM = { key: "fabrikam", tenantId: "7a2e3d4c-5b6f-4a70-9b82-a3c4d5e6f708", organization: "fabrikam.onmicrosoft.com" };
const MANY = { tenantId: undefined, organization: undefined };

describe("the table classifies every key for every mode", () => {
  it("covers the project's keys and a tenant entry's own", () => {
    expect([...MODE_KEYS].sort()).toEqual([...CONFIG_KEY_NAMES, ...ENTRY_ONLY_KEYS].sort());
  });

  // Fails when a key is added to CONFIG_KEYS (or ENTRY_ONLY_KEYS) and no one says what each mode does with it.
  it.each(MODES)("%s: each key is used or ignored, never both, never neither", (mode) => {
    const rule = MODE_RULES[mode];
    const unclassified = MODE_KEYS.filter((k) => !rule.uses.includes(k) && !(k in rule.ignores));
    const both = MODE_KEYS.filter((k) => rule.uses.includes(k) && k in rule.ignores);
    expect({ mode, unclassified, both }).toEqual({ mode, unclassified: [], both: [] });
    expect(Object.keys(rule.ignores).filter((k) => !(MODE_KEYS as string[]).includes(k))).toEqual([]);
  });

  it("the table in Settings a mode ignores says what the code does, mode by mode", () => {
    const rows = new Map(
      [...section("Settings a mode ignores", { own: true }).matchAll(/^\| ([^|]+) \| ([^|]+) \|$/gm)].map((m) => [m[1]!.trim(), [...m[2]!.matchAll(/`([^`]+)`/g)].map((k) => k[1]).sort()]),
    );
    for (const mode of MODES) expect({ mode, keys: rows.get(MODE_RULES[mode].label) }).toEqual({ mode, keys: Object.keys(MODE_RULES[mode].ignores).sort() });
  });

  it("gives a reason for every key a mode ignores", () => {
    for (const mode of MODES) for (const ignored of Object.values(MODE_RULES[mode].ignores)) expect(ignored!.why.length).toBeGreaterThan(20);
  });
});

describe("a managed identity refuses the app's keys, for each kind", () => {
  const pem = makeCertificate();
  it.each(
    (Object.keys(IDENTITIES) as (keyof typeof IDENTITIES)[]).flatMap((kind) => [
      [kind, "clientSecret", true, /does not apply to a managed identity: it has no client secret/],
      [kind, "clientSecretRotation", "2", /has no client secret/],
      [kind, "clientSecretLifetimeDays", "90", /has no client secret/],
      [kind, "certificateValidityDays", "30", /has no certificate/],
      [kind, "certificateRsaBits", "4096", /has no certificate/],
      [kind, "federatedCredentials", [{ kind: "github", repository: "contoso/ops", branch: "main" }], /a managed identity has none: it signs in where it lives/],
      [kind, "owners", ["11111111-2222-4333-8444-555555555555"], /owns an app registration, and a managed identity has none/],
      [kind, "protect", true, /protects the app registration/],
      [kind, "verifyTimeout", "5m", /does not run for a managed identity/],
      [kind, "adopt", { clientId: "3f8a1b2c-4d5e-4f60-8a71-92b3c4d5e6f7", applicationObjectId: "a1b2c3d4-1111-4222-8333-444455556666", servicePrincipalObjectId: "b1b2c3d4-1111-4222-8333-444455556666" }, /keep managedIdentity or adopt, not both/],
    ]) as [string, string, unknown, RegExp][],
  )("%s ignores %s: refused with the key, the value and the fix", async (kind, key, value, why) => {
    const issue = await refusedAt({ managedIdentity: IDENTITIES[kind as keyof typeof IDENTITIES], [key]: value }, key);
    expect(issue.message).toMatch(why);
    expect(issue.value).toContain(typeof value === "string" ? value : JSON.stringify(value).slice(0, 20));
  });

  it.each(Object.keys(IDENTITIES))("%s: a PEM certificate is refused, described by its shape, never shown", async (kind) => {
    const issue = await refusedAt({ managedIdentity: IDENTITIES[kind as keyof typeof IDENTITIES], certificate: pem }, "certificate");
    expect(issue.message).toMatch(/does not apply to a managed identity: it has no certificate/);
    expect(issue.value).toBe(`(not shown: PEM text, ${pem.length} characters)`);
    expect(issue.message).not.toContain("BEGIN");
  });

  it("a client secret pasted as the value is described, never shown", async () => {
    const secret = "Zx8Q~s3cr3t.Value_ThatMustNotLeak-0123456789";
    const error = await refusal({ managedIdentity: IDENTITIES.userAssigned, clientSecret: secret });
    const mine = error.issues.find((i) => /managed identity/.test(i.message) && i.key === "exchange-app-only:clientSecret")!;
    expect(mine.value).toBe(`(not shown: ${secret.length} characters, looks like a secret)`);
    expect(JSON.stringify(mine)).not.toContain(secret);
  });

  it("a user-assigned identity or an Automation account is named by managedIdentity.name, not displayName", async () => {
    expect((await refusedAt({ managedIdentity: IDENTITIES.userAssigned, displayName: "Exchange runner" }, "displayName")).message).toMatch(/named by managedIdentity\.name/);
    expect((await refusedAt({ managedIdentity: IDENTITIES.automationAccount, displayName: "Exchange runner" }, "displayName")).message).toMatch(/Automation account is named by managedIdentity\.name/);
  });

  it("an existing identity uses displayName (its name in Exchange's RBAC), and values that ask for nothing pass", async () => {
    const run = await evaluate({
      role: "none",
      exchangeRoles: [{ role: "View-Only Configuration" }],
      managedIdentity: IDENTITIES.existing,
      displayName: "Function app identity",
      clientSecret: "false",
      certificate: "none",
      owners: [],
      protect: "false",
      verifyOnUp: "false",
      federatedCredentials: [],
    });
    expect(run.one(T.exchangeServicePrincipal).inputs).toMatchObject({ displayName: "Function app identity" });
  });

  it("Pulumi.yaml's defaults, which the engine hands over as if set, are not refused", async () => {
    // The values Pulumi.yaml declares, as `pulumi up` passes them to a managed identity stack.
    const run = await evaluate({ managedIdentity: IDENTITIES.userAssigned, certificate: "generate", verifyOnUp: "true", verifyTimeout: "15m", clientSecretLifetimeDays: "180", certificateRotation: "0", displayName: "exchange-app-only" });
    expect(run.ofType(T.userAssignedIdentity)).toHaveLength(1);
  });

  it("reports every ignored key at once, and registers nothing", async () => {
    const error = await refusal({ managedIdentity: IDENTITIES.existing, clientSecret: true, clientSecretRotation: "1", owners: ["11111111-2222-4333-8444-555555555555"] });
    expect(error.issues.map((i) => i.key)).toEqual(expect.arrayContaining(["exchange-app-only:clientSecret", "exchange-app-only:clientSecretRotation", "exchange-app-only:owners"]));
  });
});

describe("inside managedIdentity, a field another kind takes is refused as ignored", () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["a module version on a user-assigned identity", { ...IDENTITIES.userAssigned, moduleVersion: "3.7.1" }, "managedIdentity.moduleVersion", /applies to managedIdentity kind automationAccount only, and kind userAssigned ignores it/],
    ["a runbook on a user-assigned identity", { ...IDENTITIES.userAssigned, runbook: true }, "managedIdentity.runbook", /kind automationAccount only/],
    ["a schedule on a user-assigned identity", { ...IDENTITIES.userAssigned, schedule: { frequency: "Day" } }, "managedIdentity.schedule", /kind automationAccount only/],
    ["a location on an existing identity", { ...IDENTITIES.existing, location: "westeurope" }, "managedIdentity.location", /applies to an identity the stack creates/],
    ["a client id on an Automation account (system-assigned: it has none to give)", { ...IDENTITIES.automationAccount, clientId: "9e8d7c6b-1111-4222-8333-444455556666" }, "managedIdentity.clientId", /comes from the identity the stack creates/],
  ])("%s", async (_label, managedIdentity, key, why) => {
    expect((await refusedAt({ managedIdentity }, key)).message).toMatch(why);
  });
});

describe("many tenants: the entry's mode decides, named by the entry", () => {
  it("a managed identity entry refuses its own clientSecret, at the entry", async () => {
    const issue = await refusedAt({ ...MANY, tenants: [CONTOSO, { ...FABRIKAM, managedIdentity: IDENTITIES.existing, clientSecret: true }] }, "tenants[fabrikam].clientSecret");
    expect(issue.message).toMatch(/managed identity/);
  });

  it("a stack-level key another tenant uses is inherited quietly by a managed identity entry", async () => {
    const run = await evaluate({ ...MANY, clientSecret: true, tenants: [CONTOSO, { ...FABRIKAM, managedIdentity: IDENTITIES.existing }] });
    expect(run.ofType(T.password).length).toBeGreaterThan(0);
  });

  it("a stack-level key every tenant ignores is refused at the stack level", async () => {
    const issue = await refusedAt({ ...MANY, clientSecret: true, tenants: [{ ...CONTOSO, managedIdentity: IDENTITIES.existing }, { ...FABRIKAM, managedIdentity: { ...IDENTITIES.existing, principalId: "6b7c8d9e-1111-4222-8333-444455556666" } }] }, "clientSecret");
    expect(issue.message).toMatch(/is used by no tenant of this stack\. For tenants\[contoso\], it does not apply to a managed identity/);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["federated credentials on a customer", { federatedCredentials: [{ kind: "github", repository: "contoso/ops", branch: "main" }] }, "tenants[fabrikam].federatedCredentials", /belongs to the one app in appMode: multiTenant/],
    ["adopt on a customer", { adopt: { clientId: "3f8a1b2c-4d5e-4f60-8a71-92b3c4d5e6f7", applicationObjectId: "a1b2c3d4-1111-4222-8333-444455556666", servicePrincipalObjectId: "b1b2c3d4-1111-4222-8333-444455556666" } }, "tenants[fabrikam].adopt", /belongs to the one app/],
    ["a managed identity on a customer", { managedIdentity: IDENTITIES.existing }, "tenants[fabrikam].managedIdentity", /belongs to the one app/],
    ["a sign-in block on a consent: manual tenant", { consent: "manual", azuread: { clientId: "0a1b2c3d-1111-4222-8333-444455556666", useOidc: true } }, "tenants[fabrikam].azuread", /signs in to a tenant the stack never touches/],
    ["a check timeout on a consent: manual tenant", { consent: "manual", verifyTimeout: "5m" }, "tenants[fabrikam].verifyTimeout", /creates nothing in a consent: manual tenant/],
    ["the in-up check on a consent: manual tenant", { consent: "manual", verifyOnUp: true }, "tenants[fabrikam].verifyOnUp", /nothing is checked inside pulumi up/],
  ])("multiTenant: %s is refused", async (_label, extra, key, why) => {
    const issue = await refusedAt({ ...MANY, appMode: "multiTenant", tenants: [{ ...CONTOSO, home: true }, { ...FABRIKAM, ...extra }] }, key);
    expect(issue.message).toMatch(why);
  });

  it("a sign-in block's values are never shown", async () => {
    const issue = await refusedAt({ ...MANY, appMode: "multiTenant", tenants: [{ ...CONTOSO, home: true }, { ...FABRIKAM, consent: "manual", azuread: { clientSecret: "Zx8Q~leak-me-not" } }] }, "tenants[fabrikam].azuread");
    expect(issue.value).toBe("(not shown: a map of 1 field)");
    expect(JSON.stringify(issue)).not.toContain("Zx8Q~leak-me-not");
  });

  it("consent: manual refuses exchangeRoles even inherited from the stack level", async () => {
    const issue = await refusedAt({ ...MANY, appMode: "multiTenant", role: "none", exchangeRoles: [{ role: "View-Only Configuration" }], tenants: [{ ...CONTOSO, home: true }, { ...FABRIKAM, consent: "manual", role: "Global Reader" }] }, "exchangeRoles");
    expect(issue.message).toMatch(/cannot apply to a consent: manual tenant/);
  });

  it("perTenant: consent is refused on an entry", async () => {
    expect((await refusedAt({ ...MANY, tenants: [{ ...CONTOSO, consent: "manual" }] }, "tenants[contoso].consent")).message).toMatch(/appMode: multiTenant only/);
  });
});

describe("adopt with role: none", () => {
  it("refuses a role assignment to import that the stack would leave unmanaged", async () => {
    const adopt = { clientId: "3f8a1b2c-4d5e-4f60-8a71-92b3c4d5e6f7", applicationObjectId: "a1b2c3d4-1111-4222-8333-444455556666", servicePrincipalObjectId: "b1b2c3d4-1111-4222-8333-444455556666", roleAssignmentId: "ePROZI_iKE653D_d6aoLHyr-lKgHI8ZGiIdz8CLVcng-1" };
    const issue = await refusedAt({ adopt, role: "none", exchangeRoles: [{ role: "View-Only Configuration" }] }, "adopt.roleAssignmentId");
    expect(issue.value).toBe('"ePROZI_iKE653D_d6aoLHyr-lKgHI8ZGiIdz8CLVcng-1"');
    expect(issue.message).toMatch(/role: none declares none: it would stay in Entra unmanaged.*Set role to the role it assigns/);
  });
});
