/**
 * Managed identities (issue 9, the program's side): a user-assigned identity or an Automation account made in the
 * tenant's Azure cloud, or one that exists, granted Exchange access through the same grant an app gets; no app
 * registration, no secret. azure-native is imported by submodule only.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../src/errors";
import { EXCHANGE_ROLES, MANAGE_AS_APP_ROLE } from "../../src/facts";
import { evaluate, T } from "../support/evaluate";
import { TENANT_ID } from "../support/stackConfig";

const WHERE = { resourceGroup: "rg-exchange", location: "westeurope" };
const PRINCIPAL = "5a6b7c8d-1111-4222-8333-444455556666";
const CLIENT = "9e8d7c6b-1111-4222-8333-444455556666";

describe("a managed identity instead of an app registration", () => {
  it("user-assigned: the identity's principal id flows into consent and role; no app, no credential, no in-up check", async () => {
    const run = await evaluate({ managedIdentity: { kind: "userAssigned", name: "exo-runner", ...WHERE } });
    const identity = run.one(T.userAssignedIdentity);
    expect(identity.inputs).toMatchObject({ resourceName: "exo-runner", resourceGroupName: "rg-exchange", location: "westeurope" });
    const outputs = run.outputs as { managedIdentity: { principalId: string; clientId: string; kind: string }; connectExchangeOnline: { managedIdentity: string } };
    expect(run.one(T.appRoleAssignment).inputs).toMatchObject({ principalObjectId: outputs.managedIdentity.principalId, appRoleId: MANAGE_AS_APP_ROLE.id });
    expect(run.one(T.directoryRoleAssignment).inputs).toMatchObject({ principalObjectId: outputs.managedIdentity.principalId, roleId: EXCHANGE_ROLES[0]!.templateId });
    for (const type of [T.application, T.servicePrincipal, T.certificate, T.password, T.privateKey, T.check]) expect(run.ofType(type)).toEqual([]);
    // The connect line names the client id, never the principal id.
    expect(outputs.managedIdentity.clientId).not.toBe(outputs.managedIdentity.principalId);
    expect(outputs.connectExchangeOnline.managedIdentity).toBe(
      `Connect-ExchangeOnline -ManagedIdentity -Organization contoso.onmicrosoft.com -ManagedIdentityAccountId ${outputs.managedIdentity.clientId}`,
    );
  });

  it("its Azure resources go through the tenant's azure-native provider, in the tenant's Azure cloud; the grant through azuread", async () => {
    const run = await evaluate({ environment: "dod", organization: "contoso.onmicrosoft.us", managedIdentity: { kind: "userAssigned", name: "exo-runner", subscriptionId: "0b1c2d3e-1111-4222-8333-444455556666", ...WHERE, location: "usdodeast" } });
    const azure = run.one(T.azureProvider);
    expect(azure.name).toBe("exo-azure");
    expect(azure.inputs).toMatchObject({ tenantId: TENANT_ID, environment: "usgovernment", subscriptionId: "0b1c2d3e-1111-4222-8333-444455556666" });
    expect(run.one(T.userAssignedIdentity).provider).toBe(azure.urn);
    const azuread = run.one(T.provider);
    expect(run.one(T.appRoleAssignment).provider).toBe(azuread.urn);
    expect((run.outputs.connectExchangeOnline as { managedIdentity: string }).managedIdentity).toMatch(/ -ExchangeEnvironmentName O365USGovDoD$/);
  });

  it("Automation account: system-assigned identity granted, ExchangeOnlineManagement imported at the pinned version", async () => {
    const run = await evaluate({ managedIdentity: { kind: "automationAccount", name: "exo-automation", moduleVersion: "3.7.1", ...WHERE } });
    const account = run.one(T.automationAccount);
    expect(account.inputs).toMatchObject({ automationAccountName: "exo-automation", identity: { type: "SystemAssigned" }, location: "westeurope" });
    expect(run.one(T.powerShell72Module).inputs).toMatchObject({
      moduleName: "ExchangeOnlineManagement",
      automationAccountName: "exo-automation",
      contentLink: { uri: "https://www.powershellgallery.com/api/v2/package/ExchangeOnlineManagement/3.7.1" },
    });
    const outputs = run.outputs as { managedIdentity: { principalId: string; clientId?: string }; connectExchangeOnline: { managedIdentity: string } };
    expect(run.one(T.appRoleAssignment).inputs.principalObjectId).toBe(outputs.managedIdentity.principalId);
    expect(outputs.managedIdentity.principalId).toMatch(/^[0-9a-f-]{36}$/);
    // System-assigned: no client id, so no -ManagedIdentityAccountId.
    expect(outputs.managedIdentity.clientId).toBeUndefined();
    expect(outputs.connectExchangeOnline.managedIdentity).toBe("Connect-ExchangeOnline -ManagedIdentity -Organization contoso.onmicrosoft.com");
  });

  it("existing: only the grant, to the principal id given, and no Azure provider at all", async () => {
    const run = await evaluate({ managedIdentity: { kind: "existing", principalId: PRINCIPAL, clientId: CLIENT } });
    expect(run.ofType(T.azureProvider)).toEqual([]);
    expect(run.one(T.appRoleAssignment).inputs.principalObjectId).toBe(PRINCIPAL);
    expect(run.one(T.directoryRoleAssignment).inputs.principalObjectId).toBe(PRINCIPAL);
    expect((run.outputs.connectExchangeOnline as { managedIdentity: string }).managedIdentity).toContain(`-ManagedIdentityAccountId ${CLIENT}`);
  });

  it("works per tenant in a stack of many, beside app tenants", async () => {
    const run = await evaluate({
      tenantId: undefined,
      organization: undefined,
      tenants: [
        { key: "contoso", tenantId: TENANT_ID, organization: "contoso.onmicrosoft.com", managedIdentity: { kind: "existing", principalId: PRINCIPAL } },
        { key: "fabrikam", tenantId: "7a2e3d4c-5b6f-4a70-9b82-a3c4d5e6f708", organization: "fabrikam.onmicrosoft.com" },
      ],
    });
    expect(run.ofType(T.application).map((a) => a.name)).toEqual(["exo-fabrikam-registration-app"]);
    expect(run.ofType(T.appRoleAssignment).map((a) => [a.name, a.inputs.principalObjectId === PRINCIPAL])).toEqual([
      ["exo-contoso-exchange-consent", true],
      ["exo-fabrikam-exchange-consent", false],
    ]);
  });
});

describe("a managed identity with Exchange's own RBAC (exchangeRoles), least privilege without a directory role", () => {
  const REPORTING = [{ role: "View-Only Configuration" }];
  const stateOf = (run: Awaited<ReturnType<typeof evaluate>>, type: string) => run.one(type).inputs;

  it("user-assigned: Exchange registers the identity by its client id and principal id; role: none declares no directory role", async () => {
    const run = await evaluate({ role: "none", exchangeRoles: REPORTING, managedIdentity: { kind: "userAssigned", name: "exo-runner", ...WHERE } });
    const outputs = run.outputs as { managedIdentity: { principalId: string; clientId: string }; roleName: string; exchangeRoles: unknown };
    expect(stateOf(run, T.exchangeServicePrincipal)).toMatchObject({ appId: outputs.managedIdentity.clientId, objectId: outputs.managedIdentity.principalId, displayName: "exo-runner", tenantId: TENANT_ID });
    // The role in the stack's own role group, the identity's principal a member of it by its ObjectId (principal id).
    expect(stateOf(run, T.exchangeRoleGroup)).toMatchObject({ roles: ["View-Only Configuration"] });
    expect(stateOf(run, T.exchangeRoleGroupMember)).toMatchObject({ appId: outputs.managedIdentity.clientId, servicePrincipalObjectId: outputs.managedIdentity.principalId });
    expect(run.ofType(T.exchangeRoleAssignment)).toEqual([]);
    expect(run.ofType(T.directoryRoleAssignment)).toEqual([]);
    // Consent for Exchange.ManageAsApp is still needed: Exchange RBAC only says what the identity may do there.
    expect(stateOf(run, T.appRoleAssignment)).toMatchObject({ principalObjectId: outputs.managedIdentity.principalId });
    expect(outputs.roleName).toBe("none");
    expect(outputs.exchangeRoles).toEqual(REPORTING);
  });

  it("an Automation account's system-assigned identity: its app id is read from its service principal in the tenant", async () => {
    const run = await evaluate({ role: "none", exchangeRoles: REPORTING, managedIdentity: { kind: "automationAccount", name: "exo-automation", moduleVersion: "3.7.1", runbook: false, ...WHERE } });
    const outputs = run.outputs as { managedIdentity: { principalId: string; clientId?: string } };
    expect(outputs.managedIdentity.clientId).toBeUndefined();
    const sp = stateOf(run, T.exchangeServicePrincipal);
    expect(sp.objectId).toBe(outputs.managedIdentity.principalId);
    // The offline directory answers a lookup by object id with that principal's own app id, never the principal id.
    expect(sp.appId).toMatch(/^[0-9a-f-]{36}$/);
    expect(sp.appId).not.toBe(outputs.managedIdentity.principalId);
  });
});

describe("managed identity: bad input is refused before anything registers", () => {
  it.each<[string, unknown, string, RegExp]>([
    ["no location for a new identity", { kind: "userAssigned", name: "exo-runner", resourceGroup: "rg" }, "managedIdentity.location", /is required for managedIdentity kind userAssigned/],
    ["no resource group for a new Automation account", { kind: "automationAccount", name: "exo-automation", location: "westeurope", moduleVersion: "3.7.1" }, "managedIdentity.resourceGroup", /is required/],
    ["a module version that is not a version", { kind: "automationAccount", name: "exo-automation", moduleVersion: "latest", ...WHERE }, "managedIdentity.moduleVersion", /must be an exact version of ExchangeOnlineManagement, for example 3\.7\.1/],
    ["a principal id for an identity the stack creates", { kind: "userAssigned", name: "exo-runner", principalId: PRINCIPAL, ...WHERE }, "managedIdentity.principalId", /comes from the identity the stack creates/],
    ["the same GUID as principal and client id", { kind: "existing", principalId: PRINCIPAL, clientId: PRINCIPAL }, "managedIdentity.clientId", /one of them is the other id/],
    ["a principal id that is not a GUID", { kind: "existing", principalId: "exo-runner" }, "managedIdentity.principalId", /is not a GUID; it takes the identity's Object \(principal\) ID/],
    ["a location on an existing identity", { kind: "existing", principalId: PRINCIPAL, location: "westeurope" }, "managedIdentity.location", /applies to an identity the stack creates/],
    ["an unknown kind", { kind: "systemAssigned" }, "managedIdentity.kind", /must be one of userAssigned, automationAccount, existing/],
    ["an Automation account name Azure rejects", { kind: "automationAccount", name: "exo", moduleVersion: "3.7.1", ...WHERE }, "managedIdentity.name", /6 to 50 letters/],
    ["a region that is not one", { kind: "userAssigned", name: "exo-runner", resourceGroup: "rg", location: "West Europe!" }, "managedIdentity.location", /must be an Azure region/],
  ])("%s", async (_label, managedIdentity, key, wording) => {
    const error = await evaluate({ managedIdentity }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const issue = (error as ConfigError).issues.find((i) => i.key === `exchange-app-only:${key}`);
    expect({ key, message: issue?.message }).toEqual({ key, message: expect.stringMatching(wording) });
    const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, unknown> };
    expect(monitor.getRegisteredResources().size).toBe(0);
  });

  it("accepts a region written as the portal shows it", async () => {
    const run = await evaluate({ managedIdentity: { kind: "userAssigned", name: "exo-runner", resourceGroup: "rg", location: "West Europe" } });
    expect(run.one(T.userAssignedIdentity).inputs.location).toBe("westeurope");
  });

  it("refuses a managed identity with appMode multiTenant", async () => {
    const error = (await evaluate({ tenantId: undefined, organization: undefined, appMode: "multiTenant", managedIdentity: { kind: "existing", principalId: PRINCIPAL }, tenants: [{ home: true, tenantId: TENANT_ID, organization: "contoso.onmicrosoft.com" }] }).catch((e: unknown) => e)) as ConfigError;
    expect(error.issues.map((i) => i.key)).toContain("exchange-app-only:managedIdentity");
  });
});

describe("azure-native by submodule only", () => {
  it("no file imports the root package (136 MB): only @pulumi/azure-native/<module>", () => {
    const { execFileSync } = require("node:child_process") as typeof import("node:child_process");
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts"], { cwd: join(__dirname, "..", ".."), encoding: "utf8" }).trim().split("\n");
    const roots = files.filter((f) => /from ["']@pulumi\/azure-native["']|require\(["']@pulumi\/azure-native["']\)/.test(readFileSync(join(__dirname, "..", "..", f), "utf8")));
    expect(roots).toEqual([]);
    const users = files.filter((f) => /["']@pulumi\/azure-native\/[a-z]+["']/.test(readFileSync(join(__dirname, "..", "..", f), "utf8")));
    expect(users.length).toBeGreaterThan(0);
  });

  it("only components/azureNative.ts loads it (an optional peer dependency); the program's other files import its types only", () => {
    const { execFileSync } = require("node:child_process") as typeof import("node:child_process");
    const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "index.ts", "components", "src", "policy"], { cwd: join(__dirname, "..", ".."), encoding: "utf8" }).trim().split("\n");
    const loading = files.filter((f) => /^import (?!type )[^;]*from ["']@pulumi\/azure-native|require\(["'`]@pulumi\/azure-native|\$\{AZURE_NATIVE_PACKAGE\}/m.test(readFileSync(join(__dirname, "..", "..", f), "utf8")));
    expect(loading).toEqual(["components/azureNative.ts"]);
  });

  it("a stack without a managed identity does not load azure-native", () => {
    const { execFileSync } = require("node:child_process") as typeof import("node:child_process");
    const script = `
      const { evaluateProgram } = require("./dist/src/cli/evaluate");
      evaluateProgram({ config: { "exchange-app-only:tenantId": "${TENANT_ID}", "exchange-app-only:organization": "contoso.onmicrosoft.com" } }).then(() => {
        const loaded = Object.keys(require.cache).some((k) => k.includes("@pulumi/azure-native"));
        process.stdout.write(String(loaded));
      });`;
    expect(execFileSync(process.execPath, ["-e", script], { cwd: join(__dirname, "..", ".."), encoding: "utf8" })).toBe("false");
  });
});
