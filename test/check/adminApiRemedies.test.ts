/**
 * What `verify --api admin-v2` says when Exchange refuses: the Admin API's own role group for the endpoint
 * (Microsoft's Admin API authentication article), pinned here as literals; and a refused audience, which waiting
 * cannot fix, with the override that can.
 */
import { classifyCmdletAnswer, type ProbeTarget } from "../../src/check/exchange";
import { ADMIN_API_ENDPOINTS, ADMIN_API_ROLE_GROUPS } from "../../src/exchange/adminApi";

const adminApi = (cmdlet: string): ProbeTarget => ({ cmdlet, workload: "exchange", api: "admin-v2" });
const answer = (status: number, errorText?: string) => ({ status, value: [], warnings: [], ...(errorText ? { errorText } : {}) });

describe("the Admin API's role group per endpoint", () => {
  test("pinned: View-Only Organization Management for the organization, Recipient Management for recipients (FACTS.md, December 2026)", () => {
    expect(ADMIN_API_ENDPOINTS).toEqual(["AcceptedDomain", "DistributionGroupMember", "DynamicDistributionGroupMember", "Mailbox", "MailboxFolderPermission", "OrganizationConfig"]);
    expect(ADMIN_API_ROLE_GROUPS).toEqual({
      AcceptedDomain: "View-Only Organization Management",
      OrganizationConfig: "View-Only Organization Management",
      Mailbox: "Recipient Management",
      MailboxFolderPermission: "Recipient Management",
      DistributionGroupMember: "Recipient Management",
      DynamicDistributionGroupMember: "Recipient Management",
    });
  });

  test.each([
    ["Get-AcceptedDomain", "AcceptedDomain", "View-Only Organization Management"],
    ["Get-OrganizationConfig", "OrganizationConfig", "View-Only Organization Management"],
    ["Get-Mailbox", "Mailbox", "Recipient Management"],
    ["Get-MailboxFolderPermission", "MailboxFolderPermission", "Recipient Management"],
    ["Get-DistributionGroupMember", "DistributionGroupMember", "Recipient Management"],
    ["Get-DynamicDistributionGroupMember", "DynamicDistributionGroupMember", "Recipient Management"],
  ])("%s: a 403 (no role yet) names the %s endpoint's role group %s", (cmdlet, endpoint, group) => {
    const check = classifyCmdletAnswer(answer(403), adminApi(cmdlet));
    expect(check.ok).toBe(false);
    expect(check.remedy).toContain(`For the Admin API's ${endpoint} endpoint, the roles of the Exchange role group "${group}" suffice (Microsoft's Admin API authentication article)`);
    expect(check.remedy).toContain("exchange-app-only:exchangeRoles");
  });

  test("a cmdlet the roles do not include (401 not allowed) and an unsupported directory role (403) name it too", () => {
    expect(classifyCmdletAnswer(answer(401, "User is not allowed to call Get-Mailbox"), adminApi("Get-Mailbox")).remedy).toContain('role group "Recipient Management"');
    expect(classifyCmdletAnswer(answer(403, "The role assigned to application x isn't supported in this scenario."), adminApi("Get-AcceptedDomain")).remedy).toContain('role group "View-Only Organization Management"');
  });

  test("InvokeCommand's remedies stay as they were: no Admin API role group", () => {
    const target: ProbeTarget = { cmdlet: "Get-AcceptedDomain", workload: "exchange", api: "invoke-command" };
    expect(classifyCmdletAnswer(answer(403), target).remedy).not.toContain("Admin API");
  });
});

describe("a refused audience", () => {
  test.each([
    ["Exchange's own words", "InvalidAudienceForResource: The audience claim value is invalid for current resource. Audience claim is 'https://outlook-dod.office365.us', request url is 'https://webmail.apps.mil/adminapi/beta/t/InvokeCommand'"],
    ["the emulator's", "The audience 'https://outlook-dod.office365.us' is invalid: Exchange Online expects 'https://webmail.apps.mil'."],
  ])("%s: fails at once, with the override as the fix", (_name, text) => {
    const check = classifyCmdletAnswer(answer(401, text), { cmdlet: "Get-AcceptedDomain", workload: "exchange", api: "invoke-command" });
    expect(check.ok).toBe(false);
    expect(check.healable).toBe(false);
    expect(check.detail).toMatch(/^Exchange Online answered 401: ".*": it refuses the token's audience for this host$/);
    expect(check.remedy).toContain("--exchange-resource https://webmail.apps.mil in DoD");
  });

  test("in Security & Compliance the fix is the other documented URI, not --exchange-resource", () => {
    const check = classifyCmdletAnswer(answer(401, "The audience 'x' is invalid: Security & Compliance expects 'y'."), { cmdlet: "Get-Label", workload: "compliance", api: "invoke-command" });
    expect(check.healable).toBe(false);
    expect(check.remedy).not.toContain("--exchange-resource");
    expect(check.remedy).toContain("alternative");
  });
});

describe("the GCC High/DoD manifest note in the consent remedy", () => {
  test("a missing Exchange Online Protection role: the fix names it, its id, and why the stack grants it beside Exchange Online's", () => {
    const check = classifyCmdletAnswer(answer(401, "The application x has no 'Exchange.ManageAsApp' role of Microsoft Exchange Online Protection (00000007-0000-0ff1-ce00-000000000000)."), {
      cmdlet: "Get-Label",
      workload: "compliance",
      api: "invoke-command",
    });
    expect(check.remedy).toBe(
      "Grant admin consent for Microsoft Exchange Online Protection › Exchange.ManageAsApp (appRoleId 455e5cd2-84e8-4751-8344-5672145dfa17): in GCC High and DoD, Microsoft's manifest note lists it for Security & Compliance PowerShell, and exchange-app-only:workloads [compliance] grants it there beside Office 365 Exchange Online's (the two together are harmless); a new grant can take minutes to apply.",
    );
    expect(check.healable).toBe(true);
  });
});
