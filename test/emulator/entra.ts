/**
 * Entra ID's endpoints as msal-node uses them: OpenID metadata, instance discovery, JWKS and the token endpoint
 * (client credentials with a secret, a certificate assertion or a federated assertion). Every answer is derived from
 * the directory's visible state at the moment of the request.
 */
import { createPublicKey, randomBytes, randomUUID, X509Certificate } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from "jose";
import type { CloudName } from "../../src/facts";
import { isMultiTenantAudience, type ApplicationRecord, type Directory, type ServicePrincipalRecord, type TenantRecord } from "./directory";
import { entraError } from "./entraErrors";
import { jwks, signJwt, verifyJwt, type SigningKey } from "./tokens";

export interface EntraContext {
  readonly url: string;
  readonly directory: Directory;
  readonly tokenKey: SigningKey;
  readonly federatedKey: SigningKey;
  /** The emulator's clock in seconds (the local clock plus `clockSkewSeconds`). */
  nowSeconds(): number;
}

export interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body: unknown;
  /** The tenant the request resolved to, for the request log. */
  readonly tenantId?: string;
}

export const ACCESS_TOKEN_LIFETIME_SECONDS = 3599;
const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** Entra tolerates this much clock difference on client assertions. */
const ASSERTION_CLOCK_TOLERANCE_SECONDS = 300;
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);

export function openIdConfiguration(ctx: EntraContext, tenantSegment: string): Answer {
  const tenant = ctx.directory.findTenant(tenantSegment);
  const common = ["common", "organizations", "consumers"].includes(tenantSegment.toLowerCase());
  if (!tenant && !common) {
    return { ...entraError(90002, { tenant: tenantSegment }, { authorityUrl: ctx.url }) };
  }
  const t = tenant?.tenantId ?? "{tenantid}";
  const base = `${ctx.url}/${t}`;
  return {
    status: 200,
    tenantId: tenant?.tenantId,
    headers: { "cache-control": "max-age=86400, private" },
    body: {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ["query", "fragment", "form_post"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${ctx.url}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: "EU",
      cloud_instance_name: "microsoftonline.com",
      cloud_graph_host_name: "graph.windows.net",
      msgraph_host: "graph.microsoft.com",
      rbac_url: "https://pas.windows.net",
    },
  };
}

/** `/common/discovery/instance`: msal asks it only for authorities it does not know; answer as Entra would. */
export function instanceDiscovery(ctx: EntraContext): Answer {
  const host = new URL(ctx.url).host;
  return {
    status: 200,
    body: {
      tenant_discovery_endpoint: `${ctx.url}/{tenant}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    },
  };
}

export function keys(ctx: EntraContext, tenantSegment: string): Answer {
  const tenant = ctx.directory.findTenant(tenantSegment);
  if (!tenant && !["common", "organizations"].includes(tenantSegment.toLowerCase())) {
    return { ...entraError(90002, { tenant: tenantSegment }, { authorityUrl: ctx.url }) };
  }
  return { status: 200, tenantId: tenant?.tenantId, body: jwks(ctx.tokenKey) };
}

/** The JWKS of the emulated external OIDC issuer (federated tokens). */
export function federatedKeys(ctx: EntraContext): Answer {
  return { status: 200, body: jwks(ctx.federatedKey) };
}

type Form = URLSearchParams;

interface Authenticated {
  readonly app: ApplicationRecord;
  /** "1" = client secret, "2" = certificate (or federated) assertion. */
  readonly appidacr: "1" | "2";
}

class TokenFailure {
  constructor(
    readonly code: number,
    readonly args: Record<string, string>,
  ) {}
}

export async function token(ctx: EntraContext, tenantSegment: string, form: Form, headers: Record<string, string | string[] | undefined>): Promise<Answer> {
  const correlationId = typeof headers["client-request-id"] === "string" ? headers["client-request-id"] : undefined;
  const tenant = ctx.directory.findTenant(tenantSegment);
  const fail = (f: TokenFailure, tenantId?: string): Answer => ({
    ...entraError(f.code, f.args, { authorityUrl: ctx.url, ...(correlationId ? { correlationId } : {}), now: new Date(ctx.nowSeconds() * 1000) }),
    ...(tenantId ? { tenantId } : {}),
  });
  if (!tenant) return fail(new TokenFailure(90002, { tenant: tenantSegment }));
  try {
    const grantType = form.get("grant_type") ?? "";
    if (grantType !== "client_credentials") throw new TokenFailure(grantType ? 70003 : 900144, { grantType, parameter: "grant_type" });
    const clientId = form.get("client_id") ?? "";
    if (!clientId) throw new TokenFailure(900144, { parameter: "client_id" });
    const resource = parseScope(form.get("scope"));
    const principal = resolveClient(ctx, tenant, clientId);
    const auth = await authenticate(ctx, tenant, principal.app, form);
    const resourcePrincipal = ctx.directory.visibleResourcePrincipal(tenant, resource);
    if (!resourcePrincipal) throw new TokenFailure(500011, { resource, tenant: tenant.organization });
    const accessToken = await issueAccessToken(ctx, tenant, {
      objectId: principal.objectId,
      clientId: principal.app.clientId,
      displayName: principal.app.displayName,
      appidacr: auth.appidacr,
      resource,
      resourcePrincipal,
    });
    return {
      status: 200,
      tenantId: tenant.tenantId,
      headers: { "cache-control": "no-store, no-cache", pragma: "no-cache" },
      body: { token_type: "Bearer", expires_in: ACCESS_TOKEN_LIFETIME_SECONDS, ext_expires_in: ACCESS_TOKEN_LIFETIME_SECONDS, access_token: accessToken },
    };
  } catch (e) {
    if (e instanceof TokenFailure) return fail(e, tenant.tenantId);
    throw e;
  }
}

/** A v1 token's issuer in each cloud. */
function issuer(cloud: CloudName, tenantId: string): string {
  const host = { public: "https://sts.windows.net", usgovernment: "https://login.microsoftonline.us", dod: "https://login.microsoftonline.us", china: "https://sts.chinacloudapi.cn" }[cloud];
  return `${host}/${tenantId}/`;
}

/** An app-only v1 access token for `principal`, its roles and directory roles read from the visible directory now. */
async function issueAccessToken(
  ctx: EntraContext,
  tenant: TenantRecord,
  p: { objectId: string; clientId: string; displayName: string; appidacr: "1" | "2"; resource: string; resourcePrincipal: ServicePrincipalRecord; extra?: Record<string, unknown> },
): Promise<string> {
  const now = ctx.nowSeconds();
  const roles = ctx.directory.visibleRoles(tenant, p.objectId, p.resourcePrincipal);
  const wids = ctx.directory.visibleDirectoryRoles(tenant, p.objectId);
  const claims: Record<string, unknown> = {
    aud: p.resource.replace(/\/+$/, ""),
    iss: issuer(tenant.cloud, tenant.tenantId),
    iat: now,
    nbf: now,
    exp: now + ACCESS_TOKEN_LIFETIME_SECONDS,
    aio: randomBytes(32).toString("base64url"),
    app_displayname: p.displayName,
    appid: p.clientId,
    appidacr: p.appidacr,
    idp: issuer(tenant.cloud, tenant.tenantId),
    idtyp: "app",
    oid: p.objectId,
    rh: `0.${randomBytes(24).toString("base64url")}.`,
    ...(roles.length > 0 ? { roles } : {}),
    sub: p.objectId,
    tid: tenant.tenantId,
    uti: randomBytes(16).toString("base64url"),
    ver: "1.0",
    ...(wids.length > 0 ? { wids } : {}),
    ...(p.extra ?? {}),
  };
  return signJwt(ctx.tokenKey, claims);
}

/**
 * The identity a managed identity endpoint (App Service's or IMDS) serves: a user-assigned one named by client id,
 * object id or resource id, else the system-assigned one; only identities the directory shows already.
 */
function findManagedIdentity(
  ctx: EntraContext,
  tenant: TenantRecord,
  by: { clientId: string | null; objectId: string | null; resourceId: string | null },
): ServicePrincipalRecord | undefined {
  const candidates = [...tenant.servicePrincipals.values()].filter((s) => s.managedIdentity && ctx.directory.isVisible(s));
  const { clientId, objectId, resourceId } = by;
  if (!clientId && !objectId && !resourceId) return candidates.find((s) => s.managedIdentity!.kind === "system");
  return candidates.find(
    (s) =>
      s.managedIdentity!.kind === "user" &&
      ((clientId && s.clientId === clientId) || (objectId && s.objectId === objectId) || (resourceId && s.managedIdentity!.resourceId.toLowerCase() === resourceId.toLowerCase())),
  );
}

/** A managed identity's access token for `resource`: claims from its principal, `xms_mirid` naming its resource. */
function managedIdentityAccessToken(
  ctx: EntraContext,
  tenant: TenantRecord,
  identity: ServicePrincipalRecord,
  resource: string,
  resourcePrincipal: ServicePrincipalRecord,
): Promise<string> {
  return issueAccessToken(ctx, tenant, {
    objectId: identity.objectId,
    clientId: identity.clientId,
    displayName: identity.displayName,
    appidacr: "2",
    resource,
    resourcePrincipal,
    extra: { xms_mirid: identity.managedIdentity!.resourceId },
  });
}

/**
 * A managed identity's token, as App Service's local endpoint serves it (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`):
 * `GET ?api-version=2019-08-01&resource=<resource>[&client_id=|&object_id=|&mi_res_id=]`, header `X-IDENTITY-HEADER`.
 * Errors come as `{statusCode, message, correlationId}`, the shape msal-node reads for managed identities.
 */
export async function managedIdentityToken(
  ctx: EntraContext,
  tenantSegment: string,
  query: URLSearchParams,
  headers: Record<string, string | string[] | undefined>,
  identityHeader: string,
): Promise<Answer> {
  const correlationId = randomUUID();
  const fail = (statusCode: number, message: string, tenantId?: string): Answer => ({
    status: statusCode,
    body: { statusCode, message, correlationId },
    ...(tenantId ? { tenantId } : {}),
  });
  if (headers["x-identity-header"] !== identityHeader) return fail(401, "The X-IDENTITY-HEADER header is missing or wrong.");
  const tenant = ctx.directory.findTenant(tenantSegment);
  if (!tenant) return fail(404, `No managed identity endpoint for '${tenantSegment}'.`);
  const resource = query.get("resource") ?? "";
  if (!resource) return fail(400, "The 'resource' query parameter is required.", tenant.tenantId);
  const clientId = query.get("client_id");
  const objectId = query.get("object_id") ?? query.get("principal_id");
  const resourceId = query.get("mi_res_id") ?? query.get("msi_res_id");
  const identity = findManagedIdentity(ctx, tenant, { clientId, objectId, resourceId });
  if (!identity) return fail(400, "No Managed Identity found for specified ClientId/ResourceId/PrincipalId.", tenant.tenantId);
  const bare = resource.replace(/\/\.default$/, "");
  const resourcePrincipal = ctx.directory.visibleResourcePrincipal(tenant, bare);
  if (!resourcePrincipal) {
    const e = entraError(500011, { resource: bare, tenant: tenant.organization }, { authorityUrl: ctx.url, now: new Date(ctx.nowSeconds() * 1000) });
    return fail(400, e.body.error_description, tenant.tenantId);
  }
  const accessToken = await managedIdentityAccessToken(ctx, tenant, identity, bare, resourcePrincipal);
  return {
    status: 200,
    tenantId: tenant.tenantId,
    body: {
      access_token: accessToken,
      expires_on: String(ctx.nowSeconds() + ACCESS_TOKEN_LIFETIME_SECONDS),
      resource: bare,
      token_type: "Bearer",
      client_id: identity.clientId,
    },
  };
}

/**
 * A managed identity's token as the Azure Instance Metadata Service serves it on a VM (or an Automation hybrid
 * worker): `GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=<resource>[&client_id=|&object_id=|
 * &msi_res_id=]` with the header `Metadata: true`. Errors as IMDS answers them: `{error, error_description}`
 * (400 without the Metadata header, 400 for an unknown identity, 400 `invalid_resource` with AADSTS500011 text when
 * the resource has no service principal). Numbers in the success body are strings, as IMDS sends them.
 */
export async function imdsToken(
  ctx: EntraContext,
  tenantSegment: string,
  query: URLSearchParams,
  headers: Record<string, string | string[] | undefined>,
): Promise<Answer> {
  const fail = (status: number, error: string, description: string, tenantId?: string): Answer => ({
    status,
    body: { error, error_description: description },
    ...(tenantId ? { tenantId } : {}),
  });
  if (String(headers["metadata"] ?? "").toLowerCase() !== "true") return fail(400, "invalid_request", "Required metadata header not specified");
  const tenant = ctx.directory.findTenant(tenantSegment);
  if (!tenant) return fail(404, "not_found", `No emulated virtual machine for tenant '${tenantSegment}'.`);
  if (!query.get("api-version")) return fail(400, "invalid_request", "Required query variable 'api-version' is missing", tenant.tenantId);
  const resource = query.get("resource") ?? "";
  if (!resource) return fail(400, "invalid_request", "Required query variable 'resource' is missing", tenant.tenantId);
  const clientId = query.get("client_id");
  const objectId = query.get("object_id");
  const resourceId = query.get("msi_res_id") ?? query.get("mi_res_id");
  const identity = findManagedIdentity(ctx, tenant, { clientId, objectId, resourceId });
  if (!identity) return fail(400, "invalid_request", "Identity not found", tenant.tenantId);
  const bare = resource.replace(/\/\.default$/, "");
  const resourcePrincipal = ctx.directory.visibleResourcePrincipal(tenant, bare);
  if (!resourcePrincipal) {
    const e = entraError(500011, { resource: bare, tenant: tenant.organization }, { authorityUrl: ctx.url, now: new Date(ctx.nowSeconds() * 1000) });
    return fail(400, "invalid_resource", e.body.error_description, tenant.tenantId);
  }
  const accessToken = await managedIdentityAccessToken(ctx, tenant, identity, bare, resourcePrincipal);
  const now = ctx.nowSeconds();
  return {
    status: 200,
    tenantId: tenant.tenantId,
    body: {
      access_token: accessToken,
      client_id: identity.clientId,
      expires_in: String(ACCESS_TOKEN_LIFETIME_SECONDS),
      expires_on: String(now + ACCESS_TOKEN_LIFETIME_SECONDS),
      ext_expires_in: String(ACCESS_TOKEN_LIFETIME_SECONDS),
      not_before: String(now),
      resource: bare,
      token_type: "Bearer",
    },
  };
}

/** The resource a client-credentials `scope` names: exactly one `<resource>/.default`, OIDC scopes ignored. */
function parseScope(scope: string | null): string {
  const parts = (scope ?? "").split(/\s+/).filter((s) => s && !OIDC_SCOPES.has(s.toLowerCase()));
  if (parts.length === 0) throw new TokenFailure(70011, { scope: scope ?? "" });
  const notDefault = parts.find((s) => !s.toLowerCase().endsWith("/.default"));
  if (notDefault) throw new TokenFailure(1002012, { scope: notDefault });
  if (parts.length > 1) throw new TokenFailure(700022, { scope: parts.join(" ") });
  return parts[0]!.slice(0, -"/.default".length);
}

/**
 * The application and its service principal in this tenant; both must be visible, else 700016 as Entra answers
 * while an app replicates. The app is registered in this tenant, or it is a multi-tenant app (AzureADMultipleOrgs)
 * registered in another tenant of the same cloud: then its credentials are the home registration's, and the
 * token's tenant, object id and roles are this tenant's service principal's. A single-tenant app is not found
 * anywhere but at home (700016), even should a principal for it exist here.
 */
function resolveClient(ctx: EntraContext, tenant: TenantRecord, clientId: string): { app: ApplicationRecord; objectId: string } {
  const d = ctx.directory;
  const notFound = new TokenFailure(700016, { clientId, tenant: tenant.tenantId });
  const registered = d.findApplicationAnywhere(clientId);
  if (!registered || !d.isVisible(registered)) throw notFound;
  if (registered.tenantId !== tenant.tenantId) {
    const home = d.findTenant(registered.tenantId);
    if (!isMultiTenantAudience(registered.signInAudience) || home?.cloud !== tenant.cloud) throw notFound;
  }
  const sp = d.findServicePrincipalByClientId(tenant, clientId, { visibleOnly: true });
  if (!sp) throw notFound;
  return { app: registered, objectId: sp.objectId };
}

function isExpired(endDate: string | undefined, nowSeconds: number): boolean {
  return endDate !== undefined && Date.parse(endDate) <= nowSeconds * 1000;
}

async function authenticate(ctx: EntraContext, tenant: TenantRecord, app: ApplicationRecord, form: Form): Promise<Authenticated> {
  const d = ctx.directory;
  const secret = form.get("client_secret");
  const assertion = form.get("client_assertion");
  const now = ctx.nowSeconds();
  if (secret !== null && secret !== "") {
    const match = app.passwords.find((p) => d.isVisible(p) && p.secretText === secret);
    if (!match) throw new TokenFailure(7000215, { clientId: app.clientId });
    if (isExpired(match.endDate, now)) throw new TokenFailure(7000222, { clientId: app.clientId });
    return { app, appidacr: "1" };
  }
  if (assertion !== null && assertion !== "") {
    if (form.get("client_assertion_type") !== JWT_BEARER) throw new TokenFailure(900144, { parameter: "client_assertion_type" });
    let header: ReturnType<typeof decodeProtectedHeader>;
    let payload: JWTPayload;
    try {
      header = decodeProtectedHeader(assertion);
      payload = decodeJwt(assertion);
    } catch {
      throw new TokenFailure(700027, { reason: "The client assertion is not a well-formed JWT." });
    }
    // An assertion the client signed itself has iss = sub = clientId; anything else is an external (federated)
    // token. External issuers put x5t/kid in their headers too, so the header cannot tell them apart.
    if (payload.iss !== app.clientId) return verifyFederatedAssertion(ctx, app, assertion, payload);
    const x5tS256 = typeof header["x5t#S256"] === "string" ? header["x5t#S256"] : undefined;
    const x5t = typeof header.x5t === "string" ? header.x5t : undefined;
    if (x5tS256 || x5t) return verifyCertificateAssertion(ctx, tenant, app, assertion, { x5t, x5tS256 });
    throw new TokenFailure(700027, { reason: "The client assertion names no certificate (x5t or x5t#S256)." });
  }
  throw new TokenFailure(7000218, {});
}

async function verifyCertificateAssertion(
  ctx: EntraContext,
  tenant: TenantRecord,
  app: ApplicationRecord,
  assertion: string,
  t: { x5t?: string; x5tS256?: string },
): Promise<Authenticated> {
  const now = ctx.nowSeconds();
  const cert = app.certificates.find((c) => ctx.directory.isVisible(c) && ((t.x5tS256 && c.x5tS256 === t.x5tS256) || (t.x5t && c.x5t === t.x5t)));
  if (!cert) {
    throw new TokenFailure(700027, {
      reason: `The certificate with identifier used to sign the client assertion is not registered on application '${app.clientId}'.`,
    });
  }
  const x509 = new X509Certificate(cert.certificatePem);
  if (isExpired(cert.endDate, now) || Date.parse(x509.validTo) <= now * 1000) {
    throw new TokenFailure(700027, { reason: "The certificate used to sign the client assertion has expired." });
  }
  const audiences = [tenant.tenantId, tenant.organization].flatMap((t) => [
    `${ctx.url}/${t}/oauth2/v2.0/token`,
    `${ctx.url}/${t}/oauth2/token`,
    `${ctx.url}/${t}/v2.0`,
  ]);
  try {
    await jwtVerify(assertion, createPublicKey(x509.publicKey.export({ type: "spki", format: "pem" })), {
      algorithms: ["RS256", "PS256"],
      audience: audiences,
      issuer: app.clientId,
      subject: app.clientId,
      requiredClaims: ["exp"],
      currentDate: new Date(now * 1000),
      clockTolerance: ASSERTION_CLOCK_TOLERANCE_SECONDS,
    });
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired || (e instanceof joseErrors.JWTClaimValidationFailed && e.claim === "nbf")) {
      throw new TokenFailure(700024, {});
    }
    if (e instanceof joseErrors.JWTClaimValidationFailed) {
      throw new TokenFailure(700027, { reason: `The client assertion's '${e.claim}' claim is invalid.` });
    }
    throw new TokenFailure(700027, { reason: "The client assertion's signature does not match the registered certificate." });
  }
  return { app, appidacr: "2" };
}

async function verifyFederatedAssertion(ctx: EntraContext, app: ApplicationRecord, assertion: string, unverified: JWTPayload): Promise<Authenticated> {
  const issuer = String(unverified.iss ?? "");
  const subject = String(unverified.sub ?? "");
  const aud = unverified.aud;
  const audiences = Array.isArray(aud) ? aud.map(String) : aud !== undefined ? [String(aud)] : [];
  const claims = { issuer, subject, audience: audiences.join(",") };
  // Entra names the first claim no visible credential matches: issuer (700211), then subject (700213, compared
  // exactly: GitHub's name-only and immutable subjects are different strings), then audience (700212).
  const byIssuer = app.federatedCredentials.filter((f) => ctx.directory.isVisible(f) && f.issuer === issuer);
  if (byIssuer.length === 0) throw new TokenFailure(700211, claims);
  try {
    await verifyJwt(assertion, [ctx.federatedKey], ctx.nowSeconds(), ASSERTION_CLOCK_TOLERANCE_SECONDS);
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) throw new TokenFailure(700024, {});
    throw new TokenFailure(700027, { reason: "The federated token's signature could not be verified against the issuer's keys." });
  }
  const bySubject = byIssuer.filter((f) => f.subject === subject);
  if (bySubject.length === 0) throw new TokenFailure(700213, claims);
  if (!bySubject.some((f) => f.audiences.some((a) => audiences.includes(a)))) throw new TokenFailure(700212, claims);
  return { app, appidacr: "2" };
}

/** Claims of a token the emulator mints on request (tests of inspect-token): sensible defaults, caller wins. */
export function defaultMintedClaims(ctx: EntraContext): Record<string, unknown> {
  const now = ctx.nowSeconds();
  return { iat: now, nbf: now, exp: now + ACCESS_TOKEN_LIFETIME_SECONDS, uti: randomBytes(16).toString("base64url"), ver: "1.0", aio: randomUUID() };
}
