/**
 * The Exchange RBAC provider (src/exchangeRbac) against the tenant emulator's Exchange RBAC: the deploying identity
 * is an emulated app with Exchange Administrator signing in through @azure/identity (ARM_CLIENT_ID/SECRET, the
 * emulator as authority host), cmdlets go to the emulator's InvokeCommand. Nothing reaches Microsoft.
 */
import { startEmulator, type TenantEmulator } from "../emulator";
import { createIdentity, EXCHANGE_ADMINISTRATOR, type Identity } from "../emulator/scenario";
import { EXCHANGE_ROLES } from "../../src/facts";
import { ExchangeRbacError, makeExchangeRbacProviders, TEST_EXCHANGE_URL_VARIABLE, type ExchangeRbacProviders, type SessionDeps } from "../../src/exchangeRbac";

const RECIPIENT_ADMINISTRATOR = EXCHANGE_ROLES.find((r) => r.name === "Exchange Recipient Administrator")!.templateId;

let emu: TenantEmulator;
let deployer: Identity;
let app: Identity;
let progress: string[];
let providers: ExchangeRbacProviders;

function deps(identity: Identity, extra: Partial<SessionDeps> = {}): SessionDeps {
  return {
    env: { ARM_CLIENT_ID: identity.clientId, ARM_CLIENT_SECRET: identity.clientSecret!, AZURE_AUTHORITY_HOST: emu.url, [TEST_EXCHANGE_URL_VARIABLE]: emu.url },
    ca: emu.caPem,
    progress: (line) => progress.push(line),
    ...extra,
  };
}

beforeAll(async () => {
  emu = await startEmulator();
  deployer = createIdentity(emu, { displayName: "pipeline", roleTemplateId: EXCHANGE_ADMINISTRATOR });
  providers = makeExchangeRbacProviders(deps(deployer));
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  progress = [];
  // The app the stack grants: its own principal, no directory role (least privilege).
  app = createIdentity(emu, { tenantId: deployer.tenantId, displayName: `reporting-${Math.random().toString(36).slice(2, 8)}`, roleTemplateId: "none" });
});

const rbac = () => emu.exchangeRbac;
const spInputs = () => ({ tenantId: deployer.tenantId, environment: "public" as const, appId: app.clientId, objectId: app.servicePrincipalObjectId, displayName: "reporting" });
const roleInputs = (role: string, scope: { customResourceScope?: string; recipientAdministrativeUnitScope?: string } = {}) => ({
  tenantId: deployer.tenantId,
  environment: "public" as const,
  appId: app.clientId,
  role,
  ...scope,
});

/** A create's result with its outputs (the provider always returns them). */
function made<O>(result: { id: string; outs?: O }): { id: string; outs: O } {
  expect(result.outs).toBeDefined();
  return { id: result.id, outs: result.outs! };
}

/** Nothing a provider returns or throws holds a token or a secret. */
function expectNoSecret(value: unknown): void {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{4,}\./);
  expect(text).not.toContain(deployer.clientSecret!);
}

async function failure(promise: Promise<unknown>): Promise<ExchangeRbacError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExchangeRbacError);
  expectNoSecret(`${(error as Error).message}\n${(error as ExchangeRbacError).remedy}`);
  return error as ExchangeRbacError;
}

test("the service principal: registered in Exchange with the app's ids, read back, deleted exactly", async () => {
  const sp = providers.servicePrincipal;
  const created = made(await sp.create(spInputs()));
  expect(created.id).toBe(`${deployer.tenantId}/${app.clientId}`);
  expect(created.outs).toEqual({ ...spInputs(), identity: app.servicePrincipalObjectId });
  expect(rbac().servicePrincipals(deployer.tenantId)).toEqual(expect.arrayContaining([expect.objectContaining({ appId: app.clientId, objectId: app.servicePrincipalObjectId, displayName: "reporting" })]));
  expectNoSecret(created);

  expect(await sp.read!(created.id, created.outs)).toEqual({ id: created.id, props: created.outs });
  expect(await sp.diff!(created.id, created.outs, spInputs())).toMatchObject({ changes: false });
  // Another principal replaces it, the old one first (Exchange holds one per app); a new label does not.
  expect(await sp.diff!(created.id, created.outs, { ...spInputs(), objectId: "11111111-2222-4333-8444-555555555555" })).toEqual({ changes: true, replaces: ["objectId"], deleteBeforeReplace: true });
  expect(await sp.diff!(created.id, created.outs, { ...spInputs(), displayName: "reporting v2" })).toMatchObject({ changes: false });

  await sp.delete!(created.id, created.outs);
  expect(rbac().servicePrincipals(deployer.tenantId).map((p) => p.appId)).not.toContain(app.clientId);
  // Gone: read says so (refresh drops it), and a second delete succeeds.
  expect(await sp.read!(created.id, created.outs)).toEqual({ id: "" });
  await expect(sp.delete!(created.id, created.outs)).resolves.toBeUndefined();
});

test("a role assignment: created for the app's principal, drift after a hand removal shows as gone, recreated, deleted exactly", async () => {
  await providers.servicePrincipal.create(spInputs());
  const ra = providers.managementRoleAssignment;
  const created = made(await ra.create(roleInputs("View-Only Configuration")));
  const name = created.outs.identity;
  expect(created.id).toBe(`${deployer.tenantId}/${name}`);
  expect(name).toMatch(/^View-Only Configuration-[0-9a-f]{8}$/);
  expect(created.outs).toMatchObject({ appId: app.clientId, role: "View-Only Configuration", servicePrincipalObjectId: app.servicePrincipalObjectId });
  expect(rbac().roleAssignments(deployer.tenantId).find((a) => a.name === name)).toMatchObject({ role: "View-Only Configuration", app: app.servicePrincipalObjectId });
  expect(rbac().managementRoles(deployer.tenantId, app.servicePrincipalObjectId)).toEqual(new Set(["View-Only Configuration"]));

  expect(await ra.read!(created.id, created.outs)).toEqual({ id: created.id, props: created.outs });
  expect(await ra.diff!(created.id, created.outs, roleInputs("View-Only Configuration"))).toMatchObject({ changes: false });
  expect(await ra.diff!(created.id, created.outs, roleInputs("Mail Recipients"))).toEqual({ changes: true, replaces: ["role"], deleteBeforeReplace: false });

  // Someone removes it by hand: refresh reads it as gone, and up creates it again under the same name.
  rbac().removeRoleAssignment(deployer.tenantId, name);
  expect(await ra.read!(created.id, created.outs)).toEqual({ id: "" });
  const again = made(await ra.create(roleInputs("View-Only Configuration")));
  expect(again.id).toBe(created.id);

  // Another assignment of the same principal, made by hand, survives our delete.
  rbac().addRoleAssignment(deployer.tenantId, { app: app.servicePrincipalObjectId, role: "Mail Recipients", name: "by-hand" });
  await ra.delete!(again.id, again.outs);
  expect(rbac().roleAssignments(deployer.tenantId).filter((a) => a.app === app.servicePrincipalObjectId).map((a) => a.name)).toEqual(["by-hand"]);
  await expect(ra.delete!(again.id, again.outs)).resolves.toBeUndefined();
});

test("scoped assignments: a management scope and an administrative unit are two assignments of one role, each read back", async () => {
  await providers.servicePrincipal.create(spInputs());
  rbac().addManagementScope(deployer.tenantId, "Sales mailboxes");
  const unit = rbac().addAdministrativeUnit(deployer.tenantId).toUpperCase();
  const ra = providers.managementRoleAssignment;
  const byScope = made(await ra.create(roleInputs("Mail Recipients", { customResourceScope: "Sales mailboxes" })));
  const byUnit = made(await ra.create(roleInputs("Mail Recipients", { recipientAdministrativeUnitScope: unit })));
  expect(byScope.id).not.toBe(byUnit.id);
  const mine = rbac().roleAssignments(deployer.tenantId).filter((a) => a.app === app.servicePrincipalObjectId);
  expect(mine).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ role: "Mail Recipients", customResourceScope: "Sales mailboxes" }),
      expect.objectContaining({ role: "Mail Recipients", recipientAdministrativeUnitScope: unit.toLowerCase() }),
    ]),
  );
  // Exchange spells the unit in lower case; the state keeps the stack's spelling, so a refresh shows no change.
  const read = await ra.read!(byUnit.id, byUnit.outs);
  expect(read.props).toEqual(byUnit.outs);
  expect(await ra.diff!(byUnit.id, read.props!, roleInputs("Mail Recipients", { recipientAdministrativeUnitScope: unit }))).toMatchObject({ changes: false });
  expect(await ra.diff!(byUnit.id, read.props!, roleInputs("Mail Recipients", { customResourceScope: "Sales mailboxes" }))).toMatchObject({ changes: true, replaces: ["customResourceScope", "recipientAdministrativeUnitScope"] });
});

test("a role group membership: added, read, a hand removal reads as gone, delete of a gone membership succeeds", async () => {
  await providers.servicePrincipal.create(spInputs());
  const rgm = providers.roleGroupMember;
  const inputs = { tenantId: deployer.tenantId, environment: "public" as const, appId: app.clientId, roleGroup: "View-Only Organization Management" };
  const created = made(await rgm.create(inputs));
  expect(created.id).toBe(`${deployer.tenantId}/${app.clientId}/View-Only Organization Management`);
  expect(rbac().roleGroupMembers(deployer.tenantId, "View-Only Organization Management")).toContain(app.servicePrincipalObjectId);
  expect(await rgm.read!(created.id, created.outs)).toEqual({ id: created.id, props: created.outs });
  rbac().removeRoleGroupMember(deployer.tenantId, "View-Only Organization Management", app.servicePrincipalObjectId);
  expect(await rgm.read!(created.id, created.outs)).toEqual({ id: "" });
  await expect(rgm.delete!(created.id, created.outs)).resolves.toBeUndefined();
  const again = made(await rgm.create(inputs));
  await rgm.delete!(again.id, again.outs);
  expect(rbac().roleGroupMembers(deployer.tenantId, "View-Only Organization Management")).not.toContain(app.servicePrincipalObjectId);
});

test("import: each resource reads back from its id alone (no prior state)", async () => {
  rbac().addServicePrincipal(deployer.tenantId, { appId: app.clientId, objectId: app.servicePrincipalObjectId, displayName: "made by hand" });
  const assignment = rbac().addRoleAssignment(deployer.tenantId, { app: app.servicePrincipalObjectId, role: "View-Only Configuration", name: "View-Only Configuration-made-by-hand" });
  rbac().addRoleGroupMember(deployer.tenantId, "Help Desk", app.clientId);

  const sp = await providers.servicePrincipal.read!(`${deployer.tenantId}/${app.clientId}`, {} as never);
  expect(sp).toEqual({ id: `${deployer.tenantId}/${app.clientId}`, props: { ...spInputs(), displayName: "made by hand", identity: app.servicePrincipalObjectId } });

  const ra = await providers.managementRoleAssignment.read!(`${deployer.tenantId}/${assignment.name}`, {} as never);
  expect(ra.props).toEqual({ ...roleInputs("View-Only Configuration"), identity: assignment.name, servicePrincipalObjectId: app.servicePrincipalObjectId });
  // The stack's inputs match what was imported: no replacement on the next up.
  expect(await providers.managementRoleAssignment.diff!(ra.id!, ra.props!, roleInputs("View-Only Configuration"))).toMatchObject({ changes: false });

  const member = await providers.roleGroupMember.read!(`${deployer.tenantId}/${app.clientId}/Help Desk`, {} as never);
  expect(member.props).toEqual({ tenantId: deployer.tenantId, environment: "public", appId: app.clientId, roleGroup: "Help Desk" });

  // A malformed import id is refused with its form.
  await expect(providers.managementRoleAssignment.read!("not-a-tenant/x", {} as never)).rejects.toThrow(/import id "not-a-tenant\/x" does not start with the tenant id/);
  const noGroup = await failure(providers.roleGroupMember.read!(`${deployer.tenantId}/${app.clientId}`, {} as never));
  expect(noGroup.message).toMatch(/names no role group after the app's client id/);
  expect(noGroup.remedy).toMatch(/^Write it as <tenantId>\/<appId>\/<role group>, for example /);
});

test("Exchange's errors come with Exchange's text and a fix, never a token", async () => {
  await providers.servicePrincipal.create(spInputs());

  const role = await failure(providers.managementRoleAssignment.create(roleInputs("View Only Configuraton")));
  expect(role.code).toBe("ERR_NOT_FOUND");
  expect(role.message).toMatch(/New-ManagementRoleAssignment .* failed \(404\): "The operation couldn't be performed because object 'View Only Configuraton' couldn't be found/);
  expect(role.remedy).toMatch(/Check the role's name "View Only Configuraton" in exchangeRoles/);

  const scope = await failure(providers.managementRoleAssignment.create(roleInputs("Mail Recipients", { customResourceScope: "No such scope" })));
  expect(scope.remedy).toMatch(/Create the management scope "No such scope" first/);

  const group = await failure(providers.roleGroupMember.create({ tenantId: deployer.tenantId, environment: "public", appId: app.clientId, roleGroup: "Reporting Admins" }));
  expect(group.remedy).toMatch(/Check the role group's name "Reporting Admins"/);

  // Already there and not ours: adopt it by its import id rather than claim it.
  const exists = await failure(providers.servicePrincipal.create(spInputs()));
  expect(exists.code).toBe("ERR_EXISTS");
  expect(exists.remedy).toContain(`import id ${deployer.tenantId}/${app.clientId}`);

  // A deploying identity without Organization Management: Exchange's refusal, and who may do it.
  const weak = createIdentity(emu, { tenantId: deployer.tenantId, displayName: "weak-pipeline", roleTemplateId: RECIPIENT_ADMINISTRATOR });
  const weakProviders = makeExchangeRbacProviders(deps(weak));
  const refused = await failure(weakProviders.managementRoleAssignment.create(roleInputs("View-Only Configuration")));
  expect(refused.code).toBe("ERR_NOT_ORGANIZATION_MANAGEMENT");
  expect(refused.message).toMatch(/User is not allowed to call New-ManagementRoleAssignment/);
  expect(refused.remedy).toMatch(/Exchange Administrator or Global Administrator/);
  expectNoSecret(refused);
  expect(`${refused.message}${refused.remedy}`).not.toContain(weak.clientSecret!);

  // A secret Entra refuses: the sign-in fails with the fix, the secret never echoed.
  const badSecret = makeExchangeRbacProviders({ ...deps(deployer), env: { ...deps(deployer).env, ARM_CLIENT_SECRET: "not-the-secret-123456" } });
  const signIn = await failure(badSecret.servicePrincipal.read!(`${deployer.tenantId}/${app.clientId}`, {} as never));
  expect(signIn.code).toBe("ERR_SIGN_IN");
  expect(signIn.message).toMatch(/AADSTS7000215/);
  expect(signIn.message).not.toContain("not-the-secret-123456");
});

test("propagation: New-ServicePrincipal's 'not found' is retried with progress lines, within the timeout", async () => {
  let clock = 1_000_000;
  const timed = makeExchangeRbacProviders(deps(deployer, { now: () => clock, sleep: async (ms) => void (clock += ms), random: () => 0 }));
  const notYet = { error: { code: "NotFound", message: `The operation couldn't be performed because object '${app.servicePrincipalObjectId}' couldn't be found on 'AAD'.` } };
  emu.faults.inject({ kind: "invoke", times: 2, status: 404, body: notYet });
  const created = made(await timed.servicePrincipal.create({ ...spInputs(), propagationTimeout: "2m" }));
  expect(created.outs.identity).toBe(app.servicePrincipalObjectId);
  expect(progress).toHaveLength(2);
  expect(progress[0]).toMatch(new RegExp(`^New-ServicePrincipal: waiting for Exchange to see service principal ${app.servicePrincipalObjectId}; attempt 1 failed, retrying in 1 s \\(120 s left\\)$`));

  // Past the timeout: a propagation error that says what it waited for, and what to do.
  const other = createIdentity(emu, { tenantId: deployer.tenantId, roleTemplateId: "none" });
  emu.faults.inject({ kind: "invoke", times: 100, status: 404, body: notYet });
  const late = await failure(timed.servicePrincipal.create({ ...spInputs(), appId: other.clientId, objectId: other.servicePrincipalObjectId, propagationTimeout: "5s" }));
  emu.faults.clear();
  expect(late.code).toBe("ERR_PROPAGATION");
  expect(late.message).toMatch(/still after \d+ s of waiting for Exchange to see service principal/);
  expect(late.remedy).toMatch(/run `pulumi up` again in a few minutes/);
});

test("throttling: a 429 is retried after its Retry-After; an unknown role is not retried at all", async () => {
  let clock = 5_000_000;
  const slept: number[] = [];
  const timed = makeExchangeRbacProviders(deps(deployer, { now: () => clock, sleep: async (ms) => void (slept.push(ms), (clock += ms)), random: () => 0 }));
  await timed.servicePrincipal.create(spInputs());
  emu.faults.inject({ kind: "invoke", retryAfterSeconds: 7 });
  const created = made(await timed.managementRoleAssignment.create(roleInputs("View-Only Recipients")));
  expect(created.outs.role).toBe("View-Only Recipients");
  expect(slept).toEqual([7000]);
  const before = emu.requests.filter((r) => r.kind === "invoke").length;
  await failure(timed.managementRoleAssignment.create(roleInputs("No Such Role")));
  expect(emu.requests.filter((r) => r.kind === "invoke").length - before).toBe(1);
});

test("check refuses bad inputs per property before anything runs", async () => {
  const result = await providers.managementRoleAssignment.check!({} as never, { tenantId: "contoso", environment: "mars" as never, appId: "x", role: "", customResourceScope: "a", recipientAdministrativeUnitScope: "b", propagationTimeout: "soon" });
  expect(result.failures!.map((f) => f.property).sort()).toEqual(["appId", "customResourceScope", "environment", "propagationTimeout", "role", "tenantId"]);
});
