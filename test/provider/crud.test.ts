/**
 * The custom resources' lifecycle over gRPC, as the engine drives it, against the tenant emulator: two moved copies of
 * the plugin folder, each with its own install of the packed package, started as the engine starts a plugin (working
 * directory elsewhere, a dummy engine address: CRUD never calls the engine). Copy A runs `up` (Check, Create); then
 * copy A and its folder are gone, and copy B, another folder, runs `refresh`, `import`, a drifted `up` and `destroy`
 * from the state alone. The plugin signs in as a real user's would: ARM_* in its environment, the emulator's CA
 * trusted through NODE_EXTRA_CA_CERTS (the emulator as authority host and, test-only, as Exchange).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ownRoleGroupDescription, ownRoleGroupName, TEST_EXCHANGE_URL_VARIABLE } from "../../src/exchangeRbac";
import { TYPE } from "../../src/facts";
import { wireTenant } from "../check/tenant";
import { startEmulator, type TenantEmulator } from "../emulator";
import { createIdentity, EXCHANGE_ADMINISTRATOR, type Identity } from "../emulator/scenario";
import { installConsumer, packProject, ROOT } from "../support/consumer";
import { providerClient, startPlugin, type StartedPlugin } from "../support/plugin";
import { ResourceRpc, SECRET_SIG, secret, urnOf, type Props } from "../support/resourceRpc";

const work = mkdtempSync(join(tmpdir(), "exo-crud-"));
const elsewhere = join(work, "elsewhere");
const caFile = join(work, "emulator-ca.pem");
const folderA = join(work, "copy-a");
const folderB = join(work, "copy-b");

let emu: TenantEmulator;
let deployer: Identity;
/** The plugin's environment: the deploying identity's sign-in, nothing else from this machine's Azure settings. */
let pluginEnv: NodeJS.ProcessEnv;
const started: { plugin: StartedPlugin; folder: string }[] = [];
const rpcs: ResourceRpc[] = [];
/** What every plugin printed, kept after it is gone. */
const printed: (() => string)[] = [];

async function start(folder: string, env: NodeJS.ProcessEnv = pluginEnv): Promise<{ plugin: StartedPlugin; rpc: ResourceRpc }> {
  const plugin = await startPlugin(folder, ["127.0.0.1:1"], elsewhere, env);
  const client = providerClient(plugin.port);
  const rpc = new ResourceRpc(client);
  started.push({ plugin, folder });
  rpcs.push(rpc);
  printed.push(plugin.output);
  // The engine configures a provider before anything else; the plugin takes secrets as secrets.
  expect(await rpc.configure()).toEqual({ acceptSecrets: true });
  return { plugin, rpc };
}

const exited = (plugin: StartedPlugin) => plugin.child.exitCode !== null || plugin.child.signalCode !== null;

async function stop(plugin: StartedPlugin): Promise<void> {
  if (exited(plugin)) return;
  await new Promise((resolve) => {
    plugin.child.once("exit", resolve);
    plugin.child.kill();
  });
}

beforeAll(async () => {
  mkdirSync(elsewhere);
  writeFileSync(join(elsewhere, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "commonjs" } }));
  emu = await startEmulator();
  writeFileSync(caFile, emu.caPem);
  deployer = createIdentity(emu, { displayName: "pipeline", roleTemplateId: EXCHANGE_ADMINISTRATOR });
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(ARM_|AZURE_|NODE_EXTRA_CA_CERTS$|EXO_APP_ONLY_)/.test(key)));
  pluginEnv = {
    ...inherited,
    ARM_CLIENT_ID: deployer.clientId,
    ARM_CLIENT_SECRET: deployer.clientSecret!,
    AZURE_AUTHORITY_HOST: emu.url,
    NODE_EXTRA_CA_CERTS: caFile,
    [TEST_EXCHANGE_URL_VARIABLE]: emu.url,
  };
  const packed = packProject(work);
  installConsumer(folderA, join(ROOT, "provider"), packed);
  installConsumer(folderB, join(ROOT, "provider"), packed);
}, 300_000);

afterAll(async () => {
  for (const { plugin } of started) await stop(plugin);
  await emu?.close();
  rmSync(work, { recursive: true, force: true });
});

const rbac = () => emu.exchangeRbac;
/** The secrets of the apps the check signs in as, which only ever travel as secret inputs. */
const checkSecrets: string[] = [];
function wired(o: Parameters<typeof wireTenant>[1] = {}): ReturnType<typeof wireTenant> {
  const t = wireTenant(emu, o);
  checkSecrets.push(t.secret);
  return t;
}
const failureOf = (call: Promise<unknown>) => call.then(() => "", (e: { details: string }) => e.details);

/** The check's URN and state after copy A's `up`: copy B refreshes and deletes it. */
const checkUrn = urnOf(TYPE.check, "exo-verify");
let checkState: { id: string; outs: Props; inputs: Props } | undefined;

describe("ExchangeAccessCheck over gRPC (copy A)", () => {
  let rpc: ResourceRpc;
  let plugin: StartedPlugin;
  const urn = checkUrn;
  beforeAll(async () => {
    ({ plugin, rpc } = await start(folderA));
  }, 60_000);
  afterAll(() => stop(plugin));

  it("check names the bad property and runs nothing", async () => {
    const t = wired();
    const before = emu.requests.length;
    const checked = await rpc.check(urn, {}, { tenantId: "contoso", clientId: t.clientId, environment: "public", triggers: [], timeout: "forever", clientSecret: secret(t.secret) });
    expect(checked.failures.map((f) => f.property).sort()).toEqual(["tenantId", "timeout"]);
    expect(checked.failures.find((f) => f.property === "tenantId")!.reason).toContain('"contoso" is not a GUID');
    expect(emu.requests.length).toBe(before);
  });

  it("create passes for a well-wired app; diff re-runs on a trigger; update runs again; read keeps state", async () => {
    const t = wired();
    const news = { tenantId: t.tenantId, clientId: t.clientId, environment: "public", clientSecret: secret(t.secret), triggers: ["consent-1", "secret-1"], authorityHost: emu.url, exchangeEndpoint: emu.url, timeout: "10s" };
    const checked = await rpc.check(urn, {}, news);
    expect(checked.failures).toEqual([]);
    // The secret goes back marked secret: the engine keeps it encrypted in state.
    expect(checked.inputs.clientSecret).toEqual(secret(t.secret));

    const made = await rpc.create(urn, checked.inputs);
    expect(made.id).toBe(`${t.tenantId}/${t.clientId}`);
    expect(made.outs).toMatchObject({ ok: true, tenantId: t.tenantId, clientId: t.clientId, triggers: ["consent-1", "secret-1"] });
    expect(made.outs.checks).toEqual(expect.arrayContaining([expect.stringMatching(/^ok exchange\.invoke /)]));
    expect(made.outs).not.toHaveProperty("clientSecret");
    const invokes = () => emu.requests.filter((r) => r.kind === "invoke" && r.tenantId === t.tenantId).length;
    expect(invokes()).toBeGreaterThan(0);

    expect(await rpc.diff(made.id, urn, made.outs, news, news)).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });
    const rotated = { ...news, triggers: ["consent-1", "secret-2"] };
    expect(await rpc.diff(made.id, urn, made.outs, rotated, news)).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
    const before = invokes();
    const updated = await rpc.update(made.id, urn, made.outs, rotated, news);
    expect(updated.outs).toMatchObject({ ok: true, triggers: ["consent-1", "secret-2"] });
    expect(invokes()).toBeGreaterThan(before);

    expect(await rpc.read(made.id, urn, updated.outs, rotated)).toEqual({ id: made.id, props: updated.outs });
    checkState = { id: made.id, outs: updated.outs, inputs: rotated };
  }, 60_000);

  it("create fails for an app without a directory role, with the check's report and its fix, no stack trace", async () => {
    const t = wired({ role: "none" });
    const news = { tenantId: t.tenantId, clientId: t.clientId, environment: "public", clientSecret: secret(t.secret), triggers: [], authorityHost: emu.url, exchangeEndpoint: emu.url, timeout: "1s" };
    const text = await failureOf(rpc.create(urn, news));
    expect(text).toMatch(/^verifyOnUp: the identity does not work yet\.\n/);
    expect(text).toMatch(/FAIL exchange\.invoke/);
    expect(text).toMatch(/fix: .*(Exchange Administrator|directory role)/i);
    expect(text).not.toMatch(/\n\s+at /);
    expect(text).not.toContain(t.secret);
  }, 60_000);
});

describe("Exchange RBAC resources (and the check's state): created by copy A; refreshed, imported, updated and deleted by copy B after A's folder is gone", () => {
  let app: Identity;
  let other: Identity;
  let otherGroup: string;
  const urns = {
    sp: urnOf(TYPE.exchangeServicePrincipal, "exo-exchange-rbac-sp"),
    group: urnOf(TYPE.exchangeRoleGroup, "exo-exchange-rbac-role-group"),
    member: urnOf(TYPE.exchangeRoleGroupMember, "exo-exchange-rbac-role-group-member"),
    assignment: urnOf(TYPE.exchangeRoleAssignment, "exo-exchange-rbac-mail-read"),
  };
  /** The stack's inputs and state, as the engine keeps them between runs. */
  const inputs: Record<keyof typeof urns, Props> = { sp: {}, group: {}, member: {}, assignment: {} };
  const state: Record<keyof typeof urns, { id: string; outs: Props }> = { sp: { id: "", outs: {} }, group: { id: "", outs: {} }, member: { id: "", outs: {} }, assignment: { id: "", outs: {} } };
  let b: ResourceRpc;
  let bPrinted: () => string;

  /** Another app's Exchange objects, which no call here may touch. */
  const othersSnapshot = () => ({
    sp: rbac().servicePrincipals(deployer.tenantId).filter((p) => p.appId === other.clientId),
    group: rbac().roleGroups(deployer.tenantId).filter((g) => g.name === otherGroup),
    members: rbac().roleGroupMembers(deployer.tenantId, otherGroup),
    assignments: rbac().roleAssignments(deployer.tenantId).filter((a) => a.app === other.servicePrincipalObjectId),
  });
  let others: ReturnType<typeof othersSnapshot>;

  beforeAll(() => {
    const tenantId = deployer.tenantId;
    app = createIdentity(emu, { tenantId, displayName: "reporting", roleTemplateId: "none" });
    other = createIdentity(emu, { tenantId, displayName: "someone-else", roleTemplateId: "none" });
    otherGroup = ownRoleGroupName(other.clientId);
    rbac().addServicePrincipal(tenantId, { appId: other.clientId, objectId: other.servicePrincipalObjectId, displayName: "someone-else" });
    rbac().grantRoles(tenantId, other.servicePrincipalObjectId, ["View-Only Configuration"], otherGroup);
    rbac().addRoleAssignment(tenantId, { app: other.servicePrincipalObjectId, role: "Application Mail.Read", name: "Application Mail.Read-someone-else" });
    others = othersSnapshot();
    const common = { tenantId, environment: "public" };
    inputs.sp = { ...common, appId: app.clientId, objectId: app.servicePrincipalObjectId, displayName: "reporting" };
    inputs.group = { ...common, name: ownRoleGroupName(app.clientId), roles: ["View-Only Configuration", "View-Only Recipients"], description: ownRoleGroupDescription("reporting", app.clientId) };
    inputs.member = { ...common, appId: app.clientId, servicePrincipalObjectId: app.servicePrincipalObjectId, roleGroup: ownRoleGroupName(app.clientId) };
    inputs.assignment = { ...common, appId: app.clientId, servicePrincipalObjectId: app.servicePrincipalObjectId, role: "Application Mail.Read" };
  });

  it("copy A: check names bad properties; create makes each object in Exchange", async () => {
    const { plugin, rpc: a } = await start(folderA);
    try {
      const bad = await a.check(urns.sp, {}, { ...inputs.sp, tenantId: "contoso", objectId: "x" });
      expect(bad.failures.map((f) => f.property).sort()).toEqual(["objectId", "tenantId"]);
      const builtIn = await a.check(urns.member, {}, { ...inputs.member, roleGroup: "Organization Management" });
      expect(builtIn.failures).toEqual([{ property: "roleGroup", reason: expect.stringMatching(/"Organization Management" is a built-in role group/) }]);
      expect(rbac().servicePrincipals(deployer.tenantId).map((p) => p.appId)).not.toContain(app.clientId);

      for (const key of ["sp", "group", "member", "assignment"] as const) {
        const checked = await a.check(urns[key], {}, { ...inputs[key], propagationTimeout: "30s" });
        expect(checked.failures).toEqual([]);
        state[key] = await a.create(urns[key], checked.inputs);
      }
      const tenantId = deployer.tenantId;
      expect(state.sp).toEqual({ id: `${tenantId}/${app.clientId}`, outs: { ...inputs.sp, identity: app.servicePrincipalObjectId } });
      expect(state.group.id).toBe(`${tenantId}/${inputs.group.name}`);
      expect(state.member).toEqual({ id: `${tenantId}/${app.clientId}/${inputs.group.name}`, outs: inputs.member });
      expect(state.assignment.outs).toMatchObject({ role: "Application Mail.Read", servicePrincipalObjectId: app.servicePrincipalObjectId });
      expect(state.assignment.id).toBe(`${tenantId}/${state.assignment.outs.identity}`);

      expect(rbac().servicePrincipals(tenantId).find((p) => p.appId === app.clientId)).toMatchObject({ objectId: app.servicePrincipalObjectId, displayName: "reporting" });
      expect(rbac().roleGroupMembers(tenantId, inputs.group.name as string)).toEqual([app.servicePrincipalObjectId]);
      expect(rbac().managementRoles(tenantId, app.servicePrincipalObjectId)).toEqual(new Set(["View-Only Configuration", "View-Only Recipients", "Application Mail.Read"]));
      expect(othersSnapshot()).toEqual(others);
    } finally {
      await stop(plugin);
    }
    // No process of copy A is left, and its folder goes: from here on only the state and copy B remain.
    expect(started.filter((s) => s.folder === folderA && !exited(s.plugin))).toEqual([]);
    rmSync(folderA, { recursive: true, force: true });
    expect(existsSync(folderA)).toBe(false);
  }, 120_000);

  it("copy B: refresh sees each object as state holds it; diff says no change", async () => {
    const started = await start(folderB);
    b = started.rpc;
    bPrinted = started.plugin.output;
    // The check leaves nothing in the tenant: refresh keeps what state holds.
    expect(await b.read(checkState!.id, checkUrn, checkState!.outs, checkState!.inputs)).toEqual({ id: checkState!.id, props: checkState!.outs });
    for (const key of ["sp", "group", "member", "assignment"] as const) {
      const read = await b.read(state[key].id, urns[key], state[key].outs, inputs[key]);
      expect(read.id).toBe(state[key].id);
      expect(read.props).toEqual(state[key].outs);
      expect(await b.diff(read.id, urns[key], read.props, inputs[key], inputs[key])).toMatchObject({ changes: "none", replaces: [] });
    }
  }, 60_000);

  it("copy B: import from the id alone answers the inputs, which diff as no change", async () => {
    for (const key of ["sp", "group", "member", "assignment"] as const) {
      const imported = await b.read(state[key].id, urns[key]);
      expect(imported.id).toBe(state[key].id);
      expect(imported.props).toEqual(state[key].outs);
      expect(imported.inputs).toEqual(inputs[key]);
      expect(await b.diff(imported.id, urns[key], imported.props, imported.inputs!, imported.inputs)).toMatchObject({ changes: "none" });
    }
  }, 60_000);

  it("copy B: drift made in Exchange shows on refresh; diff and update put it back", async () => {
    const tenantId = deployer.tenantId;
    const group = inputs.group.name as string;
    // By hand: a role taken from the group, its description changed, the app taken out of it.
    const recipients = rbac().roleAssignments(tenantId).find((x) => x.roleGroup === group && x.role === "View-Only Recipients")!;
    rbac().removeRoleAssignment(tenantId, recipients.name);
    expect(rbac().run(tenantId, "Set-RoleGroup", { Identity: group, Description: "changed by hand" })).toMatchObject({ ok: true });
    rbac().removeRoleGroupMember(tenantId, group, app.servicePrincipalObjectId);

    const drifted = await b.read(state.group.id, urns.group, state.group.outs, inputs.group);
    expect(drifted.props).toMatchObject({ roles: ["View-Only Configuration"], description: "changed by hand" });
    expect(await b.diff(drifted.id, urns.group, drifted.props, inputs.group, inputs.group)).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
    const updated = await b.update(drifted.id, urns.group, drifted.props, inputs.group, inputs.group);
    expect(updated.outs).toEqual(state.group.outs);
    expect(rbac().roleGroups(tenantId).find((g) => g.name === group)).toMatchObject({ roles: ["View-Only Configuration", "View-Only Recipients"], description: inputs.group.description });

    // A membership removed by hand is gone on refresh (the engine drops it); the next `up` creates it again.
    expect(await b.read(state.member.id, urns.member, state.member.outs, inputs.member)).toEqual({ id: "", props: {} });
    state.member = await b.create(urns.member, inputs.member);
    expect(rbac().roleGroupMembers(tenantId, group)).toEqual([app.servicePrincipalObjectId]);

    // Changes Exchange cannot make in place replace the object, the principal's delete first.
    expect(await b.diff(state.sp.id, urns.sp, state.sp.outs, { ...inputs.sp, objectId: other.servicePrincipalObjectId }, inputs.sp)).toEqual({ changes: "some", replaces: ["objectId"], deleteBeforeReplace: true });
    expect(await b.diff(state.assignment.id, urns.assignment, state.assignment.outs, { ...inputs.assignment, role: "Application Mail.ReadWrite" }, inputs.assignment)).toMatchObject({ changes: "some", replaces: ["role"] });
    expect(othersSnapshot()).toEqual(others);
  }, 60_000);

  it("copy B: delete removes exactly each object; a read afterwards says gone", async () => {
    const tenantId = deployer.tenantId;
    const group = inputs.group.name as string;
    await b.delete(state.member.id, urns.member, state.member.outs, inputs.member);
    expect(rbac().roleGroupMembers(tenantId, group)).toEqual([]);
    expect(rbac().roleGroups(tenantId).find((g) => g.name === group)?.roles).toEqual(inputs.group.roles);
    await b.delete(state.assignment.id, urns.assignment, state.assignment.outs, inputs.assignment);
    expect(rbac().roleAssignments(tenantId).filter((x) => x.app === app.servicePrincipalObjectId)).toEqual([]);
    expect(rbac().servicePrincipals(tenantId).map((p) => p.appId)).toContain(app.clientId);
    await b.delete(state.group.id, urns.group, state.group.outs, inputs.group);
    expect(rbac().roleGroups(tenantId).map((g) => g.name)).not.toContain(group);
    await b.delete(state.sp.id, urns.sp, state.sp.outs, inputs.sp);
    expect(rbac().servicePrincipals(tenantId).map((p) => p.appId)).not.toContain(app.clientId);
    expect(othersSnapshot()).toEqual(others);
    // The check has nothing to undo: its delete needs nothing but the state.
    await expect(b.delete(checkState!.id, checkUrn, checkState!.outs, checkState!.inputs)).resolves.toBeUndefined();

    for (const key of ["sp", "group", "member", "assignment"] as const) {
      expect(await b.read(state[key].id, urns[key], state[key].outs, inputs[key])).toEqual({ id: "", props: {} });
    }
  }, 60_000);

  it("an Exchange refusal comes back as a gRPC error: the resource's kind, Exchange's text and the fix, no stack trace", async () => {
    const tenantId = deployer.tenantId;
    const text = await failureOf(b.create(urnOf(TYPE.exchangeRoleGroup, "refused"), { ...inputs.group, roles: ["No Such Role"] }));
    expect(text).toMatch(/^ExchangeRoleGroup: /);
    // Exchange's own words, as it said them.
    expect(text).toMatch(/object 'No Such Role' couldn't be found/);
    // The fix, on its own line: where to look the names up.
    expect(text).toMatch(/\nCheck the role.s name .*Get-ManagementRole lists them/);
    expect(text).not.toMatch(/\n\s+at /);
    expect(rbac().roleGroups(tenantId).map((g) => g.name)).not.toContain(inputs.group.name);

    // A malformed import id (a read's failure): the form to write, no stack trace.
    const badId = await failureOf(b.read(`${tenantId}/${app.clientId}`, urns.member));
    expect(badId).toMatch(/^ExchangeRoleGroupMember: the import id .* names no role group after the app's client id\nWrite it as <tenantId>\/<appId>\/<role group>/);
    expect(badId).not.toMatch(/\n\s+at /);
    // The engine shows what a plugin prints on stderr too: the failure at most, never the plugin's stack.
    expect(bPrinted()).not.toMatch(/\n\s+at /);
  }, 60_000);
});

describe("a preview: values not known yet (the engine's unknown stand-in)", () => {
  let rpc: ResourceRpc;
  const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
  beforeAll(async () => {
    ({ rpc } = await start(folderB));
  }, 60_000);

  it("check fails no property for a value still unknown, and still names a known bad one", async () => {
    const tenantId = deployer.tenantId;
    const group = { tenantId, environment: "public", name: UNKNOWN, roles: UNKNOWN, description: UNKNOWN };
    expect((await rpc.check(urnOf(TYPE.exchangeRoleGroup, "g"), {}, group)).failures).toEqual([]);
    const member = { tenantId, environment: "public", appId: UNKNOWN, servicePrincipalObjectId: UNKNOWN, roleGroup: UNKNOWN };
    expect((await rpc.check(urnOf(TYPE.exchangeRoleGroupMember, "m"), {}, member)).failures).toEqual([]);
    const check = { tenantId, clientId: UNKNOWN, environment: "public", clientSecret: secret(UNKNOWN), triggers: UNKNOWN, timeout: "5m" };
    expect((await rpc.check(urnOf(TYPE.check, "c"), {}, check)).failures).toEqual([]);
    const bad = await rpc.check(urnOf(TYPE.exchangeRoleGroup, "g"), {}, { ...group, tenantId: "contoso" });
    expect(bad.failures.map((f) => f.property)).toEqual(["tenantId"]);
  });

  it("diff of a value still unknown is a change, replacing where a known change would", async () => {
    const tenantId = deployer.tenantId;
    const name = ownRoleGroupName(deployer.clientId);
    const olds = { tenantId, environment: "public", name, roles: ["View-Only Configuration"], description: "d", identity: name };
    const news = { tenantId, environment: "public", name, roles: UNKNOWN, description: "d" };
    expect(await rpc.diff(`${tenantId}/${name}`, urnOf(TYPE.exchangeRoleGroup, "g"), olds, news)).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
    const sp = { tenantId, environment: "public", appId: deployer.clientId, objectId: deployer.servicePrincipalObjectId, displayName: "d" };
    expect(await rpc.diff(`${tenantId}/${deployer.clientId}`, urnOf(TYPE.exchangeServicePrincipal, "sp"), { ...sp, identity: sp.objectId }, { ...sp, objectId: UNKNOWN })).toEqual({
      changes: "some",
      replaces: ["objectId"],
      deleteBeforeReplace: true,
    });
  });
});

describe("secrets", () => {
  it("a sign-in the tenant refuses says why without the secret", async () => {
    const WRONG = "Kn0wn-Wr0ng-S3cret-never-out";
    const { rpc } = await start(folderB, { ...pluginEnv, ARM_CLIENT_SECRET: WRONG });
    const text = await failureOf(rpc.create(urnOf(TYPE.exchangeServicePrincipal, "refused-sign-in"), { tenantId: deployer.tenantId, environment: "public", appId: deployer.clientId, objectId: deployer.servicePrincipalObjectId, displayName: "d" }));
    expect(text).toMatch(/^ExchangeServicePrincipal: cannot sign in to tenant .* as the service principal .* with ARM_CLIENT_SECRET: .*AADSTS7000215/);
    expect(text).not.toContain(WRONG);
    expect(printed.at(-1)!()).not.toContain(WRONG);
  }, 60_000);

  it("the deploying identity's secret and the check's secret never come out: no answer, error or line the plugins printed holds them", () => {
    // The check's secret goes back only inside Check's inputs, marked secret; nothing else may hold it.
    const hidden = JSON.stringify(rpcs.flatMap((rpc) => rpc.seen), (_key, value: unknown) =>
      value && typeof value === "object" && (value as Props)[SECRET_SIG] ? "[secret]" : value,
    );
    const text = hidden + printed.map((output) => output()).join("\n");
    expect(rpcs.flatMap((rpc) => rpc.seen).length).toBeGreaterThan(40);
    expect(checkSecrets.length).toBe(3);
    for (const known of [deployer.clientSecret!, ...checkSecrets]) expect(text).not.toContain(known);
  });
});
