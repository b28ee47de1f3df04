/**
 * Exchange Online's `InvokeCommand` endpoint (what Connect-ExchangeOnline uses). The app role comes from the token
 * (as Exchange reads `roles`), the directory role from the directory's visible state at the time of the call (as
 * Exchange's RBAC does), so a role granted after the token was issued starts working once it propagates.
 */
import { randomUUID } from "node:crypto";
import { errors as joseErrors, type JWTPayload } from "jose";
import { EXCHANGE_ONLINE_APP_ID, EXCHANGE_ROLES, MANAGE_AS_APP_ROLE } from "../../src/facts";
import type { Answer, EntraContext } from "./entra";
import { CLOUDS } from "../../src/facts";
import { EXCHANGE_RESOURCE } from "./directory";
import { verifyJwt } from "./tokens";

export type ForbiddenBody = "nul" | "json";

export interface ExchangeContext extends EntraContext {
  /** What a 403 for a missing directory role carries: NUL bytes (as Exchange sometimes answers) or JSON. */
  forbiddenBody: ForbiddenBody;
}

/** Audiences Exchange accepts: its resource URI in the tenant's cloud (with or without a trailing slash) and its appId. */
function exchangeAudiences(resource: string): string[] {
  return [resource, `${resource}/`, EXCHANGE_ONLINE_APP_ID];
}
const ACCEPTED_ROLE_IDS = new Set(EXCHANGE_ROLES.map((r) => r.templateId.toLowerCase()));
/** Tolerance Exchange applies to a token's exp/nbf. */
const TOKEN_CLOCK_TOLERANCE_SECONDS = 300;

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
  // Each cloud's Exchange answers to its own resource URI (an unknown tenant is judged as the public cloud's).
  const resource = tenant ? CLOUDS[tenant.cloud].exchangeResource : EXCHANGE_RESOURCE;
  if (!aud.some((a) => a !== undefined && exchangeAudiences(resource).includes(a))) {
    return unauthorized(`The audience '${aud.join(",")}' is invalid: Exchange Online expects '${resource}'.`);
  }
  if (!tenant) return { ...unauthorized(`The tenant '${tenantSegment}' is unknown.`) };
  if (claims.tid !== tenant.tenantId) {
    return { ...unauthorized(`The token was issued for tenant '${String(claims.tid)}', not '${tenant.tenantId}'.`), tenantId: tenant.tenantId };
  }
  if (claims.scp !== undefined) {
    return { ...unauthorized("The token is a delegated (user) token; app-only access needs an application token."), tenantId: tenant.tenantId };
  }
  const roles = Array.isArray(claims.roles) ? claims.roles.map(String) : [];
  if (!roles.includes(MANAGE_AS_APP_ROLE.value)) {
    return { ...unauthorized(`The token has no '${MANAGE_AS_APP_ROLE.value}' role: grant admin consent for the application permission.`), tenantId: tenant.tenantId };
  }
  const oid = typeof claims.oid === "string" ? claims.oid : "";
  const appid = typeof claims.appid === "string" ? claims.appid : "";
  const held = ctx.directory.visibleDirectoryRoles(tenant, oid);
  const accepted = held.filter((id) => ACCEPTED_ROLE_IDS.has(id));
  if (accepted.length === 0) {
    if (held.length > 0) {
      return {
        ...exchangeError(
          403,
          "Forbidden",
          "The role assigned to application isn't supported in this scenario.",
          `The role assigned to application ${appid} isn't supported in this scenario. Please check online documentation for assigning correct Directory Roles to Azure AD Application for EXO App-Only Authentication.`,
        ),
        tenantId: tenant.tenantId,
      };
    }
    if (ctx.forbiddenBody === "nul") {
      return { status: 403, headers: { "content-type": "application/json;odata.metadata=minimal", "request-id": randomUUID() }, body: Buffer.alloc(8), tenantId: tenant.tenantId };
    }
    return {
      ...exchangeError(403, "Forbidden", "Access is denied.", `The application ${appid} holds no directory role Exchange Online accepts for app-only access.`),
      tenantId: tenant.tenantId,
    };
  }
  let cmdlet: string;
  let parameters: Record<string, unknown>;
  try {
    const body = JSON.parse(rawBody) as { CmdletInput?: { CmdletName?: unknown; Parameters?: unknown } };
    if (typeof body.CmdletInput?.CmdletName !== "string") throw new Error("no CmdletName");
    cmdlet = body.CmdletInput.CmdletName;
    parameters = typeof body.CmdletInput.Parameters === "object" && body.CmdletInput.Parameters !== null ? (body.CmdletInput.Parameters as Record<string, unknown>) : {};
  } catch {
    return { ...badRequest("The request body must be {\"CmdletInput\":{\"CmdletName\":...,\"Parameters\":{...}}}."), tenantId: tenant.tenantId };
  }
  const context = `${ctx.url}/adminapi/beta/${tenant.tenantId}/$metadata#Collection(Exchange.GenericHashTable)`;
  switch (cmdlet.toLowerCase()) {
    case "get-accepteddomain":
      return {
        status: 200,
        tenantId: tenant.tenantId,
        headers: { "content-type": "application/json;odata.metadata=minimal;odata.streaming=true", "request-id": randomUUID() },
        body: {
          "@odata.context": context,
          value: [
            {
              DomainName: tenant.organization,
              DomainType: "Authoritative",
              Default: true,
              InitialDomain: true,
              Name: tenant.organization,
              Identity: tenant.organization,
              IsValid: true,
              ObjectState: "Unchanged",
            },
          ],
        },
      };
    case "get-organizationconfig":
      return {
        status: 200,
        tenantId: tenant.tenantId,
        body: { "@odata.context": context, value: [{ Name: tenant.organization, Identity: tenant.organization, Guid: tenant.tenantId, IsDehydrated: false }] },
      };
    default:
      void parameters;
      return {
        ...badRequest(`The term '${cmdlet}' is not recognized as the name of a cmdlet the emulator knows.`),
        tenantId: tenant.tenantId,
      };
  }
}

function badRequest(detail: string): Answer {
  return { status: 400, headers: { "request-id": randomUUID() }, body: { error: { code: "BadRequest", message: detail, details: [{ code: "BadRequest", message: detail, target: "" }] } } };
}
