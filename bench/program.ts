/**
 * `npm run bench`: how much the program's structure (config validation, components, outputs) costs over a
 * minimal hand-written program that declares the same resources. Both run under the same Pulumi mocks,
 * interleaved in one process, several repetitions; prints the median of each and their ratio. Goal: <= 1.25, for
 * an app-registration stack and for a stack with azure-native resources. Then the cold load time of the azure-native
 * submodules the program uses, against the root package it never imports.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { handWritten as appRegistration } from "./baselines/appRegistration";
import { handWritten as automationAccount } from "./baselines/automationAccount";
import { offlineBackend } from "../src/mocks/offline";
import { runProgram } from "../src/mocks/run";
import { readStackConfig } from "../src/plan/stackFile";
import { median, quantile } from "./stats";

const ROOT = join(__dirname, "..", "..");
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 101);

type Program = () => Promise<Record<string, unknown>>;

interface Scenario {
  readonly label: string;
  readonly stackFile: string;
  readonly baseline: Program;
}

const SCENARIOS: readonly Scenario[] = [
  { label: "dev: an app registration, its credentials and the in-up check", stackFile: "Pulumi.dev.yaml", baseline: appRegistration },
  { label: "automation-example: azure-native (Automation account, module, runbook, schedule)", stackFile: "Pulumi.automation-example.yaml", baseline: automationAccount },
];

const GOAL = 1.25;

async function measure(scenario: Scenario, program: Program): Promise<number> {
  const config = readStackConfig(join(ROOT, "Pulumi.yaml"), join(ROOT, scenario.stackFile));
  const backend = offlineBackend();
  const time = async (fn: Program) => {
    const start = process.hrtime.bigint();
    await runProgram(fn, { config, backend, record: false });
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  // Warm both paths (module loading, the mock certificate) and check they declare the same resources.
  const count = async (fn: Program) => (await runProgram(fn, { config, backend })).resources.filter((r) => r.custom).map((r) => r.type).sort();
  const declared = [await count(program), await count(scenario.baseline)];
  if (JSON.stringify(declared[0]) !== JSON.stringify(declared[1])) {
    throw new Error(`${scenario.stackFile}: the baseline must declare the program's resources:\n${declared[0]!.join(" ")}\n${declared[1]!.join(" ")}`);
  }
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    // Alternate which goes first so drift on a shared machine hits both alike.
    const pair = i % 2 === 0 ? [await time(program), await time(scenario.baseline)] : [await time(scenario.baseline), await time(program)].reverse();
    ours.push(pair[0]!);
    baseline.push(pair[1]!);
  }
  const ratio = median(ours) / median(baseline);
  const spread = (v: number[]) => `(quartiles ${quantile(v, 0.25).toFixed(1)}–${quantile(v, 0.75).toFixed(1)} ms)`;
  console.log(`\n${scenario.label}`);
  console.log(`  custom resources declared by each: ${declared[0]!.length} (the same types); ${REPETITIONS} repetitions each, interleaved`);
  console.log(`  program (index.ts)   median ${median(ours).toFixed(1)} ms ${spread(ours)}`);
  console.log(`  hand-written         median ${median(baseline).toFixed(1)} ms ${spread(baseline)}`);
  console.log(`  ratio                ${ratio.toFixed(3)} (goal <= ${GOAL}) ${ratio <= GOAL ? "met" : "NOT met"}`);
  return ratio;
}

/** Milliseconds a fresh Node takes to `require` these modules (median of a few cold starts, each its own process). */
function coldLoadMs(modules: readonly string[], runs = 5): number {
  const script = `const t = process.hrtime.bigint(); for (const m of ${JSON.stringify(modules)}) require(m); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
  const times = Array.from({ length: runs }, () => Number(execFileSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" })));
  return median(times);
}

function reportModuleLoad(): void {
  const submodules = ["@pulumi/azure-native/provider", "@pulumi/azure-native/automation", "@pulumi/azure-native/managedidentity", "@pulumi/azure-native/storage", "@pulumi/azure-native/keyvault", "@pulumi/azure-native/authorization"];
  const azuread = coldLoadMs(["@pulumi/azuread"]);
  const used = coldLoadMs(submodules);
  const root = coldLoadMs(["@pulumi/azure-native"]);
  const row = (label: string, ms: number, note = "") => console.log(`  ${label.padEnd(44)} ${ms.toFixed(0).padStart(5)} ms${note}`);
  console.log("\nmodule load, cold (a fresh node each, median of 5)");
  row("@pulumi/azuread", azuread);
  row(`azure-native, the ${submodules.length} submodules the program uses`, used);
  row("azure-native, the root package", root, ` (${(root / used).toFixed(1)}× the submodules; never imported)`);
}

async function main(): Promise<void> {
  const program = require("../index") as Program;
  const ratios: number[] = [];
  for (const scenario of SCENARIOS) ratios.push(await measure(scenario, program));
  reportModuleLoad();
  if (ratios.some((r) => r > GOAL)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
