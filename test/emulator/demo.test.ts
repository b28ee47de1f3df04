import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { demo, ROOT } from "../support/demo";
import { parseDemoArgs } from "./demo";

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

describe("many tenants in one stack: every tenant lands in its own emulated tenant and is checked", () => {
  const failing = (r: Awaited<ReturnType<typeof demo>>, key: string) => r.tenants!.find((t) => t.key === key)!.report!.checks.filter((c) => !c.ok && !c.warning).map((c) => c.id);

  test("fleet-example (perTenant): three tenants, one of them in GCC High, each with its own app, all pass", async () => {
    const r = await demo({ stack: "fleet-example" });
    expect(r.exitCode).toBe(0);
    expect(r.tenants!.map((t) => [t.key, t.tenantId, t.environment, t.status])).toEqual([
      ["contoso", "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7", "public", "pass"],
      ["fabrikam", "7a2e3d4c-5b6f-4a70-9b82-a3c4d5e6f708", "public", "pass"],
      ["northwind-gov", "8b3f4e5d-6c70-4b81-8c93-b4d5e6f70819", "usgovernment", "pass"],
    ]);
    // One app a tenant: three client ids, each checked in its own tenant.
    expect(new Set(r.tenants!.map((t) => t.report!.clientId)).size).toBe(3);
    expect(r.tenants!.map((t) => t.report!.tenantId)).toEqual(r.tenants!.map((t) => t.tenantId));
    expect(r.text).toMatch(/^northwind-gov\s+8b3f4e5d-6c70-4b81-8c93-b4d5e6f70819\s+usgovernment\s+PASS/m);
    expect(r.text).toContain("PASS: all 3 tenants the stack deploys to pass the check.");
  });

  test("msp-example (multiTenant): one app passes in its home and in the customer tenant; the consent: manual tenant waits, not a failure", async () => {
    const r = await demo({ stack: "msp-example" });
    expect(r.exitCode).toBe(0);
    expect(r.tenants!.map((t) => [t.key, t.status])).toEqual([
      ["msp", "pass"],
      ["fabrikam", "pass"],
      ["northwind", "waiting-for-consent"],
    ]);
    const [home, customer, manual] = r.tenants!;
    expect(customer!.report!.clientId).toBe(home!.report!.clientId);
    expect(manual!.adminConsentUrl).toBe(
      `https://login.microsoftonline.com/8b3f4e5d-6c70-4b81-8c93-b4d5e6f70819/adminconsent?client_id=${home!.report!.clientId}&scope=https://outlook.office365.com/.default`,
    );
    expect(r.text).toMatch(/^  fabrikam\s+the service principal of multi-tenant app [0-9a-f-]{36} \(registered in 6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7\)/m);
    expect(r.text).toMatch(/^northwind\s+8b3f4e5d-6c70-4b81-8c93-b4d5e6f70819\s+public\s+WAITING for admin consent/m);
    expect(r.text).toContain("1 tenant(s) wait for admin consent (northwind): not a failure");
  });

  test("msp-example --break role --tenant fabrikam: only the customer fails, on exchange.invoke (403, no directory role), exit 1", async () => {
    const r = await demo({ stack: "msp-example", break: "role", tenant: "fabrikam", timeoutMs: 2000 });
    expect(r.exitCode).toBe(1);
    expect(r.tenants!.map((t) => [t.key, t.status])).toEqual([
      ["msp", "pass"],
      ["fabrikam", "fail"],
      ["northwind", "waiting-for-consent"],
    ]);
    expect(failing(r, "fabrikam")).toEqual(["exchange.invoke"]);
    expect(r.tenants![1]!.report!.checks.find((c) => c.id === "exchange.invoke")!.detail).toMatch(/403 Forbidden: the app's service principal has no directory role/);
    expect(r.text).toContain("FAIL: 1 of 2 tenants the stack deploys to failed the check (fabrikam).");
  });

  test("fleet-example --break consent --tenant northwind-gov: only that tenant's token lacks Exchange.ManageAsApp, exit 1", async () => {
    const r = await demo({ stack: "fleet-example", break: "consent", tenant: "northwind-gov", timeoutMs: 1500 });
    expect(r.exitCode).toBe(1);
    expect(r.tenants!.map((t) => t.status)).toEqual(["pass", "pass", "fail"]);
    expect(failing(r, "northwind-gov")).toContain("token.role");
  });

  test("usage errors exit 2 before anything lands: an unknown --tenant, --tenant with a one-tenant stack, --break audience without --tenant", async () => {
    const unknown = await demo({ stack: "fleet-example", tenant: "tailspin" });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.text).toContain("--tenant tailspin: stack fleet-example has no tenant with that key. Its tenants: contoso, fabrikam, northwind-gov.");
    const single = await demo({ stack: "dev", tenant: "contoso" });
    expect(single.exitCode).toBe(2);
    expect(single.text).toMatch(/declares one tenant \(no exchange-app-only:tenants\)/);
    const audience = await demo({ stack: "msp-example", break: "audience" });
    expect(audience.exitCode).toBe(2);
    expect(audience.text).toContain("--break audience inspects one tenant's token: add --tenant KEY (one of msp, fabrikam, northwind).");
    const manual = await demo({ stack: "msp-example", break: "role", tenant: "northwind" });
    expect(manual.exitCode).toBe(2);
    expect(manual.text).toContain("the tenant has consent: manual, so the stack creates nothing there");
  });
});

test("argument parsing: known flags, durations, and usage errors", () => {
  expect(parseDemoArgs(["--break", "consent", "--propagation", "2s", "--timeout", "10s", "--stack", "dev"])).toEqual({ break: "consent", propagationMs: 2000, timeoutMs: 10000, stack: "dev" });
  expect(parseDemoArgs([])).toEqual({});
  expect(parseDemoArgs(["--config-file", "/elsewhere/Pulumi.x.yaml"])).toEqual({ configFile: "/elsewhere/Pulumi.x.yaml" });
  expect(parseDemoArgs(["--stack", "msp-example", "--break", "role", "--tenant", "fabrikam"])).toEqual({ stack: "msp-example", break: "role", tenant: "fabrikam" });
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
