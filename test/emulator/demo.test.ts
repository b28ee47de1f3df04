import path from "node:path";
import { parseDemoArgs, runDemo, type DemoOptions } from "./demo";

const ROOT = path.resolve(__dirname, "../..");

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

test("argument parsing: known flags, durations, and usage errors", () => {
  expect(parseDemoArgs(["--break", "consent", "--propagation", "2s", "--timeout", "10s", "--stack", "dev"])).toEqual({ break: "consent", propagationMs: 2000, timeoutMs: 10000, stack: "dev" });
  expect(() => parseDemoArgs(["--break", "everything"])).toThrow(/--break must be one of/);
  expect(() => parseDemoArgs(["--nope"])).toThrow(/unknown argument/);
  expect(() => parseDemoArgs(["--timeout"])).toThrow(/needs a value/);
});
