/**
 * The post-deploy check: attempts (a fresh token, its claims, an Exchange probe) until every check passes, a
 * check fails that waiting cannot fix, or the deadline comes. A library: no globals, no console, no exit;
 * progress goes to a callback, the result is a CheckReport. Fifty runs can share a process.
 */
import { adminApiEndpointFor, ADMIN_API_ENDPOINTS } from "../exchange/adminApi";
import { CLOCK_SKEW_SECONDS, CLOUDS, DEFAULT_CLOUD, MANAGE_AS_APP_V2_ROLE_VALUE, PROPAGATION_DEADLINE_MS, WORKLOADS, isCloudName, isWorkload, type CloudName, type Workload } from "../facts";
import { DEFAULT_BACKOFF, nextAttempt, type BackoffPolicy } from "../net/backoff";
import { checkClaims, decodeToken } from "./claims";
import { parseCertificatePem, type ParsedCertificate } from "./credentials";
import { TIMEOUT_BOUNDS, formatDuration } from "../text/duration";
import { endpointChoiceProblem, probeEndpoints } from "./endpoints";
import { CheckSetupError } from "../errors";
import { EXPIRY_WARNING_DAYS, MAX_EXPIRY_DAYS, credentialUsable, credentialValidityCheck, type CredentialLifetime } from "./expiry";
import { requireClientId, requireTenant } from "./ids";
import { HttpTransport } from "../net/http";
import { defaultProbeCmdlet } from "./exchange";
import { probeExchange } from "./probe";
import { Redactor } from "../text/redact";
import { httpsEndpointProblem } from "../net/httpsEndpoint";
import { acquireToken } from "./token";
import { isFailure, type CheckId, type CheckReport, type CheckResult, type Credential, type ProgressEvent } from "./types";

/**
 * Added to the remedy of a failing consent or role check when the credential is a managed identity (FACTS.md,
 * Propagation): the platform's identity endpoint may hand out a cached token, so retrying within minutes is not
 * enough and changing the grant again does not help.
 */
export const MANAGED_IDENTITY_CACHE_NOTE =
  "A managed identity's token can be cached by its platform (IMDS, App Service) for up to 24 hours, so a consent or role granted a moment ago may not show in it yet: if the grant is in place, run the check again later (up to 24 h) rather than granting again.";

/** How long after the start a new credential's "invalid"/"not found" answers are still worth retrying. */
export const CREDENTIAL_WINDOW_MS = 3 * 60 * 1000;

export interface CheckOptions {
  /** Tenant id (a GUID) or its domain name. */
  readonly tenantId: string;
  /** The app's client id. Required, except for a system-assigned managed identity. */
  readonly clientId?: string;
  readonly credential: Credential;
  /** Cloud; default `public`. */
  readonly environment?: CloudName;
  /** Overrides the cloud's login host (https only). Example: the tenant emulator's `https://127.0.0.1:PORT`. */
  readonly authorityHost?: string;
  /**
   * Overrides where the Exchange Online probe is sent (https only): InvokeCommand, or the Admin API with `api:
   * admin-v2`. The token's audience stays the surface's (or `exchangeResource`); a Microsoft Exchange host whose
   * audience is another is refused. Example: the tenant emulator's `https://127.0.0.1:PORT`.
   */
  readonly exchangeEndpoint?: string;
  /**
   * Overrides the token audience asked for and accepted (https, scheme and host only), for a cloud whose audience is
   * inferred (src/facts/clouds.ts). Alone, it also moves the probe to its host. Example: `https://webmail.apps.mil`.
   */
  readonly exchangeResource?: string;
  /** The tenant's initial domain, when known (adds Connect-ExchangeOnline's X-AnchorMailbox header). */
  readonly organization?: string;
  /** Send the `InvokeCommand` probe (default true). */
  readonly probe?: boolean;
  /** Exchange Online (default) or Security & Compliance: which resource the token is for and which endpoint is probed. */
  readonly workload?: Workload;
  /** The cmdlet the probe runs, with no parameters (default Get-AcceptedDomain). */
  readonly probeCmdlet?: string;
  /** `invoke-command` (default: what Connect-ExchangeOnline uses) or `admin-v2` (the Admin API, preview). */
  readonly api?: ProbeApi;
  /** Overrides Security & Compliance's base (https only; a path is kept). Example: the emulator's `{url}/compliance`. */
  readonly complianceEndpoint?: string;
  /** Give up after this long (default 15 min, at most 24 h). Requests are cut off at the deadline too. */
  readonly timeoutMs?: number;
  /**
   * When a client secret ends, if known (the stack's `clientSecretEndDate`). A certificate's end date is read from
   * the certificate. Either way the `credential.validity` check judges it before signing in.
   */
  readonly secretEndDate?: Date;
  /** Warn when the credential ends within this many days (default 30). */
  readonly expiryWarningDays?: number;
  /** Fail when the credential ends within this many days (0 to 3650; `--fail-on-expiry`). Default: only an expired one fails. */
  readonly failOnExpiryDays?: number;
  /** Retry "invalid secret" / "app not found" style answers only this long after the start (default 3 min). */
  readonly credentialWindowMs?: number;
  /** Extra trusted CA (PEM), on top of Node's; for a test tenant. */
  readonly ca?: string;
  /** Upper bound of one HTTP request (default 30 s). */
  readonly requestTimeoutMs?: number;
  readonly clockSkewSeconds?: number;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly signal?: AbortSignal;
  readonly backoff?: BackoffPolicy;
  /** Test seams. */
  readonly now?: () => number;
  readonly random?: () => number;
}

export const PROBE_APIS = ["invoke-command", "admin-v2"] as const;
export type ProbeApi = (typeof PROBE_APIS)[number];
/** A cmdlet's shape, Verb-Noun: anything else is a typo or an attempt to send something else. */
const CMDLET_NAME = /^[A-Za-z]+-[A-Za-z0-9]+$/;

/** Checks options that do not need the network; throws CheckSetupError (the CLI's exit 2). */
export function validateCheckOptions(options: CheckOptions): void {
  const usage = (message: string, remedy: string): never => {
    throw new CheckSetupError("ERR_USAGE", message, remedy);
  };
  requireTenant(options.tenantId ?? "", "tenant id");
  if (options.credential.kind !== "managed-identity" && !options.clientId) {
    usage(`no client id: a ${options.credential.kind} credential signs in as an application`, "Pass the application (client) id with --client-id.");
  }
  if (options.clientId !== undefined) requireClientId(options.clientId, "client id");
  if (options.credential.kind === "managed-identity" && options.credential.clientId !== undefined) requireClientId(options.credential.clientId, "managed identity client id");
  // The Overview page shows the tenant id beside the client id: the same GUID for both is one pasted for the other.
  const tenant = options.tenantId?.toLowerCase();
  for (const [label, id] of [["client id", options.clientId], ["managed identity client id", options.credential.kind === "managed-identity" ? options.credential.clientId : undefined]] as const) {
    if (id !== undefined && id.toLowerCase() === tenant) {
      usage(`${label} ${id} is the same GUID as the tenant id: one of them is the other id pasted in its place`, "The app's Overview page shows both: Application (client) ID and Directory (tenant) ID. Pass each from its own field.");
    }
  }
  if (options.environment !== undefined && !isCloudName(options.environment)) usage(`unknown environment ${JSON.stringify(options.environment)}`, "Use public, usgovernment, dod or china.");
  if (options.workload !== undefined && !isWorkload(options.workload)) usage(`unknown workload ${JSON.stringify(options.workload)}`, `Use one of: ${WORKLOADS.join(", ")}.`);
  if (options.api !== undefined && !(PROBE_APIS as readonly string[]).includes(options.api)) usage(`unknown api ${JSON.stringify(options.api)}`, `Use one of: ${PROBE_APIS.join(", ")}.`);
  if (options.probeCmdlet !== undefined && !CMDLET_NAME.test(options.probeCmdlet)) {
    usage(`--probe-cmdlet ${JSON.stringify(options.probeCmdlet)} is not a cmdlet name`, "Pass one cmdlet as Verb-Noun, for example --probe-cmdlet Get-Mailbox (it runs with no parameters).");
  }
  if (options.api === "admin-v2") {
    if (options.workload === "compliance") usage("the Admin API is Exchange Online's; Security & Compliance has none", "Drop --api admin-v2 with --workload compliance (it probes Connect-IPPSSession's InvokeCommand).");
    const cmdlet = options.probeCmdlet ?? defaultProbeCmdlet("exchange");
    if (!adminApiEndpointFor(cmdlet)) {
      usage(`the Admin API (preview) has no endpoint for ${cmdlet}`, `Probe a cmdlet of one of its endpoints (${ADMIN_API_ENDPOINTS.join(", ")}), for example --probe-cmdlet Get-Mailbox, or use --api invoke-command.`);
    }
  }
  for (const [name, value] of [
    ["--authority-host", options.authorityHost],
    ["--exchange-endpoint", options.exchangeEndpoint],
    ["--exchange-resource", options.exchangeResource],
    ["--compliance-endpoint", options.complianceEndpoint],
  ] as const) {
    const problem = value === undefined ? undefined : httpsEndpointProblem(name, value, "https://login.microsoftonline.com");
    if (problem) usage(...problem);
  }
  const endpointProblem = endpointChoiceProblem(endpointChoice(options));
  if (endpointProblem) usage(...endpointProblem);
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0 && options.timeoutMs <= TIMEOUT_BOUNDS.maxMs)) {
    usage(`the timeout (${options.timeoutMs} ms) must be positive and at most 24 h`, "Pass --timeout 15m, 90s, ... (between 1s and 24h).");
  }
  for (const [name, value] of [["failOnExpiryDays", options.failOnExpiryDays], ["expiryWarningDays", options.expiryWarningDays]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value <= MAX_EXPIRY_DAYS)) {
      usage(`${name} ${value} is not a whole number of days from 0 to ${MAX_EXPIRY_DAYS}`, "Pass a whole number of days, for example --fail-on-expiry 14.");
    }
  }
  if (options.secretEndDate !== undefined && Number.isNaN(options.secretEndDate.getTime())) {
    usage("the client secret's end date is not a date", "Pass the end date as a Date (the stack's clientSecretEndDate is RFC 3339).");
  }
}

/** What `prepareCheck` found: the parsed certificate, and the credential's validity period when known. */
export interface PreparedCheck {
  readonly certificate?: ParsedCertificate;
  readonly lifetime?: CredentialLifetime;
}

/**
 * Everything that can be judged without the network, in the order a person would fix it: the options
 * (validateCheckOptions), then the credential material (a certificate PEM is parsed: key type and size, which
 * certificate belongs to the key). Throws CheckSetupError (the CLI's exit 2). runCheck calls it first, and the CLI
 * calls it before printing anything, so a usage or config error never follows the header.
 */
export function prepareCheck(options: CheckOptions): PreparedCheck {
  validateCheckOptions(options);
  const { credential } = options;
  if (credential.kind === "certificate") {
    const certificate = parseCertificatePem(credential.pem, "the certificate PEM");
    return {
      certificate,
      lifetime: { kind: "certificate", what: `certificate ${certificate.subject}, thumbprint ${certificate.thumbprintSha1}`, notBefore: certificate.validFrom, notAfter: certificate.validTo },
    };
  }
  if (credential.kind === "secret" && options.secretEndDate) return { lifetime: { kind: "secret", what: "client secret", notAfter: options.secretEndDate } };
  return {};
}

const origin = (url: string): string => new URL(url).origin;

/** The options that pick the probe's audience and host (src/check/endpoints.ts). */
function endpointChoice(options: CheckOptions): Parameters<typeof probeEndpoints>[0] {
  return {
    environment: options.environment ?? DEFAULT_CLOUD,
    workload: options.workload ?? "exchange",
    api: options.api ?? "invoke-command",
    ...(options.exchangeResource !== undefined ? { exchangeResource: options.exchangeResource } : {}),
    ...(options.exchangeEndpoint !== undefined ? { exchangeEndpoint: options.exchangeEndpoint } : {}),
    ...(options.complianceEndpoint !== undefined ? { complianceEndpoint: options.complianceEndpoint } : {}),
  };
}

interface AttemptResult {
  readonly checks: CheckResult[];
  readonly retryAfterMs?: number;
  /** A failing check that waiting cannot fix, if any. */
  readonly hardFailure?: CheckResult;
}

/** Runs the check. Resolves with a report in every case except a setup problem (CheckSetupError). */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const { certificate, lifetime } = prepareCheck(options);
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const environment = options.environment ?? DEFAULT_CLOUD;
  const cloud = CLOUDS[environment];
  const authorityHost = origin(options.authorityHost ?? cloud.authorityHost);
  const workload = options.workload ?? "exchange";
  const api = options.api ?? "invoke-command";
  const target = { cmdlet: options.probeCmdlet ?? defaultProbeCmdlet(workload), workload, api } as const;
  // One audience and one host for the surface probed (InvokeCommand, the Admin API or Security & Compliance): the
  // token is asked for the audience the host accepts, so two surfaces of one cloud may take two tokens.
  const { resource: exchangeResource, endpoint: exchangeEndpoint } = probeEndpoints(endpointChoice(options));
  const timeoutMs = options.timeoutMs ?? PROPAGATION_DEADLINE_MS;
  const credentialWindowMs = Math.min(options.credentialWindowMs ?? CREDENTIAL_WINDOW_MS, timeoutMs);
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const redactor = new Redactor();
  const { credential } = options;
  if (credential.kind === "secret") redactor.add(credential.secret);
  if (certificate) redactor.add(certificate.privateKey);

  const startedAt = now();
  const clockSkewSeconds = options.clockSkewSeconds ?? CLOCK_SKEW_SECONDS;
  /** Judged once, before signing in; a credential past its dates cannot sign in, so nothing is sent. */
  const validity = lifetime
    ? credentialValidityCheck(lifetime, startedAt, {
        warnDays: options.expiryWarningDays ?? EXPIRY_WARNING_DAYS,
        ...(options.failOnExpiryDays !== undefined ? { failDays: options.failOnExpiryDays } : {}),
        clockSkewSeconds,
      })
    : options.failOnExpiryDays !== undefined && credential.kind === "secret"
      ? ({
          id: "credential.validity",
          ok: false,
          warning: true,
          detail: "not checked: when this client secret ends is not known, so --fail-on-expiry cannot judge it",
          remedy: "Use --stack NAME (its clientSecretEndDate output says when the secret ends), or a certificate, which carries its end date.",
        } satisfies CheckResult)
      : undefined;
  const usable = !lifetime || credentialUsable(lifetime, startedAt, clockSkewSeconds);
  const deadline = startedAt + timeoutMs;
  const transport = new HttpTransport({
    deadline,
    now,
    ...(options.ca ? { ca: options.ca } : {}),
    ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(credential.kind === "managed-identity" ? { allowLocalIdentityHttp: true } : {}),
  });
  const emit = (event: ProgressEvent): void => {
    if (!options.onProgress) return;
    if (event.type === "waiting") {
      options.onProgress({ ...event, blocking: { ...event.blocking, detail: redactor.redact(event.blocking.detail) } });
    } else {
      options.onProgress(event);
    }
  };
  let authorityMetadata: string | undefined;

  const attemptOnce = async (): Promise<AttemptResult> => {
    const token = await acquireToken({
      tenantId: options.tenantId,
      ...(options.clientId ? { clientId: options.clientId } : {}),
      credential,
      ...(certificate ? { certificate } : {}),
      authorityHost,
      exchangeResource,
      transport,
      redactor,
      ...(authorityMetadata ? { authorityMetadata } : {}),
      now,
    });
    if (!token.ok) {
      const inWindow = now() - startedAt < credentialWindowMs;
      const healable = token.healing === "always" || (token.healing === "window" && inWindow);
      let check = token.check;
      if (token.healing === "window" && !inWindow) {
        check = {
          ...check,
          healable: false,
          detail: `${check.detail} (still refused ${formatDuration(now() - startedAt)} after the start, past the ${formatDuration(credentialWindowMs)} a new credential may take to propagate)`,
        };
      }
      return { checks: [check], ...(token.retryAfterMs !== undefined ? { retryAfterMs: token.retryAfterMs } : {}), ...(healable ? {} : { hardFailure: check }) };
    }
    authorityMetadata = token.authorityMetadata ?? authorityMetadata;
    const checks: CheckResult[] = [token.check];
    const decoded = decodeToken(token.accessToken);
    if (!decoded.ok) {
      const check: CheckResult = {
        id: "token.audience",
        ok: false,
        detail: `the token endpoint returned something that is not a readable JWT: ${decoded.problem}`,
        remedy: "Check --authority-host: it must be an Entra ID login host.",
        healable: false,
      };
      return { checks: [...checks, check], hardFailure: check };
    }
    checks.push(
      ...checkClaims(decoded.claims, {
        environment,
        exchangeResource,
        workload,
        ...(api === "admin-v2" ? { appRole: MANAGE_AS_APP_V2_ROLE_VALUE } : {}),
        tenantId: options.tenantId,
        tenantFromAuthority: true,
        ...(options.clientId ? { clientId: options.clientId } : {}),
        now: now(),
        clockSkewSeconds,
      }),
    );
    const claimFailures = checks.filter(isFailure);
    const hard = claimFailures.find((c) => c.healable !== true);
    if (hard) return { checks, hardFailure: hard };
    if (claimFailures.length > 0 || options.probe === false) return { checks };
    const probe = await probeExchange({
      exchangeEndpoint,
      target,
      tenantId: options.tenantId,
      ...(options.organization ? { organization: options.organization } : {}),
      accessToken: token.accessToken,
      transport,
      now,
    });
    checks.push(probe.check);
    return { checks, ...(probe.retryAfterMs !== undefined ? { retryAfterMs: probe.retryAfterMs } : {}), ...(probe.check.ok || probe.check.healable ? {} : { hardFailure: probe.check }) };
  };

  const blockedBy: CheckId[] = [];
  let attempts = 0;
  /** Checks of the last attempt the deadline did not cut short: the diagnosis worth reporting at the end. */
  let lastWhole: CheckResult[] | undefined;
  const finish = (attemptChecks: CheckResult[], passed: boolean, stopped?: CheckReport["stoppedBy"]): CheckReport => {
    const elapsedMs = now() - startedAt;
    // A threshold failure (--fail-on-expiry) does not stop the attempts: the report still says whether the
    // credential works today. It fails the run at the end.
    const noted =
      credential.kind === "managed-identity"
        ? attemptChecks.map((c) => (c.grant && isFailure(c) ? { ...c, remedy: `${c.remedy ?? ""}${c.remedy ? " " : ""}${MANAGED_IDENTITY_CACHE_NOTE}` } : c))
        : attemptChecks;
    const checks = validity ? [validity, ...noted] : noted;
    const ok = passed && !(validity && isFailure(validity));
    const stoppedBy = stopped ?? (ok ? undefined : "unhealable");
    return {
      ok,
      tenantId: options.tenantId,
      clientId: options.clientId ?? "",
      environment,
      credential: credential.kind,
      checks: checks.map(({ id, ok: good, warning, detail, remedy }) => ({
        id,
        ok: good,
        ...(warning ? { warning } : {}),
        detail: redactor.redact(detail),
        remedy: remedy === null ? null : redactor.redact(remedy),
      })),
      attempts,
      elapsedMs,
      ...(ok && attempts > 1 ? { propagation: { waitedMs: elapsedMs, blockedBy: [...blockedBy] } } : {}),
      requests: transport.counts(),
      ...(stoppedBy ? { stoppedBy } : {}),
      probe: { ...target, sent: options.probe !== false },
    };
  };

  if (!usable) return finish([], false, "unhealable");
  for (;;) {
    attempts += 1;
    emit({ type: "attempt", attempt: attempts, elapsedMs: now() - startedAt });
    const result = await attemptOnce();
    const cutByDeadline = now() >= deadline;
    const failing = result.checks.filter(isFailure);
    if (failing.length === 0) return finish(result.checks, true);
    if (result.hardFailure) return finish(result.checks, false, "unhealable");
    if (options.signal?.aborted) return finish(result.checks, false, "aborted");
    const blocking = failing[0]!;
    if (!blockedBy.includes(blocking.id)) blockedBy.push(blocking.id);
    const next = nextAttempt(
      { attempt: attempts, startedAt, now: now(), deadline, random: random(), ...(result.retryAfterMs !== undefined ? { retryAfterMs: result.retryAfterMs } : {}) },
      policy,
    );
    if (next.kind === "give-up") {
      const why =
        next.reason === "retry-after-beyond-deadline"
          ? `the service asked to wait longer than the ${formatDuration(timeoutMs)} deadline allows`
          : `the ${formatDuration(timeoutMs)} deadline was reached`;
      // An attempt the deadline cut off only says "no answer in time"; the attempt before it knows what is wrong.
      const shown = cutByDeadline && lastWhole ? lastWhole : result.checks;
      const culprit = shown.find(isFailure);
      const checks = shown.map((c) => (c === culprit ? { ...c, detail: `${c.detail} (still failing after ${attempts} attempts: ${why})` } : c));
      return finish(checks, false, "deadline");
    }
    if (!cutByDeadline) lastWhole = result.checks;
    emit({ type: "waiting", attempt: attempts, elapsedMs: now() - startedAt, nextInMs: next.delayMs, retryAfter: next.retryAfter, blocking });
    const aborted = await sleepUntil(next.at, now, options.signal);
    if (aborted) return finish(result.checks, false, "aborted");
  }
}

/** Sleeps until `at` by the given clock (never wakes early); true when aborted. */
async function sleepUntil(at: number, now: () => number, signal?: AbortSignal): Promise<boolean> {
  while (now() < at) {
    if (signal?.aborted) return true;
    const ms = at - now();
    const aborted = await new Promise<boolean>((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve(false);
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    if (aborted) return true;
  }
  return Boolean(signal?.aborted);
}
