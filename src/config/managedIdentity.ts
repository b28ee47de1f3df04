/**
 * The `managedIdentity` key: Exchange access for an Azure managed identity instead of an app registration (no
 * secret or certificate to handle). The stack creates a user-assigned identity, or an Azure Automation account with
 * a system-assigned one, or takes an identity that exists by its principal id.
 *
 * Principal id and client id are both GUIDs and easy to swap: the grant needs the principal id (the identity's
 * service principal, "Object (principal) ID"), `Connect-ExchangeOnline -ManagedIdentityAccountId` needs the client id.
 */
import { z } from "zod";
import { moduleVersionProblem } from "../automation/exchangeModule";
import { isTimeZone, SCHEDULE_FREQUENCIES } from "../automation/schedule";
import { guid, location, resourceGroup, subscriptionId } from "./azureResourceFields";
import { adviceFor } from "./concepts";
import { schemaWording } from "./schemaWording";
import type { ManagedIdentityConfig } from "./stackConfig";
import { didYouMean } from "./suggest";
import { json, type IssueList, type RawConfig } from "./values";

export const IDENTITY_KINDS = ["userAssigned", "automationAccount", "existing"] as const;

const userAssigned = z
  .object({
    kind: z.literal("userAssigned"),
    name: z.string().regex(/^[A-Za-z0-9][-\w]{2,127}$/, { error: "must be 3 to 128 letters, digits, hyphens and underscores, starting with a letter or digit (Azure's rule for a user-assigned identity)" }),
    resourceGroup,
    location,
    subscriptionId,
  })
  .strict();

/** When the sample runbook runs: Azure Automation's own frequencies, from a time of day in a time zone. */
const runbookSchedule = z
  .object({
    frequency: z.enum(SCHEDULE_FREQUENCIES, {
      error: (issue) => `must be one of ${SCHEDULE_FREQUENCIES.join(", ")} (Azure Automation's schedule frequencies).${typeof issue.input === "string" ? adviceFor("scheduleFrequency", issue.input, SCHEDULE_FREQUENCIES) : ""}`,
    }),
    interval: z.number().int().min(1, { error: "must be a whole number of at least 1: run every <interval> hours, days, weeks or months" }).default(1),
    at: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time of day as HH:MM on a 24-hour clock, for example "06:00" (quote it in YAML)' })
      .default("06:00"),
    timeZone: z
      .string()
      .refine(isTimeZone, { error: "must be an IANA time zone, for example UTC, Europe/Berlin or America/New_York" })
      .default("UTC"),
  })
  .strict();

const automationAccount = z
  .object({
    kind: z.literal("automationAccount"),
    name: z.string().regex(/^[A-Za-z][-A-Za-z0-9]{4,48}[A-Za-z0-9]$/, { error: "must be 6 to 50 letters, digits and hyphens, starting with a letter and ending with a letter or digit (Azure's rule for an Automation account)" }),
    resourceGroup,
    location,
    subscriptionId,
    // Refused when it cannot run what the runbook runs (-ManagedIdentity needs 3.0.0), not only when malformed.
    moduleVersion: z.string().superRefine((value, ctx) => {
      const problem = moduleVersionProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
    runbook: z.boolean().default(true),
    schedule: runbookSchedule.optional(),
  })
  .strict()
  .refine((v) => v.runbook || v.schedule === undefined, {
    error: "schedules the sample runbook, and runbook is false: remove schedule, or set runbook: true",
    path: ["schedule"],
  });

const existing = z
  .object({
    kind: z.literal("existing"),
    principalId: guid("the identity's Object (principal) ID: Enterprise applications → Managed Identities → the identity"),
    clientId: guid("a user-assigned identity's Client ID (the identity's Overview page); leave it out for a system-assigned one").optional(),
  })
  .strict()
  .refine((v) => v.clientId === undefined || v.clientId !== v.principalId, {
    error: "principalId and clientId are the same GUID, so one of them is the other id: principalId is the Object (principal) ID of the identity's service principal, clientId the identity's Client ID",
    path: ["clientId"],
  });

const schema = z.discriminatedUnion("kind", [userAssigned, automationAccount, existing]);
const FIELDS = Object.fromEntries(schema.options.map((o) => [o.shape.kind.value, Object.keys(o.shape)])) as Record<(typeof IDENTITY_KINDS)[number], string[]>;
/** Fields that only some kinds take: said so when a kind gets one it does not take. */
const CREATED_ONLY = ["name", "resourceGroup", "location", "subscriptionId", "moduleVersion", "runbook", "schedule"];

/** The managed identity the stack grants, null for none, undefined when the value is bad. */
export function parseManagedIdentity(raw: RawConfig, issues: IssueList): ManagedIdentityConfig | null | undefined {
  if (raw.managedIdentity === undefined) return null;
  const value = json(raw, "managedIdentity", issues, "a map with a kind and that kind's fields");
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return issues.add("managedIdentity", value, `must be a map with a kind (${IDENTITY_KINDS.join(", ")}) and that kind's fields`);
  }
  const entry = value as Record<string, unknown>;
  const kind = entry.kind;
  if (typeof kind !== "string" || !(IDENTITY_KINDS as readonly string[]).includes(kind)) {
    return issues.add("managedIdentity.kind", kind, `must be one of ${IDENTITY_KINDS.join(", ")}.${typeof kind === "string" ? adviceFor("managedIdentityKind", kind, IDENTITY_KINDS) : ""}`);
  }
  const parsed = schema.safeParse(entry, { error: schemaWording(`managedIdentity kind ${kind}`) });
  if (parsed.success) return parsed.data;
  const fields = FIELDS[kind as keyof typeof FIELDS];
  for (const issue of parsed.error.issues) {
    if (issue.code === "unrecognized_keys" && issue.path.length > 0) {
      // Inside a nested map (the schedule): its own fields, under its own key.
      const where = `managedIdentity.${issue.path.join(".")}`;
      const nested = Object.keys(runbookSchedule.shape);
      for (const key of issue.keys) issues.add(`${where}.${key}`, valueAt(entry, [...issue.path, key]), `is not a field of ${where}.${didYouMean(key, nested)} Fields: ${nested.join(", ")}.`);
    } else if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const why =
          kind === "existing" && CREATED_ONLY.includes(key)
            ? "applies to an identity the stack creates (kind userAssigned or automationAccount), not to an existing one"
            : kind !== "existing" && (key === "principalId" || key === "clientId")
              ? `comes from the identity the stack creates: remove it (an identity that exists already is kind existing, with its principalId)`
              : otherKinds(key, kind).length > 0
                ? `applies to managedIdentity kind ${otherKinds(key, kind).join(" or ")} only, and kind ${kind} ignores it: remove it, or set that kind. Fields of kind ${kind}: ${fields.join(", ")}.`
                : `is not a field of managedIdentity kind ${kind}.${didYouMean(key, fields)} Fields: ${fields.join(", ")}.`;
        issues.add(`managedIdentity.${key}`, entry[key], why);
      }
    } else {
      const field = issue.path.length ? `managedIdentity.${issue.path.join(".")}` : "managedIdentity";
      issues.add(field, valueAt(entry, issue.path), issue.message);
    }
  }
  return undefined;
}

/** The other kinds that take `field` (`runbook` is an Automation account's): a field the chosen kind ignores. */
function otherKinds(field: string, kind: string): string[] {
  return IDENTITY_KINDS.filter((k) => k !== kind && FIELDS[k].includes(field));
}

/** The value at a zod issue's path (the whole entry for an empty path). */
function valueAt(entry: Record<string, unknown>, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((value, key) => (value !== null && typeof value === "object" ? (value as Record<PropertyKey, unknown>)[key] : undefined), entry);
}
