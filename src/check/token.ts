/**
 * One token request with msal-node, fresh every time: a new client application per attempt, so neither msal's
 * token cache nor its throttling cache (which would answer from memory after a 429 or 5xx) gets in the way of
 * an honest retry. The transport sees every answer; a failure is explained from what Entra ID actually said.
 */
import {
  AuthError,
  ConfidentialClientApplication,
  LogLevel,
  ManagedIdentityApplication,
  type Configuration,
  type NodeAuthOptions,
} from "@azure/msal-node";
import { exchangeScope, isMicrosoftAuthorityHost } from "../facts";
import { classifyAadsts, type Healing } from "./aadsts";
import { parseRetryAfter } from "../net/backoff";
import type { ParsedCertificate } from "./credentials";
import { CheckSetupError } from "../errors";
import { HttpTransport, TransportError, type HttpAnswer } from "../net/http";
import { Redactor } from "../text/redact";
import type { CheckResult, Credential } from "./types";

export interface TokenRequest {
  readonly tenantId: string;
  /** The app's client id; for a managed identity, the user-assigned identity's client id or undefined. */
  readonly clientId?: string;
  readonly credential: Credential;
  /** Pre-parsed when the credential is a certificate. */
  readonly certificate?: ParsedCertificate;
  readonly authorityHost: string;
  readonly exchangeResource: string;
  readonly transport: HttpTransport;
  readonly redactor: Redactor;
  /** OpenID metadata from an earlier attempt of the same run: saves one request per attempt. */
  readonly authorityMetadata?: string;
  readonly now: () => number;
}

export type TokenOutcome =
  | { readonly ok: true; readonly accessToken: string; readonly check: CheckResult; readonly authorityMetadata?: string }
  | { readonly ok: false; readonly check: CheckResult; readonly healing: Healing; readonly retryAfterMs?: number };

const QUIET_LOGGER = { loggerCallback: () => undefined, piiLoggingEnabled: false, logLevel: LogLevel.Error };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function transportCheck(error: TransportError, what: string): { check: CheckResult; healing: Healing } {
  const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(error.code);
  if (tls) {
    return {
      healing: "never",
      check: {
        id: "token.acquired",
        ok: false,
        detail: `the TLS certificate of ${new URL(error.url).origin} is not trusted (${error.code})`,
        remedy: "Point --authority-host at the real login host, or trust the host's CA with NODE_EXTRA_CA_CERTS.",
        healable: false,
      },
    };
  }
  if (error.code === "ERR_NOT_HTTPS") {
    const remedy =
      what === "the managed identity endpoint"
        ? "A managed identity endpoint may be plain http only on this machine (loopback) or at IMDS (169.254.169.254); check IDENTITY_ENDPOINT or AZURE_POD_IDENTITY_AUTHORITY_HOST."
        : "Use an https:// authority host.";
    return { healing: "never", check: { id: "token.acquired", ok: false, detail: error.message, remedy, healable: false } };
  }
  return {
    healing: "always",
    check: {
      id: "token.acquired",
      ok: false,
      detail: `no answer from ${what}: ${error.message}`,
      remedy: "A network problem or an outage: the check retries; check the proxy and firewall if it persists.",
      healable: true,
    },
  };
}

/**
 * The federated assertion could not be had (the token file vanished, GitHub's endpoint refused): a failed
 * token.acquired, not a setup error, since the check had started. An outage of the source heals; a refusal does not.
 */
function assertionCheck(error: unknown, source: string, redactor: Redactor): { check: CheckResult; healing: Healing } {
  const message = redactor.redact(error instanceof Error ? error.message : String(error)).split("\n")[0];
  const heals = error instanceof TransportError;
  return {
    healing: heals ? "always" : "never",
    check: {
      id: "token.acquired",
      ok: false,
      detail: `no federated assertion from ${source}: ${message}`,
      remedy: error instanceof CheckSetupError ? redactor.redact(error.remedy) : heals ? "A network problem or an outage: the check retries." : "Check the federated token source.",
      healable: heals,
    },
  };
}

function answerCheck(answer: HttpAnswer, what: string, now: number): { check: CheckResult; healing: Healing; retryAfterMs?: number } {
  const diagnosis = classifyAadsts(answer.status, parseJson(answer.bodyText));
  const retryAfterMs = parseRetryAfter(answer.headers["retry-after"], now);
  return {
    healing: diagnosis.healing,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    check: {
      id: "token.acquired",
      ok: false,
      detail: `${what} refused: ${diagnosis.explanation}`,
      remedy: diagnosis.remedy,
      healable: diagnosis.healing !== "never",
    },
  };
}

/** Asks Entra ID (or the managed identity endpoint) for an Exchange Online token. Never throws, except CheckSetupError. */
export async function acquireToken(request: TokenRequest): Promise<TokenOutcome> {
  const { transport, credential } = request;
  transport.forget("metadata");
  transport.forget("token");
  transport.forget("other");
  const networkClient = transport.msalNetworkClient();
  /** Why the federated assertion could not be had, if that is why msal gave up. */
  let assertionError: unknown;
  let accessToken: string | undefined;
  try {
    if (credential.kind === "managed-identity") {
      const app = new ManagedIdentityApplication({
        ...(credential.clientId ? { managedIdentityIdParams: { userAssignedClientId: credential.clientId } } : {}),
        system: { networkClient, disableInternalRetries: true, loggerOptions: QUIET_LOGGER },
      });
      const result = await app.acquireToken({ resource: request.exchangeResource, forceRefresh: true });
      accessToken = result.accessToken;
    } else {
      const auth: NodeAuthOptions = {
        clientId: request.clientId ?? "",
        authority: `${request.authorityHost}/${request.tenantId}`,
        ...(isMicrosoftAuthorityHost(request.authorityHost) ? {} : { knownAuthorities: [new URL(request.authorityHost).host] }),
        ...(request.authorityMetadata ? { authorityMetadata: request.authorityMetadata } : {}),
      };
      if (credential.kind === "secret") {
        auth.clientSecret = credential.secret;
      } else if (credential.kind === "certificate") {
        const cert = request.certificate;
        if (!cert) throw new Error("certificate credential without a parsed certificate");
        auth.clientCertificate = { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKey, x5c: cert.x5c };
      } else {
        auth.clientAssertion = async () => {
          try {
            const assertion = await credential.getAssertion();
            request.redactor.add(assertion);
            return assertion;
          } catch (error) {
            assertionError = error;
            throw error;
          }
        };
      }
      const config: Configuration = { auth, system: { networkClient, loggerOptions: QUIET_LOGGER } };
      const app = new ConfidentialClientApplication(config);
      const result = await app.acquireTokenByClientCredential({ scopes: [exchangeScope(request.exchangeResource)], skipCache: true });
      accessToken = result?.accessToken;
    }
  } catch (error) {
    if (assertionError !== undefined && credential.kind === "federated") return { ok: false, ...assertionCheck(assertionError, credential.source, request.redactor) };
    if (error instanceof CheckSetupError) throw error;
    const now = request.now();
    // A managed identity endpoint's URL is App Service's (`/msi/token`: kind "other") or IMDS's
    // (`/metadata/identity/oauth2/token`: kind "token"); either answer is the managed identity endpoint's.
    const endpoints: readonly (readonly ["token" | "other" | "metadata", string])[] =
      credential.kind === "managed-identity"
        ? [["other", "the managed identity endpoint"], ["token", "the managed identity endpoint"]]
        : [["token", "the token endpoint"], ["metadata", "the OpenID metadata endpoint"]];
    for (const [kind, label] of endpoints) {
      const seen = transport.last[kind];
      if (seen?.error) return { ok: false, ...transportCheck(seen.error, label) };
      if (seen?.answer && seen.answer.status >= 400) return { ok: false, ...answerCheck(seen.answer, label, now) };
    }
    const message = error instanceof AuthError ? `${error.errorCode}: ${error.errorMessage || error.message}` : (error as Error)?.message ?? String(error);
    return {
      ok: false,
      healing: "never",
      check: {
        id: "token.acquired",
        ok: false,
        detail: `msal-node could not ask for a token: ${request.redactor.redact(message).split("\n")[0]}`,
        remedy:
          credential.kind === "managed-identity"
            ? "Run where the managed identity is available (an Azure VM, App Service, Functions, Container Apps, Arc), or use another credential."
            : "Check --authority-host, --tenant-id and --client-id.",
        healable: false,
      },
    };
  }
  if (!accessToken) {
    return {
      ok: false,
      healing: "always",
      check: { id: "token.acquired", ok: false, detail: "the token endpoint answered without an access token", remedy: "Retry; if it persists, check the authority host.", healable: true },
    };
  }
  request.redactor.add(accessToken);
  const metadata = transport.last.metadata?.answer;
  const authorityMetadata = request.authorityMetadata ?? (metadata && metadata.status === 200 ? metadata.bodyText : undefined);
  const how =
    credential.kind === "managed-identity"
      ? "the managed identity endpoint"
      : `${new URL(request.authorityHost).host} (${credential.kind === "federated" ? `federated assertion from ${credential.source}` : credential.kind})`;
  return {
    ok: true,
    accessToken,
    ...(authorityMetadata ? { authorityMetadata } : {}),
    check: { id: "token.acquired", ok: true, detail: `token issued by ${how} for ${exchangeScope(request.exchangeResource)}`, remedy: null },
  };
}
