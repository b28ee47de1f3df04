/** Config refusals as a user meets them: one ConfigError, nothing registered, an issue naming the key. */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../src/errors";
import { evaluate } from "./evaluate";

/** How many resources the mock monitor holds: 0 after a refusal, since validation runs before anything registers. */
export function registeredCount(): number {
  const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, unknown> };
  return monitor.getRegisteredResources().size;
}

/** Evaluates the program with `overrides`, expecting a ConfigError and nothing registered. */
export async function refusal(overrides: Record<string, unknown>): Promise<ConfigError> {
  const error = await evaluate(overrides).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  expect(registeredCount()).toBe(0);
  return error as ConfigError;
}

/** The issue at `key` (the project's key, without its namespace), or a failure listing what was said instead. */
export function issueAt(error: ConfigError, key: string): ConfigError["issues"][number] {
  const issue = error.issues.find((i) => i.key === `exchange-app-only:${key}`);
  if (!issue) throw new Error(`no issue at ${key}: ${error.message}`);
  return issue;
}

/** `refusal` then `issueAt`. */
export async function refusedAt(overrides: Record<string, unknown>, key: string): Promise<ConfigError["issues"][number]> {
  return issueAt(await refusal(overrides), key);
}
