import { CheckSetupError } from "./errors";

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** What a wait may be: at least a second (a shorter one cannot see a single answer), at most a day. */
export const TIMEOUT_BOUNDS = { minMs: 1000, maxMs: 24 * 3_600_000, min: "1s", max: "24h" } as const;

/**
 * Parses a duration the way people write one: `15m`, `90s`, `1h30m`, `500ms`, `2.5s`. The unit is required (is
 * `15` seconds or minutes?). Throws CheckSetupError (ERR_USAGE) naming `flag`, the value and the fix for anything
 * else, and for a duration outside TIMEOUT_BOUNDS (1s to 24h).
 */
export function parseDuration(text: string, flag = "--timeout"): number {
  const bounds = TIMEOUT_BOUNDS;
  const value = text.trim().toLowerCase();
  const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
  const examples = `Write a duration from ${bounds.min} to ${bounds.max} with its unit, such as 15m, 90s or 1h30m (units: ms, s, m, h).`;
  const refuse = (why: string): never => {
    throw new CheckSetupError("ERR_USAGE", `${flag} ${shown} ${why}`, examples);
  };
  if (value.startsWith("-")) refuse("is negative");
  if (/^\d+(\.\d+)?$/.test(value)) refuse(Number(value) === 0 ? "is not a positive duration" : "has no unit");
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = part.exec(value)) !== null) {
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    consumed = part.lastIndex;
  }
  if (value.length === 0 || consumed !== value.length) refuse("is not a duration");
  const ms = Math.round(total);
  if (ms < bounds.minMs) refuse(ms <= 0 ? "is not a positive duration" : `is shorter than the minimum, ${bounds.min}`);
  if (!(ms <= bounds.maxMs)) refuse(`is longer than the maximum, ${bounds.max}`);
  return ms;
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
