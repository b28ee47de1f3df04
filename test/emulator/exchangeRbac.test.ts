import { HttpTransport } from "../../src/check/http";
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
  test("the deploying identity registers the app and assigns View-Only Configuration: the app may run Get-AcceptedDomain, not Get-Mailbox", async () => {
    const { admin, app } = tenantWithApp();
    // Before: Exchange's real answer to an app with the app role and no role at all.
    expect((await as(app, "Get-AcceptedDomain")).status).toBe(403);

    const sp = await as(admin, "New-ServicePrincipal", { AppId: app.clientId, ObjectId: app.servicePrincipalObjectId, DisplayName: "reporting" });
    expect(sp.status).toBe(200);
    expect(sp.value).toEqual([expect.objectContaining({ AppId: app.clientId, ObjectId: app.servicePrincipalObjectId, Identity: app.servicePrincipalObjectId, DisplayName: "reporting" })]);
    const assignment = await as(admin, "New-ManagementRoleAssignment", { App: app.servicePrincipalObjectId, Role: "view-only configuration" });
    expect(assignment.value).toEqual([
      expect.objectContaining({
        Name: "View-Only Configuration-reporting",
        Identity: "View-Only Configuration-reporting",
        Role: "View-Only Configuration",
        RoleAssignee: app.servicePrincipalObjectId,
        RoleAssigneeName: "reporting",
        RoleAssigneeType: "ServicePrincipal",
        CustomResourceScope: null,
        RecipientWriteScope: "Organization",
      }),
    ]);
    expect(emu.exchangeRbac.roleAssignments(app.tenantId).map((a) => [a.role, a.app])).toEqual([["View-Only Configuration", app.servicePrincipalObjectId]]);

    const allowed = await as(app, "Get-AcceptedDomain");
    expect(allowed).toMatchObject({ status: 200, value: [expect.objectContaining({ DomainName: app.tenant.organization })] });
    const refused = await as(app, "Get-Mailbox");
    expect(refused.status).toBe(401);
    expect(refused.errorText).toBe("User is not allowed to call Get-Mailbox");

    // Read back, then delete exactly what was made.
    expect((await as(admin, "Get-ManagementRoleAssignment", { RoleAssignee: app.clientId })).value.map((r) => r.Name)).toEqual(["View-Only Configuration-reporting"]);
    expect((await as(admin, "Remove-ManagementRoleAssignment", { Identity: "View-Only Configuration-reporting" })).status).toBe(200);
    expect((await as(admin, "Remove-ServicePrincipal", { Identity: app.servicePrincipalObjectId })).status).toBe(200);
    expect(emu.exchangeRbac.servicePrincipals(app.tenantId)).toEqual([]);
    expect((await as(app, "Get-AcceptedDomain")).status).toBe(403);
  });

  test("a role group membership grants its roles; Get-RoleGroupMember lists the app", async () => {
    const { admin, app } = tenantWithApp();
    emu.exchangeRbac.addServicePrincipal(app.tenantId, { appId: app.clientId, objectId: app.servicePrincipalObjectId, displayName: "reporting" });
    expect((await as(admin, "Add-RoleGroupMember", { Identity: "View-Only Organization Management", Member: "reporting" })).status).toBe(200);
    expect(emu.exchangeRbac.roleGroupMembers(app.tenantId, "View-Only Organization Management")).toEqual([app.servicePrincipalObjectId]);
    expect((await as(admin, "Get-RoleGroupMember", { Identity: "View-Only Organization Management" })).value).toEqual([
      expect.objectContaining({ Identity: app.servicePrincipalObjectId, DisplayName: "reporting", RecipientTypeDetails: "ServicePrinciple" }),
    ]);
    expect((await as(app, "Get-Mailbox")).status).toBe(200);
    expect((await as(app, "New-ServicePrincipal", { AppId: app.clientId, ObjectId: app.servicePrincipalObjectId })).errorText).toBe("User is not allowed to call New-ServicePrincipal");
    const again = await as(admin, "Add-RoleGroupMember", { Identity: "View-Only Organization Management", Member: app.servicePrincipalObjectId });
    expect(again).toMatchObject({ status: 400, errorText: `The recipient "${app.servicePrincipalObjectId}" is already a member of the group "View-Only Organization Management".` });
    expect((await as(admin, "Remove-RoleGroupMember", { Identity: "View-Only Organization Management", Member: app.clientId })).status).toBe(200);
    expect((await as(app, "Get-Mailbox")).status).toBe(403);
    const gone = await as(admin, "Remove-RoleGroupMember", { Identity: "View-Only Organization Management", Member: app.clientId });
    expect(gone).toMatchObject({ status: 400, errorText: expect.stringMatching(/isn't a member of the group "View-Only Organization Management"/) });
  });

  test("scopes: a management scope or an administrative unit that exists, never both", async () => {
    const { admin, app } = tenantWithApp();
    emu.exchangeRbac.addServicePrincipal(app.tenantId, { appId: app.clientId, objectId: app.servicePrincipalObjectId });
    const unknownScope = await as(admin, "New-ManagementRoleAssignment", { App: app.clientId, Role: "Mail Recipients", CustomResourceScope: "Canada" });
    expect(unknownScope).toMatchObject({ status: 404, errorText: expect.stringMatching(/^The operation couldn't be performed because object 'Canada' couldn't be found on '/) });
    emu.exchangeRbac.addManagementScope(app.tenantId, "Canada");
    const au = emu.exchangeRbac.addAdministrativeUnit(app.tenantId);
    const both = await as(admin, "New-ManagementRoleAssignment", { App: app.clientId, Role: "Mail Recipients", CustomResourceScope: "Canada", RecipientAdministrativeUnitScope: au });
    expect(both.status).toBe(400);
    const scoped = await as(admin, "New-ManagementRoleAssignment", { App: app.clientId, Role: "Mail Recipients", CustomResourceScope: "Canada", Name: "canada-recipients" });
    expect(scoped.value).toEqual([expect.objectContaining({ Name: "canada-recipients", CustomResourceScope: "Canada", RecipientWriteScope: "CustomRecipientScope", RoleAssigneeName: app.servicePrincipalObjectId })]);
    const inUnit = await as(admin, "New-ManagementRoleAssignment", { App: app.clientId, Role: "View-Only Recipients", RecipientAdministrativeUnitScope: au });
    expect(inUnit.value).toEqual([expect.objectContaining({ RecipientAdministrativeUnitScope: au, RecipientWriteScope: "AdministrativeUnit" })]);
    expect((await as(app, "Get-Mailbox")).status).toBe(200);
  });

  test("Exchange's errors: duplicates, unknown objects, unknown roles, a principal still assigned", async () => {
    const { admin, app } = tenantWithApp();
    const make = { AppId: app.clientId, ObjectId: app.servicePrincipalObjectId };
    expect((await as(admin, "New-ServicePrincipal", make)).status).toBe(200);
    expect(await as(admin, "New-ServicePrincipal", make)).toMatchObject({ status: 400, errorText: expect.stringMatching(/already exists/) });
    expect(await as(admin, "Get-ServicePrincipal", { Identity: "00000000-1111-2222-3333-444444444444" })).toMatchObject({ status: 404, errorText: expect.stringContaining("'00000000-1111-2222-3333-444444444444' couldn't be found") });
    expect(await as(admin, "New-ManagementRoleAssignment", { App: app.clientId, Role: "View-Only Configuratoin" })).toMatchObject({ status: 404, errorText: expect.stringContaining("'View-Only Configuratoin'") });
    expect(await as(admin, "New-ServicePrincipal", { AppId: "not-a-guid", ObjectId: app.servicePrincipalObjectId })).toMatchObject({ status: 400, errorText: expect.stringContaining("not a valid GUID") });
    expect((await as(admin, "New-ManagementRoleAssignment", { App: app.clientId, Role: "View-Only Configuration", Name: "x" })).status).toBe(200);
    expect(await as(admin, "New-ManagementRoleAssignment", { App: app.clientId, Role: "View-Only Recipients", Name: "X" })).toMatchObject({ status: 400, errorText: expect.stringMatching(/"X" couldn't be created/) });
    expect(await as(admin, "Remove-ServicePrincipal", { Identity: app.clientId })).toMatchObject({ status: 400, errorText: expect.stringMatching(/management role assignments \(x\)\. Remove them first/) });
    expect(await as(admin, "Remove-ManagementRoleAssignment", { Identity: "nope" })).toMatchObject({ status: 404 });
    expect(await as(admin, "Add-RoleGroupMember", { Identity: "Organisation Management", Member: app.clientId })).toMatchObject({ status: 404 });
  });

  test("only Organization Management may run the RBAC cmdlets: Global Reader is refused, Global Administrator allowed", async () => {
    const reader = createIdentity(emu, { roleTemplateId: GLOBAL_READER });
    const refused = await as(reader, "New-ServicePrincipal", { AppId: reader.clientId, ObjectId: reader.servicePrincipalObjectId });
    expect(refused).toMatchObject({ status: 401, errorText: "User is not allowed to call New-ServicePrincipal" });
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
