/**
 * No secret leaves `exo-app-only fleet`: the built CLI as a child process, with the fake driver speaking as the
 * Automation API driver does (the stack's secrets reported first, output in pieces, a failure carrying Pulumi's
 * whole output), and the tenant emulator answering the check with error bodies that echo secrets. Each test plants
 * known secrets and secret-shaped text where Pulumi, Entra ID or Exchange would print them, then reads everything
 * the fleet keeps or prints: the per-stack logs, the results file, the table or --json on stdout, progress on stderr.
 * A failure must stay readable: the stack, the step and a "[redacted]" marker where the secret was.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { startEmulator, type TenantEmulator } from "../emulator";
import { wireTenant, type WiredTenant } from "../check/tenant";
import type { CliResult } from "../cli/run";
import { fakeFleet, onlyJson, runFleetCli } from "./cliRun";
import { tempProject, type TempProject } from "./project";

let project: TempProject;
beforeEach(() => {
  project = tempProject(["tenant-a", "tenant-b"]);
});
afterEach(() => project.cleanup());

const CONFIG_SECRET = "azuread-client-secret-of-the-deployer";
const OUTPUT_SECRET = "tenant-b-client-secret-from-outputs";
const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlMzY1LmNvbSJ9.c2lnbmF0dXJlLXBhcnQ";
const SHAPED = "Xk48Q~Zq3vJm.R1_tq0xUyP~iW9nB5sLc7dEfGhI";
const KEY_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj";
const KEY = `-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\n-----END PRIVATE KEY-----`;
const BEARER = "pul-0123456789abcdef0123456789abcdef";
const SAS = "sv=2024-05-04&sig=AbCdEf0123456789%2BgHiJ%3D";
const PLANTED = [CONFIG_SECRET, OUTPUT_SECRET, JWT, SHAPED, KEY_BODY, BEARER, "AbCdEf0123456789"];

/** Everything the fleet kept or printed, one string. */
function everything(r: CliResult): string {
  const dir = path.join(project.dir, ".exo-fleet");
  const logs = existsSync(path.join(dir, "logs")) ? readdirSync(path.join(dir, "logs")).map((f) => readFileSync(path.join(dir, "logs", f), "utf8")) : [];
  return [r.stdout, r.stderr, readFileSync(path.join(dir, "results.json"), "utf8"), ...logs].join("\n");
}
const log = (stack: string): string => readFileSync(path.join(project.dir, ".exo-fleet", "logs", `${stack}.log`), "utf8");
const leaks = (text: string, extra: readonly string[] = []): string[] => [...PLANTED, ...extra].filter((secret) => text.includes(secret));

describe("Pulumi's output and failures", () => {
  /** What `pulumi up` prints when the program echoes config and a provider echoes its request (in 7-character pieces). */
  const OUTPUT = [
    "Updating (stack):",
    `  config value ${CONFIG_SECRET} was read`,
    `  azuread: POST .../applications: 400 (Authorization: Bearer ${BEARER})`,
    `  key: ${KEY}`,
    `  client assertion ${JWT}`,
    `  blob https://acct.blob.core.windows.net/state?${SAS}`,
    "",
  ].join("\n");
  const behaviors = {
    "tenant-a": { fail: `error: azuread:index:ApplicationPassword (exo-secret): creating: secret ${SHAPED} refused (deployer ${CONFIG_SECRET})`, output: OUTPUT },
    "tenant-b": { output: OUTPUT, outputs: { tenantId: "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7", clientSecret: OUTPUT_SECRET } },
  };

  test.each([["text"], ["--json"]])("%s: the logs, the results file, stdout and stderr hold no secret; the failure still says what and where", async (mode) => {
    const fake = fakeFleet(project.dir, behaviors, { outputPiece: 7, secrets: [CONFIG_SECRET] });
    const r = await runFleetCli(["up", "tenant-a", "tenant-b", "--no-verify", ...(mode === "--json" ? ["--json"] : [])], { cwd: project.dir, env: fake.env });
    expect(r.code).toBe(1);
    expect(leaks(everything(r))).toEqual([]);
    // The logs were written (by the real writer, from the driver's pieces), line by line, each secret replaced.
    for (const stack of ["tenant-a", "tenant-b"]) {
      expect(log(stack)).toBe(
        [
          "Updating (stack):",
          "  config value [redacted] was read",
          "  azuread: POST .../applications: 400 (Authorization: Bearer [redacted])",
          "  key: [redacted private key]",
          "  client assertion [redacted token]",
          "  blob https://acct.blob.core.windows.net/state?sv=2024-05-04&sig=[redacted]",
          "",
        ].join("\n"),
      );
    }
    const message = "up of stack tenant-a failed: error: azuread:index:ApplicationPassword (exo-secret): creating: secret [redacted client secret] refused (deployer [redacted])";
    const results = JSON.parse(readFileSync(path.join(project.dir, ".exo-fleet", "results.json"), "utf8")) as { results: { stack: string; status: string; error?: { message: string } }[] };
    expect(results.results[0]).toMatchObject({ stack: "tenant-a", status: "failed", error: { message } });
    if (mode === "--json") expect(onlyJson(r).stacks[0].error.message).toBe(message);
    else expect(r.stdout).toContain(message);
    expect(r.stderr).toContain(`tenant-a: FAILED`);
  });
});

describe("Entra ID's and Exchange's error text in the check after up", () => {
  let emu: TenantEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });
  afterEach(() => emu.faults.clear());

  const outputsOf = (t: WiredTenant): Record<string, unknown> => ({
    tenantId: t.tenantId,
    organization: t.organization,
    environment: "public",
    clientId: t.clientId,
    authorityHost: emu.url,
    exchangeResource: "https://outlook.office365.com",
    clientSecret: t.secret,
    connectExchangeOnline: { accessToken: "Connect-ExchangeOnline -AccessToken $token" },
  });

  async function up(t: WiredTenant, extra: Record<string, unknown> = {}): Promise<CliResult> {
    const fake = fakeFleet(project.dir, { "tenant-a": { outputs: { ...outputsOf(t), ...extra }, secrets: [CONFIG_SECRET] } });
    return runFleetCli(["up", "tenant-a", "--exchange-endpoint", emu.url, "--verify-timeout", "2s", "--json"], { cwd: project.dir, env: { ...fake.env, NODE_EXTRA_CA_CERTS: emu.caFile }, timeoutMs: 30_000 });
  }

  // A code the check has no words of its own for: Entra's description is what it reports.
  test("a sign-in error body echoing the client secret, the deployer's config secret and a token: redacted in every place", async () => {
    const t = wireTenant(emu);
    emu.faults.inject({
      kind: "token",
      times: 100,
      status: 400,
      body: {
        error: "invalid_request",
        error_description: `AADSTS50000: There was an error issuing a token for client_secret=${t.secret} (also seen: ${CONFIG_SECRET}, ${JWT}, ${SHAPED}).`,
        error_codes: [50000],
      },
    });
    const r = await up(t);
    expect(r.code).toBe(1);
    expect(leaks(everything(r), [t.secret])).toEqual([]);
    const stack = onlyJson(r).stacks[0];
    expect(stack).toMatchObject({ stack: "tenant-a", status: "failed", phase: "verify" });
    expect(stack.error.message).toMatch(/AADSTS50000: There was an error issuing a token/);
    expect(stack.error.message).toContain("[redacted");
  });

  test("an Exchange error body echoing the bearer token and the client secret: redacted in every place", async () => {
    const t = wireTenant(emu);
    emu.faults.inject({
      kind: "invoke",
      times: 100,
      status: 400,
      body: { error: { code: "BadRequest", message: `The request was refused. Authorization: Bearer ${JWT}; body had ${t.secret} and ${CONFIG_SECRET}` } },
    });
    const r = await up(t);
    expect(r.code).toBe(1);
    expect(leaks(everything(r), [t.secret])).toEqual([]);
    const stack = onlyJson(r).stacks[0];
    expect(stack).toMatchObject({ stack: "tenant-a", status: "failed", phase: "verify" });
    expect(stack.error.message).toMatch(/^exchange\./);
    expect(stack.error.message).toContain("[redacted");
  });
});
