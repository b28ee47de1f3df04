/**
 * Pure checks of an access token's claims: is this a token Exchange Online accepts for app-only access?
 * Nothing here verifies a signature (only Entra ID and Exchange can); it reads claims to explain what they will say.
 */
import { decodeJwt, decodeProtectedHeader, type JWTPayload } from "jose";
import {
  CLOCK_SKEW_SECONDS,
  CLOUDS,
  EXCHANGE_ONLINE_APP_ID,
  MANAGE_AS_APP_ROLE,
  MICROSOFT_GRAPH_APP_ID,
  TOKEN_EXCHANGE_AUDIENCE,
  exchangeAudiences,
  exchangeScope,
  isGuid,
  type CloudName,
  type Workload,
} from "../facts";
import type { CheckResult } from "./types";
import { checkWorkloadRole } from "./workloadRole";

/** Tokens longer than this are refused unread: real Entra access tokens are a few kilobytes. */
export const MAX_TOKEN_CHARS = 64 * 1024;

/** Well-known audiences that are not Exchange Online, named the way people know them. */
const OTHER_AUDIENCES: ReadonlyArray<{ readonly match: (aud: string) => boolean; readonly name: string; readonly graph?: boolean }> = [
  {
    name: "Microsoft Graph",
    graph: true,
    match: (aud) =>
      aud === MICROSOFT_GRAPH_APP_ID ||
      Object.values(CLOUDS).some((cloud) => cloud.graphResource === aud),
  },
  { name: "Azure AD Graph (retired)", match: (aud) => aud === "00000002-0000-0000-c000-000000000000" || aud.startsWith("https://graph.windows.net") },
  { name: "Azure Resource Manager", match: (aud) => /^https:\/\/management\.(azure\.com|core\.windows\.net|usgovcloudapi\.net|chinacloudapi\.cn)$/.test(aud) },
  { name: "a workload identity federation assertion (api://AzureADTokenExchange), not an access token", match: (aud) => aud === TOKEN_EXCHANGE_AUDIENCE },
];

export type DecodedToken =
  | { readonly ok: true; readonly header: Record<string, unknown>; readonly claims: JWTPayload }
  | { readonly ok: false; readonly problem: string };

/**
 * Reads a JWT's header and claims without trusting them. Any input gets an answer: a malformed token gets a
 * sentence saying what is wrong with it (truncated, not base64url, not JSON, too large), never an exception.
 */
export function decodeToken(input: string): DecodedToken {
  let token = input.trim();
  if (/^bearer\s+/i.test(token)) token = token.replace(/^bearer\s+/i, "");
  if (token.length === 0) return { ok: false, problem: "the token is empty" };
  if (token.length > MAX_TOKEN_CHARS) {
    return { ok: false, problem: `the input is ${token.length} characters long; an access token is a few thousand at most, so this is not one` };
  }
  const parts = token.split(".");
  if (parts.length === 5) {
    return { ok: false, problem: "this is an encrypted token (JWE, five parts): only the resource it was issued for can read it" };
  }
  if (parts.length !== 3) {
    return {
      ok: false,
      problem: `a JWT has three dot-separated parts and this has ${parts.length}: it is truncated or not a JWT (copy the whole access_token value)`,
    };
  }
  const names = ["header", "payload", "signature"];
  for (let i = 0; i < 3; i += 1) {
    const part = parts[i]!;
    if (i < 2 && part.length === 0) return { ok: false, problem: `the ${names[i]} part is empty: the token is truncated or not a JWT` };
    if (!/^[A-Za-z0-9_-]*$/.test(part)) {
      return { ok: false, problem: `the ${names[i]} part is not base64url (it holds characters outside A-Z a-z 0-9 - _): the token was altered or is not a JWT` };
    }
    if (part.length % 4 === 1) return { ok: false, problem: `the ${names[i]} part has an impossible base64url length: the token is truncated` };
  }
  if (parts[2]!.length === 0) return { ok: false, problem: "the signature part is empty: an unsigned token is not an Entra ID access token" };
  for (const [i, label] of [[0, "header"], [1, "payload"]] as const) {
    const text = Buffer.from(parts[i]!, "base64url").toString("utf8");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { ok: false, problem: `the ${label} part does not decode to JSON: the token is truncated, altered or not a JWT` };
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return { ok: false, problem: `the ${label} part decodes to JSON that is not an object: this is not a JWT` };
    }
  }
  try {
    return { ok: true, header: decodeProtectedHeader(token) as Record<string, unknown>, claims: decodeJwt(token) };
  } catch (error) {
    return { ok: false, problem: `the token cannot be read as a JWT (${error instanceof Error ? error.message : "unknown reason"})` };
  }
}

/** What a token should say; absent fields are reported, not compared. */
export interface TokenExpectations {
  readonly environment: CloudName;
  /**
   * The resource the token was asked for (the check's): exactly this audience passes. Absent (a token from elsewhere,
   * inspect-token): any of the cloud's Exchange Online audiences (InvokeCommand's, the Admin API's), or Security &
   * Compliance's with `workload: compliance`.
   */
  readonly exchangeResource?: string;
  /** The surface the token is for: Exchange Online (default) or Security & Compliance (another resource, same role). */
  readonly workload?: Workload;
  /** The application permission `roles` must hold; default Exchange.ManageAsApp (the Admin API: Exchange.ManageAsAppV2). */
  readonly appRole?: string;
  readonly tenantId?: string;
  /**
   * True when the token was asked for from `tenantId`'s own authority (the check's sign-in): Entra ID resolved a
   * domain to the tenant that issued it, so tid needs no comparison. False for a token from elsewhere (inspect-token).
   */
  readonly tenantFromAuthority?: boolean;
  readonly clientId?: string;
  /** Milliseconds since the epoch; pass it in so the checks stay pure. */
  readonly now: number;
  readonly clockSkewSeconds?: number;
}

const trimSlash = (value: string): string => value.replace(/\/+$/, "");

function audiences(claims: JWTPayload): string[] {
  const aud = claims.aud;
  if (typeof aud === "string") return [aud];
  if (Array.isArray(aud)) return aud.filter((a): a is string => typeof a === "string");
  return [];
}

function stringClaim(claims: JWTPayload, name: string): string | undefined {
  const value = (claims as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}

function fail(id: CheckResult["id"], detail: string, remedy: string, healable: boolean): CheckResult {
  return { id, ok: false, detail, remedy, healable };
}

function pass(id: CheckResult["id"], detail: string): CheckResult {
  return { id, ok: true, detail, remedy: null };
}

/** The Exchange Online surfaces of `cloud` whose audience is `aud`, in words ("InvokeCommand", "the Admin API"). */
function surfacesOf(cloud: (typeof CLOUDS)[CloudName], aud: string): string {
  const names = [
    ...(trimSlash(cloud.invokeCommand.resource) === aud ? ["InvokeCommand"] : []),
    ...(trimSlash(cloud.adminApi.resource) === aud ? ["the Admin API"] : []),
  ];
  return names.join(" and ");
}

/**
 * `aud` is the resource the token was asked for, or (a token from elsewhere) one of the cloud's Exchange audiences,
 * or Exchange's appId. A Graph token, another cloud's and another surface's Exchange token are named as such.
 */
export function checkAudience(claims: JWTPayload, expect: Pick<TokenExpectations, "environment" | "exchangeResource" | "workload">): CheckResult {
  const cloud = CLOUDS[expect.environment];
  const compliance = expect.workload === "compliance";
  const exchange = exchangeAudiences(cloud).map(trimSlash);
  const accepted = expect.exchangeResource !== undefined ? [trimSlash(expect.exchangeResource)] : compliance ? [trimSlash(cloud.compliance.resource)] : exchange;
  const resource = accepted[0]!;
  const scope = exchangeScope(resource);
  const auds = audiences(claims).map(trimSlash);
  if (auds.length === 0) {
    return fail("token.audience", "the token has no aud (audience) claim", `Request a token with scope ${scope}.`, false);
  }
  const shown = auds.join(", ");
  if (compliance) {
    if (auds.some((a) => accepted.includes(a))) return pass("token.audience", `aud = ${shown}: Security & Compliance (${cloud.label})`);
    if (auds.some((a) => exchange.includes(a) || a.toLowerCase() === EXCHANGE_ONLINE_APP_ID)) {
      return fail(
        "token.audience",
        `This is an Exchange Online token (aud = ${shown}), not a Security & Compliance one: Connect-IPPSSession's endpoint rejects it`,
        `Ask for scope ${scope} (the same app and permission, another resource).`,
        false,
      );
    }
  } else {
    const match = auds.find((a) => accepted.includes(a) || a.toLowerCase() === EXCHANGE_ONLINE_APP_ID);
    if (match !== undefined) {
      // Named only where the cloud's surfaces take different audiences (China): which one this token is for.
      const surfaces = exchange.length > 1 ? surfacesOf(cloud, match) : "";
      return pass("token.audience", `aud = ${shown}: Exchange Online (${cloud.label})${surfaces ? `, the audience of ${surfaces}` : ""}`);
    }
    const otherSurface = auds.find((a) => exchange.includes(a));
    if (otherSurface !== undefined) {
      return fail(
        "token.audience",
        `aud = ${shown} is Exchange Online's audience for ${surfacesOf(cloud, otherSurface)} in ${cloud.label}, not ${resource}, the one asked for: Exchange refuses a token whose audience is not the host it is sent to`,
        `Ask for scope ${scope}.`,
        false,
      );
    }
  }
  for (const other of OTHER_AUDIENCES) {
    if (auds.some(other.match)) {
      if (other.graph) {
        return fail(
          "token.audience",
          `This is a Microsoft Graph token (aud = ${shown}), not an Exchange Online token: Exchange Online rejects it with 401`,
          `Ask for scope ${scope} instead of a Graph scope (https://graph.microsoft.com/.default); Graph permissions do not grant Exchange access.`,
          false,
        );
      }
      return fail("token.audience", `This is a token for ${other.name} (aud = ${shown}), not for Exchange Online`, `Ask Entra ID for scope ${scope}.`, false);
    }
  }
  const otherCloud = Object.values(CLOUDS).find((c) => c !== cloud && exchangeAudiences(c).some((a) => auds.includes(trimSlash(a))));
  if (otherCloud) {
    return fail(
      "token.audience",
      `aud = ${shown} is Exchange Online in ${otherCloud.label}, but the check expects ${cloud.label} (${resource})`,
      `Pass --environment ${otherCloud.name}, or ask for scope ${scope} against ${cloud.authorityHost}.`,
      false,
    );
  }
  return fail("token.audience", `aud = ${shown} is not ${compliance ? "Security & Compliance" : "Exchange Online"} (${resource})`, `Ask Entra ID for scope ${scope}.`, false);
}

/** No `scp`: an application (app-only) token, not a delegated (user) one. */
export function checkAppOnly(claims: JWTPayload): CheckResult {
  const scp = stringClaim(claims, "scp");
  const idtyp = stringClaim(claims, "idtyp");
  if (scp !== undefined || idtyp === "user") {
    const who = stringClaim(claims, "upn") ?? stringClaim(claims, "unique_name") ?? stringClaim(claims, "preferred_username");
    return fail(
      "token.app-only",
      `This is a delegated (user) token${who ? ` for ${who}` : ""}${scp !== undefined ? ` with scp = "${scp}"` : ""}: app-only access needs an application token`,
      "Use the client-credentials flow (a secret, certificate, federated credential or managed identity), not a sign-in; grant the application permission Exchange.ManageAsApp, not a delegated one.",
      false,
    );
  }
  return pass("token.app-only", idtyp === "app" ? "application token (idtyp = app, no scp)" : "application token (no scp claim)");
}

/**
 * `roles` holds Exchange.ManageAsApp (or `appRole`: the Admin API's Exchange.ManageAsAppV2). Missing = admin consent
 * missing or not yet propagated.
 */
export function checkRole(claims: JWTPayload, appRole: string = MANAGE_AS_APP_ROLE.value): CheckResult {
  const raw = (claims as Record<string, unknown>).roles;
  const roles = Array.isArray(raw) ? raw.filter((r): r is string => typeof r === "string") : [];
  if (roles.includes(appRole)) return pass("token.role", `roles contains ${appRole}`);
  if (stringClaim(claims, "scp") !== undefined) {
    return fail("token.role", `a delegated token carries no application roles (${appRole} is an application permission)`, "Use an app-only token (see token.app-only).", false);
  }
  const v1 = appRole === MANAGE_AS_APP_ROLE.value;
  const missing = fail(
    "token.role",
    roles.length === 0
      ? `the token has no roles claim: admin consent for ${appRole} is missing or has not propagated yet`
      : `roles = [${roles.join(", ")}] lacks ${appRole}: admin consent for it is missing or has not propagated yet`,
    v1
      ? `Grant admin consent for Office 365 Exchange Online › ${MANAGE_AS_APP_ROLE.value} (an app role assignment with appRoleId ${MANAGE_AS_APP_ROLE.id} to the app's service principal); a new grant can take minutes to reach tokens.`
      : `Grant admin consent for Office 365 Exchange Online › ${appRole} (set exchange-app-only:adminApi: true and run pulumi up); a new grant can take minutes to reach tokens.`,
    true,
  );
  return { ...missing, grant: true };
}

/**
 * `tid` is the tenant asked for. A domain cannot be compared with `tid` (a GUID): unless the token came from that
 * domain's own authority (`fromAuthority`), the check is a warning that says so, never a pass.
 */
export function checkTenant(claims: JWTPayload, tenantId: string | undefined, fromAuthority = false): CheckResult {
  const tid = stringClaim(claims, "tid");
  if (!tid) return fail("token.tenant", "the token has no tid (tenant) claim", "Ask the tenant's own authority (https://<login host>/<tenant id>), not /common or /organizations.", false);
  if (tenantId === undefined) return pass("token.tenant", `tid = ${tid} (no tenant given to compare)`);
  if (!isGuid(tenantId)) {
    if (fromAuthority) return pass("token.tenant", `tid = ${tid}, the tenant Entra ID resolved ${tenantId} to when it issued the token`);
    return {
      id: "token.tenant",
      ok: false,
      warning: true,
      detail: `not compared: the tenant was given as ${tenantId}, and a domain cannot be compared with the token's tid GUID; pass the tenant GUID (the token says tid = ${tid})`,
      remedy: `Pass the tenant GUID of ${tenantId} with --tenant-id (Entra admin center › Overview › Tenant ID, or \`az account show --query tenantId\`).`,
    };
  }
  if (tid.toLowerCase() === tenantId.toLowerCase()) return pass("token.tenant", `tid = ${tid}, the tenant asked for`);
  return fail("token.tenant", `tid = ${tid}, but the tenant asked for is ${tenantId}`, "Use the authority of the tenant that holds the app registration (https://<login host>/<tenant id>).", false);
}

/** `appid` (v1) or `azp` (v2) is the client asked for. */
export function checkClient(claims: JWTPayload, clientId: string | undefined): CheckResult {
  const appid = stringClaim(claims, "appid") ?? stringClaim(claims, "azp");
  if (!appid) return fail("token.client", "the token names no client (no appid or azp claim)", "Ask for an access token with the client-credentials flow.", false);
  if (clientId === undefined) return pass("token.client", `appid = ${appid} (no client id given to compare)`);
  if (appid.toLowerCase() === clientId.toLowerCase()) {
    const how = (claims as Record<string, unknown>).appidacr;
    const method = how === "1" ? ", authenticated with a secret" : how === "2" ? ", authenticated with a certificate or assertion" : "";
    return pass("token.client", `appid = ${appid}, the client asked for${method}`);
  }
  return fail("token.client", `appid = ${appid}, but the client asked for is ${clientId}`, "Check --client-id against the application (client) id of the app registration.", false);
}

/** Not expired; not issued (`iat`) or valid-from (`nbf`) in the future beyond the clock skew. */
export function checkLifetime(claims: JWTPayload, now: number, clockSkewSeconds = CLOCK_SKEW_SECONDS): CheckResult {
  const nowS = now / 1000;
  const { exp, nbf, iat } = claims;
  if (typeof exp !== "number") return fail("token.lifetime", "the token has no exp (expiry) claim", "Use an access token issued by Entra ID.", false);
  const iso = (s: number) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  if (exp <= nowS) {
    return fail("token.lifetime", `the token expired at ${iso(exp)} (${Math.round((nowS - exp) / 60)} min ago)`, "Ask for a fresh token; access tokens live about an hour. If it was just issued, this machine's clock is wrong.", false);
  }
  for (const [name, value] of [["nbf", nbf], ["iat", iat]] as const) {
    if (typeof value === "number" && value > nowS + clockSkewSeconds) {
      return fail(
        "token.lifetime",
        `${name} = ${iso(value)} is ${Math.round(value - nowS)} s in the future, beyond the ${clockSkewSeconds} s clock skew allowed`,
        "This machine's clock is behind: synchronise it (NTP) and try again.",
        false,
      );
    }
  }
  const minutes = Math.floor((exp - nowS) / 60);
  return pass("token.lifetime", `valid until ${iso(exp)} (${minutes} min left)`);
}

/** Every claim check, in report order; `token.workload` last, when the workload's roles can be judged from `wids`. */
export function checkClaims(claims: JWTPayload, expect: TokenExpectations): CheckResult[] {
  const workloadRole = checkWorkloadRole(claims, expect.workload ?? "exchange");
  return [
    checkAudience(claims, expect),
    checkAppOnly(claims),
    checkRole(claims, expect.appRole),
    checkTenant(claims, expect.tenantId, expect.tenantFromAuthority === true),
    checkClient(claims, expect.clientId),
    checkLifetime(claims, expect.now, expect.clockSkewSeconds),
    ...(workloadRole ? [workloadRole] : []),
  ];
}
