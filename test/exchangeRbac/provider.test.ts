/**
 * The Exchange RBAC provider (src/exchangeRbac) against the tenant emulator's Exchange RBAC: the deploying identity
 * is an emulated app with Exchange Administrator signing in through @azure/identity (ARM_CLIENT_ID/SECRET, the
 * emulator as authority host), cmdlets go to the emulator's InvokeCommand. Nothing reaches Microsoft.
 */
import { startEmulator, type TenantEmulator } from "../emulator";
import { createIdentity, EXCHANGE_ADMINISTRATOR, type Identity } from "../emulator/scenario";
import { EXCHANGE_ROLES } from "../../src/facts";
import { HttpTransport } from "../../src/net/http";
import { ExchangeRbacError, makeExchangeRbacProviders, ownRoleGroupDescription, ownRoleGroupName, TEST_EXCHANGE_URL_VARIABLE, type ExchangeRbacProviders, type SessionDeps } from "../../src/exchangeRbac";

const RECIPIENT_ADMINISTRATOR = EXCHANGE_ROLES.find((r) => r.name === "Exchange Recipient Administrator")!.templateId;

let emu: TenantEmulator;
let deployer: Identity;
let app: Identity;
let progress: string[];
let providers: ExchangeRbacProviders;
/** Every cmdlet the providers sent, as sent (recorded on the way out, through the real HTTP transport). */
let sent: { CmdletName: string; Parameters: Record<string, unknown> }[] = [];

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
  providers = makeExchangeRbacProviders(
    deps(deployer, {
      transport: (deadline) => {
        const http = new HttpTransport({ ca: emu.caPem, deadline, requestTimeoutMs: 60_000 });
        return {
          request: (method, url, headers, body) => {
            if (body) sent.push(JSON.parse(body).CmdletInput);
            return http.request(method, url, headers, body);
          },
        };
      },
    }),
  );
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  progress = [];
  sent = [];
  // The app the stack grants: its own principal, no directory role (least privilege).
  app = createIdentity(emu, { tenantId: deployer.tenantId, displayName: `reporting-${Math.random().toString(36).slice(2, 8)}`, roleTemplateId: "none" });
});

const rbac = () => emu.exchangeRbac;
const spInputs = () => ({ tenantId: deployer.tenantId, environment: "public" as const, appId: app.clientId, objectId: app.servicePrincipalObjectId, displayName: "reporting" });
const roleInputs = (role: string, scope: { customResourceScope?: string; recipientAdministrativeUnitScope?: string } = {}) => ({
  tenantId: deployer.tenantId,
  environment: "public" as const,
  appId: app.clientId,
  servicePrincipalObjectId: app.servicePrincipalObjectId,
  role,
  ...scope,
});

const created = (r: { id: string }) => r.id;

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

const groupInputs = (roles: string[], scope: { customRecipientWriteScope?: string; recipientAdministrativeUnitScope?: string } = {}) => ({
  tenantId: deployer.tenantId,
  environment: "public" as const,
  name: ownRoleGroupName(app.clientId, scope),
  roles,
  ...scope,
  description: ownRoleGroupDescription("reporting", app.clientId, scope),
});
const memberInputs = (roleGroup: string) => ({ tenantId: deployer.tenantId, environment: "public" as const, appId: app.clientId, servicePrincipalObjectId: app.servicePrincipalObjectId, roleGroup });

test("the documented path: a custom role group with the roles, the app's principal added by its ObjectId; the app may run what the roles allow", async () => {
  await providers.servicePrincipal.create(spInputs());
  const group = made(await providers.roleGroup.create(groupInputs(["View-Only Recipients", "View-Only Configuration"])));
  const name = `exo-app-only ${app.clientId}`;
  expect(created(group)).toBe(`${deployer.tenantId}/${name}`);
  expect(group.outs).toMatchObject({ name, roles: ["View-Only Recipients", "View-Only Configuration"], identity: name, description: expect.stringContaining(`app ${app.clientId}`) });
  expect(rbac().roleGroups(deployer.tenantId).find((g) => g.name === name)).toMatchObject({ roles: ["View-Only Recipients", "View-Only Configuration"], description: group.outs.description });
  // A group alone grants nothing: only its members hold its roles.
  expect(rbac().managementRoles(deployer.tenantId, app.servicePrincipalObjectId)).toEqual(new Set());

  const member = made(await providers.roleGroupMember.create(memberInputs(name)));
  expect(member.id).toBe(`${deployer.tenantId}/${app.clientId}/${name}`);
  // -Member is the principal's ObjectId (the app-only article's $SP.ObjectId), not the app id.
  const add = sent.filter((c) => c.CmdletName === "Add-RoleGroupMember").at(-1)!;
  expect(add.Parameters).toEqual({ Identity: name, Member: app.servicePrincipalObjectId, BypassSecurityGroupManagerCheck: true });
  expect(rbac().roleGroupMembers(deployer.tenantId, name)).toEqual([app.servicePrincipalObjectId]);
  expect(rbac().managementRoles(deployer.tenantId, app.servicePrincipalObjectId)).toEqual(new Set(["View-Only Recipients", "View-Only Configuration"]));

  expect(await providers.roleGroup.read!(group.id, group.outs)).toEqual({ id: group.id, props: group.outs });
  expect(await providers.roleGroupMember.read!(member.id, member.outs)).toEqual({ id: member.id, props: member.outs });
  expect(await providers.roleGroup.diff!(group.id, group.outs, groupInputs(["View-Only Configuration", "view-only recipients"]))).toMatchObject({ changes: false });

  // Delete: the membership, then the group (with its assignments); each one already gone is deleted.
  await providers.roleGroupMember.delete!(member.id, member.outs);
  await providers.roleGroup.delete!(group.id, group.outs);
  expect(rbac().roleGroups(deployer.tenantId).map((g) => g.name)).not.toContain(name);
  expect(rbac().roleAssignments(deployer.tenantId).filter((a) => a.roleGroup === name)).toEqual([]);
  expect(await providers.roleGroup.read!(group.id, group.outs)).toEqual({ id: "" });
  await expect(providers.roleGroup.delete!(group.id, group.outs)).resolves.toBeUndefined();
  await expect(providers.roleGroupMember.delete!(member.id, member.outs)).resolves.toBeUndefined();
});

test("roles change in place (additions first), the description with Set-RoleGroup; a role removed by hand is drift", async () => {
  await providers.servicePrincipal.create(spInputs());
  const rg = providers.roleGroup;
  const group = made(await rg.create(groupInputs(["View-Only Configuration"])));
  const wider = groupInputs(["View-Only Configuration", "Mail Recipients"]);
  expect(await rg.diff!(group.id, group.outs, wider)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  sent = [];
  const updated = await rg.update!(group.id, group.outs, wider);
  expect(updated.outs).toMatchObject({ roles: ["View-Only Configuration", "Mail Recipients"] });
  const narrower = { ...groupInputs(["Mail Recipients"]), description: "relabelled" };
  const again = await rg.update!(group.id, updated.outs!, narrower);
  const cmdlets = sent;
  expect(cmdlets.map((c) => c.CmdletName)).toEqual(["New-ManagementRoleAssignment", "Get-ManagementRoleAssignment", "Remove-ManagementRoleAssignment", "Set-RoleGroup"]);
  expect(cmdlets[0]!.Parameters).toEqual({ Name: expect.stringMatching(/^Mail Recipients-[0-9a-f]{8}$/), SecurityGroup: group.outs.name, Role: "Mail Recipients" });
  expect(cmdlets[3]!.Parameters).toEqual({ Identity: group.outs.name, Description: "relabelled", BypassSecurityGroupManagerCheck: true });
  expect(rbac().roleGroups(deployer.tenantId).find((g) => g.name === group.outs.name)).toMatchObject({ roles: ["Mail Recipients"], description: "relabelled" });

  // Someone removes the role by hand: refresh shows the group without it, and up gives it back.
  const assignment = rbac().roleAssignments(deployer.tenantId).find((a) => a.roleGroup === group.outs.name)!;
  rbac().removeRoleAssignment(deployer.tenantId, assignment.name);
  const read = await rg.read!(group.id, again.outs!);
  expect(read.props).toMatchObject({ roles: [] });
  expect(await rg.diff!(group.id, read.props!, narrower)).toMatchObject({ changes: true, replaces: [] });
  // Another scope is another group: replaced, the new one first (its name differs).
  rbac().addManagementScope(deployer.tenantId, "Sales mailboxes");
  const scoped = groupInputs(["Mail Recipients"], { customRecipientWriteScope: "Sales mailboxes" });
  expect(await rg.diff!(group.id, again.outs!, scoped)).toEqual({ changes: true, replaces: ["name", "customRecipientWriteScope"], deleteBeforeReplace: false });
});

test("scopes: a management scope goes to New-RoleGroup; an administrative unit to each role's assignment; each is read back", async () => {
  await providers.servicePrincipal.create(spInputs());
  rbac().addManagementScope(deployer.tenantId, "Sales mailboxes");
  const unit = rbac().addAdministrativeUnit(deployer.tenantId).toUpperCase();
  const rg = providers.roleGroup;
  sent = [];
  const byScope = made(await rg.create(groupInputs(["Mail Recipients"], { customRecipientWriteScope: "Sales mailboxes" })));
  const byUnit = made(await rg.create(groupInputs(["Mail Recipients", "View-Only Recipients"], { recipientAdministrativeUnitScope: unit })));
  expect(byScope.outs.name).toMatch(new RegExp(`^exo-app-only ${app.clientId} scope-[0-9a-f]{8}$`));
  expect(byUnit.outs.name).toMatch(new RegExp(`^exo-app-only ${app.clientId} au-[0-9a-f]{8}$`));
  expect(byUnit.outs.name.length).toBeLessThanOrEqual(64);
  // New-RoleGroup documents CustomRecipientWriteScope, and no administrative-unit parameter.
  expect(sent[0]).toEqual({ CmdletName: "New-RoleGroup", Parameters: { Name: byScope.outs.name, Description: byScope.outs.description, Roles: ["Mail Recipients"], CustomRecipientWriteScope: "Sales mailboxes" } });
  expect(sent[1]).toEqual({ CmdletName: "New-RoleGroup", Parameters: { Name: byUnit.outs.name, Description: byUnit.outs.description } });
  expect(sent.slice(2)).toEqual(["Mail Recipients", "View-Only Recipients"].map((Role) => ({ CmdletName: "New-ManagementRoleAssignment", Parameters: { Name: expect.stringMatching(/-[0-9a-f]{8}$/), SecurityGroup: byUnit.outs.name, Role, RecipientAdministrativeUnitScope: unit } })));
  expect(rbac().roleGroups(deployer.tenantId)).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ name: byScope.outs.name, customRecipientWriteScope: "Sales mailboxes" }),
      expect.objectContaining({ name: byUnit.outs.name, recipientAdministrativeUnitScope: unit.toLowerCase() }),
    ]),
  );
  // Exchange spells the unit in lower case; the state keeps the stack's spelling, so a refresh shows no change.
  const read = await rg.read!(byUnit.id, byUnit.outs);
  expect(read.props).toEqual(byUnit.outs);
  expect(await rg.diff!(byUnit.id, read.props!, groupInputs(["Mail Recipients", "View-Only Recipients"], { recipientAdministrativeUnitScope: unit }))).toMatchObject({ changes: false });

  // An unknown unit: the empty group is removed again, so the next up does not meet "already exists".
  const other = "0f0f0f0f-1111-4222-8333-444455556666";
  const failed = await failure(rg.create(groupInputs(["Mail Recipients"], { recipientAdministrativeUnitScope: other })));
  expect(failed.remedy).toMatch(/Check the administrative unit id "0f0f0f0f-1111-4222-8333-444455556666"/);
  expect(rbac().roleGroups(deployer.tenantId).map((g) => g.name)).not.toContain(ownRoleGroupName(app.clientId, { recipientAdministrativeUnitScope: other }));
});

test("a role group the tenant made is joined as it is; memberships written by earlier versions (app id only, a built-in group) refresh and delete", async () => {
  await providers.servicePrincipal.create(spInputs());
  rbac().addRoleGroup(deployer.tenantId, { name: "Contoso Reporting", roles: ["View-Only Configuration"] });
  const rgm = providers.roleGroupMember;
  const member = made(await rgm.create(memberInputs("Contoso Reporting")));
  expect(rbac().roleGroupMembers(deployer.tenantId, "Contoso Reporting")).toEqual([app.servicePrincipalObjectId]);
  rbac().removeRoleGroupMember(deployer.tenantId, "Contoso Reporting", app.servicePrincipalObjectId);
  expect(await rgm.read!(member.id, member.outs)).toEqual({ id: "" });
  await expect(rgm.delete!(member.id, member.outs)).resolves.toBeUndefined();

  // State of an earlier version: a built-in group, and no ObjectId (it passed the app id as -Member).
  rbac().addRoleGroupMember(deployer.tenantId, "View-Only Organization Management", app.servicePrincipalObjectId);
  const old = { tenantId: deployer.tenantId, environment: "public" as const, appId: app.clientId, roleGroup: "View-Only Organization Management" };
  const oldId = `${deployer.tenantId}/${app.clientId}/View-Only Organization Management`;
  expect(await rgm.read!(oldId, old)).toEqual({ id: oldId, props: { ...old, servicePrincipalObjectId: app.servicePrincipalObjectId } });
  await rgm.delete!(oldId, old);
  expect(rbac().roleGroupMembers(deployer.tenantId, "View-Only Organization Management")).toEqual([]);
});

test("check: a built-in role group is refused as a membership, naming its roles; an admin role is refused for a direct assignment", async () => {
  const builtIn = await providers.roleGroupMember.check!({} as never, memberInputs("Security Reader"));
  expect(builtIn.failures).toEqual([{ property: "roleGroup", reason: expect.stringMatching(/"Security Reader" is a built-in role group: Microsoft documents adding an app's service principal to custom role groups.*synchronized from Entra.*Put its roles \(Security Reader\) in an ExchangeRoleGroup/) }]);
  const noObjectId = await providers.roleGroupMember.check!({} as never, { ...memberInputs("Contoso Reporting"), servicePrincipalObjectId: app.clientId.slice(0, 8) });
  expect(noObjectId.failures!.map((f) => f.property)).toEqual(["servicePrincipalObjectId"]);
  const admin = await providers.managementRoleAssignment.check!({} as never, roleInputs("View-Only Configuration"));
  expect(admin.failures).toEqual([{ property: "role", reason: expect.stringMatching(/is not an application role: New-ManagementRoleAssignment -App takes application roles only/) }]);
  const group = await providers.roleGroup.check!({} as never, { ...groupInputs([]), name: "x".repeat(65), customRecipientWriteScope: "a", recipientAdministrativeUnitScope: "b" });
  expect(group.failures!.map((f) => f.property).sort()).toEqual(["customRecipientWriteScope", "name", "recipientAdministrativeUnitScope", "roles"]);
});

test("an application role, assigned straight to the principal's ObjectId (the reference's -App); an assignment of an earlier version deletes", async () => {
  await providers.servicePrincipal.create(spInputs());
  const ra = providers.managementRoleAssignment;
  const created = made(await ra.create(roleInputs("Application Mail.Read")));
  expect(created.outs).toMatchObject({ role: "Application Mail.Read", servicePrincipalObjectId: app.servicePrincipalObjectId, identity: expect.stringMatching(/^Application Mail\.Read-[0-9a-f]{8}$/) });
  expect(sent.filter((c) => c.CmdletName === "New-ManagementRoleAssignment").at(-1)!.Parameters).toMatchObject({ App: app.servicePrincipalObjectId, Role: "Application Mail.Read" });
  expect(await ra.read!(created.id, created.outs)).toEqual({ id: created.id, props: created.outs });
  await ra.delete!(created.id, created.outs);

  // Exchange's answer to an admin role with -App (modelled from the reference).
  const refused = await failure(ra.create(roleInputs("View-Only Configuration")));
  expect(refused.message).toMatch(/you can only specify application roles/);

  // An admin role assigned directly by an earlier version: read and delete by its name.
  const legacy = rbac().addRoleAssignment(deployer.tenantId, { app: app.servicePrincipalObjectId, role: "View-Only Configuration", name: "View-Only Configuration-1a2b3c4d" });
  const legacyId = `${deployer.tenantId}/${legacy.name}`;
  const state = { tenantId: deployer.tenantId, environment: "public" as const, appId: app.clientId, role: "View-Only Configuration", identity: legacy.name };
  expect((await ra.read!(legacyId, state)).props).toMatchObject({ role: "View-Only Configuration", servicePrincipalObjectId: app.servicePrincipalObjectId });
  await ra.delete!(legacyId, state);
  expect(rbac().roleAssignments(deployer.tenantId).filter((a) => a.app === app.servicePrincipalObjectId)).toEqual([]);
});

test("import: each resource reads back from its id alone (no prior state)", async () => {
  rbac().addServicePrincipal(deployer.tenantId, { appId: app.clientId, objectId: app.servicePrincipalObjectId, displayName: "made by hand" });
  const assignment = rbac().addRoleAssignment(deployer.tenantId, { app: app.servicePrincipalObjectId, role: "View-Only Configuration", name: "View-Only Configuration-made-by-hand" });
  rbac().addRoleGroup(deployer.tenantId, { name: ownRoleGroupName(app.clientId), roles: ["View-Only Configuration"], description: "made by hand" });
  rbac().addRoleGroupMember(deployer.tenantId, ownRoleGroupName(app.clientId), app.servicePrincipalObjectId);

  const sp = await providers.servicePrincipal.read!(`${deployer.tenantId}/${app.clientId}`, {} as never);
  expect(sp).toEqual({ id: `${deployer.tenantId}/${app.clientId}`, props: { ...spInputs(), displayName: "made by hand", identity: app.servicePrincipalObjectId } });

  const ra = await providers.managementRoleAssignment.read!(`${deployer.tenantId}/${assignment.name}`, {} as never);
  expect(ra.props).toEqual({ ...roleInputs("View-Only Configuration"), identity: assignment.name });
  // The stack's inputs match what was imported: no replacement on the next up.
  expect(await providers.managementRoleAssignment.diff!(ra.id!, ra.props!, roleInputs("View-Only Configuration"))).toMatchObject({ changes: false });

  const group = await providers.roleGroup.read!(`${deployer.tenantId}/${ownRoleGroupName(app.clientId)}`, {} as never);
  expect(group.props).toEqual({ tenantId: deployer.tenantId, environment: "public", name: ownRoleGroupName(app.clientId), roles: ["View-Only Configuration"], description: "made by hand", identity: ownRoleGroupName(app.clientId) });
  // Adopted with the stack's description: an update (Set-RoleGroup), not a replacement.
  expect(await providers.roleGroup.diff!(group.id!, group.props!, groupInputs(["View-Only Configuration"]))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });

  const member = await providers.roleGroupMember.read!(`${deployer.tenantId}/${app.clientId}/${ownRoleGroupName(app.clientId)}`, {} as never);
  expect(member.props).toEqual(memberInputs(ownRoleGroupName(app.clientId)));

  // A malformed import id is refused with its form.
  await expect(providers.managementRoleAssignment.read!("not-a-tenant/x", {} as never)).rejects.toThrow(/import id "not-a-tenant\/x" does not start with the tenant id/);
  const noGroup = await failure(providers.roleGroupMember.read!(`${deployer.tenantId}/${app.clientId}`, {} as never));
  expect(noGroup.message).toMatch(/names no role group after the app's client id/);
  expect(noGroup.remedy).toMatch(/^Write it as <tenantId>\/<appId>\/<role group>, for example /);
});

test("Exchange's errors come with Exchange's text and a fix, never a token", async () => {
  await providers.servicePrincipal.create(spInputs());

  const role = await failure(providers.roleGroup.create(groupInputs(["View Only Configuraton"])));
  expect(role.code).toBe("ERR_NOT_FOUND");
  expect(role.message).toMatch(/New-RoleGroup .* failed \(404\): "The operation couldn't be performed because object 'View Only Configuraton' couldn't be found/);
  expect(role.remedy).toMatch(/Check the role's name "View Only Configuraton" in exchangeRoles/);

  const scope = await failure(providers.roleGroup.create(groupInputs(["Mail Recipients"], { customRecipientWriteScope: "No such scope" })));
  expect(scope.remedy).toMatch(/Create the management scope "No such scope" first/);

  const group = await failure(providers.roleGroupMember.create(memberInputs("Reporting Admins")));
  expect(group.remedy).toMatch(/Check the role group's name "Reporting Admins"/);

  // Already there and not ours: adopt it by its import id rather than claim it.
  const exists = await failure(providers.servicePrincipal.create(spInputs()));
  expect(exists.code).toBe("ERR_EXISTS");
  expect(exists.remedy).toContain(`import id ${deployer.tenantId}/${app.clientId}`);

  // A deploying identity without Organization Management: Exchange's refusal, and who may do it.
  const weak = createIdentity(emu, { tenantId: deployer.tenantId, displayName: "weak-pipeline", roleTemplateId: RECIPIENT_ADMINISTRATOR });
  const weakProviders = makeExchangeRbacProviders(deps(weak));
  const refused = await failure(weakProviders.roleGroup.create(groupInputs(["View-Only Configuration"])));
  expect(refused.code).toBe("ERR_NOT_ORGANIZATION_MANAGEMENT");
  expect(refused.message).toMatch(/User is not allowed to call New-RoleGroup/);
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
  const created = made(await timed.roleGroup.create(groupInputs(["View-Only Recipients"])));
  expect(created.outs.roles).toEqual(["View-Only Recipients"]);
  expect(slept).toEqual([7000]);
  const before = emu.requests.filter((r) => r.kind === "invoke").length;
  await failure(timed.roleGroup.create({ ...groupInputs(["No Such Role"]), name: "another group" }));
  expect(emu.requests.filter((r) => r.kind === "invoke").length - before).toBe(1);
});

test("check refuses bad inputs per property before anything runs", async () => {
  const result = await providers.managementRoleAssignment.check!({} as never, { tenantId: "contoso", environment: "mars" as never, appId: "x", servicePrincipalObjectId: "", role: "", customResourceScope: "a", recipientAdministrativeUnitScope: "b", propagationTimeout: "soon" });
  expect(result.failures!.map((f) => f.property).sort()).toEqual(["appId", "customResourceScope", "environment", "propagationTimeout", "role", "servicePrincipalObjectId", "tenantId"]);
});
