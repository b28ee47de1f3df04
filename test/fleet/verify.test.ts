/**
 * The check after `up` and for `fleet verify`, in process against the tenant emulator: one-tenant stacks and
 * stacks of many tenants, outputs mapped to check inputs the way `verify --stack` maps them. No secret leaves.
 */
import { runFleet } from "../../src/fleet/runner";
import { verifyTenants, type VerifySettings } from "../../src/fleet/verifyTenants";
import { startEmulator, type TenantEmulator } from "../emulator";
import { wireTenant, type WiredTenant } from "../check/tenant";
import { FakeDriver } from "./fakeDriver";

let emu: TenantEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

const settings = (extra: Partial<VerifySettings> = {}): VerifySettings => ({ timeoutMs: 10_000, exchangeEndpoint: emu.url, ca: emu.caPem, env: {}, ...extra });
const never = new AbortController().signal;

/** A one-tenant stack's outputs (src/outputs/stackOutputs.ts names) for a wired tenant; a secret unless asked otherwise. */
function outputsOf(t: WiredTenant, o: { certificate?: boolean } = {}): Record<string, unknown> {
  const base = {
    tenantId: t.tenantId,
    organization: t.organization,
    environment: "public",
    clientId: t.clientId,
    applicationObjectId: t.appObjectId,
    servicePrincipalObjectId: t.spObjectId,
    roleName: "Exchange Administrator",
    authorityHost: emu.url,
    exchangeResource: "https://outlook.office365.com",
    connectExchangeOnline: { accessToken: "Connect-ExchangeOnline -AccessToken $token" },
  };
  if (!o.certificate) return { ...base, clientSecret: t.secret };
  const end = "PRIVATE KEY-----\n";
  const cut = t.certificatePem.indexOf(end, t.certificatePem.indexOf("-----END")) + end.length;
  return { ...base, certificatePrivateKeyPem: t.certificatePem.slice(0, cut), certificatePem: t.certificatePem.slice(cut), certificatePfxBase64: "TUlJQ0VBQUFBQUFBQUFBQUFBQUFBQUFB" };
}

test("a one-tenant stack: its tenant is checked with the stack's secret", async () => {
  const t = wireTenant(emu);
  emu.clearRequests();
  const [result, ...rest] = await verifyTenants("contoso", outputsOf(t), settings(), never);
  expect(rest).toHaveLength(0);
  expect(result).toEqual({ tenant: t.tenantId, tenantId: t.tenantId, clientId: t.clientId, ok: true, durationMs: expect.any(Number) });
  // Token from the stack's authority host, probe to --exchange-endpoint: the emulator saw both for this tenant.
  expect(emu.requests.filter((r) => r.tenantId === t.tenantId).map((r) => r.kind)).toEqual(expect.arrayContaining(["token", "invoke"]));
});

test("the certificate outputs are preferred over a secret, as verify --stack does", async () => {
  const t = wireTenant(emu, { certificate: true });
  const outputs = { ...outputsOf(t, { certificate: true }), clientSecret: "not-the-secret-0123456789" };
  const [result] = await verifyTenants("contoso", outputs, settings(), never);
  expect(result!.ok).toBe(true);
});

test("a stack of many tenants: each tenant is checked; a broken one fails alone, named with its check and fix", async () => {
  const good = wireTenant(emu);
  const noConsent = wireTenant(emu, { consent: false });
  const outputs = { tenants: { contoso: outputsOf(good), fabrikam: outputsOf(noConsent) } };
  const results = await verifyTenants("msp", outputs, settings({ timeoutMs: 1500 }), never);
  expect(results.map((r) => [r.tenant, r.ok])).toEqual([
    ["contoso", true],
    ["fabrikam", false],
  ]);
  expect(results[1]!.error!.code).toBe("ERR_CHECK_FAILED");
  expect(results[1]!.error!.message).toMatch(/^token\.role: .*\(gave up at the --verify-timeout deadline\)$/);
  expect(results[1]!.error!.remedy.length).toBeGreaterThan(10);
  expect(JSON.stringify(results)).not.toContain(noConsent.secret);
});

test("a stack without usable outputs (never deployed): a setup failure with the fleet's fix", async () => {
  const [result] = await verifyTenants("new-tenant", {}, settings(), never);
  expect(result).toMatchObject({
    tenant: "new-tenant",
    ok: false,
    error: { code: "ERR_STACK", message: "stack new-tenant lacks usable outputs: tenantId, clientId, environment", remedy: expect.stringMatching(/fleet up/) },
  });
  const [many] = await verifyTenants("msp", { tenants: {} }, settings(), never);
  expect(many!.error!.message).toBe("stack msp exports tenants: {} with no tenant in it");
});

test("a stack holding no credential: named, and no secret asked for on a command line", async () => {
  const t = wireTenant(emu);
  const { clientSecret: _drop, ...withoutSecret } = outputsOf(t);
  const [result] = await verifyTenants("contoso", withoutSecret, settings(), never);
  expect(result!.error).toMatchObject({ code: "ERR_USAGE", message: "stack contoso holds no secret or certificate to check with" });
});

test("fleet up end to end in process: the fake driver's outputs, the emulator's tenants, one failure isolated, no secret in the results", async () => {
  const a = wireTenant(emu);
  const b = wireTenant(emu);
  const broken = wireTenant(emu, { consent: false });
  const driver = new FakeDriver(
    {
      "tenant-a": { outputs: outputsOf(a) },
      "tenant-b": { outputs: { tenants: { b: outputsOf(b), broken: outputsOf(broken) } } },
      "tenant-c": { fail: "error: azuread:index:Application (app): authorization failed" },
    },
    { latencyMs: 5 },
  );
  const results = await runFleet({
    command: "up",
    stacks: [{ name: "tenant-a" }, { name: "tenant-b" }, { name: "tenant-c" }],
    driver,
    concurrency: 2,
    verify: (stack, outputs, signal) => verifyTenants(stack, outputs, settings({ timeoutMs: 1500 }), signal),
  });
  expect(results.map((r) => [r.stack, r.status, r.phase])).toEqual([
    ["tenant-a", "succeeded", undefined],
    ["tenant-b", "failed", "verify"],
    ["tenant-c", "failed", "update"],
  ]);
  expect(results[1]!.tenants!.map((t) => [t.tenant, t.ok])).toEqual([
    ["b", true],
    ["broken", false],
  ]);
  expect(results[1]!.error!.message).toMatch(/^1 of 2 tenants failed the check \(broken\); broken: token\.role: /);
  const text = JSON.stringify(results);
  for (const secret of [a.secret, b.secret, broken.secret]) expect(text).not.toContain(secret);
});

test("an abort stops the checks that wait: the tenant is cancelled, not failed", async () => {
  const t = wireTenant(emu, { consentAfterMs: 60_000 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 300);
  const [result] = await verifyTenants("contoso", outputsOf(t), settings({ timeoutMs: 30_000 }), controller.signal);
  expect(result!.error!.code).toBe("ERR_CANCELLED");
});
