/**
 * The `exchangeRoles` key: Exchange's own RBAC for the app's service principal, least privilege below a directory
 * role. Each entry is a management role, optionally scoped (`{ role, scope? }`), or a role group (`{ roleGroup }`).
 * The stack puts the roles in role groups of its own and the app's principal in them (components/exchangeRbac.ts).
 *
 * A name must be one of Exchange Online's built-in roles or role groups, so a typo is caught before `up` with a
 * "did you mean". A tenant's own (custom) role or role group is accepted when the entry says `custom: true`. A name
 * that is a known thing of another kind (a role group under `role`, a role under `roleGroup`, a directory role, an
 * application role) is refused with the key it belongs under, with or without `custom: true`.
 */
import { z } from "zod";
import {
  APPLICATION_ROLE_PREFIX,
  EXCHANGE_MANAGEMENT_ROLES,
  EXCHANGE_ROLE_GROUPS,
  exchangeConceptsOf,
  findBuiltInName,
  findBuiltInRoleGroup,
  findExchangeRole,
  isDirectoryId,
  isGuid,
  normalizeName,
  type ExchangeConcept,
} from "../facts";
import { schemaWording } from "./schemaWording";
import type { ExchangeRoleEntry } from "./stackConfig";
import { didYouMean } from "./suggest";
import { json, type IssueList, type RawConfig } from "./values";

const FIELDS = ["role", "scope", "roleGroup", "custom"];
const name = z.string().trim().min(1).max(64);
const entrySchema = z.object({ role: name.optional(), scope: name.optional(), roleGroup: name.optional(), custom: z.boolean().optional() }).strict();

type Entry = z.infer<typeof entrySchema>;

/** One checked entry, or undefined with its issue under `exchangeRoles[i]`. */
function parseEntry(value: unknown, key: string, issues: IssueList): ExchangeRoleEntry | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return issues.add(key, value, 'must be a map: { role: "View-Only Configuration" }, { role: "Mail Recipients", scope: <management scope or administrative unit id> } or { roleGroup: "Recipient Management" }');
  }
  const parsed = entrySchema.safeParse(value, { error: schemaWording("an exchangeRoles entry") });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        for (const field of issue.keys) issues.add(`${key}.${field}`, (value as Record<string, unknown>)[field], `is not a field of an exchangeRoles entry.${didYouMean(field, FIELDS)} Fields: ${FIELDS.join(", ")}.`);
      } else {
        const field = String(issue.path[0] ?? "");
        issues.add(field ? `${key}.${field}` : key, field ? (value as Record<string, unknown>)[field] : value, issue.message);
      }
    }
    return undefined;
  }
  const entry: Entry = parsed.data;
  if (entry.roleGroup !== undefined && entry.scope !== undefined) {
    return issues.add(`${key}.scope`, entry.scope, "cannot go with roleGroup: a role group's scopes are its own role assignments'. Scope a role instead ({ role, scope }), or drop scope");
  }
  if (entry.roleGroup !== undefined && entry.role !== undefined) {
    return issues.add(key, value, "names both a role and a roleGroup: one entry is one grant; split it into two entries");
  }
  if (entry.roleGroup === undefined && entry.role === undefined) {
    return issues.add(key, value, 'needs a role (a management role, for example "View-Only Configuration") or a roleGroup (for example "View-Only Organization Management")');
  }
  if (entry.role !== undefined) {
    const role = checkName(entry.role, entry.custom === true, "managementRole", `${key}.role`, issues);
    if (role === undefined) return undefined;
    if (entry.scope === undefined) return { role };
    const notAnId = guidLikeScope(entry.scope);
    if (notAnId) return issues.add(`${key}.scope`, entry.scope, notAnId);
    const scope = isDirectoryId(entry.scope) ? { kind: "administrativeUnit" as const, id: entry.scope.toLowerCase() } : { kind: "managementScope" as const, name: entry.scope };
    return { role, scope };
  }
  const roleGroup = checkName(entry.roleGroup!, entry.custom === true, "roleGroup", `${key}.roleGroup`, issues);
  return roleGroup === undefined ? undefined : { roleGroup };
}

const GUID_BODY = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
/** A GUID in braces or as a `urn:uuid:`: the id itself is in group 1 or 2. */
const WRAPPED_GUID = new RegExp(`^(?:\\{(${GUID_BODY})\\}|urn:uuid:(${GUID_BODY}))$`, "i");

/**
 * A scope written as a GUID in a form that is not an administrative unit's Object ID (braces, `urn:uuid:`, the nil
 * GUID): the fix, or undefined. Read as a management scope's name it would fail only at `up`, in Exchange.
 */
function guidLikeScope(scope: string): string | undefined {
  const wrapped = WRAPPED_GUID.exec(scope);
  if (wrapped) return `is an administrative unit id in another form: write its Object ID as a bare GUID (${(wrapped[1] ?? wrapped[2])!.toLowerCase()})`;
  if (isGuid(scope) && !isDirectoryId(scope)) {
    return "is the nil GUID, not an administrative unit: give the unit's Object ID (az rest --url https://graph.microsoft.com/v1.0/directory/administrativeUnits --query \"value[].{name:displayName, id:id}\"), or a management scope's name";
  }
  return undefined;
}

type Kind = "managementRole" | "roleGroup";
const WHAT: Record<Kind, string> = { managementRole: "management role", roleGroup: "role group" };

/**
 * Where a name of another kind belongs, or undefined when it is no known thing of another kind. Said before any
 * "did you mean": the nearest spelling of the wrong kind would fail at deploy time.
 */
function otherConcept(value: string, kind: Kind): string | undefined {
  const others: ExchangeConcept[] = exchangeConceptsOf(value).filter((c) => c !== kind);
  if (others.length === 0) return undefined;
  const advice: string[] = [];
  for (const concept of others) {
    if (concept === "roleGroup") {
      const group = findBuiltInRoleGroup(value)!;
      advice.push(`is Exchange's built-in role group "${group.name}", not a management role: write it as { roleGroup: "${group.name}" } (the stack's own role group then holds its roles: ${group.roles.join(", ")})`);
    } else if (concept === "managementRole") {
      const role = findBuiltInName(EXCHANGE_MANAGEMENT_ROLES, value)!;
      advice.push(`is Exchange's built-in management role "${role}", not a role group: write it as { role: "${role}" }`);
    } else if (concept === "directoryRole") {
      const role = findExchangeRole(value)!;
      advice.push(`is a directory role in Entra, not an Exchange ${WHAT[kind]}: set it as exchange-app-only:role: ${role.name} (and drop this entry)`);
    }
  }
  return advice.length > 0 ? `${advice.join("; it also ")}.` : undefined;
}

/** The built-in spelling of a name, the custom name as written, or undefined with an issue. */
function checkName(value: string, custom: boolean, kind: Kind, key: string, issues: IssueList): string | undefined {
  const what = WHAT[kind];
  const builtIn = kind === "managementRole" ? EXCHANGE_MANAGEMENT_ROLES : EXCHANGE_ROLE_GROUPS;
  if (value.startsWith(APPLICATION_ROLE_PREFIX)) {
    return issues.add(key, value, `is an application role for mailbox data through Graph or EWS, not for admin cmdlets: this project grants admin cmdlets. Use an admin role such as "View-Only Configuration" or "Mail Recipients"`);
  }
  const known = findBuiltInName(builtIn, value);
  if (custom) {
    if (known !== undefined) return issues.add(key, value, `is Exchange's built-in ${what} "${known}": drop custom: true (it marks a ${what} the tenant made itself)`);
    const elsewhere = otherConcept(value, kind);
    return elsewhere === undefined ? value : issues.add(key, value, elsewhere);
  }
  if (known !== undefined) return known;
  const elsewhere = otherConcept(value, kind);
  if (elsewhere !== undefined) return issues.add(key, value, elsewhere);
  return issues.add(
    key,
    value,
    `is not one of Exchange Online's built-in ${what}s.${didYouMean(value, builtIn)} If the tenant made it (a custom ${what}), add custom: true to the entry. Built-in: ${builtIn.join(", ")}.`,
  );
}

function identity(entry: ExchangeRoleEntry): string {
  if ("roleGroup" in entry) return `roleGroup ${normalizeName(entry.roleGroup)}`;
  const scope = entry.scope === undefined ? "" : entry.scope.kind === "administrativeUnit" ? entry.scope.id : normalizeName(entry.scope.name);
  return `role ${normalizeName(entry.role)} ${scope}`;
}

function describe(entry: ExchangeRoleEntry): string {
  if ("roleGroup" in entry) return `role group "${entry.roleGroup}"`;
  const scope = entry.scope === undefined ? "" : ` with scope ${entry.scope.kind === "administrativeUnit" ? entry.scope.id : `"${entry.scope.name}"`}`;
  return `role "${entry.role}"${scope}`;
}

/** The entries (empty when the key is not set), or undefined with every issue recorded. */
export function parseExchangeRoles(raw: RawConfig, issues: IssueList): ExchangeRoleEntry[] | undefined {
  if (raw.exchangeRoles === undefined) return [];
  const value = json(raw, "exchangeRoles", issues, "a list of { role, scope? } or { roleGroup } entries");
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    return issues.add("exchangeRoles", value, 'must be a list, for example [{ role: "View-Only Configuration" }]');
  }
  const before = issues.count;
  const entries = value.map((entry, i) => parseEntry(entry, `exchangeRoles[${i}]`, issues));
  if (issues.count > before) return undefined;
  const valid = entries as ExchangeRoleEntry[];
  const seen = new Map<string, number>();
  for (const [i, entry] of valid.entries()) {
    const first = seen.get(identity(entry));
    if (first !== undefined) {
      issues.add(`exchangeRoles[${i}]`, value[i], `repeats exchangeRoles[${first}] (${describe(entry)}): each grant once`);
    }
    seen.set(identity(entry), i);
  }
  return issues.count > before ? undefined : valid;
}
