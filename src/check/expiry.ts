/**
 * A credential's validity period, judged locally before signing in: an expired or not-yet-valid certificate (or
 * a client secret past its known end date) fails at once instead of after minutes of refused sign-ins, and one
 * that ends soon is a warning, or a failure below the `failOnExpiryDays` threshold.
 */
import { CLOCK_SKEW_SECONDS } from "../facts";
import { CheckSetupError } from "../errors";
import type { CheckResult } from "./types";

/** A credential that ends within this many days gets a warning. */
export const EXPIRY_WARNING_DAYS = 30;
/** The largest `--fail-on-expiry`: ten years, longer than any credential Entra ID issues. */
export const MAX_EXPIRY_DAYS = 3650;

const DAY_MS = 86_400_000;

/** What is known of the credential's life. */
export interface CredentialLifetime {
  /** The credential in a few words: `certificate CN=app, thumbprint AB12…`, `client secret`. */
  readonly what: string;
  readonly kind: "certificate" | "secret";
  readonly notBefore?: Date;
  readonly notAfter: Date;
}

export interface ExpiryPolicy {
  /** Warn when the credential ends within this many days (default 30). */
  readonly warnDays?: number;
  /** Fail when it ends within this many days; absent = only an expired credential fails. */
  readonly failDays?: number;
  readonly clockSkewSeconds?: number;
}

const iso = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z");

function inWords(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  if (days >= 2) return `${days} days`;
  if (days === 1) return "1 day";
  const hours = Math.floor(ms / 3_600_000);
  return hours >= 1 ? `${hours} h` : "less than an hour";
}

function renewal(kind: CredentialLifetime["kind"]): string {
  return kind === "certificate"
    ? "Renew it: register a new certificate on the app and use that one (a certificate this stack generated: add 1 to certificateRotation and run `pulumi up`)."
    : "Rotate it: add 1 to clientSecretRotation and run `pulumi up` (or add a new client secret to the app) and use the new secret.";
}

/** Parses `--fail-on-expiry DAYS`: a whole number from 0 to 3650. Throws CheckSetupError (ERR_USAGE) naming `flag`. */
export function parseExpiryDays(text: string, flag = "--fail-on-expiry"): number {
  const value = text.trim();
  if (!/^\d{1,4}$/.test(value) || Number(value) > MAX_EXPIRY_DAYS) {
    const shown = JSON.stringify(text.length > 20 ? `${text.slice(0, 20)}…` : text);
    throw new CheckSetupError(
      "ERR_USAGE",
      `${flag} ${shown} is not a number of days from 0 to ${MAX_EXPIRY_DAYS}`,
      `Pass a whole number of days, for example ${flag} 14 (fail when the credential ends within 14 days).`,
    );
  }
  return Number(value);
}

/** The `credential.validity` check: fail outside the validity period or under the threshold, warn when ending soon. */
export function credentialValidityCheck(lifetime: CredentialLifetime, now: number, policy: ExpiryPolicy = {}): CheckResult {
  const skewMs = (policy.clockSkewSeconds ?? CLOCK_SKEW_SECONDS) * 1000;
  const { what, notBefore, notAfter } = lifetime;
  if (notBefore && now + skewMs < notBefore.getTime()) {
    return {
      id: "credential.validity",
      ok: false,
      detail: `the ${what} is not valid until ${iso(notBefore)} (in ${inWords(notBefore.getTime() - now)}): Entra ID refuses it before then`,
      remedy: "Wait until it becomes valid, or check this machine's clock; to sign in now, use a certificate that is already valid.",
      healable: false,
    };
  }
  const left = notAfter.getTime() - now;
  if (left <= 0) {
    return {
      id: "credential.validity",
      ok: false,
      detail: `the ${what} expired on ${iso(notAfter)} (${inWords(-left)} ago): Entra ID refuses it`,
      remedy: renewal(lifetime.kind),
      healable: false,
    };
  }
  const ends = `the ${what} expires on ${iso(notAfter)}, in ${inWords(left)}`;
  if (policy.failDays !== undefined && left < policy.failDays * DAY_MS) {
    return { id: "credential.validity", ok: false, detail: `${ends}: within the ${policy.failDays} days --fail-on-expiry allows`, remedy: renewal(lifetime.kind), healable: false };
  }
  const warnDays = Math.max(policy.warnDays ?? EXPIRY_WARNING_DAYS, policy.failDays ?? 0);
  if (left < warnDays * DAY_MS) {
    return { id: "credential.validity", ok: true, warning: true, detail: `${ends} (within ${warnDays} days)`, remedy: renewal(lifetime.kind) };
  }
  return { id: "credential.validity", ok: true, detail: `the ${what} is valid until ${iso(notAfter)} (${inWords(left)} left)`, remedy: null };
}

/** True when the credential is inside its validity period (allowing the clock skew before notBefore): it can sign in. */
export function credentialUsable(lifetime: CredentialLifetime, now: number, clockSkewSeconds = CLOCK_SKEW_SECONDS): boolean {
  if (lifetime.notBefore && now + clockSkewSeconds * 1000 < lifetime.notBefore.getTime()) return false;
  return lifetime.notAfter.getTime() > now;
}
