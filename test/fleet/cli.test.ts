/**
 * `exo-app-only fleet` end to end: the built CLI as a child process in a throwaway project, with the fake driver
 * (EXO_FLEET_TEST_DRIVER) instead of the Automation API, and the tenant emulator for the check after `up`.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { startEmulator, type TenantEmulator } from "../emulator";
import { wireTenant, type WiredTenant } from "../check/tenant";
import { HOSTILE_SHOWN, HOSTILE_TEXT, expectNoRawControls, expectNothingSecret } from "../cli/run";

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
import { fakeFleet, onlyJson, peakInFlight, runFleetCli, type FakeLogLine } from "./cliRun";
import { tempProject, type TempProject } from "./project";

let project: TempProject;
beforeEach(() => {
  project = tempProject(["tenant-a", "tenant-b", "tenant-c", "tenant-d", "tenant-e"]);
});
afterEach(() => project.cleanup());

const resultsFile = () => path.join(project.dir, ".exo-fleet", "results.json");
const readResultsFile = () => JSON.parse(readFileSync(resultsFile(), "utf8")) as { fleetId: string; finished: boolean; results: { stack: string; status: string; error?: { code: string } }[] };
const statuses = () => Object.fromEntries(readResultsFile().results.map((r) => [r.stack, r.status]));
const ops = (log: readonly FakeLogLine[], event = "start") => log.filter((l) => l.event === event).map((l) => `${l.op} ${l.stack}`).sort();
/** Sends SIGINT once `ready` holds over the fake driver's log, once after each of `delaysMs` (0 = at once). */
const interruptWhen =
  (log: () => readonly FakeLogLine[], ready: (log: readonly FakeLogLine[]) => boolean, delaysMs: readonly number[]) =>
  (child: ChildProcess): void => {
    const poll = setInterval(() => {
      if (!ready(log())) return;
      clearInterval(poll);
      for (const delay of delaysMs) setTimeout(() => child.kill("SIGINT"), delay);
    }, 20);
  };
const starts = (log: readonly FakeLogLine[]) => log.filter((l) => l.event === "start").length;

describe("a run: isolation, exit codes, the results file", () => {
  test("a failure and a locked stack: the others still run; exit 1; one JSON object; bounded concurrency", async () => {
    const fake = fakeFleet(project.dir, { "tenant-b": { fail: "error: azuread:index:Application (app): insufficient privileges" }, "tenant-c": { locked: true } }, { latencyMs: 150 });
    const r = await runFleetCli(["up", "--glob", "tenant-*", "--concurrency", "2", "--no-verify", "--json"], { cwd: project.dir, env: fake.env });
    expect(r.code).toBe(1);
    const out = onlyJson(r);
    expect(out).toMatchObject({ ok: false, command: "up", concurrency: 2, interrupted: false, counts: { succeeded: 3, failed: 1, locked: 1 } });
    expect(out.stacks.map((s: any) => [s.stack, s.status])).toEqual([
      ["tenant-a", "succeeded"],
      ["tenant-b", "failed"],
      ["tenant-c", "locked"],
      ["tenant-d", "succeeded"],
      ["tenant-e", "succeeded"],
    ]);
    expect(out.stacks[1].error.message).toBe("up of stack tenant-b failed: error: azuread:index:Application (app): insufficient privileges");
    expect(out.stacks[2].error).toMatchObject({ code: "ERR_STACK_LOCKED", message: "stack tenant-c is locked by another update", remedy: expect.stringContaining("pulumi cancel --stack tenant-c") });
    const log = fake.log();
    expect(log[0]).toMatchObject({ event: "driver", projectDir: project.dir });
    expect(ops(log)).toEqual(["up tenant-a", "up tenant-b", "up tenant-c", "up tenant-d", "up tenant-e"]);
    expect(peakInFlight(log)).toBe(2);
    expect(statuses()).toEqual({ "tenant-a": "succeeded", "tenant-b": "failed", "tenant-c": "locked", "tenant-d": "succeeded", "tenant-e": "succeeded" });
    expect(readResultsFile().finished).toBe(true);
    // Progress is plain lines on stderr when it is not a terminal.
    expect(r.stderr).toMatch(/^\[\d\/5\] tenant-c: LOCKED in .*: stack tenant-c is locked by another update$/m);
  });

  test("text mode: the table with each failure's fix, and the command that reruns the rest", async () => {
    const fake = fakeFleet(project.dir, { "tenant-b": { fail: "error: boom" } }, { latencyMs: 5, changes: { create: 3 } });
    const r = await runFleetCli(["preview", "tenant-a", "--stacks", "tenant-b"], { cwd: project.dir, env: fake.env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^STACK\s+TENANT\s+RESULT\s+DURATION\s+DETAIL$/m);
    expect(r.stdout).toMatch(/^tenant-a\s+-\s+ok\s+\S+ (ms|s)\s+create 3$/m);
    expect(r.stdout).toMatch(/^tenant-b\s+-\s+FAILED\s+.*preview of stack tenant-b failed: error: boom$/m);
    expect(r.stdout).toMatch(/^\s+fix: See \.exo-fleet\/logs\/tenant-b\.log for Pulumi's full output, or run `pulumi preview --stack tenant-b`\.$/m);
    expect(r.stdout).toContain("fleet preview: 1 succeeded, 1 failed · results in .exo-fleet/results.json\nTo rerun what did not succeed: exo-app-only fleet preview tenant-a --stacks tenant-b --only-failed\n");
    expect(ops(fake.log())).toEqual(["preview tenant-a", "preview tenant-b"]);
  });

  test("Pulumi's error text is shown, never obeyed: table, progress lines and --json hold no raw control", async () => {
    const fake = fakeFleet(project.dir, { "tenant-b": { fail: `error: azuread:index:Application (app): ${HOSTILE_TEXT}` } });
    const r = await runFleetCli(["preview", "tenant-a", "tenant-b"], { cwd: project.dir, env: fake.env });
    expect(r.code).toBe(1);
    expectNoRawControls(r);
    expect(r.stdout).toMatch(new RegExp(`^tenant-b\\s+-\\s+FAILED\\s+.*preview of stack tenant-b failed: error: azuread:index:Application \\(app\\): ${escapeRegExp(HOSTILE_SHOWN)}$`, "m"));
    expect(r.stderr).toContain(`tenant-b: FAILED`);
    expect(r.stderr).toContain(HOSTILE_SHOWN);

    const json = await runFleetCli(["preview", "tenant-a", "tenant-b", "--json"], { cwd: project.dir, env: fake.env });
    expect(json.code).toBe(1);
    expectNoRawControls(json);
    expect(onlyJson(json).stacks[1].error.message).toBe(`preview of stack tenant-b failed: error: azuread:index:Application (app): ${HOSTILE_TEXT}`);
  });

  test("each stack's Pulumi output is kept in its log file", async () => {
    const fake = fakeFleet(project.dir, {}, { output: "Previewing update (x):\n + 3 to create\n" });
    const r = await runFleetCli(["preview", "tenant-a"], { cwd: project.dir, env: fake.env });
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(project.dir, ".exo-fleet", "logs", "tenant-a.log"), "utf8")).toBe("Previewing update (x):\n + 3 to create\n");
  });

  test("a fleet file: its stacks, a configFile passed to the driver as an absolute path; --results elsewhere", async () => {
    const config = project.write("tenants/fabrikam.yaml", "config: {}\n");
    const fleetFile = project.write("fleet.yaml", "stacks:\n  - name: tenant-a\n  - name: fabrikam\n    configFile: tenants/fabrikam.yaml\n");
    const fake = fakeFleet(project.dir, {}, {});
    const results = path.join(project.dir, "out", "r.json");
    const r = await runFleetCli(["refresh", "--fleet", fleetFile, "--results", results], { cwd: path.dirname(config), env: fake.env });
    expect(r.code).toBe(0);
    expect(fake.log().filter((l) => l.event === "start").map((l) => [l.op, l.stack, l.configFile])).toEqual(
      expect.arrayContaining([
        ["refresh", "tenant-a", undefined],
        ["refresh", "fabrikam", config],
      ]),
    );
    expect(existsSync(results)).toBe(true);
    expect(existsSync(resultsFile())).toBe(false);
  });

  test("destroy needs --yes", async () => {
    const fake = fakeFleet(project.dir, {});
    const refused = await runFleetCli(["destroy", "tenant-a", "tenant-b"], { cwd: project.dir, env: fake.env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error: fleet destroy deletes the app registration, its credentials and its role in each of 2 stacks$/m);
    expect(fake.log()).toEqual([]);
    const r = await runFleetCli(["destroy", "tenant-a", "tenant-b", "--yes"], { cwd: project.dir, env: fake.env });
    expect(r.code).toBe(0);
    expect(ops(fake.log())).toEqual(["destroy tenant-a", "destroy tenant-b"]);
  });
});

describe("--only-failed", () => {
  test("reruns only what failed, was locked, cancelled or never started; then there is nothing left to rerun", async () => {
    const first = fakeFleet(project.dir, { "tenant-b": { fail: "error: boom" }, "tenant-d": { locked: true } }, {}, "first");
    expect((await runFleetCli(["up", "--glob", "tenant-*", "--no-verify"], { cwd: project.dir, env: first.env })).code).toBe(1);
    const fleetIdBefore = readResultsFile().fleetId;

    const second = fakeFleet(project.dir, {}, {}, "second");
    const r = await runFleetCli(["up", "--glob", "tenant-*", "--no-verify", "--only-failed", "--json"], { cwd: project.dir, env: second.env });
    expect(r.code).toBe(0);
    expect(ops(second.log())).toEqual(["up tenant-b", "up tenant-d"]);
    const out = onlyJson(r);
    expect(out).toMatchObject({ ok: true, rerun: ["tenant-b", "tenant-d"], counts: { succeeded: 5 } });
    expect(statuses()).toEqual({ "tenant-a": "succeeded", "tenant-b": "succeeded", "tenant-c": "succeeded", "tenant-d": "succeeded", "tenant-e": "succeeded" });
    expect(readResultsFile().fleetId).toBe(fleetIdBefore);

    const third = fakeFleet(project.dir, {}, {}, "third");
    const again = await runFleetCli(["up", "--glob", "tenant-*", "--no-verify", "--only-failed"], { cwd: project.dir, env: third.env });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("nothing to rerun: every stack of the fleet succeeded in .exo-fleet/results.json");
    expect(ops(third.log())).toEqual([]);
  });

  test("a results file from another fleet or command is refused (exit 2), naming the difference", async () => {
    const fake = fakeFleet(project.dir, { "tenant-b": { fail: "error: boom" } });
    await runFleetCli(["up", "tenant-a", "tenant-b", "tenant-c", "--no-verify"], { cwd: project.dir, env: fake.env });
    const foreign = await runFleetCli(["up", "tenant-a", "tenant-b", "tenant-e", "--only-failed", "--json"], { cwd: project.dir, env: fake.env });
    expect(foreign.code).toBe(2);
    const error = onlyJson(foreign).error;
    expect(error.code).toBe("ERR_USAGE");
    expect(error.message).toMatch(/^--only-failed: .*results\.json is from another fleet \(fleet id [0-9a-f]{16}, this one is [0-9a-f]{16}; only in the results file: tenant-c; only in this fleet: tenant-e\)$/);
    const otherCommand = await runFleetCli(["preview", "tenant-a", "tenant-b", "tenant-c", "--only-failed"], { cwd: project.dir, env: fake.env });
    expect(otherCommand.code).toBe(2);
    expect(otherCommand.stderr).toMatch(/records `fleet up`, not `fleet preview`/);
    // Nothing ran for the refused ones.
    expect(fake.log().filter((l) => l.event === "start")).toHaveLength(3);
  });

  test("no results file yet: exit 2 with the fix", async () => {
    const r = await runFleetCli(["up", "tenant-a", "--only-failed"], { cwd: project.dir, env: fakeFleet(project.dir, {}).env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: --only-failed: no results file at .*results\.json\nRun the fleet once without --only-failed/m);
  });
});

describe("Ctrl-C", () => {
  test("SIGINT cancels the running updates through the driver and records finished, cancelled and never started", async () => {
    const fake = fakeFleet(project.dir, { "tenant-a": { latencyMs: 10, hang: false } }, { hang: true });
    const r = await runFleetCli(["up", "--glob", "tenant-*", "--concurrency", "2", "--no-verify", "--json"], {
      cwd: project.dir,
      env: fake.env,
      // tenant-a has finished and two others hang: interrupt.
      whileRunning: interruptWhen(fake.log, (log) => starts(log) === 3, [0]),
    });
    expect(r.code).toBe(130);
    expect(statuses()).toEqual({ "tenant-a": "succeeded", "tenant-b": "cancelled", "tenant-c": "cancelled", "tenant-d": "not-started", "tenant-e": "not-started" });
    expect(readResultsFile().finished).toBe(true);
    const ends = fake.log().filter((l) => l.event === "end");
    expect(ends.map((l) => [l.stack, l.outcome]).sort()).toEqual([
      ["tenant-a", "ok"],
      ["tenant-b", "CommandError"],
      ["tenant-c", "CommandError"],
    ]);
    expect(onlyJson(r)).toMatchObject({ ok: false, interrupted: true, counts: { succeeded: 1, cancelled: 2, "not-started": 2 } });
    expect(r.stderr).toContain("SIGINT: cancelling the running stacks, starting no more");

    // And --only-failed picks up exactly the cancelled and the never started.
    const resume = fakeFleet(project.dir, {}, {}, "resume");
    const again = await runFleetCli(["up", "--glob", "tenant-*", "--no-verify", "--only-failed"], { cwd: project.dir, env: resume.env });
    expect(again.code).toBe(0);
    expect(ops(resume.log())).toEqual(["up tenant-b", "up tenant-c", "up tenant-d", "up tenant-e"]);
  });
});

test("a driver that loses an operation (nothing left to wait on): exit 1 naming it, never a silent 0", async () => {
  const fake = fakeFleet(project.dir, { "tenant-b": { lost: true } });
  const r = await runFleetCli(["up", "tenant-a", "tenant-b", "--no-verify"], { cwd: project.dir, env: fake.env });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("error: the driver left 1 stack(s) running with nothing to wait on");
  expect(statuses()).toEqual({ "tenant-a": "succeeded", "tenant-b": "running" });
});

describe("Ctrl-C twice", () => {
  test("twice at once (npm forwarding the same keypress) is one interrupt: the run still waits for the updates to end", async () => {
    // Updates that take 1.5 s to wind down after the interrupt.
    const fake = fakeFleet(project.dir, {}, { stubborn: true, latencyMs: 1500 });
    const r = await runFleetCli(["up", "tenant-a", "tenant-b", "--no-verify", "--json"], {
      cwd: project.dir,
      env: fake.env,
      whileRunning: interruptWhen(fake.log, (log) => starts(log) === 2, [0, 30]),
    });
    expect(r.code).toBe(130);
    // The CLI waited: both updates ended (on their own terms) before it did, and are recorded as they ended.
    expect(fake.log().filter((l) => l.event === "end").map((l) => l.outcome)).toEqual(["ok", "ok"]);
    expect(statuses()).toEqual({ "tenant-a": "succeeded", "tenant-b": "succeeded" });
    expect(onlyJson(r)).toMatchObject({ interrupted: true, ok: false });
  });

  test("a second Ctrl-C later stops waiting for an update that does not stop: results written, exit 130", async () => {
    const fake = fakeFleet(project.dir, { "tenant-b": { stubborn: true, latencyMs: 20_000 } }, { latencyMs: 10 });
    const r = await runFleetCli(["up", "tenant-a", "tenant-b", "tenant-c", "--concurrency", "2", "--no-verify"], {
      cwd: project.dir,
      env: fake.env,
      whileRunning: interruptWhen(fake.log, (log) => log.some((l) => l.event === "start" && l.stack === "tenant-c"), [100, 800]),
    });
    expect(r.code).toBe(130);
    expect(r.ms).toBeLessThan(10_000);
    expect(statuses()).toEqual({ "tenant-a": "succeeded", "tenant-b": "cancelled", "tenant-c": "succeeded" });
    const results = JSON.parse(readFileSync(resultsFile(), "utf8"));
    expect(results.results[1].error.message).toBe("stopped without waiting for the update to end");
    expect(r.stdout).toMatch(/fleet up: 2 succeeded, 1 cancelled \(interrupted\)/);
  });
});

test("a second Ctrl-C before any stack settled: the running ones are recorded cancelled, the rest not started", async () => {
  const fake = fakeFleet(project.dir, {}, { stubborn: true, latencyMs: 20_000 });
  const r = await runFleetCli(["up", "tenant-a", "tenant-b", "tenant-c", "--concurrency", "2", "--no-verify"], {
    cwd: project.dir,
    env: fake.env,
    whileRunning: interruptWhen(fake.log, (log) => starts(log) === 2, [0, 700]),
  });
  expect(r.code).toBe(130);
  expect(statuses()).toEqual({ "tenant-a": "cancelled", "tenant-b": "cancelled", "tenant-c": "not-started" });
});

describe("usage errors: exit 2, one line and a fix; with --json one object", () => {
  const cases: [string, string[], RegExp][] = [
    ["--concurrency 0", ["up", "tenant-a", "--concurrency", "0"], /--concurrency "0" is not a whole number of stacks, 1 or more/],
    ["--concurrency 1.5", ["up", "tenant-a", "--concurrency", "1.5"], /--concurrency "1\.5" is not a whole number/],
    ["no stacks", ["preview"], /no stacks given/],
    ["a stack that does not exist", ["preview", "tenant-a", "ghost"], /stack ghost does not exist: no Pulumi\.ghost\.yaml beside/],
    ["a bad --verify-timeout", ["up", "tenant-a", "--verify-timeout", "5"], /--verify-timeout "5" has no unit/],
    ["an unknown flag", ["up", "tenant-a", "--parallel", "3"], /unknown option '--parallel'/],
    ["--no-verify where there is no check", ["preview", "tenant-a", "--no-verify"], /unknown option '--no-verify'/],
    ["a path after a switch", ["up", "tenant-a", "--only-failed", ".exo-fleet/results.json"], /--only-failed takes no value, and the path "\.exo-fleet\/results\.json" followed it$/m],
    ["a value given to a switch with =", ["destroy", "tenant-a", "--yes=please"], /--yes takes no value, and "please" was given to it$/m],
    ["a stack name Pulumi refuses", ["preview", "tenant a"], /fleet preview takes stack names, and got "tenant a"$/m],
    ["a bad stack name in --stacks", ["preview", "--stacks", "tenant-a,bad name!"], /"bad name!" is not a stack name$/m],
  ];
  test.each(cases)("%s", async (_label, args, message) => {
    const fake = fakeFleet(project.dir, {});
    const text = await runFleetCli(args, { cwd: project.dir, env: fake.env });
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(message);
    expect(text.stdout).toBe("");
    const json = await runFleetCli([...args, "--json"], { cwd: project.dir, env: fake.env });
    expect(json.code).toBe(2);
    expect(onlyJson(json)).toMatchObject({ ok: false, error: { code: "ERR_USAGE", message: expect.stringMatching(message), remedy: expect.any(String) } });
    expect(fake.log().filter((l) => l.event === "start")).toEqual([]);
  });

  test.each([
    ["an access token", "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlMzY1LmNvbSJ9.c2lnbmF0dXJl", /a JWT, such as an access token \(\d+ characters, not shown\)/],
    ["a client secret", "Abc8Q~averylongclientsecretvalue_0123456789", /what looks like a client secret \(43 characters, not shown\)/],
  ])("%s where a stack name goes: exit 2, named by its shape, never echoed", async (_label, secret, shape) => {
    const fake = fakeFleet(project.dir, {});
    for (const args of [["up", "tenant-a", secret], ["matrix", secret], ["up", "--stacks", secret]]) {
      const r = await runFleetCli(args, { cwd: project.dir, env: fake.env });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(shape);
      expectNothingSecret(r, [secret]);
      const json = await runFleetCli([...args, "--json"], { cwd: project.dir, env: fake.env });
      expect(json.code).toBe(2);
      expect(onlyJson(json).error.message).toMatch(shape);
      expectNothingSecret(json, [secret]);
    }
    expect(fake.log().filter((l) => l.event === "start")).toEqual([]);
  });

  test("a fleet file naming a missing stack: named with its entry", async () => {
    const fleetFile = project.write("fleet.yaml", "stacks:\n  - name: tenant-a\n  - name: contoso\n");
    const r = await runFleetCli(["up", "--fleet", "fleet.yaml", "--json"], { cwd: project.dir, env: fakeFleet(project.dir, {}).env });
    expect(r.code).toBe(2);
    expect(onlyJson(r).error.message).toBe(`stack contoso (${fleetFile}: stacks[1]) does not exist: no Pulumi.contoso.yaml beside ${path.join(project.dir, "Pulumi.yaml")}`);
  });

  test("an invalid fleet file: every problem, with the file, entry, field and fix", async () => {
    project.write("fleet.yaml", "stacks:\n  - name: tenant-a\n    confgFile: x.yaml\n  - contoso\n");
    const r = await runFleetCli(["up", "--fleet", "fleet.yaml", "--json"], { cwd: project.dir, env: fakeFleet(project.dir, {}).env });
    expect(r.code).toBe(2);
    const error = onlyJson(r).error;
    expect(error.code).toBe("ERR_FLEET_FILE");
    expect(error.message.split("\n")).toEqual([
      `${path.join(project.dir, "fleet.yaml")}: stacks[0]: unknown field "confgFile". Fix: An entry holds only name: and, optionally, configFile:.`,
      `${path.join(project.dir, "fleet.yaml")}: stacks[1]: must be a map with name: (and optionally configFile:), not the text "contoso". Fix: Write the entry as \`- name: contoso\`.`,
    ]);
  });
});

test("fleet matrix: the compact matrix JSON on stdout and nothing else", async () => {
  project.write("tenants/fabrikam.yaml", "config: {}\n");
  project.write("fleet.yaml", "stacks:\n  - name: tenant-a\n  - name: fabrikam\n    configFile: tenants/fabrikam.yaml\n");
  const r = await runFleetCli(["matrix", "--fleet", "fleet.yaml"], { cwd: project.dir });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe('{"include":[{"stack":"tenant-a","configFile":"Pulumi.tenant-a.yaml"},{"stack":"fabrikam","configFile":"tenants/fabrikam.yaml"}]}\n');
  expect(r.stderr).toBe("");
  const bad = await runFleetCli(["matrix", "ghost"], { cwd: project.dir });
  expect(bad.code).toBe(2);
  expect(bad.stdout).toBe("");
});

describe("the check after up, against the tenant emulator", () => {
  let emu: TenantEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  function outputsOf(t: WiredTenant): Record<string, unknown> {
    return {
      tenantId: t.tenantId,
      organization: t.organization,
      environment: "public",
      clientId: t.clientId,
      authorityHost: emu.url,
      exchangeResource: "https://outlook.office365.com",
      clientSecret: t.secret,
      certificatePrivateKeyPem: "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAfakefakefake\n-----END PRIVATE KEY-----\n",
      connectExchangeOnline: { accessToken: "Connect-ExchangeOnline -AccessToken $token" },
    };
  }

  test("each tenant verified in process; a broken tenant fails its stack with the check's fix; no secret printed or kept", async () => {
    const a = wireTenant(emu);
    const b = wireTenant(emu);
    const broken = wireTenant(emu, { consent: false });
    const fake = fakeFleet(project.dir, {
      "tenant-a": { outputs: outputsOf(a) },
      "tenant-b": { outputs: { tenants: { b: outputsOf(b), broken: outputsOf(broken) } } },
    });
    // Without the private key output's certificate, the secret is used: strip the bogus key so the check takes the secret.
    const env = { ...fake.env, NODE_EXTRA_CA_CERTS: emu.caFile };
    const r = await runFleetCli(["up", "tenant-a", "tenant-b", "--exchange-endpoint", emu.url, "--verify-timeout", "2s"], { cwd: project.dir, env, timeoutMs: 30_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^tenant-a\\s+${a.tenantId}\\s+ok\\s`, "m"));
    expect(r.stdout).toMatch(/^tenant-b\s+b\s+ok\s/m);
    expect(r.stdout).toMatch(/^tenant-b\s+broken\s+FAILED\s+.*check: token\.role: /m);
    expect(r.stdout).toMatch(/^\s+fix: .*consent/im);
    const secrets = [a.secret, b.secret, broken.secret];
    expectNothingSecret(r, secrets);
    const kept = [readFileSync(resultsFile(), "utf8"), ...readdirSync(path.join(project.dir, ".exo-fleet", "logs")).map((f) => readFileSync(path.join(project.dir, ".exo-fleet", "logs", f), "utf8"))].join("\n");
    for (const secret of secrets) expect(kept).not.toContain(secret);
    expect(kept).not.toMatch(/PRIVATE KEY-----/);
  });

  test("fleet verify reads the outputs (no update); --json carries each tenant's result", async () => {
    const a = wireTenant(emu);
    const fake = fakeFleet(project.dir, { "tenant-a": { outputs: { ...outputsOf(a), certificatePrivateKeyPem: undefined } } });
    const r = await runFleetCli(["verify", "tenant-a", "--exchange-endpoint", emu.url, "--verify-timeout", "10s", "--json"], { cwd: project.dir, env: { ...fake.env, NODE_EXTRA_CA_CERTS: emu.caFile } });
    expect(r.code).toBe(0);
    expect(ops(fake.log())).toEqual(["outputs tenant-a"]);
    expect(onlyJson(r).stacks).toEqual([{ stack: "tenant-a", status: "succeeded", durationMs: expect.any(Number), tenants: [{ tenant: a.tenantId, tenantId: a.tenantId, clientId: a.clientId, ok: true, durationMs: expect.any(Number) }] }]);
    expectNothingSecret(r, [a.secret]);
  });

  test("--no-verify: up alone, the emulator is never asked", async () => {
    const a = wireTenant(emu);
    emu.clearRequests();
    const fake = fakeFleet(project.dir, { "tenant-a": { outputs: outputsOf(a) } });
    const r = await runFleetCli(["up", "tenant-a", "--no-verify", "--exchange-endpoint", emu.url], { cwd: project.dir, env: { ...fake.env, NODE_EXTRA_CA_CERTS: emu.caFile } });
    expect(r.code).toBe(0);
    expect(emu.requests.filter((x) => x.tenantId === a.tenantId)).toHaveLength(0);
  });
});
