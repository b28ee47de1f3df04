/**
 * Settings a mode ignores are refused, not dropped. A mode is a way a tenant is set up that makes some keys
 * meaningless: a managed identity has no certificate to generate, a multi-tenant app's customer holds no app, a
 * `consent: manual` tenant gets nothing from the stack. Without this table such a key plans nothing and says nothing.
 *
 * One table, read by one check: for each mode, the keys it uses and the keys it ignores with why. Every key of the
 * project (CONFIG_KEYS) and every entry-only key is classified for every mode; a test fails when a key is added
 * without that. A key set to the value that asks for nothing (`clientSecret: false`, `owners: []`) says nothing
 * wrong and passes. So does a stack-level key at its `Pulumi.yaml` default: the engine hands the program declared
 * defaults as if the stack had set them, so `certificate: generate` written and left out look the same.
 */
import { IDENTITY_KINDS } from "./managedIdentity";
import { CONFIG_KEYS, CONFIG_KEY_NAMES, ENTRY_ONLY_KEYS, type ConfigKeyName, type EntryOnlyKey } from "./keys";
import type { RawConfig } from "./values";

export const MODES = ["userAssigned", "automationAccount", "existing", "adopt", "customerTenant", "manualConsent", "perTenantEntry"] as const;
export type Mode = (typeof MODES)[number];

/** The keys a mode is judged on: the project's keys and a tenant entry's own. */
export type ModeKey = ConfigKeyName | EntryOnlyKey;
export const MODE_KEYS: readonly ModeKey[] = [...CONFIG_KEY_NAMES, ...ENTRY_ONLY_KEYS];

export interface Ignored {
  readonly why: string;
  /**
   * Refused even when the tenant inherits it from the stack level (else only where it is written for the tenant, or
   * when every tenant ignores it): the tenant would get less than the stack promises.
   */
  readonly evenInherited?: true;
}

export interface ModeRule {
  /** How a message names the mode. */
  readonly label: string;
  readonly uses: readonly ModeKey[];
  readonly ignores: Readonly<Partial<Record<ModeKey, Ignored>>>;
}

/** Values that ask for nothing, as the engine hands them over: a mode that ignores the key ignores nothing then. */
const OFF_VALUES: Readonly<Partial<Record<ModeKey, readonly string[]>>> = {
  certificate: ["none"],
  clientSecret: ["false"],
  owners: ["[]"],
  protect: ["false"],
  federatedCredentials: ["[]"],
  verifyOnUp: ["false"],
  exchangeRoles: ["[]"],
};

const GRANT_KEYS: readonly ModeKey[] = ["tenantId", "organization", "environment", "role", "workloads", "exchangeRoles", "adminApi", "allowGlobalAdministrator"];
const STACK_KEYS: readonly ModeKey[] = ["tenants", "appMode"];

/** What a managed identity ignores: everything that belongs to an app registration and its credentials. */
function identityIgnores(named: string): ModeRule["ignores"] {
  const noCertificate = { why: `does not apply to a managed identity: it has no certificate (Azure holds its credential), so the stack makes none. Remove it, or remove managedIdentity to make an app` };
  const noSecret = { why: `does not apply to a managed identity: it has no client secret (Azure holds its credential), so the stack makes none. Remove it, or remove managedIdentity to make an app` };
  return {
    owners: { why: `owns an app registration, and a managed identity has none: who may manage ${named} is Azure RBAC on its resource. Remove owners` },
    protect: { why: "protects the app registration from pulumi destroy, and a managed identity stack has none. Remove protect (use a resource lock on the identity's resource group in Azure)" },
    certificate: noCertificate,
    certificateValidityDays: noCertificate,
    certificateRsaBits: noCertificate,
    certificateRotation: noCertificate,
    clientSecret: noSecret,
    clientSecretLifetimeDays: noSecret,
    clientSecretRotation: noSecret,
    federatedCredentials: { why: "is for an app registration's credentials, and a managed identity has none: it signs in where it lives, with no credential. Remove federatedCredentials, or remove managedIdentity to make an app for the pipeline" },
    keyVault: { why: "has nothing to store: a managed identity has no secret or certificate; remove keyVault" },
    adopt: { why: "names an app registration to adopt, and a managed identity has none: keep managedIdentity or adopt, not both" },
    verifyOnUp: { why: "cannot run for a managed identity: it signs in only where it lives, not on the machine running pulumi up. Remove verifyOnUp and prove it there: exo-app-only verify --managed-identity" },
    verifyTimeout: { why: "times the check inside pulumi up, which does not run for a managed identity (it signs in only where it lives). Remove verifyTimeout" },
  };
}

const CUSTOMER = { why: "belongs to the one app in appMode: multiTenant: set it on the home tenant's entry (or at the stack level)" };
const CUSTOMER_IGNORES: ModeRule["ignores"] = Object.fromEntries(
  (["displayName", "owners", "protect", "adopt", "managedIdentity", "keyVault", "certificate", "certificateValidityDays", "certificateRsaBits", "certificateRotation", "clientSecret", "clientSecretLifetimeDays", "clientSecretRotation", "federatedCredentials"] as const).map((k) => [k, CUSTOMER]),
);

const MANUAL = "the stack creates nothing in a consent: manual tenant";

export const MODE_RULES: Readonly<Record<Mode, ModeRule>> = {
  userAssigned: {
    label: "managedIdentity kind userAssigned",
    uses: [...GRANT_KEYS, ...STACK_KEYS, "managedIdentity", ...ENTRY_ONLY_KEYS],
    ignores: { ...identityIgnores("the identity"), displayName: { why: "names an app registration, and a managed identity has none: the identity is named by managedIdentity.name. Remove displayName" } },
  },
  automationAccount: {
    label: "managedIdentity kind automationAccount",
    uses: [...GRANT_KEYS, ...STACK_KEYS, "managedIdentity", ...ENTRY_ONLY_KEYS],
    ignores: { ...identityIgnores("the Automation account's identity"), displayName: { why: "names an app registration, and a managed identity has none: the Automation account is named by managedIdentity.name. Remove displayName" } },
  },
  existing: {
    label: "managedIdentity kind existing",
    // displayName names the identity in Exchange's RBAC (New-ServicePrincipal -DisplayName) when exchangeRoles are set.
    uses: [...GRANT_KEYS, ...STACK_KEYS, "managedIdentity", "displayName", ...ENTRY_ONLY_KEYS],
    ignores: identityIgnores("an existing identity"),
  },
  adopt: {
    label: "adopt",
    // An adopted app is the stack's app from then on: every app key applies to it. managedIdentity with adopt is
    // reported once, at adopt, by the managed identity modes.
    uses: MODE_KEYS,
    ignores: {},
  },
  customerTenant: {
    label: "a customer tenant of appMode: multiTenant",
    uses: MODE_KEYS.filter((k) => !(k in CUSTOMER_IGNORES)),
    ignores: CUSTOMER_IGNORES,
  },
  manualConsent: {
    label: "consent: manual",
    uses: [...GRANT_KEYS.filter((k) => k !== "exchangeRoles"), ...STACK_KEYS, "key", "home", "consent"],
    ignores: {
      ...CUSTOMER_IGNORES,
      exchangeRoles: { why: `cannot apply to a consent: manual tenant: ${MANUAL}. Set exchangeRoles: [] and a directory role on this entry, or consent: automatic`, evenInherited: true },
      verifyOnUp: { why: `does not apply: ${MANUAL}, so nothing is checked inside pulumi up. Once its admin has consented, prove it with exo-app-only verify; or set consent: automatic` },
      verifyTimeout: { why: `does not apply: ${MANUAL}, so nothing is checked inside pulumi up. Remove verifyTimeout, or set consent: automatic` },
      azuread: { why: `signs in to a tenant the stack never touches: ${MANUAL}. Remove the azuread block, or set consent: automatic` },
    },
  },
  perTenantEntry: {
    label: "appMode: perTenant",
    uses: MODE_KEYS.filter((k) => k !== "home" && k !== "consent"),
    ignores: {
      home: { why: "applies to appMode: multiTenant only: set appMode: multiTenant, or remove home" },
      consent: { why: "applies to appMode: multiTenant only: with perTenant each tenant's app is created, and consented, by the stack" },
    },
  },
};

/** Where a tenant stands: set by the `tenants` entry it comes from (none for a one-tenant stack). */
export interface Place {
  readonly customer?: boolean;
  readonly manualConsent?: boolean;
  readonly perTenantEntry?: boolean;
}

/** The modes of a tenant, read from its raw values (so a bad value elsewhere does not hide an ignored key). */
export function modesOf(raw: RawConfig, place: Place = {}): Mode[] {
  const modes: Mode[] = [];
  const kind = identityKind(raw.managedIdentity);
  if (kind) modes.push(kind);
  if (raw.adopt !== undefined) modes.push("adopt");
  // The most specific first: a manual-consent tenant is a customer too, and its reason is the one to give.
  if (place.manualConsent) modes.push("manualConsent");
  if (place.customer) modes.push("customerTenant");
  if (place.perTenantEntry) modes.push("perTenantEntry");
  return modes;
}

function identityKind(value: string | undefined): (typeof IDENTITY_KINDS)[number] | undefined {
  if (value === undefined) return undefined;
  try {
    const kind = (JSON.parse(value) as { kind?: unknown } | null)?.kind;
    return (IDENTITY_KINDS as readonly unknown[]).includes(kind) ? (kind as (typeof IDENTITY_KINDS)[number]) : undefined;
  } catch {
    return undefined;
  }
}

export interface IgnoredKey extends Ignored {
  readonly key: ModeKey;
  readonly mode: Mode;
}

/** The declared default as the engine hands it over, for a key `Pulumi.yaml` gives one. */
function declaredDefault(key: ModeKey): string | undefined {
  const spec = (CONFIG_KEYS as Readonly<Record<string, { readonly default?: unknown }>>)[key];
  if (spec === undefined || !("default" in spec)) return undefined;
  return typeof spec.default === "string" ? spec.default : JSON.stringify(spec.default);
}

/** True when `value` asks for nothing, or (where a default cannot be told from a written value) is the default. */
function inert(key: ModeKey, value: string, defaultsInert: boolean): boolean {
  const trimmed = value.trim();
  return OFF_VALUES[key]?.includes(trimmed) === true || (defaultsInert && trimmed === declaredDefault(key));
}

/**
 * The keys among `values` (engine strings) that one of `modes` ignores, each once, with the first mode's reason.
 * `defaultsInert`: the values may hold `Pulumi.yaml` defaults (stack-level keys), which nobody wrote.
 */
export function ignoredKeys(modes: readonly Mode[], values: Readonly<Record<string, string | undefined>>, defaultsInert = true): IgnoredKey[] {
  const found: IgnoredKey[] = [];
  for (const key of MODE_KEYS) {
    const value = values[key];
    if (value === undefined || inert(key, value, defaultsInert)) continue;
    for (const mode of modes) {
      const ignored = MODE_RULES[mode].ignores[key];
      if (ignored) {
        found.push({ key, mode, ...ignored });
        break;
      }
    }
  }
  return found;
}

/**
 * The value of an ignored key as the stack wrote it: a list or map parsed from the engine's JSON text. Whether it may
 * be shown at all is decided where every message is rendered (`renderValue`, src/config/secretValues.ts).
 */
export function shownValue(value: string): unknown {
  if (!/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
