/**
 * When an Automation schedule first runs. Azure refuses a schedule whose start is less than five minutes away, and a
 * start written into config goes stale, so the stack takes a time of day and a time zone and computes the first run
 * from the moment the schedule is created (kept in state, so later updates do not move it).
 */

/** Azure Automation's repeating frequencies (`OneTime` and `Minute` make no sense for a daily report). */
export const SCHEDULE_FREQUENCIES = ["Hour", "Day", "Week", "Month"] as const;
export type ScheduleFrequency = (typeof SCHEDULE_FREQUENCIES)[number];

/** Azure's margin is five minutes; an hour leaves room for a slow `pulumi up`. */
const LEAD_TIME_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** True for a time zone name Node (ICU) knows: IANA names such as `Europe/Berlin`, and `UTC`. */
export function isTimeZone(name: string): boolean {
  if (name.trim() !== name || name === "") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at `instant`, as `+01:00`. */
export function utcOffset(instant: Date, timeZone: string): string {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" }).formatToParts(instant).find((p) => p.type === "timeZoneName")!.value;
  const m = /^GMT(?:([+-])(\d{2}):?(\d{2}))?$/.exec(name);
  if (!m || !m[1]) return "+00:00";
  return `${m[1]}${m[2]}:${m[3]}`;
}

function offsetMs(offset: string): number {
  const sign = offset.startsWith("-") ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6))) * 60 * 1000;
}

/** The calendar date at `instant` in the zone, as `YYYY-MM-DD`. */
function localDate(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}

/**
 * The first `at` (HH:MM) in `timeZone` at least an hour after `createdAt`, written with the zone's offset on that
 * day (`2026-11-27T06:00:00+01:00`), as Automation's `startTime` takes it.
 */
export function firstRun(createdAt: Date, at: string, timeZone: string): string {
  const earliest = createdAt.getTime() + LEAD_TIME_MS;
  for (let day = 0; ; day++) {
    const date = localDate(new Date(createdAt.getTime() + day * DAY_MS), timeZone);
    const wallClockAsUtc = Date.parse(`${date}T${at}:00Z`);
    // The zone's offset around that wall-clock time (one pass is exact except inside a DST change).
    const offset = utcOffset(new Date(wallClockAsUtc), timeZone);
    const instant = wallClockAsUtc - offsetMs(offset);
    if (instant >= earliest) return `${date}T${at}:00${offset}`;
  }
}
