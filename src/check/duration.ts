import { CheckSetupError } from "./errors";

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration the way people write one: `15m`, `90s`, `1h30m`, `500ms`, `2.5s`; a bare number is seconds.
 * Throws CheckSetupError (ERR_USAGE) for anything else, zero included.
 */
export function parseDuration(text: string, flag = "--timeout"): number {
  const value = text.trim().toLowerCase();
  let total = 0;
  if (/^\d+(\.\d+)?$/.test(value)) {
    total = Number(value) * 1000;
  } else {
    const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
    let consumed = 0;
    let match: RegExpExecArray | null;
    while ((match = part.exec(value)) !== null) {
      total += Number(match[1]) * UNIT_MS[match[2]!]!;
      consumed = part.lastIndex;
    }
    if (consumed === 0 || consumed !== value.length) total = Number.NaN;
  }
  if (!Number.isFinite(total) || total <= 0) {
    throw new CheckSetupError(
      "ERR_USAGE",
      `${flag} ${JSON.stringify(text)} is not a duration`,
      `Write a positive duration such as 15m, 90s, 1h30m or 500ms (a bare number means seconds).`,
    );
  }
  return Math.round(total);
}

/** Renders milliseconds for people: `850 ms`, `12.4 s`, `3 min 05 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return `${minutes} min ${String(seconds).padStart(2, "0")} s`;
}
