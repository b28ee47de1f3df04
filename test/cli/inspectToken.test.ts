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
