/**
 * `keyVault` (issue 9, item 4): the stack stores the credentials it generates in an Azure Key Vault it creates (RBAC,
 * soft delete, purge protection), readable only by the principals it names, through the tenant's azure-native
 * provider; its outputs say where each credential is and how `verify` reads it back.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parseKeyVaultSecretRef } from "../../src/check/keyVault";
import { ConfigError } from "../../src/errors";
import { KEY_VAULT_SECRETS_USER_ROLE } from "../../src/facts";
import type { MockBackend } from "../../src/mocks/backend";
import { stableGuid } from "../../src/mocks/offline";
import { evaluateProgram } from "../../src/cli/evaluate";
import { locateStack, readStackConfig } from "../../src/plan/stackFile";
import type { KeyVaultOutputs } from "../../src/outputs/stackOutputs";
import { evaluate, T } from "../support/evaluate";
import { unwrapSecrets } from "../support/secrets";
import { MINIMAL, TENANT_ID, engineConfig, makeCertificate } from "../support/stackConfig";

const PIPELINE = "3c4d5e6f-1111-4222-8333-444455556666";
const RUNBOOK = "8f9e0d1c-1111-4222-8333-444455556666";
const VAULT = { name: "contoso-exo-kv", resourceGroup: "rg-exchange", location: "westeurope", readers: [PIPELINE, RUNBOOK] };
/** The offline backend's subscription when the provider names none. */
const DEFAULT_SUBSCRIPTION = stableGuid("subscription");

type Outputs = { keyVault: KeyVaultOutputs; clientId: string };

describe("keyVault: the generated credentials in a vault the stack creates", () => {
  it("the vault: RBAC authorization, soft delete and purge protection, standard SKU, the tenant's id; through the tenant's azure-native provider", async () => {
    const run = await evaluate({ clientSecret: true, keyVault: VAULT });
    const vault = run.one(T.keyVault);
    expect(vault.inputs).toMatchObject({
      vaultName: "contoso-exo-kv",
      resourceGroupName: "rg-exchange",
      location: "westeurope",
      properties: { tenantId: TENANT_ID, sku: { family: "A", name: "standard" }, enableRbacAuthorization: true, enableSoftDelete: true, enablePurgeProtection: true },
    });
    // RBAC only: no access policy grants anyone anything beside the role assignments.
    expect((vault.inputs.properties as Record<string, unknown>).accessPolicies).toBeUndefined();
    const azure = run.one(T.azureProvider);
    expect(azure.name).toBe("exo-azure");
    expect(azure.inputs).toEqual({ tenantId: TENANT_ID, environment: "public" });
    for (const r of [vault, ...run.ofType(T.keyVaultSecret), ...run.ofType(T.azureRoleAssignment)]) expect({ name: r.name, provider: r.provider }).toEqual({ name: r.name, provider: azure.urn });
    // The app's side still goes through azuread.
    expect(run.one(T.application).provider).toBe(run.one(T.provider).urn);
  });

  it("one secret a credential, each holding the credential's own output as a Pulumi secret; the certificate as PKCS#12 with its content type", async () => {
    const captured = new Map<string, Record<string, unknown>>();
    const capture: MockBackend = {
      newResource: (args) => {
        if (args.type === T.keyVaultSecret) captured.set(args.name, unwrapSecrets(args.inputs) as Record<string, unknown>);
        return undefined;
      },
      call: () => undefined,
    };
    const run = await evaluateProgram({ config: engineConfig({ ...MINIMAL, clientSecret: true, keyVault: VAULT }), backend: capture, revealSecrets: true });
    const recorded = run.resources.filter((r) => r.type === T.keyVaultSecret);
    // Registration order follows when each credential's output resolves: compare by name.
    const byName = [...recorded].sort((a, b) => b.name.localeCompare(a.name));
    expect(byName.map((r) => [r.name, r.inputs.secretName, r.inputs.vaultName, r.inputs.resourceGroupName])).toEqual([
      ["exo-keyvault-exo-app-client-secret", "exo-app-client-secret", "contoso-exo-kv", "rg-exchange"],
      ["exo-keyvault-exo-app-certificate", "exo-app-certificate", "contoso-exo-kv", "rg-exchange"],
    ]);
    // Secret on the wire to the engine: the recorder masks secret inputs.
    for (const r of byName) expect((r.inputs.properties as { value: unknown }).value).toBe("[secret]");
    expect((byName[0]!.inputs.properties as Record<string, unknown>).contentType).toBeUndefined();
    expect((byName[1]!.inputs.properties as Record<string, unknown>).contentType).toBe("application/x-pkcs12");
    // The values are exactly the credentials the stack generated (the same as its secret outputs).
    const outputs = run.outputs as { clientSecret: string; certificatePfxBase64: string };
    expect(outputs.clientSecret).toMatch(/^offline-secret-/);
    expect((captured.get("exo-keyvault-exo-app-client-secret")!.properties as { value: string }).value).toBe(outputs.clientSecret);
    expect((captured.get("exo-keyvault-exo-app-certificate")!.properties as { value: string }).value).toBe(outputs.certificatePfxBase64);
    expect(outputs.certificatePfxBase64.length).toBeGreaterThan(1000);
  });

  it("read access: exactly the named readers get Key Vault Secrets User, scoped to the vault, with the role in the vault's subscription", async () => {
    const run = await evaluate({ keyVault: VAULT });
    const vaultId = `/subscriptions/${DEFAULT_SUBSCRIPTION}/resourceGroups/rg-exchange/providers/Microsoft.KeyVault/vaults/contoso-exo-kv`;
    const assignments = run.ofType(T.azureRoleAssignment);
    expect(assignments.map((a) => a.inputs)).toEqual([
      { principalId: PIPELINE, principalType: "ServicePrincipal", roleDefinitionId: `/subscriptions/${DEFAULT_SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER_ROLE.id}`, scope: vaultId },
      { principalId: RUNBOOK, principalType: "ServicePrincipal", roleDefinitionId: `/subscriptions/${DEFAULT_SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER_ROLE.id}`, scope: vaultId },
    ]);
    expect((run.outputs as Outputs).keyVault.resourceId).toBe(vaultId);
    // Named by reader: reordering the list changes no resource name.
    const reordered = await evaluate({ keyVault: { ...VAULT, readers: [RUNBOOK, PIPELINE] } });
    expect(reordered.ofType(T.azureRoleAssignment).map((a) => a.urn).sort()).toEqual(assignments.map((a) => a.urn).sort());
  });

  it("a user or a group reads too when named with its type: ARM is told what each principal is", async () => {
    const GROUP = "1a2b3c4d-1111-4222-8333-444455556666";
    const run = await evaluate({ keyVault: { ...VAULT, readers: [PIPELINE, { principalId: RUNBOOK.toUpperCase(), type: "User" }, { principalId: GROUP, type: "Group" }] } });
    expect(run.ofType(T.azureRoleAssignment).map((a) => [a.inputs.principalId, a.inputs.principalType])).toEqual([
      [PIPELINE, "ServicePrincipal"],
      [RUNBOOK, "User"],
      [GROUP, "Group"],
    ]);
  });

  it("a named subscription and a GCC High tenant: provider in Azure Government with that subscription, role id there, vault URI and verify line of that cloud", async () => {
    const subscriptionId = "0b1c2d3e-1111-4222-8333-444455556666";
    const run = await evaluate({ environment: "usgovernment", organization: "contoso.onmicrosoft.us", clientSecret: true, certificate: "none", keyVault: { ...VAULT, location: "usgovvirginia", subscriptionId, readers: [PIPELINE] } });
    expect(run.one(T.azureProvider).inputs).toEqual({ tenantId: TENANT_ID, environment: "usgovernment", subscriptionId });
    expect(run.one(T.azureRoleAssignment).inputs.roleDefinitionId).toBe(`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER_ROLE.id}`);
    expect(run.one(T.azureRoleAssignment).inputs.scope).toMatch(new RegExp(`^/subscriptions/${subscriptionId}/resourceGroups/rg-exchange/providers/Microsoft.KeyVault/vaults/contoso-exo-kv$`));
    const { keyVault, clientId } = run.outputs as Outputs;
    expect(keyVault.uri).toBe("https://contoso-exo-kv.vault.usgovcloudapi.net/");
    expect(keyVault.verify).toEqual({
      clientSecret: `exo-app-only verify --tenant-id ${TENANT_ID} --client-id ${clientId} --environment usgovernment --key-vault-secret contoso-exo-kv/exo-app-client-secret`,
    });
  });

  it("outputs: where each credential is, the vault URI, the verify lines; names verify accepts; no secret in them", async () => {
    const run = await evaluate({ clientSecret: true, keyVault: { ...VAULT, name: "Contoso-EXO-kv" } });
    const { keyVault, clientId } = run.outputs as Outputs;
    expect(keyVault).toEqual({
      name: "contoso-exo-kv",
      uri: "https://contoso-exo-kv.vault.azure.net/",
      resourceId: expect.stringMatching(/\/providers\/Microsoft\.KeyVault\/vaults\/contoso-exo-kv$/),
      secrets: { clientSecret: "contoso-exo-kv/exo-app-client-secret", certificate: "contoso-exo-kv/exo-app-certificate" },
      verify: {
        clientSecret: `exo-app-only verify --tenant-id ${TENANT_ID} --client-id ${clientId} --key-vault-secret contoso-exo-kv/exo-app-client-secret`,
        certificate: `exo-app-only verify --tenant-id ${TENANT_ID} --client-id ${clientId} --key-vault-secret contoso-exo-kv/exo-app-certificate`,
      },
      readers: [
        { principalId: PIPELINE, type: "ServicePrincipal" },
        { principalId: RUNBOOK, type: "ServicePrincipal" },
      ],
    });
    for (const ref of Object.values(keyVault.secrets)) expect(parseKeyVaultSecretRef(ref)).toEqual({ vault: "contoso-exo-kv", name: ref.split("/")[1] });
    expect(run.secretOutputs).not.toContain("keyVault");
  });

  it("a secret only: only the secret is stored; a rotation writes a new value into the same Key Vault secret (a new version, not a new resource)", async () => {
    const first = await evaluate({ clientSecret: true, certificate: "none", keyVault: VAULT });
    expect(first.ofType(T.keyVaultSecret).map((s) => s.inputs.secretName)).toEqual(["exo-app-client-secret"]);
    expect((first.outputs as Outputs).keyVault.secrets).toEqual({ clientSecret: "contoso-exo-kv/exo-app-client-secret" });
    const rotated = await evaluate({ clientSecret: true, certificate: "none", clientSecretRotation: 1, keyVault: VAULT });
    expect(rotated.ofType(T.keyVaultSecret).map((s) => s.urn)).toEqual(first.ofType(T.keyVaultSecret).map((s) => s.urn));
  });

  it("a stack of many tenants: each tenant its own vault, provider and secrets; the same vault for two tenants is refused", async () => {
    const FABRIKAM = "7a2e3d4c-5b6f-4a70-9b82-a3c4d5e6f708";
    const run = await evaluate({
      tenantId: undefined,
      organization: undefined,
      tenants: [
        { key: "contoso", tenantId: TENANT_ID, organization: "contoso.onmicrosoft.com", keyVault: VAULT },
        { key: "fabrikam", tenantId: FABRIKAM, organization: "fabrikam.onmicrosoft.com", keyVault: { ...VAULT, name: "fabrikam-exo-kv" } },
      ],
    });
    expect(run.ofType(T.keyVault).map((v) => [v.name, v.inputs.vaultName, (v.inputs.properties as { tenantId: string }).tenantId])).toEqual([
      ["exo-contoso-keyvault-vault", "contoso-exo-kv", TENANT_ID],
      ["exo-fabrikam-keyvault-vault", "fabrikam-exo-kv", FABRIKAM],
    ]);
    const providers = run.ofType(T.azureProvider);
    expect(providers.map((p) => [p.name, p.inputs.tenantId])).toEqual([["exo-contoso-azure", TENANT_ID], ["exo-fabrikam-azure", FABRIKAM]]);
    expect(run.ofType(T.keyVault).map((v) => v.provider)).toEqual(providers.map((p) => p.urn));
    const tenants = run.outputs.tenants as Record<string, Outputs>;
    expect(tenants.fabrikam!.keyVault.secrets.certificate).toBe("fabrikam-exo-kv/exo-app-certificate");

    const error = await evaluate({
      tenantId: undefined,
      organization: undefined,
      keyVault: VAULT,
      tenants: [
        { key: "contoso", tenantId: TENANT_ID, organization: "contoso.onmicrosoft.com" },
        { key: "fabrikam", tenantId: FABRIKAM, organization: "fabrikam.onmicrosoft.com" },
      ],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([
      { key: "exchange-app-only:tenants[fabrikam].keyVault.name", value: '"contoso-exo-kv"', message: expect.stringMatching(/^is tenants\[contoso\]'s vault too: .*give each entry its own keyVault/) },
    ]);
    expect(registered()).toBe(0);
  });

  it("multiTenant: the home tenant's vault holds the one app's credentials; a customer tenant cannot have one", async () => {
    const tenants = [
      { key: "msp", home: true, tenantId: TENANT_ID, organization: "msp.onmicrosoft.com", keyVault: VAULT },
      { key: "fabrikam", tenantId: "7a2e3d4c-5b6f-4a70-9b82-a3c4d5e6f708", organization: "fabrikam.onmicrosoft.com" },
    ];
    const run = await evaluate({ tenantId: undefined, organization: undefined, appMode: "multiTenant", tenants });
    expect(run.one(T.keyVault).inputs.properties).toMatchObject({ tenantId: TENANT_ID });
    expect((run.outputs.tenants as Record<string, Outputs>).msp!.keyVault.name).toBe("contoso-exo-kv");

    const error = (await evaluate({ tenantId: undefined, organization: undefined, appMode: "multiTenant", tenants: [tenants[0], { ...tenants[1], keyVault: { ...VAULT, name: "fabrikam-exo-kv" } }] }).catch((e: unknown) => e)) as ConfigError;
    expect(error.issues.map((i) => [i.key, i.message])).toEqual([["exchange-app-only:tenants[fabrikam].keyVault", expect.stringMatching(/belongs to the one app/)]]);
  });
});

describe("keyVault: the worked stack file", () => {
  it("Pulumi.keyvault-example.yaml plans as docs/key-vault.md shows: both credentials stored, a pipeline and a group reading them", async () => {
    const where = locateStack({ stack: "keyvault-example", cwd: join(__dirname, "..", "..") });
    const run = await evaluateProgram({ config: readStackConfig(where.projectFile, where.stackFile) });
    const outputs = run.outputs as Outputs;
    expect(outputs.keyVault.secrets).toEqual({ clientSecret: "contoso-exo-kv/exo-app-client-secret", certificate: "contoso-exo-kv/exo-app-certificate" });
    expect(outputs.keyVault.uri).toBe("https://contoso-exo-kv.vault.azure.net/");
    expect(run.resources.filter((r) => r.type === T.azureRoleAssignment).map((a) => a.inputs.principalType)).toEqual(["ServicePrincipal", "Group"]);
  });
});

describe("keyVault: bad input is one message naming the field, the value and the fix, and nothing registers", () => {
  const bad = (field: string, value: unknown) => ({ ...VAULT, [field]: value });
  it.each<[string, unknown, string, string, RegExp]>([
    ["a vault name of 2 characters", bad("name", "kv"), "keyVault.name", '"kv"', /must be 3 to 24 letters, digits and hyphens, starting with a letter/],
    ["a vault name of 25 characters", bad("name", "contoso-exchange-vault-01"), "keyVault.name", '"contoso-exchange-vault-01"', /3 to 24/],
    ["a vault name starting with a digit", bad("name", "1contoso-kv"), "keyVault.name", '"1contoso-kv"', /starting with a letter/],
    ["a vault name ending in a hyphen", bad("name", "contoso-kv-"), "keyVault.name", '"contoso-kv-"', /ending with a letter or digit/],
    ["a vault name with two hyphens in a row", bad("name", "contoso--kv"), "keyVault.name", '"contoso--kv"', /no two hyphens in a row/],
    ["a vault name with an underscore", bad("name", "contoso_kv"), "keyVault.name", '"contoso_kv"', /letters, digits and hyphens/],
    ["a reader that is not a GUID", bad("readers", [PIPELINE, "pipeline-sp"]), "keyVault.readers[1]", '"pipeline-sp"', /is not a GUID; it takes the principal's object id/],
    ["the nil GUID as a reader", bad("readers", ["00000000-0000-0000-0000-000000000000"]), "keyVault.readers[0]", '"00000000-0000-0000-0000-000000000000"', /is the nil GUID, which names nothing/],
    ["a reader named twice (case differs)", bad("readers", [PIPELINE, PIPELINE.toUpperCase()]), "keyVault.readers", JSON.stringify([PIPELINE, PIPELINE.toUpperCase()]), new RegExp(`^names ${PIPELINE} twice: name each reader once$`)],
    ["no reader", bad("readers", []), "keyVault.readers", "[]", /must name at least one principal/],
    ["readers missing", { name: "contoso-exo-kv", resourceGroup: "rg", location: "westeurope" }, "keyVault.readers", "(not set)", /is required for keyVault/],
    ["readers as one string", bad("readers", PIPELINE), "keyVault.readers", JSON.stringify(PIPELINE), /must be a list of principal object ids/],
    ["a reader of a type ARM does not take", bad("readers", [{ principalId: PIPELINE, type: "MSI" }]), "keyVault.readers[0].type", '"MSI"', /must be one of ServicePrincipal, User, Group/],
    ["a reader map without its id", bad("readers", [{ type: "User" }]), "keyVault.readers[0].principalId", "(not set)", /is required for a keyVault reader/],
    ["a reader that is a number", bad("readers", [42]), "keyVault.readers[0]", "42", /must be a principal's object id/],
    ["no resource group", { name: "contoso-exo-kv", location: "westeurope", readers: [PIPELINE] }, "keyVault.resourceGroup", "(not set)", /is required for keyVault/],
    ["no location", { name: "contoso-exo-kv", resourceGroup: "rg", readers: [PIPELINE] }, "keyVault.location", "(not set)", /is required for keyVault/],
    ["a region that is not one", bad("location", "West Europe!"), "keyVault.location", '"West Europe!"', /must be an Azure region/],
    ["a subscription that is not a GUID", bad("subscriptionId", "Pay-As-You-Go"), "keyVault.subscriptionId", '"Pay-As-You-Go"', /is not a GUID; it takes the Azure subscription id/],
    ["an unknown field", bad("sku", "premium"), "keyVault.sku", '"premium"', /is not a field of keyVault\. .*Fields: name, resourceGroup, location, subscriptionId, readers/],
    ["not a map", "contoso-exo-kv", "keyVault", '"contoso-exo-kv"', /must be a map with name, resourceGroup, location and readers/],
    ["a list", [VAULT], "keyVault", JSON.stringify([VAULT]).slice(0, 77) + "...", /must be a map with name, resourceGroup, location, subscriptionId, readers/],
  ])("%s", async (_label, keyVault, key, value, wording) => {
    const error = await evaluate({ keyVault }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([{ key: `exchange-app-only:${key}`, value, message: expect.stringMatching(wording) }]);
    expect(registered()).toBe(0);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ["a managed identity", { managedIdentity: { kind: "existing", principalId: RUNBOOK } }, /a managed identity has no secret or certificate; remove keyVault/],
    ["a supplied certificate only", { certificate: makeCertificate() }, /a supplied certificate, whose private key never reaches the stack/],
    ["federated credentials only", { certificate: "none", federatedCredentials: [{ kind: "github", repository: "contoso/runbooks", branch: "main" }] }, /no client secret and no generated certificate.*Set clientSecret: true or certificate: generate, or remove keyVault/],
  ])("a vault with nothing to store is refused: %s", async (_label, config, why) => {
    const error = await evaluate({ ...config, keyVault: VAULT }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual([{ key: "exchange-app-only:keyVault", value: expect.stringContaining("contoso-exo-kv"), message: expect.stringMatching(/^has nothing to store: /) }]);
    expect((error as ConfigError).issues[0]!.message).toMatch(why);
    expect(registered()).toBe(0);
  });
});

describe("keyVault: azure-native loads by submodule, only when a stack needs it", () => {
  const loaded = (config: Record<string, unknown>) => {
    const script = `
      const { evaluateProgram } = require("./dist/src/cli/evaluate");
      evaluateProgram({ config: ${JSON.stringify(engineConfig({ ...MINIMAL, ...config }))} }).then(() => {
        const modules = Object.keys(require.cache).filter((k) => k.includes("@pulumi/azure-native/")).map((k) => k.split("@pulumi/azure-native/")[1].split("/")[0]);
        process.stdout.write(JSON.stringify([...new Set(modules)].filter((m) => !m.endsWith(".js") || m === "index.js").sort()));
      });`;
    return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: join(__dirname, "..", ".."), encoding: "utf8" })) as string[];
  };

  it("a stack with keyVault loads keyvault and authorization, never the root index or the managed identity modules", () => {
    const modules = loaded({ keyVault: VAULT });
    expect(modules).toEqual(expect.arrayContaining(["keyvault", "authorization"]));
    expect(modules).not.toContain("index.js");
    expect(modules).not.toContain("automation");
    expect(modules).not.toContain("managedidentity");
  });

  it("a stack without Azure resources loads none of azure-native", () => {
    expect(loaded({ clientSecret: true })).toEqual([]);
  });
});

function registered(): number {
  const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, unknown> };
  return monitor.getRegisteredResources().size;
}
