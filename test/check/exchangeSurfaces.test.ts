/** The check's workload, probe cmdlet and API choices, in process against the tenant emulator. */
import { cmdletFix } from "../../src/check/cmdletFix";
import { CheckSetupError } from "../../src/errors";
import { runCheck, validateCheckOptions } from "../../src/check/run";
import { toJson } from "../../src/check/report";
import type { CheckReport } from "../../src/check/types";
import { CLOUDS, EOP_MANAGE_AS_APP_ROLE, EXCHANGE_ONLINE_PROTECTION_APP_ID } from "../../src/facts";
import { EMULATED_MANAGE_AS_APP_V2_ROLE_ID, startEmulator, type TenantEmulator } from "../emulator";
import { checkOptions, wireTenant, type WiredTenant } from "./tenant";

let emu: TenantEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

const COMPLIANCE_ADMINISTRATOR = "17315797-102d-40b4-93e0-432062caca18";
const EXCHANGE_ADMINISTRATOR = "29232cdf-9323-42fd-ade2-1d097af3e4de";

const check = (report: CheckReport, id: string) => report.checks.find((c) => c.id === id);

/** A reporting app: Exchange.ManageAsApp, no directory role, Exchange RBAC "View-Only Configuration". */
function reportingApp(): WiredTenant {
  const t = wireTenant(emu, { role: "none" });
  emu.exchangeRbac.addServicePrincipal(t.tenantId, { appId: t.clientId, objectId: t.spObjectId, displayName: "reporting" });
  emu.exchangeRbac.addRoleAssignment(t.tenantId, { app: t.spObjectId, role: "View-Only Configuration" });
  return t;
}

describe("--probe-cmdlet: the app may run what it exists for", () => {
  test("a reporting app with View-Only Configuration and no directory role may run Get-AcceptedDomain", async () => {
    const t = reportingApp();
    const report = await runCheck(checkOptions(emu, t, { probeCmdlet: "Get-AcceptedDomain" }));
    expect(report.ok).toBe(true);
    expect(check(report, "exchange.invoke")?.detail).toMatch(/^Get-AcceptedDomain answered 200 \(accepted domains: .+\): the app may run Get-AcceptedDomain$/);
    expect(toJson(report).probe).toEqual({ workload: "exchange", cmdlet: "Get-AcceptedDomain", api: "invoke-command", sent: true });
  });

  test("...and may not run Get-Mailbox: fails at once with the Exchange role and the directory roles that allow it", async () => {
    const t = reportingApp();
    const report = await runCheck(checkOptions(emu, t, { probeCmdlet: "Get-Mailbox" }));
    expect(report.ok).toBe(false);
    expect(report.attempts).toBe(1);
    expect(report.stoppedBy).toBe("unhealable");
    const probe = check(report, "exchange.invoke")!;
    expect(probe.detail).toBe('Exchange Online answered 401: "User is not allowed to call Get-Mailbox": the app may not run Get-Mailbox');
    expect(probe.remedy).toContain('the Exchange role "View-Only Recipients" (or "Mail Recipients") — exchange-app-only:exchangeRoles: [{ role: "View-Only Recipients" }]');
    expect(probe.remedy).toContain("a directory role that allows it: Global Reader, Helpdesk Administrator, Exchange Recipient Administrator, Exchange Administrator");
    expect(probe.remedy).not.toContain("Global Administrator");
  });

  test("the fix for other cmdlets: one the table does not know, one that never runs app-only, a compliance one", () => {
    expect(cmdletFix("Get-TransportRule")).toMatch(/^Find the roles that include Get-TransportRule with `Get-ManagementRole -Cmdlet Get-TransportRule`/);
    expect(cmdletFix("new-compliancesearch")).toBe("New-ComplianceSearch does not run app-only (Microsoft: Purview eDiscovery cmdlets need a signed-in user); run it as a user.");
    expect(cmdletFix("Get-Label")).toBe("Give the app a directory role that allows it: Global Reader, Security Reader, Security Administrator, Compliance Administrator (exchange-app-only:role).");
  });
});

describe("--workload compliance", () => {
  test("Compliance Administrator: a token for the S&C resource, checked, and the S&C probe passes", async () => {
    const t = wireTenant(emu, { role: COMPLIANCE_ADMINISTRATOR });
    emu.clearRequests();
    const report = await runCheck(checkOptions(emu, t, { workload: "compliance", complianceEndpoint: emu.complianceUrl, probeCmdlet: "Get-Label" }));
    expect(report.ok).toBe(true);
    expect(check(report, "token.audience")?.detail).toBe(`aud = ${CLOUDS.public.compliance.resource}: Security & Compliance (${CLOUDS.public.label})`);
    expect(check(report, "token.workload")?.detail).toBe("wids holds Compliance Administrator, which works for Security & Compliance");
    expect(check(report, "exchange.invoke")?.detail).toBe("Get-Label answered 200 in Security & Compliance: the app may run Get-Label");
    expect(emu.requests.filter((r) => r.kind === "invoke").map((r) => r.path)).toEqual([`/compliance/adminapi/beta/${t.tenantId}/InvokeCommand`]);
  });

  test("Exchange Administrator: the mismatch is named from the token's wids, with the roles that work, before any probe", async () => {
    const t = wireTenant(emu, { role: EXCHANGE_ADMINISTRATOR });
    emu.clearRequests();
    const report = await runCheck(checkOptions(emu, t, { workload: "compliance", complianceEndpoint: emu.complianceUrl }));
    expect(report.ok).toBe(false);
    const workload = check(report, "token.workload")!;
    expect(workload.detail).toBe("the app holds Exchange Administrator, which works for Exchange Online but not for Security & Compliance: Connect-IPPSSession refuses it");
    expect(workload.remedy).toBe(
      "Give the app a directory role that works for both: Global Reader, Security Reader, Security Administrator, Compliance Administrator (exchange-app-only:role; Global Administrator only by explicit opt-in).",
    );
    expect(check(report, "exchange.invoke")).toBeUndefined();
    expect(emu.requests.filter((r) => r.kind === "invoke")).toHaveLength(0);
  });

  test("GCC High: the S&C probe needs Exchange Online Protection's role too, and says so", async () => {
    const tenant = emu.directory.addTenant({ cloud: "usgovernment" });
    const t = wireTenant(emu, { role: COMPLIANCE_ADMINISTRATOR, tenantId: tenant.tenantId });
    const options = checkOptions(emu, t, { environment: "usgovernment", workload: "compliance", complianceEndpoint: emu.complianceUrl, timeoutMs: 3_000 });
    const without = await runCheck(options);
    expect(check(without, "token.audience")?.ok).toBe(true);
    expect(check(without, "exchange.invoke")?.remedy).toContain(`Microsoft Exchange Online Protection › ${EOP_MANAGE_AS_APP_ROLE.value}`);
    const eop = emu.directory.getServicePrincipalByClientId(tenant.tenantId, EXCHANGE_ONLINE_PROTECTION_APP_ID)!;
    emu.directory.addAppRoleAssignment(tenant.tenantId, { principalObjectId: t.spObjectId, resourceObjectId: eop.objectId, appRoleId: EOP_MANAGE_AS_APP_ROLE.id });
    const withEop = await runCheck(options);
    expect(withEop.checks.filter((c) => !c.ok).map((c) => c.detail)).toEqual([]);
    expect(withEop.ok).toBe(true);
  });
});

describe("--api admin-v2 (preview)", () => {
  test("Exchange.ManageAsAppV2 and Exchange RBAC: POST /adminapi/v2.0/{tenant}/AcceptedDomain passes; the JSON says preview", async () => {
    const t = reportingApp();
    const exchange = emu.directory.getTenant(t.tenantId)!.exchangeServicePrincipalObjectId!;
    emu.directory.addAppRoleAssignment(t.tenantId, { principalObjectId: t.spObjectId, resourceObjectId: exchange, appRoleId: EMULATED_MANAGE_AS_APP_V2_ROLE_ID });
    emu.clearRequests();
    const report = await runCheck(checkOptions(emu, t, { api: "admin-v2" }));
    expect(report.ok).toBe(true);
    expect(check(report, "token.role")?.detail).toBe("roles contains Exchange.ManageAsAppV2");
    expect(check(report, "exchange.invoke")?.detail).toMatch(/^Get-AcceptedDomain answered 200 through the Admin API \(preview\)/);
    expect(emu.requests.filter((r) => r.kind === "invoke").map((r) => `${r.method} ${r.path}`)).toEqual([`POST /adminapi/v2.0/${t.tenantId}/AcceptedDomain`]);
    expect(toJson(report).probe).toEqual({ workload: "exchange", cmdlet: "Get-AcceptedDomain", api: "admin-v2", sent: true, preview: true });
  });

  test("without Exchange.ManageAsAppV2: token.role names it and how to grant it", async () => {
    const t = reportingApp();
    const report = await runCheck(checkOptions(emu, t, { api: "admin-v2", timeoutMs: 1_500 }));
    expect(report.ok).toBe(false);
    expect(check(report, "token.role")?.remedy).toContain("Exchange.ManageAsAppV2 (set exchange-app-only:adminApi: true");
  });
});

describe("bad choices are usage errors with the fix", () => {
  const t = { tenantId: "11111111-2222-3333-4444-555555555555", clientId: "11111111-2222-3333-4444-666666666666", credential: { kind: "secret", secret: "s" } } as const;
  test.each([
    [{ workload: "exchnage" }, /unknown workload "exchnage"/, /exchange, compliance/],
    [{ api: "v2" }, /unknown api "v2"/, /invoke-command, admin-v2/],
    [{ probeCmdlet: "Get-Mailbox; Remove-Mailbox" }, /is not a cmdlet name/, /Verb-Noun/],
    [{ api: "admin-v2", workload: "compliance" }, /Security & Compliance has none/, /Drop --api admin-v2/],
    [{ api: "admin-v2", probeCmdlet: "Get-Label" }, /no endpoint for Get-Label/, /AcceptedDomain, DistributionGroupMember/],
    [{ complianceEndpoint: "http://127.0.0.1:1" }, /--compliance-endpoint http:\/\/127\.0\.0\.1:1 is not https/, /https/],
  ])("%j", (extra, message, remedy) => {
    let error: unknown;
    try {
      validateCheckOptions({ ...t, ...(extra as object) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CheckSetupError);
    expect((error as CheckSetupError).message).toMatch(message);
    expect((error as CheckSetupError).remedy).toMatch(remedy);
  });
});
