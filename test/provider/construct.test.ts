/**
 * Construct over gRPC, as the engine sends it for a Python or YAML program: the plugin, started as the engine starts
 * it from a moved copy of provider/, against a fake engine (test/support/fakeEngine) that answers as the in-process
 * mocks do. Within one test the same args go through the component in-process under mocks and through Construct:
 * the same children must result (types, names, parents, inputs and which resource each input comes from), and a
 * bad arg gets the message TypeScript gets, by property, with nothing registered and no secret shown.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import type * as pulumi from "@pulumi/pulumi";
import { secret as pulumiSecret } from "@pulumi/pulumi";
import { ExchangeAppOnly, ExchangeManagedIdentity } from "../../components";
import { schemaOutputs } from "../../provider/main";
import { tenantMismatch } from "../../components/providerTenant";
import { FUNCTION, TYPE as T } from "../../src/facts/typeTokens";
import type { MockBackend } from "../../src/mocks/backend";
import { offlineBackend } from "../../src/mocks/offline";
import type { RegisteredResource } from "../../src/mocks/registration";
import { runProgram } from "../../src/mocks/run";
import { construct, isFailure, type ConstructCall, type Constructed, type ConstructFailure } from "../support/construct";
import { installConsumer, packProject, ROOT } from "../support/consumer";
import { startFakeEngine, type FakeEngine, type MonitoredResource } from "../support/fakeEngine";
import { startPlugin, type StartedPlugin } from "../support/plugin";
import { makeCertificate, TENANT_ID } from "../support/stackConfig";

const PROJECT = "exchange-access";
const STACK = "dev";
const APP_ONLY = "exchange-app-only:index:ExchangeAppOnly";
const MANAGED_IDENTITY = "exchange-app-only:index:ExchangeManagedIdentity";
const SCHEMA = readFileSync(join(ROOT, "provider", "schema.json"), "utf8");
const ORGANIZATION = "contoso.onmicrosoft.com";

const work = mkdtempSync(join(tmpdir(), "exo-construct-"));
// One backend for both runs: the same ids, and the same clock for the generated certificate and rotations.
const offline = offlineBackend({ now: new Date("2026-11-26T00:00:00Z") });
/** The tenant the azuread provider signs in to, as getClientConfig answers; unset, the mocks' answer names none. */
let signedInTenant: string | undefined;
const backend: MockBackend = {
  newResource: (args) => offline.newResource(args),
  call: (args) => (args.token === FUNCTION.getClientConfig && signedInTenant ? { tenantId: signedInTenant, objectId: "0b8f6a1e-3c2d-4e5f-8a9b-1c2d3e4f5a6b", clientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46" } : offline.call(args)),
};
let engine: FakeEngine;
let plugin: StartedPlugin;
let pluginFolder = "";
let stderr = "";

beforeAll(async () => {
  const elsewhere = join(work, "elsewhere");
  mkdirSync(elsewhere);
  writeFileSync(join(elsewhere, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "commonjs" } }));
  pluginFolder = installConsumer(join(work, "plugin"), join(ROOT, "provider"), packProject(work));
  engine = await startFakeEngine(backend, PROJECT, STACK);
  plugin = await startPlugin(pluginFolder, [engine.address], elsewhere);
  plugin.child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
}, 300_000);

afterAll(async () => {
  plugin?.child.kill();
  await engine?.close();
  rmSync(work, { recursive: true, force: true });
});

/** The component built in-process under mocks, exporting its schema outputs. */
async function inProcess(build: () => pulumi.ComponentResource, type: string) {
  return runProgram(
    async () => {
      const component = build() as unknown as Record<string, unknown>;
      return Object.fromEntries(schemaOutputs(SCHEMA, type).map((key) => [key, component[key]]));
    },
    { config: {}, backend, project: PROJECT, stack: STACK },
  );
}

/** What in-process refuses `args` with (its message), or a failure of the test. */
async function inProcessRefusal(build: () => pulumi.ComponentResource, type: string): Promise<string> {
  const error = await inProcess(build, type).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  if (!error) throw new Error("in-process took the args");
  return error.message;
}

async function overGrpc(call: ConstructCall): Promise<{ outcome: Constructed | ConstructFailure; resources: MonitoredResource[]; calls: Record<string, number> }> {
  engine.reset();
  const outcome = await construct(plugin.port, engine, call);
  return { outcome, resources: [...engine.resources], calls: { ...engine.calls } };
}

function constructed(outcome: Constructed | ConstructFailure): Constructed {
  if (isFailure(outcome)) throw new Error(`Construct failed: ${outcome.message}`);
  return outcome;
}

/** The records both runs make, by URN; the gRPC run's own additions (dependencies by input) left out. */
function comparable(resources: readonly RegisteredResource[]): RegisteredResource[] {
  return resources
    .map((r) => {
      const { propertyDependencies: _deps, outputs: _outputs, ...record } = r as MonitoredResource;
      return record;
    })
    .sort((a, b) => a.urn.localeCompare(b.urn));
}

/** The component under the stack (as the engine passes it) in the gRPC run; in-process it has no parent. */
function withoutStackParent(resources: readonly RegisteredResource[], type: string): RegisteredResource[] {
  return resources.map((r) => {
    if (r.type !== type) return r;
    expect(r).toMatchObject({ parent: `${PROJECT}-${STACK}`, parentType: "pulumi:pulumi:Stack" });
    const { parent: _parent, parentType: _parentType, ...rest } = r;
    return rest;
  });
}

function named(resources: readonly MonitoredResource[], type: string): MonitoredResource {
  const found = resources.filter((r) => r.type === type);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe("Construct over gRPC against a fake engine", () => {
  it("ExchangeAppOnly (generated certificate, client secret): the same children, parents, inputs and wiring as in-process", async () => {
    const args = { tenantId: TENANT_ID, organization: ORGANIZATION, role: "Exchange Recipient Administrator", displayName: "exo-prod", clientSecret: true };
    const local = await inProcess(() => new ExchangeAppOnly("exo", args as ConstructorParameters<typeof ExchangeAppOnly>[1]), APP_ONLY);
    const { outcome, resources, calls } = await overGrpc({ type: APP_ONLY, name: "exo", args });
    const remote = constructed(outcome);

    // The fake engine's RPC counts (what bench:plugin prints) agree with what it recorded.
    expect(calls).toMatchObject({ registerResource: resources.length, invoke: engine.invokes.length, log: engine.logs.length });
    expect(calls.registerResourceOutputs).toBe(resources.filter((r) => r.outputs !== undefined).length);
    expect(remote.urn).toBe(`urn:pulumi:${STACK}::${PROJECT}::${APP_ONLY}::exo`);
    expect(comparable(withoutStackParent(resources, APP_ONLY))).toEqual(comparable(local.resources));
    expect(resources.filter((r) => r.custom).map((r) => r.type).sort()).toEqual(
      [T.application, T.servicePrincipal, T.appRoleAssignment, T.directoryRoleAssignment, T.privateKey, T.selfSignedCert, T.certificate, T.rotating, T.password, T.check].sort(),
    );

    // The wiring, by the dependencies the plugin declared and by the values that flowed.
    const app = named(resources, T.application);
    const sp = named(resources, T.servicePrincipal);
    const consent = named(resources, T.appRoleAssignment);
    const role = named(resources, T.directoryRoleAssignment);
    const credential = named(resources, T.certificate);
    const password = named(resources, T.password);
    const check = named(resources, T.check);
    expect(app.inputs.displayName).toBe("exo-prod");
    expect(sp.propertyDependencies.clientId).toEqual([app.name]);
    expect(sp.inputs.clientId).toBe(remote.state.clientId);
    for (const grant of [consent, role]) {
      expect(grant.propertyDependencies.principalObjectId).toEqual([sp.name]);
      expect(grant.inputs.principalObjectId).toBe(remote.state.servicePrincipalObjectId);
    }
    expect(role.inputs.roleId).toBe("31392ffb-586c-42d1-9346-e59415a2cc4e");
    for (const onApp of [credential, password]) {
      expect(onApp.propertyDependencies.applicationId).toEqual([app.name]);
      expect(onApp.inputs.applicationId).toBe(`/applications/${remote.state.applicationObjectId}`);
    }
    expect(credential.propertyDependencies.value).toEqual([named(resources, T.selfSignedCert).name]);
    expect(check.propertyDependencies.clientId).toEqual([app.name]);
    expect(check.inputs.clientId).toBe(remote.state.clientId);
    expect(check.propertyDependencies.triggers!.sort()).toEqual([consent.name, role.name, credential.name, password.name].sort());
    expect(check.inputs.certificatePem).toBe("[secret]");

    // The state carries the schema's outputs, the same values as in-process, the credentials as secrets.
    const secretInSchema = Object.entries((JSON.parse(SCHEMA) as { resources: Record<string, { properties: Record<string, { secret?: boolean }> }> }).resources[APP_ONLY]!.properties)
      .filter(([, p]) => p.secret)
      .map(([key]) => key);
    // An output with no value (connectIPPSSession without the compliance workload) is absent from the state.
    expect(Object.keys(remote.state).sort()).toEqual(Object.keys(local.outputs).filter((k) => local.outputs[k] !== undefined).sort());
    expect(remote.secretOutputs.sort()).toEqual(local.secretOutputs.sort());
    expect(remote.secretOutputs.sort()).toEqual(secretInSchema.sort());
    for (const key of Object.keys(remote.state).filter((k) => !local.secretOutputs.includes(k))) expect([key, remote.state[key]]).toEqual([key, local.outputs[key]]);
    expect(remote.state.clientSecret).toMatch(/^offline-secret-/);
    expect(String(remote.state.certificatePrivateKeyPem)).toContain("PRIVATE KEY");
  }, 120_000);

  it("ExchangeAppOnly with a supplied certificate sent as a secret: the same children, the PEM kept secret on the way", async () => {
    const pem = makeCertificate({ notBefore: new Date("2026-11-01T00:00:00Z"), notAfter: new Date("2027-11-01T00:00:00Z") });
    const args = { tenantId: TENANT_ID, organization: ORGANIZATION, certificate: pem, verifyOnUp: false };
    const local = await inProcess(() => new ExchangeAppOnly("exo", { ...args, certificate: pulumiSecret(pem) }), APP_ONLY);
    const { outcome, resources } = await overGrpc({ type: APP_ONLY, name: "exo", args, secretArgs: ["certificate"] });
    const remote = constructed(outcome);

    expect(comparable(withoutStackParent(resources, APP_ONLY))).toEqual(comparable(local.resources));
    const credential = named(resources, T.certificate);
    expect(credential.inputs.value).toBe("[secret]");
    expect(credential.propertyDependencies.applicationId).toEqual([named(resources, T.application).name]);
    expect(resources.some((r) => r.type === T.privateKey || r.type === T.check)).toBe(false);
    // What derives from the secret PEM stays secret, as in-process; the rest has the same values.
    expect(remote.secretOutputs.sort()).toEqual(local.secretOutputs.sort());
    expect(remote.secretOutputs).toEqual(expect.arrayContaining(["certificatePem", "certificateThumbprint"]));
    for (const key of Object.keys(remote.state).filter((k) => !local.secretOutputs.includes(k))) expect([key, remote.state[key]]).toEqual([key, local.outputs[key]]);
    expect(remote.state.certificatePem).toBe(pem.trim());
  }, 120_000);

  it("an arg used plain but sent as a secret (organization): the outputs built from it come back secret, the others not", async () => {
    const args = { tenantId: TENANT_ID, organization: ORGANIZATION, verifyOnUp: false };
    const plainRun = constructed((await overGrpc({ type: APP_ONLY, name: "exo", args })).outcome);
    const secretRun = constructed((await overGrpc({ type: APP_ONLY, name: "exo", args, secretArgs: ["organization"] })).outcome);
    const holdsOrganization = Object.keys(plainRun.state).filter((key) => JSON.stringify(plainRun.state[key]).includes(ORGANIZATION));
    expect(holdsOrganization).toContain("connectExchangeOnline");
    expect(plainRun.secretOutputs).not.toContain("connectExchangeOnline");
    expect(secretRun.secretOutputs.sort()).toEqual([...new Set([...plainRun.secretOutputs, ...holdsOrganization])].sort());
    expect(secretRun.secretOutputs).not.toContain("clientId");
    // The values themselves are unchanged (but the PFX, which is salted anew each time).
    const { certificatePfxBase64: _secretPfx, ...secretState } = secretRun.state;
    const { certificatePfxBase64: _plainPfx, ...plainState } = plainRun.state;
    expect(secretState).toEqual(plainState);
  }, 120_000);

  it("ExchangeManagedIdentity (an existing identity): the same grant to that principal as in-process", async () => {
    const principalId = "2d5b7c1e-9f3a-4b6c-8d2e-7a1f0c3b5e94";
    const args = { tenantId: TENANT_ID, organization: ORGANIZATION, role: "Global Reader", managedIdentity: { kind: "existing", principalId } };
    const local = await inProcess(() => new ExchangeManagedIdentity("mi", args as ConstructorParameters<typeof ExchangeManagedIdentity>[1]), MANAGED_IDENTITY);
    const { outcome, resources } = await overGrpc({ type: MANAGED_IDENTITY, name: "mi", args });
    const remote = constructed(outcome);

    expect(comparable(withoutStackParent(resources, MANAGED_IDENTITY))).toEqual(comparable(local.resources));
    const consent = named(resources, T.appRoleAssignment);
    const role = named(resources, T.directoryRoleAssignment);
    expect(consent.inputs.principalObjectId).toBe(principalId);
    expect(role.inputs).toMatchObject({ principalObjectId: principalId, roleId: "f2ef992c-3afb-46b9-b7cf-a126ee74c451" });
    expect(resources.some((r) => r.type === T.application)).toBe(false);
    // The schema's outputs with a value (no runbook for an existing identity), the same as in-process.
    expect(Object.keys(remote.state).sort()).toEqual(Object.keys(local.outputs).filter((k) => local.outputs[k] !== undefined).sort());
    expect(Object.keys(remote.state).length).toBeGreaterThan(0);
    expect(remote.state).toEqual(Object.fromEntries(Object.keys(remote.state).map((k) => [k, local.outputs[k]])));
    expect(remote.state.managedIdentity).toMatchObject({ kind: "existing", principalId });
  }, 120_000);
});

describe("bad args over gRPC", () => {
  const base = { tenantId: TENANT_ID, organization: ORGANIZATION };

  it.each([
    ["role", "Exchange Admin"],
    ["tenantId", "not-a-guid"],
    ["certificateRsaBits", 1024],
    ["rol", "Global Reader"],
  ] as const)("%s = %j gets TypeScript's message as a construct error naming the property; nothing registers", async (key, value) => {
    const args = { ...base, [key]: value };
    const expected = await inProcessRefusal(() => new ExchangeAppOnly("bad", args as unknown as ConstructorParameters<typeof ExchangeAppOnly>[1]), APP_ONLY);
    const { outcome, resources } = await overGrpc({ type: APP_ONLY, name: "bad", args });
    if (!isFailure(outcome)) throw new Error("Construct took a bad arg");
    expect(outcome.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(outcome.message).toBe(expected);
    expect(outcome.propertyErrors.length).toBeGreaterThan(0);
    expect(outcome.propertyErrors.map((e) => e.propertyPath)).toContain(key);
    for (const text of [outcome.message, ...outcome.propertyErrors.map((e) => e.reason)]) expect(text).not.toMatch(/\n\s+at /);
    expect(resources).toEqual([]);
    expect(engine.logs.filter((l) => l.severity === "error")).toEqual([]);
  }, 60_000);

  it("in a preview, an arg that decides which resources exist must be known; one the component takes as an Input may not be", async () => {
    const unknownRole = await overGrpc({ type: APP_ONLY, name: "exo", args: { ...base, role: "" }, unknownArgs: ["role"] });
    if (!isFailure(unknownRole.outcome)) throw new Error("Construct took an unknown role");
    expect(unknownRole.outcome.propertyErrors).toEqual([{ propertyPath: "role", reason: expect.stringContaining("role must be known before the component is built") }]);
    expect(unknownRole.resources).toEqual([]);

    const unknownName = await overGrpc({ type: APP_ONLY, name: "exo", args: { ...base, displayName: "" }, unknownArgs: ["displayName"] });
    if (isFailure(unknownName.outcome)) throw new Error(`Construct refused an unknown displayName: ${unknownName.outcome.message}`);
    expect(unknownName.resources.map((r) => r.type)).toContain(T.application);
  }, 60_000);

  it("a tenantId its azuread provider does not sign in to is refused by property, with the component's message, before anything registers", async () => {
    const other = "0c7e5d4f-1a2b-4c3d-8e9f-a0b1c2d3e4f5";
    signedInTenant = other;
    try {
      stderr = "";
      const { outcome, resources } = await overGrpc({ type: APP_ONLY, name: "exo", args: base });
      if (!isFailure(outcome)) throw new Error("Construct took a tenantId its provider does not sign in to");
      expect(outcome.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(outcome.message).toBe(tenantMismatch("ExchangeAppOnly", TENANT_ID, other)!.message);
      expect(outcome.propertyErrors.map((e) => e.propertyPath)).toEqual(["tenantId"]);
      expect(resources).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(engine.logs.filter((l) => l.severity === "error")).toEqual([]);
      expect(stderr).toBe("");
      // The provider of the right tenant: Construct builds.
      signedInTenant = TENANT_ID;
      expect(isFailure((await overGrpc({ type: APP_ONLY, name: "exo", args: base })).outcome)).toBe(false);
    } finally {
      signedInTenant = undefined;
    }
  }, 60_000);

  it("a user-assigned identity without @pulumi/azure-native beside the plugin says to install it in the plugin's folder; nothing registers", async () => {
    // The installed plugin has only its own dependency: azure-native is an optional peer nobody installed there.
    const managedIdentity = { kind: "userAssigned", name: "exo-runner", resourceGroup: "rg", location: "westeurope" };
    stderr = "";
    const { outcome, resources } = await overGrpc({ type: MANAGED_IDENTITY, name: "runner", args: { ...base, managedIdentity } });
    if (!isFailure(outcome)) throw new Error("Construct built a user-assigned identity without azure-native");
    expect(outcome.message).toContain("ExchangeManagedIdentity needs @pulumi/azure-native, which is not installed");
    expect(outcome.message).toContain(`Install it in the plugin's folder, once: cd ${pluginFolder} && npm install @pulumi/azure-native@^3.28.0`);
    expect(outcome.message).not.toContain("your program's folder");
    expect(outcome.message).not.toMatch(/\n\s+at /);
    expect(resources.filter((r) => r.custom)).toEqual([]);
  }, 60_000);

  it("a secret arg's value never shows: not in the error, the engine's log or the plugin's stderr", async () => {
    const SECRET = "KnownSecret7f3aQz9Lw2Xb";
    // A private key pasted where the public certificate goes, and a wrong organization, both sent as secrets.
    const privateKey = `-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC${SECRET}\n-----END PRIVATE KEY-----\n`;
    for (const [key, value] of [["certificate", privateKey], ["organization", SECRET]] as const) {
      stderr = "";
      const { outcome, resources } = await overGrpc({ type: APP_ONLY, name: "bad", args: { ...base, [key]: value }, secretArgs: [key] });
      if (!isFailure(outcome)) throw new Error(`Construct took ${key}`);
      expect(outcome.code).toBe(grpc.status.INVALID_ARGUMENT);
      expect(outcome.message.startsWith(`${key} = (not shown`)).toBe(true);
      expect(outcome.propertyErrors.map((e) => e.propertyPath)).toEqual([key]);
      expect(resources).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 200)); // anything the plugin still writes
      const everything = [outcome.message, ...outcome.propertyErrors.map((e) => e.reason), ...engine.logs.map((l) => l.message), stderr].join("\n");
      expect(everything).not.toContain(SECRET);
      expect(everything).not.toMatch(/\n\s+at /);
    }
  }, 60_000);
});
