import { DEFAULT_BACKOFF, backoffDelay, nextAttempt, parseRetryAfter } from "../../src/net/backoff";

const T0 = 1_000_000;

describe("backoffDelay", () => {
  test.each([
    // attempt, elapsed, random, expected: exponential from 500 ms, capped at max(1.5 s, 8 % of elapsed), minus up to 25 %
    [1, 0, 0, 500],
    [2, 500, 0, 1000],
    [3, 1500, 0, 1500],
    [10, 3000, 0, 1500],
    [10, 100_000, 0, 8000],
    [10, 600_000, 0, 48_000],
    [30, 10_000_000, 0, 60_000],
    [1, 0, 0.999999, 375],
    [10, 100_000, 0.5, 7000],
  ])("attempt %i after %i ms (random %f) → %i ms", (attempt, elapsed, random, expected) => {
    expect(backoffDelay(attempt, elapsed, random)).toBe(expected);
  });

  test("never later than max(2 s, 10 % of T) after a tenant ready at T: the cap stays under that bound", () => {
    for (const elapsed of [0, 1000, 5000, 20_000, 60_000, 300_000, 900_000]) {
      for (let attempt = 1; attempt < 40; attempt += 1) {
        expect(backoffDelay(attempt, elapsed, 0)).toBeLessThanOrEqual(Math.max(2000, 0.1 * elapsed));
      }
    }
  });
});

describe("nextAttempt", () => {
  const base = { attempt: 3, startedAt: T0, now: T0 + 10_000, deadline: T0 + 900_000, random: 0 };

  test("plain backoff", () => {
    expect(nextAttempt(base)).toEqual({ kind: "retry", at: T0 + 11_500, delayMs: 1500, retryAfter: false });
  });

  test("Retry-After longer than the backoff is honoured exactly", () => {
    expect(nextAttempt({ ...base, retryAfterMs: 7000 })).toEqual({ kind: "retry", at: T0 + 17_000, delayMs: 7000, retryAfter: true });
  });

  test("Retry-After shorter than the backoff does not shorten it", () => {
    expect(nextAttempt({ ...base, retryAfterMs: 200 })).toEqual({ kind: "retry", at: T0 + 11_500, delayMs: 1500, retryAfter: false });
  });

  test("Retry-After beyond the deadline: give up rather than ask early", () => {
    expect(nextAttempt({ ...base, deadline: T0 + 15_000, retryAfterMs: 6000 })).toEqual({ kind: "give-up", reason: "retry-after-beyond-deadline" });
  });

  test("backoff beyond the deadline: one last attempt shortly before it", () => {
    // 1.5 s of backoff would end past the deadline; the reserve is min(1 s, 10 % of the 10 s timeout).
    const next = nextAttempt({ ...base, now: T0 + 8_800, deadline: T0 + 10_000 });
    expect(next).toEqual({ kind: "retry", at: T0 + 9_000, delayMs: 200, retryAfter: false });
  });

  test("no time left: give up at the deadline", () => {
    expect(nextAttempt({ ...base, now: T0 + 9_950, deadline: T0 + 10_000 })).toEqual({ kind: "give-up", reason: "deadline" });
    expect(nextAttempt({ ...base, now: T0 + 10_500, deadline: T0 + 10_000 })).toEqual({ kind: "give-up", reason: "deadline" });
  });

  test("a simulated wait never schedules a request before a Retry-After allows or after the deadline", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let run = 0; run < 200; run += 1) {
      const deadline = T0 + 5_000 + Math.floor(random() * 120_000);
      let now = T0;
      let attempt = 1;
      for (;;) {
        now += Math.floor(random() * 300); // the attempt's own duration
        const retryAfterMs = random() < 0.3 ? Math.floor(random() * 10_000) : undefined;
        const next = nextAttempt({ attempt, startedAt: T0, now, deadline, random: random(), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
        if (next.kind === "give-up") break;
        expect(next.at).toBeLessThan(deadline);
        expect(next.at).toBeGreaterThanOrEqual(now + (retryAfterMs ?? 0));
        now = next.at;
        attempt += 1;
      }
      expect(attempt).toBeLessThan(200);
    }
  });
});

describe("parseRetryAfter", () => {
  test.each([
    ["5", 5000],
    ["0", 0],
    ["1.5", 1500],
    [" 2 ", 2000],
    [new Date(T0 + 4000).toUTCString(), 4000],
    [new Date(T0 - 4000).toUTCString(), 0],
    ["soon", undefined],
    [undefined, undefined],
  ])("%s", (value, ms) => {
    // HTTP dates have whole seconds; T0 is a whole second.
    expect(parseRetryAfter(value, T0)).toBe(ms);
  });
});

test("the default policy is the documented one", () => {
  expect(DEFAULT_BACKOFF).toEqual({ initialDelayMs: 500, factor: 2, minCapMs: 1500, elapsedFraction: 0.08, maxDelayMs: 60_000, jitter: 0.25, finalReserveMs: 1000 });
});
