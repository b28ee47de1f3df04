/** Evaluates this project's real program (index.ts) offline, for `plan`, the tests, the benchmark and the demo. */
import type { MockBackend } from "../mocks/backend";
import { runProgram, type ProgramRun } from "../mocks/run";

export interface EvaluateOptions {
  /** Stack config by full key, as `readStackConfig` returns it. */
  readonly config: Record<string, string>;
  readonly stack?: string;
  readonly backend?: MockBackend;
  readonly revealSecrets?: boolean;
}

export function evaluateProgram(options: EvaluateOptions): Promise<ProgramRun> {
  // Loaded lazily: index.ts imports the providers' SDKs, which `--help` does not need.
  const program = require("../../index") as () => Promise<Record<string, unknown>>;
  return runProgram(program, options);
}
