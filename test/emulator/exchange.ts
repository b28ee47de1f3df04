/**
 * Exchange Online's REST surfaces (what Connect-ExchangeOnline and Connect-IPPSSession use, and the Admin API).
 * The app role comes from the token (as Exchange reads `roles`); the directory role and Exchange's own RBAC from the
 * visible state at the time of the call (as Exchange's RBAC does), so a role granted after the token was issued
 * starts working once it propagates. Each cmdlet is then allowed or refused by what the caller holds
 * (src/facts/cmdletPermissions.ts): a refusal is Exchange's real 401 "User is not allowed to call <cmdlet>".
 *
 * - `exchange`: `POST /adminapi/beta/{tenant}/InvokeCommand`, audience the cloud's InvokeCommand resource.
 * - `compliance`: Security & Compliance, `POST /compliance/adminapi/beta/{tenant}/InvokeCommand` (the real one is
 *   `https://ps.compliance.protection.outlook.com/adminapi/beta/{tenant}/InvokeCommand`, redirecting to a regional
 *   host); audience the cloud's S&C resource; only the directory roles that work for compliance; in GCC High and
 *   DoD also Exchange Online Protection's Exchange.ManageAsApp. Exchange Online's role groups do not reach it: S&C
 *   has role groups of its own (Microsoft documents service principals in them too), which the emulator does not
 *   model, since this project does not create them.
 * - `adminApiV2` (preview): `POST /adminapi/v2.0/{tenant}/{Endpoint}`, audience the cloud's Admin API resource (in
 *   China another than InvokeCommand's), needing Exchange.ManageAsAppV2.
 * Each surface accepts its own audience only, as Exchange compares a token's aud with the host it is sent to.
 */
import { randomUUID } from "node:crypto";
import { errors as joseErrors, type JWTPayload } from "jose";
import {
  CLOUDS,
  EXCHANGE_ONLINE_APP_ID,
  EXCHANGE_ONLINE_PROTECTION_APP_ID,
  EXCHANGE_ROLES,
  EOP_MANAGE_AS_APP_ROLE,
  MANAGE_AS_APP_ROLE,
  MANAGE_AS_APP_V2_ROLE_VALUE,
  type Workload,
} from "../../src/facts";
import { findCmdletPermission } from "../../src/facts/cmdletPermissions";
import type { Answer, EntraContext } from "./entra";
import { complianceResources, EXCHANGE_RESOURCE, exchangeAudienceOf, type TenantRecord } from "./directory";
import { ExchangeRbac, type CmdletOutcome } from "./exchangeRbac";
import { verifyJwt } from "./tokens";

export type ForbiddenBody = "nul" | "json";

export interface ExchangeContext extends EntraContext {
  /** What a 403 for a missing directory role carries: NUL bytes (as Exchange sometimes answers) or JSON. */
  forbiddenBody: ForbiddenBody;
  /** Exchange's own RBAC: service principals, management role assignments, role groups. */
  exchangeRbac: ExchangeRbac;
  /** Rows a page (Exchange's default is 1,000); larger answers carry `@odata.nextLink`. */
  pageSize: number;
}

export type ExchangeSurface = { readonly kind: "exchange" } | { readonly kind: "compliance" } | { readonly kind: "adminApiV2"; readonly endpoint: string };

/** Audiences Exchange accepts: its resource URI in the tenant's cloud (with or without a trailing slash) and its appId. */
function exchangeAudiences(resource: string): string[] {
  return [resource, `${resource}/`, EXCHANGE_ONLINE_APP_ID];
}
const ROLE_BY_ID = new Map(EXCHANGE_ROLES.map((r) => [r.templateId.toLowerCase(), r]));
/** Tolerance Exchange applies to a token's exp/nbf. */
const TOKEN_CLOCK_TOLERANCE_SECONDS = 300;

/** The Admin API's endpoints and the cmdlets each takes (Microsoft's endpoint reference); the emulator runs the Get- ones it knows. */
const ADMIN_API_ENDPOINTS: Readonly<Record<string, readonly string[]>> = {
  accepteddomain: ["Get-AcceptedDomain"],
  mailbox: ["Get-Mailbox", "Set-Mailbox"],
  organizationconfig: ["Get-OrganizationConfig"],
  mailboxfolderpermission: [],
  distributiongroupmember: [],
  dynamicdistributiongroupmember: [],
};
function exchangeError(status: number, code: string, message: string, detail: string, extraHeaders?: Record<string, string>): Answer {
  const requestId = randomUUID();
  return {
    status,
    headers: { "request-id": requestId, "x-ms-diagnostics": `2000001;reason="${detail.replace(/"/g, "'")}";error_category="invalid_token"`, ...extraHeaders },
    body: {
      error: {
        code,
        message,
        details: [{ code, message: detail, target: "" }],
        innererror: {
          message: detail,
          type: "Microsoft.Exchange.Admin.OData.Core.ODataServiceException",
          stacktrace: "",
          internalexception: { message: detail, type: "System.UnauthorizedAccessException", stacktrace: "" },
        },
      },
    },
  };
}

function unauthorized(detail: string): Answer {
  return exchangeError(401, "UnAuthorized", "Access is denied. Check credentials and try again.", detail, {
    "www-authenticate": `Bearer client_id="${EXCHANGE_ONLINE_APP_ID}", token_types="app_asserted_user_v1 service_asserted_app_v1", error="invalid_token"`,
  });
}

export async function invokeCommand(
  ctx: ExchangeContext,
  tenantSegment: string,
  headers: Record<string, string | string[] | undefined>,
  rawBody: string,
  surface: ExchangeSurface = { kind: "exchange" },
  skip = 0,
): Promise<Answer> {
  const tenant = ctx.directory.findTenant(tenantSegment);
  const auth = typeof headers.authorization === "string" ? headers.authorization : "";
  const m = /^Bearer\s+(\S+)$/i.exec(auth);
  if (!m) return unauthorized("The request has no bearer token.");
  let claims: JWTPayload;
  try {
    claims = await verifyJwt(m[1]!, [ctx.tokenKey], ctx.nowSeconds(), TOKEN_CLOCK_TOLERANCE_SECONDS);
  } catch (e) {
    if (e instanceof joseErrors.JWTExpired) return unauthorized("The token has expired.");
    return unauthorized("The token could not be validated (signature, format or issuer).");
  }
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  // Each cloud's surface answers to its own audience (an unknown tenant is judged as the public cloud's InvokeCommand).
  const cloud = tenant ? tenant.cloud : "public";
  const compliance = surface.kind === "compliance";
  const expected = compliance
    ? complianceResources(cloud)
    : [tenant ? exchangeAudienceOf(tenant, surface.kind === "adminApiV2" ? "adminApi" : "invokeCommand") : EXCHANGE_RESOURCE];
  const audiences = compliance ? expected.flatMap((r) => [r, `${r}/`]) : exchangeAudiences(expected[0]!);
  if (!aud.some((a) => a !== undefined && audiences.includes(a))) {
    const what = compliance ? "Security & Compliance" : surface.kind === "adminApiV2" ? "The Admin API" : "Exchange Online";
    return unauthorized(`The audience '${aud.join(",")}' is invalid: ${what} expects '${expected[0]}'.`);
  }
  if (!tenant) return { ...unauthorized(`The tenant '${tenantSegment}' is unknown.`) };
  const tenantId = tenant.tenantId;
  if (claims.tid !== tenantId) {
    return { ...unauthorized(`The token was issued for tenant '${String(claims.tid)}', not '${tenantId}'.`), tenantId };
  }
  const oid = typeof claims.oid === "string" ? claims.oid.toLowerCase() : "";
  const appid = typeof claims.appid === "string" ? claims.appid : "";
  // A delegated admin (a user who signed in): their directory roles travel in `wids`; users are not modelled.
  const delegated = claims.scp !== undefined;
  if (delegated && !(claims.idtyp === "user" && String(claims.scp).split(" ").includes("Exchange.Manage"))) {
    return { ...unauthorized("The token is a delegated (user) token; app-only access needs an application token."), tenantId };
  }
  const roles = Array.isArray(claims.roles) ? claims.roles.map(String) : [];
  const appRole = surface.kind === "adminApiV2" ? MANAGE_AS_APP_V2_ROLE_VALUE : MANAGE_AS_APP_ROLE.value;
  if (!delegated && !roles.includes(appRole)) {
    return { ...unauthorized(`The token has no '${appRole}' role: grant admin consent for the application permission.`), tenantId };
  }
  if (!delegated && compliance && CLOUDS[cloud].compliance.needsExchangeOnlineProtection && !holdsEopRole(ctx, tenant, oid)) {
    return {
      ...unauthorized(
        `The application ${appid} has no '${EOP_MANAGE_AS_APP_ROLE.value}' role of Microsoft Exchange Online Protection (${EXCHANGE_ONLINE_PROTECTION_APP_ID}): Security & Compliance in ${CLOUDS[cloud].label} needs it besides Office 365 Exchange Online's.`,
      ),
      tenantId,
    };
  }
  const workload: Workload = compliance ? "compliance" : "exchange";
  const held = delegated ? (Array.isArray(claims.wids) ? claims.wids.map((w) => String(w).toLowerCase()) : []) : ctx.directory.visibleDirectoryRoles(tenant, oid);
  const accepted = held.map((id) => ROLE_BY_ID.get(id)).filter((r) => r !== undefined && r.workloads.includes(workload)).map((r) => r!.name);
  // Exchange Online's role groups reach Exchange Online and the Admin API; S&C's own role groups are not modelled.
  const managementRoles = compliance || delegated ? new Set<string>() : ctx.exchangeRbac.managementRoles(tenantId, oid);
  if (accepted.length === 0 && managementRoles.size === 0) return noRole(ctx, held.length > 0, appid, tenantId);
  let cmdlet: string;
  let parameters: Record<string, unknown>;
  try {
    const body = JSON.parse(rawBody) as { CmdletInput?: { CmdletName?: unknown; Parameters?: unknown } };
    if (typeof body.CmdletInput?.CmdletName !== "string") throw new Error("no CmdletName");
    cmdlet = body.CmdletInput.CmdletName;
    parameters = typeof body.CmdletInput.Parameters === "object" && body.CmdletInput.Parameters !== null ? (body.CmdletInput.Parameters as Record<string, unknown>) : {};
  } catch {
    return { ...badRequest("The request body must be {\"CmdletInput\":{\"CmdletName\":...,\"Parameters\":{...}}}."), tenantId };
  }
  if (surface.kind === "adminApiV2") {
    const allowed = ADMIN_API_ENDPOINTS[surface.endpoint.toLowerCase()];
    if (!allowed) return { status: 404, tenantId, body: { error: { code: "NotFound", message: `The Admin API has no endpoint '${surface.endpoint}'.` } } };
    if (!allowed.some((c) => c.toLowerCase() === cmdlet.toLowerCase())) {
      return { ...badRequest(`The ${surface.endpoint} endpoint does not take '${cmdlet}'${allowed.length > 0 ? ` (it takes ${allowed.join(", ")})` : ""}.`), tenantId };
    }
  }
  const permission = findCmdletPermission(cmdlet);
  if (!permission || permission.workload !== workload) {
    return { ...badRequest(`The term '${cmdlet}' is not recognized as the name of a cmdlet the emulator knows.`), tenantId };
  }
  const mayRun =
    permission.appOnly !== false || delegated
      ? accepted.some((r) => permission.directoryRoles.includes(r)) || permission.exchangeRoles.some((r) => managementRoles.has(r))
      : false;
  if (!mayRun) return { ...notAllowed(permission.cmdlet), tenantId };
  const outcome = run(ctx, tenant, permission.cmdlet, parameters);
  if (!outcome.ok) return { ...cmdletError(outcome), tenantId };
  const base = compliance ? `${ctx.url}/compliance` : ctx.url;
  const context = `${base}/adminapi/${surface.kind === "adminApiV2" ? "v2.0" : "beta"}/${tenantId}/$metadata#Collection(Exchange.GenericHashTable)`;
  const page = outcome.value.slice(skip, skip + ctx.pageSize);
  const more = skip + ctx.pageSize < outcome.value.length;
  const path = surface.kind === "adminApiV2" ? `adminapi/v2.0/${tenantId}/${surface.endpoint}` : `adminapi/beta/${tenantId}/InvokeCommand`;
  return {
    status: 200,
    tenantId,
    headers: { "content-type": "application/json;odata.metadata=minimal;odata.streaming=true", "request-id": randomUUID() },
    body: { "@odata.context": context, ...(more ? { "@odata.nextLink": `${base}/${path}?$skiptoken=${skip + ctx.pageSize}` } : {}), value: page },
  };
}

/** The caller holds no role this surface accepts: Exchange's 403 (NUL bytes or JSON), or "isn't supported" when it holds others. */
function noRole(ctx: ExchangeContext, holdsOthers: boolean, appid: string, tenantId: string): Answer {
  if (holdsOthers) {
    return {
      ...exchangeError(
        403,
        "Forbidden",
        "The role assigned to application isn't supported in this scenario.",
        `The role assigned to application ${appid} isn't supported in this scenario. Please check online documentation for assigning correct Directory Roles to Azure AD Application for EXO App-Only Authentication.`,
      ),
      tenantId,
    };
  }
  if (ctx.forbiddenBody === "nul") {
    return { status: 403, headers: { "content-type": "application/json;odata.metadata=minimal", "request-id": randomUUID() }, body: Buffer.alloc(8), tenantId };
  }
  return { ...exchangeError(403, "Forbidden", "Access is denied.", `The application ${appid} holds no directory role Exchange Online accepts for app-only access.`), tenantId };
}

function holdsEopRole(ctx: ExchangeContext, tenant: TenantRecord, oid: string): boolean {
  const eop = ctx.directory.findServicePrincipalByClientId(tenant, EXCHANGE_ONLINE_PROTECTION_APP_ID, { visibleOnly: true });
  return eop !== undefined && ctx.directory.visibleRoles(tenant, oid, eop).includes(EOP_MANAGE_AS_APP_ROLE.value);
}

/** Exchange's answer to a cmdlet the caller's roles do not include (MicrosoftDocs/office-docs-powershell#7970). */
function notAllowed(cmdlet: string): Answer {
  const message = `User is not allowed to call ${cmdlet}`;
  return { status: 401, headers: { "request-id": randomUUID() }, body: { error: { code: "Unauthorized", message, innererror: { message, type: "Microsoft.Exchange.Admin.OData.Core.ODataServiceException" } } } };
}

function cmdletError(outcome: Extract<CmdletOutcome, { ok: false }>): Answer {
  const code = outcome.status === 404 ? "NotFound" : "BadRequest";
  return {
    status: outcome.status,
    headers: { "request-id": randomUUID() },
    body: {
      error: {
        code,
        message: outcome.message,
        details: [{ code, message: outcome.message, target: "" }],
        innererror: { message: outcome.message, type: "Microsoft.Exchange.Admin.OData.Core.ODataServiceException", internalexception: { message: outcome.message, type: outcome.exception } },
      },
    },
  };
}

/** The rows of the cmdlets the emulator runs. */
function run(ctx: ExchangeContext, tenant: TenantRecord, cmdlet: string, parameters: Record<string, unknown>): CmdletOutcome {
  if (ExchangeRbac.handles(cmdlet)) return ctx.exchangeRbac.run(tenant.tenantId, cmdlet, parameters);
  const org = tenant.organization;
  const mailbox = { Name: "admin", Alias: "admin", DisplayName: "Admin", UserPrincipalName: `admin@${org}`, PrimarySmtpAddress: `admin@${org}`, RecipientTypeDetails: "UserMailbox", Identity: "admin" };
  switch (cmdlet) {
    case "Get-AcceptedDomain":
      return {
        ok: true,
        value: [{ DomainName: org, DomainType: "Authoritative", Default: true, InitialDomain: true, Name: org, Identity: org, IsValid: true, ObjectState: "Unchanged" }],
      };
    case "Get-OrganizationConfig":
      return { ok: true, value: [{ Name: org, Identity: org, Guid: tenant.tenantId, IsDehydrated: false }] };
    case "Get-Mailbox":
    case "Get-Recipient":
      return { ok: true, value: [mailbox] };
    case "Set-Mailbox":
      return typeof parameters.Identity === "string" && [mailbox.Identity, mailbox.UserPrincipalName].includes(parameters.Identity)
        ? { ok: true, value: [] }
        : { ok: false, status: 404, exception: "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException", message: `The operation couldn't be performed because object '${String(parameters.Identity ?? "")}' couldn't be found.` };
    default:
      // Security & Compliance's read cmdlets: an empty tenant.
      return { ok: true, value: [] };
  }
}

function badRequest(detail: string): Answer {
  return { status: 400, headers: { "request-id": randomUUID() }, body: { error: { code: "BadRequest", message: detail, details: [{ code: "BadRequest", message: detail, target: "" }] } } };
}
