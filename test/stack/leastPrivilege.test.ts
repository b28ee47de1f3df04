/**
 * Least privilege (issue 10): `role: none` with Exchange's own RBAC (`exchangeRoles`), the Admin API's permission,
 * and role ids resolved by value from the looked-up principals. Bad input is refused with the key, the value and
 * the fix before anything registers; a principal that publishes another id fails the deployment, granting nothing.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parse } from "yaml";
import { EXCHANGE_ONLINE_APP_ID, MANAGE_AS_APP_ROLE, MANAGE_AS_APP_V2_ROLE_VALUE, resolveAppRoleId } from "../../src/facts";
import type { MockBackend } from "../../src/mocks/backend";
import { firstPartyPrincipal } from "../../src/mocks/offline";
import { evaluateProgram } from "../../src/cli/evaluate";
import { FUNCTION } from "../../src/facts/typeTokens";
import { section } from "../support/docs";
import { evaluate, T } from "../support/evaluate";
import { issueAt, refusal as refused } from "../support/refusal";
import { engineConfig, MINIMAL, TENANT_ID } from "../support/stackConfig";

const REPORTING = [{ role: "View-Only Configuration" }, { role: "View-Only Recipients" }];
const AU = "7c1e2d3f-1111-4222-8333-444455556666";

/**
 * Runs the built program (dist/, made by `npm test`) in a child process with Exchange Online's principal publishing
 * `roles`, the way the engine runs it: a value that fails inside `apply` fails the program as its unhandled
 * rejection. Returns the exit code, what it printed and how many consents (app role assignments) registered.
 */
function runPublishing(roles: { id: string; value: string }[], config: Record<string, string>): { code: number | null; stderr: string; consents: number } {
  const dist = join(__dirname, "..", "..", "dist");
  const script = `
    const { evaluateProgram } = require(${JSON.stringify(join(dist, "src", "cli", "evaluate"))});
    const { firstPartyPrincipal } = require(${JSON.stringify(join(dist, "src", "mocks", "offline"))});
    let consents = 0;
    const done = (code, message) => { process.stdout.write(JSON.stringify({ consents })); if (message) process.stderr.write(message); process.exit(code); };
    process.on("unhandledRejection", (e) => done(1, e instanceof Error ? e.message : String(e)));
    const backend = {
      newResource: (args) => { if (args.type === ${JSON.stringify(T.appRoleAssignment)}) consents++; return undefined; },
      call: (args) => args.token === ${JSON.stringify(FUNCTION.getServicePrincipal)} && args.inputs.clientId === ${JSON.stringify(EXCHANGE_ONLINE_APP_ID)}
        ? firstPartyPrincipal(${JSON.stringify(EXCHANGE_ONLINE_APP_ID)}, "Office 365 Exchange Online", "exo-under-test", ${JSON.stringify(roles)})
        : undefined,
    };
    evaluateProgram({ config: ${JSON.stringify(config)}, backend }).then(() => setTimeout(() => done(0), 300), (e) => done(1, e.message));
  `;
  const child = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 60_000 });
  return { code: child.status, stderr: child.stderr, consents: (JSON.parse(child.stdout || "{}") as { consents?: number }).consents ?? -1 };
}

/** The offline backend, except that Exchange Online's principal publishes `roles`. */
function exchangePublishing(roles: { id: string; value: string }[]): MockBackend {
  return {
    newResource: () => undefined,
    call: (args) =>
      args.token === FUNCTION.getServicePrincipal && args.inputs.clientId === EXCHANGE_ONLINE_APP_ID
        ? firstPartyPrincipal(EXCHANGE_ONLINE_APP_ID, "Office 365 Exchange Online", "exo-under-test", roles)
        : undefined,
  };
}

describe("role: none with exchangeRoles", () => {
  it("declares no directory role assignment; the consent still goes to the app's service principal; outputs say none", async () => {
    const run = await evaluate({ role: "none", exchangeRoles: REPORTING });
    expect(run.ofType(T.directoryRoleAssignment)).toEqual([]);
    const sp = run.one(T.servicePrincipal);
    expect(run.one(T.appRoleAssignment).inputs).toMatchObject({ appRoleId: MANAGE_AS_APP_ROLE.id });
    const outputs = run.outputs as Record<string, unknown>;
    expect(outputs.roleName).toBe("none");
    expect(outputs).not.toHaveProperty("roleTemplateId");
    expect(outputs.exchangeRoles).toEqual([{ role: "View-Only Configuration" }, { role: "View-Only Recipients" }]);
    expect(outputs.servicePrincipalObjectId).toBe((run.one(T.appRoleAssignment).inputs as { principalObjectId: string }).principalObjectId);
    expect(sp.name).toBe("exo-registration-sp");
  });

  it("a role and exchangeRoles together keep the directory role (Microsoft allows combining both)", async () => {
    const run = await evaluate({ role: "Exchange Recipient Administrator", exchangeRoles: [{ role: "Mail Recipients", scope: AU }] });
    expect(run.one(T.directoryRoleAssignment).inputs).toMatchObject({ roleId: "31392ffb-586c-42d1-9346-e59415a2cc4e" });
  });

  it("parses entries: built-in spelling, a GUID scope is an administrative unit, a name a management scope, custom roles kept as written", async () => {
    const run = await evaluate({
      role: "none",
      exchangeRoles: [
        { role: "view-only configuration" },
        { role: "Mail Recipients", scope: AU.toUpperCase() },
        { role: "Mail Recipients", scope: "Sales mailboxes" },
        { roleGroup: "view only organization management" },
        { role: "Contoso Helpdesk Light", custom: true },
      ],
    });
    expect((run.outputs as { exchangeRoles: unknown }).exchangeRoles).toEqual([
      { role: "View-Only Configuration" },
      { role: "Mail Recipients", scope: { kind: "administrativeUnit", id: AU } },
      { role: "Mail Recipients", scope: { kind: "managementScope", name: "Sales mailboxes" } },
      { roleGroup: "View-Only Organization Management" },
      { role: "Contoso Helpdesk Light" },
    ]);
  });
});

describe("least privilege: bad input is refused before anything registers", () => {
  it.each<[string, Record<string, unknown>, string, unknown, RegExp]>([
    ["role: none without exchangeRoles", { role: "none" }, "role", "none", /leaves the app with no rights at all: .*exchangeRoles .*View-Only Configuration/],
    ["role: none with an empty list", { role: "none", exchangeRoles: [] }, "role", "none", /leaves the app with no rights at all/],
    [
      "an unknown built-in role",
      { role: "none", exchangeRoles: [{ role: "View-Only Configuraton" }] },
      "exchangeRoles[0].role",
      "View-Only Configuraton",
      /is not one of Exchange Online's built-in management roles\. Did you mean "View-Only Configuration"\? If the tenant made it .* add custom: true/,
    ],
    ["an unknown role group", { role: "none", exchangeRoles: [{ roleGroup: "Recipient Managment" }] }, "exchangeRoles[0].roleGroup", "Recipient Managment", /Did you mean "Recipient Management"\?/],
    ["scope and roleGroup on one entry", { role: "none", exchangeRoles: [{ roleGroup: "Recipient Management", scope: "Sales" }] }, "exchangeRoles[0].scope", "Sales", /cannot go with roleGroup.*Scope a role instead/],
    ["role and roleGroup on one entry", { role: "none", exchangeRoles: [{ role: "Mail Recipients", roleGroup: "Recipient Management" }] }, "exchangeRoles[0]", { role: "Mail Recipients", roleGroup: "Recipient Management" }, /split it into two entries/],
    ["the same grant twice", { role: "none", exchangeRoles: [{ role: "Mail Recipients" }, { role: "mail recipients" }] }, "exchangeRoles[1]", { role: "mail recipients" }, /repeats exchangeRoles\[0\] \(role "Mail Recipients"\)/],
    ["a field of no entry", { role: "none", exchangeRoles: [{ role: "Mail Recipients", scop: "Sales" }] }, "exchangeRoles[0].scop", "Sales", /is not a field of an exchangeRoles entry\. Did you mean "scope"\?/],
    ["custom: true on a built-in name", { role: "none", exchangeRoles: [{ role: "Mail Recipients", custom: true }] }, "exchangeRoles[0].role", "Mail Recipients", /built-in management role "Mail Recipients": drop custom: true/],
    ["an application role (mailbox data, not cmdlets)", { role: "none", exchangeRoles: [{ role: "Application Mail.Read" }] }, "exchangeRoles[0].role", "Application Mail.Read", /application role for mailbox data through Graph or EWS/],
    // A name that is a known thing of another kind gets the key it belongs under, not the nearest spelling.
    ["a built-in role group as a role", { role: "none", exchangeRoles: [{ role: "Organization Management" }] }, "exchangeRoles[0].role", "Organization Management", /is Exchange's built-in role group "Organization Management", not a management role: write it as \{ roleGroup: "Organization Management" \}/],
    ["a built-in role group as a custom role", { role: "none", exchangeRoles: [{ role: "view-only organization management", custom: true }] }, "exchangeRoles[0].role", "view-only organization management", /built-in role group "View-Only Organization Management".*\{ roleGroup: "View-Only Organization Management" \}/],
    ["a management role as a role group", { role: "none", exchangeRoles: [{ roleGroup: "Mail Recipients" }] }, "exchangeRoles[0].roleGroup", "Mail Recipients", /is Exchange's built-in management role "Mail Recipients", not a role group: write it as \{ role: "Mail Recipients" \}/],
    ["a management role as a custom role group", { role: "none", exchangeRoles: [{ roleGroup: "View-Only Configuration", custom: true }] }, "exchangeRoles[0].roleGroup", "View-Only Configuration", /write it as \{ role: "View-Only Configuration" \}/],
    ["a directory role as a management role", { role: "none", exchangeRoles: [{ role: "Exchange Recipient Administrator" }] }, "exchangeRoles[0].role", "Exchange Recipient Administrator", /is a directory role in Entra, not an Exchange management role: set it as exchange-app-only:role: Exchange Recipient Administrator/],
    ["a directory role and role group as a role", { role: "none", exchangeRoles: [{ role: "Security Administrator" }] }, "exchangeRoles[0].role", "Security Administrator", /\{ roleGroup: "Security Administrator" \}.*it also is a directory role in Entra/],
    ["a management role as the directory role", { role: "View-Only Configuration" }, "role", "View-Only Configuration", /It is Exchange's built-in management role "View-Only Configuration", not a directory role: list it in exchange-app-only:exchangeRoles as \{ role: "View-Only Configuration" \}, with role: none/],
    ["a role group as the directory role", { role: "Organization Management" }, "role", "Organization Management", /built-in role group "Organization Management", not a directory role: list it in exchange-app-only:exchangeRoles as \{ roleGroup: "Organization Management" \}/],
    // Both a typo of a directory role and an Exchange role: both readings, the directory role first.
    ["an Exchange role that abbreviates a directory role", { role: "Compliance Admin" }, "role", "Compliance Admin", /Did you mean "Compliance Administrator"\? It is Exchange's built-in management role "Compliance Admin", not a directory role: if you meant that, list it in exchange-app-only:exchangeRoles/],
    ["not a list", { role: "none", exchangeRoles: { role: "Mail Recipients" } }, "exchangeRoles", { role: "Mail Recipients" }, /must be a list/],
    ["adminApi that is no boolean", { adminApi: "yes" }, "adminApi", "yes", /must be true or false/],
    ["the nil GUID as an administrative unit", { role: "none", exchangeRoles: [{ role: "Mail Recipients", scope: "00000000-0000-0000-0000-000000000000" }] }, "exchangeRoles[0].scope", "00000000-0000-0000-0000-000000000000", /is the nil GUID, not an administrative unit/],
    ["a braced administrative unit id", { role: "none", exchangeRoles: [{ role: "Mail Recipients", scope: "{7C1E2D3F-1111-4222-8333-444455556666}" }] }, "exchangeRoles[0].scope", "{7C1E2D3F-1111-4222-8333-444455556666}", /in another form: write its Object ID as a bare GUID \(7c1e2d3f-1111-4222-8333-444455556666\)/],
    ["a urn:uuid administrative unit id", { role: "none", exchangeRoles: [{ role: "Mail Recipients", scope: "urn:uuid:7c1e2d3f-1111-4222-8333-444455556666" }] }, "exchangeRoles[0].scope", "urn:uuid:7c1e2d3f-1111-4222-8333-444455556666", /as a bare GUID/],
    ["the same administrative unit in two cases", { role: "none", exchangeRoles: [{ role: "Mail Recipients", scope: "7c1e2d3f-1111-4222-8333-444455556666" }, { role: "Mail Recipients", scope: "7C1E2D3F-1111-4222-8333-444455556666" }] }, "exchangeRoles[1]", { role: "Mail Recipients", scope: "7C1E2D3F-1111-4222-8333-444455556666" }, /repeats exchangeRoles\[0\]/],
  ])("%s", async (_label, overrides, key, value, wording) => {
    const error = await refused(overrides);
    const issue = issueAt(error, key);
    expect(issue.message).toMatch(wording);
    expect(issue.value).toBe(typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value));
  });

  it("refuses exchangeRoles for a consent: manual customer of a multi-tenant app, naming the fix", async () => {
    const error = await refused({
      tenantId: undefined,
      organization: undefined,
      appMode: "multiTenant",
      exchangeRoles: REPORTING,
      tenants: [
        { key: "home", home: true, tenantId: TENANT_ID, organization: "contoso.onmicrosoft.com" },
        { key: "fabrikam", consent: "manual", tenantId: "0a1b2c3d-1111-4222-8333-444455556666", organization: "fabrikam.onmicrosoft.com" },
      ],
    });
    expect(issueAt(error, "exchangeRoles").message).toMatch(/cannot apply to a consent: manual tenant.*exchangeRoles: \[\] and a directory role on this entry, or consent: automatic/);
  });

  it("refuses workloads and adminApi on an entry in multiTenant mode: they apply to the one app", async () => {
    const error = await refused({
      tenantId: undefined,
      organization: undefined,
      appMode: "multiTenant",
      tenants: [
        { key: "home", home: true, tenantId: TENANT_ID, organization: "contoso.onmicrosoft.com", adminApi: true },
        { key: "fabrikam", tenantId: "0a1b2c3d-1111-4222-8333-444455556666", organization: "fabrikam.onmicrosoft.com", workloads: ["compliance"] },
      ],
    });
    expect(issueAt(error, "tenants[home].adminApi").message).toMatch(/set it once at the stack level/);
    expect(issueAt(error, "tenants[fabrikam].workloads").message).toMatch(/set it once at the stack level/);
  });
});

describe("role ids by value", () => {
  it("resolveAppRoleId: the published id; a missing role and a changed known id are clear errors", () => {
    const lookup = { value: "Exchange.ManageAsApp", knownId: MANAGE_AS_APP_ROLE.id, principal: "Office 365 Exchange Online", because: "app-only access" };
    expect(resolveAppRoleId({ "Exchange.ManageAsApp": MANAGE_AS_APP_ROLE.id.toUpperCase() }, lookup)).toBe(MANAGE_AS_APP_ROLE.id.toUpperCase());
    expect(() => resolveAppRoleId({}, lookup)).toThrow(/publishes no app role Exchange\.ManageAsApp/);
    expect(() => resolveAppRoleId({ "Exchange.ManageAsApp": "11111111-2222-4333-8444-555555555555" }, lookup)).toThrow(
      /publishes Exchange\.ManageAsApp with id 11111111-2222-4333-8444-555555555555, not the documented dc50a0fb-09a3-484d-be87-e023b12c6440: nothing was granted/,
    );
  });

  it("the consent's appRoleId is the id the looked-up Exchange principal publishes, and its resource that principal", async () => {
    const run = await evaluate({});
    const consent = run.one(T.appRoleAssignment).inputs as { appRoleId: string; resourceObjectId: string };
    expect(consent.appRoleId).toBe(MANAGE_AS_APP_ROLE.id);
    expect(consent.resourceObjectId).toBe((firstPartyPrincipal(EXCHANGE_ONLINE_APP_ID, "", "exchange-online-service-principal", []) as { objectId: string }).objectId);
  });

  it("a principal publishing another Exchange.ManageAsApp id fails the deployment with the message, and no consent registers", async () => {
    const changed = "11111111-2222-4333-8444-555555555555";
    const run = runPublishing([{ id: changed, value: MANAGE_AS_APP_ROLE.value }], engineConfig({ ...MINIMAL, verifyOnUp: false }));
    expect(run).toMatchObject({ code: 1, consents: 0 });
    expect(run.stderr).toContain(`publishes Exchange.ManageAsApp with id ${changed}, not the documented ${MANAGE_AS_APP_ROLE.id}: nothing was granted`);
  });

  it("adminApi: true grants Exchange.ManageAsAppV2 with the id the principal publishes, to the app's service principal", async () => {
    const v2 = "3b5f7a9c-1111-4222-8333-444455556666";
    const backend = exchangePublishing([
      { id: MANAGE_AS_APP_ROLE.id, value: MANAGE_AS_APP_ROLE.value },
      { id: v2, value: MANAGE_AS_APP_V2_ROLE_VALUE },
    ]);
    const run = await evaluateProgram({ config: engineConfig({ ...MINIMAL, adminApi: true }), backend });
    const consents = run.resources.filter((r) => r.type === T.appRoleAssignment);
    expect(consents.map((c) => c.name).sort()).toEqual(["exo-exchange-admin-api-consent", "exo-exchange-consent"]);
    const adminApi = consents.find((c) => c.name === "exo-exchange-admin-api-consent")!.inputs as { appRoleId: string; resourceObjectId: string; principalObjectId: string };
    const exchange = firstPartyPrincipal(EXCHANGE_ONLINE_APP_ID, "", "exo-under-test", []) as { objectId: string };
    expect(adminApi).toMatchObject({ appRoleId: v2, resourceObjectId: exchange.objectId });
    expect(adminApi.principalObjectId).toBe((run.outputs as { servicePrincipalObjectId: string }).servicePrincipalObjectId);
    const outputs = run.outputs as { adminApi: { preview: string; acceptedDomain: string } };
    expect(outputs.adminApi.preview).toMatch(/^Preview: /);
    expect(outputs.adminApi.acceptedDomain).toBe(`https://outlook.office365.com/adminapi/v2.0/${TENANT_ID}/AcceptedDomain`);
  });

  it("adminApi: true where the principal has no Exchange.ManageAsAppV2 fails clearly", async () => {
    const run = runPublishing([{ id: MANAGE_AS_APP_ROLE.id, value: MANAGE_AS_APP_ROLE.value }], engineConfig({ ...MINIMAL, adminApi: true, verifyOnUp: false }));
    expect(run.code).toBe(1);
    // The Exchange.ManageAsApp consent is granted; the Admin API's, which cannot be, is not.
    expect(run.consents).toBe(1);
    expect(run.stderr).toMatch(/publishes no app role Exchange\.ManageAsAppV2 \(adminApi: true needs it\).*turn off adminApi: true/);
  });
});

describe("the least-privilege, Security & Compliance and Admin API examples in the docs", () => {
  const texts = [
    section("Least privilege", { own: true }),
    section("Security & Compliance", { own: true }),
    section("The Exchange Online Admin API (preview)"),
    section("Clouds"),
  ];
  const outputsPage = section("Outputs");
  const examples = texts.flatMap((text) =>
    [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]!) as { config: Record<string, unknown> }),
  );

  it("has the five stack snippets", () => {
    expect(examples).toHaveLength(5);
  });

  it.each(examples.map((example, i) => [i, example] as const))("snippet %i runs as written", async (_i, example) => {
    const config = Object.fromEntries(Object.entries(example.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    const run = await evaluateProgram({ config });
    const roleNone = example.config["exchange-app-only:role"] === "none";
    expect(run.resources.filter((r) => r.type === T.directoryRoleAssignment)).toHaveLength(roleNone ? 0 : 1);
  });

  it("names every output the new keys add", async () => {
    const run = await evaluate({ ...MINIMAL, environment: "dod", organization: "contoso.onmicrosoft.us", workloads: ["exchange", "compliance"], role: "Global Reader", adminApi: true, exchangeRoles: REPORTING });
    const outputs = run.outputs as Record<string, unknown>;
    for (const key of ["workloads", "exchangeRoles", "connectIPPSSession", "adminApi"]) expect(outputs).toHaveProperty(key);
    const nested = [...Object.keys(outputs.connectIPPSSession as object), ...Object.keys(outputs.adminApi as object)];
    expect([...Object.keys(outputs), ...nested].filter((key) => !outputsPage.includes(`\`${key}\``))).toEqual([]);
  });
});
