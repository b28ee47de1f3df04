/** Runs the real program (index.ts) under Pulumi mocks with a config, for wiring tests. */
import type { RegisteredResource } from "../../src/mocks/run";
import { evaluateProgram } from "../../src/cli/evaluate";
import { offlineBackend } from "../../src/mocks/offline";
import { TYPE } from "../../src/facts/typeTokens";
import { MINIMAL, engineConfig } from "./stackConfig";

/** One clock for the whole test run, so two evaluations of the same config can be compared. */
const backend = offlineBackend({ now: new Date("2026-11-26T00:00:00Z") });

/** `overrides` are the project's keys by short name; `otherKeys` any other namespace's, by full key (`azuread:useOidc`). */
export async function evaluate(overrides: Record<string, unknown> = {}, otherKeys: Record<string, string> = {}) {
  const run = await evaluateProgram({ config: { ...engineConfig({ ...MINIMAL, ...overrides }), ...otherKeys }, backend });
  const ofType = (type: string) => run.resources.filter((r) => r.type === type);
  const one = (type: string): RegisteredResource => {
    const found = ofType(type);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0];
  };
  return { ...run, ofType, one };
}

/** Type tokens, named for the tests (`T.application`, ...). */
export const T = TYPE;
