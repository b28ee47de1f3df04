/**
 * The `tenants` key: many tenants in one stack. Each entry is the one-tenant schema (its `tenantId`,
 * `organization` and any key of the project as an override); the stack's top-level keys are every entry's
 * defaults. An entry also takes what only an entry can say: its `key`, its `azuread` sign-in block, and in
 * `appMode: multiTenant` whether it is the `home` of the app and how its `consent` is given.
 */
import { isDirectoryId } from "../facts";
import { CONFIG_KEY_NAMES, ENTRY_ONLY_KEYS, PROJECT } from "./keys";
import { ignoredKeys, modesOf, MODE_RULES, shownValue, type ModeKey, type Place } from "./modes";
import { readTenantConfig } from "./parse";
import { readProviderSignIn, type ProviderSignIn } from "./provider";
import type { TenantConfig } from "./stackConfig";
import { adviceFor } from "./concepts";
import { didYouMean } from "./suggest";
import { IssueList, engineString, type RawConfig } from "./values";

export const APP_MODES = ["perTenant", "multiTenant"] as const;
export type AppMode = (typeof APP_MODES)[number];
export type ConsentMode = "automatic" | "manual";

/** Keys only the stack takes. */
const STACK_ONLY = ["tenants", "appMode"];
/** In multiTenant mode these describe the one app, which lives in the home tenant: the keys a customer ignores. */
const APP_KEYS = Object.keys(MODE_RULES.customerTenant.ignores);

/**
 * In multiTenant mode these apply to the one app and every tenant it reaches (the app's required permissions, the
 * grants in each tenant), so they are set once at the stack level, never per entry.
 */
const ONE_APP_KEYS = ["workloads", "adminApi"];

/** The project's keys an entry may override. */
const TENANT_KEYS: string[] = CONFIG_KEY_NAMES.filter((k) => !STACK_ONLY.includes(k));
const ENTRY_KEYS = [...TENANT_KEYS, ...ENTRY_ONLY_KEYS];
/** A tenant's key names its resources and its outputs: short, lower case, stable. */
const KEY = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** One tenant of a stack, validated. `key` names its resources and outputs; undefined for a one-tenant stack. */
export interface TenantEntry {
  readonly key: string | undefined;
  readonly tenant: TenantConfig;
  /**
   * The tenant's values as the stack wrote them (its entry's over the stack level's), by key: what the stack
   * program maps onto the tenant's component args, which the same rules read again.
   */
  readonly raw: RawConfig;
  /** How this tenant's provider signs in: the stack's `azuread:*`, overridden by the entry's `azuread` block. */
  readonly signIn: ProviderSignIn;
  /** multiTenant: the tenant that holds the app registration and its credentials. */
  readonly home: boolean;
  /** multiTenant: `manual` when the deployer has no rights there; the stack then creates nothing in it. */
  readonly consent: ConsentMode;
}


function rootOf(key: string): string {
  return /^[A-Za-z]+/.exec(key)?.[0] ?? key;
}

interface EntryContext {
  readonly defaults: RawConfig;
  readonly stackSignIn: Readonly<Record<string, string>>;
  readonly mode: AppMode;
  readonly issues: IssueList;
  readonly now: Date;
}

function flag(entry: Record<string, unknown>, field: "home", name: (k: string) => string, issues: IssueList): boolean | undefined {
  const value = entry[field];
  if (value === undefined || value === false || value === "false") return false;
  if (value === true || value === "true") return true;
  return issues.addAt(name(field), value, "must be true or false");
}

/** Which keys an entry may hold: the project's tenant keys and the entry-only ones; never the stack's own. */
function checkFields(entry: Record<string, unknown>, entryName: (key: string) => string, issues: IssueList): void {
  for (const [field, value] of Object.entries(entry)) {
    if (STACK_ONLY.includes(field)) issues.addAt(entryName(field), value, "is a stack-level key: set it once, outside tenants");
    else if (!(ENTRY_KEYS as string[]).includes(field)) issues.addAt(entryName(field), value, `is not a key a tenant entry takes.${didYouMean(field, ENTRY_KEYS)} Keys: ${ENTRY_KEYS.join(", ")}.`);
  }
}

/** The entry's place in the stack: its key, whether it is the app's home, how its consent is given. */
function parsePlace(entry: Record<string, unknown>, entryName: (key: string) => string, mode: AppMode, issues: IssueList) {
  const key =
    entry.key === undefined
      ? undefined
      : typeof entry.key === "string" && KEY.test(entry.key)
        ? entry.key
        : issues.addAt(entryName("key"), entry.key, "must be 1 to 40 lower-case letters, digits and hyphens, for example contoso: it names the tenant's resources and outputs");
  const home = flag(entry, "home", entryName, issues);
  const consent: ConsentMode | undefined =
    entry.consent === undefined
      ? "automatic"
      : entry.consent === "automatic" || entry.consent === "manual"
        ? entry.consent
        : issues.addAt(entryName("consent"), entry.consent, `must be "automatic" (the stack grants it) or "manual" (an admin of that tenant consents; the stack creates nothing there).${adviceFor("consent", engineString(entry.consent), ["automatic", "manual"])}`);
  // Keys the entry's place makes meaningless (home or consent with perTenant, the app's keys on a customer) are
  // refused with the other ignored keys, from one table (modes.ts).
  if (mode === "multiTenant") {
    for (const field of ONE_APP_KEYS) {
      if (entry[field] !== undefined) issues.addAt(entryName(field), entry[field], "applies to the one app and every tenant it reaches in appMode: multiTenant: set it once at the stack level");
    }
  }
  if (home && consent === "manual") issues.addAt(entryName("consent"), "manual", "cannot apply to the home tenant: the stack creates the app there, so it grants the consent too");
  return { key, home, consent };
}

/** The entry's `azuread` block, as engine strings (empty when absent or not a map). */
function signInBlock(entry: Record<string, unknown>, entryName: (key: string) => string, issues: IssueList): Record<string, string> {
  const block = entry.azuread;
  if (block === undefined) return {};
  if (block === null || typeof block !== "object" || Array.isArray(block)) {
    issues.addAt(entryName("azuread"), block, "must be a map of the azuread provider's settings, for example { useOidc: true, clientId: ... }");
    return {};
  }
  return Object.fromEntries(Object.entries(block).map(([k, v]) => [k, engineString(v)]));
}

/** Keys each entry needs of its own: a stack-level value would be every tenant's. */
const PER_ENTRY = ["tenantId", "organization"];

interface ParsedEntry {
  readonly entry: TenantEntry;
  /** Stack-level keys this tenant inherits and its modes ignore, with why: refused when every tenant ignores one. */
  readonly ignoresInherited: ReadonlyMap<ModeKey, string>;
}

function parseEntry(value: unknown, index: number, context: EntryContext): ParsedEntry | undefined {
  const { issues } = context;
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return issues.addAt(`${PROJECT}:tenants[${index}]`, value, "must be a map with tenantId and organization, and any key of the project to override");
  }
  const entry = value as Record<string, unknown>;
  // The entry's name in every issue about it: a label that is no valid key or tenant id may be anything, a secret too.
  const label = typeof entry.key === "string" && KEY.test(entry.key) ? entry.key : typeof entry.tenantId === "string" && isDirectoryId(entry.tenantId) ? entry.tenantId : String(index);
  const entryName = (key: string) => `${PROJECT}:tenants[${label}].${key}`;
  const before = issues.count;

  checkFields(entry, entryName, issues);
  const { key, home, consent } = parsePlace(entry, entryName, context.mode, issues);

  // The entry's own keys override the stack's: a problem with a value is named where it was written, and a key
  // each entry needs of its own (tenantId, organization) is named in the entry that lacks it.
  const own = Object.fromEntries(Object.entries(entry).filter(([field]) => TENANT_KEYS.includes(field)).map(([field, v]) => [field, engineString(v)]));
  const inEntry = (k: string) => k in own || (ENTRY_ONLY_KEYS as readonly string[]).includes(k) || (PER_ENTRY.includes(k) && !(k in context.defaults));
  const name = (k: string) => (inEntry(rootOf(k)) ? entryName(k) : `${PROJECT}:${k}`);
  // A customer of a multi-tenant app holds no app of its own: the app's keys are the home tenant's business.
  const appless = context.mode === "multiTenant" && home === false;
  const place: Place = { customer: appless, manualConsent: appless && consent === "manual", perTenantEntry: context.mode === "perTenant" };
  const defaults = appless ? Object.fromEntries(Object.entries(context.defaults).filter(([k]) => !APP_KEYS.includes(k))) : context.defaults;
  const entryOnly = Object.fromEntries(ENTRY_ONLY_KEYS.filter((k) => entry[k] !== undefined).map((k) => [k, engineString(entry[k])]));
  const raw = { ...defaults, ...own };
  const tenant = readTenantConfig(raw, issues.renamed(name), context.now, {
    appless,
    entry: `tenants[${label}]`,
    place,
    written: { ...own, ...entryOnly },
  });
  const inherited = Object.fromEntries(Object.entries(context.defaults).filter(([k]) => !(k in own)));
  // Those the tenant must not inherit are refused by readTenantConfig already; here the rest.
  const ignoresInherited = new Map(ignoredKeys(modesOf({ ...context.defaults, ...own }, place), inherited).filter((i) => !i.evenInherited).map((i) => [i.key, i.why] as const));
  const ownSignIn = signInBlock(entry, entryName, issues);
  const signIn = readProviderSignIn({ ...context.stackSignIn, ...ownSignIn }, { tenantId: tenant?.tenantId, cloud: tenant?.cloud }, issues, (k) =>
    k in ownSignIn ? `${entryName("azuread")}.${k}` : `azuread:${k}`,
  );
  if (issues.count > before) return undefined;
  return { entry: { key: key ?? tenant!.tenantId, tenant: tenant!, raw, signIn, home: home!, consent: consent! }, ignoresInherited };
}

/** The app mode, or undefined with an issue. */
export function parseAppMode(raw: RawConfig, issues: IssueList): AppMode | undefined {
  const value = raw.appMode ?? "perTenant";
  if ((APP_MODES as readonly string[]).includes(value)) return value as AppMode;
  return issues.add("appMode", value, `must be perTenant (an app in each tenant) or multiTenant (one app in the home tenant).${adviceFor("appMode", value, APP_MODES)}`);
}

/** Every entry of `tenants`, validated, plus the checks across entries (duplicates, the one home). */
export function parseTenants(list: unknown, context: EntryContext): TenantEntry[] | undefined {
  const { issues } = context;
  const tenantsKey = `${PROJECT}:tenants`;
  if (!Array.isArray(list) || list.length === 0) {
    return issues.addAt(tenantsKey, list, "must be a list with at least one entry, each with tenantId and organization");
  }
  const before = issues.count;
  const parsed = list.map((value, index) => parseEntry(value, index, context));
  if (issues.count > before) return undefined;
  const valid = (parsed as ParsedEntry[]).map((p) => p.entry);

  // A stack-level key every tenant ignores is dropped for all of them: refused at the stack level.
  for (const key of Object.keys(context.defaults) as ModeKey[]) {
    const whys = (parsed as ParsedEntry[]).map((p) => p.ignoresInherited.get(key));
    if (whys.every((why) => why !== undefined)) issues.add(key, shownValue(context.defaults[key]!), `is used by no tenant of this stack. For tenants[${valid[0]!.key}], it ${whys[0]}`);
  }

  // An initial domain (*.onmicrosoft.com) belongs to one tenant: two tenant ids with one of them is a pasting mistake.
  const domains = new Map<string, string>();
  for (const entry of valid) {
    const other = domains.get(entry.tenant.organization);
    if (other !== undefined) {
      issues.addAt(
        `${tenantsKey}[${entry.key}].organization`,
        entry.tenant.organization,
        `is tenants[${other}]'s organization too: an initial domain belongs to one tenant, so one of the two entries has another tenant's domain or id. Copy each from its own tenant (Entra admin center → Overview: Tenant ID and Primary domain; the initial domain is under Domain names)`,
      );
    }
    domains.set(entry.tenant.organization, entry.key!);
  }

  const seen = new Map<string, string>();
  for (const entry of valid) {
    for (const [what, id] of [["tenant id", entry.tenant.tenantId], ["key", entry.key!]] as const) {
      const other = seen.get(`${what} ${id}`);
      if (other !== undefined) issues.addAt(`${tenantsKey}[${entry.key}]`, id, `repeats the ${what} of tenants[${other}]: each tenant appears once, under one key`);
      seen.set(`${what} ${id}`, entry.key!);
    }
  }
  const vaults = new Map<string, string>();
  for (const entry of valid) {
    const vault = entry.tenant.keyVault?.name;
    if (vault === undefined) continue;
    const other = vaults.get(vault);
    if (other !== undefined) {
      issues.addAt(`${tenantsKey}[${entry.key}].keyVault.name`, vault, `is tenants[${other}]'s vault too: a vault belongs to one tenant and its names are global; give each entry its own keyVault (one set at the stack level applies to every tenant)`);
    }
    vaults.set(vault, entry.key!);
  }
  if (context.mode === "multiTenant") {
    const homes = valid.filter((e) => e.home);
    if (homes.length !== 1) {
      issues.addAt(tenantsKey, homes.length === 0 ? "no home" : homes.map((h) => h.key).join(", "), `${homes.length === 0 ? "names no home tenant" : `names more than one home tenant (${homes.map((h) => h.key).join(", ")})`}: in appMode: multiTenant exactly one entry has home: true (the tenant that holds the app registration and its credentials)`);
    } else {
      const cloud = homes[0]!.tenant.cloud;
      for (const entry of valid.filter((e) => e.tenant.cloud !== cloud)) {
        issues.addAt(`${tenantsKey}[${entry.key}].environment`, entry.tenant.cloud.name, `differs from the home tenant's cloud (${cloud.name}): a multi-tenant app reaches tenants of its own cloud only; give this tenant its own stack`);
      }
    }
  }
  return issues.count > before ? undefined : valid;
}
