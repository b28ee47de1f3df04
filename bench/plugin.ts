/**
 * `npm run bench:plugin`: what the provider plugin costs, side by side in one run.
 * - Cold start: the engine's launch (`node <sdk>/cmd/run-plugin provider/ <engine address>`) to the port printed, a
 *   fresh process each time.
 * - One tenant (ExchangeAppOnly: app, principal, consent, role, generated certificate and the check) three ways,
 *   interleaved, all warm (modules loaded):
 *   - Construct over gRPC: the engine's ConstructRequest to the running plugin, which registers the children with the
 *     tests' fake engine (test/support/fakeEngine) until the plugin answers.
 *   - TypeScript program over gRPC: what a TypeScript user's `pulumi up` pays for the same protocol. The same
 *     component as a program in its own long-lived process (bench/programHost.ts), run as the Node language host runs
 *     one (runInPulumiStack: the Stack resource, the component, the stack's outputs, SignalAndWaitForShutdown) against
 *     the same fake engine as monitor and engine, in a fresh SDK state each run. Timed from the request to the child
 *     until its last RPC is answered, as Construct is timed from its request to its answer.
 *   - In-process under Pulumi mocks: no protocol at all (mocks answer in-process, logs are dropped).
 *   Goal: Construct within 1.5× in-process. The second ratio, Construct / TypeScript program, is what a non-TypeScript
 *   program pays over a TypeScript one against a real engine.
 * - The RPCs, by kind, that one Construct and one TypeScript program send the fake engine.
 * All answer from the same offline backend. BENCH_REPETITIONS sets the repetitions (cold starts: at most 7).
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { ExchangeAppOnly, type ExchangeAppOnlyArgs } from "../components";
import { schemaOutputs } from "../provider/main";
import { offlineBackend } from "../src/mocks/offline";
import { runProgram } from "../src/mocks/run";
import { construct, isFailure } from "../test/support/construct";
import { startFakeEngine, type FakeEngine } from "../test/support/fakeEngine";
import { runPlugin } from "../test/support/plugin";
import type { ProgramAnswer, ProgramRequest } from "./programHost";
import { median, quantile } from "./stats";

const ROOT = join(__dirname, "..", "..");
const PLUGIN = join(ROOT, "provider");
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 31);
const COLD_STARTS = Math.min(REPETITIONS, 7);
const GOAL = 1.5;
const TYPE = "exchange-app-only:index:ExchangeAppOnly";
const ARGS: ExchangeAppOnlyArgs = { tenantId: "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7", organization: "contoso.onmicrosoft.com", role: "Exchange Recipient Administrator" };

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

/** The TypeScript program's process (bench/programHost.ts), forked once and kept, as the plugin is. */
function startProgramHost(): { run(engine: FakeEngine, outputs: readonly string[]): Promise<void>; close(): void } {
  const child = fork(join(__dirname, "programHost.js"), [], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return {
    run(engine, outputs) {
      engine.reset();
      const request: ProgramRequest = { address: engine.address, project: engine.project, stack: engine.stack, args: ARGS, outputs };
      return new Promise((resolve, reject) => {
        child.once("message", (answer: ProgramAnswer) => (answer.ok ? resolve() : reject(new Error(`the TypeScript program failed: ${answer.error}`))));
        child.send(request);
      });
    },
    close: () => child.kill(),
  };
}

/** The RPCs the fake engine answered since its last reset, by kind, busiest first. */
function rpcCounts(engine: FakeEngine): string {
  const entries = Object.entries(engine.calls).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return `${total} RPCs: ${entries.map(([kind, n]) => `${kind} ${n}`).join(", ")}`;
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
    const host = startProgramHost();
    const outputs = schemaOutputs(schema, TYPE);
    try {
      // The first Construct loads the components' modules in the plugin, the first program run in its process, the
      // first in-process run here.
      const firstConstruct = await timed(() => overGrpc(plugin.port, engine));
      const registered = engine.resources.length;
      const constructRpcs = rpcCounts(engine);
      await host.run(engine, outputs);
      const programRegistered = engine.resources.length;
      const programRpcs = rpcCounts(engine);
      await inProcess(backend, schema);
      const remote: number[] = [];
      const program: number[] = [];
      const local: number[] = [];
      const runs: [number[], () => Promise<unknown>][] = [
        [remote, () => overGrpc(plugin.port, engine)],
        [program, () => host.run(engine, outputs)],
        [local, () => inProcess(backend, schema)],
      ];
      for (let i = 0; i < REPETITIONS; i++) {
        // Rotate which goes first so drift on a shared machine hits all alike.
        for (let j = 0; j < runs.length; j++) {
          const [times, run] = runs[(i + j) % runs.length]!;
          times.push(await timed(run));
        }
      }
      const ratio = median(remote) / median(local);
      const protocolRatio = median(remote) / median(program);
      console.log(`\none tenant (ExchangeAppOnly, ${registered} registrations), ${REPETITIONS} repetitions each, interleaved`);
      console.log(`  Construct over gRPC, first   ${firstConstruct.toFixed(1)} ms (loads the components in the plugin)`);
      console.log(`  Construct over gRPC          median ${median(remote).toFixed(1)} ms ${spread(remote)}`);
      console.log(`  TS program over gRPC         median ${median(program).toFixed(1)} ms ${spread(program)} (${programRegistered} registrations, the Stack's included)`);
      console.log(`  in-process under mocks       median ${median(local).toFixed(1)} ms ${spread(local)}`);
      console.log(`  ratio                        ${ratio.toFixed(3)} (goal <= ${GOAL}) ${ratio <= GOAL ? "met" : "NOT met"}`);
      console.log(`  Construct / TS program       ${protocolRatio.toFixed(3)} (both over gRPC to the same fake engine)`);
      console.log(`\nRPCs to the fake engine, one run each`);
      console.log(`  Construct    ${constructRpcs}`);
      console.log(`  TS program   ${programRpcs}`);
      if (ratio > GOAL) process.exitCode = 1;
    } finally {
      plugin.child.kill();
      host.close();
    }
  } finally {
    await engine.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
