/**
 * When to try again. A small pure function rather than a retry library (cockatiel, p-retry): what decides the
 * next attempt here is the whole attempt's outcome (a token, claims, an Exchange answer), the largest Retry-After
 * any of its requests returned, and a hard deadline that must also bound the requests themselves. Libraries
 * model one operation with a delay policy; expressing "never before Retry-After, never past the deadline, and a
 * cap that grows with the time already waited" through their hooks would hide the schedule this module makes
 * testable as a table.
 *
 * The schedule: exponential from `initialDelayMs`, capped at `max(minCapMs, elapsedFraction × elapsed)` (so the
 * check is never later than about that fraction of the wait after the tenant becomes ready), at most `maxDelayMs`,
 * minus up to `jitter` of itself (so fifty tenants checked together do not synchronise), never earlier than a
 * Retry-After allows, and never starting after the deadline.
 */

export interface BackoffPolicy {
  /** First delay. Example: 500. */
  readonly initialDelayMs: number;
  /** Growth per attempt. Example: 2. */
  readonly factor: number;
  /** The cap while the wait is young. Example: 1500 (keeps a tenant ready after 1 s from being found 2 s late). */
  readonly minCapMs: number;
  /** Later, the cap is this fraction of the time already waited. Example: 0.08 (ready after 10 min → at most ~48 s late). */
  readonly elapsedFraction: number;
  /** Absolute cap. Example: 60000. */
  readonly maxDelayMs: number;
  /** Fraction of the delay removed at random. Example: 0.25 → a delay of 1 s becomes 750–1000 ms. */
  readonly jitter: number;
  /** A final attempt is placed this long before the deadline rather than not at all. Example: 1000. */
  readonly finalReserveMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  initialDelayMs: 500,
  factor: 2,
  minCapMs: 1500,
  elapsedFraction: 0.08,
  maxDelayMs: 60_000,
  jitter: 0.25,
  finalReserveMs: 1000,
};

export interface ScheduleInput {
  /** Attempts made so far (≥ 1). */
  readonly attempt: number;
  readonly startedAt: number;
  readonly now: number;
  readonly deadline: number;
  /** The largest Retry-After (in ms, from the moment its answer arrived) the last attempt was given. */
  readonly retryAfterMs?: number;
  /** A number in [0, 1): Math.random in production, fixed in tests. */
  readonly random: number;
}

export type NextAttempt =
  | { readonly kind: "retry"; readonly at: number; readonly delayMs: number; readonly retryAfter: boolean }
  | { readonly kind: "give-up"; readonly reason: "deadline" | "retry-after-beyond-deadline" };

/** The delay before attempt `attempt + 1` before Retry-After and the deadline are applied. */
export function backoffDelay(attempt: number, elapsedMs: number, random: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exponential = policy.initialDelayMs * policy.factor ** Math.max(0, attempt - 1);
  const cap = Math.min(policy.maxDelayMs, Math.max(policy.minCapMs, policy.elapsedFraction * Math.max(0, elapsedMs)));
  const delay = Math.min(exponential, cap);
  const r = Math.min(Math.max(random, 0), 1);
  return Math.max(0, Math.round(delay * (1 - policy.jitter * r)));
}

/** Decides when the next attempt starts, or that there is none. */
export function nextAttempt(input: ScheduleInput, policy: BackoffPolicy = DEFAULT_BACKOFF): NextAttempt {
  const { now, deadline, startedAt } = input;
  const backoff = backoffDelay(input.attempt, now - startedAt, input.random, policy);
  const retryAfterMs = input.retryAfterMs !== undefined && input.retryAfterMs > 0 ? input.retryAfterMs : undefined;
  const forced = retryAfterMs !== undefined && retryAfterMs >= backoff;
  const delayMs = forced ? retryAfterMs : backoff;
  if (now + delayMs < deadline) return { kind: "retry", at: now + delayMs, delayMs, retryAfter: forced };
  // Past the deadline. A Retry-After cannot be shortened: give up. A plain backoff can: one last attempt
  // shortly before the deadline, if that is still later than the earliest a Retry-After allows.
  const reserve = Math.min(policy.finalReserveMs, Math.max(0, (deadline - startedAt) * 0.1));
  const lastAt = deadline - reserve;
  const earliest = now + (retryAfterMs ?? 0);
  if (lastAt > now && lastAt >= earliest) return { kind: "retry", at: lastAt, delayMs: lastAt - now, retryAfter: false };
  return { kind: "give-up", reason: forced || (retryAfterMs !== undefined && earliest >= deadline) ? "retry-after-beyond-deadline" : "deadline" };
}

/**
 * Parses a Retry-After header (delta-seconds or an HTTP date) into milliseconds from `now`.
 * Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
