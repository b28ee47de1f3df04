/**
 * The post-deploy check: attempts (a fresh token, its claims, an Exchange probe) until every check passes, a
 * check fails that waiting cannot fix, or the deadline comes. A library: no globals, no console, no exit;
 * progress goes to a callback, the result is a CheckReport. Fifty runs can share a process.
 */
import { CLOCK_SKEW_SECONDS, CLOUDS, DEFAULT_CLOUD, PROPAGATION_DEADLINE_MS, isCloudName, isGuid, type CloudName } from "../facts";
import { DEFAULT_BACKOFF, nextAttempt, type BackoffPolicy } from "./backoff";
import { checkClaims, decodeToken } from "./claims";
import { parseCertificatePem, type ParsedCertificate } from "./credentials";
import { formatDuration } from "./duration";
import { CheckSetupError } from "./errors";
import { HttpTransport } from "./http";
import { probeExchange } from "./probe";
import { Redactor } from "./redact";
import { acquireToken } from "./token";
import type { CheckId, CheckReport, CheckResult, Credential, ProgressEvent } from "./types";

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
  /** Overrides where `InvokeCommand` is sent (https only); the token audience stays the cloud's Exchange resource. */
  readonly exchangeEndpoint?: string;
  /** The tenant's initial domain, when known (adds Connect-ExchangeOnline's X-AnchorMailbox header). */
  readonly organization?: string;
  /** Send the `InvokeCommand` probe (default true). */
  readonly probe?: boolean;
  /** Give up after this long (default 15 min). Requests are cut off at the deadline too. */
  readonly timeoutMs?: number;
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

/** Checks options that do not need the network; throws CheckSetupError (the CLI's exit 2). */
export function validateCheckOptions(options: CheckOptions): void {
  const usage = (message: string, remedy: string): never => {
    throw new CheckSetupError("ERR_USAGE", message, remedy);
  };
  if (!options.tenantId || /[\s/]/.test(options.tenantId)) usage(`tenant id ${JSON.stringify(options.tenantId ?? "")} is not usable`, "Pass the tenant id (a GUID) or its initial domain with --tenant-id.");
  if (options.credential.kind !== "managed-identity" && !options.clientId) usage("no client id", "Pass the application (client) id with --client-id.");
  if (options.clientId !== undefined && !isGuid(options.clientId)) usage(`client id ${JSON.stringify(options.clientId)} is not a GUID`, "Pass the application (client) id, a GUID like 11111111-2222-3333-4444-555555555555.");
  if (options.environment !== undefined && !isCloudName(options.environment)) usage(`unknown environment ${JSON.stringify(options.environment)}`, "Use public, usgovernment, dod or china.");
  for (const [name, value] of [["--authority-host", options.authorityHost], ["--exchange-endpoint", options.exchangeEndpoint]] as const) {
    if (value === undefined) continue;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url) usage(`${name} ${JSON.stringify(value)} is not a URL`, `Pass an https URL, for example https://login.microsoftonline.com.`);
    else if (url.protocol !== "https:") usage(`${name} ${value} is not https`, "Only https endpoints are accepted: tokens and secrets never travel in the clear.");
  }
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) usage("the timeout must be positive", "Pass --timeout 15m, 90s, ...");
}

const origin = (url: string): string => new URL(url).origin;

interface AttemptResult {
  readonly checks: CheckResult[];
  readonly retryAfterMs?: number;
  /** A failing check that waiting cannot fix, if any. */
  readonly hardFailure?: CheckResult;
}

/** Runs the check. Resolves with a report in every case except a setup problem (CheckSetupError). */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  validateCheckOptions(options);
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const environment = options.environment ?? DEFAULT_CLOUD;
  const cloud = CLOUDS[environment];
  const authorityHost = origin(options.authorityHost ?? cloud.authorityHost);
  const exchangeResource = cloud.exchangeResource;
  const exchangeEndpoint = options.exchangeEndpoint ? origin(options.exchangeEndpoint) : exchangeResource;
  const timeoutMs = options.timeoutMs ?? PROPAGATION_DEADLINE_MS;
  const credentialWindowMs = Math.min(options.credentialWindowMs ?? CREDENTIAL_WINDOW_MS, timeoutMs);
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const redactor = new Redactor();
  const { credential } = options;
  if (credential.kind === "secret") redactor.add(credential.secret);
  let certificate: ParsedCertificate | undefined;
  if (credential.kind === "certificate") {
    certificate = parseCertificatePem(credential.pem, "the certificate PEM");
    redactor.add(certificate.privateKey);
  }

  const startedAt = now();
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
        tenantId: options.tenantId,
        ...(options.clientId ? { clientId: options.clientId } : {}),
        now: now(),
        clockSkewSeconds: options.clockSkewSeconds ?? CLOCK_SKEW_SECONDS,
      }),
    );
    const claimFailures = checks.filter((c) => !c.ok);
    const hard = claimFailures.find((c) => c.healable !== true);
    if (hard) return { checks, hardFailure: hard };
    if (claimFailures.length > 0 || options.probe === false) return { checks };
    const probe = await probeExchange({
      exchangeEndpoint,
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
  const finish = (checks: CheckResult[], ok: boolean, stoppedBy?: CheckReport["stoppedBy"]): CheckReport => {
    const elapsedMs = now() - startedAt;
    return {
      ok,
      tenantId: options.tenantId,
      clientId: options.clientId ?? "",
      environment,
      credential: credential.kind,
      checks: checks.map(({ id, ok: passed, detail, remedy }) => ({ id, ok: passed, detail: redactor.redact(detail), remedy: remedy === null ? null : redactor.redact(remedy) })),
      attempts,
      elapsedMs,
      ...(ok && attempts > 1 ? { propagation: { waitedMs: elapsedMs, blockedBy: [...blockedBy] } } : {}),
      requests: transport.counts(),
      ...(stoppedBy ? { stoppedBy } : {}),
    };
  };

  for (;;) {
    attempts += 1;
    emit({ type: "attempt", attempt: attempts, elapsedMs: now() - startedAt });
    const result = await attemptOnce();
    const cutByDeadline = now() >= deadline;
    const failing = result.checks.filter((c) => !c.ok);
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
      const culprit = shown.find((c) => !c.ok);
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
