/**
 * verifyOnUp: the check resource's logic (src/check/resource.ts, what the plugin runs) against the emulator, and the
 * resource (components/exchangeCheck.ts) under Pulumi mocks, where no provider runs: its type token, its secret inputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { checkExchangeCheckInputs, exchangeCheckChanged, runExchangeCheck } from "../../src/check/resource";
import { TYPE } from "../../src/facts";
import { startEmulator, type TenantEmulator } from "../emulator";
import { wireTenant } from "./tenant";

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
  const t = wireTenant(emu);
  const outs = await runExchangeCheck(
    { tenantId: t.tenantId, clientId: t.clientId, environment: "public", clientSecret: t.secret, triggers: ["secret-1"], authorityHost: emu.url, exchangeEndpoint: emu.url, trustedCaPem: emu.caPem, timeout: "10s" },
  );
  expect(outs).toMatchObject({ ok: true, attempts: 1, tenantId: t.tenantId, triggers: ["secret-1"] });
  expect(outs.checks).toHaveLength(8);
  expect(outs.checks[7]).toMatch(/^ok exchange\.invoke Get-AcceptedDomain answered 200/);
  expect(JSON.stringify(outs)).not.toContain(t.secret);
});

test("a certificate is preferred when both are given", async () => {
  const t = wireTenant(emu, { certificate: true });
  const outs = await runExchangeCheck(
    { tenantId: t.tenantId, clientId: t.clientId, environment: "public", certificatePem: t.certificatePem, clientSecret: "stale-secret-value", triggers: [], authorityHost: emu.url, exchangeEndpoint: emu.url, trustedCaPem: emu.caPem },
  );
  expect(outs.checks.find((c) => c.includes("token.client"))).toMatch(/certificate or assertion/);
  // The emulator's certificates end within a day: a warning in the resource's outputs, not an "ok", not a failure.
  expect(outs.ok).toBe(true);
  expect(outs.checks.find((c) => c.includes("credential.validity"))).toMatch(/^WARN credential\.validity /);
});

test("a failing check fails the deployment with the report, not the secret", async () => {
  const t = wireTenant(emu, { role: "none" });
  const run = runExchangeCheck(
    { tenantId: t.tenantId, clientId: t.clientId, environment: "public", clientSecret: t.secret, triggers: [], authorityHost: emu.url, exchangeEndpoint: emu.url, trustedCaPem: emu.caPem, timeout: "1s" },
  );
  await expect(run).rejects.toThrow(/^verifyOnUp: the identity does not work yet\.\n/);
  await expect(run).rejects.toThrow(/FAIL exchange\.invoke\s+Exchange Online answered 403 Forbidden/);
  await run.catch((e: Error) => expect(e.message).not.toContain(t.secret));
});

test("setup problems are one clear error: no credential, an http override", async () => {
  const base = { tenantId: "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", clientId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", environment: "public" as const, triggers: [] };
  await expect(runExchangeCheck(base)).rejects.toThrow(/no client secret or certificate to check with/);
  await expect(runExchangeCheck({ ...base, clientSecret: "x", authorityHost: "http://127.0.0.1:1" })).rejects.toThrow(/^verifyOnUp: --authority-host http:\/\/127\.0\.0\.1:1 is not https\n/);
});

test.each([
  [{}, false],
  [{ tenantId: "other" }, true],
  [{ clientId: "other" }, true],
  [{ environment: "china" }, true],
  [{ triggers: ["a", "c"] }, true],
  [{ triggers: ["a"] }, true],
])("re-runs when %j changes: %s", async (change, expected) => {
  const olds = { tenantId: "t", clientId: "c", environment: "public" as const, triggers: ["a", "b"] };
  expect(exchangeCheckChanged(olds, { ...olds, ...change } as never)).toBe(expected);
});

test.each([
  ["tenantId", { tenantId: "contoso" }, /tenantId "contoso" is not a GUID/],
  ["clientId", { clientId: "" }, /clientId "" is not a GUID/],
  ["environment", { environment: "azure" }, /environment "azure" is not public, usgovernment, dod or china/],
  ["timeout", { timeout: "soon" }, /timeout/],
  ["triggers", { triggers: "k" }, /triggers must be a list of strings/],
  ["authorityHost", { authorityHost: "http://127.0.0.1:1" }, /authorityHost "http:\/\/127\.0\.0\.1:1" must be an https:\/\/ URL/],
  ["probe", { probe: "yes" }, /probe "yes" must be true or false/],
  ["clientSecret", { clientSecret: 42 }, /clientSecret must be a string/],
])("a bad %s is a failure naming the property", (property, change, reason) => {
  const good = { tenantId: "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", clientId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", environment: "public", triggers: [], clientSecret: "s3cret-never-quoted" };
  expect(checkExchangeCheckInputs(good as never)).toEqual([]);
  const failures = checkExchangeCheckInputs({ ...good, ...change } as never);
  expect(failures).toHaveLength(1);
  expect(failures[0]!.property).toBe(property);
  expect(failures[0]!.reason).toMatch(reason);
  expect(JSON.stringify(failures)).not.toContain("s3cret-never-quoted");
});

test("under mocks the resource registers under the plugin's type token with secret inputs, and no provider in its inputs", async () => {
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
  expect(resource!.type).toBe(TYPE.check);
  expect(resource!.type).toBe("exchange-app-only:index:ExchangeAccessCheck");
  expect(resource!.inputs.triggers).toEqual(["key-1"]);
  // Sent to the engine as a secret (the signature object), so state keeps it encrypted.
  expect(resource!.inputs.clientSecret).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "the-secret-value-123" });
  expect(resource!.inputs.__provider).toBeUndefined();
  expect(isSecret).toBe(true);
  expect(ExchangeAccessCheck.isInstance(check)).toBe(true);
});
