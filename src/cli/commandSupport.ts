/**
 * What the commands share: exit codes for commander's own errors, and error output (text or JSON). Error text may
 * carry what the tool did not write (Entra's, Exchange's or Pulumi's words, a value from a stack): it is made
 * printable here, once, for every command.
 */
import type { Command } from "commander";
import { printable, printableJson } from "../text/terminalText";
import { ConfigError, ExoAppOnlyError, type ConfigIssue } from "../errors";
import { EXIT } from "./exit";
import { extraArgumentProblem, maskSecrets, secretAsOption, valueGivenToSwitch, type ArgumentAdvice, type UsageProblem } from "./extraArguments";

/** Whether `--json` is on the command line (before a `--`), even where commander never got to parse it. */
export function jsonRequested(argv: readonly string[] = process.argv.slice(2)): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).includes("--json");
}

/** The one object `--json` prints for a failure. */
export interface ErrorObject {
  readonly ok: false;
  readonly error: { readonly code: string; readonly message: string; readonly remedy: string; readonly issues?: readonly ConfigIssue[] };
}

const BUG_REMEDY = "This is a bug in exo-app-only: please report it with the command you ran (not its secrets).";

export function errorObject(error: unknown, redact: (text: string) => string = (t) => t): ErrorObject {
  const known = error instanceof ExoAppOnlyError;
  // A ConfigError names every bad key, a line each; anything else is reported by its first line.
  const text = redact(error instanceof Error ? error.message : String(error));
  const message = error instanceof ConfigError ? text : text.split("\n")[0]!;
  const remedy = known ? redact(error.remedy) : BUG_REMEDY;
  const code = known ? error.code : "ERR_INTERNAL";
  const issues = error instanceof ConfigError ? error.issues.map((i) => ({ key: i.key, value: redact(i.value), message: redact(i.message) })) : undefined;
  return { ok: false, error: { code, message, remedy, ...(issues ? { issues } : {}) } };
}

const HELP_HINT = "(run with --help for usage and examples)";

/**
 * Commander's usage errors (unknown flag, missing value, bad choice) exit 2 like ours, and so does an argument the
 * command does not take, named for what it looks like (see extraArguments.ts) with `advice` saying where it goes.
 * `addCommand` does not inherit the program's settings, so each command sets this itself.
 *
 * Commander's message is written here rather than by commander, once its code is known: a value given to a switch
 * (`--policy=./pack`) is said as such, anything quoted that may be a secret is masked, and the text is made printable.
 */
export function withUsageExit(command: Command, advice?: ArgumentAdvice): Command {
  if (advice) {
    command.allowExcessArguments().hook("preAction", (self, action) => {
      if (self !== action) return;
      const problem = extraArgumentProblem(action, advice);
      if (problem) usageExit(problem, true);
    });
  }
  return command.configureOutput({ outputError: () => undefined }).exitOverride((error) => {
    if (error.exitCode === 0) process.exit(EXIT.ok);
    // A command of subcommands run without one: commander has printed its help on stderr.
    if (error.code === "commander.help") usageExit({ message: `${commandPath(command)} needs a command`, remedy: `Run ${commandPath(command)} --help for its commands.` }, false, false);
    const unknown = error.code === "commander.unknownOption" ? /'([^']*)'/.exec(error.message)?.[1] : undefined;
    const named = unknown !== undefined ? (valueGivenToSwitch(command, unknown) ?? secretAsOption(command, unknown, advice)) : undefined;
    if (named) usageExit(named, true);
    usageExit({ message: maskSecrets(error.message.replace(/^error: /, "")), remedy: `Run ${commandPath(command)} --help for usage and examples.` }, false);
  });
}

/**
 * Prints a usage error (text on stderr; with --json, one object on stdout too) and exits 2. On stderr the remedy is
 * shown when it says more than "see --help", and the hint to --help always.
 */
function usageExit(problem: UsageProblem, showRemedy: boolean, print = true): never {
  // Every value quoted in the message was made printable where it was quoted; the message's own newlines are layout.
  if (print) process.stderr.write(`error: ${printable(problem.message, { newlines: true })}\n${showRemedy ? `${printable(problem.remedy)}\n` : ""}${HELP_HINT}\n`);
  if (jsonRequested()) {
    // A script reading stdout still gets its one object.
    process.stdout.write(`${printableJson({ ok: false, error: { code: "ERR_USAGE", message: problem.message, remedy: problem.remedy } } satisfies ErrorObject)}\n`);
  }
  return process.exit(EXIT.usage);
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/**
 * Prints an error as one line (plus its remedy) on stderr, and in --json mode as one object on stdout.
 * Known errors exit 2; anything else is a bug: 1, still without a stack trace.
 */
export function reportError(error: unknown, json: boolean, redact: (text: string) => string = (t) => t): number {
  const report = errorObject(error, redact);
  // A ConfigError's message is one line a bad key, laid out by the tool: its newlines stay.
  process.stderr.write(`error: ${printable(report.error.message, { newlines: error instanceof ConfigError })}\n${printable(report.error.remedy)}\n`);
  if (json) process.stdout.write(`${printableJson(report)}\n`);
  return error instanceof ExoAppOnlyError ? EXIT.usage : EXIT.failed;
}
