/**
 * verifyOnUp (components/exchangeCheck.ts). Under Pulumi mocks no provider runs, so the check the provider calls
 * is tested directly against the emulator, and the mocks test only that the resource registers and that its
 * provider serializes (dynamic providers are sent to the engine as source text).
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, type TenantEmulator } from "../emulator";
import { wireTenant } from "./tenant";

// The provider requires the *compiled* library; here the TypeScript one is used through ts-jest.
const CHECK_SOURCE = path.resolve(__dirname, "../../src/check/index.ts");

let emu: TenantEmulator;
let registered: pulumi.runtime.MockResourceArgs[] = [];
beforeAll(async () => {
  emu = await startEmulator();
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push(args);
        return { id: `${args.name}-id`, state: { ...args.inputs, ok: true } };
      },
      call: (args) => args.inputs,
    },
    "project",
    "stack",
    false,
  );
});
afterAll(async () => {
  await emu.close();
});

async function load() {
  return import("../../components/exchangeCheck");
}

test("the check passes: the outputs say what was checked and hold no secret", async () => {
  const { runExchangeCheck } = await load();
  const t = wireTenant(emu);
  const outs = await runExchangeCheck(
    { tenantId: t.tenantId, clientId: t.clientId, environment: "public", clientSecret: t.secret, triggers: ["secret-1"], authorityHost: emu.url, exchangeEndpoint: emu.url, trustedCaPem: emu.caPem, timeout: "10s" },
    CHECK_SOURCE,
  );
  expect(outs).toMatchObject({ ok: true, attempts: 1, tenantId: t.tenantId, triggers: ["secret-1"] });
  expect(outs.checks).toHaveLength(8);
  expect(outs.checks[7]).toMatch(/^ok exchange\.invoke Get-AcceptedDomain answered 200/);
  expect(JSON.stringify(outs)).not.toContain(t.secret);
});

test("a certificate is preferred when both are given", async () => {
  const { runExchangeCheck } = await load();
  const t = wireTenant(emu, { certificate: true });
  const outs = await runExchangeCheck(
    { tenantId: t.tenantId, clientId: t.clientId, environment: "public", certificatePem: t.certificatePem, clientSecret: "stale-secret-value", triggers: [], authorityHost: emu.url, exchangeEndpoint: emu.url, trustedCaPem: emu.caPem },
    CHECK_SOURCE,
  );
  expect(outs.checks.find((c) => c.includes("token.client"))).toMatch(/certificate or assertion/);
  // The emulator's certificates end within a day: a warning in the resource's outputs, not an "ok", not a failure.
  expect(outs.ok).toBe(true);
  expect(outs.checks.find((c) => c.includes("credential.validity"))).toMatch(/^WARN credential\.validity /);
});

test("a failing check fails the deployment with the report, not the secret", async () => {
  const { runExchangeCheck } = await load();
  const t = wireTenant(emu, { role: "none" });
  const run = runExchangeCheck(
    { tenantId: t.tenantId, clientId: t.clientId, environment: "public", clientSecret: t.secret, triggers: [], authorityHost: emu.url, exchangeEndpoint: emu.url, trustedCaPem: emu.caPem, timeout: "1s" },
    CHECK_SOURCE,
  );
  await expect(run).rejects.toThrow(/^verifyOnUp: the identity does not work yet\.\n/);
  await expect(run).rejects.toThrow(/FAIL exchange\.invoke\s+Exchange Online answered 403 Forbidden/);
  await run.catch((e: Error) => expect(e.message).not.toContain(t.secret));
});

test("setup problems are one clear error: no credential, an http override, the library not built", async () => {
  const { runExchangeCheck } = await load();
  const base = { tenantId: "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", clientId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", environment: "public" as const, triggers: [] };
  await expect(runExchangeCheck(base, CHECK_SOURCE)).rejects.toThrow(/no client secret or certificate to check with/);
  await expect(runExchangeCheck({ ...base, clientSecret: "x", authorityHost: "http://127.0.0.1:1" }, CHECK_SOURCE)).rejects.toThrow(/^verifyOnUp: --authority-host http:\/\/127\.0\.0\.1:1 is not https\n/);
  await expect(runExchangeCheck({ ...base, clientSecret: "x" }, "/nowhere/check/index.js")).rejects.toThrow(/the check library is not built .* Run `npm run build`/);
});

test.each([
  [{}, false],
  [{ tenantId: "other" }, true],
  [{ clientId: "other" }, true],
  [{ environment: "china" }, true],
  [{ triggers: ["a", "c"] }, true],
  [{ triggers: ["a"] }, true],
])("re-runs when %j changes: %s", async (change, expected) => {
  const { exchangeCheckChanged } = await load();
  const olds = { tenantId: "t", clientId: "c", environment: "public" as const, triggers: ["a", "b"] };
  expect(exchangeCheckChanged(olds, { ...olds, ...change } as never)).toBe(expected);
});

test("under mocks the resource registers with secret inputs, and its provider serializes without the secret", async () => {
  const { ExchangeAccessCheck } = await load();
  registered = [];
  const check = new ExchangeAccessCheck("exo-verify", {
    tenantId: "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b",
    clientId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    environment: "public",
    clientSecret: pulumi.output("the-secret-value-123"),
    triggers: [pulumi.output("key-1")],
  });
  const secretOutput = (check as unknown as { clientSecret: pulumi.Output<string> }).clientSecret;
  expect(secretOutput).toBeDefined();
  const isSecret = await pulumi.isSecret(secretOutput);
  await new Promise<void>((resolve) => check.ok.apply(() => resolve()));
  const resource = registered.find((r) => r.name === "exo-verify");
  expect(resource).toBeDefined();
  expect(resource!.inputs.triggers).toEqual(["key-1"]);
  const provider = String(resource!.inputs.__provider);
  expect(provider).toContain("require(");
  expect(provider).not.toContain("the-secret-value-123");
  expect(isSecret).toBe(true);
});

test("the serialized provider, loaded the way the engine's provider host loads it, runs the check (needs `npm run build`)", async () => {
  const { ExchangeAccessCheck } = await load();
  registered = [];
  const t = wireTenant(emu);
  const check = new ExchangeAccessCheck("exo-verify-roundtrip", {
    tenantId: t.tenantId,
    clientId: t.clientId,
    environment: "public",
    clientSecret: t.secret,
    triggers: ["k"],
  });
  await new Promise<void>((resolve) => check.ok.apply(() => resolve()));
  const source = String(registered.find((r) => r.name === "exo-verify-roundtrip")!.inputs.__provider);
  // @pulumi/pulumi/cmd/dynamic-provider does exactly this: requireFromString(props.__provider).handler()
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const requireFromString = require("require-from-string") as (code: string) => { handler: () => pulumi.dynamic.ResourceProvider };
  const provider = requireFromString(source).handler();
  const inputs = { tenantId: t.tenantId, clientId: t.clientId, environment: "public", clientSecret: t.secret, triggers: ["k"], authorityHost: emu.url, exchangeEndpoint: emu.url, trustedCaPem: emu.caPem };
  const created = await provider.create(inputs);
  expect(created.id).toBe(`${t.tenantId}/${t.clientId}`);
  expect(created.outs).toMatchObject({ ok: true, attempts: 1 });
  expect(await provider.diff!(created.id, created.outs, inputs)).toMatchObject({ changes: false });
  expect(await provider.diff!(created.id, created.outs, { ...inputs, triggers: ["k2"] })).toMatchObject({ changes: true });
  await expect(provider.delete!(created.id, created.outs)).resolves.toBeUndefined();
});
