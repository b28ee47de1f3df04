/**
 * Security & Compliance PowerShell (issue 10): the `workloads` key, the directory role that must work for each
 * workload, Exchange Online Protection's consent in GCC High and DoD, and the Connect-IPPSSession lines per cloud.
 */
import { CLOUDS, EOP_MANAGE_AS_APP_ROLE, EXCHANGE_ONLINE_PROTECTION_APP_ID, rolesForWorkloads } from "../../src/facts";
import { firstPartyPrincipal } from "../../src/mocks/offline";
import { connectIPPSSessionLines } from "../../src/outputs/connectCommands";
import { evaluate, T } from "../support/evaluate";
import { refusedAt as refused } from "../support/refusal";

const APP = "0f1e2d3c-1111-4222-8333-444455556666";
const GCC_HIGH = { environment: "usgovernment", organization: "contoso.onmicrosoft.us" };
const DOD = { environment: "dod", organization: "contoso.onmicrosoft.us" };
const CHINA = { environment: "china", organization: "contoso.partner.onmschina.cn" };
const COMPLIANCE = { workloads: ["exchange", "compliance"], role: "Compliance Administrator" };

type Lines = { certificateThumbprint?: string; certificateFile?: string; accessToken: string; docsDisagree?: string; alternative?: Lines };

describe("workloads and the role", () => {
  it("the default is exchange only: no workloads output, no Connect-IPPSSession lines, no Exchange Online Protection lookup", async () => {
    const run = await evaluate({});
    expect(run.outputs).not.toHaveProperty("workloads");
    expect(run.outputs).not.toHaveProperty("connectIPPSSession");
    expect(run.ofType(T.appRoleAssignment)).toHaveLength(1);
  });

  it("Exchange Administrator with compliance is refused, naming the roles that work for both", async () => {
    const issue = await refused({ workloads: ["exchange", "compliance"] }, "role");
    expect(issue.value).toBe(JSON.stringify("Exchange Administrator"));
    expect(issue.message).toMatch(/"Exchange Administrator" does not work for Security & Compliance PowerShell \(Connect-IPPSSession\) with app-only access/);
    expect(issue.message).toContain("Roles that work for exchange and compliance: Global Reader, Security Reader, Security Administrator, Compliance Administrator, Global Administrator (with allowGlobalAdministrator: true)");
    expect(issue.message).toMatch(/or drop compliance from workloads/);
  });

  it.each(["Exchange Recipient Administrator", "Helpdesk Administrator"])("%s with compliance is refused too", async (role) => {
    expect((await refused({ workloads: ["compliance"], role }, "role")).message).toContain(`"${role}" does not work for Security & Compliance PowerShell`);
  });

  it("accepts exactly the roles Microsoft's table gives for both workloads", () => {
    expect(rolesForWorkloads(["exchange", "compliance"]).map((r) => r.name)).toEqual(["Global Reader", "Security Reader", "Security Administrator", "Compliance Administrator", "Global Administrator"]);
  });

  it("role: none with compliance is refused: Exchange's RBAC for apps reaches Exchange Online PowerShell only", async () => {
    const issue = await refused({ workloads: ["compliance"], role: "none", exchangeRoles: [{ role: "View-Only Configuration" }] }, "role");
    // Microsoft documents S&C role groups for a service principal; the refusal says this project does not make them yet.
    expect(issue.message).toMatch(/"none" gives the app no directory role, and exchangeRoles grants Exchange Online's role groups only: this project does not create Security & Compliance role groups yet \(Microsoft documents them for an app's service principal too: New-ServicePrincipal, then Add-RoleGroupMember in Security & Compliance PowerShell \(Connect-IPPSSession\).*Global Reader/);
    expect(issue.message).not.toMatch(/without a way in|works in .* only/);
  });

  it.each<[string, unknown, RegExp]>([
    ["an unknown workload", ["exchange", "complaince"], /names "complaince", which is not a workload\. Did you mean "compliance"\?/],
    ["a workload twice", ["exchange", "Exchange"], /lists exchange twice/],
    ["an empty list", [], /must be a non-empty list of exchange and\/or compliance/],
    ["a single value, not a list", "compliance", /must be a list of exchange and\/or compliance/],
  ])("%s is refused", async (_label, workloads, wording) => {
    expect((await refused({ workloads, role: "Global Reader" }, "workloads")).message).toMatch(wording);
  });
});

describe("Exchange Online Protection in GCC High and DoD", () => {
  const eop = firstPartyPrincipal(EXCHANGE_ONLINE_PROTECTION_APP_ID, "", "exchange-online-protection-service-principal", []) as { objectId: string };

  it.each([["GCC High", GCC_HIGH], ["DoD", DOD]])("%s with compliance: consent on the looked-up EOP principal with its published role id; the app asks for it", async (_label, cloud) => {
    const run = await evaluate({ ...cloud, ...COMPLIANCE });
    const consents = run.ofType(T.appRoleAssignment);
    const protection = consents.find((c) => c.name === "exo-exchange-protection-consent")!;
    expect(protection.inputs).toMatchObject({ resourceObjectId: eop.objectId, appRoleId: EOP_MANAGE_AS_APP_ROLE.id });
    expect((protection.inputs as { principalObjectId: string }).principalObjectId).toBe((run.outputs as { servicePrincipalObjectId: string }).servicePrincipalObjectId);
    // Looked up, never managed: no service principal with EOP's client id is declared.
    expect(run.ofType(T.servicePrincipal).map((sp) => (sp.inputs as { clientId?: string }).clientId)).not.toContain(EXCHANGE_ONLINE_PROTECTION_APP_ID);
    const access = (run.one(T.application).inputs as { requiredResourceAccesses: { resourceAppId: string; resourceAccesses: { id: string; type: string }[] }[] }).requiredResourceAccesses;
    expect(access).toContainEqual({ resourceAppId: EXCHANGE_ONLINE_PROTECTION_APP_ID, resourceAccesses: [{ id: EOP_MANAGE_AS_APP_ROLE.id, type: "Role" }] });
  });

  it.each([["public", {}], ["China", CHINA], ["GCC High without compliance", GCC_HIGH]])("%s: no EOP consent and no EOP permission", async (_label, cloud) => {
    const run = await evaluate({ ...cloud, ...(_label.includes("without") ? {} : COMPLIANCE) });
    expect(run.ofType(T.appRoleAssignment).map((c) => c.name)).toEqual(["exo-exchange-consent"]);
    const access = (run.one(T.application).inputs as { requiredResourceAccesses: { resourceAppId: string }[] }).requiredResourceAccesses;
    expect(access.map((a) => a.resourceAppId)).not.toContain(EXCHANGE_ONLINE_PROTECTION_APP_ID);
  });
});

describe("Connect-IPPSSession lines", () => {
  const target = (cloud: keyof typeof CLOUDS, organization: string) => ({ clientId: APP, organization, cloud: CLOUDS[cloud] });

  it("public: the initial domain as -Organization, the module's default URIs left out", () => {
    expect(connectIPPSSessionLines(target("public", "contoso.onmicrosoft.com"), { thumbprint: "AB12", pfx: true })).toEqual({
      certificateThumbprint: `Connect-IPPSSession -AppId ${APP} -CertificateThumbprint AB12 -Organization contoso.onmicrosoft.com`,
      certificateFile: `Connect-IPPSSession -AppId ${APP} -CertificateFilePath ./exchange-app-only.pfx -Organization contoso.onmicrosoft.com`,
      accessToken: `Connect-IPPSSession -AppId ${APP} -AccessToken $token -Organization contoso.onmicrosoft.com`,
    });
  });

  it("GCC High and China: -ConnectionUri and -AzureADAuthorizationEndpointUri of the cloud", () => {
    expect(connectIPPSSessionLines(target("usgovernment", "contoso.onmicrosoft.us"), { pfx: false }).accessToken).toBe(
      `Connect-IPPSSession -AppId ${APP} -AccessToken $token -Organization contoso.onmicrosoft.us -ConnectionUri https://ps.compliance.protection.office365.us/powershell-liveid/ -AzureADAuthorizationEndpointUri https://login.microsoftonline.us/organizations`,
    );
    expect(connectIPPSSessionLines(target("china", "contoso.partner.onmschina.cn"), { pfx: false }).accessToken).toBe(
      `Connect-IPPSSession -AppId ${APP} -AccessToken $token -Organization contoso.partner.onmschina.cn -ConnectionUri https://ps.compliance.protection.partner.outlook.cn/powershell-liveid -AzureADAuthorizationEndpointUri https://login.chinacloudapi.cn/organizations`,
    );
  });

  it("DoD: says the docs disagree and gives the lines for both documented URIs", () => {
    const lines = connectIPPSSessionLines(target("dod", "contoso.onmicrosoft.us"), { pfx: false }) as Lines;
    expect(lines.docsDisagree).toMatch(/docs disagree.*compliance\.dod\.microsoft\.com.*l5\.ps\.compliance\.protection\.office365\.us/);
    expect(lines.accessToken).toContain("-ConnectionUri https://compliance.dod.microsoft.com/powershell-liveid -AzureADAuthorizationEndpointUri https://login.microsoftonline.us/organizations");
    expect(lines.alternative!.accessToken).toContain("-ConnectionUri https://l5.ps.compliance.protection.office365.us/powershell-liveid/ -AzureADAuthorizationEndpointUri https://login.microsoftonline.us/organizations");
  });

  it("the stack outputs them only with compliance, with the app's client id and the certificate's thumbprint", async () => {
    const run = await evaluate({ ...DOD, ...COMPLIANCE });
    const outputs = run.outputs as { clientId: string; certificateThumbprint: string; workloads: string[]; connectIPPSSession: Lines };
    expect(outputs.workloads).toEqual(["exchange", "compliance"]);
    expect(outputs.connectIPPSSession.certificateThumbprint).toBe(
      `Connect-IPPSSession -AppId ${outputs.clientId} -CertificateThumbprint ${outputs.certificateThumbprint} -Organization contoso.onmicrosoft.us -ConnectionUri https://compliance.dod.microsoft.com/powershell-liveid -AzureADAuthorizationEndpointUri https://login.microsoftonline.us/organizations`,
    );
    expect(outputs.connectIPPSSession.docsDisagree).toBeDefined();
    expect(outputs.connectIPPSSession.alternative?.certificateFile).toContain("l5.ps.compliance.protection.office365.us");
  });
});
