/**
 * The fleet as a GitHub Actions matrix, for `strategy.matrix: ${{ fromJSON(...) }}`: one job a stack, so the fleet
 * runs on GitHub's runners (with `max-parallel` and one `concurrency` group a stack) instead of in one process.
 */
import { relative, sep } from "node:path";
import { UsageError } from "../errors";
import type { Fleet } from "./fleet";

/** GitHub's limit: "A matrix can generate a maximum of 256 jobs per workflow run." */
export const MAX_MATRIX_JOBS = 256;

export interface MatrixEntry {
  readonly stack: string;
  /** The stack's config file relative to the project folder, `/`-separated: `pulumi --config-file` takes it. */
  readonly configFile: string;
}

export function fleetMatrix(fleet: Pick<Fleet, "projectDir" | "stacks">): { include: MatrixEntry[] } {
  if (fleet.stacks.length > MAX_MATRIX_JOBS) {
    throw new UsageError(
      `the fleet has ${fleet.stacks.length} stacks; a GitHub Actions matrix holds at most ${MAX_MATRIX_JOBS} jobs`,
      `Split the fleet (two fleet files, or two --glob patterns) into matrices of at most ${MAX_MATRIX_JOBS}, or run \`exo-app-only fleet up\` in one job.`,
    );
  }
  return { include: fleet.stacks.map((s) => ({ stack: s.name, configFile: relative(fleet.projectDir, s.configFile).split(sep).join("/") })) };
}
