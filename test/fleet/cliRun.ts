/** Runs the built CLI in a project folder with the fake driver (EXO_FLEET_TEST_DRIVER), and reads what it did. */
import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runCli, type CliResult } from "../cli/run";
import type { FakeBehavior } from "./fakeDriver";
import type { FakeFleetConfig } from "./fakeDriverModule";

export const FAKE_DRIVER_MODULE = path.resolve(__dirname, "../../dist/test/fleet/fakeDriverModule.js");

export interface FakeLogLine {
  readonly event: "driver" | "start" | "end";
  readonly op?: string;
  readonly stack?: string;
  readonly configFile?: string;
  readonly outcome?: string;
  readonly projectDir?: string;
  readonly t: number;
}

/** Writes the fake driver's config into `dir`; returns the env that selects it. */
export function fakeFleet(dir: string, stacks: Record<string, FakeBehavior>, defaults: FakeBehavior = {}, name = "fake"): { env: NodeJS.ProcessEnv; log: () => FakeLogLine[] } {
  const logFile = path.join(dir, `${name}.log.jsonl`);
  const configFile = path.join(dir, `${name}.json`);
  writeFileSync(configFile, JSON.stringify({ stacks, defaults, log: logFile } satisfies FakeFleetConfig));
  return {
    env: { EXO_FLEET_TEST_DRIVER: FAKE_DRIVER_MODULE, EXO_FAKE_FLEET: configFile },
    log: () => (existsSync(logFile) ? readFileSync(logFile, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as FakeLogLine) : []),
  };
}

/** Most operations the log shows running at once. */
export function peakInFlight(log: readonly FakeLogLine[]): number {
  let now = 0;
  let peak = 0;
  for (const line of log) {
    if (line.event === "start") peak = Math.max(peak, ++now);
    if (line.event === "end") now -= 1;
  }
  return peak;
}

/** `exo-app-only fleet <args>` in `cwd`. */
export function runFleetCli(
  args: readonly string[],
  o: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; whileRunning?: (child: ChildProcess) => void },
): Promise<CliResult> {
  return runCli(["fleet", ...args], o);
}

/** The one JSON object a --json run prints. */
export function onlyJson(result: CliResult): Record<string, any> {
  const lines = result.stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, any>;
}
