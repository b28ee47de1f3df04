/**
 * `exo-app-only verify --key-vault-secret <vault>/<name>` end to end: the built CLI reads the Exchange app's client
 * secret or PKCS#12 certificate from the emulated Key Vault (a 401 challenge first, then a token the emulator issued
 * for the vault resource, RBAC "Key Vault Secrets User"), signing in with @azure/identity's DefaultAzureCredential
 * (here its EnvironmentCredential: a pipeline's service principal), then checks Exchange access with it.
 */
import { randomUUID } from "node:crypto";
import { toPfxBase64 } from "../../src/credentials/certificates";
import { TYPE } from "../../src/facts/typeTokens";
import type { MockBackend } from "../../src/mocks/backend";
import type { KeyVaultOutputs } from "../../src/outputs/stackOutputs";
import { evaluateProgram } from "../../src/cli/evaluate";
import { startEmulator, type TenantEmulator } from "../emulator";
import { emulatorBackend } from "../emulator/pulumiBackend";
import { createIdentity } from "../emulator/scenario";
import { unwrapSecrets } from "../support/secrets";
import { engineConfig } from "../support/stackConfig";
import { wireTenant, type WiredTenant } from "../check/tenant";
import { expectNothingSecret, runCli, type CliResult } from "./run";

let emu: TenantEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

let vaultSeq = 0;
/** A vault in the Exchange app's tenant, and a pipeline principal that may (or may not) read it. */
function vaultFor(t: WiredTenant, o: { reader?: boolean } = {}) {
  const name = `exo-kv-${++vaultSeq}-${t.tenantId.slice(0, 6)}`;
  const vault = emu.keyVaults.addVault(t.tenantId, { name });
  const pipeline = createIdentity(emu, { tenantId: t.tenantId, displayName: "pipeline", consent: false, roleTemplateId: "none" });
  if (o.reader !== false) emu.keyVaults.grantSecretsUser(name, pipeline.servicePrincipalObjectId);
  const env = {
    NODE_EXTRA_CA_CERTS: emu.caFile,
    AZURE_TENANT_ID: t.tenantId,
    AZURE_CLIENT_ID: pipeline.clientId,
    AZURE_CLIENT_SECRET: pipeline.clientSecret!,
    AZURE_AUTHORITY_HOST: emu.url,
  };
  return { name, url: vault.url, resource: vault.resource, env, pipelineSecret: pipeline.clientSecret! };
}

function verifyFromVault(t: WiredTenant, v: ReturnType<typeof vaultFor>, secretName: string, extra: string[] = []): Promise<CliResult> {
  return runCli(
    [
      "verify", "--tenant-id", t.tenantId, "--client-id", t.clientId, "--key-vault-secret", `${v.name}/${secretName}`, "--key-vault-url", v.url,
      "--authority-host", emu.url, "--exchange-endpoint", emu.url, "--timeout", "10s", ...extra,
    ],
    { env: v.env },
  );
}

const vaultRequests = (name: string) => emu.requests.filter((r) => r.kind === "keyvault" && r.path.startsWith(`/keyvault/${name}/`));

test("a client secret in Key Vault: read after the vault's 401 challenge, checked, never printed", async () => {
  const t = wireTenant(emu);
  const v = vaultFor(t);
  emu.keyVaults.setSecret(v.name, "exo-app-secret", t.secret);
  const r = await verifyFromVault(t, v, "exo-app-secret", ["--json"]);
  expect(r.stderr).toContain(`client secret from Key Vault ${v.name}/exo-app-secret`);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, credential: "secret", clientId: t.clientId });
  // Key Vault's challenge first, then the secret with a bearer token the emulator issued for the vault resource.
  expect(vaultRequests(v.name).map((x) => x.status)).toEqual([401, 200]);
  expectNothingSecret(r, [t.secret, v.pipelineSecret]);
});

test("with the Azure SDK's verbose logging on (AZURE_LOG_LEVEL), neither the secret nor the pipeline's secret nor a token is logged", async () => {
  const t = wireTenant(emu);
  const v = vaultFor(t);
  emu.keyVaults.setSecret(v.name, "exo-app-secret", t.secret);
  const r = await runCli(
    ["verify", "--tenant-id", t.tenantId, "--client-id", t.clientId, "--key-vault-secret", `${v.name}/exo-app-secret`, "--key-vault-url", v.url, "--authority-host", emu.url, "--exchange-endpoint", emu.url],
    { env: { ...v.env, AZURE_LOG_LEVEL: "verbose" } },
  );
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/azure:keyvault-secrets|azure:core-rest-pipeline|azure:identity/); // the SDK did log
  expectNothingSecret(r, [t.secret, v.pipelineSecret]);
});

test("a PKCS#12 certificate in Key Vault (as the stack stores it: base64, empty password, application/x-pkcs12)", async () => {
  const t = wireTenant(emu, { certificate: true });
  const v = vaultFor(t);
  const [keyPem, certPem] = [t.certificatePem.slice(0, t.certificatePem.indexOf("-----BEGIN CERTIFICATE-----")), t.certificatePem.slice(t.certificatePem.indexOf("-----BEGIN CERTIFICATE-----"))];
  const pfx = toPfxBase64(keyPem, certPem);
  emu.keyVaults.setSecret(v.name, "exo-app-certificate", pfx, { contentType: "application/x-pkcs12" });
  const r = await verifyFromVault(t, v, "exo-app-certificate", ["--json"]);
  expect(r.stderr).toMatch(new RegExp(`certificate CN=.*, thumbprint [0-9A-F]{40} from Key Vault ${v.name}/exo-app-certificate`));
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout);
  expect(out).toMatchObject({ ok: true, credential: "certificate" });
  expect(out.checks.find((c: any) => c.id === "token.acquired").detail).toContain("(certificate)");
  expectNothingSecret(r, [pfx, pfx.slice(0, 40), keyPem.split("\n")[1]!, v.pipelineSecret]);
});

test("from the stack to a passing verify: the program's app, its credentials as the stack stores them, and its outputs' verify lines", async () => {
  const tenantId = randomUUID();
  emu.directory.addTenant({ tenantId, organization: "kvstack.onmicrosoft.com" });
  const pipeline = createIdentity(emu, { tenantId, displayName: "pipeline", consent: false, roleTemplateId: "none" });
  // The app, its consent, role and credentials land in the emulated tenant; the Key Vault secrets are noted as declared.
  const declared = new Map<string, { value: string; contentType?: string }>();
  const tenant = emulatorBackend(emu, tenantId);
  const backend: MockBackend = {
    newResource: (args) => {
      if (args.type === TYPE.keyVaultSecret) declared.set(String(args.inputs.secretName), unwrapSecrets(args.inputs.properties) as { value: string; contentType?: string });
      return tenant.newResource(args);
    },
    call: (args) => tenant.call(args),
  };
  const keyVault = { name: "kvstack-exo", resourceGroup: "rg-exchange", location: "westeurope", readers: [pipeline.servicePrincipalObjectId] };
  const run = await evaluateProgram({ config: engineConfig({ tenantId, organization: "kvstack.onmicrosoft.com", clientSecret: true, keyVault }), backend, revealSecrets: true });
  const outputs = run.outputs as { keyVault: KeyVaultOutputs; clientId: string };

  // Azure's part, played by the emulator: the vault in the tenant the stack's vault trusts, each secret under the
  // name and content type the stack gave it, "Key Vault Secrets User" for exactly the principals it assigned.
  const vault = run.resources.find((r) => r.type === TYPE.keyVault)!;
  const vaultName = String(vault.inputs.vaultName);
  emu.keyVaults.addVault((vault.inputs.properties as { tenantId: string }).tenantId, { name: vaultName });
  for (const [name, secret] of declared) emu.keyVaults.setSecret(vaultName, name, secret.value, secret.contentType ? { contentType: secret.contentType } : {});
  for (const assignment of run.resources.filter((r) => r.type === TYPE.azureRoleAssignment)) emu.keyVaults.grantSecretsUser(vaultName, String(assignment.inputs.principalId));

  const env = { NODE_EXTRA_CA_CERTS: emu.caFile, AZURE_TENANT_ID: tenantId, AZURE_CLIENT_ID: pipeline.clientId, AZURE_CLIENT_SECRET: pipeline.clientSecret!, AZURE_AUTHORITY_HOST: emu.url };
  const values = [...declared.values()].map((s) => s.value);
  for (const [credential, kind] of [["clientSecret", "secret"], ["certificate", "certificate"]] as const) {
    const line = outputs.keyVault.verify[credential]!.split(" ");
    expect(line.slice(0, 2)).toEqual(["exo-app-only", "verify"]);
    const test = ["--key-vault-url", emu.keyVaults.url(outputs.keyVault.name), "--authority-host", emu.url, "--exchange-endpoint", emu.url, "--timeout", "10s", "--json"];
    const r = await runCli([...line.slice(1), ...test], { env });
    expect({ credential, code: r.code, stderr: r.code === 0 ? "" : r.stderr }).toEqual({ credential, code: 0, stderr: "" });
    expect(r.stderr).toContain(`from Key Vault ${outputs.keyVault.secrets[credential]}`);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, credential: kind, clientId: outputs.clientId });
    expectNothingSecret(r, [...values, pipeline.clientSecret!]);
  }
});

test("a pipeline without Key Vault Secrets User: exit 2, Key Vault's 403 explained with the role to grant, before the header", async () => {
  const t = wireTenant(emu);
  const v = vaultFor(t, { reader: false });
  emu.keyVaults.setSecret(v.name, "exo-app-secret", t.secret);
  const r = await verifyFromVault(t, v, "exo-app-secret");
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(new RegExp(`error: Key Vault refused to read secret ${v.name}/exo-app-secret \\(403 Forbidden\\)`));
  expect(r.stderr).toContain('"Key Vault Secrets User"');
  expect(r.stderr).not.toContain("Checking app-only Exchange Online access");
  expect(r.stdout).toBe("");
  expectNothingSecret(r, [t.secret, v.pipelineSecret]);
});

test("a secret that is not there: exit 2, 404 named", async () => {
  const t = wireTenant(emu);
  const v = vaultFor(t);
  const r = await verifyFromVault(t, v, "no-such-secret");
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`Key Vault secret ${v.name}/no-such-secret was not found (404 SecretNotFound)`);
});

describe("bad input: exit 2 with the fix, before anything is read", () => {
  const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  const CLIENT = "6f1c2a3b-4d5e-4f60-8a7b-000000000001";
  test.each([
    ["no slash", "contoso-kv", /--key-vault-secret "contoso-kv" is not of the form <vault>\/<name>/, /the vault name, not its URL/],
    ["a URL instead of a name", "https://contoso-kv.vault.azure.net/secrets/x", /is not of the form <vault>\/<name>/, /for example --key-vault-secret/],
    ["too short", "kv/secret", /the vault name "kv" must be 3 to 24 letters, digits and hyphens, starting with a letter/, /for example --key-vault-secret contoso-exo-kv\/exo-app-certificate/],
    ["too long", `${"a".repeat(25)}/secret`, /the vault name "a{25}" must be 3 to 24 letters/, /keyVault\.name/],
    ["starts with a digit", "1contoso/secret", /the vault name "1contoso" must be 3 to 24 letters, digits and hyphens, starting with a letter/, /keyVault\.name/],
    ["an underscore", "contoso_kv/secret", /the vault name "contoso_kv" must be 3 to 24 letters, digits and hyphens/, /keyVault\.name/],
    ["two hyphens in a row", "contoso--kv/exo-app-certificate", /the vault name "contoso--kv" must be .* with no two hyphens in a row/, /keyVault\.name/],
    ["ending with a hyphen", "contoso-kv-/exo-app-certificate", /the vault name "contoso-kv-" must be .* ending with a letter or digit/, /keyVault\.name/],
    ["a bad secret name", "contoso-kv/my.secret", /the secret name "my.secret" is not one Key Vault accepts/, /1 to 127 characters/],
  ])("%s", async (_name, value, message, remedy) => {
    const r = await runCli(["verify", "--tenant-id", TENANT, "--client-id", CLIENT, "--key-vault-secret", value]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(remedy);
    expect(r.stdout).toBe("");
  });

  test.each(["contoso--kv", "contoso-kv-", "kv"])("%j: the config's vault-name rule, refused before any request (no sign-in, no vault call)", async (vault) => {
    const t = wireTenant(emu);
    const v = vaultFor(t);
    const before = emu.requests.length;
    const r = await runCli(
      ["verify", "--tenant-id", t.tenantId, "--client-id", t.clientId, "--key-vault-secret", `${vault}/exo-app-certificate`, "--key-vault-url", v.url, "--authority-host", emu.url, "--json"],
      { env: v.env },
    );
    expect(r.code).toBe(2);
    expect(emu.requests.length).toBe(before);
    // The very words the stack's keyVault.name gets for the same value (src/config/keyVault.ts).
    const { KEY_VAULT_NAME_RULE } = await import("../../src/check/keyVault");
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: "ERR_USAGE", message: `--key-vault-secret: the vault name ${JSON.stringify(vault)} ${KEY_VAULT_NAME_RULE}` });
    expect(r.stderr).not.toMatch(/network|cannot reach/i);
  });

  test("--key-vault-url must be https, and needs --key-vault-secret; two credentials are refused", async () => {
    const http = await runCli(["verify", "--tenant-id", TENANT, "--client-id", CLIENT, "--key-vault-secret", "contoso-kv/s", "--key-vault-url", "http://127.0.0.1:1/keyvault/contoso-kv"]);
    expect(http.code).toBe(2);
    expect(http.stderr).toMatch(/--key-vault-url http:\/\/127\.0\.0\.1:1\/keyvault\/contoso-kv is not https/);
    const alone = await runCli(["verify", "--tenant-id", TENANT, "--client-id", CLIENT, "--managed-identity", "--key-vault-url", "https://x.vault.azure.net"]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--key-vault-url overrides the vault of --key-vault-secret/);
    const two = await runCli(["verify", "--tenant-id", TENANT, "--client-id", CLIENT, "--key-vault-secret", "contoso-kv/s", "--client-secret-env", "X"]);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/choose one credential, not --client-secret-env and --key-vault-secret/);
  });

  test("a Key Vault secret without a client id: exit 2, before the vault is asked", async () => {
    const r = await runCli(["verify", "--tenant-id", TENANT, "--key-vault-secret", "contoso-kv/s"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no client id: a Key Vault secret signs in as an application/);
  });
});
