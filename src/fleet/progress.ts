/**
 * Progress while a fleet runs, on stderr. On a terminal: the stacks running now, redrawn in place under the lines
 * of the stacks that settled. Elsewhere (CI, a pipe, a file): one plain line an event.
 */
import { formatDuration } from "../text/duration";
import { printable } from "../text/terminalText";
import type { FleetCommand } from "./commands";
import type { StackResult } from "./results";
import { countResults, describeChanges, describeCounts } from "./summary";

export interface Progress {
  start(stack: string): void;
  verify(stack: string): void;
  settled(result: StackResult, all: readonly StackResult[]): void;
  /** Something to say between the lines (cancelling, ...). */
  note(text: string): void;
  close(): void;
}

interface Stream {
  write(text: string): unknown;
  readonly columns?: number;
}

function settledLine(result: StackResult, done: number, total: number): string {
  const took = result.durationMs !== undefined ? ` in ${formatDuration(result.durationMs)}` : "";
  const what = result.status === "succeeded" ? describeChanges(result.changes) : (result.error?.message ?? "");
  const word = result.status === "succeeded" ? "succeeded" : result.status.toUpperCase();
  const tenants = result.tenants && result.tenants.length > 1 ? ` (${result.tenants.filter((t) => t.ok).length}/${result.tenants.length} tenants verified)` : "";
  // `what` quotes Pulumi's error: shown, never obeyed by the terminal.
  return printable(`[${done}/${total}] ${result.stack}: ${word}${took}${tenants}${what ? `: ${what}` : ""}`);
}

/** Running stacks listed by name in the live view; the rest are counted. */
const MAX_RUNNING_LINES = 10;

const settledCount = (all: readonly StackResult[]): number => all.filter((r) => r.status !== "running" && r.status !== "not-started").length;

/** One line an event. */
export function plainProgress(out: Stream, command: FleetCommand, total: number): Progress {
  return {
    start: (stack) => out.write(`${stack}: ${command === "verify" ? "reading outputs" : `${command} started`}\n`),
    verify: (stack) => out.write(`${stack}: checking its tenants\n`),
    settled: (result, all) => out.write(`${settledLine(result, settledCount(all), total)}\n`),
    note: (text) => out.write(`${text}\n`),
    close: () => undefined,
  };
}

/** Settled lines scroll up; the running stacks and a count stay at the bottom, redrawn every second. */
export function ttyProgress(out: Stream, command: FleetCommand, total: number, now: () => number = Date.now): Progress {
  const running = new Map<string, { started: number; phase: string }>();
  let all: readonly StackResult[] = [];
  let drawn = 0;
  const width = (): number => Math.max(20, (out.columns || 80) - 1);
  const fit = (line: string): string => (line.length > width() ? `${line.slice(0, width() - 1)}…` : line);
  const clear = (): void => {
    if (drawn > 0) out.write(`\x1b[${drawn}A\r\x1b[J`);
    drawn = 0;
  };
  const draw = (): void => {
    // A footer taller than the terminal cannot be redrawn in place: show the longest-running few.
    const shownRunning = [...running].slice(0, MAX_RUNNING_LINES);
    const lines = shownRunning.map(([stack, r]) => `  ${stack}  ${r.phase} · ${formatDuration(now() - r.started)}`);
    if (running.size > shownRunning.length) lines.push(`  … and ${running.size - shownRunning.length} more`);
    const counts = countResults(all);
    lines.push(`${settledCount(all)}/${total} settled · ${running.size} running${counts.failed + counts.locked > 0 ? ` · ${describeCounts({ ...counts, running: 0, "not-started": 0, succeeded: 0, cancelled: 0 })}` : ""}`);
    out.write(lines.map((l) => `${fit(l)}\n`).join(""));
    drawn = lines.length;
  };
  const redraw = (): void => {
    clear();
    draw();
  };
  const timer = setInterval(redraw, 1000);
  timer.unref();
  return {
    start(stack) {
      running.set(stack, { started: now(), phase: command === "verify" ? "reading outputs" : command });
      redraw();
    },
    verify(stack) {
      const r = running.get(stack);
      if (r) r.phase = "checking tenants";
      redraw();
    },
    settled(result, snapshot) {
      running.delete(result.stack);
      all = snapshot;
      clear();
      out.write(`${fit(settledLine(result, settledCount(snapshot), total))}\n`);
      draw();
    },
    note(text) {
      clear();
      out.write(`${text}\n`);
      draw();
    },
    close() {
      clearInterval(timer);
      clear();
    },
  };
}
