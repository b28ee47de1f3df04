/**
 * verifyOnUp as the Pulumi engine runs it: the SDK's own dynamic provider host
 * (`@pulumi/pulumi/cmd/dynamic-provider`) in a fresh process, started from a copy of the project, driven over gRPC
 * with the engine's calls (Configure, Check, Diff, Create, Update, Read, Delete) against the tenant emulator.
 *
 * The state written by `up` on one runner (its serialized provider names that runner's paths) must still refresh
 * and destroy on another runner, in another folder, after the first one is gone. Nothing here reaches Microsoft.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import { startEmulator, type TenantEmulator } from "../emulator";
import { wireTenant, type WiredTenant } from "../check/tenant";

const ROOT = resolve(__dirname, "..", "..");
const URN = "urn:pulumi:dev::exchange-app-only::exchange-app-only:index:ExchangeAppOnly$pulumi-nodejs:dynamic/exchange-app-only:ExchangeAccessCheck::exo-verify";

type Props = Record<string, unknown>;

/** A runner's checkout: the built project copied to its own folder, node_modules linked (as `npm ci` would lay it). */
function checkout(label: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), `exo-runner-${label}-`)), "project");
  cpSync(join(ROOT, "dist"), join(dir, "dist"), { recursive: true });
  cpSync(join(ROOT, "package.json"), join(dir, "package.json"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/**
 * The `__provider` text the program sends the engine, serialized by the runner's own build of the component, in a
 * process of its own (as `pulumi up` would on that runner).
 */
function serializedProvider(project: string): string {
  const script = join(project, "serialize.js");
  writeFileSync(
    script,
    `const pulumi = require("@pulumi/pulumi");
pulumi.runtime.setMocks({
  newResource: (a) => { if (a.inputs.__provider) process.stdout.write(JSON.stringify(a.inputs.__provider)); return { id: "x", state: a.inputs }; },
  call: (a) => a.inputs,
}, "exchange-app-only", "dev", false);
const { ExchangeAccessCheck } = require("./dist/components/exchangeCheck");
new ExchangeAccessCheck("exo-verify", { tenantId: "t", clientId: "c", environment: "public", clientSecret: "s", triggers: [] });
`,
  );
  const run = spawnSync(process.execPath, [script], { cwd: project, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`serializing on ${project} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string;
}

interface Host {
  readonly process: ChildProcess;
  readonly client: provrpc.ResourceProviderClient;
  call<Req, Res>(method: string, request: Req): Promise<Res>;
}

/** Starts the host the way the engine's launcher does: `node <host> <engine address>` in the project's folder. */
async function startHost(project: string): Promise<Host> {
  const host = join(project, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js");
  const child = spawn(process.execPath, [host, "127.0.0.1:1"], { cwd: project, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const port = await new Promise<string>((resolvePort, reject) => {
    child.stdout!.once("data", (d: Buffer) => resolvePort(d.toString().trim()));
    child.once("exit", (code) => reject(new Error(`the provider host exited (${code}): ${stderr}`)));
  });
  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return {
    process: child,
    client,
    call: (method, request) =>
      new Promise((res, rej) => {
        (client as unknown as Record<string, (r: unknown, cb: (e: Error | null, v: unknown) => void) => void>)[method]!.call(client, request, (error, value) => (error ? rej(error) : res(value as never)));
      }),
  };
}

async function stopHost(host: Host): Promise<void> {
  host.client.close();
  host.process.kill();
  await new Promise((r) => host.process.once("exit", r));
}

const struct = (props: Props) => Struct.fromJavaScript(props as never);

async function configure(host: Host): Promise<void> {
  const request = new provproto.ConfigureRequest();
  request.setArgs(struct({}));
  const response = await host.call<provproto.ConfigureRequest, provproto.ConfigureResponse>("configure", request);
  // The host takes secrets unwrapped, as FACTS says: the engine sends plain values.
  expect(response.getAcceptsecrets()).toBe(false);
}

async function check(host: Host, olds: Props, news: Props): Promise<Props> {
  const request = new provproto.CheckRequest();
  request.setUrn(URN);
  request.setOlds(struct(olds));
  request.setNews(struct(news));
  const response = await host.call<provproto.CheckRequest, provproto.CheckResponse>("check", request);
  expect(response.getFailuresList()).toEqual([]);
  return response.getInputs()!.toJavaScript() as Props;
}

async function diff(host: Host, id: string, olds: Props, news: Props): Promise<boolean> {
  const request = new provproto.DiffRequest();
  request.setId(id);
  request.setUrn(URN);
  request.setOlds(struct(olds));
  request.setNews(struct(news));
  const response = await host.call<provproto.DiffRequest, provproto.DiffResponse>("diff", request);
  return response.getChanges() === provproto.DiffResponse.DiffChanges.DIFF_SOME;
}

async function create(host: Host, props: Props): Promise<{ id: string; state: Props }> {
  const request = new provproto.CreateRequest();
  request.setUrn(URN);
  request.setProperties(struct(props));
  const response = await host.call<provproto.CreateRequest, provproto.CreateResponse>("create", request);
  return { id: response.getId(), state: response.getProperties()!.toJavaScript() as Props };
}

async function update(host: Host, id: string, olds: Props, news: Props): Promise<Props> {
  const request = new provproto.UpdateRequest();
  request.setId(id);
  request.setUrn(URN);
  request.setOlds(struct(olds));
  request.setNews(struct(news));
  const response = await host.call<provproto.UpdateRequest, provproto.UpdateResponse>("update", request);
  return response.getProperties()!.toJavaScript() as Props;
}

async function read(host: Host, id: string, state: Props, inputs: Props): Promise<{ id: string; state: Props }> {
  const request = new provproto.ReadRequest();
  request.setId(id);
  request.setUrn(URN);
  request.setProperties(struct(state));
  request.setInputs(struct(inputs));
  const response = await host.call<provproto.ReadRequest, provproto.ReadResponse>("read", request);
  return { id: response.getId(), state: response.getProperties()!.toJavaScript() as Props };
}

async function remove(host: Host, id: string, state: Props): Promise<void> {
  const request = new provproto.DeleteRequest();
  request.setId(id);
  request.setUrn(URN);
  request.setProperties(struct(state));
  await host.call("delete", request);
}

let emu: TenantEmulator;
let tenant: WiredTenant;
const cleanup: string[] = [];

beforeAll(async () => {
  emu = await startEmulator();
  tenant = wireTenant(emu);
});
afterAll(async () => {
  await emu.close();
  for (const dir of cleanup) rmSync(resolve(dir, ".."), { recursive: true, force: true });
});

/** The check's inputs as the program sends them, with the runner's serialized provider. */
function inputs(provider: string, triggers: string[]): Props {
  return {
    __provider: provider,
    tenantId: tenant.tenantId,
    clientId: tenant.clientId,
    environment: "public",
    organization: tenant.organization,
    clientSecret: tenant.secret,
    triggers,
    timeout: "20s",
    authorityHost: emu.url,
    exchangeEndpoint: emu.url,
    trustedCaPem: emu.caPem,
  };
}

test("up on one runner; refresh, update and destroy on another, in another folder, after the first is gone", async () => {
  // Runner A: pulumi up.
  const runnerA = checkout("a");
  cleanup.push(runnerA);
  const providerA = serializedProvider(runnerA);
  expect(providerA).toContain(join(runnerA, "dist", "src", "check", "index.js"));
  const hostA = await startHost(runnerA);
  let created: { id: string; state: Props };
  try {
    await configure(hostA);
    const checked = await check(hostA, {}, inputs(providerA, ["consent-1", "role-1", "cert-1"]));
    created = await create(hostA, checked);
  } finally {
    await stopHost(hostA);
  }
  expect(created.id).toBe(`${tenant.tenantId}/${tenant.clientId}`);
  expect(created.state).toMatchObject({ ok: true, tenantId: tenant.tenantId, clientId: tenant.clientId, triggers: ["consent-1", "role-1", "cert-1"] });
  expect(created.state.checks).toEqual(expect.arrayContaining([expect.stringMatching(/^ok exchange\.invoke/)]));
  // The state the engine keeps holds no secret: only what was checked and the provider's text.
  expect(JSON.stringify(created.state)).not.toContain(tenant.secret);

  // Runner A's folder is gone; runner B has the project somewhere else.
  rmSync(resolve(runnerA, ".."), { recursive: true, force: true });
  const runnerB = checkout("b");
  cleanup.push(runnerB);
  const providerB = serializedProvider(runnerB);
  const hostB = await startHost(runnerB);
  try {
    await configure(hostB);
    // pulumi refresh: the state (with runner A's provider text) reads back as it is.
    const refreshed = await read(hostB, created.id, created.state, inputs(providerA, ["consent-1", "role-1", "cert-1"]));
    expect(refreshed).toEqual({ id: created.id, state: created.state });

    // pulumi up with nothing changed: no diff, so the check does not run again.
    const same = await check(hostB, created.state, inputs(providerB, ["consent-1", "role-1", "cert-1"]));
    expect(await diff(hostB, created.id, created.state, same)).toBe(false);

    // pulumi up after a credential was replaced: a diff, and the check runs again with runner B's build.
    const rotated = await check(hostB, created.state, inputs(providerB, ["consent-1", "role-1", "cert-2"]));
    expect(await diff(hostB, created.id, created.state, rotated)).toBe(true);
    const updated = await update(hostB, created.id, created.state, rotated);
    expect(updated).toMatchObject({ ok: true, triggers: ["consent-1", "role-1", "cert-2"], __provider: providerB });

    // pulumi destroy: both the state written on A and the one written on B delete cleanly.
    await expect(remove(hostB, created.id, created.state)).resolves.toBeUndefined();
    await expect(remove(hostB, created.id, updated)).resolves.toBeUndefined();
  } finally {
    await stopHost(hostB);
  }
});

test("a broken identity fails Create over gRPC with the check's report, and never the secret", async () => {
  const broken = wireTenant(emu, { role: "none" });
  const runner = checkout("c");
  cleanup.push(runner);
  const host = await startHost(runner);
  try {
    await configure(host);
    const props = { ...inputs(serializedProvider(runner), []), tenantId: broken.tenantId, clientId: broken.clientId, clientSecret: broken.secret, timeout: "2s" };
    const failure = await create(host, await check(host, {}, props)).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(failure?.message).toMatch(/verifyOnUp: the identity does not work yet/);
    expect(failure?.message).toMatch(/exchange\.invoke/);
    expect(failure?.message).not.toContain(broken.secret);
  } finally {
    await stopHost(host);
  }
});
