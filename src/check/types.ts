import type { CloudName, Workload } from "../facts";

/** The checks `verify` runs, in the order it runs them. A report lists only the checks that ran. */
export const CHECK_IDS = [
  "credential.validity",
  "token.acquired",
  "token.audience",
  "token.app-only",
  "token.role",
  "token.tenant",
  "token.client",
  "token.lifetime",
  "token.workload",
  "exchange.invoke",
] as const;
export type CheckId = (typeof CHECK_IDS)[number] | "token.format";

/**
 * One check's outcome: what a person reads, what a script matches on. Its level (the JSON's `level`): `fail` when
 * not ok, `warning` when `warning` is set, else `ok`. A warning never fails a run; it is either a passing check
 * that needs attention soon (a credential close to its end date: `ok` true) or a check that could not be made
 * (a tenant given as a domain, which a token's tid cannot be compared with: `ok` false).
 */
export interface CheckResult {
  readonly id: CheckId;
  readonly ok: boolean;
  readonly warning?: boolean;
  /** What was seen, in one sentence. Never holds a secret or a token. */
  readonly detail: string;
  /** What to change; `null` when the check passed. */
  readonly remedy: string | null;
  /**
   * For a failure: true when waiting can fix it (propagation, throttling, an outage), false when a person must
   * change something. Not part of the JSON contract; the retry loop reads it.
   */
  readonly healable?: boolean;
  /**
   * For a failure: true when it says a grant is missing or not visible yet (admin consent for Exchange.ManageAsApp,
   * or a directory role). Not part of the JSON contract; the report adds the managed identity token-cache note to it.
   */
  readonly grant?: boolean;
}

/** How the check authenticates. Secret material is held here only; reports never repeat it. */
export type Credential =
  | { readonly kind: "secret"; readonly secret: string }
  | { readonly kind: "certificate"; readonly pem: string }
  | {
      readonly kind: "federated";
      /** Returns a fresh assertion (a JWT) each time: from a file a platform rotates, or from GitHub's OIDC endpoint. */
      readonly getAssertion: () => Promise<string>;
      /** Where the assertion comes from, for messages ("file /var/run/...", "GitHub Actions OIDC"). */
      readonly source: string;
    }
  | { readonly kind: "managed-identity"; /** User-assigned identity's client id; absent = system-assigned. */ readonly clientId?: string };

export type CredentialKind = Credential["kind"];

export type CheckLevel = "ok" | "warning" | "fail";

/** `fail`, `warning` or `ok` (see CheckResult). */
export function checkLevel(check: Pick<CheckResult, "ok" | "warning">): CheckLevel {
  return check.warning ? "warning" : check.ok ? "ok" : "fail";
}

/** True when the check fails its run (a warning never does). */
export function isFailure(check: Pick<CheckResult, "ok" | "warning">): boolean {
  return checkLevel(check) === "fail";
}

/** Progress while the check waits for Entra ID and Exchange Online to catch up. */
export type ProgressEvent =
  | { readonly type: "attempt"; readonly attempt: number; readonly elapsedMs: number }
  | {
      readonly type: "waiting";
      readonly attempt: number;
      readonly elapsedMs: number;
      /** How long until the next attempt. */
      readonly nextInMs: number;
      /** True when a Retry-After answer set the wait. */
      readonly retryAfter: boolean;
      /** The check that blocked this attempt. */
      readonly blocking: CheckResult;
    };

/** The check's typed result. `toJson` in ./report renders the JSON contract from it. */
export interface CheckReport {
  readonly ok: boolean;
  readonly tenantId: string;
  readonly clientId: string;
  readonly environment: CloudName;
  readonly credential: CredentialKind;
  /** The last attempt's checks (the ones that ran). */
  readonly checks: readonly CheckResult[];
  /** Attempts made (each asks for a fresh token). */
  readonly attempts: number;
  readonly elapsedMs: number;
  /**
   * When the check passed after waiting: how long propagation took (start to the first passing attempt) and the
   * checks that blocked earlier attempts. Absent when the first attempt passed or the check failed.
   */
  readonly propagation?: { readonly waitedMs: number; readonly blockedBy: readonly CheckId[] };
  /** HTTP requests sent, by kind. */
  readonly requests: { readonly metadata: number; readonly token: number; readonly exchange: number; readonly other: number };
  /** Why the loop stopped when it did not pass: a check that cannot heal, or the deadline. */
  readonly stoppedBy?: "unhealable" | "deadline" | "aborted";
  /** What was checked: the workload (token resource and endpoint), the probe's cmdlet and API (`admin-v2` is a preview). */
  readonly probe?: { readonly workload: Workload; readonly cmdlet: string; readonly api: "invoke-command" | "admin-v2"; readonly sent: boolean };
}
