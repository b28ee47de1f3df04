import { ConfidentialClientApplication, type AuthenticationResult } from "@azure/msal-node";
import { decodeJwt } from "jose";
import { MANAGE_AS_APP_ROLE } from "../../src/facts";
import { createClientCertificate, startEmulator, type TenantEmulator } from "./index";
import { EXCHANGE_ADMINISTRATOR as EXCHANGE_ADMIN, createIdentity } from "./scenario";

const EXCHANGE_SCOPE = "https://outlook.office365.com/.default";

let emu: TenantEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

function cca(tenantId: string, clientId: string, credential: { clientSecret: string } | { clientCertificate: { thumbprintSha256: string; privateKey: string; x5c?: string } } | { clientAssertion: string }) {
  return new ConfidentialClientApplication({
    auth: { clientId, authority: emu.authority(tenantId), knownAuthorities: [emu.host], ...credential },
    system: { networkClient: emu.networkClient() },
  });
}

async function acquire(app: ConfidentialClientApplication): Promise<AuthenticationResult> {
  const r = await app.acquireTokenByClientCredential({ scopes: [EXCHANGE_SCOPE], skipCache: true });
  if (!r) throw new Error("msal returned no result");
  return r;
}

/** A tenant with the app wired for Exchange (consent, Exchange Administrator) and no credential yet. */
function wired() {
  const id = createIdentity(emu, { secret: false });
  return { tenant: id.tenant, app: { objectId: id.applicationObjectId, clientId: id.clientId }, sp: { objectId: id.servicePrincipalObjectId } };
}

describe("msal-node 7 against the emulator (in-process, networkClient trusts the throwaway CA)", () => {
  test("client secret: a v1 Exchange token whose claims come from the directory", async () => {
    const { tenant, app, sp } = wired();
    const { secretText } = emu.directory.addPassword(tenant.tenantId, app.objectId);
    const r = await acquire(cca(tenant.tenantId, app.clientId, { clientSecret: secretText }));
    const c = decodeJwt(r.accessToken);
    expect(c).toMatchObject({
      aud: "https://outlook.office365.com",
      iss: `https://sts.windows.net/${tenant.tenantId}/`,
      appid: app.clientId,
      tid: tenant.tenantId,
      oid: sp.objectId,
      appidacr: "1",
      idtyp: "app",
      roles: [MANAGE_AS_APP_ROLE.value],
      wids: [EXCHANGE_ADMIN],
      ver: "1.0",
    });
    expect(c.scp).toBeUndefined();
    expect((c.exp as number) - (c.iat as number)).toBe(3599);
  });

  test("certificate: msal's x5t#S256 assertion is verified against the registered certificate (appidacr 2)", async () => {
    const { tenant, app } = wired();
    const cert = createClientCertificate();
    emu.directory.addCertificate(tenant.tenantId, app.objectId, cert.certPem);
    const r = await acquire(cca(tenant.tenantId, app.clientId, { clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.keyPem } }));
    expect(decodeJwt(r.accessToken)).toMatchObject({ appid: app.clientId, appidacr: "2", roles: [MANAGE_AS_APP_ROLE.value] });
  });
});
