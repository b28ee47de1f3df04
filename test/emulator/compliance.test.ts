import { HttpTransport } from "../../src/net/http";
import { runCmdlet, type CmdletCall } from "../../src/exchange";
import { CLOUDS, EOP_MANAGE_AS_APP_ROLE, EXCHANGE_ONLINE_PROTECTION_APP_ID } from "../../src/facts";
import { EMULATED_MANAGE_AS_APP_V2_ROLE_ID, startEmulator, type TenantEmulator } from "./index";
import { createIdentity, EXCHANGE_ADMINISTRATOR, secretToken, type Identity } from "./scenario";

let emu: TenantEmulator;
beforeAll(async () => {
  emu = await startEmulator({ exchangeForbiddenBody: "json" });
});
afterAll(async () => {
  await emu.close();
});

const COMPLIANCE_ADMINISTRATOR = "17315797-102d-40b4-93e0-432062caca18";

async function token(id: Identity, scope: string): Promise<string> {
  const res = await secretToken(emu, id, scope);
  expect(res.status).toBe(200);
  return res.json<{ access_token: string }>().access_token;
}

function call(id: Identity, accessToken: string, cmdlet: string, extra: Partial<CmdletCall> = {}) {
  return runCmdlet({ baseUrl: emu.complianceUrl, tenantId: id.tenantId, accessToken, cmdlet, organization: id.tenant.organization, ...extra }, new HttpTransport({ ca: emu.caPem, deadline: Date.now() + 30_000 }));
}

describe("Security & Compliance InvokeCommand", () => {
  const scope = `${CLOUDS.public.compliance.resource}/.default`;

  test("a token for the S&C resource with Compliance Administrator runs Get-Label; the same token at Exchange is the wrong audience", async () => {
    const id = createIdentity(emu, { roleTemplateId: COMPLIANCE_ADMINISTRATOR });
    const t = await token(id, scope);
    expect(await call(id, t, "Get-Label")).toEqual({ status: 200, value: [], warnings: [] });
    const atExchange = await call(id, t, "Get-AcceptedDomain", { baseUrl: emu.url });
    expect(atExchange.status).toBe(401);
    expect(atExchange.errorText).toContain("expects 'https://outlook.office365.com'");
    const exchangeToken = await token(id, "https://outlook.office365.com/.default");
    expect((await call(id, exchangeToken, "Get-Label")).errorText).toContain(`expects '${CLOUDS.public.compliance.resource}'`);
  });

  test("Exchange Administrator works for Exchange, not for Security & Compliance", async () => {
    const id = createIdentity(emu, { roleTemplateId: EXCHANGE_ADMINISTRATOR });
    const answer = await call(id, await token(id, scope), "Get-Label");
    expect(answer.status).toBe(403);
    expect(answer.errorText).toMatch(/isn't supported in this scenario/);
  });

  test("Exchange Online's role groups do not reach Security & Compliance (it has its own); eDiscovery does not run app-only", async () => {
    const id = createIdentity(emu, { roleTemplateId: "none" });
    emu.exchangeRbac.addServicePrincipal(id.tenantId, { appId: id.clientId, objectId: id.servicePrincipalObjectId });
    emu.exchangeRbac.grantRoles(id.tenantId, id.servicePrincipalObjectId, ["Compliance Admin"]);
    expect((await call(id, await token(id, scope), "Get-Label")).status).toBe(403);
    const admin = createIdentity(emu, { tenantId: id.tenantId, roleTemplateId: COMPLIANCE_ADMINISTRATOR });
    expect(await call(admin, await token(admin, scope), "New-ComplianceSearch")).toMatchObject({ status: 401, errorText: "User is not allowed to call New-ComplianceSearch" });
  });

  test.each(["usgovernment", "dod"] as const)("%s: the cloud's S&C resource, and Exchange Online Protection's Exchange.ManageAsApp too", async (cloud) => {
    const tenant = emu.directory.addTenant({ cloud });
    const id = createIdentity(emu, { tenantId: tenant.tenantId, roleTemplateId: COMPLIANCE_ADMINISTRATOR });
    const t = await token(id, `${CLOUDS[cloud].compliance.resource}/.default`);
    const without = await call(id, t, "Get-Label");
    expect(without.status).toBe(401);
    expect(without.errorText).toContain(`Microsoft Exchange Online Protection (${EXCHANGE_ONLINE_PROTECTION_APP_ID})`);
    const eop = emu.directory.getServicePrincipalByClientId(tenant.tenantId, EXCHANGE_ONLINE_PROTECTION_APP_ID)!;
    emu.directory.addAppRoleAssignment(tenant.tenantId, { principalObjectId: id.servicePrincipalObjectId, resourceObjectId: eop.objectId, appRoleId: EOP_MANAGE_AS_APP_ROLE.id });
    expect((await call(id, t, "Get-Label")).status).toBe(200);
    // The public cloud's S&C resource is the wrong audience there.
    const res = await secretToken(emu, id, `${CLOUDS.public.compliance.resource}/.default`);
    expect(res.status).not.toBe(200);
  });

  test("public: no Exchange Online Protection role needed", async () => {
    const id = createIdentity(emu, { roleTemplateId: "5d6b6bb7-de71-4623-b4af-96380a352509" /* Security Reader */ });
    expect((await call(id, await token(id, scope), "Get-DlpCompliancePolicy")).status).toBe(200);
  });
});

describe("Admin API v2 (preview): POST /adminapi/v2.0/{tenant}/{Endpoint}", () => {
  function consentV2(id: Identity): void {
    emu.directory.addAppRoleAssignment(id.tenantId, { principalObjectId: id.servicePrincipalObjectId, resourceObjectId: id.tenant.exchangeServicePrincipalObjectId!, appRoleId: EMULATED_MANAGE_AS_APP_V2_ROLE_ID });
  }
  const v2 = (id: Identity, t: string, endpoint: string, cmdlet: string) => call(id, t, cmdlet, { baseUrl: emu.url, surface: "adminApiV2", endpoint });

  test("needs Exchange.ManageAsAppV2 in the token, then Exchange RBAC", async () => {
    const id = createIdentity(emu, { roleTemplateId: "none" });
    const v1Only = await v2(id, await token(id, "https://outlook.office365.com/.default"), "AcceptedDomain", "Get-AcceptedDomain");
    expect(v1Only).toMatchObject({ status: 401, errorText: expect.stringContaining("'Exchange.ManageAsAppV2'") });
    consentV2(id);
    const t = await token(id, "https://outlook.office365.com/.default");
    expect((await v2(id, t, "AcceptedDomain", "Get-AcceptedDomain")).status).toBe(403);
    emu.exchangeRbac.addServicePrincipal(id.tenantId, { appId: id.clientId, objectId: id.servicePrincipalObjectId });
    emu.exchangeRbac.grantRoles(id.tenantId, id.servicePrincipalObjectId, ["View-Only Configuration"]);
    const ok = await v2(id, t, "AcceptedDomain", "Get-AcceptedDomain");
    expect(ok).toMatchObject({ status: 200, value: [expect.objectContaining({ DomainName: id.tenant.organization })] });
    expect(await v2(id, t, "Mailbox", "Get-Mailbox")).toMatchObject({ status: 401, errorText: "User is not allowed to call Get-Mailbox" });
    expect((await v2(id, t, "Mailbox", "Get-AcceptedDomain")).status).toBe(400);
    expect((await v2(id, t, "Nothing", "Get-AcceptedDomain")).status).toBe(404);
  });
});
