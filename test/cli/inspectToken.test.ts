/** `exo-app-only inspect-token` end to end: tokens signed by the tenant emulator, read from stdin or an env var. */
import { startEmulator, type TenantEmulator } from "../emulator";
import { expectNothingSecret, runCli } from "./run";

const TENANT = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const CLIENT = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

let emu: TenantEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

const appClaims = (overrides: Record<string, unknown> = {}) => ({
  aud: "https://outlook.office365.com",
  iss: `https://sts.windows.net/${TENANT}/`,
  tid: TENANT,
  appid: CLIENT,
  appidacr: "2",
  idtyp: "app",
  oid: "11111111-2222-4333-8444-555555555555",
  roles: ["Exchange.ManageAsApp"],
  ...overrides,
});

test("a working app-only Exchange token: exit 0, FIT, the token never printed", async () => {
  const token = await emu.mintAccessToken(appClaims());
  const r = await runCli(["inspect-token", "--tenant-id", TENANT, "--client-id", CLIENT], { stdin: `${token}\n` });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/ok\s+token\.audience\s+aud = https:\/\/outlook\.office365\.com/);
  expect(r.stdout).toContain("FIT: this token can drive Exchange Online app-only.");
  expectNothingSecret(r, [token]);
});

test("a Microsoft Graph token is named plainly: exit 1", async () => {
  const token = await emu.mintAccessToken(appClaims({ aud: "https://graph.microsoft.com", roles: ["User.Read.All"] }));
  const r = await runCli(["inspect-token", "--token-env", "TOKEN"], { env: { TOKEN: token } });
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/FAIL token\.audience\s+This is a Microsoft Graph token \(aud = https:\/\/graph\.microsoft\.com\), not an Exchange Online token/);
  expect(r.stdout).toContain("fix: Ask for scope https://outlook.office365.com/.default instead of a Graph scope");
  expect(r.stdout).toContain("NOT FIT");
  expectNothingSecret(r, [token]);
});

test("a delegated (user) token: exit 1, says so, with --json", async () => {
  const token = await emu.mintAccessToken(appClaims({ scp: "Exchange.Manage", upn: "admin@contoso.onmicrosoft.com", idtyp: "user", roles: undefined }));
  const r = await runCli(["inspect-token", "--json"], { stdin: token });
  expect(r.code).toBe(1);
  const out = JSON.parse(r.stdout);
  expect(out.ok).toBe(false);
  expect(out.checks.find((c: any) => c.id === "token.app-only")).toMatchObject({
    ok: false,
    detail: 'This is a delegated (user) token for admin@contoso.onmicrosoft.com with scp = "Exchange.Manage": app-only access needs an application token',
  });
  expect(out.claims).toMatchObject({ scp: "Exchange.Manage", tid: TENANT });
  expectNothingSecret(r, [token]);
});

test("expired, wrong tenant, wrong cloud", async () => {
  const now = Math.floor(Date.now() / 1000);
  const expired = await emu.mintAccessToken(appClaims({ iat: now - 7200, nbf: now - 7200, exp: now - 3600 }));
  const r1 = await runCli(["inspect-token", "--json"], { stdin: expired });
  expect(r1.code).toBe(1);
  expect(JSON.parse(r1.stdout).checks.find((c: any) => c.id === "token.lifetime").detail).toMatch(/expired at .* \(60 min ago\)/);

  const r2 = await runCli(["inspect-token", "--tenant-id", "22222222-2222-4222-8222-222222222222"], { stdin: await emu.mintAccessToken(appClaims()) });
  expect(r2.code).toBe(1);
  expect(r2.stdout).toMatch(/FAIL token\.tenant/);

  const r3 = await runCli(["inspect-token", "--environment", "usgovernment"], { stdin: await emu.mintAccessToken(appClaims()) });
  expect(r3.code).toBe(1);
  expect(r3.stdout).toMatch(/Exchange Online in Microsoft 365 public cloud \(and GCC\), but the check expects Microsoft 365 GCC High/);
});

describe("malformed tokens get a clear answer (exit 1), never a stack trace", () => {
  let good = "";
  beforeAll(async () => {
    good = await emu.mintAccessToken(appClaims());
  });
  test.each([
    ["truncated", () => good.slice(0, good.indexOf(".") + 20), /three dot-separated parts and this has 2/],
    ["payload cut short", () => good.split(".").slice(0, 2).join(".").slice(0, -7) + ".abc", /(does not decode to JSON|impossible base64url length)/],
    ["bad base64", () => good.replace(".", ".%%"), /payload part is not base64url/],
    ["non-JSON", () => `${Buffer.from("not json").toString("base64url")}.${Buffer.from("{}").toString("base64url")}.c2ln`, /header part does not decode to JSON/],
    ["huge", () => `${good}${"A".repeat(200_000)}`, /characters long; an access token is a few thousand at most/],
    ["binary junk", () => Buffer.from([0, 1, 2, 255, 254, 10]).toString("latin1"), /three dot-separated parts/],
  ])("%s", async (_name, make, problem) => {
    const r = await runCli(["inspect-token", "--json"], { stdin: make() });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toEqual({ ok: false, checks: [expect.objectContaining({ id: "token.format", ok: false })] });
    expect(out.checks[0].detail).toMatch(problem);
    expectNothingSecret(r, [good]);
  });

  test("no token at all is a usage error (exit 2)", async () => {
    const r1 = await runCli(["inspect-token"], { stdin: "  \n" });
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/^error: no token on stdin$/m);
    const r2 = await runCli(["inspect-token", "--token-env", "NOPE_NOT_SET"]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/environment variable NOPE_NOT_SET is not set or empty/);
  });
});

describe("a tenant given as a domain cannot be compared with tid", () => {
  test.each(["contoso.onmicrosoft.com", "Fabrikam.com"])("--tenant-id %s: token.tenant is a warning, never ok; the token stays fit (exit 0)", async (domain) => {
    const token = await emu.mintAccessToken(appClaims());
    const r = await runCli(["inspect-token", "--tenant-id", domain, "--client-id", CLIENT], { stdin: token });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/ok\s+token\.tenant/);
    expect(r.stdout).toMatch(/^ {2}WARN token\.tenant +not compared: .*a domain cannot be compared with the token's tid GUID; pass the tenant GUID/m);
    expect(r.stdout).toMatch(/fix: Pass the tenant GUID of .* with --tenant-id/);
    expect(r.stdout).toContain("FIT: this token can drive Exchange Online app-only (not verified: token.tenant; see WARN above).");
    expectNothingSecret(r, [token]);

    const j = await runCli(["inspect-token", "--tenant-id", domain, "--json"], { stdin: token });
    expect(j.code).toBe(0);
    const out = JSON.parse(j.stdout);
    expect(out.ok).toBe(true);
    const tenant = out.checks.find((c: any) => c.id === "token.tenant");
    expect(tenant).toMatchObject({ ok: false, level: "warning" });
    expect(tenant.detail).toContain("a domain cannot be compared with the token's tid GUID; pass the tenant GUID");
    expect(out.checks.filter((c: any) => c.id !== "token.tenant").every((c: any) => c.level === "ok" && c.ok)).toBe(true);
  });

  test("a domain next to a real failure: still NOT FIT (exit 1)", async () => {
    const token = await emu.mintAccessToken(appClaims({ aud: "https://graph.microsoft.com" }));
    const r = await runCli(["inspect-token", "--tenant-id", "contoso.onmicrosoft.com"], { stdin: token });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/WARN token\.tenant/);
    expect(r.stdout).toContain("NOT FIT");
  });

  test("--help says how a domain is treated", async () => {
    const r = await runCli(["inspect-token", "--help"]);
    expect(r.stdout).toMatch(/A tenant given as a domain .* cannot be compared with the token's tid/);
  });
});

describe("ids that cannot be a tenant or an app are usage errors (exit 2), before the token is read", () => {
  test.each([
    [["--tenant-id", "contoso"], /^error: --tenant-id "contoso" is neither a GUID nor a domain name/m],
    [["--tenant-id", "my_tenant"], /^error: --tenant-id "my_tenant" is neither a GUID nor a domain name/m],
    [["--tenant-id", "00000000-0000-0000-0000-000000000000"], /^error: --tenant-id "0{8}-0{4}-0{4}-0{4}-0{12}" is the nil GUID/m],
    [["--tenant-id", "common"], /multi-tenant alias/],
    [["--client-id", "my-app"], /^error: --client-id "my-app" is not a GUID$/m],
    [["--client-id", "00000000-0000-0000-0000-000000000000"], /^error: --client-id "0{8}-0{4}-0{4}-0{4}-0{12}" is the nil GUID/m],
  ])("%j", async (args, message) => {
    const token = await emu.mintAccessToken(appClaims());
    for (const json of [false, true]) {
      const r = await runCli(["inspect-token", ...args, ...(json ? ["--json"] : [])], { stdin: token });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      if (json) expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: "ERR_USAGE" } });
      else expect(r.stdout).toBe("");
      expectNothingSecret(r, [token]);
    }
  });
});

describe("--workload compliance: a token for Security & Compliance PowerShell (Connect-IPPSSession)", () => {
  const COMPLIANCE_ADMINISTRATOR = "17315797-102d-40b4-93e0-432062caca18";
  const EXCHANGE_ADMINISTRATOR = "29232cdf-9323-42fd-ade2-1d097af3e4de";
  const compliance = (overrides: Record<string, unknown> = {}) => appClaims({ aud: "https://ps.compliance.protection.outlook.com", ...overrides });

  test("its own audience and a role that works there: FIT for Security & Compliance", async () => {
    const token = await emu.mintAccessToken(compliance({ wids: [COMPLIANCE_ADMINISTRATOR] }));
    const r = await runCli(["inspect-token", "--workload", "compliance", "--tenant-id", TENANT], { stdin: token });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ok\s+token\.workload\s+wids holds Compliance Administrator, which works for Security & Compliance/);
    expect(r.stdout).toContain("FIT: this token can drive Security & Compliance PowerShell app-only.");
    expectNothingSecret(r, [token]);
  });

  test("Exchange Administrator in wids: NOT FIT, naming the roles that work for both", async () => {
    const token = await emu.mintAccessToken(compliance({ wids: [EXCHANGE_ADMINISTRATOR] }));
    const r = await runCli(["inspect-token", "--workload", "compliance", "--json"], { stdin: token });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.checks.find((c: { id: string }) => c.id === "token.workload")).toMatchObject({
      ok: false,
      detail: expect.stringContaining("Exchange Administrator, which works for Exchange Online but not for Security & Compliance"),
      remedy: expect.stringContaining("Compliance Administrator"),
    });
  });

  test("an Exchange Online token is the wrong audience for Security & Compliance", async () => {
    const token = await emu.mintAccessToken(appClaims({ wids: [COMPLIANCE_ADMINISTRATOR] }));
    const r = await runCli(["inspect-token", "--workload", "compliance"], { stdin: token });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL token\.audience/);
    expect(r.stdout).toContain("ps.compliance.protection.outlook.com");
    expect(r.stdout).toContain("NOT FIT: Security & Compliance PowerShell will refuse this token");
  });

  test("an unknown workload is a usage error (exit 2) before stdin is read", async () => {
    const r = await runCli(["inspect-token", "--workload", "purview"], { stdin: "not read" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--workload.*purview.*exchange, compliance/s);
  });
});
