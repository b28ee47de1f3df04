/** Renders a CheckReport for people (text), pipelines (the JSON contract) and GitHub job summaries (markdown). */
import { CLOUDS } from "../facts";
import { formatDuration } from "../text/duration";
import { printable, printableJson } from "../text/terminalText";
import { checkLevel, type CheckReport, type CheckResult } from "./types";

/**
 * The `--json` contract: `{"ok","tenantId","clientId","environment","checks":[{"id","ok","detail","remedy","level"}],
 * "attempts","elapsedMs"}` first, then additive fields (`credential`, `requests`, `probe` {workload, cmdlet, api,
 * sent, preview when the API is the preview Admin API}, and `propagation` or `stoppedBy` when they apply). Scripts may rely on the first set; fields are only ever added. A check's `level` is `ok`,
 * `warning` or `fail`; only `fail` makes `ok` false.
 */
export function toJson(report: CheckReport): Record<string, unknown> {
  return {
    ok: report.ok,
    tenantId: report.tenantId,
    clientId: report.clientId,
    environment: report.environment,
    checks: report.checks.map((c) => ({ id: c.id, ok: c.ok, detail: c.detail, remedy: c.remedy, level: checkLevel(c) })),
    attempts: report.attempts,
    elapsedMs: Math.round(report.elapsedMs),
    credential: report.credential,
    requests: report.requests,
    ...(report.probe ? { probe: { ...report.probe, ...(report.probe.api === "admin-v2" ? { preview: true } : {}) } } : {}),
    ...(report.propagation ? { propagation: { waitedMs: Math.round(report.propagation.waitedMs), blockedBy: report.propagation.blockedBy } } : {}),
    ...(report.stoppedBy ? { stoppedBy: report.stoppedBy } : {}),
  };
}

/** The `--json` line: toJson's object, with what JSON leaves raw for a terminal (C1 and bidi controls) escaped. */
export function renderJson(report: CheckReport): string {
  return `${printableJson(toJson(report))}\n`;
}

/** "Exchange Online", "Security & Compliance" or "the Exchange Online Admin API (preview)". */
function service(report: CheckReport): string {
  if (report.probe?.api === "admin-v2") return "the Exchange Online Admin API (preview)";
  return report.probe?.workload === "compliance" ? "Security & Compliance" : "Exchange Online";
}

/** " and may run Get-Mailbox" when the probe ran another cmdlet than the default. */
function mayRun(report: CheckReport): string {
  return report.probe && report.probe.sent && report.probe.cmdlet !== "Get-AcceptedDomain" ? ` and may run ${report.probe.cmdlet}` : "";
}

function summaryLine(report: CheckReport): string {
  const tries = `${report.attempts} attempt${report.attempts === 1 ? "" : "s"}, ${formatDuration(report.elapsedMs)}`;
  const warned = report.checks.filter((c) => checkLevel(c) === "warning").map((c) => c.id);
  const warnings = warned.length > 0 ? `; warning${warned.length === 1 ? "" : "s"}: ${warned.join(", ")}` : "";
  if (report.ok) {
    const waited = report.propagation
      ? `; propagation took ${formatDuration(report.propagation.waitedMs)} (waited for ${report.propagation.blockedBy.join(", ")})`
      : "";
    return `PASS: app ${report.clientId || "(managed identity)"} has app-only access to ${service(report)} in tenant ${report.tenantId}${mayRun(report)} (${tries}${waited}${warnings})`;
  }
  const failed = report.checks.filter((c) => checkLevel(c) === "fail").map((c) => c.id);
  const why = report.stoppedBy === "deadline" ? "gave up at the deadline" : report.stoppedBy === "aborted" ? "aborted" : "cannot pass without a change";
  return `FAIL: ${failed.join(", ")} (${why}; ${tries})`;
}

const TEXT_LABEL = { ok: "ok  ", warning: "WARN", fail: "FAIL" } as const;
const MARK = { ok: "✅", warning: "⚠️", fail: "❌" } as const;

/**
 * Plain text for a terminal: one line a check, the remedy under each failure, a summary line last. Details and
 * remedies carry Entra's and Exchange's words and a certificate's subject: each line is made printable here, once.
 */
export function renderText(report: CheckReport): string {
  const probe = report.probe && (report.probe.cmdlet !== "Get-AcceptedDomain" || report.probe.api === "admin-v2") ? ` · probe ${report.probe.cmdlet}${report.probe.api === "admin-v2" ? " (Admin API, preview)" : ""}` : "";
  const title = report.probe?.workload === "compliance" ? "Security & Compliance" : "Exchange Online";
  const lines = [`${title} app-only check · tenant ${report.tenantId} · ${CLOUDS[report.environment].label} · ${report.credential}${probe}`];
  for (const check of report.checks) {
    const level = checkLevel(check);
    lines.push(`  ${TEXT_LABEL[level]} ${check.id.padEnd(19)} ${check.detail}`);
    if (level !== "ok" && check.remedy) lines.push(`       ${"".padEnd(19)} fix: ${check.remedy}`);
  }
  lines.push(summaryLine(report));
  return `${lines.map((line) => printable(line)).join("\n")}\n`;
}

const cell = (text: string): string => printable(text.replace(/\|/g, "\\|").replace(/\r?\n/g, " "));

/** A markdown section for `$GITHUB_STEP_SUMMARY`. */
export function renderMarkdown(report: CheckReport): string {
  const rows = report.checks.map((c: CheckResult) => `| ${MARK[checkLevel(c)]} | \`${c.id}\` | ${cell(c.detail)} | ${cell(c.remedy ?? "")} |`);
  return [
    `### Exchange Online app-only check: ${report.ok ? (report.checks.some((c) => checkLevel(c) === "warning") ? "passed, with warnings" : "passed") : "failed"}`,
    "",
    printable(`Tenant \`${report.tenantId}\` · client \`${report.clientId || "managed identity"}\` · ${CLOUDS[report.environment].label} · ${report.credential}`),
    "",
    "| | check | detail | remedy |",
    "|---|---|---|---|",
    ...rows,
    "",
    printable(summaryLine(report)),
    "",
  ].join("\n");
}
