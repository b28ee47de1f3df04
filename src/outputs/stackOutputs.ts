import type { CloudName, ExchangeRole, Workload } from "../facts";
import type { ExchangeRoleEntry } from "../config/stackConfig";
import type { AdminApiOutputs } from "./adminApi";
import type { ComplianceConnectLines } from "./connectCommands";

/**
 * The stack's outputs for one tenant, as `pulumi stack output --json --show-secrets` prints them.
 * This is a contract: the post-deploy check (`exo-app-only verify --stack`) and pipelines read these names.
 * Values marked secret are Pulumi secrets in the stack.
 */
export interface StackOutputs {
  readonly tenantId: string;
  /** The tenant's initial domain, the `-Organization` Connect-ExchangeOnline takes. */
  readonly organization: string;
  readonly environment: CloudName;
  readonly clientId: string;
  readonly applicationObjectId: string;
  readonly servicePrincipalObjectId: string;
  /** The directory role's name, or `none` (`role: none`: the app's rights are its `exchangeRoles`). */
  readonly roleName: string;
  /** Absent with `role: none`: no directory role is assigned. */
  readonly roleTemplateId?: string;
  /** The workloads the app is for, when not only `exchange`. */
  readonly workloads?: readonly Workload[];
  /** Exchange's own RBAC grants for the app's service principal, when the stack sets `exchangeRoles`. */
  readonly exchangeRoles?: readonly ExchangeRoleEntry[];
  /** Entra ID authority host of the cloud, for example `https://login.microsoftonline.com`. */
  readonly authorityHost: string;
  /** Exchange Online resource (token audience) of the cloud, for example `https://outlook.office365.com`. */
  readonly exchangeResource: string;
  /** SHA-1 thumbprint (40 upper-case hex digits) of the certificate credential, when there is one. */
  readonly certificateThumbprint?: string;
  /** When the current certificate expires (RFC 3339). */
  readonly certificateEndDate?: string;
  /**
   * Every certificate on the app, oldest first: after a rotation the previous one stays until the next, and
   * `current` says which one the thumbprint, key and PFX outputs hand out.
   */
  readonly certificates?: readonly { generation: number; thumbprint: string; endDate: string; current: boolean }[];
  /** Public certificate (PEM) of the current certificate, when there is a certificate credential. */
  readonly certificatePem?: string;
  /** Secret. PEM private key of a generated certificate. */
  readonly certificatePrivateKeyPem?: string;
  /** Secret. Base64 PKCS#12 (PFX, empty password, legacy 3DES/SHA-1 for Windows) of a generated certificate. */
  readonly certificatePfxBase64?: string;
  /** Secret. The current client secret, when the stack declares one. */
  readonly clientSecret?: string;
  /** When the current client secret expires (RFC 3339). */
  readonly clientSecretEndDate?: string;
  readonly federatedCredentials?: readonly { name: string; issuer: string; subject: string; audience: string }[];
  /** With `keyVault`: the vault the stack made and where each generated credential is in it. */
  readonly keyVault?: KeyVaultOutputs;
  /** Ready-to-paste Connect-ExchangeOnline lines, one a credential kind the stack has. */
  readonly connectExchangeOnline: {
    readonly certificateThumbprint?: string;
    readonly certificateFile?: string;
    readonly accessToken: string;
  };
  /**
   * With `workloads: [.., compliance]`: ready-to-paste Connect-IPPSSession lines. In DoD, where Microsoft's docs give
   * two URIs, `docsDisagree` says so and `alternative` holds the lines with the other one.
   */
  readonly connectIPPSSession?: ComplianceConnectLines & { readonly docsDisagree?: string; readonly alternative?: ComplianceConnectLines };
  /** With `adminApi: true`: where the Exchange Online Admin API (preview) answers for this tenant. */
  readonly adminApi?: AdminApiOutputs;
}

/** `roleName` and `roleTemplateId` of a tenant: `none` and no template id for `role: none`. */
export function roleOutputs(role: ExchangeRole | null): { readonly roleName: string; readonly roleTemplateId?: string } {
  return role ? { roleName: role.name, roleTemplateId: role.templateId } : { roleName: "none" };
}

/**
 * The outputs of a stack that declares many tenants (`exchange-app-only:tenants`): one `StackOutputs` a tenant,
 * keyed by the tenant's key (its `key`, else its tenant id). A one-tenant stack exports `StackOutputs` itself.
 */
export interface ManyTenantStackOutputs {
  readonly tenants: Readonly<Record<string, StackOutputs | PendingConsentOutputs>>;
}

/**
 * A customer tenant of a multi-tenant app with `consent: manual`: the stack created nothing there. What its admin
 * still has to do: consent (the link) and assign the role (the commands).
 */
export interface PendingConsentOutputs {
  readonly tenantId: string;
  readonly organization: string;
  readonly environment: CloudName;
  readonly clientId: string;
  readonly consent: "manual";
  readonly roleName: string;
  readonly roleTemplateId?: string;
  readonly adminConsentUrl: string;
  readonly roleAssignment: { readonly azRest: string; readonly powershell: string };
}

/**
 * The outputs of a tenant whose Exchange access is a managed identity's (`managedIdentity`): no app, no credential.
 * `-ManagedIdentityAccountId` takes a user-assigned identity's client id, never its principal id: the connect line
 * has the right one in place.
 */
export interface ManagedIdentityOutputs {
  readonly tenantId: string;
  readonly organization: string;
  readonly environment: CloudName;
  readonly managedIdentity: {
    readonly kind: "userAssigned" | "automationAccount" | "existing";
    /** Object id of the identity's service principal: what consent and the role are granted to. */
    readonly principalId: string;
    /** A user-assigned identity's client id; absent for a system-assigned one. */
    readonly clientId?: string;
    /** ARM id of the identity or Automation account the stack created. */
    readonly resourceId?: string;
  };
  readonly roleName: string;
  readonly roleTemplateId?: string;
  /** Exchange's own RBAC grants for the identity's service principal, when the stack sets `exchangeRoles`. */
  readonly exchangeRoles?: readonly ExchangeRoleEntry[];
  readonly authorityHost: string;
  readonly exchangeResource: string;
  readonly connectExchangeOnline: { readonly managedIdentity: string };
  /** An Automation account's sample runbook: where it is and how to run it now. */
  readonly runbook?: {
    readonly name: string;
    readonly automationAccount: string;
    readonly resourceGroup: string;
    /** When the schedule runs it (`every 1 day at 06:00 UTC`); absent without a schedule. */
    readonly schedule?: string;
    /** Starts it once and waits: `az automation runbook start …` (the Azure CLI's automation extension). */
    readonly start: string;
  };
}

/** The Key Vault that holds a tenant's generated credentials. Only names and commands: never a secret value. */
export interface KeyVaultOutputs {
  readonly name: string;
  /** `https://{name}.vault.azure.net/` in the public cloud, `vault.usgovcloudapi.net` (GCC High, DoD), `vault.azure.cn` (China). */
  readonly uri: string;
  /** The vault's ARM resource id. */
  readonly resourceId: string;
  /** `<vault>/<secret name>` of each credential stored, the form `verify --key-vault-secret` takes. */
  readonly secrets: { readonly clientSecret?: string; readonly certificate?: string };
  /** A `exo-app-only verify` line per credential stored, reading it from the vault. */
  readonly verify: { readonly clientSecret?: string; readonly certificate?: string };
  /** The principals holding "Key Vault Secrets User" on the vault, and what they are. */
  readonly readers: readonly { readonly principalId: string; readonly type: "ServicePrincipal" | "User" | "Group" }[];
}
