import { EXCHANGE_ROLES, normalizeName } from "./roles";

/**
 * Exchange Online's own RBAC: the built-in administrative management roles and role groups, least privilege below a
 * directory role. End-user roles (My*) are left out: they go to role assignment policies, not to apps. A tenant can
 * add custom roles and role groups: the config accepts those only when marked `custom: true`, so a typo of a built-in
 * name is still caught.
 *
 * How an app holds them (Microsoft's app-only article, "App-only authentication for unattended scripts in Exchange
 * Online PowerShell and Security & Compliance PowerShell", learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2,
 * "Assign custom role groups to the application using service principals"): the app's service principal is registered
 * in Exchange (New-ServicePrincipal) and added to a *custom* role group (Add-RoleGroupMember), which "can contain any
 * combination of built-in and custom roles". The stack does exactly that (components/exchangeRbac.ts).
 *
 * Every entry names its source. Where Exchange itself is the authority, `Get-ManagementRole` and
 * `Get-RoleGroup <name> | Select -Expand Roles` answer for a tenant; `Get-ManagementRole -Cmdlet <cmdlet>` for a cmdlet
 * (learn.microsoft.com/powershell/exchange/find-exchange-cmdlet-permissions).
 */

/** A built-in name and the Microsoft page that states it. */
export interface SourcedName {
  readonly name: string;
  readonly source: string;
}

/** "Permissions in Exchange Online", its role groups table ("Default roles assigned" and the notes beside them). */
const PERMISSIONS_EXO = "Permissions in Exchange Online (learn.microsoft.com/exchange/permissions-exo/permissions-exo), role groups table";
/** The same page's note under Organization Management: these two roles are in no role group by default. */
const IN_NO_ROLE_GROUP = `${PERMISSIONS_EXO}: "By default, the following management roles are not assigned to any role group, including Organization Management: Address Lists, Mailbox Import Export"`;
/** Defender for Office 365's operations guide: the one built-in role group that holds Tenant AllowBlockList Manager. */
const MDO_SEC_OPS =
  'Security Operations Guide for Defender for Office 365 (learn.microsoft.com/defender-office-365/mdo-sec-ops-guide): "Tenant AllowBlockList Manager (Exchange Online) ... assigned only to the Security Operator role group in Exchange Online"';

const org = (name: string): SourcedName => ({ name, source: `${PERMISSIONS_EXO}, Organization Management` });

/**
 * Exchange Online's built-in administrative management roles. Left out on purpose: the Unified Messaging roles the
 * older page still lists (UM Mailboxes, UM Prompts, Unified Messaging: Exchange Online's UM is retired), application
 * roles (`Application Mail.Read`, …: RBAC for Applications, mailbox data, not admin cmdlets) and ArchiveApplication
 * (no Exchange Online page found that states it). A tenant that has one of them names it with `custom: true`.
 */
export const EXCHANGE_MANAGEMENT_ROLE_SOURCES: readonly SourcedName[] = [
  {
    name: "Address Lists",
    source: `${IN_NO_ROLE_GROUP}; New-AddressList (learn.microsoft.com/powershell/module/exchangepowershell/new-addresslist): "available only in the Address Lists role, and by default, the role isn't assigned to any role groups"`,
  },
  org("Audit Logs"),
  org("Compliance Admin"),
  org("Data Loss Prevention"),
  org("Distribution Groups"),
  org("E-Mail Address Policies"),
  org("Federated Sharing"),
  org("Information Rights Management"),
  org("Journaling"),
  org("Legal Hold"),
  org("Mail Enabled Public Folders"),
  org("Mail Recipient Creation"),
  org("Mail Recipients"),
  org("Mail Tips"),
  { name: "Mailbox Import Export", source: IN_NO_ROLE_GROUP },
  { name: "Mailbox Search", source: `${PERMISSIONS_EXO}, Discovery Management ("By default, the Mailbox Search role is only assigned to the Discovery Management role group")` },
  org("Message Tracking"),
  org("Migration"),
  org("Move Mailboxes"),
  org("Org Custom Apps"),
  org("Org Marketplace Apps"),
  org("Organization Client Access"),
  org("Organization Configuration"),
  org("Organization Transport Settings"),
  org("Public Folders"),
  org("Recipient Policies"),
  org("Remote and Accepted Domains"),
  org("Reset Password"),
  org("Retention Management"),
  org("Role Management"),
  org("Security Admin"),
  org("Security Group Creation and Membership"),
  org("Security Reader"),
  org("Team Mailboxes"),
  { name: "Tenant AllowBlockList Manager", source: MDO_SEC_OPS },
  org("Transport Hygiene"),
  org("Transport Rules"),
  org("User Options"),
  org("View-Only Audit Logs"),
  org("View-Only Configuration"),
  org("View-Only Recipients"),
];

export const EXCHANGE_MANAGEMENT_ROLES: readonly string[] = EXCHANGE_MANAGEMENT_ROLE_SOURCES.map((r) => r.name);

export interface BuiltInRoleGroup {
  readonly name: string;
  /** The management roles it holds by default. */
  readonly roles: readonly string[];
  readonly source: string;
  /**
   * Its membership is synchronized from Entra and "can't be managed in Exchange Online" (the same page): Exchange
   * refuses Add-RoleGroupMember on it.
   */
  readonly managedCentrally?: true;
}

/** The roles Organization Management holds by default: every built-in role but the three the page keeps out of it. */
const ORGANIZATION_MANAGEMENT_ROLES: readonly string[] = [
  "Audit Logs", "Compliance Admin", "Data Loss Prevention", "Distribution Groups", "E-Mail Address Policies", "Federated Sharing",
  "Information Rights Management", "Journaling", "Legal Hold", "Mail Enabled Public Folders", "Mail Recipient Creation", "Mail Recipients",
  "Mail Tips", "Message Tracking", "Migration", "Move Mailboxes", "Org Custom Apps", "Org Marketplace Apps", "Organization Client Access",
  "Organization Configuration", "Organization Transport Settings", "Public Folders", "Recipient Policies", "Remote and Accepted Domains",
  "Reset Password", "Retention Management", "Role Management", "Security Admin", "Security Group Creation and Membership", "Security Reader",
  "Team Mailboxes", "Transport Hygiene", "Transport Rules", "User Options", "View-Only Audit Logs", "View-Only Configuration", "View-Only Recipients",
];

/**
 * Exchange Online's built-in role groups and their default roles. Left out: the synchronized groups with no roles of
 * their own (ExchangeServiceAdmins_…, HelpdeskAdmins_…, TenantAdmins_…) and UM Management (retired).
 */
export const EXCHANGE_BUILT_IN_ROLE_GROUPS: readonly BuiltInRoleGroup[] = [
  {
    name: "Compliance Management",
    roles: ["Audit Logs", "Compliance Admin", "Data Loss Prevention", "Information Rights Management", "Journaling", "Message Tracking", "Retention Management", "Transport Rules", "View-Only Audit Logs", "View-Only Configuration", "View-Only Recipients"],
    source: PERMISSIONS_EXO,
  },
  { name: "Discovery Management", roles: ["Legal Hold", "Mailbox Search"], source: PERMISSIONS_EXO },
  { name: "Help Desk", roles: ["Reset Password", "User Options", "View-Only Recipients"], source: PERMISSIONS_EXO },
  { name: "Hygiene Management", roles: ["Transport Hygiene", "View-Only Configuration", "View-Only Recipients"], source: PERMISSIONS_EXO },
  { name: "Organization Management", roles: ORGANIZATION_MANAGEMENT_ROLES, source: PERMISSIONS_EXO },
  {
    name: "Recipient Management",
    roles: ["Distribution Groups", "Mail Recipient Creation", "Mail Recipients", "Message Tracking", "Migration", "Move Mailboxes", "Recipient Policies", "Reset Password", "Team Mailboxes"],
    source: PERMISSIONS_EXO,
  },
  { name: "Records Management", roles: ["Audit Logs", "Journaling", "Message Tracking", "Retention Management", "Transport Rules"], source: PERMISSIONS_EXO },
  { name: "Security Administrator", roles: ["Security Admin"], source: PERMISSIONS_EXO, managedCentrally: true },
  { name: "Security Operator", roles: ["Tenant AllowBlockList Manager"], source: MDO_SEC_OPS, managedCentrally: true },
  { name: "Security Reader", roles: ["Security Reader"], source: PERMISSIONS_EXO, managedCentrally: true },
  { name: "View-Only Organization Management", roles: ["View-Only Configuration", "View-Only Recipients"], source: PERMISSIONS_EXO },
];

/** Exchange Online's built-in role groups, by name. */
export const EXCHANGE_ROLE_GROUPS: readonly string[] = EXCHANGE_BUILT_IN_ROLE_GROUPS.map((g) => g.name);

/** The built-in role group spelled this way (loosely), or undefined. */
export function findBuiltInRoleGroup(value: string): BuiltInRoleGroup | undefined {
  const wanted = normalizeName(value);
  return EXCHANGE_BUILT_IN_ROLE_GROUPS.find((g) => normalizeName(g.name) === wanted);
}

/**
 * "Application Mail.Read"-style roles (RBAC for Applications) grant mailbox data through Graph or EWS, not admin
 * cmdlets: naming one in `exchangeRoles` is a mistake worth its own message. They are the roles the
 * New-ManagementRoleAssignment reference allows with `-App` ("you can only specify application roles").
 */
export const APPLICATION_ROLE_PREFIX = "Application ";

/** The role or role group Exchange spells this way, compared loosely (case, spaces, dashes, underscores). */
export function findBuiltInName(names: readonly string[], value: string): string | undefined {
  const wanted = normalizeName(value);
  return names.find((name) => normalizeName(name) === wanted);
}

/** What kind of known thing a name is, for "did you mean" across kinds. */
export type ExchangeConcept = "managementRole" | "roleGroup" | "directoryRole" | "applicationRole";

/** Every kind of known thing this name spells (a name can be more than one: "Security Reader" is all three). */
export function exchangeConceptsOf(value: string): ExchangeConcept[] {
  const concepts: ExchangeConcept[] = [];
  if (findBuiltInName(EXCHANGE_MANAGEMENT_ROLES, value)) concepts.push("managementRole");
  if (findBuiltInName(EXCHANGE_ROLE_GROUPS, value)) concepts.push("roleGroup");
  if (findBuiltInName(EXCHANGE_ROLES.map((r) => r.name), value)) concepts.push("directoryRole");
  if (value.trim().startsWith(APPLICATION_ROLE_PREFIX)) concepts.push("applicationRole");
  return concepts;
}
