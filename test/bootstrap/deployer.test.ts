/** The bootstrap program under mocks: which ids flow where, the federated subjects, the permission switch. */
import { checkPlan } from "../../policy/plan";
import { TYPE } from "../../src/mocks/typeTokens";
import { roleIdsByValue } from "../../bootstrap/deployer";
import { CALLER_OBJECT_ID, GRAPH_APP_ID, GRAPH_APP_ROLE_IDS, GRAPH_SP_OBJECT_ID, runBootstrap, TENANT_ID } from "./run";

const FIC = TYPE.federatedCredential;

describe("the deploying identity, wired", () => {
  let run: Awaited<ReturnType<typeof runBootstrap>>;
  beforeAll(async () => {
    run = await runBootstrap({ repository: "contoso/exchange-app-only" });
  });

  it("creates one app, its service principal, three federated credentials and four consents; nothing else", () => {
    expect(run.resources.map((r) => r.type).sort()).toEqual(
      [TYPE.application, TYPE.servicePrincipal, FIC, FIC, FIC, TYPE.appRoleAssignment, TYPE.appRoleAssignment, TYPE.appRoleAssignment, TYPE.appRoleAssignment].sort(),
    );
  });

  it("looks Microsoft Graph's service principal up by appId and never manages it", () => {
    expect(run.calls.filter((c) => c.token === "azuread:index/getServicePrincipal:getServicePrincipal").map((c) => c.inputs.clientId)).toEqual([GRAPH_APP_ID]);
    expect(run.ofType(TYPE.servicePrincipal).map((r) => r.inputs.clientId)).not.toContain(GRAPH_APP_ID);
  });

  it("the service principal is the app's; the caller owns both", () => {
    const app = run.ofType(TYPE.application)[0]!;
    const sp = run.ofType(TYPE.servicePrincipal)[0]!;
    expect(app.inputs).toMatchObject({ displayName: "exchange-app-only deployer", signInAudience: "AzureADMyOrg", owners: [CALLER_OBJECT_ID] });
    expect(sp.inputs).toMatchObject({ clientId: run.outputs.clientId, owners: [CALLER_OBJECT_ID] });
  });

  it("each consent grants one Graph app role, found by value, to the app's service principal on Graph's", () => {
    const consents = run.ofType(TYPE.appRoleAssignment);
    expect(consents.map((c) => [c.name, c.inputs.appRoleId])).toEqual([
      ["deployer-graph-application-readwrite-ownedby", GRAPH_APP_ROLE_IDS["Application.ReadWrite.OwnedBy"]],
      ["deployer-graph-application-read-all", GRAPH_APP_ROLE_IDS["Application.Read.All"]],
      ["deployer-graph-approleassignment-readwrite-all", GRAPH_APP_ROLE_IDS["AppRoleAssignment.ReadWrite.All"]],
      ["deployer-graph-rolemanagement-readwrite-directory", GRAPH_APP_ROLE_IDS["RoleManagement.ReadWrite.Directory"]],
    ]);
    for (const consent of consents) expect(consent.inputs).toMatchObject({ principalObjectId: run.outputs.servicePrincipalObjectId, resourceObjectId: GRAPH_SP_OBJECT_ID });
  });

  it("the app lists the same Graph roles under API permissions", () => {
    const app = run.ofType(TYPE.application)[0]!;
    expect(app.inputs.requiredResourceAccesses).toEqual([
      { resourceAppId: GRAPH_APP_ID, resourceAccesses: run.ofType(TYPE.appRoleAssignment).map((c) => ({ id: c.inputs.appRoleId, type: "Role" })) },
    ]);
  });

  it("federated credentials for the main branch, pull requests and the production environment, on the app", () => {
    const fics = run.ofType(FIC);
    const appId = fics[0]!.inputs.applicationId;
    expect(appId).toMatch(/^\/applications\/[0-9a-f-]{36}$/);
    expect(fics.map((f) => [f.inputs.displayName, f.inputs.subject])).toEqual([
      ["github-contoso-exchange-app-only-branch-main", "repo:contoso/exchange-app-only:ref:refs/heads/main"],
      ["github-contoso-exchange-app-only-pull-request", "repo:contoso/exchange-app-only:pull_request"],
      ["github-contoso-exchange-app-only-env-production", "repo:contoso/exchange-app-only:environment:production"],
    ]);
    for (const fic of fics) {
      expect(fic.inputs).toMatchObject({ applicationId: appId, issuer: "https://token.actions.githubusercontent.com", audiences: ["api://AzureADTokenExchange"] });
    }
  });

  it("outputs the client id, the tenant id and the repository variables the workflows read", () => {
    const clientId = run.outputs.clientId as string;
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(run.outputs).toMatchObject({
      tenantId: TENANT_ID,
      repositoryVariables: { ARM_CLIENT_ID: clientId, ARM_TENANT_ID: TENANT_ID },
      graphPermissions: ["Application.ReadWrite.OwnedBy", "Application.Read.All", "AppRoleAssignment.ReadWrite.All", "RoleManagement.ReadWrite.Directory"],
      federatedSubjects: ["repo:contoso/exchange-app-only:ref:refs/heads/main", "repo:contoso/exchange-app-only:pull_request", "repo:contoso/exchange-app-only:environment:production"],
      setRepositoryVariables: `gh variable set ARM_CLIENT_ID --repo contoso/exchange-app-only --body ${clientId} && gh variable set ARM_TENANT_ID --repo contoso/exchange-app-only --body ${TENANT_ID}`,
    });
    expect(run.secretOutputs).toEqual([]);
  });

  it("passes the project's own policy pack (no first-party principal managed, no directory role)", async () => {
    expect(await checkPlan(run.resources, { stack: "tenant" })).toEqual([]);
  });
});

describe("the federated subjects follow the config", () => {
  it("several branches and environments, no pull requests", async () => {
    const run = await runBootstrap({ repository: "fabrikam/exo", branches: ["main", "release/2026"], environments: ["production", "staging"], pullRequest: "false" });
    expect(run.outputs.federatedSubjects).toEqual([
      "repo:fabrikam/exo:ref:refs/heads/main",
      "repo:fabrikam/exo:ref:refs/heads/release/2026",
      "repo:fabrikam/exo:environment:production",
      "repo:fabrikam/exo:environment:staging",
    ]);
    expect(run.ofType(FIC).map((f) => f.name)).toEqual([
      "deployer-github-fabrikam-exo-branch-main",
      "deployer-github-fabrikam-exo-branch-release-2026",
      "deployer-github-fabrikam-exo-env-production",
      "deployer-github-fabrikam-exo-env-staging",
    ]);
  });

  it("pull requests only (no branch, no environment)", async () => {
    const run = await runBootstrap({ repository: "fabrikam/exo", branches: [], environments: [] });
    expect(run.outputs.federatedSubjects).toEqual(["repo:fabrikam/exo:pull_request"]);
  });
});

describe("applicationPermission switches Application.ReadWrite.OwnedBy for Application.ReadWrite.All", () => {
  it("All: three permissions; OwnedBy and Application.Read.All (which ReadWrite.All includes) are gone", async () => {
    const run = await runBootstrap({ repository: "contoso/exo", applicationPermission: "All" });
    expect(run.outputs.graphPermissions).toEqual(["Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "RoleManagement.ReadWrite.Directory"]);
    expect(run.ofType(TYPE.appRoleAssignment).map((c) => c.inputs.appRoleId)).toEqual([
      GRAPH_APP_ROLE_IDS["Application.ReadWrite.All"],
      GRAPH_APP_ROLE_IDS["AppRoleAssignment.ReadWrite.All"],
      GRAPH_APP_ROLE_IDS["RoleManagement.ReadWrite.Directory"],
    ]);
  });

  it("switching keeps the shared consents' names (only the application permission is replaced)", async () => {
    const ownedBy = (await runBootstrap({ repository: "contoso/exo" })).ofType(TYPE.appRoleAssignment).map((c) => c.urn);
    const all = (await runBootstrap({ repository: "contoso/exo", applicationPermission: "Application.ReadWrite.All" })).ofType(TYPE.appRoleAssignment).map((c) => c.urn);
    expect(all.filter((urn) => ownedBy.includes(urn))).toHaveLength(2);
  });

  it("a tenant whose Graph lacks a role fails naming it", () => {
    expect(() => roleIdsByValue({ "Application.Read.All": "x" }, ["Application.Read.All", "RoleManagement.ReadWrite.Directory"])).toThrow(
      /has no app role RoleManagement\.ReadWrite\.Directory: check that `az login` went to the right tenant and cloud/,
    );
  });
});
