import https from "node:https";
import { ConfidentialClientApplication } from "@azure/msal-node";
import { createRemoteJWKSet, decodeJwt, jwtVerify, SignJWT } from "jose";
import { generateKeyPairSync } from "node:crypto";
import { MANAGE_AS_APP_ROLE, TOKEN_EXCHANGE_AUDIENCE } from "../../src/facts";
import { createClientCertificate, startEmulator, type TenantEmulator } from "./index";
import { createIdentity, EXCHANGE_ADMINISTRATOR, request, secretToken, tokenRequest, type RawResponse } from "./scenario";

const GUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const EXO = "https://outlook.office365.com/.default";

let emu: TenantEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Asserts Entra's error body shape and returns it. */
function expectEntraError(res: RawResponse, code: number, status: number, error: string) {
  expect(res.status).toBe(status);
  const body = res.json<Record<string, unknown>>();
  expect(body.error).toBe(error);
  expect(body.error_codes).toEqual([code]);
  expect(body.error_description).toMatch(
    new RegExp(`^AADSTS${code}: .+ Trace ID: ${GUID} Correlation ID: ${GUID} Timestamp: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`),
  );
  expect(body.trace_id).toMatch(new RegExp(`^${GUID}$`));
  expect(body.correlation_id).toMatch(new RegExp(`^${GUID}$`));
  expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  expect(String(body.error_description)).toContain(`Trace ID: ${String(body.trace_id)}`);
  return body;
}

function cca(tenantId: string, clientId: string, cred: Record<string, unknown>) {
  return new ConfidentialClientApplication({
    auth: { clientId, authority: emu.authority(tenantId), knownAuthorities: [emu.host], ...cred },
    system: { networkClient: emu.networkClient() },
  });
}

describe("metadata and keys", () => {
  test("OpenID configuration names the emulator's token endpoint, JWKS and issuer, by tenant id or domain", async () => {
    const id = createIdentity(emu);
    for (const t of [id.tenantId, id.tenant.organization]) {
      const res = await request(emu, "GET", `/${t}/v2.0/.well-known/openid-configuration`);
      expect(res.status).toBe(200);
      expect(res.json()).toMatchObject({
        token_endpoint: `${emu.url}/${id.tenantId}/oauth2/v2.0/token`,
        jwks_uri: `${emu.url}/${id.tenantId}/discovery/v2.0/keys`,
        issuer: `${emu.url}/${id.tenantId}/v2.0`,
        authorization_endpoint: `${emu.url}/${id.tenantId}/oauth2/v2.0/authorize`,
      });
    }
  });

  test("an unknown tenant's metadata is AADSTS90002", async () => {
    expectEntraError(await request(emu, "GET", `/nosuch.onmicrosoft.com/v2.0/.well-known/openid-configuration`), 90002, 400, "invalid_request");
  });

  test("issued tokens verify against the JWKS the emulator serves", async () => {
    const id = createIdentity(emu);
    const res = await secretToken(emu, id);
    const jwks = createRemoteJWKSet(new URL(`${emu.url}/${id.tenantId}/discovery/v2.0/keys`), { agent: new https.Agent({ ca: emu.caPem }) } as never);
    const { payload, protectedHeader } = await jwtVerify(res.json<{ access_token: string }>().access_token, jwks, { audience: "https://outlook.office365.com" });
    expect(protectedHeader).toMatchObject({ alg: "RS256", typ: "JWT" });
    expect(protectedHeader.kid).toBeTruthy();
    expect(payload.iss).toBe(`https://sts.windows.net/${id.tenantId}/`);
  });
});

describe("client credentials: claims derived from the directory", () => {
  test("the token response has Entra's shape and a one-hour v1 token", async () => {
    const id = createIdentity(emu);
    const res = await secretToken(emu, id);
    expect(res.status).toBe(200);
    const body = res.json<Record<string, unknown>>();
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599 });
    const c = decodeJwt(String(body.access_token));
    expect(c).toMatchObject({ ver: "1.0", idtyp: "app", appidacr: "1", sub: id.servicePrincipalObjectId, oid: id.servicePrincipalObjectId });
    expect(Math.abs((c.iat as number) - Date.now() / 1000)).toBeLessThan(5);
  });

  test("no consent: a token without roles (no error), exactly as Entra issues it", async () => {
    const id = createIdentity(emu, { consent: false });
    const c = decodeJwt((await secretToken(emu, id)).json<{ access_token: string }>().access_token);
    expect(c.roles).toBeUndefined();
    expect(c.wids).toEqual([EXCHANGE_ADMINISTRATOR]);
  });

  test("a delayed consent appears in tokens only after its delay", async () => {
    // A long delay keeps the "before" phase deterministic; then the consent is due 100 ms from now.
    const id = createIdentity(emu, { visibleAfterMs: { consent: 60_000 } });
    const before = decodeJwt((await secretToken(emu, id)).json<{ access_token: string }>().access_token);
    expect(before.roles).toBeUndefined();
    emu.directory.setVisibleAfter(id.tenantId, id.consentAssignmentId!, 100);
    await sleep(150);
    const after = decodeJwt((await secretToken(emu, id)).json<{ access_token: string }>().access_token);
    expect(after.roles).toEqual([MANAGE_AS_APP_ROLE.value]);
  });

  test("removing the role assignment removes wids from the next token", async () => {
    const id = createIdentity(emu);
    emu.directory.removeDirectoryRoleAssignment(id.tenantId, id.roleAssignmentId!);
    const c = decodeJwt((await secretToken(emu, id)).json<{ access_token: string }>().access_token);
    expect(c.wids).toBeUndefined();
    expect(c.roles).toEqual([MANAGE_AS_APP_ROLE.value]);
  });

  test("a Graph token: audience Graph, no Exchange role (the classic mistake is representable)", async () => {
    const id = createIdentity(emu);
    const c = decodeJwt((await secretToken(emu, id, "https://graph.microsoft.com/.default")).json<{ access_token: string }>().access_token);
    expect(c.aud).toBe("https://graph.microsoft.com");
    expect(c.roles).toBeUndefined();
  });

  test("Exchange asked by its appId gets that audience", async () => {
    const id = createIdentity(emu);
    const c = decodeJwt((await secretToken(emu, id, "00000002-0000-0ff1-ce00-000000000000/.default")).json<{ access_token: string }>().access_token);
    expect(c.aud).toBe("00000002-0000-0ff1-ce00-000000000000");
    expect(c.roles).toEqual([MANAGE_AS_APP_ROLE.value]);
  });

  test("msal-node certificate credential with the SHA-1 thumbprint (x5t) works too", async () => {
    const id = createIdentity(emu, { secret: false, certificate: true });
    const r = await cca(id.tenantId, id.clientId, { clientCertificate: { thumbprint: id.certificate!.thumbprint, privateKey: id.certificate!.keyPem } }).acquireTokenByClientCredential({ scopes: [EXO], skipCache: true });
    expect(decodeJwt(r!.accessToken)).toMatchObject({ appidacr: "2", appid: id.clientId });
  });

  test("clockSkewSeconds shifts the emulator's clock, so tokens look issued in the future", async () => {
    const skewed = await startEmulator({ clockSkewSeconds: 900 });
    try {
      const id = createIdentity(skewed);
      const c = decodeJwt((await secretToken(skewed, id)).json<{ access_token: string }>().access_token);
      expect((c.iat as number) - Date.now() / 1000).toBeGreaterThan(890);
    } finally {
      await skewed.close();
    }
  });
});

describe("AADSTS errors with Entra's body shape", () => {
  test("90002 unknown tenant", async () => {
    const res = await tokenRequest(emu, "00000000-0000-0000-0000-0000000000aa", { grant_type: "client_credentials", client_id: "x", client_secret: "y", scope: EXO });
    expectEntraError(res, 90002, 400, "invalid_request");
  });

  test("700016 unknown app, and an app not yet replicated until its delay passes", async () => {
    const id = createIdentity(emu, { visibleAfterMs: { application: 60_000 } });
    const body = expectEntraError(await secretToken(emu, id), 700016, 400, "unauthorized_client");
    expect(body.error_description).toContain(id.clientId);
    expectEntraError(await secretToken(emu, { ...id, clientId: "11111111-2222-3333-4444-555555555555" }), 700016, 400, "unauthorized_client");
    emu.directory.setVisibleAfter(id.tenantId, id.applicationObjectId, 100);
    await sleep(150);
    expect((await secretToken(emu, id)).status).toBe(200);
  });

  test("700016 when the app has no service principal in the tenant", async () => {
    const id = createIdentity(emu);
    emu.directory.removeServicePrincipal(id.tenantId, id.servicePrincipalObjectId);
    expectEntraError(await secretToken(emu, id), 700016, 400, "unauthorized_client");
  });

  test("7000215 wrong secret (401 invalid_client); a new secret is invalid until it propagates", async () => {
    const id = createIdentity(emu);
    expectEntraError(await secretToken(emu, { ...id, clientSecret: "not-the-secret" }), 7000215, 401, "invalid_client");
    const fresh = emu.directory.addPassword(id.tenantId, id.applicationObjectId, { visibleAfterMs: 60_000 });
    expectEntraError(await secretToken(emu, { ...id, clientSecret: fresh.secretText }), 7000215, 401, "invalid_client");
    emu.directory.setVisibleAfter(id.tenantId, fresh.keyId, 100);
    await sleep(150);
    expect((await secretToken(emu, { ...id, clientSecret: fresh.secretText })).status).toBe(200);
  });

  test("7000222 expired secret", async () => {
    const id = createIdentity(emu, { secret: false });
    const p = emu.directory.addPassword(id.tenantId, id.applicationObjectId, { endDate: new Date(Date.now() - 1000).toISOString() });
    expectEntraError(await secretToken(emu, { ...id, clientSecret: p.secretText }), 7000222, 401, "invalid_client");
  });

  test("1002012 scope without /.default", async () => {
    const id = createIdentity(emu);
    const body = expectEntraError(await secretToken(emu, id, "https://outlook.office365.com/Exchange.ManageAsApp"), 1002012, 400, "invalid_scope");
    expect(body.error_description).toContain("/.default");
  });

  test("500011 tenant without the Exchange service principal", async () => {
    const tenant = emu.directory.addTenant({ withExchange: false });
    const id = createIdentity(emu, { tenantId: tenant.tenantId });
    const body = expectEntraError(await secretToken(emu, id), 500011, 400, "invalid_resource");
    expect(body.error_description).toContain("https://outlook.office365.com");
  });

  test("700027 certificate not registered, or assertion signed by another key; msal surfaces the code", async () => {
    const id = createIdentity(emu, { secret: false, certificate: true });
    const stranger = createClientCertificate();
    await expect(
      cca(id.tenantId, id.clientId, { clientCertificate: { thumbprintSha256: stranger.thumbprintSha256, privateKey: stranger.keyPem } }).acquireTokenByClientCredential({ scopes: [EXO], skipCache: true }),
    ).rejects.toMatchObject({ errorCode: "invalid_client", errorMessage: expect.stringContaining("AADSTS700027") });
    // Right thumbprint, wrong private key: the signature check fails.
    await expect(
      cca(id.tenantId, id.clientId, { clientCertificate: { thumbprintSha256: id.certificate!.thumbprintSha256, privateKey: stranger.keyPem } }).acquireTokenByClientCredential({ scopes: [EXO], skipCache: true }),
    ).rejects.toMatchObject({ errorMessage: expect.stringContaining("AADSTS700027") });
  });

  test("700024 for a certificate assertion outside its validity window; 700027 for a wrong audience", async () => {
    const id = createIdentity(emu, { secret: false, certificate: true });
    const { createPrivateKey, X509Certificate, createHash } = await import("node:crypto");
    const key = createPrivateKey(id.certificate!.keyPem);
    const x5tS256 = createHash("sha256").update(new X509Certificate(id.certificate!.certPem).raw).digest("base64url");
    const now = Math.floor(Date.now() / 1000);
    const assertion = (aud: string, exp: number) =>
      new SignJWT({ aud, iss: id.clientId, sub: id.clientId, jti: "j", nbf: exp - 600, exp }).setProtectedHeader({ alg: "RS256", "x5t#S256": x5tS256 } as never).sign(key);
    const form = async (a: string) => ({ grant_type: "client_credentials", client_id: id.clientId, scope: EXO, client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: a });
    const tokenUrl = `${emu.url}/${id.tenantId}/oauth2/v2.0/token`;
    expect((await tokenRequest(emu, id.tenantId, await form(await assertion(tokenUrl, now + 600)))).status).toBe(200);
    expectEntraError(await tokenRequest(emu, id.tenantId, await form(await assertion(tokenUrl, now - 3600))), 700024, 400, "invalid_client");
    expectEntraError(await tokenRequest(emu, id.tenantId, await form(await assertion("https://elsewhere.example/token", now + 600))), 700027, 401, "invalid_client");
  });

  test("7000218 no credential at all", async () => {
    const id = createIdentity(emu);
    expectEntraError(await tokenRequest(emu, id.tenantId, { grant_type: "client_credentials", client_id: id.clientId, scope: EXO }), 7000218, 401, "invalid_client");
  });

  test("the correlation id msal sends (client-request-id) comes back in the error", async () => {
    const id = createIdentity(emu);
    const cid = "0f0e0d0c-0b0a-4909-8807-060504030201";
    const res = await request(emu, "POST", `/${id.tenantId}/oauth2/v2.0/token`, {
      headers: { "content-type": "application/x-www-form-urlencoded", "client-request-id": cid },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: id.clientId, client_secret: "wrong", scope: EXO }).toString(),
    });
    expect(res.json<{ correlation_id: string }>().correlation_id).toBe(cid);
  });

  test("msal-node reports a wrong secret as invalid_client carrying AADSTS7000215", async () => {
    const id = createIdentity(emu);
    await expect(cca(id.tenantId, id.clientId, { clientSecret: "wrong" }).acquireTokenByClientCredential({ scopes: [EXO], skipCache: true })).rejects.toMatchObject({
      errorCode: "invalid_client",
      errorMessage: expect.stringContaining("AADSTS7000215"),
    });
  });
});

describe("federated credentials", () => {
  const issuer = "https://token.actions.githubusercontent.com";
  const subject = "repo:contoso/infra:environment:prod";

  function federatedIdentity() {
    const id = createIdentity(emu, { secret: false });
    emu.directory.addFederatedCredential(id.tenantId, id.applicationObjectId, { name: "gha", issuer, subject, audiences: [TOKEN_EXCHANGE_AUDIENCE] });
    return id;
  }

  test("a federated token matching issuer, subject and audience buys an app token (appidacr 2) through msal's clientAssertion", async () => {
    const id = federatedIdentity();
    const assertion = await emu.mintFederatedToken({ issuer, subject, audience: TOKEN_EXCHANGE_AUDIENCE });
    const r = await cca(id.tenantId, id.clientId, { clientAssertion: assertion }).acquireTokenByClientCredential({ scopes: [EXO], skipCache: true });
    expect(decodeJwt(r!.accessToken)).toMatchObject({ appid: id.clientId, appidacr: "2", roles: [MANAGE_AS_APP_ROLE.value] });
  });

  test("no credential for the issuer: 700211; the subject: 700213; the audience: 700212; expired: 700024; forged signature: 700027", async () => {
    const id = federatedIdentity();
    const form = (a: string) => ({ grant_type: "client_credentials", client_id: id.clientId, scope: EXO, client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: a });
    const wrongIssuer = await emu.mintFederatedToken({ issuer: "https://token.actions.githubusercontent.com/", subject, audience: TOKEN_EXCHANGE_AUDIENCE });
    const issuerBody = expectEntraError(await tokenRequest(emu, id.tenantId, form(wrongIssuer)), 700211, 401, "invalid_client");
    expect(issuerBody.error_description).toContain("presented assertion issuer 'https://token.actions.githubusercontent.com/'");
    const wrongSubject = await emu.mintFederatedToken({ issuer, subject: "repo:contoso/infra:ref:refs/heads/main", audience: TOKEN_EXCHANGE_AUDIENCE });
    const body = expectEntraError(await tokenRequest(emu, id.tenantId, form(wrongSubject)), 700213, 401, "invalid_client");
    expect(body.error_description).toContain("presented assertion subject 'repo:contoso/infra:ref:refs/heads/main'");
    const wrongAudience = await emu.mintFederatedToken({ issuer, subject, audience: "api://other" });
    const audienceBody = expectEntraError(await tokenRequest(emu, id.tenantId, form(wrongAudience)), 700212, 401, "invalid_client");
    expect(audienceBody.error_description).toContain("presented assertion audience 'api://other'");
    const expired = await emu.mintFederatedToken({ issuer, subject, audience: TOKEN_EXCHANGE_AUDIENCE, lifetimeSeconds: -600 });
    expectEntraError(await tokenRequest(emu, id.tenantId, form(expired)), 700024, 400, "invalid_client");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forged = await new SignJWT({ iss: issuer, sub: subject, aud: TOKEN_EXCHANGE_AUDIENCE }).setProtectedHeader({ alg: "RS256", kid: "x" }).setIssuedAt().setExpirationTime("10m").sign(privateKey);
    expectEntraError(await tokenRequest(emu, id.tenantId, form(forged)), 700027, 401, "invalid_client");
  });
});

describe("mintAccessToken", () => {
  test("signs arbitrary claims with the emulator's key (defaults for times), verifiable with its JWKS", async () => {
    const t = await emu.mintAccessToken({ aud: "https://graph.microsoft.com", scp: "User.Read", tid: "t" });
    const jwks = createRemoteJWKSet(new URL(`${emu.url}/common/discovery/v2.0/keys`), { agent: new https.Agent({ ca: emu.caPem }) } as never);
    const { payload } = await jwtVerify(t, jwks);
    expect(payload).toMatchObject({ aud: "https://graph.microsoft.com", scp: "User.Read", tid: "t", ver: "1.0" });
    expect((payload.exp as number) - (payload.iat as number)).toBe(3599);
    const expired = decodeJwt(await emu.mintAccessToken({ exp: 1 }));
    expect(expired.exp).toBe(1);
  });
});
