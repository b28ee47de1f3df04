import { ManagedIdentityApplication } from "@azure/msal-node";
import { decodeJwt } from "jose";
import { MANAGE_AS_APP_ROLE } from "../../src/facts";
import { startEmulator, type TenantEmulator } from "./index";
import { EXCHANGE_ADMINISTRATOR, invoke, request } from "./scenario";

let emu: TenantEmulator;
let tenantId: string;
const saved = { IDENTITY_ENDPOINT: process.env.IDENTITY_ENDPOINT, IDENTITY_HEADER: process.env.IDENTITY_HEADER };

beforeAll(async () => {
  emu = await startEmulator();
  const tenant = emu.directory.addTenant();
  tenantId = tenant.tenantId;
  // msal-node picks its managed identity source from the environment (App Service: these two variables).
  Object.assign(process.env, emu.managedIdentityEnvironment(tenantId));
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await emu.close();
});

function grant(objectId: string) {
  const exo = emu.directory.getTenant(tenantId)!.exchangeServicePrincipalObjectId!;
  emu.directory.addAppRoleAssignment(tenantId, { principalObjectId: objectId, resourceObjectId: exo, appRoleId: MANAGE_AS_APP_ROLE.id });
  emu.directory.addDirectoryRoleAssignment(tenantId, { principalObjectId: objectId, roleTemplateId: EXCHANGE_ADMINISTRATOR });
}

const msi = (userAssignedClientId?: string) =>
  new ManagedIdentityApplication({
    ...(userAssignedClientId ? { managedIdentityIdParams: { userAssignedClientId } } : {}),
    system: { networkClient: emu.networkClient() },
  });

test("msal-node's ManagedIdentityApplication gets the system-assigned identity's Exchange token, and Exchange accepts it", async () => {
  const mi = emu.directory.addManagedIdentity(tenantId, { kind: "system" });
  grant(mi.objectId);
  const r = await msi().acquireToken({ resource: "https://outlook.office365.com", forceRefresh: true });
  const c = decodeJwt(r.accessToken);
  expect(c).toMatchObject({ aud: "https://outlook.office365.com", appid: mi.clientId, oid: mi.objectId, idtyp: "app", roles: [MANAGE_AS_APP_ROLE.value], xms_mirid: mi.resourceId });
  expect((await invoke(emu, tenantId, r.accessToken)).status).toBe(200);
});

test("a user-assigned identity is picked by client id; without consent its token has no role", async () => {
  const mi = emu.directory.addManagedIdentity(tenantId, { kind: "user", displayName: "runbooks" });
  const r = await msi(mi.clientId).acquireToken({ resource: "https://outlook.office365.com", forceRefresh: true });
  const c = decodeJwt(r.accessToken);
  expect(c.appid).toBe(mi.clientId);
  expect(c.roles).toBeUndefined();
  expect((await invoke(emu, tenantId, r.accessToken)).status).toBe(401);
});

test("the endpoint checks the identity header and answers unknown identities the way App Service does", async () => {
  const env = emu.managedIdentityEnvironment(tenantId);
  const path = `${new URL(env.IDENTITY_ENDPOINT).pathname}?api-version=2019-08-01&resource=https://outlook.office365.com`;
  expect((await request(emu, "GET", path)).status).toBe(401);
  const unknown = await request(emu, "GET", `${path}&client_id=11111111-2222-3333-4444-555555555555`, { headers: { "x-identity-header": env.IDENTITY_HEADER } });
  expect(unknown.status).toBe(400);
  expect(unknown.json()).toMatchObject({ statusCode: 400, message: expect.stringContaining("No Managed Identity found") });
  const log = JSON.stringify(emu.requests);
  expect(log).not.toContain(env.IDENTITY_HEADER);
});
