/** The typed, validated configuration of one tenant: what the components are built from. */
import type { Cloud, ExchangeRole, Workload } from "../facts";
import type { ScheduleFrequency } from "../automation/schedule";
import type { CertificateInfo } from "../credentials/certificateInfo";
import type { FederatedCredential } from "../credentials/federation";

export type CertificateConfig =
  | {
      readonly kind: "generated";
      readonly validityDays: number;
      readonly rsaBits: number;
      /** Rotation generation: each increment adds a new certificate; the previous one stays until the next. */
      readonly rotation: number;
    }
  | { readonly kind: "supplied"; readonly pem: string; readonly info: CertificateInfo };

export interface ClientSecretConfig {
  readonly lifetimeDays: number;
  /** Generation counter: each increment replaces the older of two secret slots. */
  readonly rotation: number;
}

/** An app made by hand, brought into the stack by import: the ids of what already exists. */
export interface Adoption {
  readonly clientId: string;
  readonly applicationObjectId: string;
  readonly servicePrincipalObjectId: string;
  /** With `exchangeServicePrincipalObjectId`: the admin consent already granted (else the stack grants it). */
  readonly consentAssignmentId?: string;
  readonly exchangeServicePrincipalObjectId?: string;
  /** The directory role assignment already made (else the stack makes it). */
  readonly roleAssignmentId?: string;
}

/** When the sample runbook runs: every `interval` hours/days/weeks/months, from `at` (HH:MM) in `timeZone`. */
export interface RunbookScheduleConfig {
  readonly frequency: ScheduleFrequency;
  readonly interval: number;
  readonly at: string;
  readonly timeZone: string;
}

/** A managed identity the stack grants Exchange access to, instead of an app registration. */
export type ManagedIdentityConfig =
  | { readonly kind: "userAssigned"; readonly name: string; readonly resourceGroup: string; readonly location: string; readonly subscriptionId?: string }
  | {
      readonly kind: "automationAccount";
      readonly name: string;
      readonly resourceGroup: string;
      readonly location: string;
      readonly subscriptionId?: string;
      /** ExchangeOnlineManagement's version, pinned. */
      readonly moduleVersion: string;
      /** Publish the sample runbook (connect, Get-AcceptedDomain). */
      readonly runbook: boolean;
      readonly schedule?: RunbookScheduleConfig;
    }
  | { readonly kind: "existing"; readonly principalId: string; readonly clientId?: string };

/** The Azure Key Vault the stack creates for the credentials it generates, and who may read them. */
export interface KeyVaultConfig {
  /** Lower case: the vault's DNS label. */
  readonly name: string;
  readonly resourceGroup: string;
  readonly location: string;
  readonly subscriptionId?: string;
  /** Who gets "Key Vault Secrets User" on the vault, and nothing else; `type` is what ARM must be told the principal is. */
  readonly readers: readonly { readonly principalId: string; readonly type: "ServicePrincipal" | "User" | "Group" }[];
}

/** Which PowerShell surfaces the app is for: Exchange Online, Security & Compliance (Connect-IPPSSession), or both. */
export type { Workload };

/**
 * One grant in Exchange's own RBAC for the app's service principal (least privilege below a directory role): a
 * management role, optionally scoped by a management scope name or an administrative unit id, or a role group.
 */
export type ExchangeRoleEntry =
  | { readonly role: string; readonly scope?: { readonly kind: "managementScope"; readonly name: string } | { readonly kind: "administrativeUnit"; readonly id: string } }
  | { readonly roleGroup: string };

export interface TenantConfig {
  readonly tenantId: string;
  readonly organization: string;
  readonly cloud: Cloud;
  /** The directory role, or null for `role: none` (rights from `exchangeRoles` only: no DirectoryRoleAssignment). */
  readonly role: ExchangeRole | null;
  /** The PowerShell surfaces the app is for; the role fits all of them. */
  readonly workloads: readonly Workload[];
  /** Exchange's own RBAC grants for the app's service principal (empty when none). */
  readonly exchangeRoles: readonly ExchangeRoleEntry[];
  /** Also grant `Exchange.ManageAsAppV2` for the Exchange Online Admin API (preview). */
  readonly adminApi: boolean;
  readonly displayName: string;
  readonly owners: readonly string[];
  readonly protect: boolean;
  readonly certificate?: CertificateConfig;
  readonly clientSecret?: ClientSecretConfig;
  readonly federatedCredentials: readonly FederatedCredential[];
  /** Adopt an existing app instead of creating one. */
  readonly adopt?: Adoption;
  /** Grant a managed identity instead: the stack then declares no app registration. */
  readonly managedIdentity?: ManagedIdentityConfig;
  /** Store the generated credentials in an Azure Key Vault the stack creates. */
  readonly keyVault?: KeyVaultConfig;
  /**
   * Run the check inside `pulumi up`. True only when asked for and possible: the stack must hold a credential
   * it can sign in with (a client secret, or a certificate whose key it generated); federated credentials and
   * supplied certificates are checked where they run, with `exo-app-only verify`. For a customer tenant of a
   * multi-tenant app it is only what was asked: the home tenant's app decides whether a credential exists.
   */
  readonly verifyOnUp: boolean;
  /** How long that check waits for propagation (`15m`, `5m`): a broken tenant fails `up` in this time. */
  readonly verifyTimeout: string;
}
