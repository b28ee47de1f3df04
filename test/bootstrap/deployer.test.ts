/** The bootstrap program under mocks: which ids flow where, the federated subjects, the permission switch. */
import { checkPlan } from "../../policy/plan";
import { TYPE } from "../../src/facts/typeTokens";
import { roleIdsByValue } from "../../bootstrap/identity";
import { MANAGE_AS_APP_ROLE } from "../../src/facts";
import { CALLER_OBJECT_ID, EXCHANGE_APP_ID, EXCHANGE_SP_OBJECT_ID, GRAPH_APP_ID, GRAPH_APP_ROLE_IDS, GRAPH_SP_OBJECT_ID, refused, runBootstrap, TENANT_ID } from "./run";

const FIC = TYPE.federatedCredential;
type Run = Awaited<ReturnType<typeof runBootstrap>>;
/** The resources one identity (`deployer` or `preview`) is made of. */
const of = (run: Run, identity: string, type: string) => run.ofType(type).filter((r) => r.name === identity || r.name.startsWith(`${identity}-`));

describe("the deploying identity and the preview identity, wired", () => {
  let run: Run;
  beforeAll(async () => {
    run = await runBootstrap({ repository: "contoso/exchange-app-only" });
  });

  it("deployer: an app, its service principal, two federated credentials, four consents; preview: the same with one and one", () => {
    const count = (identity: string) => [TYPE.application, TYPE.servicePrincipal, FIC, TYPE.appRoleAssignment].map((type) => of(run, identity, type).length);
    expect(count("deployer")).toEqual([1, 1, 2, 4]);
    expect(count("preview")).toEqual([1, 1, 1, 1]);
    expect(run.resources).toHaveLength(12); // nothing else
  });

  it("looks Microsoft Graph's service principal up by appId and never manages it", () => {
    expect(run.calls.filter((c) => c.token === "azuread:index/getServicePrincipal:getServicePrincipal").map((c) => c.inputs.clientId)).toEqual([GRAPH_APP_ID]);
    expect(run.ofType(TYPE.servicePrincipal).map((r) => r.inputs.clientId)).not.toContain(GRAPH_APP_ID);
  });

  it.each(["deployer", "preview"])("%s: the service principal is its app's; the caller owns both", (identity) => {
    const [app] = of(run, identity, TYPE.application);
    const [sp] = of(run, identity, TYPE.servicePrincipal);
    expect(app!.inputs).toMatchObject({ signInAudience: "AzureADMyOrg", owners: [CALLER_OBJECT_ID] });
    expect(sp!.inputs).toMatchObject({ clientId: identity === "deployer" ? run.outputs.clientId : run.outputs.previewClientId, owners: [CALLER_OBJECT_ID] });
  });

  it("each deployer consent grants one Graph app role, found by value, to the deployer's service principal on Graph's", () => {
    const consents = of(run, "deployer", TYPE.appRoleAssignment);
    expect(consents.map((c) => [c.name, c.inputs.appRoleId])).toEqual([
      ["deployer-graph-application-readwrite-ownedby", GRAPH_APP_ROLE_IDS["Application.ReadWrite.OwnedBy"]],
      ["deployer-graph-application-read-all", GRAPH_APP_ROLE_IDS["Application.Read.All"]],
      ["deployer-graph-approleassignment-readwrite-all", GRAPH_APP_ROLE_IDS["AppRoleAssignment.ReadWrite.All"]],
      ["deployer-graph-rolemanagement-readwrite-directory", GRAPH_APP_ROLE_IDS["RoleManagement.ReadWrite.Directory"]],
    ]);
    for (const consent of consents) expect(consent.inputs).toMatchObject({ principalObjectId: run.outputs.servicePrincipalObjectId, resourceObjectId: GRAPH_SP_OBJECT_ID });
  });

  it("the preview identity can only read: Application.Read.All, to its own service principal", () => {
    const [consent] = of(run, "preview", TYPE.appRoleAssignment);
    const [sp] = of(run, "preview", TYPE.servicePrincipal);
    expect(consent!.inputs).toMatchObject({ appRoleId: GRAPH_APP_ROLE_IDS["Application.Read.All"], resourceObjectId: GRAPH_SP_OBJECT_ID });
    expect(consent!.inputs.principalObjectId).not.toBe(run.outputs.servicePrincipalObjectId);
    expect(sp!.urn).not.toBe(of(run, "deployer", TYPE.servicePrincipal)[0]!.urn);
  });

  it("each app lists its Graph roles under API permissions", () => {
    for (const identity of ["deployer", "preview"]) {
      const [app] = of(run, identity, TYPE.application);
      expect(app!.inputs.requiredResourceAccesses).toEqual([
        { resourceAppId: GRAPH_APP_ID, resourceAccesses: of(run, identity, TYPE.appRoleAssignment).map((c) => ({ id: c.inputs.appRoleId, type: "Role" })) },
      ]);
    }
  });

  it("federated credentials: main and the destroy environment on the deployer, pull requests on the preview app", () => {
    const subjects = (identity: string) => of(run, identity, FIC).map((f) => [f.inputs.displayName, f.inputs.subject]);
    expect(subjects("deployer")).toEqual([
      ["github-contoso-exchange-app-only-branch-main", "repo:contoso/exchange-app-only:ref:refs/heads/main"],
      ["github-contoso-exchange-app-only-env-exo-app-only-destroy", "repo:contoso/exchange-app-only:environment:exo-app-only-destroy"],
    ]);
    expect(subjects("preview")).toEqual([["github-contoso-exchange-app-only-pull-request", "repo:contoso/exchange-app-only:pull_request"]]);
    const applicationIds = new Set(of(run, "deployer", FIC).map((f) => f.inputs.applicationId));
    expect(applicationIds.size).toBe(1);
    expect(of(run, "preview", FIC)[0]!.inputs.applicationId).not.toBe([...applicationIds][0]);
    for (const fic of run.ofType(FIC)) {
      expect(fic.inputs).toMatchObject({ issuer: "https://token.actions.githubusercontent.com", audiences: ["api://AzureADTokenExchange"] });
    }
  });

  it("outputs the client ids, the tenant id and the repository variables the workflows read", () => {
    const clientId = run.outputs.clientId as string;
    const previewClientId = run.outputs.previewClientId as string;
    expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(previewClientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(previewClientId).not.toBe(clientId);
    expect(run.outputs).toMatchObject({
      tenantId: TENANT_ID,
      repositoryVariables: { ARM_CLIENT_ID: clientId, ARM_TENANT_ID: TENANT_ID, ARM_PREVIEW_CLIENT_ID: previewClientId },
      graphPermissions: ["Application.ReadWrite.OwnedBy", "Application.Read.All", "AppRoleAssignment.ReadWrite.All", "RoleManagement.ReadWrite.Directory"],
      federatedSubjects: ["repo:contoso/exchange-app-only:ref:refs/heads/main", "repo:contoso/exchange-app-only:environment:exo-app-only-destroy"],
      previewFederatedSubjects: ["repo:contoso/exchange-app-only:pull_request"],
    });
    expect(run.outputs.setRepositoryVariables).toBe(
      [
        `gh variable set ARM_CLIENT_ID --repo contoso/exchange-app-only --body ${clientId}`,
        `gh variable set ARM_TENANT_ID --repo contoso/exchange-app-only --body ${TENANT_ID}`,
        `gh variable set ARM_PREVIEW_CLIENT_ID --repo contoso/exchange-app-only --body ${previewClientId}`,
      ].join("\n"),
    );
    expect(run.secretOutputs).toEqual([]);
  });

  it("passes the project's own policy pack (no first-party principal managed, no directory role)", async () => {
    expect(await checkPlan(run.resources, { stack: "tenant" })).toEqual([]);
  });
});

describe("the federated subjects follow the config", () => {
  it("several branches and environments; pull requests as the deployer (no preview app)", async () => {
    const run = await runBootstrap({ repository: "fabrikam/exo", branches: ["main", "release/2026"], environments: ["production", "staging"], pullRequest: "deployer" });
    expect(run.outputs.federatedSubjects).toEqual([
      "repo:fabrikam/exo:ref:refs/heads/main",
      "repo:fabrikam/exo:ref:refs/heads/release/2026",
      "repo:fabrikam/exo:pull_request",
      "repo:fabrikam/exo:environment:production",
      "repo:fabrikam/exo:environment:staging",
    ]);
    expect(run.ofType(FIC).map((f) => f.name)).toEqual([
      "deployer-github-fabrikam-exo-branch-main",
      "deployer-github-fabrikam-exo-branch-release-2026",
      "deployer-github-fabrikam-exo-pull-request",
      "deployer-github-fabrikam-exo-env-production",
      "deployer-github-fabrikam-exo-env-staging",
    ]);
    expect(run.outputs.previewClientId).toBeUndefined();
    expect(run.outputs.repositoryVariables).not.toHaveProperty("ARM_PREVIEW_CLIENT_ID");
  });

  it("pullRequest: none makes no pull-request subject anywhere", async () => {
    const run = await runBootstrap({ repository: "fabrikam/exo", pullRequest: "none", environments: [] });
    expect(run.ofType(FIC).map((f) => f.inputs.subject)).toEqual(["repo:fabrikam/exo:ref:refs/heads/main"]);
    expect(run.ofType(TYPE.application)).toHaveLength(1);
  });
});

describe("a repository on GitHub's immutable subjects", () => {
  it("repository: owner@owner_id/repo@repo_id gives exactly GitHub's immutable subjects; gh still gets owner/repo", async () => {
    const run = await runBootstrap({ repository: "contoso@5544123/exchange-app-only@821093847" });
    expect(run.outputs.federatedSubjects).toEqual([
      "repo:contoso@5544123/exchange-app-only@821093847:ref:refs/heads/main",
      "repo:contoso@5544123/exchange-app-only@821093847:environment:exo-app-only-destroy",
    ]);
    expect(run.outputs.previewFederatedSubjects).toEqual(["repo:contoso@5544123/exchange-app-only@821093847:pull_request"]);
    expect(of(run, "deployer", FIC).map((f) => f.inputs.displayName)).toEqual([
      "github-contoso_5544123-exchange-app-only_821093847-branch-main",
      "github-contoso_5544123-exchange-app-only_821093847-env-exo-app-only-destroy",
    ]);
    expect(String(run.outputs.setRepositoryVariables).split("\n").map((line) => line.split(" --body ")[0])).toEqual([
      "gh variable set ARM_CLIENT_ID --repo contoso/exchange-app-only",
      "gh variable set ARM_TENANT_ID --repo contoso/exchange-app-only",
      "gh variable set ARM_PREVIEW_CLIENT_ID --repo contoso/exchange-app-only",
    ]);
  });

  it("keepNameOnlySubjects: both forms side by side on each app, distinct names; dropping it removes only the name-only ones", async () => {
    const repository = "contoso@5544123/exchange-app-only@821093847";
    const both = await runBootstrap({ repository, keepNameOnlySubjects: true });
    expect(of(both, "deployer", FIC).map((f) => [f.inputs.displayName, f.inputs.subject])).toEqual([
      ["github-contoso_5544123-exchange-app-only_821093847-branch-main", "repo:contoso@5544123/exchange-app-only@821093847:ref:refs/heads/main"],
      ["github-contoso_5544123-exchange-app-only_821093847-env-exo-app-only-destroy", "repo:contoso@5544123/exchange-app-only@821093847:environment:exo-app-only-destroy"],
      ["github-contoso-exchange-app-only-branch-main", "repo:contoso/exchange-app-only:ref:refs/heads/main"],
      ["github-contoso-exchange-app-only-env-exo-app-only-destroy", "repo:contoso/exchange-app-only:environment:exo-app-only-destroy"],
    ]);
    expect(of(both, "preview", FIC).map((f) => f.inputs.subject)).toEqual(["repo:contoso@5544123/exchange-app-only@821093847:pull_request", "repo:contoso/exchange-app-only:pull_request"]);
    // Before: the name-only credentials the bootstrap made so far. After the switch: the immutable ones only. The
    // credentials both runs declare keep their URNs, so an update adds or removes, never replaces, a working one.
    const before = (await runBootstrap({ repository: "contoso/exchange-app-only" })).ofType(FIC).map((f) => f.urn);
    const after = (await runBootstrap({ repository })).ofType(FIC).map((f) => f.urn);
    const during = both.ofType(FIC).map((f) => f.urn);
    expect(before.every((urn) => during.includes(urn))).toBe(true);
    expect(after.every((urn) => during.includes(urn))).toBe(true);
    expect(during).toHaveLength(before.length + after.length);
  });
});

describe("applicationPermission switches Application.ReadWrite.OwnedBy for Application.ReadWrite.All", () => {
  it("All: three permissions; OwnedBy and Application.Read.All (which ReadWrite.All includes) are gone", async () => {
    const run = await runBootstrap({ repository: "contoso/exo", applicationPermission: "All" });
    expect(run.outputs.graphPermissions).toEqual(["Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "RoleManagement.ReadWrite.Directory"]);
    expect(of(run, "deployer", TYPE.appRoleAssignment).map((c) => c.inputs.appRoleId)).toEqual([
      GRAPH_APP_ROLE_IDS["Application.ReadWrite.All"],
      GRAPH_APP_ROLE_IDS["AppRoleAssignment.ReadWrite.All"],
      GRAPH_APP_ROLE_IDS["RoleManagement.ReadWrite.Directory"],
    ]);
  });

  it("switching keeps the shared consents' names (only the application permission is replaced)", async () => {
    const urns = async (values: Record<string, unknown>) => of(await runBootstrap(values), "deployer", TYPE.appRoleAssignment).map((c) => c.urn);
    const ownedBy = await urns({ repository: "contoso/exo" });
    const all = await urns({ repository: "contoso/exo", applicationPermission: "Application.ReadWrite.All" });
    expect(all.filter((urn) => ownedBy.includes(urn))).toHaveLength(2);
  });

  it("a tenant whose Graph lacks a role fails naming it", () => {
    expect(() => roleIdsByValue({ "Application.Read.All": "x" }, ["Application.Read.All", "RoleManagement.ReadWrite.Directory"])).toThrow(
      /has no app role RoleManagement\.ReadWrite\.Directory: check that `az login` went to the right tenant and cloud/,
    );
  });
});

describe("the auditor (auditor: true): reads only, signs in from the branches, joins Exchange's view-only role", () => {
  let run: Run;
  beforeAll(async () => {
    run = await runBootstrap({ repository: "contoso/exchange-app-only", auditor: true });
  });

  it("an app, its service principal, one federated credential a branch, two Graph read consents and Exchange.ManageAsApp", () => {
    const count = [TYPE.application, TYPE.servicePrincipal, FIC, TYPE.appRoleAssignment].map((type) => of(run, "auditor", type).length);
    expect(count).toEqual([1, 1, 1, 3]);
    expect(of(run, "auditor", FIC).map((f) => f.inputs.subject)).toEqual(["repo:contoso/exchange-app-only:ref:refs/heads/main"]);
    expect(run.outputs.auditorFederatedSubjects).toEqual(["repo:contoso/exchange-app-only:ref:refs/heads/main"]);
  });

  it("its consents: Application.Read.All and RoleManagement.Read.Directory on Graph, Exchange.ManageAsApp on Exchange's looked-up principal, all to its own service principal", () => {
    const [sp] = of(run, "auditor", TYPE.servicePrincipal);
    const consents = of(run, "auditor", TYPE.appRoleAssignment).map((c) => [c.name, c.inputs.appRoleId, c.inputs.resourceObjectId]);
    expect(consents.sort()).toEqual([
      ["auditor-exchange-manageasapp", MANAGE_AS_APP_ROLE.id, EXCHANGE_SP_OBJECT_ID],
      ["auditor-graph-application-read-all", GRAPH_APP_ROLE_IDS["Application.Read.All"], GRAPH_SP_OBJECT_ID],
      ["auditor-graph-rolemanagement-read-directory", GRAPH_APP_ROLE_IDS["RoleManagement.Read.Directory"], GRAPH_SP_OBJECT_ID],
    ]);
    for (const c of of(run, "auditor", TYPE.appRoleAssignment)) expect(c.inputs.principalObjectId).toBe(run.outputs.auditorServicePrincipalObjectId);
    expect(sp!.inputs.clientId).toBe(run.outputs.auditorClientId);
    // Nothing that writes, and no directory role.
    expect(run.outputs.auditorGraphPermissions).toEqual(["Application.Read.All", "RoleManagement.Read.Directory"]);
    expect(run.ofType(TYPE.directoryRoleAssignment)).toHaveLength(0);
    expect(run.ofType(TYPE.servicePrincipal).map((r) => r.inputs.clientId)).not.toContain(EXCHANGE_APP_ID);
  });

  it("Exchange's view-only role: its principal registered in Exchange, a custom role group holding View-Only Configuration, it a member", () => {
    const clientId = run.outputs.auditorClientId as string;
    const sp = run.outputs.auditorServicePrincipalObjectId as string;
    const [principal] = run.ofType(TYPE.exchangeServicePrincipal);
    const [group] = run.ofType(TYPE.exchangeRoleGroup);
    const [member] = run.ofType(TYPE.exchangeRoleGroupMember);
    expect(principal!.inputs).toMatchObject({ tenantId: TENANT_ID, environment: "public", appId: clientId, objectId: sp, displayName: "exchange-app-only deployer (auditor)" });
    expect(group!.inputs).toMatchObject({ tenantId: TENANT_ID, name: "exo-app-only auditor (view-only)", roles: ["View-Only Configuration"] });
    expect(member!.inputs).toMatchObject({ tenantId: TENANT_ID, appId: clientId, servicePrincipalObjectId: sp, roleGroup: "exo-app-only auditor (view-only)" });
    expect(run.ofType(TYPE.exchangeRoleAssignment)).toHaveLength(0);
    expect(run.outputs.auditorExchangeRoleGroup).toBe("exo-app-only auditor (view-only)");
  });

  it("outputs the repository variable the drift workflow reads", () => {
    const clientId = run.outputs.auditorClientId as string;
    expect(run.outputs.repositoryVariables).toMatchObject({ EXO_AUDITOR_CLIENT_ID: clientId });
    expect(String(run.outputs.setRepositoryVariables).split("\n")).toContain(`gh variable set EXO_AUDITOR_CLIENT_ID --repo contoso/exchange-app-only --body ${clientId}`);
  });

  it("passes the project's policy pack; without auditor: true nothing of it exists", async () => {
    expect(await checkPlan(run.resources, { stack: "tenant" })).toEqual([]);
    const without = await runBootstrap({ repository: "contoso/exchange-app-only" });
    expect(of(without, "auditor", TYPE.application)).toHaveLength(0);
    expect(without.outputs.auditorClientId).toBeUndefined();
  });

  it("auditor: yes is refused naming the key and the fix", async () => {
    const { error, created } = await refused({ repository: "contoso/exo", auditor: "yes" });
    expect(String((error as Error).message)).toMatch(/auditor.*"yes".*must be true or false/s);
    expect(created).toEqual([]);
  });
});
