import { HttpTransport } from "../../src/net/http";
import { runCmdlet, type CmdletAnswer } from "../../src/exchange";
import { startEmulator, type TenantEmulator } from "./index";
import { createIdentity, EXCHANGE_ADMINISTRATOR, GLOBAL_ADMINISTRATOR, secretToken, type Identity } from "./scenario";

let emu: TenantEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

const GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";

function transport(e: TenantEmulator = emu): HttpTransport {
  return new HttpTransport({ ca: e.caPem, deadline: Date.now() + 30_000 });
}

async function tokenOf(id: Identity, e: TenantEmulator = emu): Promise<string> {
  return (await secretToken(e, id)).json<{ access_token: string }>().access_token;
}

async function as(id: Identity, cmdlet: string, parameters: Record<string, unknown> = {}, e: TenantEmulator = emu): Promise<CmdletAnswer> {
  return runCmdlet({ baseUrl: e.url, tenantId: id.tenantId, accessToken: await tokenOf(id, e), cmdlet, parameters, organization: id.tenant.organization }, transport(e));
}

/** A tenant with a deploying identity (Exchange Administrator) and a reporting app with no directory role. */
function tenantWithApp(): { admin: Identity; app: Identity } {
  const admin = createIdentity(emu, { roleTemplateId: EXCHANGE_ADMINISTRATOR, displayName: "deployer" });
  const app = createIdentity(emu, { tenantId: admin.tenantId, roleTemplateId: "none", displayName: "reporting" });
  return { admin, app };
}

describe("Exchange RBAC through InvokeCommand", () => {
  test("the documented path: the deploying identity registers the app, makes a custom role group and adds the app by ObjectId: Get-AcceptedDomain, not Get-Mailbox", async () => {
    const { admin, app } = tenantWithApp();
    // Before: Exchange's real answer to an app with the app role and no role at all.
    expect((await as(app, "Get-AcceptedDomain")).status).toBe(403);

    const sp = await as(admin, "New-ServicePrincipal", { AppId: app.clientId, ObjectId: app.servicePrincipalObjectId, DisplayName: "reporting" });
    expect(sp.status).toBe(200);
    expect(sp.value).toEqual([expect.objectContaining({ AppId: app.clientId, ObjectId: app.servicePrincipalObjectId, Identity: app.servicePrincipalObjectId, DisplayName: "reporting" })]);
    const group = await as(admin, "New-RoleGroup", { Name: "Reporting Apps", Roles: ["view-only configuration"], Description: "for reporting" });
    expect(group.value).toEqual([expect.objectContaining({ Name: "Reporting Apps", Roles: ["View-Only Configuration"], Description: "for reporting", Members: [] })]);
    // New-RoleGroup made the role's assignment to the group, named "<Role>-<Group>" (its reference's Example 6).
    expect((await as(admin, "Get-ManagementRoleAssignment", { RoleAssignee: "Reporting Apps" })).value).toEqual([
      expect.objectContaining({ Name: "View-Only Configuration-Reporting Apps", Role: "View-Only Configuration", RoleAssignee: "Reporting Apps", RoleAssigneeType: "RoleGroup", RecipientWriteScope: "Organization" }),
    ]);
    // -Member takes the principal's ObjectId (the app-only article); its app id is not resolved.
    expect(await as(admin, "Add-RoleGroupMember", { Identity: "Reporting Apps", Member: app.clientId })).toMatchObject({ status: 404 });
    expect((await as(admin, "Add-RoleGroupMember", { Identity: "Reporting Apps", Member: app.servicePrincipalObjectId, BypassSecurityGroupManagerCheck: true })).status).toBe(200);
    expect(emu.exchangeRbac.grantsOf(app.tenantId, app.servicePrincipalObjectId)).toEqual([{ role: "View-Only Configuration", roleGroup: "Reporting Apps" }]);

    const allowed = await as(app, "Get-AcceptedDomain");
    expect(allowed).toMatchObject({ status: 200, value: [expect.objectContaining({ DomainName: app.tenant.organization })] });
    const refused = await as(app, "Get-Mailbox");
    expect(refused.status).toBe(401);
    expect(refused.errorText).toBe("User is not allowed to call Get-Mailbox");

    // A role added to the group reaches its members; Set-RoleGroup changes the description; Remove-RoleGroup takes all.
    expect((await as(admin, "New-ManagementRoleAssignment", { SecurityGroup: "Reporting Apps", Role: "View-Only Recipients" })).status).toBe(200);
    expect((await as(app, "Get-Mailbox")).status).toBe(200);
    expect((await as(admin, "Set-RoleGroup", { Identity: "Reporting Apps", Description: "relabelled", BypassSecurityGroupManagerCheck: true })).status).toBe(200);
    expect((await as(admin, "Get-RoleGroup", { Identity: "reporting apps" })).value).toEqual([expect.objectContaining({ Description: "relabelled", Roles: ["View-Only Configuration", "View-Only Recipients"], Members: [app.servicePrincipalObjectId] })]);
    expect((await as(admin, "Remove-RoleGroup", { Identity: "Reporting Apps", Confirm: false })).status).toBe(200);
    expect(emu.exchangeRbac.roleAssignments(app.tenantId).filter((a) => a.roleGroup === "Reporting Apps")).toEqual([]);
    expect((await as(app, "Get-AcceptedDomain")).status).toBe(403);
    expect((await as(admin, "Remove-ServicePrincipal", { Identity: app.servicePrincipalObjectId })).status).toBe(200);
    expect(emu.exchangeRbac.servicePrincipals(app.tenantId)).toEqual([]);
  });

  test("New-ManagementRoleAssignment -App: the principal's ObjectId and an application role only, as its reference says", async () => {
    const { admin, app } = tenantWithApp();
    emu.exchangeRbac.addServicePrincipal(app.tenantId, { appId: app.clientId, objectId: app.servicePrincipalObjectId, displayName: "reporting" });
    const adminRole = await as(admin, "New-ManagementRoleAssignment", { App: app.servicePrincipalObjectId, Role: "View-Only Configuration" });
    expect(adminRole).toMatchObject({ status: 400, errorText: expect.stringMatching(/you can only specify application roles/) });
    expect(await as(admin, "New-ManagementRoleAssignment", { App: app.clientId, Role: "Application Mail.Read" })).toMatchObject({ status: 404 });
    const made = await as(admin, "New-ManagementRoleAssignment", { App: app.servicePrincipalObjectId, Role: "Application Mail.Read" });
    expect(made.value).toEqual([expect.objectContaining({ Name: "Application Mail.Read-reporting", RoleAssignee: app.servicePrincipalObjectId, RoleAssigneeType: "ServicePrincipal", CustomResourceScope: null })]);
    // An application role grants mailbox data, not admin cmdlets.
    expect(await as(app, "Get-AcceptedDomain")).toMatchObject({ status: 401, errorText: "User is not allowed to call Get-AcceptedDomain" });
    expect(await as(admin, "Remove-ServicePrincipal", { Identity: app.clientId })).toMatchObject({ status: 400, errorText: expect.stringMatching(/management role assignments \(Application Mail\.Read-reporting\)\. Remove them first/) });
  });

  test("built-in role groups: their default roles; the ones synchronized from Entra refuse members; none can be removed", async () => {
    const { admin, app } = tenantWithApp();
    emu.exchangeRbac.addServicePrincipal(app.tenantId, { appId: app.clientId, objectId: app.servicePrincipalObjectId, displayName: "reporting" });
    expect((await as(admin, "Get-RoleGroup", { Identity: "Security Operator" })).value).toEqual([expect.objectContaining({ Roles: ["Tenant AllowBlockList Manager"], IsBuiltIn: true })]);
    expect(await as(admin, "Add-RoleGroupMember", { Identity: "Security Reader", Member: app.servicePrincipalObjectId })).toMatchObject({ status: 400, errorText: expect.stringMatching(/managed centrally/) });
    expect(await as(admin, "Remove-RoleGroup", { Identity: "View-Only Organization Management" })).toMatchObject({ status: 400, errorText: expect.stringMatching(/You can't remove built-in role groups/) });
    // A membership an earlier version made in a built-in group still grants (and still removes).
    expect((await as(admin, "Add-RoleGroupMember", { Identity: "View-Only Organization Management", Member: app.servicePrincipalObjectId })).status).toBe(200);
    expect((await as(admin, "Get-RoleGroupMember", { Identity: "View-Only Organization Management" })).value).toEqual([
      expect.objectContaining({ Identity: app.servicePrincipalObjectId, DisplayName: "reporting", RecipientTypeDetails: "ServicePrinciple" }),
    ]);
    expect((await as(app, "Get-Mailbox")).status).toBe(200);
    expect((await as(app, "New-ServicePrincipal", { AppId: app.clientId, ObjectId: app.servicePrincipalObjectId })).errorText).toBe("User is not allowed to call New-ServicePrincipal");
    const again = await as(admin, "Add-RoleGroupMember", { Identity: "View-Only Organization Management", Member: app.servicePrincipalObjectId });
    expect(again).toMatchObject({ status: 400, errorText: `The recipient "${app.servicePrincipalObjectId}" is already a member of the group "View-Only Organization Management".` });
    expect((await as(admin, "Remove-RoleGroupMember", { Identity: "View-Only Organization Management", Member: app.servicePrincipalObjectId })).status).toBe(200);
    expect((await as(app, "Get-Mailbox")).status).toBe(403);
    const gone = await as(admin, "Remove-RoleGroupMember", { Identity: "View-Only Organization Management", Member: app.servicePrincipalObjectId });
    expect(gone).toMatchObject({ status: 400, errorText: expect.stringMatching(/isn't a member of the group "View-Only Organization Management"/) });
  });

  test("scopes: New-RoleGroup takes a management scope that exists, no administrative unit; an assignment to a group takes either, never both", async () => {
    const { admin, app } = tenantWithApp();
    const unknownScope = await as(admin, "New-RoleGroup", { Name: "Canada", Roles: ["Mail Recipients"], CustomRecipientWriteScope: "Canada" });
    expect(unknownScope).toMatchObject({ status: 404, errorText: expect.stringMatching(/^The operation couldn't be performed because object 'Canada' couldn't be found on '/) });
    emu.exchangeRbac.addManagementScope(app.tenantId, "Canada");
    const au = emu.exchangeRbac.addAdministrativeUnit(app.tenantId);
    expect(await as(admin, "New-RoleGroup", { Name: "By unit", RecipientAdministrativeUnitScope: au })).toMatchObject({ status: 400, errorText: "A parameter cannot be found that matches parameter name 'RecipientAdministrativeUnitScope'." });
    expect(await as(admin, "New-RoleGroup", { Name: "x".repeat(65) })).toMatchObject({ status: 400 });
    const scoped = await as(admin, "New-RoleGroup", { Name: "Canada recipients", Roles: ["Mail Recipients"], CustomRecipientWriteScope: "Canada" });
    expect(scoped.status).toBe(200);
    expect((await as(admin, "Get-ManagementRoleAssignment", { RoleAssignee: "Canada recipients" })).value).toEqual([expect.objectContaining({ CustomRecipientWriteScope: "Canada", RecipientWriteScope: "CustomRecipientScope" })]);
    expect((await as(admin, "New-RoleGroup", { Name: "In unit" })).status).toBe(200);
    const both = await as(admin, "New-ManagementRoleAssignment", { SecurityGroup: "In unit", Role: "View-Only Recipients", CustomRecipientWriteScope: "Canada", RecipientAdministrativeUnitScope: au });
    expect(both.status).toBe(400);
    const inUnit = await as(admin, "New-ManagementRoleAssignment", { SecurityGroup: "In unit", Role: "View-Only Recipients", RecipientAdministrativeUnitScope: au, Name: "unit-readers" });
    expect(inUnit.value).toEqual([expect.objectContaining({ Name: "unit-readers", RecipientAdministrativeUnitScope: au, RecipientWriteScope: "AdministrativeUnit" })]);
    expect(emu.exchangeRbac.roleGroups(app.tenantId)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "Canada recipients", customRecipientWriteScope: "Canada" }), expect.objectContaining({ name: "In unit", recipientAdministrativeUnitScope: au })]),
    );
  });

  test("Exchange's errors: duplicates, unknown objects, unknown roles, a principal still assigned", async () => {
    const { admin, app } = tenantWithApp();
    const make = { AppId: app.clientId, ObjectId: app.servicePrincipalObjectId };
    expect((await as(admin, "New-ServicePrincipal", make)).status).toBe(200);
    expect(await as(admin, "New-ServicePrincipal", make)).toMatchObject({ status: 400, errorText: expect.stringMatching(/already exists/) });
    expect(await as(admin, "Get-ServicePrincipal", { Identity: "00000000-1111-2222-3333-444444444444" })).toMatchObject({ status: 404, errorText: expect.stringContaining("'00000000-1111-2222-3333-444444444444' couldn't be found") });
    expect(await as(admin, "New-RoleGroup", { Name: "g", Roles: ["View-Only Configuratoin"] })).toMatchObject({ status: 404, errorText: expect.stringContaining("'View-Only Configuratoin'") });
    expect(await as(admin, "New-ServicePrincipal", { AppId: "not-a-guid", ObjectId: app.servicePrincipalObjectId })).toMatchObject({ status: 400, errorText: expect.stringContaining("not a valid GUID") });
    expect((await as(admin, "New-RoleGroup", { Name: "g", Roles: ["View-Only Configuration"] })).status).toBe(200);
    expect(await as(admin, "New-RoleGroup", { Name: "G" })).toMatchObject({ status: 400, errorText: expect.stringMatching(/"G" couldn't be created because an object with the same name already exists/) });
    expect(await as(admin, "New-RoleGroup", { Name: "Organization Management" })).toMatchObject({ status: 400 });
    expect(await as(admin, "New-ManagementRoleAssignment", { SecurityGroup: "g", Role: "View-Only Recipients", Name: "View-Only Configuration-g" })).toMatchObject({ status: 400, errorText: expect.stringMatching(/couldn't be created/) });
    emu.exchangeRbac.addRoleAssignment(app.tenantId, { app: app.servicePrincipalObjectId, role: "View-Only Configuration", name: "x" });
    expect(await as(admin, "Remove-ServicePrincipal", { Identity: app.clientId })).toMatchObject({ status: 400, errorText: expect.stringMatching(/management role assignments \(x\)\. Remove them first/) });
    expect(await as(admin, "Remove-ManagementRoleAssignment", { Identity: "nope" })).toMatchObject({ status: 404 });
    expect(await as(admin, "Add-RoleGroupMember", { Identity: "Organisation Management", Member: app.servicePrincipalObjectId })).toMatchObject({ status: 404 });
    expect(await as(admin, "Remove-RoleGroup", { Identity: "no such group" })).toMatchObject({ status: 404 });
  });

  test("only Organization Management may change Exchange's RBAC: Global Reader may read it only, Global Administrator change it", async () => {
    const reader = createIdentity(emu, { roleTemplateId: GLOBAL_READER });
    const refused = await as(reader, "New-ServicePrincipal", { AppId: reader.clientId, ObjectId: reader.servicePrincipalObjectId });
    expect(refused).toMatchObject({ status: 401, errorText: "User is not allowed to call New-ServicePrincipal" });
    for (const read of ["Get-ServicePrincipal", "Get-ManagementRoleAssignment", "Get-RoleGroup"]) expect((await as(reader, read)).status).toBe(200);
    expect((await as(reader, "Get-Mailbox")).status).toBe(200);
    const global = createIdentity(emu, { tenantId: reader.tenantId, roleTemplateId: GLOBAL_ADMINISTRATOR });
    expect((await as(global, "New-ServicePrincipal", { AppId: reader.clientId, ObjectId: reader.servicePrincipalObjectId })).status).toBe(200);
    expect(emu.exchangeRbac.servicePrincipals(reader.tenantId).map((s) => s.appId)).toEqual([reader.clientId]);
  });

  test("a delegated admin (wids Exchange Administrator, scp Exchange.Manage) may run them; a delegated user without the role may not", async () => {
    const { app } = tenantWithApp();
    const user = { aud: "https://outlook.office365.com", tid: app.tenantId, oid: "9a9a9a9a-0000-4000-8000-000000000001", idtyp: "user", upn: "admin@x", scp: "Exchange.Manage" };
    const admin = await emu.mintAccessToken({ ...user, wids: [EXCHANGE_ADMINISTRATOR] });
    const plain = await emu.mintAccessToken(user);
    const call = (accessToken: string) =>
      runCmdlet({ baseUrl: emu.url, tenantId: app.tenantId, accessToken, cmdlet: "New-ServicePrincipal", parameters: { AppId: app.clientId, ObjectId: app.servicePrincipalObjectId } }, transport());
    expect((await call(plain)).status).toBe(403);
    expect((await call(admin)).status).toBe(200);
  });

  test("a long answer pages with @odata.nextLink; the client gathers every page", async () => {
    const paged = await startEmulator({ exchangePageSize: 2 });
    try {
      const admin = createIdentity(paged, { roleTemplateId: EXCHANGE_ADMINISTRATOR });
      const ids = Array.from({ length: 5 }, (_, i) => `0000000${i}-aaaa-4aaa-8aaa-aaaaaaaaaaaa`);
      for (const id of ids) paged.exchangeRbac.addServicePrincipal(admin.tenantId, { appId: id.replace("aaaa-4", "bbbb-4"), objectId: id });
      paged.clearRequests();
      const all = await as(admin, "Get-ServicePrincipal", {}, paged);
      expect(all.value.map((r) => r.ObjectId)).toEqual(ids);
      expect(paged.requests.filter((r) => r.kind === "invoke")).toHaveLength(3);
    } finally {
      await paged.close();
    }
  });
});
