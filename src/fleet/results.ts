/**
 * The results file (`--results`, default `.exo-fleet/results.json` in the project): what happened to each stack of
 * the last run, rewritten after every stack settles, so a crash or Ctrl-C still leaves an honest record.
 * `--only-failed` reads it back and reruns every stack that did not succeed.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import { UsageError } from "../errors";
import type { ChangeCounts } from "./driver";
import type { FleetCommand } from "./commands";

/** `running` only appears in a file written mid-run (or left by a run that died). */
export type StackStatus = "succeeded" | "failed" | "locked" | "cancelled" | "not-started" | "running";

/** An error as every `--json` object words one: a stable code, one sentence, and the fix. */
export interface ResultError {
  readonly code: string;
  readonly message: string;
  readonly remedy: string;
}

/** One tenant's post-deploy check. Never holds a secret: ids, durations, the failing check's words. */
export interface TenantResult {
  /** The tenant's key in a many-tenant stack, else its tenant id. */
  readonly tenant: string;
  readonly tenantId?: string;
  readonly clientId?: string;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly error?: ResultError;
}

export interface StackResult {
  readonly stack: string;
  readonly status: StackStatus;
  /** Where a stack that did not succeed stopped: the Pulumi operation or the check after it. */
  readonly phase?: "update" | "verify";
  readonly durationMs?: number;
  readonly changes?: ChangeCounts;
  readonly error?: ResultError;
  readonly tenants?: readonly TenantResult[];
}

export interface ResultsFile {
  readonly version: 1;
  readonly fleetId: string;
  readonly command: FleetCommand;
  /** Every stack of the fleet, in fleet order. */
  readonly stacks: readonly string[];
  readonly startedAt: string;
  readonly updatedAt: string;
  /** False while the run is going (or if it died without a final write). */
  readonly finished: boolean;
  readonly results: readonly StackResult[];
}

const errorSchema = z.object({ code: z.string(), message: z.string(), remedy: z.string() });
const schema = z.object({
  version: z.literal(1),
  fleetId: z.string(),
  command: z.enum(["preview", "up", "refresh", "destroy", "verify"]),
  stacks: z.array(z.string()),
  startedAt: z.string(),
  updatedAt: z.string(),
  finished: z.boolean(),
  results: z.array(
    z.object({
      stack: z.string(),
      status: z.enum(["succeeded", "failed", "locked", "cancelled", "not-started", "running"]),
      phase: z.enum(["update", "verify"]).optional(),
      durationMs: z.number().optional(),
      changes: z.record(z.string(), z.number()).optional(),
      error: errorSchema.optional(),
      tenants: z
        .array(z.object({ tenant: z.string(), tenantId: z.string().optional(), clientId: z.string().optional(), ok: z.boolean(), durationMs: z.number(), error: errorSchema.optional() }))
        .optional(),
    }),
  ),
});

/** Writes the file atomically (a temp file renamed over it), creating its folder. Synchronous: safe on exit. */
export function writeResults(path: string, results: ResultsFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(results, null, 2)}\n`);
  renameSync(temp, path);
}

export function readResults(path: string): ResultsFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === "ENOENT" ? `--only-failed: no results file at ${path}` : `--only-failed: cannot read ${path} (${code ?? "error"})`,
      "Run the fleet once without --only-failed (it writes the results file), or pass --results PATH of an earlier run.",
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new UsageError(`--only-failed: ${path} is not a fleet results file`, "Pass --results PATH of a file an earlier `exo-app-only fleet` run wrote, or run without --only-failed.");
  }
  return parsed.data as ResultsFile;
}

const list = (names: readonly string[]): string => (names.length > 5 ? `${names.slice(0, 5).join(", ")} and ${names.length - 5} more` : names.join(", "));

/**
 * Refuses a results file from another fleet (another stack set) or another command, naming the difference.
 * Returns the stacks to rerun: every one that did not succeed, in fleet order.
 */
export function stacksToRerun(previous: ResultsFile, path: string, fleet: { readonly id: string; readonly stacks: readonly { readonly name: string }[] }, command: FleetCommand): string[] {
  const names = fleet.stacks.map((s) => s.name);
  if (previous.fleetId !== fleet.id) {
    const before = new Set(previous.stacks);
    const now = new Set(names);
    const onlyBefore = previous.stacks.filter((n) => !now.has(n));
    const onlyNow = names.filter((n) => !before.has(n));
    const parts = [onlyBefore.length > 0 && `only in the results file: ${list(onlyBefore)}`, onlyNow.length > 0 && `only in this fleet: ${list(onlyNow)}`].filter(Boolean);
    throw new UsageError(
      `--only-failed: ${path} is from another fleet (fleet id ${previous.fleetId}, this one is ${fleet.id}; ${parts.join("; ") || "the stack sets differ"})`,
      "Name the same stacks as the run that wrote the file, or pass that run's --results PATH, or run without --only-failed.",
    );
  }
  if (previous.command !== command) {
    throw new UsageError(
      `--only-failed: ${path} records \`fleet ${previous.command}\`, not \`fleet ${command}\``,
      `Resume with \`fleet ${previous.command} --only-failed\`, or run \`fleet ${command}\` without --only-failed.`,
    );
  }
  const succeeded = new Set(previous.results.filter((r) => r.status === "succeeded").map((r) => r.stack));
  return names.filter((n) => !succeeded.has(n));
}

/** The earlier run's results with the rerun stacks' new results in their place, in fleet order. */
export function mergeResults(order: readonly string[], previous: readonly StackResult[], current: readonly StackResult[]): StackResult[] {
  const byName = new Map<string, StackResult>();
  for (const r of previous) byName.set(r.stack, r);
  for (const r of current) byName.set(r.stack, r);
  return order.map((name) => byName.get(name) ?? { stack: name, status: "not-started" });
}
