/** What `verify` and `inspect-token` share: exit codes for commander's own errors, and one-line error output. */
import type { Command } from "commander";
import { ExoAppOnlyError } from "../errors";
import { EXIT } from "./exit";

/**
 * Commander's usage errors (unknown flag, missing value, bad choice) exit 2 like ours. `addCommand` does not
 * inherit the program's settings, so each command sets this itself.
 */
export function withUsageExit(command: Command): Command {
  return command
    .showHelpAfterError("(run with --help for usage and examples)")
    .exitOverride((error) => {
      process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
    });
}

/**
 * Prints an error as one line (plus its remedy) on stderr, and in --json mode as one object on stdout.
 * Known errors exit 2; anything else is a bug: 1, still without a stack trace.
 */
export function reportError(error: unknown, json: boolean, redact: (text: string) => string = (t) => t): number {
  const known = error instanceof ExoAppOnlyError;
  const message = redact(error instanceof Error ? error.message : String(error)).split("\n")[0]!;
  const remedy = known ? redact(error.remedy) : "This is a bug in exo-app-only: please report it with the command you ran (not its secrets).";
  const code = known ? error.code : "ERR_INTERNAL";
  process.stderr.write(`error: ${message}\n${remedy}\n`);
  if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: { code, message, remedy } })}\n`);
  return known ? EXIT.usage : EXIT.failed;
}
