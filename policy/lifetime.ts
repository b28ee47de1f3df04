/** How long a client secret lives, from what the stack declares: its end date, or the rotation that sets it. */
import type { PolicyResource } from "@pulumi/policy";
import { knownNumber, knownString } from "./known";
import { TYPES } from "./types";

const DAY_MS = 86_400_000;

export interface Lifetime {
  readonly days: number;
  /** Where the number comes from, for the message: `endDate 2027-05-25T12:00:00Z`. */
  readonly source: string;
}

/** A Go duration as Terraform's azuread takes it (`endDateRelative: "4320h"`), in hours; undefined if not one. */
export function durationHours(text: string): number | undefined {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text.trim()) return undefined;
  return parts.reduce((hours, [, value, unit]) => hours + Number(value) / (unit === "h" ? 1 : unit === "m" ? 60 : 3600), 0);
}

/** A `time.Rotating`'s period in days (months and years by their average length); undefined when none is known. */
export function rotationDays(rotating: PolicyResource): number | undefined {
  const read = (key: string) => knownNumber(() => rotating.props[key]);
  const [years, months, days, hours, minutes] = ["rotationYears", "rotationMonths", "rotationDays", "rotationHours", "rotationMinutes"].map(read);
  if ([years, months, days, hours, minutes].every((v) => v === undefined)) return undefined;
  return (years ?? 0) * 365.25 + (months ?? 0) * 30.44 + (days ?? 0) + (hours ?? 0) / 24 + (minutes ?? 0) / 1440;
}

/** The password's lifetime from now: `endDate`, else `endDateRelative`, else the time.Rotating its endDate comes from. */
export function passwordLifetime(password: PolicyResource, now: Date): Lifetime | undefined {
  const endDate = knownString(() => password.props.endDate);
  if (endDate !== undefined && !Number.isNaN(Date.parse(endDate))) {
    return { days: (Date.parse(endDate) - now.getTime()) / DAY_MS, source: `endDate ${endDate}` };
  }
  const relative = knownString(() => password.props.endDateRelative);
  const hours = relative === undefined ? undefined : durationHours(relative);
  if (hours !== undefined) return { days: hours / 24, source: `endDateRelative ${relative}` };
  const rotating = (password.propertyDependencies?.endDate ?? []).find((source) => source.type === TYPES.rotating);
  const days = rotating ? rotationDays(rotating) : undefined;
  if (rotating && days !== undefined) return { days, source: `the rotation of time.Rotating "${rotating.name}"` };
  return undefined;
}
