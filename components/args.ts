/**
 * The public components' args: the stack config keys, with the same names, meanings and defaults (docs/configuration.md).
 *
 * Schema-friendly from the start, because the provider plugin exposes them to every language: closed sets are
 * `as const` objects with their value type (Pulumi's schema inference reads that pattern as an enum, and a
 * TypeScript caller may still write the plain string), lists are plain `T[]`, optional means `undefined`, and every
 * object is a named interface. A value another resource computes (`tenantId`, `displayName`, `owners`, a PEM
 * `certificate`) may be a `pulumi.Input`; the rest shape which resources exist, so they are plain values.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Microsoft cloud of the tenant. */
export const Environment = {
  /** Worldwide, and GCC. */
  Public: "public",
  /** GCC High. */
  UsGovernment: "usgovernment",
  /** DoD. */
  Dod: "dod",
  /** Operated by 21Vianet. */
  China: "china",
} as const;
export type Environment = (typeof Environment)[keyof typeof Environment];

/** The directory roles Exchange Online accepts for app-only access, or `none` (rights from `exchangeRoles` only). */
export const DirectoryRole = {
  ExchangeAdministrator: "Exchange Administrator",
  ExchangeRecipientAdministrator: "Exchange Recipient Administrator",
  GlobalReader: "Global Reader",
  SecurityReader: "Security Reader",
  SecurityAdministrator: "Security Administrator",
  ComplianceAdministrator: "Compliance Administrator",
  HelpdeskAdministrator: "Helpdesk Administrator",
  /** Needs `allowGlobalAdministrator: true`. */
  GlobalAdministrator: "Global Administrator",
  None: "none",
} as const;
export type DirectoryRole = (typeof DirectoryRole)[keyof typeof DirectoryRole];

/** The PowerShell surfaces the app is for. */
export const Workload = {
  /** Exchange Online PowerShell (Connect-ExchangeOnline). */
  Exchange: "exchange",
  /** Security & Compliance PowerShell (Connect-IPPSSession). */
  Compliance: "compliance",
} as const;
export type Workload = (typeof Workload)[keyof typeof Workload];

/** Where a federated credential's tokens come from. */
export const FederatedCredentialKind = {
  GitHub: "github",
  AzureDevOps: "azureDevOps",
  GitLab: "gitlab",
  Kubernetes: "kubernetes",
  Custom: "custom",
} as const;
export type FederatedCredentialKind = (typeof FederatedCredentialKind)[keyof typeof FederatedCredentialKind];

/** A GitLab credential's ref kind. */
export const GitLabRefType = { Branch: "branch", Tag: "tag" } as const;
export type GitLabRefType = (typeof GitLabRefType)[keyof typeof GitLabRefType];

/**
 * One federated identity credential (`federatedCredentials`): the fields of its `kind` only.
 * - github: `repository` (`owner/repo`, or `owner@<owner_id>/repo@<repo_id>` as GitHub prints it for immutable
 *   subjects) and exactly one of `branch`, `tag`, `environment`, `pullRequest: true`;
 * - azureDevOps: `organization`, `organizationId`, `project`, `serviceConnection`;
 * - gitlab: `project` (`group/project`), `refType`, `ref`, optional `url`;
 * - kubernetes: `issuer`, `namespace`, `serviceAccount`;
 * - custom: `issuer`, `subject`.
 */
export interface FederatedCredentialArgs {
  /** Where the tokens come from: `github`, `azureDevOps`, `gitlab`, `kubernetes` or `custom`; the other fields follow it. */
  kind: FederatedCredentialKind;
  /** Unique per app: letters, digits, `-` and `_`. Derived from the source when unset. */
  name?: string;
  /** The token audience; `api://AzureADTokenExchange` (or the GitLab URL) by default. */
  audience?: string;
  /** github: the repository, `owner/repo` (or `owner@<owner_id>/repo@<repo_id>` for GitHub's immutable subjects). */
  repository?: string;
  /** github: workflows running on this branch. */
  branch?: string;
  /** github: workflows running on this tag. */
  tag?: string;
  /** github: jobs that use this deployment environment. */
  environment?: string;
  /** github: `true` for workflows run by pull requests. */
  pullRequest?: boolean;
  /** azureDevOps: the organization's name. */
  organization?: string;
  /** azureDevOps: the organization's id (GUID), the token issuer's last segment. */
  organizationId?: string;
  /** azureDevOps: the project's name; gitlab: the project's path, `group/project`. */
  project?: string;
  /** azureDevOps: the service connection's name. */
  serviceConnection?: string;
  /** gitlab: whether `ref` is a branch or a tag. */
  refType?: GitLabRefType;
  /** gitlab: the branch or tag name. */
  ref?: string;
  /** gitlab: the GitLab instance's URL; `https://gitlab.com` by default. */
  url?: string;
  /** kubernetes: the cluster's OIDC issuer URL; custom: the token issuer. */
  issuer?: string;
  /** kubernetes: the service account's namespace. */
  namespace?: string;
  /** kubernetes: the service account's name. */
  serviceAccount?: string;
  /** custom: the token's subject (`sub` claim), exactly. */
  subject?: string;
}

/**
 * One grant in Exchange's own RBAC (`exchangeRoles`): a management `role`, optionally with a `scope` (a management
 * scope's name or an administrative unit's id), or a `roleGroup`. `custom: true` marks a role the tenant made.
 */
export interface ExchangeRoleArgs {
  /** An Exchange management role to assign to the principal (`New-ManagementRoleAssignment -App`), for example `Mail Recipients`. */
  role?: string;
  /** With `role`: a management scope's name or an administrative unit's id that limits what the role may change. */
  scope?: string;
  /** A role group the principal joins instead (`Add-RoleGroupMember`). */
  roleGroup?: string;
  /** `true` for a role or role group the tenant made (it is not checked against Exchange's built-in ones). */
  custom?: boolean;
}

/** An app made by hand, brought under the stack by import (`adopt`): the ids of what exists. */
export interface AdoptArgs {
  /** The existing app's client (application) id. */
  clientId: string;
  /** The existing app registration's object id. */
  applicationObjectId: string;
  /** The existing app's service principal's object id. */
  servicePrincipalObjectId: string;
  /** With `exchangeServicePrincipalObjectId`: the admin consent already granted. */
  consentAssignmentId?: string;
  /** With `consentAssignmentId`: the object id of the tenant's Office 365 Exchange Online service principal. */
  exchangeServicePrincipalObjectId?: string;
  /** The directory role assignment already made. */
  roleAssignmentId?: string;
}

/** The keys every tenant takes: where it is, and what its access may do. */
export interface TenantAccessArgs {
  /** Entra ID tenant id (GUID). */
  tenantId: pulumi.Input<string>;
  /** The tenant's initial domain (`contoso.onmicrosoft.com`): Connect-ExchangeOnline's `-Organization`. */
  organization: string;
  /** Microsoft cloud; `public` by default. */
  environment?: Environment;
  /** Directory role for the principal; `Exchange Administrator` by default. */
  role?: DirectoryRole;
  /** What the access is for; `["exchange"]` by default. The role must work for each. */
  workloads?: Workload[];
  /** Exchange's own RBAC for the principal (least privilege below, or instead of, a directory role). */
  exchangeRoles?: ExchangeRoleArgs[];
  /** Also grant `Exchange.ManageAsAppV2` for the Exchange Online Admin API (preview). */
  adminApi?: boolean;
  /** Opt-in required before `role` may be Global Administrator. */
  allowGlobalAdministrator?: boolean;
  /** Run the post-deploy check inside `pulumi up` (when the component holds a credential it can sign in with); true by default. */
  verifyOnUp?: boolean;
  /** How long that check waits for propagation: 1s to 24h, `15m` by default. */
  verifyTimeout?: string;
}

/** One tenant's own app registration with Exchange app-only access (`ExchangeAppOnly`). */
export interface ExchangeAppOnlyArgs extends TenantAccessArgs {
  /** Display name of the app registration; `exchange-app-only` by default. */
  displayName?: pulumi.Input<string>;
  /** Object ids of the users or service principals that own the app registration and its service principal. */
  owners?: pulumi.Input<pulumi.Input<string>[]>;
  /** Protect the app registration from deletion by `pulumi destroy`. */
  protect?: boolean;
  /** `generate` (default: a self-signed RSA certificate), `none`, or a public certificate in PEM (may be an output). */
  certificate?: pulumi.Input<string>;
  /** Lifetime of a generated certificate in days. */
  certificateValidityDays?: number;
  /** RSA key size of a generated certificate: 2048, 3072 or 4096. */
  certificateRsaBits?: number;
  /** Rotation generation of a generated certificate: add 1 to rotate; the previous one stays until the next. */
  certificateRotation?: number;
  /** Also create a client secret. */
  clientSecret?: boolean;
  /** Lifetime of each client secret in days. */
  clientSecretLifetimeDays?: number;
  /** Rotation generation of the client secret: add 1 to rotate; the previous one stays until the next. */
  clientSecretRotation?: number;
  /** Federated identity credentials, for pipelines without secrets. */
  federatedCredentials?: FederatedCredentialArgs[];
  /** Bring an app made by hand under the component instead of creating one. */
  adopt?: AdoptArgs;
  /**
   * The home tenant of a multi-tenant app (the stack's `appMode: multiTenant`): the app signs in customers'
   * tenants too (`CustomerTenantAccess`). False by default.
   */
  multiTenant?: boolean;
}

/** A managed identity's kind (`managedIdentity.kind`). */
export const ManagedIdentityKind = {
  /** A user-assigned identity the component creates. */
  UserAssigned: "userAssigned",
  /** An Automation account the component creates, with its system-assigned identity. */
  AutomationAccount: "automationAccount",
  /** An identity that exists: only its Exchange access is declared. */
  Existing: "existing",
} as const;
export type ManagedIdentityKind = (typeof ManagedIdentityKind)[keyof typeof ManagedIdentityKind];

/** How often the sample runbook runs (Azure Automation's schedule frequencies). */
export const ScheduleFrequency = { Hour: "Hour", Day: "Day", Week: "Week", Month: "Month" } as const;
export type ScheduleFrequency = (typeof ScheduleFrequency)[keyof typeof ScheduleFrequency];

/** When the sample runbook runs: every `interval` hours, days, weeks or months, from `at` (HH:MM) in `timeZone`. */
export interface RunbookScheduleArgs {
  /** `Hour`, `Day`, `Week` or `Month`. */
  frequency: ScheduleFrequency;
  /** 1 by default. */
  interval?: number;
  /** `06:00` by default. */
  at?: string;
  /** An IANA time zone; `UTC` by default. */
  timeZone?: string;
}

/**
 * The managed identity to grant (`managedIdentity`), the fields of its `kind` only:
 * - userAssigned: `name`, `resourceGroup`, `location`, optional `subscriptionId`;
 * - automationAccount: those, `moduleVersion` (ExchangeOnlineManagement, 3.0.0 or later), optional `runbook`
 *   (true by default) and `schedule`;
 * - existing: `principalId`, and `clientId` for a user-assigned one.
 */
export interface ManagedIdentityArgs {
  /** `userAssigned`, `automationAccount` (made here) or `existing`; the other fields follow it. */
  kind: ManagedIdentityKind;
  /** userAssigned, automationAccount: the identity's or Automation account's name. */
  name?: string;
  /** userAssigned, automationAccount: the resource group it goes in (which exists). */
  resourceGroup?: string;
  /** userAssigned, automationAccount: the Azure region, for example `westeurope`. */
  location?: string;
  /** userAssigned, automationAccount: the subscription; the azure-native provider's by default. */
  subscriptionId?: string;
  /** automationAccount: the ExchangeOnlineManagement module version to import, 3.0.0 or later. */
  moduleVersion?: string;
  /** automationAccount: also make a sample runbook that connects and lists the accepted domains; true by default. */
  runbook?: boolean;
  /** automationAccount: when the sample runbook runs; not scheduled by default. */
  schedule?: RunbookScheduleArgs;
  /** existing: the object id of the identity's service principal. */
  principalId?: string;
  /** existing: a user-assigned identity's client id (for `Connect-ExchangeOnline -ManagedIdentityAccountId`). */
  clientId?: string;
}

/** A managed identity's Exchange app-only access (`ExchangeManagedIdentity`): no app registration, no secret. */
export interface ExchangeManagedIdentityArgs extends TenantAccessArgs {
  /** The identity to grant, made here or existing. */
  managedIdentity: ManagedIdentityArgs;
  /** Names an existing identity in Exchange's RBAC; `exchange-app-only` by default. */
  displayName?: pulumi.Input<string>;
}

/** The config keys every tenant's component takes (`TenantAccessArgs`). */
export const TENANT_ACCESS_ARG_KEYS = [
  "tenantId",
  "organization",
  "environment",
  "role",
  "workloads",
  "exchangeRoles",
  "adminApi",
  "allowGlobalAdministrator",
  "verifyOnUp",
  "verifyTimeout",
] as const satisfies readonly (keyof TenantAccessArgs)[];

/** Compiles only when `TenantAccessArgs` has no key the list above leaves out. */
const everyAccessKeyListed: Exclude<keyof TenantAccessArgs, (typeof TENANT_ACCESS_ARG_KEYS)[number]> extends never ? true : never = true;
void everyAccessKeyListed;
