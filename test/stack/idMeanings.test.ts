/**
 * One GUID, one meaning: a tenant id, a client id, an object id or a subscription id pasted where another kind belongs
 * is refused before anything registers, naming both keys, instead of failing in Azure (or, worse, granting the
 * wrong principal). The same object id may appear twice where that is right: a managed identity reading its vault.
 */
import { evaluate, T } from "../support/evaluate";
import { refusedAt } from "../support/refusal";
import { TENANT_ID } from "../support/stackConfig";

const CLIENT = "0a1b2c3d-1111-4222-8333-444455556666";
const APP_OBJECT = "1b2c3d4e-1111-4222-8333-444455556666";
const SP_OBJECT = "2c3d4e5f-1111-4222-8333-444455556666";
const PRINCIPAL = "3d4e5f60-1111-4222-8333-444455556666";
const ADOPT = { clientId: CLIENT, applicationObjectId: APP_OBJECT, servicePrincipalObjectId: SP_OBJECT };
const VAULT = { name: "kv-exchange", resourceGroup: "rg-exchange", location: "westeurope" };
const WHERE = { resourceGroup: "rg-exchange", location: "westeurope" };

describe("a GUID pasted where another kind of id belongs is refused, naming both keys", () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["the tenant id as the adopted app's client id", { adopt: { ...ADOPT, clientId: TENANT_ID } }, "adopt.clientId", /same GUID as tenantId \(the Directory \(tenant\) ID\), but adopt\.clientId takes the app's Application \(client\) ID, an application \(client\) id/],
    ["the client id as the app registration's object id", { adopt: { ...ADOPT, applicationObjectId: CLIENT } }, "adopt.applicationObjectId", /same GUID as adopt\.clientId .*takes the app registration's Object ID, a directory object id/],
    ["the app's object id as its service principal's", { adopt: { ...ADOPT, servicePrincipalObjectId: APP_OBJECT } }, "adopt.servicePrincipalObjectId", /same GUID as adopt\.applicationObjectId \(the app registration's Object ID\), but adopt\.servicePrincipalObjectId takes the service principal's Object ID/],
    ["a managed identity's client id as a Key Vault reader", { managedIdentity: { kind: "existing", principalId: PRINCIPAL, clientId: CLIENT }, clientSecret: true, keyVault: { ...VAULT, readers: [CLIENT] } }, "keyVault.readers[0]", /same GUID as managedIdentity\.clientId \(the identity's Client ID\)/],
    ["the adopted app's client id as an owner", { adopt: ADOPT, owners: [CLIENT] }, "adopt.clientId", /same GUID as owners\[0\] \(an owner's Object ID\)/],
    ["the tenant id as the Azure subscription", { managedIdentity: { kind: "userAssigned", name: "exo-runner", subscriptionId: TENANT_ID, ...WHERE } }, "managedIdentity.subscriptionId", /same GUID as tenantId .*an Azure subscription id/],
    ["the tenant id as an administrative unit", { role: "none", exchangeRoles: [{ role: "Mail Recipients", scope: TENANT_ID }] }, "exchangeRoles[0].scope", /same GUID as tenantId .*an administrative unit's Object ID/],
  ])("%s", async (_label, overrides, key, wording) => {
    expect((await refusedAt(overrides, key)).message).toMatch(wording);
  });
});

describe("the same object id where that is right", () => {
  it("one principal as an owner of the app and a reader of its vault (a pipeline's service principal, say): accepted", async () => {
    const run = await evaluate({ clientSecret: true, keyVault: { ...VAULT, readers: [PRINCIPAL] }, owners: [PRINCIPAL] });
    expect(run.ofType(T.azureRoleAssignment).map((r) => r.inputs.principalId)).toEqual([PRINCIPAL]);
  });
});
