/**
 * `exo-app-only verify` in DoD and China, end to end: the built CLI against the tenant emulator, whose Exchange
 * accepts on each surface only that surface's audience. The token asked for and the host called agree, per cloud
 * and surface; where a tenant answers to another audience than the inferred one, --exchange-resource fixes it.
 */
import type { CloudName } from "../../src/facts";
import type { ExchangeAnswersTo } from "../emulator/directory";
import { EMULATED_MANAGE_AS_APP_V2_ROLE_ID, startEmulator, type TenantEmulator } from "../emulator";
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

/** An app in a new tenant of `cloud`: Exchange.ManageAsApp, Exchange.ManageAsAppV2, Exchange Administrator. */
function app(cloud: CloudName, exchangeAnswersTo?: ExchangeAnswersTo): WiredTenant {
  const tenant = emu.directory.addTenant({ cloud, ...(exchangeAnswersTo ? { exchangeAnswersTo } : {}) });
  const t = wireTenant(emu, { tenantId: tenant.tenantId });
  emu.directory.addAppRoleAssignment(t.tenantId, { principalObjectId: t.spObjectId, resourceObjectId: tenant.exchangeServicePrincipalObjectId!, appRoleId: EMULATED_MANAGE_AS_APP_V2_ROLE_ID });
  return t;
}

function verify(t: WiredTenant, cloud: CloudName, extra: string[]): Promise<CliResult> {
  return runCli(
    ["verify", "--tenant-id", t.tenantId, "--client-id", t.clientId, "--client-secret-env", SECRET_VAR, "--environment", cloud, "--authority-host", emu.url, "--timeout", "10s", "--json", ...extra],
    { env: { NODE_EXTRA_CA_CERTS: emu.caFile, [SECRET_VAR]: t.secret } },
  );
}

const checks = (r: CliResult): Record<string, { ok: boolean; detail: string; remedy: string | null }> =>
  Object.fromEntries((JSON.parse(r.stdout.trim()).checks as { id: string; ok: boolean; detail: string; remedy: string | null }[]).map((c) => [c.id, c]));

describe("each cloud's surfaces, with the emulator as the host", () => {
  test.each([
    ["dod", "invoke-command", "https://outlook-dod.office365.us", "(Microsoft 365 DoD)", `/adminapi/beta/{tenant}/InvokeCommand`],
    ["dod", "admin-v2", "https://outlook-dod.office365.us", "(Microsoft 365 DoD)", `/adminapi/v2.0/{tenant}/AcceptedDomain`],
    ["china", "invoke-command", "https://partner.outlook.cn", "(Microsoft 365 operated by 21Vianet), the audience of InvokeCommand", `/adminapi/beta/{tenant}/InvokeCommand`],
    ["china", "admin-v2", "https://outlook.office365.cn", "(Microsoft 365 operated by 21Vianet), the audience of the Admin API", `/adminapi/v2.0/{tenant}/AcceptedDomain`],
  ] as const)("%s --api %s: a token for %s, accepted by the surface it is sent to", async (cloud, api, audience, named, path) => {
    const t = app(cloud);
    emu.clearRequests();
    const r = await verify(t, cloud, ["--api", api, "--exchange-endpoint", emu.url]);
    expect(r.stderr).toContain(cloud === "dod" ? "Microsoft 365 DoD" : "Microsoft 365 operated by 21Vianet");
    expect(r.code).toBe(0);
    const c = checks(r);
    expect(c["token.acquired"]!.detail).toContain(` (secret) for ${audience}/.default`);
    expect(c["token.audience"]!.detail).toBe(`aud = ${audience}: Exchange Online ${named}`);
    expect(c["exchange.invoke"]!.ok).toBe(true);
    expect(emu.requests.filter((q) => q.kind === "invoke").map((q) => q.path)).toEqual([path.replace("{tenant}", t.tenantId)]);
    expectNothingSecret(r, [t.secret]);
  });
});

describe("overriding an inferred audience", () => {
  test("a DoD tenant that answers on webmail.apps.mil: refused at once with the fix, then passes with --exchange-resource", async () => {
    const t = app("dod", { invokeCommand: "https://webmail.apps.mil" });
    const refused = await verify(t, "dod", ["--exchange-endpoint", emu.url]);
    expect(refused.code).toBe(1);
    const c = checks(refused);
    expect(c["token.audience"]!.ok).toBe(true); // the token is what was asked for: Exchange refuses it
    expect(c["exchange.invoke"]!.detail).toMatch(/answered 401: "The audience 'https:\/\/outlook-dod\.office365\.us' is invalid: Exchange Online expects 'https:\/\/webmail\.apps\.mil'\.": it refuses the token's audience for this host$/);
    expect(c["exchange.invoke"]!.remedy).toContain("--exchange-resource https://webmail.apps.mil in DoD");
    expect(JSON.parse(refused.stdout).attempts).toBe(1);

    const fixed = await verify(t, "dod", ["--exchange-resource", "https://webmail.apps.mil", "--exchange-endpoint", emu.url]);
    expect(fixed.code).toBe(0);
    expect(checks(fixed)["token.acquired"]!.detail).toMatch(/ \(secret\) for https:\/\/webmail\.apps\.mil\/\.default$/);
    expect(checks(fixed)["token.audience"]!.detail).toBe("aud = https://webmail.apps.mil: Exchange Online (Microsoft 365 DoD)");
  });

  test("China's Admin API answering to partner.outlook.cn: --exchange-resource with --api admin-v2", async () => {
    const t = app("china", { adminApi: "https://partner.outlook.cn" });
    expect((await verify(t, "china", ["--api", "admin-v2", "--exchange-endpoint", emu.url])).code).toBe(1);
    const fixed = await verify(t, "china", ["--api", "admin-v2", "--exchange-resource", "https://partner.outlook.cn", "--exchange-endpoint", emu.url]);
    expect(fixed.code).toBe(0);
  });
});

describe("overrides that cannot work are usage errors, before anything is sent", () => {
  test.each([
    [["--environment", "dod", "--exchange-endpoint", "https://webmail.apps.mil"], /--exchange-endpoint https:\/\/webmail\.apps\.mil is an Exchange Online host, but the token would be for https:\/\/outlook-dod\.office365\.us/, /add --exchange-resource https:\/\/webmail\.apps\.mil/],
    [["--environment", "china", "--api", "admin-v2", "--exchange-endpoint", "https://partner.outlook.cn"], /token would be for https:\/\/outlook\.office365\.cn/, /--exchange-resource https:\/\/partner\.outlook\.cn/],
    [["--environment", "dod", "--exchange-resource", "https://webmail.apps.mil/powershell-liveID"], /is not a resource: it must be a scheme and a host only/, /--exchange-resource https:\/\/webmail\.apps\.mil\./],
    [["--environment", "dod", "--exchange-resource", "http://webmail.apps.mil"], /--exchange-resource http:\/\/webmail\.apps\.mil is not https/, /https/],
    [["--environment", "dod", "--workload", "compliance", "--exchange-resource", "https://webmail.apps.mil"], /--workload compliance checks Security & Compliance/, /Drop --exchange-resource/],
  ])("%j", async (extra, message, fix) => {
    await expectVerifyUsageError(emu, extra, message, fix);
  });

  test("--help documents --exchange-resource with a DoD example", async () => {
    const r = await runCli(["verify", "--help"]);
    expect(r.stdout).toContain("--exchange-resource <URL>");
    expect(r.stdout).toContain("--environment dod");
    expect(r.stdout).toMatch(/--exchange-resource https:\/\/webmail\.apps\.mil/);
  });
});
