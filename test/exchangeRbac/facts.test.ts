/**
 * Exchange's built-in roles, role groups and the cmdlet → role table, pinned as literals with their sources, not by
 * looping over the tables the code reads: a change of a table has to change this file too, deliberately.
 */
import { EXCHANGE_BUILT_IN_ROLE_GROUPS, EXCHANGE_MANAGEMENT_ROLES, EXCHANGE_ROLE_GROUPS, exchangeConceptsOf, findBuiltInRoleGroup } from "../../src/facts";
import { CMDLET_PERMISSIONS, findCmdletPermission } from "../../src/facts/cmdletPermissions";

const rolesOf = (group: string) => findBuiltInRoleGroup(group)?.roles;
const holders = (role: string) => EXCHANGE_BUILT_IN_ROLE_GROUPS.filter((g) => g.roles.includes(role)).map((g) => g.name);

describe("Exchange Online's built-in role groups", () => {
  // Permissions in Exchange Online (learn.microsoft.com/exchange/permissions-exo/permissions-exo), role groups table.
  it("are the page's groups with roles of their own, plus Security Operator", () => {
    expect([...EXCHANGE_ROLE_GROUPS].sort()).toEqual([
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
    ]);
  });

  it("Address Lists and Mailbox Import Export are in no role group (the page's note; New-AddressList's reference)", () => {
    expect(holders("Address Lists")).toEqual([]);
    expect(holders("Mailbox Import Export")).toEqual([]);
    expect(EXCHANGE_MANAGEMENT_ROLES).toEqual(expect.arrayContaining(["Address Lists", "Mailbox Import Export"]));
  });

  it("Mailbox Search is only in Discovery Management (the page: 'only assigned to the Discovery Management role group')", () => {
    expect(holders("Mailbox Search")).toEqual(["Discovery Management"]);
    expect(rolesOf("Discovery Management")).toEqual(["Legal Hold", "Mailbox Search"]);
  });

  it("Security Operator holds Tenant AllowBlockList Manager, a built-in role (Defender for Office 365's Security Operations Guide)", () => {
    expect(rolesOf("Security Operator")).toEqual(["Tenant AllowBlockList Manager"]);
    expect(holders("Tenant AllowBlockList Manager")).toEqual(["Security Operator"]);
    expect(EXCHANGE_MANAGEMENT_ROLES).toContain("Tenant AllowBlockList Manager");
  });

  it("each group's default roles, as the page lists them", () => {
    expect(rolesOf("View-Only Organization Management")).toEqual(["View-Only Configuration", "View-Only Recipients"]);
    expect(rolesOf("Help Desk")).toEqual(["Reset Password", "User Options", "View-Only Recipients"]);
    expect(rolesOf("Hygiene Management")).toEqual(["Transport Hygiene", "View-Only Configuration", "View-Only Recipients"]);
    expect(rolesOf("Recipient Management")).toEqual(["Distribution Groups", "Mail Recipient Creation", "Mail Recipients", "Message Tracking", "Migration", "Move Mailboxes", "Recipient Policies", "Reset Password", "Team Mailboxes"]);
    expect(rolesOf("Records Management")).toEqual(["Audit Logs", "Journaling", "Message Tracking", "Retention Management", "Transport Rules"]);
    expect(rolesOf("Compliance Management")).toEqual([
      "Audit Logs", "Compliance Admin", "Data Loss Prevention", "Information Rights Management", "Journaling", "Message Tracking",
      "Retention Management", "Transport Rules", "View-Only Audit Logs", "View-Only Configuration", "View-Only Recipients",
    ]);
    expect(rolesOf("Security Administrator")).toEqual(["Security Admin"]);
    expect(rolesOf("Security Reader")).toEqual(["Security Reader"]);
    // Organization Management: the page's list without the retired Unified Messaging roles.
    expect(rolesOf("Organization Management")).toEqual([
      "Audit Logs", "Compliance Admin", "Data Loss Prevention", "Distribution Groups", "E-Mail Address Policies", "Federated Sharing",
      "Information Rights Management", "Journaling", "Legal Hold", "Mail Enabled Public Folders", "Mail Recipient Creation", "Mail Recipients",
      "Mail Tips", "Message Tracking", "Migration", "Move Mailboxes", "Org Custom Apps", "Org Marketplace Apps", "Organization Client Access",
      "Organization Configuration", "Organization Transport Settings", "Public Folders", "Recipient Policies", "Remote and Accepted Domains",
      "Reset Password", "Retention Management", "Role Management", "Security Admin", "Security Group Creation and Membership", "Security Reader",
      "Team Mailboxes", "Transport Hygiene", "Transport Rules", "User Options", "View-Only Audit Logs", "View-Only Configuration", "View-Only Recipients",
    ]);
  });

  it("the groups synchronized from Entra are marked: Exchange does not manage their membership (the page)", () => {
    expect(EXCHANGE_BUILT_IN_ROLE_GROUPS.filter((g) => g.managedCentrally).map((g) => g.name)).toEqual(["Security Administrator", "Security Operator", "Security Reader"]);
  });

  it("every role a group holds is a built-in role, and every entry names a source", () => {
    for (const group of EXCHANGE_BUILT_IN_ROLE_GROUPS) {
      expect(group.source).toMatch(/learn\.microsoft\.com/);
      for (const role of group.roles) expect(EXCHANGE_MANAGEMENT_ROLES).toContain(role);
    }
  });
});

describe("Exchange Online's built-in management roles", () => {
  it("are the 41 the pages name", () => {
    expect(EXCHANGE_MANAGEMENT_ROLES).toEqual([
      "Address Lists", "Audit Logs", "Compliance Admin", "Data Loss Prevention", "Distribution Groups", "E-Mail Address Policies",
      "Federated Sharing", "Information Rights Management", "Journaling", "Legal Hold", "Mail Enabled Public Folders", "Mail Recipient Creation",
      "Mail Recipients", "Mail Tips", "Mailbox Import Export", "Mailbox Search", "Message Tracking", "Migration", "Move Mailboxes",
      "Org Custom Apps", "Org Marketplace Apps", "Organization Client Access", "Organization Configuration", "Organization Transport Settings",
      "Public Folders", "Recipient Policies", "Remote and Accepted Domains", "Reset Password", "Retention Management", "Role Management",
      "Security Admin", "Security Group Creation and Membership", "Security Reader", "Team Mailboxes", "Tenant AllowBlockList Manager",
      "Transport Hygiene", "Transport Rules", "User Options", "View-Only Audit Logs", "View-Only Configuration", "View-Only Recipients",
    ]);
  });

  it("a name may be more than one known thing; the kinds are told apart", () => {
    expect(exchangeConceptsOf("Organization Management")).toEqual(["roleGroup"]);
    expect(exchangeConceptsOf("mail recipients")).toEqual(["managementRole"]);
    expect(exchangeConceptsOf("Security Reader")).toEqual(["managementRole", "roleGroup", "directoryRole"]);
    expect(exchangeConceptsOf("Security Administrator")).toEqual(["roleGroup", "directoryRole"]);
    expect(exchangeConceptsOf("Exchange Administrator")).toEqual(["directoryRole"]);
    expect(exchangeConceptsOf("Application Mail.Read")).toEqual(["applicationRole"]);
    expect(exchangeConceptsOf("Contoso Helpdesk")).toEqual([]);
  });
});

describe("the cmdlet → role table (the emulator and --probe-cmdlet answer by it)", () => {
  const READERS = ["Global Reader", "Security Reader", "Security Administrator", "Compliance Administrator", "Helpdesk Administrator", "Exchange Recipient Administrator", "Exchange Administrator", "Global Administrator"];
  const RECIPIENT_READERS = ["Global Reader", "Helpdesk Administrator", "Exchange Recipient Administrator", "Exchange Administrator", "Global Administrator"];
  const ORGANIZATION_MANAGEMENT = ["Exchange Administrator", "Global Administrator"];
  const RBAC_READERS = ["Global Reader", "Exchange Administrator", "Global Administrator"];

  it.each([
    // Configuration reads: View-Only Configuration (View-Only Organization Management, the Admin API's AcceptedDomain and OrganizationConfig).
    ["Get-AcceptedDomain", ["View-Only Configuration", "Remote and Accepted Domains", "Organization Configuration"], READERS],
    ["Get-OrganizationConfig", ["View-Only Configuration", "Organization Configuration"], READERS],
    // Recipients: View-Only Recipients reads, Mail Recipients manages (Recipient Management, the Admin API's Mailbox).
    ["Get-Mailbox", ["View-Only Recipients", "Mail Recipients"], RECIPIENT_READERS],
    ["Get-Recipient", ["View-Only Recipients", "Mail Recipients"], RECIPIENT_READERS],
    ["Set-Mailbox", ["Mail Recipients"], ["Exchange Recipient Administrator", "Exchange Administrator", "Global Administrator"]],
    // RBAC itself: Role Management, "assigned only to the Organization Management role group" (Permissions in Exchange Online).
    ["New-ServicePrincipal", ["Role Management"], ORGANIZATION_MANAGEMENT],
    ["New-RoleGroup", ["Role Management"], ORGANIZATION_MANAGEMENT],
    ["Set-RoleGroup", ["Role Management"], ORGANIZATION_MANAGEMENT],
    ["Remove-RoleGroup", ["Role Management"], ORGANIZATION_MANAGEMENT],
    // Reading it (the audit): View-Only Configuration too, as Global Reader (View-Only Organization Management) has it.
    ["Get-ServicePrincipal", ["View-Only Configuration", "Role Management"], RBAC_READERS],
    ["Get-RoleGroup", ["View-Only Configuration", "Role Management"], RBAC_READERS],
    ["Get-ManagementRoleAssignment", ["View-Only Configuration", "Role Management"], RBAC_READERS],
    ["Get-RoleGroupMember", ["View-Only Configuration", "Role Management"], RBAC_READERS],
    ["Add-RoleGroupMember", ["Role Management"], ORGANIZATION_MANAGEMENT],
    ["New-ManagementRoleAssignment", ["Role Management"], ORGANIZATION_MANAGEMENT],
    ["Remove-ManagementRoleAssignment", ["Role Management"], ORGANIZATION_MANAGEMENT],
  ])("%s: %j, or a directory role of %j", (cmdlet, exchangeRoles, directoryRoles) => {
    expect(findCmdletPermission(cmdlet)).toMatchObject({ workload: "exchange", exchangeRoles, directoryRoles });
  });

  it("Security & Compliance cmdlets: a directory role only (S&C's own role groups are not granted by this project); eDiscovery not app-only", () => {
    expect(findCmdletPermission("Get-RetentionCompliancePolicy")).toMatchObject({ workload: "compliance", exchangeRoles: [], directoryRoles: ["Global Reader", "Security Reader", "Security Administrator", "Compliance Administrator", "Global Administrator"] });
    expect(findCmdletPermission("New-RetentionCompliancePolicy")).toMatchObject({ workload: "compliance", exchangeRoles: [], directoryRoles: ["Security Administrator", "Compliance Administrator", "Global Administrator"] });
    expect(findCmdletPermission("New-ComplianceSearch")).toMatchObject({ appOnly: false, directoryRoles: [] });
  });

  it("holds these cmdlets and no others", () => {
    expect(CMDLET_PERMISSIONS.map((c) => c.cmdlet)).toEqual([
      "Get-AcceptedDomain", "Get-OrganizationConfig", "Get-Mailbox", "Get-Recipient", "Set-Mailbox",
      "Get-ServicePrincipal", "New-ServicePrincipal", "Remove-ServicePrincipal", "Get-RoleGroup", "New-RoleGroup", "Set-RoleGroup", "Remove-RoleGroup",
      "Get-ManagementRoleAssignment", "New-ManagementRoleAssignment", "Remove-ManagementRoleAssignment", "Get-RoleGroupMember", "Add-RoleGroupMember", "Remove-RoleGroupMember",
      "Get-Label", "Get-DlpCompliancePolicy", "Get-RetentionCompliancePolicy", "New-RetentionCompliancePolicy", "New-ComplianceSearch", "Start-ComplianceSearch", "New-ComplianceSearchAction",
    ]);
  });
});
