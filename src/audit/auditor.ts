/**
 * The auditor's sign-in: the same chain as the Exchange RBAC resources (src/exchangeRbac/signIn.ts: ARM_* with a
 * secret or OIDC, ARM_USE_MSI, else DefaultAzureCredential and the Azure CLI), for tokens of the cloud's real Graph
 * and Exchange resources, whatever host the requests are then sent to. Who signed in (client id, tenant GUID, the
 * roles its Graph token carries) is read from that token for the report. No secret or token reaches a message.
 */
import type { TokenCredential } from "@azure/identity";
import { decodeJwt } from "jose";
import { CLOUDS, exchangeScope, type CloudName } from "../facts";
import { authorityHostFor, deployerCredential, deployerSignIn, describeSignIn } from "../exchangeRbac/signIn";
import { HttpTransport } from "../net/http";
import { Redactor } from "../text/redact";
import { AuditError } from "./managed";
import type { Auditor } from "./report";

export interface AuditorTarget {
  /** The tenant as given: its GUID or one of its domains. */
  readonly tenant: string;
  readonly environment: CloudName;
  /** Read for the sign-in chain; `AZURE_AUTHORITY_HOST` (or --authority-host) moves the login host. */
  readonly env: NodeJS.ProcessEnv;
}

export interface SignedInAuditor extends Auditor {
  /** The tenant's GUID, from the token (`tid`): what the judge compares app owners with. */
  readonly tenantId: string;
  graphToken(): Promise<string>;
  exchangeToken(): Promise<string>;
}

const SIGN_IN_REMEDY =
  "Sign in the way the azuread provider does: ARM_CLIENT_ID and ARM_TENANT_ID with ARM_CLIENT_SECRET or ARM_USE_OIDC=true, ARM_USE_MSI=true, or `az login --tenant <tenant>`; check --tenant.";

/** The variables that may hold a secret of the sign-in: kept out of every message. */
function redactorFor(env: NodeJS.ProcessEnv): Redactor {
  const redactor = new Redactor();
  for (const name of ["ARM_CLIENT_SECRET", "ARM_OIDC_TOKEN", "ARM_OIDC_REQUEST_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "AZURE_CLIENT_SECRET"]) redactor.add(env[name]);
  return redactor;
}

/**
 * Whether Entra says the tenant does not exist. The sign-in library words a failed metadata read only as
 * "endpoints_resolution_error": the tenant's OpenID metadata, read once more, says AADSTS90002 when it is unknown.
 */
async function tenantMissing(target: AuditorTarget): Promise<boolean> {
  const host = authorityHostFor(target.environment, target.env).replace(/\/+$/, "");
  const answer = await new HttpTransport({ deadline: Date.now() + 30_000 })
    .request("GET", `${host}/${encodeURIComponent(target.tenant)}/v2.0/.well-known/openid-configuration`)
    .catch(() => undefined);
  return answer !== undefined && answer.status >= 400 && /AADSTS90002\b/.test(answer.bodyText);
}

async function tokenFor(credential: TokenCredential, scope: string, target: AuditorTarget, what: string): Promise<string> {
  try {
    const token = await credential.getToken(scope, { tenantId: target.tenant });
    if (token?.token) return token.token;
  } catch (error) {
    const first = redactorFor(target.env).redact(((error as Error).message ?? String(error)).split("\n")[0]!.slice(0, 400));
    const missing = /AADSTS90002\b/.test(first) || (/endpoints_resolution_error/.test(first) && (await tenantMissing(target)));
    throw new AuditError(
      "ERR_SIGN_IN",
      missing
        ? `tenant ${target.tenant} does not exist in ${CLOUDS[target.environment].label} (Entra answered AADSTS90002)`
        : `cannot sign in to tenant ${target.tenant} for ${what} as ${describeSignIn(deployerSignIn(target.env))}: ${first}`,
      missing ? "Check --tenant (the tenant's GUID or one of its domains) and --environment." : SIGN_IN_REMEDY,
    );
  }
  throw new AuditError("ERR_SIGN_IN", `no token for ${what} in tenant ${target.tenant}`, SIGN_IN_REMEDY);
}

/** Signs in and reads who the auditor is from its Graph token. `credential` is the chain's unless a test gives one. */
export async function signInAuditor(target: AuditorTarget, credential?: TokenCredential): Promise<SignedInAuditor> {
  const cloud = CLOUDS[target.environment];
  const chosen = credential ?? (await deployerCredential({ tenantId: target.tenant, environment: target.environment, env: target.env }));
  const graphToken = () => tokenFor(chosen, `${cloud.graphResource}/.default`, target, `Microsoft Graph (${cloud.graphResource})`);
  const first = await graphToken();
  let claims: Record<string, unknown> = {};
  try {
    claims = decodeJwt(first) as Record<string, unknown>;
  } catch {
    // Not a JWT (an opaque token): who signed in stays unknown, the reading goes on.
  }
  const tid = typeof claims.tid === "string" ? claims.tid : target.tenant;
  const clientId = typeof claims.appid === "string" ? claims.appid : typeof claims.azp === "string" ? claims.azp : "unknown";
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === "string") : [];
  return {
    tenantId: tid,
    clientId,
    roles,
    graphToken,
    exchangeToken: () => tokenFor(chosen, exchangeScope(cloud.exchangeResource), target, `Exchange (${cloud.exchangeResource})`),
  };
}
