/**
 * Evaluates this project's real program (index.ts) offline, for `plan`, the tests, the benchmark and the demo. It
 * loads index.ts, so it sits at the top with the CLI, not in a library folder.
 */
import type { MockBackend } from "../mocks/backend";
import type { ProgramRun } from "../mocks/run";

export interface EvaluateOptions {
  /** Stack config by full key, as `readStackConfig` returns it. */
  readonly config: Record<string, string>;
  /** Keys the engine would deliver as secrets, as `readEngineConfig` returns them. */
  readonly secretKeys?: readonly string[];
  readonly stack?: string;
  readonly backend?: MockBackend;
  readonly revealSecrets?: boolean;
}

export function evaluateProgram(options: EvaluateOptions): Promise<ProgramRun> {
  // Loaded on first use: the Pulumi SDK and the providers take about a second to load, and the CLI's other
  // commands (verify, inspect-token, --help) never need them.
  const { runProgram } = require("../mocks/run") as typeof import("../mocks/run");
  const program = require("../../index") as () => Promise<Record<string, unknown>>;
  return runProgram(program, options);
}
