/**
 * `npm run bench:tenants`: how evaluating one stack grows with its tenants (`exchange-app-only:tenants`), under the
 * same Pulumi mocks `plan` uses. For 1, 10, 50, 100 and 500 tenants: the median evaluation time (sizes interleaved
 * in one process, so drift hits all alike) and the heap the evaluation keeps (each size in a fresh process, after
 * a forced GC). Goals: time(500) / time(50) <= 11, and memory linear (bytes a tenant about the same at every size).
 */
import { execFileSync } from "node:child_process";
import { offlineBackend } from "../src/mocks/offline";
import { runProgram } from "../src/mocks/run";
import { median } from "./stats";

const SIZES = [1, 10, 50, 100, 500];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** A stack of `count` tenants as the engine passes it: one entry a tenant, defaults at the stack level. */
export function tenantsConfig(count: number): Record<string, string> {
  const tenants = Array.from({ length: count }, (_, i) => {
    const hex = (i + 1).toString(16).padStart(12, "0");
    return { key: `t${i + 1}`, tenantId: `6f1d2c3b-4a5e-4f60-8a71-${hex}`, organization: `tenant${i + 1}.onmicrosoft.com` };
  });
  return { "exchange-app-only:tenants": JSON.stringify(tenants), "exchange-app-only:clientSecret": "true" };
}

const program = () => (require("../index") as () => Promise<Record<string, unknown>>)();
const backend = offlineBackend();

async function timeOnce(count: number): Promise<number> {
  const config = tenantsConfig(count);
  const start = process.hrtime.bigint();
  await runProgram(program, { config, backend, record: false });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** In a child process: the heap one evaluation of `count` tenants leaves behind while its outputs are alive. */
async function heapOf(count: number): Promise<void> {
  const gc = (global as { gc?: () => void }).gc!;
  await timeOnce(1); // load modules and make the mock key first
  gc();
  const before = process.memoryUsage().heapUsed;
  const run = await runProgram(program, { config: tenantsConfig(count), backend });
  gc();
  const after = process.memoryUsage().heapUsed;
  process.stdout.write(JSON.stringify({ count, bytes: after - before, resources: run.resources.length }));
}

async function main(): Promise<void> {
  if (process.argv[2] === "--heap") return heapOf(Number(process.argv[3]));

  for (const size of SIZES) await timeOnce(size); // warm every size: certificates are cached by resource name
  const times = new Map<number, number[]>(SIZES.map((s) => [s, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? SIZES : [...SIZES].reverse();
    for (const size of order) times.get(size)!.push(await timeOnce(size));
  }
  const heaps = SIZES.map((size) => JSON.parse(execFileSync(process.execPath, ["--expose-gc", __filename, "--heap", String(size)], { encoding: "utf8" })) as { count: number; bytes: number; resources: number });

  console.log(`rounds: ${ROUNDS} per size, sizes interleaved; heap measured once per size in a fresh process`);
  console.log("tenants  resources  median ms  ms/tenant  heap kept (MB)  KB/tenant");
  for (const [i, size] of SIZES.entries()) {
    const ms = median(times.get(size)!);
    const heap = heaps[i]!;
    console.log(
      `${String(size).padStart(7)}  ${String(heap.resources).padStart(9)}  ${ms.toFixed(0).padStart(9)}  ${(ms / size).toFixed(2).padStart(9)}  ${(heap.bytes / 1e6).toFixed(1).padStart(14)}  ${(heap.bytes / size / 1e3).toFixed(0).padStart(9)}`,
    );
  }
  const ratio = median(times.get(500)!) / median(times.get(50)!);
  console.log(`time(500) / time(50) = ${ratio.toFixed(2)} (goal <= 11) ${ratio <= 11 ? "met" : "NOT met"}`);
  // Linear memory: the heap a tenant costs at 500 tenants against the cost at 50, from the slope between sizes.
  const perTenant = (a: number, b: number) => (heaps[b]!.bytes - heaps[a]!.bytes) / (SIZES[b]! - SIZES[a]!);
  const slopeLow = perTenant(0, 2);
  const slopeHigh = perTenant(3, 4);
  const linearity = slopeHigh / slopeLow;
  console.log(`heap slope 100→500 / slope 1→50 = ${linearity.toFixed(2)} (linear ≈ 1; goal 0.5–1.5) ${linearity >= 0.5 && linearity <= 1.5 ? "met" : "NOT met"}`);
}

if (require.main === module) main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
