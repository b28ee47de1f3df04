/**
 * Which role lets an app run a cmdlet: the Exchange management roles (Exchange's own RBAC) and the directory roles
 * Exchange accepts app-only (the app-only article's table). A small table of the cmdlets this project probes or runs,
 * not all of Exchange: the check names the fix from it (`--probe-cmdlet`), the tenant emulator answers by it. Role
 * groups are listed by the roles they carry (src/facts/exchangeRbac.ts).
 *
 * The management roles are a least-privileged subset of what `Get-ManagementRole -Cmdlet <cmdlet>` answers in a
 * tenant (learn.microsoft.com/powershell/exchange/find-exchange-cmdlet-permissions), which is the authority; each
 * row says where its roles come from. test/exchangeRbac/facts.test.ts pins the table as literals.
 */
import type { Workload } from "./roles";

export interface CmdletPermission {
  readonly cmdlet: string;
  /** Exchange Online (`Connect-ExchangeOnline`) or Security & Compliance (`Connect-IPPSSession`). */
  readonly workload: Workload;
  /**
   * Exchange management roles that include the cmdlet, least privileged first. Empty for Security & Compliance
   * cmdlets: they are in S&C's own roles, which this project does not grant (docs/security-compliance.md, "Security & Compliance").
   */
  readonly exchangeRoles: readonly string[];
  /** Directory roles (EXCHANGE_ROLES names) that allow it app-only, least privileged first. */
  readonly directoryRoles: readonly string[];
  /** False where Microsoft says the cmdlet does not run app-only at all (Purview eDiscovery). */
  readonly appOnly?: false;
}

const READERS = ["Global Reader", "Security Reader", "Security Administrator", "Compliance Administrator", "Helpdesk Administrator", "Exchange Recipient Administrator", "Exchange Administrator", "Global Administrator"];
const RECIPIENT_READERS = ["Global Reader", "Helpdesk Administrator", "Exchange Recipient Administrator", "Exchange Administrator", "Global Administrator"];
const RECIPIENT_WRITERS = ["Exchange Recipient Administrator", "Exchange Administrator", "Global Administrator"];
const ORGANIZATION_MANAGEMENT = ["Exchange Administrator", "Global Administrator"];
const COMPLIANCE_READERS = ["Global Reader", "Security Reader", "Security Administrator", "Compliance Administrator", "Global Administrator"];
const COMPLIANCE_WRITERS = ["Security Administrator", "Compliance Administrator", "Global Administrator"];
const ROLE_MANAGEMENT = ["Role Management"];
/** Reading Exchange's RBAC: View-Only Configuration (View-Only Organization Management; Global Reader maps to that group). */
const RBAC_READERS = ["Global Reader", "Exchange Administrator", "Global Administrator"];

/**
 * Sources of the rows:
 * - Get-AcceptedDomain, Get-OrganizationConfig: configuration reads, in View-Only Configuration (the View-Only
 *   Organization Management role group, which the Admin API pages name for its AcceptedDomain and OrganizationConfig
 *   endpoints) and in the roles that manage them ("Feature permissions in Exchange Online",
 *   learn.microsoft.com/exchange/permissions-exo/feature-permissions: accepted domains, organization configuration).
 * - Get-Mailbox, Get-Recipient, Set-Mailbox: View-Only Recipients reads recipients, Mail Recipients manages them
 *   (the Recipient Management role group, which the Admin API pages name for the Mailbox endpoint).
 * - The RBAC cmdlets (service principals, role groups, role assignments, role group members): Role Management,
 *   "the Role Management role in Exchange Online allows users to view, create, and modify Exchange Online role
 *   groups. By default, that role is assigned only to the Organization Management role group" (Permissions in Exchange
 *   Online).
 * - Reading the RBAC cmdlets (Get-ServicePrincipal, Get-RoleGroup, Get-ManagementRoleAssignment, Get-RoleGroupMember):
 *   View-Only Configuration as well, through View-Only Organization Management, which Global Reader maps to. Inferred
 *   from Microsoft365DSC's EXOManagementRole/EXOManagementRoleEntry settings (read: "View-Only Configuration",
 *   "View-Only Organization Management", Global Reader; update: Role Management); no Microsoft page lists it per cmdlet.
 * - Directory roles: the app-only article's table (Exchange Administrator and Global Administrator cover every cmdlet;
 *   the readers read; Exchange Recipient Administrator manages recipients).
 * - Purview eDiscovery cmdlets: not available app-only (the app-only article).
 */
export const CMDLET_PERMISSIONS: readonly CmdletPermission[] = [
  { cmdlet: "Get-AcceptedDomain", workload: "exchange", exchangeRoles: ["View-Only Configuration", "Remote and Accepted Domains", "Organization Configuration"], directoryRoles: READERS },
  { cmdlet: "Get-OrganizationConfig", workload: "exchange", exchangeRoles: ["View-Only Configuration", "Organization Configuration"], directoryRoles: READERS },
  { cmdlet: "Get-Mailbox", workload: "exchange", exchangeRoles: ["View-Only Recipients", "Mail Recipients"], directoryRoles: RECIPIENT_READERS },
  { cmdlet: "Get-Recipient", workload: "exchange", exchangeRoles: ["View-Only Recipients", "Mail Recipients"], directoryRoles: RECIPIENT_READERS },
  { cmdlet: "Set-Mailbox", workload: "exchange", exchangeRoles: ["Mail Recipients"], directoryRoles: RECIPIENT_WRITERS },
  ...[
    "Get-ServicePrincipal",
    "New-ServicePrincipal",
    "Remove-ServicePrincipal",
    "Get-RoleGroup",
    "New-RoleGroup",
    "Set-RoleGroup",
    "Remove-RoleGroup",
    "Get-ManagementRoleAssignment",
    "New-ManagementRoleAssignment",
    "Remove-ManagementRoleAssignment",
    "Get-RoleGroupMember",
    "Add-RoleGroupMember",
    "Remove-RoleGroupMember",
  ].map((cmdlet): CmdletPermission =>
    cmdlet.startsWith("Get-")
      ? { cmdlet, workload: "exchange", exchangeRoles: ["View-Only Configuration", ...ROLE_MANAGEMENT], directoryRoles: RBAC_READERS }
      : { cmdlet, workload: "exchange", exchangeRoles: ROLE_MANAGEMENT, directoryRoles: ORGANIZATION_MANAGEMENT },
  ),
  { cmdlet: "Get-Label", workload: "compliance", exchangeRoles: [], directoryRoles: COMPLIANCE_READERS },
  { cmdlet: "Get-DlpCompliancePolicy", workload: "compliance", exchangeRoles: [], directoryRoles: COMPLIANCE_READERS },
  { cmdlet: "Get-RetentionCompliancePolicy", workload: "compliance", exchangeRoles: [], directoryRoles: COMPLIANCE_READERS },
  { cmdlet: "New-RetentionCompliancePolicy", workload: "compliance", exchangeRoles: [], directoryRoles: COMPLIANCE_WRITERS },
  { cmdlet: "New-ComplianceSearch", workload: "compliance", exchangeRoles: [], directoryRoles: [], appOnly: false },
  { cmdlet: "Start-ComplianceSearch", workload: "compliance", exchangeRoles: [], directoryRoles: [], appOnly: false },
  { cmdlet: "New-ComplianceSearchAction", workload: "compliance", exchangeRoles: [], directoryRoles: [], appOnly: false },
];

/** The cmdlet as the table spells it (PowerShell's names are case-insensitive). */
export function findCmdletPermission(cmdlet: string): CmdletPermission | undefined {
  const wanted = cmdlet.toLowerCase();
  return CMDLET_PERMISSIONS.find((c) => c.cmdlet.toLowerCase() === wanted);
}

