import * as pulumi from "@pulumi/pulumi";
import * as azuread from "@pulumi/azuread";
import https from "node:https";
import { ConfidentialClientApplication } from "@azure/msal-node";
import { decodeJwt } from "jose";
import { EXCHANGE_ONLINE_APP_ID, EXCHANGE_ROLES, MANAGE_AS_APP_ROLE } from "../../src/facts";
import type { MockBackend } from "../../src/mocks/backend";
import { FUNCTION, TYPE } from "../../src/facts/typeTokens";
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
function program(name: string, o?: { certificatePem?: string; provider?: azuread.Provider }) {
  const opts = o?.provider ? { provider: o.provider } : {};
  const app = new azuread.Application(
    `${name}-app`,
    {
      displayName: name,
      requiredResourceAccesses: [{ resourceAppId: EXCHANGE_ONLINE_APP_ID, resourceAccesses: [{ id: MANAGE_AS_APP_ROLE.id, type: "Role" }] }],
    },
    opts,
  );
  const sp = new azuread.ServicePrincipal(`${name}-sp`, { clientId: app.clientId }, opts);
  const exo = azuread.getServicePrincipalOutput({ clientId: EXCHANGE_ONLINE_APP_ID }, opts);
  const consent = new azuread.AppRoleAssignment(`${name}-consent`, { appRoleId: MANAGE_AS_APP_ROLE.id, principalObjectId: sp.objectId, resourceObjectId: exo.objectId }, opts);
  const role = new azuread.DirectoryRoleAssignment(`${name}-role`, { roleId: EXCHANGE_ADMIN, principalObjectId: sp.objectId }, opts);
  const password = new azuread.ApplicationPassword(`${name}-secret`, { applicationId: app.id, endDateRelative: "4320h" }, opts);
  const certificate = o?.certificatePem
    ? new azuread.ApplicationCertificate(`${name}-cert`, { applicationId: app.id, type: "AsymmetricX509Cert", value: o.certificatePem, encoding: "pem" }, opts)
    : undefined;
  return { app, sp, password, certificate, consent, role };
}

function client(clientId: string, credential: { clientSecret: string } | { clientCertificate: { thumbprintSha256: string; privateKey: string } }, tenant = tenantId) {
  return new ConfidentialClientApplication({
    auth: { clientId, authority: emu.authority(tenant), knownAuthorities: [emu.host], ...credential },
    system: { networkClient: emu.networkClient() },
  });
}

/** Exchange's answer status for Get-AcceptedDomain with this token. */
function invoke(token: string, tenant = tenantId): Promise<number> {
  const url = `${emu.url}/adminapi/beta/${tenant}/InvokeCommand`;
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

describe("many tenants: each resource and call goes to the tenant of its explicit azuread provider", () => {
  const T = { ...TYPE, getServicePrincipal: FUNCTION.getServicePrincipal };
  /** Registers a provider with the backend and returns the reference its resources carry (`urn::id`). */
  async function providerRef(b: MockBackend, name: string, inputs: Record<string, unknown>): Promise<string> {
    const r = await b.newResource({ type: T.provider, name, inputs, custom: true } as never);
    return `urn:pulumi:stack::project::pulumi:providers:azuread::${name}::${r!.id}`;
  }

  test("three tenants through three providers: each tenant's directory holds only its own objects, and each identity works there", async () => {
    const tenants = ["contoso", "fabrikam", "northwind"].map((org) => emu.directory.addTenant({ organization: `${org}-routed.onmicrosoft.com` }));
    backend = emulatorBackend(emu, undefined);
    const programs = tenants.map((t, i) => program(`routed${i}`, { provider: new azuread.Provider(`routed${i}-tenant`, { tenantId: t.tenantId, environment: "public" }) }));
    const resolved = await Promise.all(
      programs.map(async (p) => {
        const [clientId, objectId, spObjectId, secret, consentId] = await Promise.all([out(p.app.clientId), out(p.app.objectId), out(p.sp.objectId), out(p.password.value), out(p.consent.id), out(p.role.id)]);
        return { clientId, objectId, spObjectId, secret, consentId };
      }),
    );
    for (const [i, t] of tenants.entries()) {
      const mine = resolved[i]!;
      expect(emu.directory.listApplications(t.tenantId).map((a) => [a.objectId, a.displayName, a.passwords.length])).toEqual([[mine.objectId, `routed${i}`, 1]]);
      expect(emu.directory.listServicePrincipals(t.tenantId).filter((sp) => !sp.firstParty).map((sp) => sp.objectId)).toEqual([mine.spObjectId]);
      const { appRoleAssignments, directoryRoleAssignments } = emu.directory.listAssignments(t.tenantId);
      // The consent's resource came from getServicePrincipal through the same provider: this tenant's Exchange principal.
      expect(appRoleAssignments.map((a) => [a.principalObjectId, a.resourceObjectId])).toEqual([[mine.spObjectId, t.exchangeServicePrincipalObjectId]]);
      expect(mine.consentId).toContain(`/servicePrincipals/${t.exchangeServicePrincipalObjectId}/`);
      expect(directoryRoleAssignments.map((a) => a.principalObjectId)).toEqual([mine.spObjectId]);
    }
    const r = await client(resolved[1]!.clientId, { clientSecret: resolved[1]!.secret }, tenants[1]!.tenantId).acquireTokenByClientCredential({ scopes: ["https://outlook.office365.com/.default"], skipCache: true });
    expect(decodeJwt(r!.accessToken)).toMatchObject({ tid: tenants[1]!.tenantId, oid: resolved[1]!.spObjectId });
    expect(await invoke(r!.accessToken, tenants[1]!.tenantId)).toBe(200);
  });

  test("a multi-tenant app registered through one provider gets its service principal in another provider's tenant; a single-tenant app's is refused", async () => {
    const home = emu.directory.addTenant();
    const customer = emu.directory.addTenant();
    const b = emulatorBackend(emu, undefined);
    const atHome = await providerRef(b, "home-tenant", { tenantId: home.tenantId, environment: "public" });
    const atCustomer = await providerRef(b, "customer-tenant", { tenantId: customer.tenantId, environment: "public" });
    const multi = await b.newResource({ type: T.application, name: "multi", inputs: { displayName: "msp", signInAudience: "AzureADMultipleOrgs" }, provider: atHome } as never);
    const sp = await b.newResource({ type: T.servicePrincipal, name: "multi-sp", inputs: { clientId: multi!.state.clientId }, provider: atCustomer } as never);
    expect(sp!.state).toMatchObject({ applicationTenantId: home.tenantId, displayName: "msp" });
    expect(emu.directory.getServicePrincipal(customer.tenantId, String(sp!.state.objectId))?.appOwnerTenantId).toBe(home.tenantId);
    expect(emu.directory.listApplications(customer.tenantId)).toEqual([]);

    const single = await b.newResource({ type: T.application, name: "single", inputs: { displayName: "one tenant" }, provider: atHome } as never);
    expect(single!.state.signInAudience).toBe("AzureADMyOrg");
    expect(() => b.newResource({ type: T.servicePrincipal, name: "single-sp", inputs: { clientId: single!.state.clientId }, provider: atCustomer } as never)).toThrow(/does not reference a valid application object/);
  });

  test("per-tenant options break one tenant only; getServicePrincipal answers from the provider's tenant", async () => {
    const a = emu.directory.addTenant();
    const c = emu.directory.addTenant();
    const b = emulatorBackend(emu, undefined, { tenants: { [c.tenantId]: { drop: ["directoryRoleAssignment"] } } });
    for (const t of [a, c]) {
      const ref = await providerRef(b, `p-${t.tenantId}`, { tenantId: t.tenantId });
      const exo = (await b.call({ token: T.getServicePrincipal, inputs: { clientId: EXCHANGE_ONLINE_APP_ID }, provider: ref } as never))!;
      expect(exo.objectId).toBe(t.exchangeServicePrincipalObjectId);
      const app = await b.newResource({ type: T.application, name: "app", inputs: { displayName: "x" }, provider: ref } as never);
      const sp = await b.newResource({ type: T.servicePrincipal, name: "sp", inputs: { clientId: app!.state.clientId }, provider: ref } as never);
      await b.newResource({ type: T.directoryRoleAssignment, name: "role", inputs: { roleId: EXCHANGE_ADMIN, principalObjectId: sp!.state.objectId }, provider: ref } as never);
    }
    expect(emu.directory.listAssignments(a.tenantId).directoryRoleAssignments).toHaveLength(1);
    expect(emu.directory.listAssignments(c.tenantId).directoryRoleAssignments).toHaveLength(0);
  });

  test("nothing lands silently elsewhere: a provider's unknown tenant or other cloud, or no tenant at all, fails the resource", async () => {
    const t = emu.directory.addTenant();
    const b = emulatorBackend(emu, undefined);
    const unknown = await providerRef(b, "unknown-tenant", { tenantId: "99999999-9999-4999-8999-999999999999" });
    expect(() => b.newResource({ type: T.application, name: "a", inputs: { displayName: "x" }, provider: unknown } as never)).toThrow(
      /uses provider unknown-tenant, which signs in to tenant 99999999-9999-4999-8999-999999999999: the emulator has no such tenant/,
    );
    const gov = await providerRef(b, "gov-tenant", { tenantId: t.tenantId, environment: "usgovernment" });
    expect(() => b.newResource({ type: T.application, name: "a", inputs: { displayName: "x" }, provider: gov } as never)).toThrow(/environment usgovernment\), but emulated tenant .* is in the public cloud/);
    const defaultProvider = await providerRef(b, "default_6_9_1", {});
    expect(() => b.newResource({ type: T.application, name: "a", inputs: { displayName: "x" }, provider: defaultProvider } as never)).toThrow(/no explicit azuread provider naming a tenant, and the backend has no default tenant/);
    // With a default tenant, the default provider's resources land there, as in a one-tenant program.
    const withDefault = emulatorBackend(emu, t.tenantId);
    const app = await withDefault.newResource({ type: T.application, name: "a", inputs: { displayName: "landed" }, provider: await providerRef(withDefault, "default_6_9_1", {}) } as never);
    expect(emu.directory.getApplication(t.tenantId, String(app!.state.objectId))?.displayName).toBe("landed");
    expect(() => emulatorBackend(emu, undefined, { tenants: { "99999999-9999-4999-8999-999999999999": { drop: ["password"] } } })).toThrow(/options.tenants names/);
  });
});
