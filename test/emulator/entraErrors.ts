/**
 * Entra ID's error answers, in the real body shape:
 * `{error, error_description: "AADSTS<code>: <text> Trace ID: ... Correlation ID: ... Timestamp: ...",
 *   error_codes: [code], timestamp, trace_id, correlation_id, error_uri}`.
 */
import { randomUUID } from "node:crypto";

export interface EntraErrorSpec {
  readonly error: string;
  readonly status: number;
  readonly text: (a: Record<string, string>) => string;
}

/** The codes the emulator produces by itself, plus the ones tests commonly inject. */
export const ENTRA_ERRORS: Readonly<Record<number, EntraErrorSpec>> = {
  90002: {
    error: "invalid_request",
    status: 400,
    text: (a) => `Tenant '${a.tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
  },
  700016: {
    error: "unauthorized_client",
    status: 400,
    text: (a) => `Application with identifier '${a.clientId}' was not found in the directory '${a.tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  },
  7000215: {
    error: "invalid_client",
    status: 401,
    text: (a) => `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${a.clientId}'.`,
  },
  7000222: {
    error: "invalid_client",
    status: 401,
    text: (a) => `The provided client secret keys for app '${a.clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
  },
  700027: {
    error: "invalid_client",
    status: 401,
    text: (a) => `Client assertion failed signature validation. Trace ID reason: ${a.reason ?? "The key was not found."}`,
  },
  700024: {
    error: "invalid_client",
    status: 400,
    text: () => `Client assertion is not within its valid time range.`,
  },
  70021: {
    error: "invalid_request",
    status: 400,
    text: (a) => `No matching federated identity record found for presented assertion. Assertion Issuer: '${a.issuer}'. Assertion Subject: '${a.subject}'. Assertion Audience: '${a.audience}'.`,
  },
  // What Entra answers today, one code per claim that matched no credential. The texts are Entra's as users quote
  // them (azure/login and azd issues, Azure/azure-workload-identity's troubleshooting); `error` is inferred from those
  // reports (700212's body says invalid_client) and the status from the emulator's rule (401 for invalid_client).
  700211: {
    error: "invalid_client",
    status: 401,
    text: (a) => `No matching federated identity record found for presented assertion issuer '${a.issuer}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`,
  },
  700212: {
    error: "invalid_client",
    status: 401,
    text: (a) => `No matching federated identity record found for presented assertion audience '${a.audience}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`,
  },
  700213: {
    error: "invalid_client",
    status: 401,
    text: (a) => `No matching federated identity record found for presented assertion subject '${a.subject}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`,
  },
  7000218: {
    error: "invalid_client",
    status: 401,
    text: () => `The request body must contain the following parameter: 'client_assertion' or 'client_secret'.`,
  },
  900144: {
    error: "invalid_request",
    status: 400,
    text: (a) => `The request body must contain the following parameter: '${a.parameter}'.`,
  },
  70003: {
    error: "unsupported_grant_type",
    status: 400,
    text: (a) => `The app requested an unsupported grant type '${a.grantType}'.`,
  },
  1002012: {
    error: "invalid_scope",
    status: 400,
    text: (a) => `The provided value for scope ${a.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
  },
  70011: {
    error: "invalid_scope",
    status: 400,
    text: (a) => `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${a.scope ?? ""} is not valid.`,
  },
  700022: {
    error: "invalid_scope",
    status: 400,
    text: (a) => `The provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${a.scope ?? ""} is not valid.`,
  },
  500011: {
    error: "invalid_resource",
    status: 400,
    text: (a) => `The resource principal named ${a.resource} was not found in the tenant named ${a.tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
  },
  100007: {
    error: "invalid_request",
    status: 400,
    text: () => `AAD Regional ONLY supports auth either for MSIs OR for requests from MSAL using AppID which are explicitly allowed.`,
  },
  50196: {
    error: "temporarily_unavailable",
    status: 429,
    text: () => `The server terminated an operation because it encountered a client request loop. Please contact your app vendor.`,
  },
  90033: {
    error: "temporarily_unavailable",
    status: 503,
    text: () => `A transient error has occurred. Please try again.`,
  },
  7000112: {
    error: "unauthorized_client",
    status: 400,
    text: (a) => `Application '${a.clientId ?? ""}' is disabled.`,
  },
};

/** Entra's timestamp format in error descriptions: `2019-06-25 21:34:51Z`. */
function entraTimestamp(d: Date): string {
  return d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

export interface EntraErrorBody {
  readonly error: string;
  readonly error_description: string;
  readonly error_codes: number[];
  readonly timestamp: string;
  readonly trace_id: string;
  readonly correlation_id: string;
  readonly error_uri: string;
}

export function entraError(
  code: number,
  args: Record<string, string>,
  o: { correlationId?: string; now?: Date; authorityUrl: string },
): { status: number; body: EntraErrorBody } {
  const spec = ENTRA_ERRORS[code] ?? { error: "invalid_request", status: 400, text: () => `Emulated Entra ID error ${code}.` };
  const now = o.now ?? new Date();
  const traceId = randomUUID();
  const correlationId = o.correlationId && /^[0-9a-f-]{36}$/i.test(o.correlationId) ? o.correlationId : randomUUID();
  const timestamp = entraTimestamp(now);
  return {
    status: spec.status,
    body: {
      error: spec.error,
      error_description: `AADSTS${code}: ${spec.text(args)} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${o.authorityUrl}/error?code=${code}`,
    },
  };
}
