import { CheckSetupError } from "../errors";

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** What a wait may be: at least a second (a shorter one cannot see a single answer), at most a day. */
export const TIMEOUT_BOUNDS = { minMs: 1000, maxMs: 24 * 3_600_000, min: "1s", max: "24h" } as const;

/** The fix for any bad duration, the same for a flag (`--timeout`) and a stack key (`verifyTimeout`). */
export const DURATION_REMEDY = `Write a duration from ${TIMEOUT_BOUNDS.min} to ${TIMEOUT_BOUNDS.max} with its unit, such as 15m, 90s or 1h30m (units: ms, s, m, h).`;

/**
 * Reads a duration the way people write one: `15m`, `90s`, `1h30m`, `500ms`, `2.5s`. The unit is required (is `15`
 * seconds or minutes?), and the result lies within TIMEOUT_BOUNDS (1s to 24h). Milliseconds, or why not.
 */
export function readDuration(text: string): { readonly ms: number } | { readonly problem: string } {
  const bounds = TIMEOUT_BOUNDS;
  const value = text.trim().toLowerCase();
  if (value.startsWith("-")) return { problem: "is negative" };
  if (/^\d+(\.\d+)?$/.test(value)) return { problem: Number(value) === 0 ? "is not a positive duration" : "has no unit" };
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = part.exec(value)) !== null) {
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    consumed = part.lastIndex;
  }
  if (value.length === 0 || consumed !== value.length) return { problem: "is not a duration" };
  const ms = Math.round(total);
  if (ms < bounds.minMs) return { problem: ms <= 0 ? "is not a positive duration" : `is shorter than the minimum, ${bounds.min}` };
  if (!(ms <= bounds.maxMs)) return { problem: `is longer than the maximum, ${bounds.max}` };
  return { ms };
}

/** How a duration is quoted in a message: as typed, cut at 40 characters. */
const shownDuration = (text: string): string => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * readDuration for a flag: milliseconds, or a CheckSetupError (ERR_USAGE) naming `flag`, the value, why, and
 * DURATION_REMEDY.
 */
export function parseDuration(text: string, flag = "--timeout"): number {
  const read = readDuration(text);
  if ("problem" in read) throw new CheckSetupError("ERR_USAGE", `${flag} ${shownDuration(text)} ${read.problem}`, DURATION_REMEDY);
  return read.ms;
}

/** Renders milliseconds for people: `850 ms`, `12.4 s`, `3 min 05 s`, `2 h 05 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) {
    const minutes = Math.floor(ms / 60_000);
    const seconds = Math.round((ms % 60_000) / 1000);
    if (seconds === 60) return minutes + 1 === 60 ? "1 h 00 min" : `${minutes + 1} min 00 s`;
    return `${minutes} min ${String(seconds).padStart(2, "0")} s`;
  }
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.round((ms % 3_600_000) / 60_000);
  return minutes === 60 ? `${hours + 1} h 00 min` : `${hours} h ${String(minutes).padStart(2, "0")} min`;
}
