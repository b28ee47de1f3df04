/**
 * `exo-app-only fleet preview|up|verify|refresh|destroy|matrix`: one command over a fleet of stacks (one stack a
 * tenant, or stacks of many tenants). A thin shell: src/fleet resolves the fleet, runs it through a driver (the
 * Automation API), checks every tenant after `up`, and keeps a results file that `--only-failed` resumes from.
 * Exit codes: 0 every stack succeeded · 1 a stack failed, was locked or failed its check · 2 usage, fleet file or
 * results file error · 130 interrupted (Ctrl-C).
 */
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { Command } from "commander";
import { parseDuration } from "../text/duration";
import { hiddenValue, secretShape } from "../check/ids";
import { printable, printableJson } from "../text/terminalText";
import { FLEET_COMMANDS, verifies, type FleetCommand } from "../fleet/commands";
import { resolveFleet, splitNames, type Fleet } from "../fleet/fleet";
import { loadDriver } from "../fleet/loadDriver";
import { fleetMatrix } from "../fleet/matrix";
import { plainProgress, ttyProgress, type Progress } from "../fleet/progress";
import { mergeResults, readResults, stacksToRerun, writeResults, type ResultsFile, type StackResult } from "../fleet/results";
import { runFleet } from "../fleet/runner";
import { closingLines, isSuccess, renderTable, toJson, type RunSummary } from "../fleet/summary";
import { verifyTenants } from "../fleet/verifyTenants";
import { FleetInterrupt } from "../fleet/driver";
import { FleetFileError } from "../fleet/fleetFile";
import { UsageError } from "../errors";
import { STACK_NAME_RULE } from "../plan/stackFile";
import { reportError, withUsageExit } from "./commandSupport";
import type { ArgumentAdvice } from "./extraArguments";
import { EXIT } from "./exit";

/** 128 + SIGINT, as shells report a command stopped by Ctrl-C. */
export const EXIT_INTERRUPTED = 130;

/** A second signal this soon after the first is the same interrupt (npm forwarding it), not "stop waiting". */
const SAME_INTERRUPT_MS = 500;

export interface SourceFlags {
  readonly stacks: string[];
  readonly glob?: string;
  readonly fleet?: string;
  readonly json?: boolean;
}

interface RunFlags extends SourceFlags {
  readonly concurrency: string;
  readonly results?: string;
  readonly onlyFailed?: boolean;
  readonly verify?: boolean;
  readonly verifyTimeout?: string;
  readonly exchangeEndpoint?: string;
  readonly yes?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function fleetOf(positional: readonly string[], flags: SourceFlags, command: string): Fleet {
  const names = splitNames([...positional, ...flags.stacks]);
  // A token or secret pasted into --stacks would be echoed as a stack that does not exist: named by its shape instead.
  const secret = names.find((name) => secretShape(name) !== undefined);
  if (secret !== undefined) throw new UsageError(`--stacks takes stack names, and got ${hiddenValue(secret)}`, NO_SECRETS);
  return resolveFleet({ command, ...(names.length > 0 ? { names } : {}), ...(flags.glob !== undefined ? { glob: flags.glob } : {}), ...(flags.fleet !== undefined ? { fleetFile: flags.fleet } : {}) });
}

export function parseConcurrency(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) {
    throw new UsageError(`--concurrency ${JSON.stringify(text)} is not a whole number of stacks, 1 or more`, "Pass --concurrency N with N ≥ 1 (default 4): how many stacks run at once.");
  }
  return Number(text);
}

/**
 * Like reportError, but a fleet file's problems are all reported (reportError keeps an error's first line), and
 * `--json` lists them as issues: `{ where, message, fix }`.
 */
export function reportFleetError(error: unknown, json: boolean): number {
  if (!(error instanceof FleetFileError)) return reportError(error, json);
  process.stderr.write(`error: ${printable(error.message, { newlines: true })}\n`);
  if (json) process.stdout.write(`${printableJson({ ok: false, error: { code: error.code, message: error.message, remedy: error.remedy, issues: error.issues } })}\n`);
  return EXIT.usage;
}

/** A stack name as a file name: `org/project/dev` → `org_project_dev`. */
const logName = (stack: string): string => `${stack.replace(/[^A-Za-z0-9_.-]/g, "_")}.log`;

/** The command line that reruns what did not succeed, as the user would type it. */
function resumeLine(command: FleetCommand, argv: readonly string[]): string {
  const quote = (arg: string): string => (/^[A-Za-z0-9_./,:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`);
  return ["exo-app-only", "fleet", command, ...argv.filter((a) => a !== "--only-failed"), "--only-failed"].map(quote).join(" ");
}

async function run(command: FleetCommand, positional: string[], flags: RunFlags, argv: readonly string[]): Promise<number> {
  const json = flags.json === true;
  let progress: Progress | undefined;
  try {
    const fleet = fleetOf(positional, flags, command);
    const concurrency = parseConcurrency(flags.concurrency);
    const check = verifies(command) && flags.verify !== false;
    const verifyTimeoutMs = check ? parseDuration(flags.verifyTimeout ?? "15m", "--verify-timeout") : 0;
    if (command === "destroy" && !flags.yes) {
      throw new UsageError(
        `fleet destroy deletes the app registration, its credentials and its role in each of ${fleet.stacks.length} stack${fleet.stacks.length === 1 ? "" : "s"}`,
        "Pass --yes to confirm (exo-app-only never prompts), after checking the fleet with `fleet preview`.",
      );
    }
    const resultsFile = resolve(flags.results ?? join(fleet.projectDir, ".exo-fleet", "results.json"));
    const logDir = join(resolve(resultsFile, ".."), "logs");
    let previous: ResultsFile | undefined;
    let names = fleet.stacks.map((s) => s.name);
    if (flags.onlyFailed) {
      previous = readResults(resultsFile);
      names = stacksToRerun(previous, resultsFile, fleet, command);
    }
    const order = fleet.stacks.map((s) => s.name);
    const toRun = fleet.stacks.filter((s) => names.includes(s.name));
    const startedAt = new Date().toISOString();
    const fileOf = (results: readonly StackResult[], finished: boolean): ResultsFile => ({
      version: 1,
      fleetId: fleet.id,
      command,
      stacks: order,
      startedAt,
      updatedAt: new Date().toISOString(),
      finished,
      results: mergeResults(order, previous?.results ?? [], results),
    });
    const summaryOf = (results: readonly StackResult[], interrupted: boolean): RunSummary => ({
      command,
      fleetId: fleet.id,
      resultsFile: relative(process.cwd(), resultsFile) || resultsFile,
      concurrency,
      results: mergeResults(order, previous?.results ?? [], results),
      ...(flags.onlyFailed ? { rerun: toRun.map((s) => s.name) } : {}),
      interrupted,
    });

    if (toRun.length === 0) {
      const summary = summaryOf([], false);
      process.stderr.write(`nothing to rerun: every stack of the fleet succeeded in ${summary.resultsFile}\n`);
      process.stdout.write(json ? `${printableJson(toJson(summary))}\n` : renderTable(summary.results) + closingLines(summary, ""));
      return EXIT.ok;
    }

    const driver = loadDriver(fleet.projectDir);
    let latest: readonly StackResult[] = toRun.map((s) => ({ stack: s.name, status: "not-started" }));
    writeResults(resultsFile, fileOf(latest, false));
    mkdirSync(logDir, { recursive: true });
    for (const s of toRun) writeFileSync(join(logDir, logName(s.name)), "");

    progress = process.stderr.isTTY && !process.env.CI ? ttyProgress(process.stderr, command, toRun.length) : plainProgress(process.stderr, command, toRun.length);
    const shown = progress;
    const controller = new AbortController();
    let firstSignalAt: number | undefined;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (firstSignalAt === undefined) {
        firstSignalAt = Date.now();
        shown.note(`${signal}: cancelling the running stacks, starting no more (${signal === "SIGINT" ? "Ctrl-C" : signal} again to stop waiting)`);
        // Ctrl-C typed at a terminal reaches the whole foreground job, Pulumi's processes included.
        controller.abort(new FleetInterrupt(signal, signal === "SIGINT" && process.stdin.isTTY === true));
        return;
      }
      // npm and npx pass a Ctrl-C on to their child: the same keypress can arrive twice, a moment apart.
      if (Date.now() - firstSignalAt < SAME_INTERRUPT_MS) return;
      // Second signal: stop waiting. What runs is recorded as cancelled; Pulumi may keep a stack locked.
      shown.close();
      const final = latest.map((r): StackResult => (r.status === "running" ? { stack: r.stack, status: "cancelled", error: { code: "ERR_CANCELLED", message: "stopped without waiting for the update to end", remedy: `If Pulumi reports the stack locked, \`pulumi cancel --stack ${r.stack}\` releases it; then rerun with --only-failed.` } } : r));
      writeResults(resultsFile, fileOf(final, true));
      const summary = summaryOf(final, true);
      process.stdout.write(json ? `${printableJson(toJson(summary))}\n` : renderTable(summary.results) + closingLines(summary, resumeLine(command, argv)));
      process.exit(EXIT_INTERRUPTED);
    };
    // The event loop ran dry with stacks unsettled: a driver lost track of an operation. Never exit 0 on that.
    const onDrained = (): void => {
      process.stderr.write(`error: the driver left ${latest.filter((r) => r.status === "running").length} stack(s) running with nothing to wait on\nThis is a bug in exo-app-only: please report it with the command you ran (not its secrets).\n`);
      process.exit(EXIT.failed);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    process.on("beforeExit", onDrained);
    let results: StackResult[];
    try {
      results = await runFleet({
        command,
        stacks: toRun.map((s) => ({ name: s.name, ...(s.explicitConfigFile ? { configFile: s.configFile } : {}) })),
        driver,
        concurrency,
        signal: controller.signal,
        ...(check ? { verify: (stack, outputs, signal) => verifyTenants(stack, outputs, { timeoutMs: verifyTimeoutMs, ...(flags.exchangeEndpoint ? { exchangeEndpoint: flags.exchangeEndpoint } : {}) }, signal) } : {}),
        logFile: (stack) => relative(process.cwd(), join(logDir, logName(stack))),
        events: {
          onStart: (stack) => {
            latest = latest.map((r) => (r.stack === stack ? { stack, status: "running" } : r));
            shown.start(stack);
          },
          onVerify: (stack) => shown.verify(stack),
          onOutput: (stack, text) => appendFileSync(join(logDir, logName(stack)), text),
          onSettled: (result, all) => {
            latest = all;
            writeResults(resultsFile, fileOf(all, false));
            shown.settled(result, all);
          },
        },
      });
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      process.off("beforeExit", onDrained);
      shown.close();
    }
    const interrupted = controller.signal.aborted;
    writeResults(resultsFile, fileOf(results, true));
    const summary = summaryOf(results, interrupted);
    process.stdout.write(json ? `${printableJson(toJson(summary))}\n` : renderTable(summary.results) + closingLines(summary, resumeLine(command, argv)));
    return interrupted ? EXIT_INTERRUPTED : isSuccess(summary) ? EXIT.ok : EXIT.failed;
  } catch (error) {
    progress?.close();
    return reportFleetError(error, json);
  }
}

function matrix(positional: string[], flags: SourceFlags): number {
  try {
    process.stdout.write(`${printableJson(fleetMatrix(fleetOf(positional, flags, "matrix")))}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportFleetError(error, flags.json === true);
  }
}

const NO_SECRETS = "A fleet takes stack names here; a secret or token never goes on the command line (each stack's credentials come from its config and the environment).";

/** What a fleet command takes as arguments: stack names, never a secret. */
export const FLEET_ARGUMENTS: ArgumentAdvice = {
  secret: NO_SECRETS,
  path: `To run the stacks a fleet file lists, pass --fleet FILE. ${STACK_NAME_RULE}`,
  other: STACK_NAME_RULE,
};

export function withSourceOptions(command: Command): Command {
  return command
    .argument("[stacks...]", "stack names (or use --stacks, --glob, --fleet)")
    .option("--stacks <names>", "comma-separated stack names (repeatable)", collect, [])
    .option("--glob <pattern>", "every stack whose Pulumi.<stack>.yaml is beside Pulumi.yaml and whose name matches, e.g. 'tenant-*'")
    .option("--fleet <file>", "a fleet file: YAML with a stacks: list of { name, configFile? }")
    .option("--json", "print one JSON object on stdout (progress stays on stderr)");
}

const DESCRIPTIONS: Record<FleetCommand, string> = {
  preview: "pulumi preview every stack of the fleet",
  up: "pulumi up every stack of the fleet, then check each tenant's app-only access (unless --no-verify)",
  verify: "check each tenant's app-only access from every stack's outputs (no update)",
  refresh: "pulumi refresh every stack of the fleet",
  destroy: "pulumi destroy every stack of the fleet (needs --yes)",
};

function runSubcommand(name: FleetCommand): Command {
  const command = withSourceOptions(new Command(name).description(DESCRIPTIONS[name]))
    .option("--concurrency <n>", "how many stacks run at once", "4")
    .option("--results <path>", "results file (default: .exo-fleet/results.json beside Pulumi.yaml)")
    .option("--only-failed", "rerun only the stacks that failed, were cancelled or never started in the results file");
  if (name === "up") command.option("--no-verify", "skip the post-deploy check");
  if (verifies(name)) {
    command
      .option("--verify-timeout <duration>", "how long each tenant's check may wait for propagation, e.g. 90s, 5m", "15m")
      .option("--exchange-endpoint <URL>", "override where the check's InvokeCommand is sent (https only)");
  }
  if (name === "destroy") command.option("--yes", "confirm destroying every stack of the fleet");
  command.action(async (positional: string[], flags: RunFlags) => {
    process.exitCode = await run(name, positional, flags, process.argv.slice(4));
  });
  return withUsageExit(command, FLEET_ARGUMENTS);
}

const EXAMPLES = `
Exit codes: 0 every stack succeeded · 1 a stack failed, was locked or failed its check · 2 usage, fleet file or
results file error · 130 interrupted (Ctrl-C: running updates are cancelled cleanly; Ctrl-C again stops waiting).

Examples:
  $ exo-app-only fleet preview contoso fabrikam
  $ exo-app-only fleet up --glob 'tenant-*' --concurrency 8
  $ exo-app-only fleet up --fleet fleet.yaml --json > fleet-result.json
  $ exo-app-only fleet up --fleet fleet.yaml --only-failed      # rerun what failed, was cancelled or never started
  $ exo-app-only fleet verify --fleet fleet.yaml --verify-timeout 5m
  $ exo-app-only fleet matrix --fleet fleet.yaml                # {"include":[{"stack":...,"configFile":...}]}
  $ exo-app-only fleet audit --fleet fleet.yaml --fail-on high  # every tenant's Exchange app-only holders, judged

fleet.yaml:
  stacks:
    - name: contoso
    - name: fabrikam
      configFile: tenants/Pulumi.fabrikam.yaml   # relative to fleet.yaml
`;

/** The `fleet` command, for `program.addCommand(fleetCommand())`. */
export function fleetCommand(): Command {
  const fleet = new Command("fleet").description("Run preview, up, verify, refresh or destroy over a fleet of stacks (one stack a tenant), audit its tenants, or print it as a GitHub Actions matrix.");
  for (const name of FLEET_COMMANDS) fleet.addCommand(runSubcommand(name));
  fleet.addCommand(
    withUsageExit(
      withSourceOptions(new Command("matrix").description("print the fleet as a GitHub Actions matrix (strategy.matrix) on stdout, compact JSON")).action((positional: string[], flags: SourceFlags) => {
        process.exitCode = matrix(positional, flags);
      }),
      FLEET_ARGUMENTS,
    ),
  );
  fleet.addHelpText("after", EXAMPLES);
  return withUsageExit(fleet);
}
