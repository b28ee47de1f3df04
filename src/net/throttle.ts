/**
 * Sending again while a service throttles (429, 503): waiting as its Retry-After says, on the shared backoff
 * schedule (backoff.ts), and never past the deadline. The audit's Graph and Exchange readers both read through it.
 */
import { nextAttempt, parseRetryAfter } from "./backoff";

export interface ThrottleClock {
  /** When the whole operation must end (epoch ms): no wait reaches past it. */
  readonly deadline: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface Unthrottled<A> {
  /** The last answer. */
  readonly answer: A;
  /** True when it is still a throttle: the deadline left no room for another try. */
  readonly throttled: boolean;
}

const isThrottle = (status: number) => status === 429 || status === 503;

/** Sends until an answer is not a throttle, or the deadline leaves no room to try again. */
export async function untilNotThrottled<A extends { readonly status: number }>(
  send: () => Promise<A>,
  retryAfterOf: (answer: A) => string | undefined,
  clock: ThrottleClock,
): Promise<Unthrottled<A>> {
  const now = clock.now ?? Date.now;
  const sleep = clock.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const startedAt = now();
  for (let attempt = 1; ; attempt++) {
    const answer = await send();
    if (!isThrottle(answer.status)) return { answer, throttled: false };
    const retryAfterMs = parseRetryAfter(retryAfterOf(answer), now());
    const next = nextAttempt({ attempt, startedAt, now: now(), deadline: clock.deadline, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}), random: Math.random() });
    if (next.kind === "give-up") return { answer, throttled: true };
    await sleep(next.delayMs);
  }
}
