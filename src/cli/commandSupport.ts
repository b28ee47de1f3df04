/** What the commands share: exit codes for commander's own errors, and one-line error output (text or JSON). */
import type { Command } from "commander";
import { ConfigError, ExoAppOnlyError, type ConfigIssue } from "../errors";
import { EXIT } from "./exit";

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

/**
 * Commander's usage errors (unknown flag, missing value, bad choice) exit 2 like ours. `addCommand` does not
 * inherit the program's settings, so each command sets this itself.
 */
export function withUsageExit(command: Command): Command {
  return command
    .showHelpAfterError("(run with --help for usage and examples)")
    .exitOverride((error) => {
      if (error.exitCode !== 0 && jsonRequested()) {
        // Commander has printed its message on stderr; a script reading stdout still gets its one object.
        const message = error.message.replace(/^error: /, "");
        const remedy = `Run ${commandPath(command)} --help for usage and examples.`;
        process.stdout.write(`${JSON.stringify({ ok: false, error: { code: "ERR_USAGE", message, remedy } } satisfies ErrorObject)}\n`);
      }
      process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
    });
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
  process.stderr.write(`error: ${report.error.message}\n${report.error.remedy}\n`);
  if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
  return error instanceof ExoAppOnlyError ? EXIT.usage : EXIT.failed;
}
