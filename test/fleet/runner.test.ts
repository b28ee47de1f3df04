/** The runner over the fake driver: bounded concurrency, isolated failures, locked stacks, cancellation, verify hook. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { runFleet, type RunFleetOptions } from "../../src/fleet/runner";
import type { StackResult, TenantResult } from "../../src/fleet/results";
import { FakeDriver, type FakeBehavior } from "./fakeDriver";

const names = (n: number, prefix = "tenant"): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(2, "0")}`);
const stacksOf = (list: readonly string[]) => list.map((name) => ({ name }));
const statusOf = (results: readonly StackResult[]) => Object.fromEntries(results.map((r) => [r.stack, r.status]));

function run(driver: FakeDriver, list: readonly string[], extra: Partial<RunFleetOptions> = {}): Promise<StackResult[]> {
  return runFleet({ command: "up", stacks: stacksOf(list), driver, concurrency: 4, ...extra });
}

describe("bounded concurrency", () => {
  test.each([1, 3, 8])("concurrency %i: never more in flight, and exactly that many at the peak", async (concurrency) => {
    const driver = new FakeDriver({}, { latencyMs: 20 });
    const results = await run(driver, names(17), { concurrency });
    expect(driver.maxInFlight).toBe(concurrency);
    expect(results.every((r) => r.status === "succeeded")).toBe(true);
    expect(driver.calls.map((c) => c.stack).sort()).toEqual(names(17));
    expect(driver.calls.every((c) => c.op === "up")).toBe(true);
  });

  test("more lanes than stacks: each stack once, all at once", async () => {
    const driver = new FakeDriver({}, { latencyMs: 20 });
    await run(driver, names(3), { concurrency: 32 });
    expect(driver.maxInFlight).toBe(3);
    expect(driver.calls).toHaveLength(3);
  });

  test("32 at once on one abort signal: no MaxListenersExceededWarning (in plain Node, on the built runner)", () => {
    // Jest's sandbox has AbortSignals of its own realm; the warning is Node's, so ask a plain Node process.
    const script = `
      const { runFleet } = require("./dist/src/fleet/runner.js");
      const { FakeDriver } = require("./dist/test/fleet/fakeDriver.js");
      const stacks = Array.from({ length: 64 }, (_, i) => ({ name: "t" + i }));
      runFleet({ command: "up", stacks, driver: new FakeDriver({}, { latencyMs: 10 }), concurrency: 32, signal: new AbortController().signal })
        .then((r) => process.stdout.write(String(r.filter((x) => x.status === "succeeded").length)));`;
    const result = spawnSync(process.execPath, ["-e", script], { cwd: path.resolve(__dirname, "../.."), encoding: "utf8" });
    expect(result.stdout).toBe("64");
    expect(result.stderr).not.toMatch(/MaxListenersExceededWarning/);
  });

  test("concurrency must be a positive integer", async () => {
    await expect(run(new FakeDriver(), names(2), { concurrency: 0 })).rejects.toThrow(RangeError);
    await expect(run(new FakeDriver(), names(2), { concurrency: 1.5 })).rejects.toThrow(RangeError);
  });
});

describe("one stack's failure never stops the others", () => {
  test("a failed update and a locked stack are reported; the rest succeed", async () => {
    const behaviors: Record<string, FakeBehavior> = {
      "tenant-01": { fail: "error: AADSTS700016: Application with identifier 'x' was not found" },
      "tenant-03": { locked: true },
    };
    const driver = new FakeDriver(behaviors, { latencyMs: 5, changes: { create: 2, same: 3 } });
    const results = await run(driver, names(6), { concurrency: 2, logFile: (s) => `.exo-fleet/logs/${s}.log` });
    expect(statusOf(results)).toEqual({
      "tenant-00": "succeeded",
      "tenant-01": "failed",
      "tenant-02": "succeeded",
      "tenant-03": "locked",
      "tenant-04": "succeeded",
      "tenant-05": "succeeded",
    });
    const failed = results.find((r) => r.stack === "tenant-01")!;
    expect(failed).toMatchObject({
      phase: "update",
      error: {
        code: "ERR_UPDATE_FAILED",
        message: "up of stack tenant-01 failed: error: AADSTS700016: Application with identifier 'x' was not found",
        remedy: "See .exo-fleet/logs/tenant-01.log for Pulumi's full output, or run `pulumi up --stack tenant-01`.",
      },
    });
    const locked = results.find((r) => r.stack === "tenant-03")!;
    expect(locked.error).toEqual({
      code: "ERR_STACK_LOCKED",
      message: "stack tenant-03 is locked by another update",
      remedy: "Wait for the other update to finish, then rerun with --only-failed; if no update is running (a crashed one left the lock), `pulumi cancel --stack tenant-03` releases it.",
    });
    expect(results.find((r) => r.stack === "tenant-00")!.changes).toEqual({ create: 2, same: 3 });
  });

  test("a driver that throws something odd fails that stack only", async () => {
    const driver = new FakeDriver({}, { latencyMs: 1 });
    const broken = { ...driver, up: driver.up, preview: driver.preview, refresh: driver.refresh, destroy: driver.destroy, outputs: driver.outputs.bind(driver) };
    broken.up = async (stack, o) => {
      if (stack.name === "b") throw "not an Error";
      return driver.up(stack, o);
    };
    const results = await runFleet({ command: "up", stacks: stacksOf(["a", "b", "c"]), driver: broken, concurrency: 2 });
    expect(statusOf(results)).toEqual({ a: "succeeded", b: "failed", c: "succeeded" });
    expect(results[1]!.error!.message).toBe("up of stack b failed: not an Error");
  });
});

describe("the operation and its options reach the driver", () => {
  test.each(["preview", "refresh", "destroy"] as const)("%s: the driver's operation of that name, with the config file when one is named", async (command) => {
    const driver = new FakeDriver({}, { latencyMs: 1 });
    const results = await runFleet({ command, stacks: [{ name: "a" }, { name: "b", configFile: "/x/Pulumi.b.yaml" }], driver, concurrency: 2 });
    expect(results.map((r) => r.status)).toEqual(["succeeded", "succeeded"]);
    expect(driver.calls.map((c) => [c.op, c.stack, c.configFile])).toEqual(
      expect.arrayContaining([
        [command, "a", undefined],
        [command, "b", "/x/Pulumi.b.yaml"],
      ]),
    );
  });

  test("output goes to onOutput with its stack; onSettled sees every stack's state each time", async () => {
    const driver = new FakeDriver({}, { latencyMs: 5, output: "Updating (x)\n" });
    const outputs: [string, string][] = [];
    const snapshots: string[][] = [];
    await run(driver, ["a", "b", "c"], {
      concurrency: 1,
      events: { onOutput: (s, t) => outputs.push([s, t]), onSettled: (_r, all) => snapshots.push(all.map((x) => `${x.stack}:${x.status}`)) },
    });
    expect(outputs).toEqual([
      ["a", "Updating (x)\n"],
      ["b", "Updating (x)\n"],
      ["c", "Updating (x)\n"],
    ]);
    expect(snapshots).toEqual([
      ["a:succeeded", "b:not-started", "c:not-started"],
      ["a:succeeded", "b:succeeded", "c:not-started"],
      ["a:succeeded", "b:succeeded", "c:succeeded"],
    ]);
  });
});

describe("cancellation", () => {
  test("abort mid-run: running stacks are cancelled through the driver, finished ones stay, the rest never start", async () => {
    const driver = new FakeDriver({ "tenant-00": { latencyMs: 5, hang: false }, "tenant-01": { latencyMs: 5, hang: false } }, { hang: true });
    const controller = new AbortController();
    const started: string[] = [];
    const settled: string[] = [];
    const done = run(driver, names(10), {
      concurrency: 3,
      signal: controller.signal,
      events: {
        onStart: (s) => {
          started.push(s);
          // Abort once the two quick ones are done and three hang.
          if (started.length === 5) setTimeout(() => controller.abort(), 20);
        },
        onSettled: (r) => settled.push(r.stack),
      },
    });
    const t0 = Date.now();
    const results = await done;
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(statusOf(results)).toEqual({
      "tenant-00": "succeeded",
      "tenant-01": "succeeded",
      "tenant-02": "cancelled",
      "tenant-03": "cancelled",
      "tenant-04": "cancelled",
      "tenant-05": "not-started",
      "tenant-06": "not-started",
      "tenant-07": "not-started",
      "tenant-08": "not-started",
      "tenant-09": "not-started",
    });
    expect(driver.aborted.sort()).toEqual(["tenant-02", "tenant-03", "tenant-04"]);
    expect(started).toEqual(names(5));
    expect(results[2]!.error).toMatchObject({ code: "ERR_CANCELLED", message: "up of stack tenant-02 was cancelled" });
    expect(settled).toHaveLength(5);
  }, 5000);

  test("aborted before the start: nothing runs", async () => {
    const driver = new FakeDriver();
    const controller = new AbortController();
    controller.abort();
    const results = await run(driver, names(3), { signal: controller.signal });
    expect(results.map((r) => r.status)).toEqual(["not-started", "not-started", "not-started"]);
    expect(driver.calls).toHaveLength(0);
  });
});

describe("the check after up, and fleet verify", () => {
  const tenant = (key: string, ok: boolean): TenantResult => ({ tenant: key, ok, durationMs: 3, ...(ok ? {} : { error: { code: "ERR_CHECK_FAILED", message: "token.role: no roles", remedy: "grant consent" } }) });

  test("up hands the stack's outputs to verify; a failing tenant fails its stack (phase verify)", async () => {
    const driver = new FakeDriver({ a: { outputs: { tenantId: "t-a" } }, b: { outputs: { tenants: { x: {}, y: {} } } } }, { latencyMs: 1 });
    const seen: [string, unknown][] = [];
    const results = await run(driver, ["a", "b"], {
      verify: async (stack, outputs) => {
        seen.push([stack, outputs]);
        return stack === "a" ? [tenant("t-a", true)] : [tenant("x", true), tenant("y", false)];
      },
    });
    expect(seen.sort()).toEqual([
      ["a", { tenantId: "t-a" }],
      ["b", { tenants: { x: {}, y: {} } }],
    ]);
    expect(results[0]).toMatchObject({ stack: "a", status: "succeeded", tenants: [{ tenant: "t-a", ok: true }] });
    expect(results[1]).toMatchObject({
      stack: "b",
      status: "failed",
      phase: "verify",
      error: { code: "ERR_VERIFY_FAILED", message: "1 of 2 tenants failed the check (y); y: token.role: no roles", remedy: "grant consent" },
    });
    // up carried the outputs: no second read.
    expect(driver.calls.filter((c) => c.op === "outputs")).toHaveLength(0);
  });

  test("without a verify function (--no-verify) up succeeds on the update alone", async () => {
    const driver = new FakeDriver({}, { latencyMs: 1 });
    const results = await run(driver, ["a"]);
    expect(results[0]).toEqual({ stack: "a", status: "succeeded", durationMs: expect.any(Number), changes: { same: 5 } });
  });

  test("preview never verifies, even with a verify function", async () => {
    const verify = jest.fn(async () => [tenant("x", true)]);
    await runFleet({ command: "preview", stacks: stacksOf(["a"]), driver: new FakeDriver(), concurrency: 1, verify });
    expect(verify).not.toHaveBeenCalled();
  });

  test("fleet verify reads each stack's outputs through the driver; an unreadable one fails alone", async () => {
    const driver = new FakeDriver({ a: { outputs: { tenantId: "t-a" } }, b: { fail: "error: no stack named 'b' found", only: ["outputs"] } });
    const verify = jest.fn(async () => [tenant("t-a", true)]);
    const results = await runFleet({ command: "verify", stacks: stacksOf(["a", "b"]), driver, concurrency: 2, verify });
    expect(driver.calls.map((c) => [c.op, c.stack, c.outcome]).sort()).toEqual([
      ["outputs", "a", "ok"],
      ["outputs", "b", "failed"],
    ]);
    expect(verify).toHaveBeenCalledTimes(1);
    expect(results[0]).toMatchObject({ status: "succeeded", tenants: [{ tenant: "t-a", ok: true }] });
    expect(results[1]).toMatchObject({ status: "failed", phase: "verify", error: { message: "reading the outputs of stack b failed: error: no stack named 'b' found" } });
  });

  test("an abort while up runs: the update is cancelled and no check starts", async () => {
    const driver = new FakeDriver({}, { hang: true });
    const controller = new AbortController();
    const verify = jest.fn(async () => [tenant("x", true)]);
    const results = await run(driver, ["a"], { signal: controller.signal, verify, events: { onStart: () => setTimeout(() => controller.abort(), 5) } });
    expect(results[0]!.status).toBe("cancelled");
    expect(verify).not.toHaveBeenCalled();
  });
});

describe("nothing secret leaves the runner", () => {
  const CONFIG_SECRET = "deployer-secret-from-config";
  const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlMzY1LmNvbSJ9.c2lnbmF0dXJlLXBhcnQ";
  const SHAPED = "Xk48Q~Zq3vJm.R1_tq0xUyP~iW9nB5sLc7dEfGhI";
  const KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n-----END PRIVATE KEY-----";
  const PLANTED = [CONFIG_SECRET, JWT, SHAPED, "MIIEvQIBADANBgkq", "0123456789abcdef0123"];
  const leaks = (text: string): string[] => PLANTED.filter((secret) => text.includes(secret));
  /** What Pulumi prints when a program echoes config and a provider echoes its request. */
  const OUTPUT = `Updating (x):\n  config ${CONFIG_SECRET} read\n  provider said: Authorization: Bearer 0123456789abcdef0123456789\n${KEY}\n  assertion ${JWT}\n`;

  test.each([1, 5, 16, 4096])("output in pieces of %i characters: every line arrives, redacted", async (piece) => {
    const driver = new FakeDriver({}, { output: OUTPUT, outputPiece: piece, secrets: [CONFIG_SECRET] });
    let log = "";
    const results = await run(driver, ["a"], { events: { onOutput: (_s, t) => (log += t) } });
    expect(results[0]!.status).toBe("succeeded");
    expect(leaks(log)).toEqual([]);
    expect(log).toBe("Updating (x):\n  config [redacted] read\n  provider said: Authorization: Bearer [redacted]\n[redacted private key]\n  assertion [redacted token]\n");
  });

  test("a failed update: its error (which carries Pulumi's whole output) is redacted, and still says what failed where", async () => {
    const driver = new FakeDriver({ a: { fail: `error: azuread:index:ApplicationPassword (secret): the value ${CONFIG_SECRET} / ${SHAPED} was refused` } }, { output: OUTPUT, outputPiece: 7, secrets: [CONFIG_SECRET] });
    const settled: StackResult[] = [];
    const results = await run(driver, ["a"], { events: { onSettled: (r) => settled.push(r) }, logFile: () => ".exo-fleet/logs/a.log" });
    expect(leaks(JSON.stringify([results, settled]))).toEqual([]);
    expect(results[0]).toMatchObject({
      stack: "a",
      status: "failed",
      phase: "update",
      error: { code: "ERR_UPDATE_FAILED", message: "up of stack a failed: error: azuread:index:ApplicationPassword (secret): the value [redacted] / [redacted client secret] was refused" },
    });
  });

  test("a check's failure echoing the stack's config or its new secret outputs is redacted with what the driver reported", async () => {
    const driver = new FakeDriver({ a: { outputs: { tenantId: "t-a", clientSecret: "client-secret-from-up" }, secrets: [CONFIG_SECRET] } });
    const results = await run(driver, ["a"], {
      verify: async () => [{ tenant: "t-a", ok: false, durationMs: 1, error: { code: "ERR_CHECK_FAILED", message: `token.acquired: AADSTS7000215: Invalid client secret 'client-secret-from-up' (deployer ${CONFIG_SECRET})`, remedy: `Set it again: ${JWT}` } }],
    });
    const text = JSON.stringify(results);
    expect(text).not.toContain("client-secret-from-up");
    expect(leaks(text)).toEqual([]);
    expect(results[0]!.error).toEqual({ code: "ERR_CHECK_FAILED", message: "token.acquired: AADSTS7000215: Invalid client secret '[redacted]' (deployer [redacted])", remedy: "Set it again: [redacted token]" });
    expect(results[0]!.tenants![0]!.error!.message).toContain("[redacted]");
  });

  test("fleet verify: the secret outputs read through the driver redact the check's words too", async () => {
    const driver = new FakeDriver({ a: { outputs: { tenants: { x: { tenantId: "t-x", clientSecret: "tenant-x-secret-value" } } } } });
    const results = await runFleet({
      command: "verify",
      stacks: stacksOf(["a"]),
      driver,
      concurrency: 1,
      verify: async () => [{ tenant: "x", ok: false, durationMs: 1, error: { code: "ERR_CHECK_FAILED", message: "exchange.invoke: 401 echoing tenant-x-secret-value", remedy: "r" } }],
    });
    expect(JSON.stringify(results)).not.toContain("tenant-x-secret-value");
    expect(results[0]!.error!.message).toBe("exchange.invoke: 401 echoing [redacted]");
  });
});
