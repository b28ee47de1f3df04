import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseDemoArgs, runDemo, type DemoOptions } from "./demo";

const ROOT = path.resolve(__dirname, "../..");
const DEMO = path.join(ROOT, "dist", "test", "emulator", "demo.js");

const folders: string[] = [];
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A stack file outside the project (no Pulumi.yaml beside it). */
function stackFileElsewhere(yaml: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "exo-demo-"));
  folders.push(dir);
  writeFileSync(path.join(dir, "Pulumi.unicode.yaml"), yaml);
  return path.join(dir, "Pulumi.unicode.yaml");
}

async function demo(o: DemoOptions) {
  const lines: string[] = [];
  const result = await runDemo({ cwd: ROOT, out: (l) => lines.push(l), err: (l) => lines.push(l), ...o });
  const text = lines.join("\n");
  // Never a key, a certificate body or a token in what the demo prints.
  expect(text).not.toMatch(/-----BEGIN|eyJ[A-Za-z0-9_-]{10,}\./);
  return { ...result, text };
}

test("the dev stack's program, landed in an emulated tenant, passes the check", async () => {
  const r = await demo({});
  expect(r.exitCode).toBe(0);
  expect(r.report?.ok).toBe(true);
  expect(r.report?.credential).toBe("certificate");
  expect(r.text).toContain("PASS:");
});

test("--break role: the check fails on exchange.invoke (403) at its deadline", async () => {
  const r = await demo({ break: "role", timeoutMs: 3000 });
  expect(r.exitCode).toBe(1);
  expect(r.report?.checks.filter((c) => !c.ok).map((c) => c.id)).toEqual(["exchange.invoke"]);
});

test("--break audience: inspect-token names the Graph token", async () => {
  const r = await demo({ break: "audience" });
  expect(r.exitCode).toBe(1);
  expect(r.inspection?.checks.find((c) => c.id === "token.audience")?.ok).toBe(false);
  expect(r.text).toMatch(/Microsoft Graph token/);
});

test("a display name beyond Latin-1 (the certificate's subject) lands and passes; the stack file may live anywhere", async () => {
  const displayName = "Łódź – 東京 🚀";
  const file = stackFileElsewhere(
    `config:\n  exchange-app-only:tenantId: 11111111-2222-4333-8444-555555555555\n  exchange-app-only:organization: fabrikam.onmicrosoft.com\n  exchange-app-only:displayName: "${displayName}"\n`,
  );
  const r = await demo({ configFile: file });
  expect(r.exitCode).toBe(0);
  expect(r.report?.credential).toBe("certificate");
  expect(r.text).toContain("Emulated tenant 11111111-2222-4333-8444-555555555555 (fabrikam.onmicrosoft.com)");
});

test("argument parsing: known flags, durations, and usage errors", () => {
  expect(parseDemoArgs(["--break", "consent", "--propagation", "2s", "--timeout", "10s", "--stack", "dev"])).toEqual({ break: "consent", propagationMs: 2000, timeoutMs: 10000, stack: "dev" });
  expect(parseDemoArgs([])).toEqual({});
  expect(parseDemoArgs(["--config-file", "/elsewhere/Pulumi.x.yaml"])).toEqual({ configFile: "/elsewhere/Pulumi.x.yaml" });
  expect(() => parseDemoArgs(["--break", "everything"])).toThrow(/--break <link>' argument 'everything' is invalid\. Allowed choices are consent, role, secret, audience/);
  expect(() => parseDemoArgs(["--nope"])).toThrow(/unknown option '--nope'/);
  expect(() => parseDemoArgs(["--timeout"])).toThrow(/option '--timeout <duration>' argument missing/);
  expect(() => parseDemoArgs(["--propagation", "soon"])).toThrow(/argument 'soon' is invalid\. --propagation "soon" is not a/);
});

describe("the demo's command line (built: npm run demo runs dist/)", () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [DEMO, ...args], { cwd: ROOT, encoding: "utf8" });

  it("--help prints usage and exits 0", () => {
    const r = run("--help");
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    expect(r.stdout).toMatch(/^Usage: npm run demo -- \[options\]/);
    expect(r.stdout).toContain("--break <link>");
  });

  it.each([
    [["--nope"], "unknown option '--nope'"],
    [["--break", "everything"], "argument 'everything' is invalid"],
    [["--timeout"], "argument missing"],
    [["--timeout", "0"], `argument '0' is invalid. --timeout "0" is not a`], // parseDuration's own words follow
  ])("%j exits 2 naming the flag", (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe("");
  });

  it("exits 2 with a clear message when no Pulumi.yaml is found from the current folder", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "exo-demo-noproject-"));
    folders.push(dir);
    const r = spawnSync(process.execPath, [DEMO], { cwd: dir, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`no Pulumi.yaml in ${dir} or any folder above it`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
