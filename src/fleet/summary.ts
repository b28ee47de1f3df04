/** How a fleet run reads at the end: a table for people, one JSON object for scripts, and the counts both use. */
import { formatDuration } from "../text/duration";
import { printable } from "../text/terminalText";
import type { FleetCommand } from "./commands";
import type { ChangeCounts } from "./driver";
import type { StackResult, StackStatus } from "./results";

export type Counts = Record<StackStatus, number>;

export function countResults(results: readonly StackResult[]): Counts {
  const counts: Counts = { succeeded: 0, failed: 0, locked: 0, cancelled: 0, "not-started": 0, running: 0 };
  for (const r of results) counts[r.status] += 1;
  return counts;
}

/** `3 succeeded, 1 failed, 1 locked` (zero counts left out). */
export function describeCounts(counts: Counts): string {
  const parts = (Object.entries(counts) as [StackStatus, number][]).filter(([, n]) => n > 0).map(([status, n]) => `${n} ${status}`);
  return parts.join(", ") || "no stacks";
}

/** `create 2, same 5`: Pulumi's counts, the ones that happened. */
export function describeChanges(changes: ChangeCounts | undefined): string {
  if (!changes) return "";
  return Object.entries(changes)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(", ");
}

const RESULT_WORD: Record<StackStatus, string> = { succeeded: "ok", failed: "FAILED", locked: "LOCKED", cancelled: "cancelled", "not-started": "not started", running: "running" };

interface Row {
  readonly cells: readonly [string, string, string, string];
  readonly detail: string;
  readonly fix?: string;
}

function rowsOf(result: StackResult): Row[] {
  const duration = result.durationMs !== undefined ? formatDuration(result.durationMs) : "-";
  const stackDetail = result.error ? result.error.message : describeChanges(result.changes);
  if (!result.tenants || result.tenants.length === 0) {
    return [{ cells: [result.stack, "-", RESULT_WORD[result.status], duration], detail: stackDetail, ...(result.error ? { fix: result.error.remedy } : {}) }];
  }
  return result.tenants.map((t) => ({
    cells: [result.stack, t.tenant, t.ok ? "ok" : "FAILED", duration],
    detail: t.ok ? describeChanges(result.changes) : `check: ${t.error?.message ?? "failed"}`,
    ...(t.error ? { fix: t.error.remedy } : {}),
  }));
}

/** A row as the terminal may show it: details and fixes quote Pulumi, Entra and Exchange, which are shown, never obeyed. */
const shown = (row: Row): Row => ({
  cells: [printable(row.cells[0]), printable(row.cells[1]), printable(row.cells[2]), printable(row.cells[3])],
  detail: printable(row.detail),
  ...(row.fix !== undefined ? { fix: printable(row.fix) } : {}),
});

/**
 * The table: stack, tenant, result, duration (the stack's: its update and its checks), then what failed and its fix
 * on the line under it. A stack without tenant results (no check ran) gets one row.
 */
export function renderTable(results: readonly StackResult[]): string {
  const header: Row = { cells: ["STACK", "TENANT", "RESULT", "DURATION"], detail: "DETAIL" };
  const rows = [header, ...results.flatMap(rowsOf)].map(shown);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r.cells[i]!.length)));
  const pad = widths.reduce((a, w) => a + w + 2, 0);
  const lines: string[] = [];
  for (const row of rows) {
    lines.push(`${row.cells.map((c, i) => c.padEnd(widths[i]!)).join("  ")}  ${row.detail}`.trimEnd());
    if (row.fix) lines.push(`${" ".repeat(pad)}fix: ${row.fix}`);
  }
  return `${lines.join("\n")}\n`;
}

export interface RunSummary {
  readonly command: FleetCommand;
  readonly fleetId: string;
  readonly resultsFile: string;
  readonly concurrency: number;
  /** Every stack of the fleet (with --only-failed: the earlier results of the stacks not rerun). */
  readonly results: readonly StackResult[];
  /** With --only-failed: the stacks this run reran. */
  readonly rerun?: readonly string[];
  readonly interrupted: boolean;
}

export function isSuccess(summary: Pick<RunSummary, "results" | "interrupted">): boolean {
  return !summary.interrupted && summary.results.every((r) => r.status === "succeeded");
}

/** The `--json` object. */
export function toJson(summary: RunSummary): Record<string, unknown> {
  return {
    ok: isSuccess(summary),
    command: summary.command,
    fleetId: summary.fleetId,
    concurrency: summary.concurrency,
    resultsFile: summary.resultsFile,
    interrupted: summary.interrupted,
    counts: countResults(summary.results),
    ...(summary.rerun ? { rerun: summary.rerun } : {}),
    stacks: summary.results,
  };
}

/** The closing line, and how to resume when something did not succeed. */
export function closingLines(summary: RunSummary, resumeCommand: string): string {
  const head = `fleet ${summary.command}: ${describeCounts(countResults(summary.results))}${summary.interrupted ? " (interrupted)" : ""} · results in ${summary.resultsFile}`;
  return isSuccess(summary) ? `${head}\n` : `${head}\nTo rerun what did not succeed: ${resumeCommand}\n`;
}
