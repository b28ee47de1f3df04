/**
 * The Exchange RBAC resources as the Pulumi engine runs them: the SDK's dynamic provider host in a fresh process,
 * started from a runner's copy of the built project with the deploying identity's ARM_* variables, driven over gRPC
 * against the tenant emulator (NODE_EXTRA_CA_CERTS trusts it; EXO_APP_ONLY_TEST_EXCHANGE_URL points InvokeCommand
 * at it). State written by `up` on one runner refreshes, imports and destroys from another runner's folder after the
 * first is gone: the serialized shim loads the library of the folder the host runs in. Nothing reaches Microsoft.
 */
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { startEmulator, type TenantEmulator } from "../emulator";
import { createIdentity, EXCHANGE_ADMINISTRATOR, type Identity } from "../emulator/scenario";
import { checkout, Host, serializedProvider, type Props } from "./providerHost";

const PARENT = "urn:pulumi:dev::exchange-app-only::exchange-app-only:index:ExchangeAppOnly$exchange-app-only:index:ExchangeRbac";
const SP_URN = `${PARENT}$pulumi-nodejs:dynamic/exchange-app-only:ExchangeServicePrincipal::exo-exchange-rbac-sp`;
const GROUP_URN = `${PARENT}$pulumi-nodejs:dynamic/exchange-app-only:ExchangeRoleGroup::exo-exchange-rbac-role-group`;
const MEMBER_URN = `${PARENT}$pulumi-nodejs:dynamic/exchange-app-only:ExchangeRoleGroupMember::exo-exchange-rbac-role-group-member`;
/** What an earlier version of this project wrote for `{ role: View-Only Configuration }`: a direct assignment. */
const LEGACY_URN = `${PARENT}$pulumi-nodejs:dynamic/exchange-app-only:ExchangeManagementRoleAssignment::exo-exchange-rbac-role-view-only-configuration`;

let emu: TenantEmulator;
let deployer: Identity;
let app: Identity;
const cleanup: string[] = [];

beforeAll(async () => {
  emu = await startEmulator();
  deployer = createIdentity(emu, { displayName: "pipeline", roleTemplateId: EXCHANGE_ADMINISTRATOR });
  app = createIdentity(emu, { tenantId: deployer.tenantId, displayName: "reporting", roleTemplateId: "none" });
});
afterAll(async () => {
  await emu.close();
  for (const dir of cleanup) rmSync(resolve(dir, ".."), { recursive: true, force: true });
});

/** The deploying identity as a pipeline sets it for the azuread provider, and the tests' emulator overrides. */
function hostEnv(secret = deployer.clientSecret!): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  return { ...env, NODE_EXTRA_CA_CERTS: emu.caFile, ARM_CLIENT_ID: deployer.clientId, ARM_CLIENT_SECRET: secret, ARM_TENANT_ID: deployer.tenantId, AZURE_AUTHORITY_HOST: emu.url, EXO_APP_ONLY_TEST_EXCHANGE_URL: emu.url };
}

function runner(label: string): string {
  const dir = checkout(label);
  cleanup.push(dir);
  return dir;
}

const providers = (project: string) => ({
  sp: serializedProvider(project, `const { ExchangeServicePrincipal } = require("./dist/components/exchangeRbac");
new ExchangeServicePrincipal("sp", { tenantId: "t", environment: "public", appId: "a", objectId: "o", displayName: "d" });`),
  group: serializedProvider(project, `const { ExchangeRoleGroup } = require("./dist/components/exchangeRbac");
new ExchangeRoleGroup("group", { tenantId: "t", environment: "public", name: "n", roles: ["r"], description: "d" });`),
  member: serializedProvider(project, `const { ExchangeRoleGroupMember } = require("./dist/components/exchangeRbac");
new ExchangeRoleGroupMember("member", { tenantId: "t", environment: "public", appId: "a", servicePrincipalObjectId: "o", roleGroup: "g" });`),
  legacy: serializedProvider(project, `const { ExchangeManagementRoleAssignment } = require("./dist/components/exchangeRbac");
new ExchangeManagementRoleAssignment("role", { tenantId: "t", environment: "public", appId: "a", servicePrincipalObjectId: "o", role: "r" });`),
});

const spInputs = (provider: string): Props => ({ __provider: provider, tenantId: deployer.tenantId, environment: "public", appId: app.clientId, objectId: app.servicePrincipalObjectId, displayName: "reporting", propagationTimeout: "30s" });
const groupName = () => `exo-app-only ${app.clientId}`;
const groupInputs = (provider: string, roles = ["View-Only Configuration"]): Props => ({ __provider: provider, tenantId: deployer.tenantId, environment: "public", name: groupName(), roles, description: "reporting", propagationTimeout: "30s" });
const memberInputs = (provider: string): Props => ({ __provider: provider, tenantId: deployer.tenantId, environment: "public", appId: app.clientId, servicePrincipalObjectId: app.servicePrincipalObjectId, roleGroup: groupName(), propagationTimeout: "30s" });

function expectNoSecret(text: string): void {
  expect(text).not.toContain(deployer.clientSecret!);
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{4,}\./);
}

test("up on one runner; refresh (with drift), import and destroy on another, after the first is gone; an earlier version's direct assignment deletes", async () => {
  const runnerA = runner("rbac-a");
  const a = providers(runnerA);
  // The shim names the library by its project-relative path (the host's folder) and by the build that created it.
  expect(a.group).toContain(join(runnerA, "dist", "src", "exchangeRbac", "provider.js"));
  const hostA = await Host.start(runnerA, hostEnv());
  let sp: { id: string; state: Props };
  let group: { id: string; state: Props };
  let member: { id: string; state: Props };
  try {
    await hostA.configure();
    const spChecked = await hostA.check(SP_URN, {}, spInputs(a.sp));
    expect(spChecked.failures).toEqual([]);
    sp = await hostA.create(SP_URN, spChecked.inputs);
    group = await hostA.create(GROUP_URN, (await hostA.check(GROUP_URN, {}, groupInputs(a.group))).inputs);
    member = await hostA.create(MEMBER_URN, (await hostA.check(MEMBER_URN, {}, memberInputs(a.member))).inputs);
    expectNoSecret(hostA.log);
  } finally {
    await hostA.stop();
  }
  expect(sp.id).toBe(`${deployer.tenantId}/${app.clientId}`);
  expect(group.state).toMatchObject({ name: groupName(), roles: ["View-Only Configuration"], __provider: a.group });
  expect(member.state).toMatchObject({ roleGroup: groupName(), servicePrincipalObjectId: app.servicePrincipalObjectId, __provider: a.member });
  expect(emu.exchangeRbac.managementRoles(deployer.tenantId, app.servicePrincipalObjectId)).toEqual(new Set(["View-Only Configuration"]));
  // The state the engine keeps: names and ids, the provider's text; no secret, no token.
  expectNoSecret(JSON.stringify([sp.state, group.state, member.state]));

  // An earlier version made a direct assignment of an admin role; its state carries the old provider's export name.
  const legacyName = "View-Only Configuration-1a2b3c4d";
  emu.exchangeRbac.addRoleAssignment(deployer.tenantId, { app: app.servicePrincipalObjectId, role: "View-Only Configuration", name: legacyName });
  const legacy = { id: `${deployer.tenantId}/${legacyName}`, state: { __provider: a.legacy, tenantId: deployer.tenantId, environment: "public", appId: app.clientId, role: "View-Only Configuration", identity: legacyName } as Props };

  rmSync(resolve(runnerA, ".."), { recursive: true, force: true });
  const runnerB = runner("rbac-b");
  const b = providers(runnerB);
  const hostB = await Host.start(runnerB, hostEnv());
  try {
    await hostB.configure();
    // pulumi refresh with runner A's provider text: read through runner B's library, nothing changed.
    expect(await hostB.read(GROUP_URN, group.id, group.state, groupInputs(a.group))).toEqual(group);
    expect(await hostB.read(MEMBER_URN, member.id, member.state, memberInputs(a.member))).toEqual(member);
    // pulumi up with the same stack: no diff; a role more is an update in place, not a replacement.
    expect((await hostB.diff(GROUP_URN, group.id, group.state, groupInputs(b.group))).changes).toBe(false);
    expect(await hostB.diff(GROUP_URN, group.id, group.state, groupInputs(b.group, ["View-Only Configuration", "View-Only Recipients"]))).toMatchObject({ changes: true, replaces: [] });

    // Someone removes the membership by hand: refresh reads it as gone (an empty id), up adds it again.
    emu.exchangeRbac.removeRoleGroupMember(deployer.tenantId, groupName(), app.servicePrincipalObjectId);
    expect((await hostB.read(MEMBER_URN, member.id, member.state, memberInputs(a.member))).id).toBe("");
    const recreated = await hostB.create(MEMBER_URN, memberInputs(b.member));
    expect(recreated.id).toBe(member.id);

    // Import: the engine sends only the id and the program's inputs; the state comes from Exchange.
    const imported = await hostB.read(GROUP_URN, group.id, {}, groupInputs(b.group));
    expect(imported.state).toMatchObject({ name: groupName(), roles: ["View-Only Configuration"], description: "reporting" });

    // The next up of such a stack: the new grants exist (above), then the old assignment is deleted, from its state.
    await hostB.remove(LEGACY_URN, legacy.id, legacy.state);
    expect(emu.exchangeRbac.roleAssignments(deployer.tenantId).filter((x) => x.app === app.servicePrincipalObjectId)).toEqual([]);
    expect(emu.exchangeRbac.managementRoles(deployer.tenantId, app.servicePrincipalObjectId)).toEqual(new Set(["View-Only Configuration"]));

    // pulumi destroy of the state written on A: the membership, the group, then the principal; a second delete is fine.
    await hostB.remove(MEMBER_URN, member.id, member.state);
    await hostB.remove(GROUP_URN, group.id, group.state);
    await hostB.remove(SP_URN, sp.id, sp.state);
    await hostB.remove(GROUP_URN, group.id, group.state);
    expect(emu.exchangeRbac.roleGroups(deployer.tenantId).map((g) => g.name)).not.toContain(groupName());
    expect(emu.exchangeRbac.servicePrincipals(deployer.tenantId).map((x) => x.appId)).not.toContain(app.clientId);
    expectNoSecret(hostB.log);
  } finally {
    await hostB.stop();
  }
});

test("Exchange's refusal fails Create over gRPC with its text and the fix; a bad secret never shows", async () => {
  const project = runner("rbac-c");
  const p = providers(project);
  const host = await Host.start(project, hostEnv());
  try {
    await host.configure();
    emu.exchangeRbac.addServicePrincipal(deployer.tenantId, { appId: app.clientId, objectId: app.servicePrincipalObjectId, displayName: "reporting" });
    const failure = await host.create(GROUP_URN, groupInputs(p.group, ["View Only Configuraton"])).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(failure?.message).toMatch(/ExchangeRoleGroup: New-RoleGroup .* couldn't be found/);
    expect(failure?.message).toMatch(/Check the role's name "View Only Configuraton" in exchangeRoles/);
    expectNoSecret(failure!.message);
    // Bad input is refused per property before anything runs.
    const checked = await host.check(GROUP_URN, {}, { ...groupInputs(p.group), tenantId: "contoso" });
    expect(checked.failures).toEqual([{ property: "tenantId", reason: expect.stringMatching(/tenantId "contoso" is not a GUID/) }]);
  } finally {
    await host.stop();
  }
  const wrong = "not-the-secret-value-98765";
  const badHost = await Host.start(project, hostEnv(wrong));
  try {
    await badHost.configure();
    const failure = await badHost.create(SP_URN, spInputs(p.sp)).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(failure?.message).toMatch(/ExchangeServicePrincipal: cannot sign in to tenant .* AADSTS7000215/);
    expect(failure?.message).not.toContain(wrong);
    expect(badHost.log).not.toContain(wrong);
  } finally {
    await badHost.stop();
  }
  emu.exchangeRbac.removeServicePrincipal(deployer.tenantId, app.servicePrincipalObjectId);
});
