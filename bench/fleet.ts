/**
 * `npm run bench:fleet`: does the fleet runner keep its concurrency bound busy, and what does it cost?
 *
 * 200 stacks on the fake driver, each update taking L (50 ms), run at concurrency 1, 8 and 32 with the results file
 * rewritten after every stack, as the CLI does. Perfect scheduling takes ceil(200/c) × L; the bound allowed is
 * 1.1 × that. Prints the wall time, the bound, their ratio (goal ≤ 1) and the peak RSS sampled during each run.
 * A benchmark, not a test: it always exits 0. Options: --stacks N, --latency MS.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fleetId } from "../src/fleet/fleet";
import { writeResults } from "../src/fleet/results";
import { runFleet } from "../src/fleet/runner";
import { FakeDriver } from "../test/fleet/fakeDriver";

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
}

const STACKS = option("--stacks", 200);
const LATENCY_MS = option("--latency", 50);
const CONCURRENCIES = [1, 8, 32];

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "exo-bench-fleet-"));
  const names = Array.from({ length: STACKS }, (_, i) => `tenant-${String(i).padStart(3, "0")}`);
  const rows: string[][] = [["concurrency", "wall", "bound 1.1×ceil(n/c)×L", "ratio", "peak in flight", "peak RSS"]];
  try {
    for (const concurrency of CONCURRENCIES) {
      const driver = new FakeDriver({}, { latencyMs: LATENCY_MS, changes: { same: 12 } });
      const resultsFile = path.join(dir, `results-${concurrency}.json`);
      let peakRss = process.memoryUsage().rss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
      const started = process.hrtime.bigint();
      const results = await runFleet({
        command: "up",
        stacks: names.map((name) => ({ name })),
        driver,
        concurrency,
        events: {
          onSettled: (_result, all) =>
            writeResults(resultsFile, { version: 1, fleetId: fleetId(names), command: "up", stacks: names, startedAt: "", updatedAt: new Date().toISOString(), finished: false, results: all }),
        },
      });
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      clearInterval(sampler);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      const failed = results.filter((r) => r.status !== "succeeded").length;
      const boundMs = 1.1 * Math.ceil(STACKS / concurrency) * LATENCY_MS;
      rows.push([
        String(concurrency),
        `${wallMs.toFixed(0)} ms`,
        `${boundMs.toFixed(0)} ms`,
        `${(wallMs / boundMs).toFixed(3)}${failed > 0 ? ` (${failed} not succeeded!)` : ""}`,
        String(driver.maxInFlight),
        mb(peakRss),
      ]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const out = [`fleet runner: ${STACKS} stacks on the fake driver, L = ${LATENCY_MS} ms per update, results file rewritten after each stack (Node ${process.version})`, ""];
  for (const row of rows) out.push(row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd());
  out.push("", `ratio = wall / bound; at most 1 means the runner kept its lanes busy. Process max RSS: ${mb(process.resourceUsage().maxRSS * 1024)}.`, "");
  process.stdout.write(out.join("\n"));
}

void main();
