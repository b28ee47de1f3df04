/**
 * The bench's TypeScript program, in its own process as the Node language host runs a program apart from the engine
 * (bench/plugin.ts forks it and sends one request per run). Each run is one tenant as a TypeScript program under
 * `pulumi up`: the language host's steps (cmd/run: settings from --monitor/--engine/--project/--stack,
 * runInPulumiStack, SignalAndWaitForShutdown once the program is done) against the given engine, in a fresh SDK state
 * (the SDK's own withLocalStorage + resetOptions, as its provider server does for each Construct) so runs do not leak
 * into each other. It answers once the program's last RPC is answered.
 */
import { ExchangeAppOnly, type ExchangeAppOnlyArgs } from "../components";

/** The SDK's runtime internals its language host and provider server use (not all in its typings). */
const settings = require("@pulumi/pulumi/runtime/settings") as {
  resetOptions(project: string, stack: string, parallel: number, engineAddr: string, monitorAddr: string, preview: boolean, organization: string): void;
  waitForRPCs(): Promise<void>;
  signalAndWaitForShutdown(): Promise<void>;
};
const sdkState = require("@pulumi/pulumi/runtime/state") as { withLocalStorage<T>(callback: () => Promise<T>): Promise<T> };
const sdkConfig = require("@pulumi/pulumi/runtime/config") as { setAllConfig(config: Record<string, string>, secretKeys?: string[]): void };
const sdkStack = require("@pulumi/pulumi/runtime/stack") as { runInPulumiStack(init: () => Promise<unknown>): Promise<unknown> };

export interface ProgramRequest {
  /** The engine's address, also its monitor's (the fake engine serves both). */
  readonly address: string;
  readonly project: string;
  readonly stack: string;
  readonly args: ExchangeAppOnlyArgs;
  /** The component's outputs the program exports (what Construct returns as state). */
  readonly outputs: readonly string[];
}

export type ProgramAnswer = { readonly ok: true } | { readonly ok: false; readonly error: string };

function runProgram(req: ProgramRequest): Promise<void> {
  return sdkState.withLocalStorage(async () => {
    settings.resetOptions(req.project, req.stack, 16, req.address, req.address, false, "");
    sdkConfig.setAllConfig({}, []);
    await sdkStack.runInPulumiStack(async () => {
      const component = new ExchangeAppOnly("exo", req.args) as unknown as Record<string, unknown>;
      return Object.fromEntries(req.outputs.map((key) => [key, component[key]]));
    });
    await settings.waitForRPCs();
    await settings.signalAndWaitForShutdown();
  });
}

process.on("message", (req: ProgramRequest) => {
  runProgram(req).then(
    () => process.send!({ ok: true } satisfies ProgramAnswer),
    (error: unknown) => process.send!({ ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies ProgramAnswer),
  );
});
