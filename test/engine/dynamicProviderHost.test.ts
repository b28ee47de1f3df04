/**
 * verifyOnUp as the Pulumi engine runs it: the SDK's own dynamic provider host
 * (`@pulumi/pulumi/cmd/dynamic-provider`) in a fresh process, started from a copy of the project, driven over gRPC
 * with the engine's calls (Configure, Check, Diff, Create, Update, Read, Delete) against the tenant emulator.
 *
 * The state written by `up` on one runner (its serialized provider names that runner's paths) must still refresh
 * and destroy on another runner, in another folder, after the first one is gone. Nothing here reaches Microsoft.
 */
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { startEmulator, type TenantEmulator } from "../emulator";
import { wireTenant, type WiredTenant } from "../check/tenant";
import { checkout, Host, serializedProvider as serializeOn, type Props } from "./providerHost";

const URN = "urn:pulumi:dev::exchange-app-only::exchange-app-only:index:ExchangeAppOnly$pulumi-nodejs:dynamic/exchange-app-only:ExchangeAccessCheck::exo-verify";

/** The check's provider text, serialized by the runner's own build of the component. */
function serializedProvider(project: string): string {
  return serializeOn(
    project,
    `const { ExchangeAccessCheck } = require("./dist/components/exchangeCheck");
new ExchangeAccessCheck("exo-verify", { tenantId: "t", clientId: "c", environment: "public", clientSecret: "s", triggers: [] });`,
  );
}

async function startHost(project: string): Promise<Host> {
  return Host.start(project);
}

async function stopHost(host: Host): Promise<void> {
  await host.stop();
}

async function configure(host: Host): Promise<void> {
  const response = await host.configure();
  // The host takes secrets unwrapped, as FACTS says: the engine sends plain values.
  expect(response.getAcceptsecrets()).toBe(false);
}

async function check(host: Host, olds: Props, news: Props): Promise<Props> {
  const checked = await host.check(URN, olds, news);
  expect(checked.failures).toEqual([]);
  return checked.inputs;
}

const diff = async (host: Host, id: string, olds: Props, news: Props): Promise<boolean> => (await host.diff(URN, id, olds, news)).changes;
const create = (host: Host, props: Props) => host.create(URN, props);
const update = (host: Host, id: string, olds: Props, news: Props) => host.update(URN, id, olds, news);
const read = (host: Host, id: string, state: Props, inputs: Props) => host.read(URN, id, state, inputs);
const remove = (host: Host, id: string, state: Props) => host.remove(URN, id, state);

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
