/**
 * `npm run bench:plugin`: what the provider plugin costs, side by side in one run.
 * - Cold start: the engine's launch (`node <sdk>/cmd/run-plugin provider/ <engine address>`) to the port printed, a
 *   fresh process each time.
 * - Construct of one tenant over gRPC (ExchangeAppOnly: app, principal, consent, role, generated certificate and the
 *   check) against the tests' fake engine, beside the same component in-process under Pulumi mocks, interleaved.
 *   Goal: Construct within 1.5× in-process.
 * Both answer from the same offline backend. BENCH_REPETITIONS sets the repetitions (cold starts: at most 7).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { ExchangeAppOnly, type ExchangeAppOnlyArgs } from "../components";
import { schemaOutputs } from "../provider/main";
import { offlineBackend } from "../src/mocks/offline";
import { runProgram } from "../src/mocks/run";
import { construct, isFailure } from "../test/support/construct";
import { startFakeEngine, type FakeEngine } from "../test/support/fakeEngine";
import { runPlugin } from "../test/support/plugin";

const ROOT = join(__dirname, "..", "..");
const PLUGIN = join(ROOT, "provider");
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 31);
const COLD_STARTS = Math.min(REPETITIONS, 7);
const GOAL = 1.5;
const TYPE = "exchange-app-only:index:ExchangeAppOnly";
const ARGS: ExchangeAppOnlyArgs = { tenantId: "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7", organization: "contoso.onmicrosoft.com", role: "Exchange Recipient Administrator" };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

const spread = (v: number[]) => `(quartiles ${quantile(v, 0.25).toFixed(1)}–${quantile(v, 0.75).toFixed(1)} ms)`;

/** The plugin spawned as the engine does, with the milliseconds until its port was on stdout; the caller kills it. */
function launch(engine: string): Promise<{ ms: number; port: number; child: ChildProcess }> {
  const start = process.hrtime.bigint();
  const child = spawn(process.execPath, [runPlugin(ROOT), PLUGIN, engine], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const port = /^(\d+)\s*$/m.exec(out);
      if (port) resolve({ ms: Number(process.hrtime.bigint() - start) / 1e6, port: Number(port[1]), child });
    });
    child.on("exit", (code) => reject(new Error(`the plugin exited ${code} before printing its port: ${out}`)));
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** One tenant in-process under mocks, exporting what Construct returns as state. */
function inProcess(backend: ReturnType<typeof offlineBackend>, schema: string) {
  return runProgram(
    async () => {
      const component = new ExchangeAppOnly("exo", ARGS) as unknown as Record<string, unknown>;
      return Object.fromEntries(schemaOutputs(schema, TYPE).map((key) => [key, component[key]]));
    },
    { config: {}, backend, project: "exchange-access", stack: "dev", record: false },
  );
}

async function overGrpc(port: number, engine: FakeEngine): Promise<void> {
  engine.reset();
  const outcome = await construct(port, engine, { type: TYPE, name: "exo", args: ARGS as unknown as Record<string, unknown> });
  if (isFailure(outcome)) throw new Error(`Construct failed: ${outcome.message}`);
}

async function main(): Promise<void> {
  const schema = require("fs").readFileSync(join(PLUGIN, "schema.json"), "utf8") as string;
  const backend = offlineBackend();
  const engine = await startFakeEngine(backend, "exchange-access", "dev");
  try {
    const starts: number[] = [];
    for (let i = 0; i < COLD_STARTS; i++) {
      const started = await launch(engine.address);
      started.child.kill();
      starts.push(started.ms);
    }
    console.log(`\nplugin cold start (spawn to port printed, a fresh process each, ${COLD_STARTS} runs)`);
    console.log(`  median ${median(starts).toFixed(0)} ms ${spread(starts)}`);

    const plugin = await launch(engine.address);
    try {
      // The first Construct loads the components' modules in the plugin; the first in-process run loads them here.
      const firstConstruct = await timed(() => overGrpc(plugin.port, engine));
      await inProcess(backend, schema);
      const registered = engine.resources.length;
      const remote: number[] = [];
      const local: number[] = [];
      for (let i = 0; i < REPETITIONS; i++) {
        // Alternate which goes first so drift on a shared machine hits both alike.
        if (i % 2 === 0) {
          remote.push(await timed(() => overGrpc(plugin.port, engine)));
          local.push(await timed(() => inProcess(backend, schema)));
        } else {
          local.push(await timed(() => inProcess(backend, schema)));
          remote.push(await timed(() => overGrpc(plugin.port, engine)));
        }
      }
      const ratio = median(remote) / median(local);
      console.log(`\none tenant (ExchangeAppOnly, ${registered} registrations), ${REPETITIONS} repetitions each, interleaved`);
      console.log(`  Construct over gRPC, first   ${firstConstruct.toFixed(1)} ms (loads the components in the plugin)`);
      console.log(`  Construct over gRPC          median ${median(remote).toFixed(1)} ms ${spread(remote)}`);
      console.log(`  in-process under mocks       median ${median(local).toFixed(1)} ms ${spread(local)}`);
      console.log(`  ratio                        ${ratio.toFixed(3)} (goal <= ${GOAL}) ${ratio <= GOAL ? "met" : "NOT met"}`);
      if (ratio > GOAL) process.exitCode = 1;
    } finally {
      plugin.child.kill();
    }
  } finally {
    await engine.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
