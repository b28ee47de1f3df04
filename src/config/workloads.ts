/**
 * The `workloads` key (which PowerShell surfaces the app is for) and the rule joining it to `role`: the directory
 * role must work for every chosen workload. `role: none` leaves the app only what `exchangeRoles` grants, which is
 * Exchange Online's RBAC: Security & Compliance has role groups of its own, and Microsoft documents adding an app's
 * service principal to them too (the app-only article, "Assign custom role groups to the application using service
 * principals"), but this project does not create them yet, so with compliance a directory role is still required.
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
      `"none" gives the app no directory role, and exchangeRoles grants Exchange Online's role groups only: this project does not create Security & Compliance role groups yet ` +
      `(Microsoft documents them for an app's service principal too: New-ServicePrincipal, then Add-RoleGroupMember in ${LABEL.compliance}; you can do that by hand). ` +
      `With compliance in workloads, set a directory role that works for it: ${names(rolesForWorkloads(workloads))}; or drop compliance from workloads`
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
