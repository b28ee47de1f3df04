import { normalizeName } from "./roles";

/**
 * Exchange Online's own RBAC: the built-in management roles and role groups an app's service principal can be given
 * (`New-ManagementRoleAssignment -App`, `Add-RoleGroupMember`), least privilege below a directory role. The names are
 * Exchange Online's built-in administrative roles ("Permissions in Exchange Online", `Get-ManagementRole`); end-user
 * roles (My*) are left out: they go to role assignment policies, not to apps. A tenant can add custom roles and role
 * groups: the config accepts those only when marked `custom: true`, so a typo of a built-in name is still caught.
 */

export const EXCHANGE_MANAGEMENT_ROLES: readonly string[] = [
  "Address Lists",
  "ArchiveApplication",
  "Audit Logs",
  "Compliance Admin",
  "Data Loss Prevention",
  "Distribution Groups",
  "E-Mail Address Policies",
  "Federated Sharing",
  "Information Rights Management",
  "Journaling",
  "Legal Hold",
  "Mail Enabled Public Folders",
  "Mail Recipient Creation",
  "Mail Recipients",
  "Mail Tips",
  "Mailbox Import Export",
  "Mailbox Search",
  "Message Tracking",
  "Migration",
  "Move Mailboxes",
  "Org Custom Apps",
  "Org Marketplace Apps",
  "Organization Client Access",
  "Organization Configuration",
  "Organization Transport Settings",
  "Public Folders",
  "Recipient Policies",
  "Remote and Accepted Domains",
  "Reset Password",
  "Retention Management",
  "Role Management",
  "Security Admin",
  "Security Group Creation and Membership",
  "Security Reader",
  "Team Mailboxes",
  "Transport Hygiene",
  "Transport Rules",
  "User Options",
  "View-Only Audit Logs",
  "View-Only Configuration",
  "View-Only Recipients",
];

/** Exchange Online's built-in role groups (each a set of the roles above). */
export const EXCHANGE_ROLE_GROUPS: readonly string[] = [
  "Compliance Management",
  "Discovery Management",
  "Help Desk",
  "Hygiene Management",
  "Organization Management",
  "Recipient Management",
  "Records Management",
  "Security Administrator",
  "Security Operator",
  "Security Reader",
  "View-Only Organization Management",
];

/**
 * "Application Mail.Read"-style roles grant mailbox data through Graph or EWS, not admin cmdlets: naming one in
 * `exchangeRoles` is a mistake worth its own message.
 */
export const APPLICATION_ROLE_PREFIX = "Application ";

/** The role or role group Exchange spells this way, compared loosely (case, spaces, dashes, underscores). */
export function findBuiltInName(names: readonly string[], value: string): string | undefined {
  const wanted = normalizeName(value);
  return names.find((name) => normalizeName(name) === wanted);
}
