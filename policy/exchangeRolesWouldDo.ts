/**
 * Advisory: a directory role that serves Exchange Online only (Exchange Administrator, Exchange Recipient
 * Administrator, Helpdesk Administrator) for a principal the stack also gives Exchange's own RBAC grants
 * (`exchangeRoles`). Those grants can carry the app's rights alone (`role: none`); the directory role on top hands it
 * every cmdlet the role covers. Roles that also serve Security & Compliance are left alone: Exchange Online's role
 * groups do not reach Connect-IPPSSession, and this project does not create Security & Compliance role groups yet.
 * The message names the management roles the stack's role groups (and direct assignments) carry.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { known, knownString } from "./known";
import { ofType } from "./links";
import { roleByTemplateId } from "./roles";
import { EXCHANGE_RBAC_GRANT_TYPES, TYPES } from "./types";

/** The management roles the stack grants in Exchange, as far as known: its role groups' roles, its assignments' role. */
function grantedRoles(resources: readonly PolicyResource[]): string[] {
  const fromGroups = ofType(resources, TYPES.exchangeRoleGroup).flatMap((group) => {
    const roles = known(() => group.props.roles as unknown);
    return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : [];
  });
  const direct = ofType(resources, TYPES.exchangeRoleAssignment).map((a) => knownString(() => a.props.role)).filter((r): r is string => r !== undefined);
  return [...new Set([...fromGroups, ...direct])];
}

export const exchangeRolesWouldDo: StackValidationPolicy = {
  name: "exchange-roles-would-do",
  description: "A directory role for Exchange Online only, in a stack whose exchangeRoles could carry the app's rights alone.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    const grants = args.resources.filter((r) => EXCHANGE_RBAC_GRANT_TYPES.includes(r.type));
    if (grants.length === 0) return;
    const roles = grantedRoles(args.resources);
    const carried = roles.length > 0 ? `Exchange management roles (${roles.map((r) => `"${r}"`).join(", ")})` : `Exchange management roles (${grants.length} grant(s))`;
    for (const assignment of ofType(args.resources, TYPES.directoryRoleAssignment)) {
      const roleId = knownString(() => assignment.props.roleId);
      const role = roleId === undefined ? undefined : roleByTemplateId(roleId);
      if (!role || role.workloads.includes("compliance")) continue;
      reportViolation(
        `DirectoryRoleAssignment "${assignment.name}": ${role.name} (${role.templateId}) serves Exchange Online only and ` +
          `covers ${role.covers}, while the stack also grants ${carried}. Those can ` +
          `carry the app's rights alone: set exchange-app-only:role to none and keep exchange-app-only:exchangeRoles ` +
          `(see docs/least-privilege.md, "Least privilege").`,
        assignment.urn,
      );
    }
  },
};
