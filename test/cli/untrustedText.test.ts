/**
 * Text the tool did not write reaches the terminal shown, never obeyed: a token's claims, Entra's error text,
 * Exchange's error text, and a value echoed in a usage error. Each path is fed a screen clear (ESC[2J), a retitle
 * (OSC 0 ; title BEL), a CR overwrite and a right-to-left override (U+202E); what is printed holds no raw control
 * character, the words stay readable, and `--json` stays valid JSON holding the very text that was received.
 */
import { startEmulator, type TenantEmulator } from "../emulator";
import { wireTenant } from "../check/tenant";
import { HOSTILE_SHOWN, HOSTILE_TEXT, expectNoRawControls, expectNothingSecret, runCli } from "./run";

const TENANT = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const CLIENT = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

let emu: TenantEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => emu.faults.clear());

describe("inspect-token: claims come from whoever made the token", () => {
  const hostileToken = () =>
    emu.mintAccessToken({
      aud: `https://graph.microsoft.com/${HOSTILE_TEXT}`,
      iss: `https://sts.windows.net/${TENANT}/`,
      tid: TENANT,
      appid: CLIENT,
      idtyp: "user",
      upn: `admin${HOSTILE_TEXT}@contoso.onmicrosoft.com`,
      scp: `Exchange.Manage ${HOSTILE_TEXT}`,
    });

  test("text output: every claim quoted in a check is escaped, still readable", async () => {
    const token = await hostileToken();
    const r = await runCli(["inspect-token"], { stdin: token });
    expect(r.code).toBe(1);
    expectNoRawControls(r);
    expect(r.stdout).toContain(`aud = https://graph.microsoft.com/${HOSTILE_SHOWN}`);
    expect(r.stdout).toContain(`admin${HOSTILE_SHOWN}@contoso.onmicrosoft.com`);
    expect(r.stdout).toContain("NOT FIT");
    expectNothingSecret(r, [token]);
  });

  test("--json: valid JSON whose claims are exactly what the token holds (escaped once, by JSON)", async () => {
    const token = await hostileToken();
    const r = await runCli(["inspect-token", "--json"], { stdin: token });
    expect(r.code).toBe(1);
    expectNoRawControls(r);
    const out = JSON.parse(r.stdout);
    expect(out.claims.aud).toBe(`https://graph.microsoft.com/${HOSTILE_TEXT}`);
    expect(out.claims.scp).toBe(`Exchange.Manage ${HOSTILE_TEXT}`);
    expect(out.checks.find((c: { id: string }) => c.id === "token.audience").detail).toContain(HOSTILE_TEXT);
    expectNothingSecret(r, [token]);
  });
});

describe("verify: Entra's and Exchange's error text", () => {
  const verify = (t: ReturnType<typeof wireTenant>, extra: string[] = []) =>
    runCli(["verify", "--tenant-id", t.tenantId, "--client-id", t.clientId, "--client-secret-env", "S", "--authority-host", emu.url, "--exchange-endpoint", emu.url, "--timeout", "5s", ...extra], {
      env: { NODE_EXTRA_CA_CERTS: emu.caFile, S: t.secret },
    });

  const entraRefusal = {
    kind: "token" as const,
    status: 401,
    times: 20,
    body: { error: "invalid_client", error_description: `AADSTS9002999: Something Entra says. ${HOSTILE_TEXT}`, error_codes: [9002999] },
  };

  test("an Entra error body: the report and the progress lines hold no raw control", async () => {
    const t = wireTenant(emu);
    emu.faults.inject(entraRefusal);
    const r = await verify(t);
    expect(r.code).toBe(1);
    expectNoRawControls(r);
    expect(r.stdout).toMatch(/FAIL token\.acquired/);
    expect(r.stdout).toContain(`Something Entra says. ${HOSTILE_SHOWN}`);
    expectNothingSecret(r, [t.secret]);
  });

  test("an Entra error body with --json: one valid object, the description as Entra sent it", async () => {
    const t = wireTenant(emu);
    emu.faults.inject(entraRefusal);
    const r = await verify(t, ["--json"]);
    expect(r.code).toBe(1);
    expectNoRawControls(r);
    const out = JSON.parse(r.stdout.trim());
    expect(out.ok).toBe(false);
    expect(out.checks.find((c: { id: string }) => c.id === "token.acquired").detail).toContain(`Something Entra says. ${HOSTILE_TEXT}`);
    expectNothingSecret(r, [t.secret]);
  });

  test("an Exchange error body: escaped in the report, readable, exit 1", async () => {
    const t = wireTenant(emu);
    emu.faults.inject({ kind: "invoke", status: 404, times: 20, body: { error: { code: "NotFound", message: `The tenant was not found. ${HOSTILE_TEXT}` } } });
    const r = await verify(t);
    expect(r.code).toBe(1);
    expectNoRawControls(r);
    expect(r.stdout).toMatch(/FAIL exchange\.invoke/);
    expect(r.stdout).toContain(`The tenant was not found. ${HOSTILE_SHOWN}`);

    emu.faults.inject({ kind: "invoke", status: 404, times: 20, body: { error: { code: "NotFound", message: `The tenant was not found. ${HOSTILE_TEXT}` } } });
    const j = await verify(t, ["--json"]);
    expectNoRawControls(j);
    expect(JSON.parse(j.stdout).checks.find((c: { id: string }) => c.id === "exchange.invoke").detail).toContain(`The tenant was not found. ${HOSTILE_TEXT}`);
  });
});

describe("a usage error echoes what was typed, escaped", () => {
  test.each([
    ["an unknown flag", ["verify", `--frob${HOSTILE_TEXT}`]],
    ["a bad choice", ["inspect-token", "--environment", HOSTILE_TEXT]],
    ["a bad tenant", ["verify", "--tenant-id", `contoso${HOSTILE_TEXT}`, "--client-id", CLIENT, "--client-secret-env", "S"]],
    ["a bad stack name", ["plan", "--stack", `dev${HOSTILE_TEXT}`]],
    ["an unknown command", [`pl${HOSTILE_TEXT}`]],
  ])("%s: exit 2, no raw control, in text and JSON", async (_name, args) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expectNoRawControls(r);
    // Escaped (as \x1b, or as \u001b where the value is quoted as JSON), never raw.
    expect(r.stderr).toMatch(/\\(x1b|u001b)\[2J/);
    const j = await runCli([...args, "--json"]);
    expect(j.code).toBe(2);
    expectNoRawControls(j);
    expect(JSON.parse(j.stdout.trim().split("\n").pop()!)).toMatchObject({ ok: false, error: { code: expect.any(String) } });
  });
});
