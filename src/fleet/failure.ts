/**
 * A driver's error, in the fleet's words: a locked stack (another update holds it), a cancelled update, or a failed
 * one with the line of Pulumi's output that says why. Pure: classifies by the error's name and text. Pulumi's text
 * is redacted whole before a line is taken from it (a private key spans lines; a cut could keep half of it).
 */
import { ExoAppOnlyError } from "../errors";
import { STACK_LOCKED_ERROR_NAME, STACK_NOT_FOUND_ERROR_NAME } from "./driver";
import type { ResultError, StackStatus } from "./results";

export interface Failure {
  readonly status: Extract<StackStatus, "failed" | "locked" | "cancelled">;
  readonly error: ResultError;
}

const MAX = 300;

/** The line that says what went wrong: Pulumi's `error: ...` line if there is one, else the first line. */
export function headline(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  const index = lines.findIndex((l) => /^(stderr: )?error: /.test(l) && !/^(stderr: )?error: update failed$/.test(l));
  // Else the first thing Pulumi said on stderr (a CommandError's message starts "code: 255", which says nothing).
  const stderr = lines.findIndex((l) => /^stderr: \S/.test(l));
  let line = (lines[index !== -1 ? index : stderr !== -1 ? stderr : 0] ?? "no message").replace(/^stderr: /, "");
  // "error: Program failed with an unhandled exception:" says why on the next line.
  if (index !== -1 && line.endsWith(":") && lines[index + 1]) line = `${line} ${lines[index + 1]}`;
  return line.length > MAX ? `${line.slice(0, MAX)}…` : line;
}

export function classifyFailure(error: unknown, stack: string, operation: string, aborted: boolean, redact: (text: string) => string): Failure {
  const name = error instanceof Error ? error.name : "";
  const text = redact(error instanceof Error ? error.message : String(error));
  if (aborted) {
    return {
      status: "cancelled",
      error: {
        code: "ERR_CANCELLED",
        message: `${operation} of stack ${stack} was cancelled`,
        remedy: `Rerun with --only-failed to finish it; if Pulumi reports the stack locked, \`pulumi cancel --stack ${stack}\` releases it.`,
      },
    };
  }
  if (name === STACK_LOCKED_ERROR_NAME) {
    return {
      status: "locked",
      error: {
        code: "ERR_STACK_LOCKED",
        message: `stack ${stack} is locked by another update`,
        remedy: `Wait for the other update to finish, then rerun with --only-failed; if no update is running (a crashed one left the lock), \`pulumi cancel --stack ${stack}\` releases it.`,
      },
    };
  }
  if (name === STACK_NOT_FOUND_ERROR_NAME) {
    return {
      status: "failed",
      error: { code: "ERR_STACK_NOT_FOUND", message: `the backend has no stack ${stack}`, remedy: `Run \`exo-app-only fleet up\` (or \`pulumi up --stack ${stack}\`) first, or check \`pulumi login\`.` },
    };
  }
  if (error instanceof ExoAppOnlyError) return { status: "failed", error: { code: error.code, message: text, remedy: redact(error.remedy) } };
  return {
    status: "failed",
    error: { code: "ERR_UPDATE_FAILED", message: `${operation} of stack ${stack} failed: ${headline(text)}`, remedy: `See the full output in the stack's log, or run \`pulumi ${operation} --stack ${stack}\`.` },
  };
}
