/**
 * The project's config keys: one table that the parser, `Pulumi.yaml` (checked by a test) and the config reference (docs/configuration.md) follow.
 * Scalars are declared and typed in `Pulumi.yaml`; lists of objects (`federatedCredentials`, `tenants`) and maps
 * (`adopt`) cannot be typed there, so the program's own schema validates them.
 */
import { CERTIFICATE_VALIDITY_DAYS, DEFAULT_CERTIFICATE_RSA_BITS, DEFAULT_CLOUD, DEFAULT_ROLE_NAME, DEFAULT_WORKLOADS, SECRET_LIFETIME_DAYS } from "../facts";

export const PROJECT = "exchange-app-only";

export type KeyType = "string" | "integer" | "boolean" | "array" | "object";

export interface ConfigKey {
  readonly type: KeyType;
  /** Absent = required: every stack must set it. */
  readonly default?: string | number | boolean | readonly string[];
  /** False for structured keys `Pulumi.yaml` cannot declare. */
  readonly declared: boolean;
  readonly description: string;
}

export const CONFIG_KEYS = {
  // Not declared in Pulumi.yaml: a declared key without a default must be set by every stack, and a stack of many
  // tenants sets them per entry instead. The program requires them where they are needed.
  tenantId: { type: "string", declared: false, description: "Entra ID tenant id (GUID) the stack manages." },
  organization: {
    type: "string",
    declared: false,
    description: "The tenant's initial domain (contoso.onmicrosoft.com): Connect-ExchangeOnline's -Organization.",
  },
  environment: {
    type: "string",
    default: DEFAULT_CLOUD,
    declared: true,
    description: "Microsoft cloud: public (and GCC), usgovernment (GCC High), dod or china.",
  },
  role: {
    type: "string",
    default: DEFAULT_ROLE_NAME,
    declared: true,
    description: "Directory role for the app's service principal; one Exchange Online accepts for app-only access, or none (rights from exchangeRoles only).",
  },
  workloads: {
    type: "array",
    default: DEFAULT_WORKLOADS,
    declared: true,
    description: "What the app is for: exchange (Exchange Online PowerShell) and/or compliance (Security & Compliance PowerShell). The role must work for each.",
  },
  exchangeRoles: {
    type: "object",
    declared: false,
    description: "Exchange's own RBAC for the app: a list of { role, scope? } (a management role, optionally scoped) or { roleGroup }.",
  },
  adminApi: {
    type: "boolean",
    default: false,
    declared: true,
    description: "Also grant Exchange.ManageAsAppV2 for the Exchange Online Admin API (preview).",
  },
  allowGlobalAdministrator: {
    type: "boolean",
    default: false,
    declared: true,
    description: "Opt-in required before role may be Global Administrator.",
  },
  displayName: { type: "string", default: PROJECT, declared: true, description: "Display name of the app registration." },
  owners: {
    type: "array",
    default: [],
    declared: true,
    description: "Object ids of users or service principals that own the app registration and its service principal.",
  },
  protect: {
    type: "boolean",
    default: false,
    declared: true,
    description: "Protect the app registration from deletion by `pulumi destroy`.",
  },
  certificate: {
    type: "string",
    default: "generate",
    declared: true,
    description: "`generate` (a self-signed RSA certificate made by the stack), `none`, or a public certificate in PEM.",
  },
  certificateValidityDays: {
    type: "integer",
    default: CERTIFICATE_VALIDITY_DAYS.default,
    declared: true,
    description: `Lifetime of a generated certificate in days (1 to ${CERTIFICATE_VALIDITY_DAYS.max}).`,
  },
  certificateRsaBits: {
    type: "integer",
    default: DEFAULT_CERTIFICATE_RSA_BITS,
    declared: true,
    description: "RSA key size of a generated certificate: 2048, 3072 or 4096.",
  },
  certificateRotation: {
    type: "integer",
    default: 0,
    declared: true,
    description: "Rotation generation of a generated certificate: add 1 to rotate. The previous certificate stays valid until the next rotation.",
  },
  clientSecret: { type: "boolean", default: false, declared: true, description: "Also create a client secret." },
  clientSecretLifetimeDays: {
    type: "integer",
    default: SECRET_LIFETIME_DAYS.default,
    declared: true,
    description: `Lifetime of each client secret in days (1 to ${SECRET_LIFETIME_DAYS.max}).`,
  },
  clientSecretRotation: {
    type: "integer",
    default: 0,
    declared: true,
    description: "Rotation generation: add 1 to rotate. The previous secret stays valid until the next rotation.",
  },
  verifyOnUp: {
    type: "boolean",
    default: true,
    declared: true,
    description: "Run the post-deploy check inside `pulumi up` when the stack holds a client secret or a generated certificate.",
  },
  federatedCredentials: {
    type: "object",
    declared: false,
    description: "Federated identity credentials for pipelines without secrets (GitHub, Azure DevOps, GitLab, Kubernetes).",
  },
  managedIdentity: {
    type: "object",
    declared: false,
    description: "Grant a managed identity instead of an app registration: a user-assigned one or an Automation account the stack creates, or one that exists.",
  },
  keyVault: {
    type: "object",
    declared: false,
    description: "Store the generated client secret and certificate in an Azure Key Vault the stack creates, readable only by the principals it names.",
  },
  verifyTimeout: {
    type: "string",
    default: "15m",
    declared: true,
    description: "How long the check inside `pulumi up` waits for propagation before it fails `up`: 1s to 24h, for example 5m.",
  },
  tenants: {
    type: "object",
    declared: false,
    description: "Many tenants in one stack: a list of entries, each with tenantId and organization and any key above as an override.",
  },
  appMode: {
    type: "string",
    default: "perTenant",
    declared: true,
    description: "perTenant (an app in each tenant) or multiTenant (one app in the home tenant, its service principal in every tenant).",
  },
  adopt: {
    type: "object",
    declared: false,
    description: "Adopt an app made by hand: its client id and object ids, imported into the stack instead of created.",
  },
} as const satisfies Record<string, ConfigKey>;

export type ConfigKeyName = keyof typeof CONFIG_KEYS;

export const CONFIG_KEY_NAMES = Object.keys(CONFIG_KEYS) as ConfigKeyName[];

/** `exchange-app-only:tenantId`, the form the stack file and `pulumi config set` use. */
export function fullKey(key: string): string {
  return `${PROJECT}:${key}`;
}

/** Keys only a `tenants` entry takes: its key, whether it is the app's home, how its consent is given, its sign-in. */
export const ENTRY_ONLY_KEYS = ["key", "home", "consent", "azuread"] as const;
export type EntryOnlyKey = (typeof ENTRY_ONLY_KEYS)[number];
