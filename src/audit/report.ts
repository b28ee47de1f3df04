/**
 * The audit's three reports: a table for a person (stderr), one JSON object for a script (stdout), and a Markdown
 * evidence report for an auditor. Display names and Graph's text are the tenant's, not ours: they are printed
 * escaped (src/text/terminalText.ts), and Markdown's table characters in them are neutralized.
 */
import { printable, printableJson } from "../text/terminalText";
import { SEVERITIES, type Finding, type Judgement, type Severity } from "./judge";
import type { AuditReading, Holder } from "./model";

/** Who read the tenant: the auditor's client id and the roles its token carried. */
export interface Auditor {
  readonly clientId: string;
  readonly roles: readonly string[];
}

/** The findings at `level` or above, worst first as the judge orders them. */
export function atOrAbove(level: Severity, judgement: Judgement): Finding[] {
  const worst = SEVERITIES.indexOf(level);
  return judgement.findings.filter((f) => SEVERITIES.indexOf(f.severity) <= worst);
}

/** Whether `--fail-on <level>` fails the run: a finding at that severity or above. */
export function failsOn(level: Severity, judgement: Judgement): boolean {
  return atOrAbove(level, judgement).length > 0;
}

/** How many findings of each severity. */
export function severityCounts(judgement: Judgement): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, judgement.findings.filter((f) => f.severity === s).length])) as Record<Severity, number>;
}

/** `1 high, 0 medium, 3 low`. */
export function countsText(judgement: Judgement): string {
  const counts = severityCounts(judgement);
  return SEVERITIES.map((s) => `${counts[s]} ${s}`).join(", ");
}

/** The findings as a table, worst first, and a count by severity; the parts that could not be read, and why. */
export function renderTable(reading: AuditReading, judgement: Judgement): string {
  const rows = judgement.findings.map((f) => [f.severity.toUpperCase(), f.rule, printable(f.principal.displayName), f.principal.appId, printable(f.evidence)]);
  const header = ["SEVERITY", "RULE", "PRINCIPAL", "APP ID", "EVIDENCE"];
  const widths = header.slice(0, 4).map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join("  ");
  const counts = countsText(judgement);
  const managed = Object.keys(judgement.managedBy).length;
  return [
    `Exchange app-only holders in tenant ${reading.tenantId}: ${reading.holders.length} principal(s), ${managed} managed by a stack given; findings: ${counts}`,
    ...(rows.length > 0 ? ["", line(header), ...rows.map(line)] : []),
    ...reading.unread.map((u) => `not read: ${u.part}: ${printable(u.reason)}`),
    "",
  ].join("\n");
}

/**
 * One JSON object: what was read, and the findings (stable ids, for scripts to match on); `adopt`, when given, the
 * stack config that adopts each holder it names (by service principal object id).
 */
export function renderJson(reading: AuditReading, judgement: Judgement, auditor: Auditor, adopt?: Readonly<Record<string, string>>): string {
  return `${printableJson({
    tenantId: reading.tenantId,
    environment: reading.environment,
    readAt: reading.readAt,
    auditor,
    findings: judgement.findings,
    holders: reading.holders.map((h) => ({ ...h, managedBy: judgement.managedBy[h.servicePrincipalObjectId] })),
    unread: reading.unread,
    ...(adopt ? { adopt } : {}),
  })}\n`;
}

/** A table cell: one line, escaped, with Markdown's pipe and backtick made inert. */
function cell(text: string): string {
  return printable(text).replace(/\|/g, "\\|").replace(/`/g, "'");
}

function holderSection(h: Holder, managedBy: string | undefined): string[] {
  const lines = [
    `### ${cell(h.displayName)}`,
    "",
    `- App id \`${h.appId}\`, service principal \`${h.servicePrincipalObjectId}\` (${cell(h.servicePrincipalType)})${h.appOwnerOrganizationId ? `, owned by tenant \`${h.appOwnerOrganizationId}\`` : ""}`,
    `- Managed by: ${managedBy ? cell(managedBy) : "no stack given"}`,
    `- Exchange app roles: ${h.grants.map((g) => `${g.resource === "protection" ? "EOP " : ""}${cell(g.value ?? g.appRoleId)}`).join(", ") || "none"}`,
    `- Directory roles: ${h.directoryRoles.map((r) => `${cell(r.roleName)} (${r.kind}, scope ${cell(r.directoryScopeId)})`).join(", ") || "none"}`,
    `- Exchange RBAC: ${h.exchangeRbac === undefined ? "not read" : !h.exchangeRbac.registered ? "not registered" : [...h.exchangeRbac.roleGroups.map((g) => `role group ${cell(g)}`), ...h.exchangeRbac.roleAssignments.map((a) => `${cell(a.role)}${a.scope ? ` (scope ${cell(a.scope)})` : ""}`)].join(", ") || "registered, nothing granted"}`,
  ];
  if (h.application) {
    lines.push(`- Credentials: ${h.application.credentials.map((k) => `${k.kind} \`${k.keyId}\` ends ${k.endDateTime}`).join(", ") || "none"}`);
    lines.push(`- Federated credentials: ${h.application.federatedCredentials.map((f) => `${cell(f.name)} (${cell(f.subject)})`).join(", ") || "none"}`);
    lines.push(`- Owners: ${h.application.owners.map(cell).join(", ") || "none"}`);
  }
  return [...lines, ""];
}

/** The evidence report: the tenant, the time, who read it, every holder with its grants and dates, the findings. */
export function renderMarkdown(reading: AuditReading, judgement: Judgement, auditor: Auditor): string {
  return [
    `# Exchange app-only access in tenant ${reading.tenantId}`,
    "",
    `- Cloud: ${reading.environment}`,
    `- Read at: ${reading.readAt}`,
    `- Read by: client \`${auditor.clientId}\` with ${auditor.roles.map(cell).join(", ") || "no roles in its token"}`,
    ...reading.unread.map((u) => `- Not read: ${u.part} (${cell(u.reason)})`),
    "",
    "## Findings",
    "",
    ...(judgement.findings.length === 0
      ? ["None."]
      : ["| severity | rule | principal | evidence | fix |", "|---|---|---|---|---|", ...judgement.findings.map((f) => `| ${f.severity} | \`${f.rule}\` | ${cell(f.principal.displayName)} (\`${f.principal.appId}\`) | ${cell(f.evidence)} | ${cell(f.fix)} |`)]),
    "",
    "## Holders",
    "",
    ...reading.holders.flatMap((h) => holderSection(h, judgement.managedBy[h.servicePrincipalObjectId])),
  ].join("\n");
}
