import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import https from "node:https";
import { ConfidentialClientApplication } from "@azure/msal-node";
import { decodeJwt } from "jose";
import { EXCHANGE_ONLINE_APP_ID, EXCHANGE_ROLES, MANAGE_AS_APP_ROLE } from "../../src/facts";
import type { MockBackend } from "../../src/mocks/backend";
import { createClientCertificate, startEmulator, type TenantEmulator } from "./index";
import { emulatorBackend } from "./pulumiBackend";

const EXCHANGE_ADMIN = EXCHANGE_ROLES[0]!.templateId;

let emu: TenantEmulator;
let backend: MockBackend;
let tenantId: string;

beforeAll(async () => {
  emu = await startEmulator();
  tenantId = emu.directory.addTenant({ organization: "fabrikam.onmicrosoft.com" }).tenantId;
  // The backend is swapped per test; the mocks delegate to whichever is current, with a trivial offline fallback.
  await pulumi.runtime.setMocks(
    {
      newResource: async (args) => (await backend.newResource(args)) ?? { id: `${args.name}-id`, state: args.inputs },
      call: async (args) => (await backend.call(args)) ?? args.inputs,
    },
    "project",
    "stack",
    false,
  );
});
afterAll(async () => {
  await emu.close();
});

function out<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

/** The shape of this project's program: app, principal, consent to Exchange.ManageAsApp, a directory role, a credential. */
function program(name: string, o?: { certificatePem?: string }) {
  const app = new azuread.Application(`${name}-app`, {
    displayName: name,
    requiredResourceAccesses: [{ resourceAppId: EXCHANGE_ONLINE_APP_ID, resourceAccesses: [{ id: MANAGE_AS_APP_ROLE.id, type: "Role" }] }],
  });
  const sp = new azuread.ServicePrincipal(`${name}-sp`, { clientId: app.clientId });
  const exo = azuread.getServicePrincipalOutput({ clientId: EXCHANGE_ONLINE_APP_ID });
  const consent = new azuread.AppRoleAssignment(`${name}-consent`, { appRoleId: MANAGE_AS_APP_ROLE.id, principalObjectId: sp.objectId, resourceObjectId: exo.objectId });
  const role = new azuread.DirectoryRoleAssignment(`${name}-role`, { roleId: EXCHANGE_ADMIN, principalObjectId: sp.objectId });
  const password = new azuread.ApplicationPassword(`${name}-secret`, { applicationId: app.id, endDateRelative: "4320h" });
  const certificate = o?.certificatePem
    ? new azuread.ApplicationCertificate(`${name}-cert`, { applicationId: app.id, type: "AsymmetricX509Cert", value: o.certificatePem, encoding: "pem" })
    : undefined;
  return { app, sp, password, certificate, consent, role };
}

function client(clientId: string, credential: { clientSecret: string } | { clientCertificate: { thumbprintSha256: string; privateKey: string } }) {
  return new ConfidentialClientApplication({
    auth: { clientId, authority: emu.authority(tenantId), knownAuthorities: [emu.host], ...credential },
    system: { networkClient: emu.networkClient() },
  });
}

/** Exchange's answer status for Get-AcceptedDomain with this token. */
function invoke(token: string): Promise<number> {
  const url = `${emu.url}/adminapi/beta/${tenantId}/InvokeCommand`;
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ CmdletInput: { CmdletName: "Get-AcceptedDomain", Parameters: {} } });
    const req = https.request(url, { method: "POST", ca: emu.caPem, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

test("the program's resources land in the tenant with real outputs, and the secret it got works end to end", async () => {
  backend = emulatorBackend(emu, tenantId);
  const { app, sp, password, consent, role } = program("wired");
  const [clientId, objectId, appId, spObjectId, secret, keyId, endDate, consentId] = await Promise.all([
    out(app.clientId),
    out(app.objectId),
    out(app.id),
    out(sp.objectId),
    out(password.value),
    out(password.keyId),
    out(password.endDate),
    out(consent.id),
    out(role.id),
  ]);
  expect(consentId).toMatch(new RegExp(`^/servicePrincipals/${emu.directory.getTenant(tenantId)!.exchangeServicePrincipalObjectId}/appRoleAssignedTo/`));
  expect(appId).toBe(`/applications/${objectId}`);
  const recorded = emu.directory.getApplication(tenantId, objectId)!;
  expect(recorded.clientId).toBe(clientId);
  expect(recorded.requiredResourceAccess).toEqual([{ resourceAppId: EXCHANGE_ONLINE_APP_ID, resourceAccess: [{ id: MANAGE_AS_APP_ROLE.id, type: "Role" }] }]);
  expect(recorded.passwords.map((p) => p.keyId)).toEqual([keyId]);
  // endDateRelative 4320h = 180 days from now.
  expect(Math.abs(Date.parse(endDate) - (Date.now() + 180 * 86400_000))).toBeLessThan(60_000);
  const { appRoleAssignments, directoryRoleAssignments } = emu.directory.listAssignments(tenantId);
  expect(appRoleAssignments.filter((a) => a.principalObjectId === spObjectId).map((a) => a.resourceObjectId)).toEqual([
    emu.directory.getTenant(tenantId)!.exchangeServicePrincipalObjectId,
  ]);
  expect(directoryRoleAssignments.filter((a) => a.principalObjectId === spObjectId).map((a) => a.roleTemplateId)).toEqual([EXCHANGE_ADMIN]);

  const r = await client(clientId, { clientSecret: secret }).acquireTokenByClientCredential({ scopes: ["https://outlook.office365.com/.default"], skipCache: true });
  expect(decodeJwt(r!.accessToken)).toMatchObject({ appid: clientId, oid: spObjectId, roles: [MANAGE_AS_APP_ROLE.value], wids: [EXCHANGE_ADMIN] });
  expect(await invoke(r!.accessToken)).toBe(200);
});

test("a PEM certificate registered by the program authenticates msal's certificate assertion", async () => {
  backend = emulatorBackend(emu, tenantId);
  const cert = createClientCertificate();
  const { app, certificate, consent, role } = program("cert", { certificatePem: cert.certPem });
  const [clientId, certKeyId] = await Promise.all([out(app.clientId), out(certificate!.keyId), out(consent.id), out(role.id)]);
  expect(certKeyId).toMatch(/^[0-9a-f-]{36}$/);
  const r = await client(clientId, { clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.keyPem } }).acquireTokenByClientCredential({
    scopes: ["https://outlook.office365.com/.default"],
    skipCache: true,
  });
  expect(decodeJwt(r!.accessToken)).toMatchObject({ appid: clientId, appidacr: "2" });
});

test("a dropped consent yields a token without the role and a 401 from Exchange, as in a tenant where consent failed", async () => {
  backend = emulatorBackend(emu, tenantId, { drop: ["appRoleAssignment"] });
  const { app, password, consent, role } = program("noconsent");
  const [clientId, secret] = await Promise.all([out(app.clientId), out(password.value), out(consent.id), out(role.id)]);
  const r = await client(clientId, { clientSecret: secret }).acquireTokenByClientCredential({ scopes: ["https://outlook.office365.com/.default"], skipCache: true });
  expect(decodeJwt(r!.accessToken).roles).toBeUndefined();
  expect(await invoke(r!.accessToken)).toBe(401);
});

test("per-kind propagation delays: the role assignment is invisible to Exchange until its delay passes", async () => {
  backend = emulatorBackend(emu, tenantId, { visibleAfterMs: { directoryRoleAssignment: 60_000 } });
  const { app, sp, password, consent, role } = program("slowrole");
  const [clientId, spObjectId, secret] = await Promise.all([out(app.clientId), out(sp.objectId), out(password.value), out(consent.id), out(role.id)]);
  const r = await client(clientId, { clientSecret: secret }).acquireTokenByClientCredential({ scopes: ["https://outlook.office365.com/.default"], skipCache: true });
  expect(await invoke(r!.accessToken)).toBe(403);
  const assignment = emu.directory.listAssignments(tenantId).directoryRoleAssignments.find((a) => a.principalObjectId === spObjectId)!;
  expect(assignment.visibleAt - assignment.createdAt).toBe(60_000);
  emu.directory.setVisibleAfter(tenantId, assignment.id, 0);
  expect(await invoke(r!.accessToken)).toBe(200);
});

test("getServicePrincipal fails the program when the tenant has no Exchange principal; unknown types are left to the offline backend", async () => {
  const bare = emu.directory.addTenant({ withExchange: false }).tenantId;
  const b = emulatorBackend(emu, bare);
  expect(() => b.call({ token: "azuread:index/getServicePrincipal:getServicePrincipal", inputs: { clientId: EXCHANGE_ONLINE_APP_ID }, provider: "" } as never)).toThrow(/No service principal found/);
  expect(b.newResource({ type: "tls:index/privateKey:PrivateKey", name: "k", inputs: {} } as never)).toBeUndefined();
  expect(b.call({ token: "azure-native:authorization:getClientConfig", inputs: {}, provider: "" } as never)).toBeUndefined();
});
