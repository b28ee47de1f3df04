/**
 * Adopt takes the ids of the tenant's own objects (issue 14). Microsoft's first-party apps are never adopted, and a
 * GUID that is the same in every tenant (an app role's id, a role template id, a Microsoft app's client id,
 * Microsoft's tenant) is never the id of an app's own object, assignment or credential: each is refused, saying what
 * the GUID is, the shape of the right id and where to find it. The literals below are pinned with their sources.
 */
import { FIRST_PARTY_APPS, wellKnownId } from "../../src/facts";
import { noFirstPartyPrincipal } from "../../policy/noFirstPartyPrincipal";
import { check, resource, TYPES } from "../policy/harness";
import { evaluate, T } from "../support/evaluate";
import { refusedAt } from "../support/refusal";

const ADOPT = {
  clientId: "3f8a1b2c-4d5e-4f60-8a71-92b3c4d5e6f7",
  applicationObjectId: "a1b2c3d4-1111-4222-8333-444455556666",
  servicePrincipalObjectId: "b1b2c3d4-1111-4222-8333-444455556666",
  exchangeServicePrincipalObjectId: "c1b2c3d4-1111-4222-8333-444455556666",
  consentAssignmentId: "LQPyyKBfgUO4Dkw7aRcnm3x0mjXKs_FMhqn3JY5OXGk",
  roleAssignmentId: "ePROZI_iKE653D_d6aoLHyr-lKgHI8ZGiIdz8CLVcng-1",
};

// Microsoft Learn, "Verify first-party Microsoft applications in sign-in reports".
const EXCHANGE_ONLINE = "00000002-0000-0ff1-ce00-000000000000";
const GRAPH = "00000003-0000-0000-c000-000000000000";
const EOP = "00000007-0000-0ff1-ce00-000000000000";
const SHAREPOINT = "00000003-0000-0ff1-ce00-000000000000";
const TEAMS = "1fec8e78-bce4-4aaf-ab1b-5451cc387264";
const AZURE_CLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
// FACTS.md: Exchange.ManageAsApp's app role id; Exchange Administrator's role template id.
const MANAGE_AS_APP = "dc50a0fb-09a3-484d-be87-e023b12c6440";
const EXCHANGE_ADMINISTRATOR = "29232cdf-9323-42fd-ade2-1d097af3e4de";
const GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
const MICROSOFT_SERVICES_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

describe("the first-party list is one list, Microsoft's", () => {
  it.each([
    [EXCHANGE_ONLINE, "Office 365 Exchange Online"],
    [GRAPH, "Microsoft Graph"],
    [EOP, "Microsoft Exchange Online Protection"],
    [SHAREPOINT, "Office 365 SharePoint Online"],
    [TEAMS, "Microsoft Teams"],
  ])("%s is %s", (id, name) => {
    expect(FIRST_PARTY_APPS.get(id)).toBe(name);
  });

  it("the policy pack refuses a managed principal of any app on it, not only the three it used to know", async () => {
    const violations = await check(noFirstPartyPrincipal, [resource(TYPES.servicePrincipal, "sp", { clientId: SHAREPOINT }), resource(TYPES.servicePrincipal, "cli", { clientId: AZURE_CLI.toUpperCase() })]);
    expect(violations.map((v) => v.message)).toEqual([expect.stringContaining("Office 365 SharePoint Online's own service principal"), expect.stringContaining("Microsoft Azure CLI's own service principal")]);
  });
});

describe("a Microsoft app is never adopted", () => {
  it.each([
    ["Exchange Online", EXCHANGE_ONLINE, "Office 365 Exchange Online"],
    ["Graph", GRAPH, "Microsoft Graph"],
    ["EOP", EOP, "Microsoft Exchange Online Protection"],
    ["SharePoint", SHAREPOINT, "Office 365 SharePoint Online"],
    ["Teams, in capitals", TEAMS.toUpperCase(), "Microsoft Teams"],
  ])("%s as adopt.clientId", async (_label, clientId, name) => {
    const issue = await refusedAt({ adopt: { ...ADOPT, clientId } }, "adopt.clientId");
    expect(issue.value).toBe(JSON.stringify(clientId.toLowerCase()));
    expect(issue.message).toMatch(new RegExp(`is Microsoft's own ${name} \\(a first-party application\\): a stack never adopts`));
    expect(issue.message).toMatch(/adopt\.clientId takes the app's Application \(client\) ID\. Find it: Entra admin center → App registrations/);
  });
});

describe("an id of the wrong kind in an import-id field", () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["Exchange.ManageAsApp's app role id as consentAssignmentId", { consentAssignmentId: MANAGE_AS_APP }, "adopt.consentAssignmentId", /is the id of the app role Exchange\.ManageAsApp on Office 365 Exchange Online .*not an assignment: consentAssignmentId takes an app role assignment id .*43 letters, digits, - and _, not a GUID.*Find it: az rest --url https:\/\/graph\.microsoft\.com\/v1\.0\/servicePrincipals\/<servicePrincipalObjectId>\/appRoleAssignments/],
    ["Exchange Administrator's template id as roleAssignmentId", { roleAssignmentId: EXCHANGE_ADMINISTRATOR }, "adopt.roleAssignmentId", /is the role template id of Exchange Administrator .*not an assignment: roleAssignmentId takes a directory role assignment id .*usually ending -1.*Find it: az rest .*roleManagement\/directory\/roleAssignments/],
    ["Global Reader's template id as consentAssignmentId", { consentAssignmentId: GLOBAL_READER }, "adopt.consentAssignmentId", /is the role template id of Global Reader/],
    ["the app's own service principal id as roleAssignmentId", { roleAssignmentId: ADOPT.servicePrincipalObjectId }, "adopt.roleAssignmentId", /is a GUID, and roleAssignmentId takes a directory role assignment id .*\(the GUIDs beside it are the role's template id \(roleDefinitionId\) and the app's service principal \(principalId\)\)/],
    ["a GUID as consentAssignmentId", { consentAssignmentId: "9f8e7d6c-1111-4222-8333-444455556666" }, "adopt.consentAssignmentId", /is a GUID, and consentAssignmentId takes an app role assignment id/],
    ["a truncated consent id", { consentAssignmentId: ADOPT.consentAssignmentId.slice(0, 40) }, "adopt.consentAssignmentId", /must be an app role assignment id/],
    ["a role assignment id without its suffix, cut short", { roleAssignmentId: "ePROZI_iKE653D_d6aoLHyr" }, "adopt.roleAssignmentId", /must be a directory role assignment id/],
    ["Exchange Online's client id as its service principal's object id", { exchangeServicePrincipalObjectId: EXCHANGE_ONLINE }, "adopt.exchangeServicePrincipalObjectId", /is the application \(client\) id of Microsoft's Office 365 Exchange Online, the same in every tenant, not the Object ID of Office 365 Exchange Online's service principal in this tenant.*Find it: az ad sp show --id 00000002-0000-0ff1-ce00-000000000000 --query id -o tsv/],
    ["Graph's client id as the app's service principal", { servicePrincipalObjectId: GRAPH }, "adopt.servicePrincipalObjectId", /is the application \(client\) id of Microsoft's Microsoft Graph.*Find it: az ad sp show --id <clientId>/],
    ["an app role id as the app registration's object id", { applicationObjectId: MANAGE_AS_APP }, "adopt.applicationObjectId", /is the id of the app role Exchange\.ManageAsApp.*not the app registration's Object ID/],
    ["Microsoft's tenant as an object id", { applicationObjectId: MICROSOFT_SERVICES_TENANT }, "adopt.applicationObjectId", /is the tenant id of Microsoft Services, Microsoft's own tenant/],
    ["the app's principal as Exchange Online's", { exchangeServicePrincipalObjectId: ADOPT.servicePrincipalObjectId }, "adopt.exchangeServicePrincipalObjectId", /is the same GUID as adopt\.servicePrincipalObjectId/],
  ])("%s", async (_label, change, key, why) => {
    const issue = await refusedAt({ adopt: { ...ADOPT, ...change } }, key);
    expect(issue.message).toMatch(why);
  });

  it("the tenant's own id in an assignment field is no assignment id either", async () => {
    const issue = await refusedAt({ adopt: { ...ADOPT, roleAssignmentId: "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7" } }, "adopt.roleAssignmentId");
    expect(issue.message).toMatch(/is a GUID, and roleAssignmentId takes/);
  });

  it("the right shapes pass, and flow into the import ids", async () => {
    const run = await evaluate({ adopt: ADOPT });
    expect(run.one(T.appRoleAssignment).importId).toBe(`/servicePrincipals/${ADOPT.exchangeServicePrincipalObjectId}/appRoleAssignedTo/${ADOPT.consentAssignmentId}`);
    expect(run.one(T.directoryRoleAssignment).importId).toBe(ADOPT.roleAssignmentId);
  });
});

describe("a well-known GUID is no object of the tenant wherever an id is placed", () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["a role template id as an owner", { owners: [EXCHANGE_ADMINISTRATOR] }, "owners[0]", /is the role template id of Exchange Administrator .*not an owner's Object ID/],
    ["Exchange Online's client id as a managed identity's principal", { managedIdentity: { kind: "existing", principalId: EXCHANGE_ONLINE } }, "managedIdentity.principalId", /Office 365 Exchange Online.*not the identity's Object \(principal\) ID/],
    ["Graph's client id as a managed identity's client id", { managedIdentity: { kind: "existing", principalId: "5a6b7c8d-1111-4222-8333-444455556666", clientId: GRAPH } }, "managedIdentity.clientId", /Microsoft Graph.*not the identity's Client ID/],
    ["an app role id as a vault reader", { clientSecret: true, keyVault: { name: "contoso-exo-kv", resourceGroup: "rg", location: "westeurope", readers: [MANAGE_AS_APP] } }, "keyVault.readers[0]", /app role Exchange\.ManageAsApp/],
    ["a Microsoft app as the tenant", { tenantId: EXCHANGE_ONLINE }, "tenantId", /is the application \(client\) id of Microsoft's Office 365 Exchange Online/],
  ])("%s", async (_label, overrides, key, why) => {
    expect((await refusedAt(overrides, key)).message).toMatch(why);
  });

  it("knows every id it is asked about by what it is", () => {
    expect(wellKnownId(MANAGE_AS_APP.toUpperCase())?.kind).toBe("appRole");
    expect(wellKnownId("455e5cd2-84e8-4751-8344-5672145dfa17")?.is).toMatch(/Exchange Online Protection/);
    expect(wellKnownId("4633458b-17de-408a-b874-0445c86b69e6")?.is).toMatch(/Key Vault Secrets User/);
    expect(wellKnownId("0a1b2c3d-1111-4222-8333-444455556666")).toBeUndefined();
  });
});
