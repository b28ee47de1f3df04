/** How `plan --policy` shows the policy pack's findings: one block a violation, mandatory ones first. */
import type { Violation } from "../../policy/plan";
import { printable } from "../text/terminalText";

export function hasMandatory(violations: readonly Violation[]): boolean {
  return violations.some((v) => v.enforcement === "mandatory");
}

export function renderViolations(pack: string, violations: readonly Violation[]): string {
  if (violations.length === 0) return `Policy pack ${pack}: no violations`;
  const mandatory = violations.filter((v) => v.enforcement === "mandatory");
  const advisory = violations.filter((v) => v.enforcement !== "mandatory");
  const lines = [`Policy pack ${pack}: ${violations.length} violation${violations.length === 1 ? "" : "s"} (${mandatory.length} mandatory, ${advisory.length} advisory)`];
  for (const v of [...mandatory, ...advisory]) {
    const where = v.resource ? `${v.resource.name} (${v.resource.type})` : "the stack";
    lines.push(`  ${v.enforcement.padEnd(9)}  ${v.policy}  ${where}`, `    ${v.message}`);
  }
  // Policy messages quote the stack's values: shown, never obeyed by the terminal.
  return lines.map((line) => printable(line)).join("\n");
}
