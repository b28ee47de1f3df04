/**
 * `exo-app-only verify --workload / --probe-cmdlet / --api` end to end: the built CLI as a child process against
 * the tenant emulator, every request it sends accounted for by the emulator (loopback only).
 */
import { startEmulator, EMULATED_MANAGE_AS_APP_V2_ROLE_ID, type TenantEmulator } from "../emulator";
import { wireTenant, type WiredTenant } from "../check/tenant";
import { expectNothingSecret, expectVerifyUsageError, runCli, type CliResult } from "./run";

let emu: TenantEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

const SECRET_VAR = "EXO_TEST_CLIENT_SECRET";
const COMPLIANCE_ADMINISTRATOR = "17315797-102d-40b4-93e0-432062caca18";

function verify(t: WiredTenant, extra: string[]): Promise<CliResult> {
  return runCli(
    ["verify", "--tenant-id", t.tenantId, "--client-id", t.clientId, "--client-secret-env", SECRET_VAR, "--authority-host", emu.url, "--exchange-endpoint", emu.url, "--timeout", "10s", ...extra],
    { env: { NODE_EXTRA_CA_CERTS: emu.caFile, [SECRET_VAR]: t.secret } },
  );
}

function json(result: CliResult): Record<string, any> {
  return JSON.parse(result.stdout.trim());
}

/** Every request the CLI says it sent reached the emulator (127.0.0.1): nothing went anywhere else. */
function expectLoopbackOnly(result: CliResult, tenantId: string): void {
  const sent = json(result).requests as Record<string, number>;
  const total = Object.values(sent).reduce((a, b) => a + b, 0);
  expect(total).toBeGreaterThan(0);
  expect(emu.requests.filter((r) => r.tenantId === tenantId || r.kind === "metadata")).toHaveLength(total);
}

function reportingApp(): WiredTenant {
  const t = wireTenant(emu, { role: "none" });
  emu.exchangeRbac.addServicePrincipal(t.tenantId, { appId: t.clientId, objectId: t.spObjectId, displayName: "reporting" });
  emu.exchangeRbac.addRoleAssignment(t.tenantId, { app: t.spObjectId, role: "View-Only Configuration" });
  return t;
}

describe("--probe-cmdlet", () => {
  test("a reporting app with no directory role passes Get-AcceptedDomain and fails Get-Mailbox with the fix; loopback only", async () => {
    const t = reportingApp();
    emu.clearRequests();
    const ok = await verify(t, ["--probe-cmdlet", "Get-AcceptedDomain", "--json"]);
    expect(ok.code).toBe(0);
    expect(json(ok).probe).toEqual({ workload: "exchange", cmdlet: "Get-AcceptedDomain", api: "invoke-command", sent: true });
    expectLoopbackOnly(ok, t.tenantId);

    const refused = await verify(t, ["--probe-cmdlet", "Get-Mailbox"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Checking app-only Exchange Online access, probing Get-Mailbox:");
    expect(refused.stdout).toMatch(/FAIL exchange\.invoke\s+Exchange Online answered 401: "User is not allowed to call Get-Mailbox": the app may not run Get-Mailbox/);
    expect(refused.stdout).toMatch(/fix: Give the app the Exchange role "View-Only Recipients" \(or "Mail Recipients"\)/);
    expect(refused.stdout).toContain("FAIL: exchange.invoke (cannot pass without a change; 1 attempt,");
    expectNothingSecret(refused, [t.secret]);
  });
});

describe("--workload compliance", () => {
  test("passes for Compliance Administrator against the S&C endpoint; the text names Security & Compliance", async () => {
    const t = wireTenant(emu, { role: COMPLIANCE_ADMINISTRATOR });
    emu.clearRequests();
    const r = await verify(t, ["--workload", "compliance", "--compliance-endpoint", emu.complianceUrl, "--json"]);
    expect(r.code).toBe(0);
    const body = json(r);
    expect(body.probe).toEqual({ workload: "compliance", cmdlet: "Get-Label", api: "invoke-command", sent: true });
    expect(body.checks.map((c: { id: string }) => c.id)).toContain("token.workload");
    expect(emu.requests.filter((q) => q.kind === "invoke").map((q) => q.path)).toEqual([`/compliance/adminapi/beta/${t.tenantId}/InvokeCommand`]);
    expectLoopbackOnly(r, t.tenantId);
    const text = await verify(t, ["--workload", "compliance", "--compliance-endpoint", emu.complianceUrl]);
    expect(text.stdout).toMatch(/^Security & Compliance app-only check · tenant /);
    expect(text.stdout).toContain(`PASS: app ${t.clientId} has app-only access to Security & Compliance in tenant ${t.tenantId} and may run Get-Label (1 attempt,`);
  });

  test("Exchange Administrator: exit 1, the mismatch and the roles that work for both", async () => {
    const t = wireTenant(emu);
    const r = await verify(t, ["--workload", "compliance", "--compliance-endpoint", emu.complianceUrl]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL token\.workload\s+the app holds Exchange Administrator, which works for Exchange Online but not for Security & Compliance/);
    expect(r.stdout).toContain("fix: Give the app a directory role that works for both: Global Reader, Security Reader, Security Administrator, Compliance Administrator");
  });
});

describe("--api admin-v2 (preview)", () => {
  test("POST /adminapi/v2.0/{tenant}/AcceptedDomain with Exchange.ManageAsAppV2; labelled preview", async () => {
    const t = reportingApp();
    emu.directory.addAppRoleAssignment(t.tenantId, { principalObjectId: t.spObjectId, resourceObjectId: emu.directory.getTenant(t.tenantId)!.exchangeServicePrincipalObjectId!, appRoleId: EMULATED_MANAGE_AS_APP_V2_ROLE_ID });
    emu.clearRequests();
    const r = await verify(t, ["--api", "admin-v2", "--json"]);
    expect(r.code).toBe(0);
    expect(json(r).probe).toEqual({ workload: "exchange", cmdlet: "Get-AcceptedDomain", api: "admin-v2", sent: true, preview: true });
    expect(emu.requests.filter((q) => q.kind === "invoke").map((q) => `${q.method} ${q.path}`)).toEqual([`POST /adminapi/v2.0/${t.tenantId}/AcceptedDomain`]);
    expect(r.stderr).toContain("Checking app-only Exchange Online Admin API (preview) access:");
    expectLoopbackOnly(r, t.tenantId);
    const text = await verify(t, ["--api", "admin-v2"]);
    expect(text.stdout).toContain("· probe Get-AcceptedDomain (Admin API, preview)");
    expect(text.stdout).toContain("has app-only access to the Exchange Online Admin API (preview) in tenant");
  });
});

describe("usage errors: exit 2 with the fix, before any request", () => {
  test.each([
    [["--workload", "exchnage"], /^error: unknown workload "exchnage"/m, /Use one of: exchange, compliance\./],
    [["--api", "v3"], /^error: unknown api "v3"/m, /Use one of: invoke-command, admin-v2\./],
    [["--probe-cmdlet", "Get-Mailbox -ResultSize Unlimited"], /is not a cmdlet name/, /Verb-Noun/],
    [["--api", "admin-v2", "--workload", "compliance"], /Security & Compliance has none/, /Drop --api admin-v2/],
    [["--api", "admin-v2", "--probe-cmdlet", "Get-TransportRule"], /the Admin API \(preview\) has no endpoint for Get-TransportRule/, /OrganizationConfig/],
  ])("%j", async (extra, message, fix) => {
    await expectVerifyUsageError(emu, extra, message, fix);
  });

  test("--help documents the three flags", async () => {
    const r = await runCli(["verify", "--help"]);
    expect(r.code).toBe(0);
    for (const flag of ["--workload <workload>", "--probe-cmdlet <Cmdlet>", "--api <api>", "exo-app-only verify --stack dev --probe-cmdlet Get-Mailbox", "--workload compliance", "--api admin-v2"]) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).not.toContain("--compliance-endpoint");
  });
});
