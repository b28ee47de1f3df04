/**
 * A multi-tenant app (signInAudience AzureADMultipleOrgs) in the emulated directory: registered once in its home
 * tenant, with a service principal in each customer tenant. Tokens at a customer tenant authenticate with the home
 * registration's credentials and carry the customer's tenant, principal and grants; Exchange answers from the
 * customer's state. A single-tenant app's client id is refused everywhere but at home.
 */
import { ConfidentialClientApplication } from "@azure/msal-node";
import { decodeJwt } from "jose";
import { MANAGE_AS_APP_ROLE } from "../../src/facts";
import { createClientCertificate, DirectoryError, startEmulator, type SignInAudience, type Tenant, type TenantEmulator } from "./index";
import { EXCHANGE_ADMINISTRATOR, invoke, secretToken } from "./scenario";

let emu: TenantEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

const GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";

/** The service principal of `clientId` in `tenant`, with consent for Exchange.ManageAsApp and a directory role. */
function grant(tenant: Tenant, clientId: string, o: { consent?: boolean; role?: string | "none" } = {}) {
  const d = emu.directory;
  const sp = d.addServicePrincipal(tenant.tenantId, clientId);
  const consentId = (o.consent ?? true) ? d.addAppRoleAssignment(tenant.tenantId, { principalObjectId: sp.objectId, resourceObjectId: tenant.exchangeServicePrincipalObjectId!, appRoleId: MANAGE_AS_APP_ROLE.id }).id : undefined;
  const role = o.role ?? EXCHANGE_ADMINISTRATOR;
  const roleId = role !== "none" ? d.addDirectoryRoleAssignment(tenant.tenantId, { principalObjectId: sp.objectId, roleTemplateId: role }).id : undefined;
  return { objectId: sp.objectId, consentId, roleId };
}

/** An MSP's home tenant with one app of the given audience (and a secret), and a customer tenant. */
function msp(signInAudience: SignInAudience = "AzureADMultipleOrgs") {
  const d = emu.directory;
  const home = d.addTenant({ organization: `msp${Math.random().toString(16).slice(2, 8)}.onmicrosoft.com` });
  const customer = d.addTenant({ organization: `customer${Math.random().toString(16).slice(2, 8)}.onmicrosoft.com` });
  const app = d.addApplication(home.tenantId, { displayName: "MSP Exchange automation", signInAudience });
  const { secretText } = d.addPassword(home.tenantId, app.objectId);
  return { home, customer, app, secret: secretText };
}

describe("the directory: a multi-tenant app's service principal in another tenant", () => {
  test("allowed for an AzureADMultipleOrgs app: it names the app's home tenant and takes the app's name", () => {
    const { home, customer, app } = msp();
    const { objectId } = emu.directory.addServicePrincipal(customer.tenantId, app.clientId);
    const sp = emu.directory.getServicePrincipal(customer.tenantId, objectId)!;
    expect(sp).toMatchObject({ clientId: app.clientId, displayName: "MSP Exchange automation", appOwnerTenantId: home.tenantId, firstParty: false });
    // The customer holds no application: the registration (and its credentials) stay at home.
    expect(emu.directory.listApplications(customer.tenantId)).toEqual([]);
    expect(emu.directory.getApplicationByClientId(home.tenantId, app.clientId)?.signInAudience).toBe("AzureADMultipleOrgs");
  });

  test("refused for a single-tenant app (AzureADMyOrg), as Microsoft Graph refuses it", () => {
    const { customer, app } = msp("AzureADMyOrg");
    let error: unknown;
    try {
      emu.directory.addServicePrincipal(customer.tenantId, app.clientId);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DirectoryError);
    expect(error).toMatchObject({ code: "APPLICATION_NOT_MULTI_TENANT" });
    expect((error as Error).message).toMatch(new RegExp(`^Request_BadRequest: The appId '${app.clientId}' of the service principal does not reference a valid application object`));
    expect((error as Error).message).toContain("signInAudience AzureADMyOrg (single tenant)");
    expect(emu.directory.getServicePrincipalByClientId(customer.tenantId, app.clientId)).toBeUndefined();
  });

  test("refused across clouds, and for a client id no tenant registered", () => {
    const { app } = msp();
    const gov = emu.directory.addTenant({ cloud: "usgovernment", organization: "gov.onmicrosoft.us" });
    expect(() => emu.directory.addServicePrincipal(gov.tenantId, app.clientId)).toThrow(expect.objectContaining({ code: "APPLICATION_OTHER_CLOUD" }));
    expect(() => emu.directory.addServicePrincipal(gov.tenantId, "00000000-1111-4222-8333-444444444444")).toThrow(expect.objectContaining({ code: "APPLICATION_NOT_FOUND" }));
  });

  test("a client id is registered once, whichever tenant asks", () => {
    const { customer, app } = msp();
    expect(() => emu.directory.addApplication(customer.tenantId, { displayName: "copy", clientId: app.clientId })).toThrow(expect.objectContaining({ code: "APPLICATION_EXISTS" }));
  });
});

describe("tokens at a customer tenant", () => {
  test("the home app's secret gets a token with tid, oid, roles and wids from the customer's service principal", async () => {
    const { home, customer, app, secret } = msp();
    const atHome = grant(home, app.clientId);
    const atCustomer = grant(customer, app.clientId, { role: GLOBAL_READER });

    const res = await secretToken(emu, { tenantId: customer.tenantId, clientId: app.clientId, clientSecret: secret });
    expect(res.status).toBe(200);
    const claims = decodeJwt(res.json<{ access_token: string }>().access_token);
    expect(claims).toMatchObject({
      tid: customer.tenantId,
      iss: `https://sts.windows.net/${customer.tenantId}/`,
      appid: app.clientId,
      appidacr: "1",
      oid: atCustomer.objectId,
      sub: atCustomer.objectId,
      roles: [MANAGE_AS_APP_ROLE.value],
      wids: [GLOBAL_READER],
    });
    // At home the same secret gets the home principal.
    const homeClaims = decodeJwt((await secretToken(emu, { tenantId: home.tenantId, clientId: app.clientId, clientSecret: secret })).json<{ access_token: string }>().access_token);
    expect(homeClaims).toMatchObject({ tid: home.tenantId, oid: atHome.objectId, wids: [EXCHANGE_ADMINISTRATOR] });
  });

  test("the home app's certificate works at the customer through msal (client assertion audience = the customer's endpoint)", async () => {
    const { home, customer, app } = msp();
    const cert = createClientCertificate();
    emu.directory.addCertificate(home.tenantId, app.objectId, cert.certPem);
    const atCustomer = grant(customer, app.clientId);
    const cca = new ConfidentialClientApplication({
      auth: { clientId: app.clientId, authority: emu.authority(customer.tenantId), knownAuthorities: [emu.host], clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.keyPem } },
      system: { networkClient: emu.networkClient() },
    });
    const r = await cca.acquireTokenByClientCredential({ scopes: ["https://outlook.office365.com/.default"], skipCache: true });
    expect(decodeJwt(r!.accessToken)).toMatchObject({ tid: customer.tenantId, oid: atCustomer.objectId, appidacr: "2", roles: [MANAGE_AS_APP_ROLE.value] });
  });

  test("consent is per tenant: granted at home only, the customer's token has no roles", async () => {
    const { home, customer, app, secret } = msp();
    grant(home, app.clientId);
    grant(customer, app.clientId, { consent: false });
    const claims = decodeJwt((await secretToken(emu, { tenantId: customer.tenantId, clientId: app.clientId, clientSecret: secret })).json<{ access_token: string }>().access_token);
    expect(claims.tid).toBe(customer.tenantId);
    expect(claims.roles).toBeUndefined();
  });

  test("no service principal in the customer tenant (no consent yet): AADSTS700016", async () => {
    const { home, customer, app, secret } = msp();
    grant(home, app.clientId);
    const res = await secretToken(emu, { tenantId: customer.tenantId, clientId: app.clientId, clientSecret: secret });
    expect(res.status).toBe(400);
    expect(res.json<{ error_codes: number[] }>().error_codes).toEqual([700016]);
  });

  test("an app turned single-tenant again is not found at the customer (700016), still works at home", async () => {
    const { home, customer, app, secret } = msp();
    grant(home, app.clientId);
    grant(customer, app.clientId);
    emu.directory.updateApplication(home.tenantId, app.objectId, { signInAudience: "AzureADMyOrg" });
    const res = await secretToken(emu, { tenantId: customer.tenantId, clientId: app.clientId, clientSecret: secret });
    expect(res.json<{ error_codes: number[] }>().error_codes).toEqual([700016]);
    expect((await secretToken(emu, { tenantId: home.tenantId, clientId: app.clientId, clientSecret: secret })).status).toBe(200);
  });
});

describe("Exchange at a customer tenant answers from the customer's state", () => {
  test("200 with the customer's domain; without the customer's role 403 while home still answers 200; a home token at the customer 401", async () => {
    const { home, customer, app, secret } = msp();
    grant(home, app.clientId);
    const atCustomer = grant(customer, app.clientId);
    const token = async (t: Tenant) => (await secretToken(emu, { tenantId: t.tenantId, clientId: app.clientId, clientSecret: secret })).json<{ access_token: string }>().access_token;
    const customerToken = await token(customer);
    const homeToken = await token(home);

    const ok = await invoke(emu, customer.tenantId, customerToken);
    expect(ok.status).toBe(200);
    expect(ok.json<{ value: { DomainName: string }[] }>().value[0]!.DomainName).toBe(customer.organization);

    emu.directory.removeDirectoryRoleAssignment(customer.tenantId, atCustomer.roleId!);
    expect((await invoke(emu, customer.tenantId, customerToken)).status).toBe(403);
    expect((await invoke(emu, home.tenantId, homeToken)).status).toBe(200);

    const wrongTenant = await invoke(emu, customer.tenantId, homeToken);
    expect(wrongTenant.status).toBe(401);
    expect(JSON.stringify(wrongTenant.json())).toContain(`issued for tenant '${home.tenantId}'`);
  });
});

describe("a tenant in another cloud (GCC High)", () => {
  test("tokens name that cloud's Exchange resource and issuer; its Exchange accepts that audience only", async () => {
    const gov = emu.directory.addTenant({ cloud: "usgovernment", organization: "northwind.onmicrosoft.us" });
    expect(gov.cloud).toBe("usgovernment");
    const app = emu.directory.addApplication(gov.tenantId, { displayName: "gov app" });
    const { secretText } = emu.directory.addPassword(gov.tenantId, app.objectId);
    grant(gov, app.clientId);
    const id = { tenantId: gov.tenantId, clientId: app.clientId, clientSecret: secretText };

    const res = await secretToken(emu, id, "https://outlook.office365.us/.default");
    expect(res.status).toBe(200);
    const token = res.json<{ access_token: string }>().access_token;
    expect(decodeJwt(token)).toMatchObject({ aud: "https://outlook.office365.us", iss: `https://login.microsoftonline.us/${gov.tenantId}/`, roles: [MANAGE_AS_APP_ROLE.value] });
    expect((await invoke(emu, gov.tenantId, token)).status).toBe(200);

    // The public cloud's Exchange resource does not exist in that tenant (500011).
    expect((await secretToken(emu, id)).json<{ error_codes: number[] }>().error_codes).toEqual([500011]);
    // A token for the public resource, were one minted, is not one its Exchange accepts.
    const publicAud = await emu.mintAccessToken({ aud: "https://outlook.office365.com", tid: gov.tenantId, roles: [MANAGE_AS_APP_ROLE.value], oid: "x", appid: app.clientId });
    const refused = await invoke(emu, gov.tenantId, publicAud);
    expect(refused.status).toBe(401);
    expect(JSON.stringify(refused.json())).toContain("Exchange Online expects 'https://outlook.office365.us'");
  });
});
