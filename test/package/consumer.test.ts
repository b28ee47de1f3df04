/**
 * The package as a consumer gets it: `npm pack`, then a fresh folder outside this repository that installs the
 * tarball (offline, from npm's cache) and holds examples/typescript. Its programs import only the package's entry,
 * compile with `tsc --strict`, and run under Pulumi mocks on the consumer's one `@pulumi/pulumi`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { EXCHANGE_ONLINE_APP_ID, findExchangeRole, MANAGE_AS_APP_ROLE } from "../../src/facts";
import { TYPE as T } from "../../src/facts/typeTokens";
import { stableGuid } from "../../src/mocks/offline";
import { AZURE_NATIVE_RANGE } from "../../components/azureNative";
import { compile, installConsumer, installedCopies, PACKAGE, packProject, ROOT, runUnderMocks, type ConsumerRun, type Packed } from "../support/consumer";
import { stackConfigMessage, TENANT_ID } from "../support/stackConfig";
import { startEmulator } from "../emulator";
import { wireTenant } from "../check/tenant";
import { expectNothingSecret, runCli } from "../cli/run";
import { docs } from "../support/docs";

const EXAMPLE = join(ROOT, "examples", "typescript");
const DEPLOYER = "0b8f6a1e-3c2d-4e5f-8a9b-1c2d3e4f5a6b";
const CUSTOMER_TENANT = "7a2e3d4c-5b6f-4071-9b82-a3c4d5e6f708";

let scratch: string;
let packed: Packed;
let consumer: string;
/** examples/typescript compiled by its own tsconfig.json (into bin/). */
let compiled: { ok: boolean; output: string };

beforeAll(() => {
  scratch = mkdtempSync(join(os.tmpdir(), "exo-consumer-"));
  packed = packProject(scratch);
  consumer = installConsumer(join(scratch, "consumer"), EXAMPLE, packed);
  compiled = compile(consumer);
}, 240_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes `source` as a program in the consumer's folder and runs it under mocks, signed in to TENANT_ID. */
function runProgram(file: string, source: string): ConsumerRun {
  writeFileSync(join(consumer, file), source);
  return runUnderMocks(consumer, file, { tenantId: TENANT_ID, objectId: DEPLOYER });
}

const ofType = (outcome: ConsumerRun, type: string) => outcome.run!.resources.filter((r) => r.type === type);

describe("the packed package", () => {
  it("ships the compiled components, the CLI, the stack program it plans and the docs; no sources, tests, emulator or benchmarks", () => {
    expect(packed.files).toEqual(expect.arrayContaining(["package.json", "README.md", "dist/components/index.js", "dist/components/index.d.ts", PACKAGE.bin["exo-app-only"], "dist/index.js", "docs/component.md"]));
    const unwanted = packed.files.filter((f) => /^(test|bench|bootstrap|examples|components|src|policy|\.ci|\.github)\/|^dist\/(test|bench|bootstrap)\/|\.map$|^index\.ts$|(?<!\.d)\.ts$/.test(f));
    expect(unwanted).toEqual([]);
  });

  it("installs with one @pulumi/pulumi in the consumer's tree and without the optional @pulumi/azure-native", () => {
    expect(PACKAGE.dependencies).not.toHaveProperty("@pulumi/pulumi");
    expect(installedCopies(consumer, "@pulumi/pulumi")).toHaveLength(1);
    expect(installedCopies(consumer, "@pulumi/azure-native")).toEqual([]);
    expect(PACKAGE.peerDependencies).toMatchObject({ "@pulumi/pulumi": expect.any(String), "@pulumi/azure-native": AZURE_NATIVE_RANGE });
    expect(PACKAGE.peerDependenciesMeta).toEqual({ "@pulumi/azure-native": { optional: true } });
  });

  it("examples/typescript asks for this version and for the peers' ranges the package declares", () => {
    const example = JSON.parse(readFileSync(join(EXAMPLE, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(example.dependencies).toEqual({
      [PACKAGE.name]: `^${PACKAGE.version}`,
      "@pulumi/pulumi": PACKAGE.peerDependencies!["@pulumi/pulumi"],
      "@pulumi/azuread": PACKAGE.dependencies!["@pulumi/azuread"],
    });
  });
});

describe("examples/typescript, installed from the tarball", () => {
  it("compiles with tsc --strict, its declarations checked too (no skipLibCheck)", () => {
    const tsconfig = JSON.parse(readFileSync(join(consumer, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
    expect(tsconfig.compilerOptions.strict).toBe(true);
    expect(tsconfig.compilerOptions.skipLibCheck).toBeUndefined();
    expect(compiled.output).toBe("");
    expect(compiled.ok).toBe(true);
  });

  it("runs under mocks: the app, its service principal, the Exchange.ManageAsApp consent and the role, wired to each other", () => {
    const outcome = runUnderMocks(consumer, "bin/index.js", { tenantId: TENANT_ID, objectId: DEPLOYER });
    expect(outcome.error).toBeUndefined();
    const run = outcome.run!;
    const [app] = ofType(outcome, T.application);
    const [sp] = ofType(outcome, T.servicePrincipal);
    const [consent] = ofType(outcome, T.appRoleAssignment);
    const [role] = ofType(outcome, T.directoryRoleAssignment);
    const spObjectId = stableGuid(T.servicePrincipal, sp!.name);
    const exchange = stableGuid("exchange-online-service-principal");
    // The Output display name and the Output owner (the deployer getClientConfig answered with) reached the app.
    expect(app!.inputs).toMatchObject({ displayName: "exchange-automation-dev", owners: [DEPLOYER] });
    expect(app!.inputs.requiredResourceAccesses).toEqual([{ resourceAppId: EXCHANGE_ONLINE_APP_ID, resourceAccesses: [{ id: MANAGE_AS_APP_ROLE.id, type: "Role" }] }]);
    expect(sp!.inputs.clientId).toBe(run.outputs.clientId);
    expect(consent!.inputs).toMatchObject({ appRoleId: MANAGE_AS_APP_ROLE.id, principalObjectId: spObjectId, resourceObjectId: exchange });
    const recipientAdministrator = findExchangeRole("Exchange Recipient Administrator")!;
    expect(role!.inputs).toMatchObject({ roleId: recipientAdministrator.templateId, principalObjectId: spObjectId, directoryScopeId: "/" });
    // The Output tenant id reached the post-deploy check, which waits for the role and the consent.
    const [check] = ofType(outcome, T.check);
    expect(check!.inputs).toMatchObject({ tenantId: TENANT_ID, clientId: run.outputs.clientId });
    expect(check!.dependsOn).toEqual(expect.arrayContaining([consent!.name, role!.name]));
    // The program's own resource sits beside the component, not under it.
    expect(ofType(outcome, "azuread:index/group:Group").map((g) => g.parent)).toEqual([undefined]);
    expect(run.outputs.connectExchangeOnline).toMatchObject({ certificateThumbprint: expect.stringMatching(new RegExp(`^Connect-ExchangeOnline -AppId ${run.outputs.clientId as string} -CertificateThumbprint [0-9A-F]{40} -Organization contoso.onmicrosoft.com$`)) });
    expect(run.secretOutputs).toEqual(["certificatePfxBase64"]);
  });
});

describe("a consumer's program, importing only the package", () => {
  it("a bad arg throws the stack config's message, naming the arg, and nothing registers", () => {
    const outcome = runProgram(
      "badRole.js",
      `const { ExchangeAppOnly } = require("exchange-app-only");
       new ExchangeAppOnly("exo", { tenantId: "${TENANT_ID}", organization: "contoso.onmicrosoft.com", role: "Exchange Admin" });`,
    );
    expect(outcome.error).toBe(`role = ${stackConfigMessage("role", "Exchange Admin")}`);
    expect(outcome.registered).toEqual([]);
  });

  it("a TypeScript program is told at compile time that the role is no directory role", () => {
    writeFileSync(join(consumer, "badRole.ts"), `import { ExchangeAppOnly } from "exchange-app-only";\nnew ExchangeAppOnly("exo", { tenantId: "${TENANT_ID}", organization: "contoso.onmicrosoft.com", role: "Exchange Admin" });\n`);
    const result = compile(consumer, ["--noEmit", "--strict", "--module", "commonjs", "--moduleResolution", "node", "--target", "ES2022", "--types", "node", "badRole.ts"]);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/badRole\.ts\(2,\d+\): error TS2322: Type '"Exchange Admin"' is not assignable to type/);
  }, 60_000);

  it("a customer tenant of a multi-tenant app gets the home app's service principal, consent and role through its own provider", () => {
    const outcome = runProgram(
      "customer.js",
      `const azuread = require("@pulumi/azuread");
       const { CustomerTenantAccess, ExchangeAppOnly } = require("exchange-app-only");
       const home = new ExchangeAppOnly("home", { tenantId: "${TENANT_ID}", organization: "contoso.onmicrosoft.com", multiTenant: true });
       const fabrikam = new azuread.Provider("fabrikam", { tenantId: "${CUSTOMER_TENANT}" });
       const customer = new CustomerTenantAccess("fabrikam", { tenantId: "${CUSTOMER_TENANT}", organization: "fabrikam.onmicrosoft.com", role: "Exchange Recipient Administrator", app: home }, { providers: [fabrikam] });
       module.exports = { clientId: home.clientId, customerPrincipal: customer.servicePrincipalObjectId };`,
    );
    expect(outcome.error).toBeUndefined();
    const run = outcome.run!;
    const principals = ofType(outcome, T.servicePrincipal);
    const there = principals.find((p) => p.provider?.endsWith("::fabrikam"))!;
    expect(principals).toHaveLength(2);
    expect(there.inputs.clientId).toBe(run.outputs.clientId);
    const consents = ofType(outcome, T.appRoleAssignment).filter((c) => c.provider?.endsWith("::fabrikam"));
    const roles = ofType(outcome, T.directoryRoleAssignment).filter((r) => r.provider?.endsWith("::fabrikam"));
    expect(consents.map((c) => c.inputs.principalObjectId)).toEqual([run.outputs.customerPrincipal]);
    expect(roles.map((r) => r.inputs.principalObjectId)).toEqual([run.outputs.customerPrincipal]);
    expect(ofType(outcome, T.application)).toHaveLength(1);
  });

  it("a managed identity that exists gets the grant with no azure-native installed", () => {
    const principal = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";
    const outcome = runProgram(
      "existingIdentity.js",
      `const { ExchangeManagedIdentity } = require("exchange-app-only");
       new ExchangeManagedIdentity("runner", { tenantId: "${TENANT_ID}", organization: "contoso.onmicrosoft.com", managedIdentity: { kind: "existing", principalId: "${principal}" } });`,
    );
    expect(outcome.error).toBeUndefined();
    expect(ofType(outcome, T.appRoleAssignment).map((c) => c.inputs.principalObjectId)).toEqual([principal]);
    expect(ofType(outcome, T.directoryRoleAssignment).map((r) => r.inputs.principalObjectId)).toEqual([principal]);
  });

  it("a managed identity made here, with no azure-native installed, is refused naming the package and its install command; nothing registers", () => {
    const outcome = runProgram(
      "userAssigned.js",
      `const { ExchangeManagedIdentity } = require("exchange-app-only");
       new ExchangeManagedIdentity("runner", { tenantId: "${TENANT_ID}", organization: "contoso.onmicrosoft.com", managedIdentity: { kind: "userAssigned", name: "exo-runner", resourceGroup: "rg", location: "westeurope" } });`,
    );
    expect(outcome.error).toContain("ExchangeManagedIdentity needs @pulumi/azure-native, which is not installed");
    expect(outcome.error).toMatch(new RegExp(`npm install @pulumi/azure-native@\\${AZURE_NATIVE_RANGE}$`));
    expect(outcome.registered).toEqual([]);
  });
});

describe("the docs' TypeScript, as a consumer writes it", () => {
  const snippets = docs().flatMap(({ file, text }) => [...text.matchAll(/```typescript\n([\s\S]*?)```/g)].map((m, i) => ({ file, name: `${file.replace(/[^A-Za-z0-9]+/g, "-")}-${i + 1}`, source: m[1]! })));

  it("finds the README's and the component page's programs", () => {
    expect(snippets.map((s) => s.file)).toEqual(expect.arrayContaining(["README.md", "docs/component.md"]));
  });

  it("every TypeScript block in the docs compiles with tsc --strict and runs under mocks", () => {
    for (const { name, source } of snippets) writeFileSync(join(consumer, `${name}.ts`), source);
    const result = compile(consumer, ["--strict", "--module", "commonjs", "--moduleResolution", "node", "--target", "ES2022", "--types", "node", "--outDir", "snippets", ...snippets.map((s) => `${s.name}.ts`)]);
    expect(result.output).toBe("");
    for (const { file, name } of snippets) {
      const outcome = runUnderMocks(consumer, `snippets/${name}.js`, { tenantId: TENANT_ID, objectId: DEPLOYER });
      expect({ file, error: outcome.error }).toEqual({ file, error: undefined });
      expect({ file, app: outcome.registered.filter((t) => t === T.application).length }).toEqual({ file, app: 1 });
    }
  }, 60_000);
});

describe("the CLI, from the consumer's folder", () => {
  it("npx exo-app-only verify checks an app against a tenant (the emulator) and prints no secret", async () => {
    const emu = await startEmulator();
    try {
      const tenant = wireTenant(emu);
      const variable = "EXO_TEST_CLIENT_SECRET";
      const args = ["verify", "--tenant-id", tenant.tenantId, "--client-id", tenant.clientId, "--client-secret-env", variable, "--authority-host", emu.url, "--exchange-endpoint", emu.url, "--timeout", "10s"];
      const result = await runCli(args, { command: ["npx", "--no", "exo-app-only"], cwd: consumer, env: { npm_config_offline: "true", NODE_EXTRA_CA_CERTS: emu.caFile, [variable]: tenant.secret } });
      expect(result.stdout).toContain(`PASS: app ${tenant.clientId} has app-only access to Exchange Online in tenant ${tenant.tenantId}`);
      expect(result.code).toBe(0);
      expectNothingSecret(result, [tenant.secret]);
    } finally {
      await emu.close();
    }
  }, 60_000);
});
