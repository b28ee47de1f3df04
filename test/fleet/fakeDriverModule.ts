/**
 * The fake driver as a module the built CLI loads (TEST-ONLY: `EXO_FLEET_TEST_DRIVER=<this file, built>`).
 * Configured by `EXO_FAKE_FLEET=<path of a JSON FakeFleetConfig>`; every operation is appended to `log` as one
 * JSON line, so a test can see what the CLI asked for, with which config file, and what ran at the same time.
 */
import { appendFileSync, readFileSync } from "node:fs";
import type { DriverFactory, FleetDriver } from "../../src/fleet/driver";
import { FakeDriver, type FakeBehavior } from "./fakeDriver";

export interface FakeFleetConfig {
  readonly stacks?: Readonly<Record<string, FakeBehavior>>;
  readonly defaults?: FakeBehavior;
  /** JSON lines: `{"event":"start"|"end","op","stack","configFile","outcome","t"}`. */
  readonly log: string;
}

export const createFleetDriver: DriverFactory = ({ projectDir }) => {
  const config = JSON.parse(readFileSync(process.env.EXO_FAKE_FLEET!, "utf8")) as FakeFleetConfig;
  const fake = new FakeDriver(config.stacks, config.defaults);
  const log = (line: Record<string, unknown>): void => appendFileSync(config.log, `${JSON.stringify({ ...line, t: Date.now() })}\n`);
  log({ event: "driver", projectDir });
  const wrap = <A extends unknown[], R>(op: string, fn: (stack: { name: string; configFile?: string }, ...rest: A) => Promise<R>) =>
    async (stack: { name: string; configFile?: string }, ...rest: A): Promise<R> => {
      log({ event: "start", op, stack: stack.name, ...(stack.configFile ? { configFile: stack.configFile } : {}) });
      try {
        const result = await fn(stack, ...rest);
        log({ event: "end", op, stack: stack.name, outcome: "ok" });
        return result;
      } catch (error) {
        log({ event: "end", op, stack: stack.name, outcome: (error as Error).name });
        throw error;
      }
    };
  const driver: FleetDriver = {
    preview: wrap("preview", fake.preview),
    up: wrap("up", fake.up),
    refresh: wrap("refresh", fake.refresh),
    destroy: wrap("destroy", fake.destroy),
    outputs: wrap("outputs", (stack, o: { signal: AbortSignal }) => fake.outputs(stack, o)),
  };
  return driver;
};
