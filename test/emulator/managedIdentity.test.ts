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

describe("IMDS (VMs, Automation hybrid workers)", () => {
  const tokenPath = (tid: string) => `/imds/${tid}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://outlook.office365.com`;

  test("answers like IMDS: plain http on loopback, Metadata header required, system- or user-assigned by client_id", async () => {
    expect(emu.imdsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.imdsEnvironment(tenantId)).toEqual({ AZURE_POD_IDENTITY_AUTHORITY_HOST: `${emu.imdsUrl}/imds/${tenantId}` });
    const user = emu.directory.addManagedIdentity(tenantId, { kind: "user", displayName: "imds-user" });
    grant(user.objectId);
    const noHeader = await fetch(`${emu.imdsUrl}${tokenPath(tenantId)}`);
    expect(noHeader.status).toBe(400);
    expect(await noHeader.json()).toEqual({ error: "invalid_request", error_description: "Required metadata header not specified" });

    const ok = await fetch(`${emu.imdsUrl}${tokenPath(tenantId)}&client_id=${user.clientId}`, { headers: { Metadata: "true" } });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Record<string, string>;
    expect(body).toMatchObject({ client_id: user.clientId, resource: "https://outlook.office365.com", token_type: "Bearer", expires_in: "3599" });
    expect(decodeJwt(body.access_token!)).toMatchObject({ appid: user.clientId, oid: user.objectId, roles: [MANAGE_AS_APP_ROLE.value], xms_mirid: user.resourceId, appidacr: "2" });
    expect((await invoke(emu, tenantId, body.access_token!)).status).toBe(200);

    const unknown = await fetch(`${emu.imdsUrl}${tokenPath(tenantId)}&client_id=11111111-2222-3333-4444-555555555555`, { headers: { Metadata: "true" } });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ error: "invalid_request", error_description: "Identity not found" });

    const graphless = emu.directory.addTenant({ withExchange: false });
    emu.directory.addManagedIdentity(graphless.tenantId, { kind: "system" });
    const noExchange = await fetch(`${emu.imdsUrl}${tokenPath(graphless.tenantId)}`, { headers: { Metadata: "true" } });
    expect(noExchange.status).toBe(400);
    expect(await noExchange.json()).toMatchObject({ error: "invalid_resource", error_description: expect.stringContaining("AADSTS500011") });
  });

  test("the http listener serves nothing but IMDS, and the https one does not serve IMDS", async () => {
    const overHttp = await fetch(`${emu.imdsUrl}/${tenantId}/v2.0/.well-known/openid-configuration`);
    expect(overHttp.status).toBe(404);
    const overHttps = await request(emu, "GET", tokenPath(tenantId), { headers: { metadata: "true" } });
    expect(overHttps.status).toBe(404);
  });

  test("msal-node's ManagedIdentityApplication picks IMDS from AZURE_POD_IDENTITY_AUTHORITY_HOST (a child process: msal detects the source once)", async () => {
    const { execFile } = await import("node:child_process");
    const mi = emu.directory.addManagedIdentity(tenantId, { kind: "user", displayName: "imds-msal" });
    const script = `const { ManagedIdentityApplication } = require("@azure/msal-node");
new ManagedIdentityApplication({ managedIdentityIdParams: { userAssignedClientId: process.argv[1] } })
  .acquireToken({ resource: "https://outlook.office365.com" })
  .then((r) => console.log(JSON.stringify({ token: r.accessToken })), (e) => { console.error(e.errorCode || e.message); process.exit(1); });`;
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!/^(IDENTITY_|MSI_|AZURE_|IMDS_)/.test(k)) env[k] = v;
    const out = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, ["-e", script, mi.clientId], { env: { ...env, ...emu.imdsEnvironment(tenantId) }, cwd: process.cwd() }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    expect(decodeJwt(JSON.parse(out).token)).toMatchObject({ appid: mi.clientId, aud: "https://outlook.office365.com" });
  });
});
