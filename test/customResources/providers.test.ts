/**
 * The plugin's custom resources (provider/resources.ts) called in-process the way the engine calls them through
 * `pulumi.provider.Provider`: a URN, olds and news as property objects (secrets possibly as signature objects), ids.
 * Against the tenant emulator: the deploying identity signs in with ARM_* (the emulator as authority host), cmdlets
 * go to the emulator's InvokeCommand. Nothing reaches Microsoft. gRPC is the plugin's tests' business.
 */
import { customResourceProviders, plainProperties, type CustomResourceProvider } from "../../provider/resources";
import { ownRoleGroupDescription, ownRoleGroupName, TEST_EXCHANGE_URL_VARIABLE } from "../../src/exchangeRbac";
import { TYPE } from "../../src/facts";
import { wireTenant } from "../check/tenant";
import { startEmulator, type TenantEmulator } from "../emulator";
import { createIdentity, EXCHANGE_ADMINISTRATOR, type Identity } from "../emulator/scenario";

const STACK = "urn:pulumi:dev::exchange-app-only::exchange-app-only:index:ExchangeAppOnly$exchange-app-only:index:ExchangeRbac";
const urn = (type: string, name: string) => `${STACK}$${type}::${name}`;
const SIG = "4dabf18193072939515e22adb298388d";
const secret = (value: string) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", value });

let emu: TenantEmulator;
let deployer: Identity;
let app: Identity;
let providers: Record<string, CustomResourceProvider>;
let progress: string[];

beforeAll(async () => {
  emu = await startEmulator();
  deployer = createIdentity(emu, { displayName: "pipeline", roleTemplateId: EXCHANGE_ADMINISTRATOR });
  providers = customResourceProviders({
    env: { ARM_CLIENT_ID: deployer.clientId, ARM_CLIENT_SECRET: deployer.clientSecret!, AZURE_AUTHORITY_HOST: emu.url, [TEST_EXCHANGE_URL_VARIABLE]: emu.url },
    ca: emu.caPem,
    progress: (line) => progress.push(line),
  });
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  progress = [];
  app = createIdentity(emu, { tenantId: deployer.tenantId, displayName: `reporting-${Math.random().toString(36).slice(2, 8)}`, roleTemplateId: "none" });
});

const rbac = () => emu.exchangeRbac;
const of = (type: string) => {
  const p = providers[type];
  if (!p) throw new Error(`no provider for ${type}`);
  return p as Required<CustomResourceProvider>;
};

test("every custom resource's type token is served, with the methods the engine calls", () => {
  expect(Object.keys(providers).sort()).toEqual(
    [TYPE.check, TYPE.exchangeServicePrincipal, TYPE.exchangeRoleGroup, TYPE.exchangeRoleGroupMember, TYPE.exchangeRoleAssignment].sort(),
  );
  expect(Object.keys(providers).every((t) => t.startsWith("exchange-app-only:index:"))).toBe(true);
  for (const p of Object.values(providers)) for (const m of ["check", "diff", "create", "read", "delete"] as const) expect(typeof p[m]).toBe("function");
});

test("the engine's wrappers are taken off: secrets unwrapped, `__` keys dropped", () => {
  expect(plainProperties({ __provider: "x", a: secret("s"), b: [secret("t"), 1], c: { __defaults: [], d: "e" } })).toEqual({ a: "s", b: ["t", 1], c: { d: "e" } });
});

test("the RBAC resources: create, read, diff, update, delete through the engine's shapes; gone reads as an empty id", async () => {
  const sp = of(TYPE.exchangeServicePrincipal);
  const spUrn = urn(TYPE.exchangeServicePrincipal, "exo-exchange-rbac-sp");
  const spNews = { tenantId: deployer.tenantId, environment: "public", appId: app.clientId, objectId: app.servicePrincipalObjectId, displayName: "reporting", propagationTimeout: "30s" };
  expect(await sp.check(spUrn, {}, spNews)).toEqual({ inputs: spNews, failures: [] });
  const made = await sp.create(spUrn, spNews);
  expect(made.id).toBe(`${deployer.tenantId}/${app.clientId}`);
  expect(made.outs).toMatchObject({ appId: app.clientId, objectId: app.servicePrincipalObjectId, identity: app.servicePrincipalObjectId });
  expect(rbac().servicePrincipals(deployer.tenantId).map((p) => p.appId)).toContain(app.clientId);

  const group = of(TYPE.exchangeRoleGroup);
  const groupUrn = urn(TYPE.exchangeRoleGroup, "exo-exchange-rbac-role-group");
  const name = ownRoleGroupName(app.clientId);
  const groupNews = { tenantId: deployer.tenantId, environment: "public", name, roles: ["View-Only Configuration"], description: ownRoleGroupDescription("reporting", app.clientId) };
  const g = await group.create(groupUrn, groupNews);
  expect(g.id).toBe(`${deployer.tenantId}/${name}`);

  const member = of(TYPE.exchangeRoleGroupMember);
  const memberUrn = urn(TYPE.exchangeRoleGroupMember, "exo-exchange-rbac-role-group-member");
  // The principal's outputs flow into the membership: its object id is what -Member takes.
  const memberNews = { tenantId: deployer.tenantId, environment: "public", appId: made.outs.appId, servicePrincipalObjectId: made.outs.objectId, roleGroup: g.outs.name };
  const m = await member.create(memberUrn, memberNews);
  expect(rbac().roleGroupMembers(deployer.tenantId, name)).toEqual([app.servicePrincipalObjectId]);
  expect(rbac().managementRoles(deployer.tenantId, app.servicePrincipalObjectId)).toEqual(new Set(["View-Only Configuration"]));

  // Refresh: what Exchange holds, as state; the inputs without what only Exchange sets.
  const read = await group.read(g.id, groupUrn, g.outs);
  expect(read).toEqual({ id: g.id, props: g.outs, inputs: { ...groupNews } });
  expect(await group.diff(g.id, groupUrn, g.outs, groupNews)).toMatchObject({ changes: false });
  const more = { ...groupNews, roles: ["View-Only Configuration", "View-Only Recipients"] };
  expect(await group.diff(g.id, groupUrn, g.outs, more)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  expect(await sp.diff(made.id, spUrn, made.outs, { ...spNews, objectId: "11111111-2222-4333-8444-555555555555" })).toEqual({ changes: true, replaces: ["objectId"], deleteBeforeReplace: true });
  const updated = await group.update(g.id, groupUrn, g.outs, more);
  expect(updated.outs).toMatchObject({ roles: ["View-Only Configuration", "View-Only Recipients"] });
  expect(rbac().managementRoles(deployer.tenantId, app.servicePrincipalObjectId)).toEqual(new Set(["View-Only Configuration", "View-Only Recipients"]));

  // Delete, membership first: exactly what was made goes; each one already gone deletes again.
  await member.delete(m.id, memberUrn, m.outs);
  expect(rbac().roleGroupMembers(deployer.tenantId, name)).toEqual([]);
  await group.delete(g.id, groupUrn, updated.outs);
  await sp.delete(made.id, spUrn, made.outs);
  expect(rbac().roleGroups(deployer.tenantId).map((x) => x.name)).not.toContain(name);
  expect(rbac().servicePrincipals(deployer.tenantId).map((p) => p.appId)).not.toContain(app.clientId);
  expect(await member.read(m.id, memberUrn, m.outs)).toEqual({ id: "", props: {} });
  expect(await group.read(g.id, groupUrn, g.outs)).toEqual({ id: "", props: {} });
  expect(await sp.read(made.id, spUrn, made.outs)).toEqual({ id: "", props: {} });
  await expect(member.delete(m.id, memberUrn, m.outs)).resolves.toBeUndefined();
  await expect(sp.delete(made.id, spUrn, made.outs)).resolves.toBeUndefined();
});

test("import from the id alone: read with no state answers the state and the inputs, which diff as no change", async () => {
  rbac().addServicePrincipal(deployer.tenantId, { appId: app.clientId, objectId: app.servicePrincipalObjectId, displayName: "made by hand" });
  rbac().addRoleGroup(deployer.tenantId, { name: ownRoleGroupName(app.clientId), roles: ["View-Only Configuration"], description: "made by hand" });
  rbac().addRoleGroupMember(deployer.tenantId, ownRoleGroupName(app.clientId), app.servicePrincipalObjectId);
  const assignment = rbac().addRoleAssignment(deployer.tenantId, { app: app.servicePrincipalObjectId, role: "Application Mail.Read", name: "Application Mail.Read-by-hand" });

  const sp = await of(TYPE.exchangeServicePrincipal).read(`${deployer.tenantId}/${app.clientId}`, urn(TYPE.exchangeServicePrincipal, "sp"), {});
  expect(sp.props).toMatchObject({ tenantId: deployer.tenantId, appId: app.clientId, objectId: app.servicePrincipalObjectId, identity: app.servicePrincipalObjectId });
  expect(sp.inputs).toEqual({ tenantId: deployer.tenantId, environment: "public", appId: app.clientId, objectId: app.servicePrincipalObjectId, displayName: "made by hand" });

  const memberId = `${deployer.tenantId}/${app.clientId}/${ownRoleGroupName(app.clientId)}`;
  const member = await of(TYPE.exchangeRoleGroupMember).read(memberId, urn(TYPE.exchangeRoleGroupMember, "m"), {});
  expect(member.id).toBe(memberId);
  expect(member.inputs).toEqual({ tenantId: deployer.tenantId, environment: "public", appId: app.clientId, roleGroup: ownRoleGroupName(app.clientId), servicePrincipalObjectId: app.servicePrincipalObjectId });
  expect(await of(TYPE.exchangeRoleGroupMember).diff(memberId, "", member.props, member.inputs)).toMatchObject({ changes: false });

  const ra = await of(TYPE.exchangeRoleAssignment).read(`${deployer.tenantId}/${assignment.name}`, urn(TYPE.exchangeRoleAssignment, "ra"), {});
  expect(ra.props).toMatchObject({ role: "Application Mail.Read", identity: assignment.name });
  expect(ra.inputs).not.toHaveProperty("identity");

  // A malformed import id: the form to write, under the resource's kind.
  await expect(of(TYPE.exchangeRoleGroupMember).read(`${deployer.tenantId}/${app.clientId}`, "", {})).rejects.toThrow(
    /^ExchangeRoleGroupMember: the import id .* names no role group after the app's client id\nWrite it as <tenantId>\/<appId>\/<role group>/,
  );
});

test("check failures name the property, for every RBAC resource, before anything runs", async () => {
  const before = rbac().servicePrincipals(deployer.tenantId).length;
  const sp = await of(TYPE.exchangeServicePrincipal).check("", {}, { tenantId: "contoso", environment: "public", appId: app.clientId, objectId: "x", displayName: "d" });
  expect(sp.failures!.map((f) => f.property).sort()).toEqual(["objectId", "tenantId"]);
  const group = await of(TYPE.exchangeRoleGroup).check("", {}, { tenantId: deployer.tenantId, environment: "mars", name: "", roles: [], description: "d" });
  expect(group.failures!.map((f) => f.property).sort()).toEqual(["environment", "name", "roles"]);
  const member = await of(TYPE.exchangeRoleGroupMember).check("", {}, { tenantId: deployer.tenantId, environment: "public", appId: app.clientId, servicePrincipalObjectId: app.servicePrincipalObjectId, roleGroup: "Organization Management" });
  expect(member.failures).toEqual([{ property: "roleGroup", reason: expect.stringMatching(/"Organization Management" is a built-in role group/) }]);
  const ra = await of(TYPE.exchangeRoleAssignment).check("", {}, { tenantId: deployer.tenantId, environment: "public", appId: "nope", servicePrincipalObjectId: app.servicePrincipalObjectId, role: "Application Mail.Read" });
  expect(ra.failures!.map((f) => f.property)).toEqual(["appId"]);
  const check = await of(TYPE.check).check("", {}, { tenantId: deployer.tenantId, clientId: app.clientId, environment: "public", triggers: [], timeout: "forever", clientSecret: secret("x") });
  expect(check.failures!.map((f) => f.property)).toEqual(["timeout"]);
  expect(rbac().servicePrincipals(deployer.tenantId).length).toBe(before);
});

test("Exchange's refusal comes back with the resource's kind, Exchange's text and a fix", async () => {
  await of(TYPE.exchangeServicePrincipal).create("", { tenantId: deployer.tenantId, environment: "public", appId: app.clientId, objectId: app.servicePrincipalObjectId, displayName: "r" });
  const refused = of(TYPE.exchangeRoleGroup).create("", { tenantId: deployer.tenantId, environment: "public", name: ownRoleGroupName(app.clientId), roles: ["No Such Role"], description: "d" });
  await expect(refused).rejects.toThrow(/^ExchangeRoleGroup: /);
  await expect(refused).rejects.toThrow(/No Such Role/);
  const message = await refused.then(() => "", (e: Error) => e.message);
  expect(message.split("\n").length).toBeGreaterThan(1);
});

test("the check: create runs it (the secret arriving as a secret), diff re-runs on a trigger, update runs again, read keeps state, delete is a no-op", async () => {
  const t = wireTenant(emu);
  const c = of(TYPE.check);
  const checkUrn = "urn:pulumi:dev::exchange-app-only::exchange-app-only:index:ExchangeAppOnly$exchange-app-only:index:ExchangeAccessCheck::exo-verify";
  const news = { tenantId: t.tenantId, clientId: t.clientId, environment: "public", clientSecret: secret(t.secret), triggers: ["consent-1", "secret-1"], authorityHost: emu.url, exchangeEndpoint: emu.url, trustedCaPem: emu.caPem, timeout: "10s" };
  expect((await c.check(checkUrn, {}, news)).failures).toEqual([]);
  const made = await c.create(checkUrn, news);
  expect(made.id).toBe(`${t.tenantId}/${t.clientId}`);
  expect(made.outs).toMatchObject({ ok: true, attempts: 1, triggers: ["consent-1", "secret-1"] });
  expect(await c.diff(made.id, checkUrn, made.outs, news)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  const rotated = { ...news, triggers: ["consent-1", "secret-2"] };
  expect(await c.diff(made.id, checkUrn, made.outs, rotated)).toMatchObject({ changes: true });
  expect((await c.update(made.id, checkUrn, made.outs, rotated)).outs).toMatchObject({ ok: true, triggers: ["consent-1", "secret-2"] });
  expect(await c.read(made.id, checkUrn, made.outs)).toEqual({ id: made.id, props: made.outs });
  await expect(c.delete(made.id, checkUrn, made.outs)).resolves.toBeUndefined();
});

test("a failing check fails create with the check's report", async () => {
  const t = wireTenant(emu, { role: "none" });
  const news = { tenantId: t.tenantId, clientId: t.clientId, environment: "public", clientSecret: t.secret, triggers: [], authorityHost: emu.url, exchangeEndpoint: emu.url, trustedCaPem: emu.caPem, timeout: "1s" };
  const run = of(TYPE.check).create("", news);
  await expect(run).rejects.toThrow(/^verifyOnUp: the identity does not work yet\.\n/);
  await expect(run).rejects.toThrow(/FAIL exchange\.invoke/);
});

test("no leak: the check's secret and key never come out of check, create, diff, update, read, delete or their errors", async () => {
  const KNOWN = "Kn0wn-S3cret-Value-4dabf181-never-out";
  const t = wireTenant(emu, { certificate: true });
  const keyPem = t.certificatePem;
  const keyBody = keyPem.split("\n").find((l) => l.length > 40 && !l.startsWith("-----"))!;
  const c = of(TYPE.check);
  const captured: string[] = [];
  const spy = [jest.spyOn(process.stderr, "write"), jest.spyOn(process.stdout, "write"), jest.spyOn(console, "log"), jest.spyOn(console, "error"), jest.spyOn(console, "warn")];
  for (const s of spy) s.mockImplementation(((...args: unknown[]) => (captured.push(args.map(String).join(" ")), true)) as never);
  try {
    const base = { tenantId: t.tenantId, clientId: t.clientId, environment: "public", triggers: ["k"], authorityHost: emu.url, exchangeEndpoint: emu.url, trustedCaPem: emu.caPem, timeout: "2s" };
    const results: unknown[] = [];
    // The certificate (secret key) that works, beside a client secret the tenant does not know.
    const good = { ...base, certificatePem: secret(keyPem), clientSecret: secret(KNOWN) };
    // Check hands the inputs back as they came: the secrets still marked secret, so state keeps them encrypted.
    const checked = await c.check("", {}, good);
    expect(checked.inputs).toEqual(good);
    results.push(checked.failures);
    const made = await c.create("", good);
    results.push(made, await c.diff(made.id, "", made.outs, good), await c.update(made.id, "", made.outs, { ...good, triggers: ["k2"] }), await c.read(made.id, "", made.outs));
    await c.delete(made.id, "", made.outs);
    // The secret alone, wrong: the failure's text carries the report, not the secret.
    const failed = await c.create("", { ...base, clientSecret: secret(KNOWN) }).catch((e: Error) => e.message);
    expect(failed).toMatch(/^verifyOnUp: /);
    results.push(failed);
    // A malformed secret input: the failure names the property, not the value.
    results.push((await c.check("", {}, { ...base, clientSecret: KNOWN.length, certificatePem: 7 })).failures);
    const text = JSON.stringify(results) + captured.join("\n");
    expect(text).not.toContain(KNOWN);
    expect(text).not.toContain(keyBody);
    expect(text).not.toContain("PRIVATE KEY");
  } finally {
    for (const s of spy) s.mockRestore();
  }
});
