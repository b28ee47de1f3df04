/**
 * Which role lets an app run a cmdlet: the Exchange management roles (Exchange's own RBAC, "Permissions in Exchange
 * Online" and `Get-ManagementRole -Cmdlet <name>`) and the directory roles Exchange accepts app-only (FACTS.md). A
 * small table of the cmdlets this project probes or runs, not all of Exchange: the check names the fix from it, the
 * tenant emulator answers by it. Role groups are listed by the roles they carry.
 */
import { EXCHANGE_MANAGEMENT_ROLES } from "./exchangeRbac";
import type { Workload } from "./roles";

export interface CmdletPermission {
  readonly cmdlet: string;
  /** Exchange Online (`Connect-ExchangeOnline`) or Security & Compliance (`Connect-IPPSSession`). */
  readonly workload: Workload;
  /** Exchange management roles that include the cmdlet, least privileged first (empty: none an app can hold). */
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

export const CMDLET_PERMISSIONS: readonly CmdletPermission[] = [
  { cmdlet: "Get-AcceptedDomain", workload: "exchange", exchangeRoles: ["View-Only Configuration", "Remote and Accepted Domains", "Organization Configuration"], directoryRoles: READERS },
  { cmdlet: "Get-OrganizationConfig", workload: "exchange", exchangeRoles: ["View-Only Configuration", "Organization Configuration"], directoryRoles: READERS },
  { cmdlet: "Get-Mailbox", workload: "exchange", exchangeRoles: ["View-Only Recipients", "Mail Recipients"], directoryRoles: RECIPIENT_READERS },
  { cmdlet: "Get-Recipient", workload: "exchange", exchangeRoles: ["View-Only Recipients", "Mail Recipients"], directoryRoles: RECIPIENT_READERS },
  { cmdlet: "Set-Mailbox", workload: "exchange", exchangeRoles: ["Mail Recipients"], directoryRoles: RECIPIENT_WRITERS },
  { cmdlet: "Get-ServicePrincipal", workload: "exchange", exchangeRoles: ROLE_MANAGEMENT, directoryRoles: ORGANIZATION_MANAGEMENT },
  { cmdlet: "New-ServicePrincipal", workload: "exchange", exchangeRoles: ROLE_MANAGEMENT, directoryRoles: ORGANIZATION_MANAGEMENT },
  { cmdlet: "Remove-ServicePrincipal", workload: "exchange", exchangeRoles: ROLE_MANAGEMENT, directoryRoles: ORGANIZATION_MANAGEMENT },
  { cmdlet: "Get-ManagementRoleAssignment", workload: "exchange", exchangeRoles: ROLE_MANAGEMENT, directoryRoles: ORGANIZATION_MANAGEMENT },
  { cmdlet: "New-ManagementRoleAssignment", workload: "exchange", exchangeRoles: ROLE_MANAGEMENT, directoryRoles: ORGANIZATION_MANAGEMENT },
  { cmdlet: "Remove-ManagementRoleAssignment", workload: "exchange", exchangeRoles: ROLE_MANAGEMENT, directoryRoles: ORGANIZATION_MANAGEMENT },
  { cmdlet: "Get-RoleGroupMember", workload: "exchange", exchangeRoles: ROLE_MANAGEMENT, directoryRoles: ORGANIZATION_MANAGEMENT },
  { cmdlet: "Add-RoleGroupMember", workload: "exchange", exchangeRoles: ROLE_MANAGEMENT, directoryRoles: ORGANIZATION_MANAGEMENT },
  { cmdlet: "Remove-RoleGroupMember", workload: "exchange", exchangeRoles: ROLE_MANAGEMENT, directoryRoles: ORGANIZATION_MANAGEMENT },
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

/** The management roles each built-in Exchange role group carries (those the table above can tell apart). */
export const ROLE_GROUP_ROLES: Readonly<Record<string, readonly string[]>> = {
  "Organization Management": EXCHANGE_MANAGEMENT_ROLES,
  "View-Only Organization Management": ["View-Only Configuration", "View-Only Recipients"],
  "Recipient Management": ["Mail Recipients", "Distribution Groups", "Mail Recipient Creation", "Move Mailboxes", "Migration", "Recipient Policies", "Reset Password", "Message Tracking", "Team Mailboxes"],
  "Help Desk": ["View-Only Recipients", "Reset Password", "User Options"],
  "Hygiene Management": ["Transport Hygiene", "View-Only Configuration", "View-Only Recipients", "Security Admin"],
  "Compliance Management": ["Compliance Admin", "Data Loss Prevention", "Information Rights Management", "Journaling", "Message Tracking", "Retention Management", "Transport Rules", "View-Only Audit Logs", "View-Only Configuration", "View-Only Recipients", "Audit Logs"],
  "Discovery Management": ["Legal Hold", "Mailbox Search"],
  "Records Management": ["Audit Logs", "Journaling", "Message Tracking", "Retention Management", "Transport Rules"],
  "Security Administrator": ["Security Admin"],
  "Security Operator": ["Security Reader"],
  "Security Reader": ["Security Reader"],
};
