/**
 * `npm run bench`: how much the program's structure (config validation, components, outputs) costs over a
 * minimal hand-written program that declares the same resources. Both run under the same Pulumi mocks,
 * interleaved in one process, several repetitions; prints the median of each and their ratio. Goal: <= 1.25.
 */
import { join } from "node:path";
import { handWritten } from "./baselines/appRegistration";
import { offlineBackend } from "../src/mocks/offline";
import { runProgram } from "../src/mocks/run";
import { readStackConfig } from "../src/plan/stackFile";

const ROOT = join(__dirname, "..", "..");
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 101);

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main(): Promise<void> {
  const config = readStackConfig(join(ROOT, "Pulumi.yaml"), join(ROOT, "Pulumi.dev.yaml"));
  const backend = offlineBackend();
  const program = require("../index") as () => Promise<Record<string, unknown>>;
  const time = async (fn: () => Promise<Record<string, unknown>>) => {
    const start = process.hrtime.bigint();
    await runProgram(fn, { config, backend, record: false });
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  // Warm both paths (module loading, the mock certificate) and check they declare the same resources.
  const count = async (fn: () => Promise<Record<string, unknown>>) =>
    (await runProgram(fn, { config, backend })).resources.filter((r) => r.custom).map((r) => r.type).sort();
  const declared = [await count(program), await count(handWritten)];
  if (JSON.stringify(declared[0]) !== JSON.stringify(declared[1])) {
    throw new Error(`the baseline must declare the program's resources:\n${declared[0].join(" ")}\n${declared[1].join(" ")}`);
  }
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    // Alternate which goes first so drift on a shared machine hits both alike.
    const pair = i % 2 === 0 ? [await time(program), await time(handWritten)] : [await time(handWritten), await time(program)].reverse();
    ours.push(pair[0]);
    baseline.push(pair[1]);
  }
  const ratio = median(ours) / median(baseline);
  console.log(`custom resources declared by each: ${declared[0].length} (the same types)`);
  console.log(`repetitions: ${REPETITIONS} each, interleaved`);
  const spread = (v: number[]) => `(quartiles ${quantile(v, 0.25).toFixed(1)}–${quantile(v, 0.75).toFixed(1)} ms)`;
  console.log(`program (index.ts)   median ${median(ours).toFixed(1)} ms ${spread(ours)}`);
  console.log(`hand-written         median ${median(baseline).toFixed(1)} ms ${spread(baseline)}`);
  console.log(`ratio                ${ratio.toFixed(3)} (goal <= 1.25) ${ratio <= 1.25 ? "met" : "NOT met"}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
