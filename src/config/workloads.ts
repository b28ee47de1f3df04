/**
 * The `workloads` key (which PowerShell surfaces the app is for) and the rule joining it to `role`: the directory
 * role must work for every chosen workload, and Exchange's own RBAC (`role: none`) reaches Exchange Online only.
 */
import { isWorkload, WORKLOADS, rolesForWorkloads, type ExchangeRole, type Workload } from "../facts";
import { adviceFor } from "./concepts";
import { json, type IssueList, type RawConfig } from "./values";

const LABEL: Record<Workload, string> = {
  exchange: "Exchange Online PowerShell (Connect-ExchangeOnline)",
  compliance: "Security & Compliance PowerShell (Connect-IPPSSession)",
};

export function parseWorkloads(raw: RawConfig, issues: IssueList): Workload[] | undefined {
  const value = json(raw, "workloads", issues, `a list of ${WORKLOADS.join(" and/or ")}`);
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== "string")) {
    return issues.add("workloads", value, `must be a non-empty list of ${WORKLOADS.join(" and/or ")}, for example [exchange, compliance]`);
  }
  const list = (value as string[]).map((v) => v.trim().toLowerCase());
  for (const [i, name] of list.entries()) {
    if (!isWorkload(name)) {
      return issues.add("workloads", value, `names "${(value as string[])[i]}", which is not a workload.${adviceFor("workload", (value as string[])[i]!, WORKLOADS)} Workloads: exchange (${LABEL.exchange}), compliance (${LABEL.compliance}).`);
    }
  }
  const repeated = list.find((w, i) => list.indexOf(w) !== i);
  if (repeated) return issues.add("workloads", value, `lists ${repeated} twice: name each workload once`);
  return list as Workload[];
}

/** The message for a role (null = `role: none`) that cannot serve every workload, or undefined when it fits. */
export function roleWorkloadMismatch(role: ExchangeRole | null, workloads: readonly Workload[]): string | undefined {
  if (role === null) {
    if (!workloads.includes("compliance")) return undefined;
    return (
      `"none" leaves Security & Compliance PowerShell without a way in: Exchange's own RBAC for an app (exchangeRoles) works in ${LABEL.exchange} only. ` +
      `With compliance in workloads, set a directory role that works for it: ${names(rolesForWorkloads(workloads))}`
    );
  }
  const missing = workloads.filter((w) => !role.workloads.includes(w));
  if (missing.length === 0) return undefined;
  return (
    `"${role.name}" does not work for ${missing.map((w) => LABEL[w]).join(" or ")} with app-only access. ` +
    `Roles that work for ${workloads.join(" and ")}: ${names(rolesForWorkloads(workloads))}; or drop ${missing.join(", ")} from workloads`
  );
}

function names(roles: readonly ExchangeRole[]): string {
  return roles.map((r) => (r.requiresOptIn ? `${r.name} (with allowGlobalAdministrator: true)` : r.name)).join(", ");
}
