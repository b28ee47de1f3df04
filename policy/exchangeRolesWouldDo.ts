/**
 * Advisory: a directory role that serves Exchange Online only (Exchange Administrator, Exchange Recipient
 * Administrator, Helpdesk Administrator) for a principal the stack also gives Exchange's own RBAC grants
 * (`exchangeRoles`). Those grants can carry the app's rights alone (`role: none`); the directory role on top hands it
 * every cmdlet the role covers. Roles that also serve Security & Compliance are left alone: Exchange's RBAC for apps
 * does not reach Connect-IPPSSession.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { knownString } from "./known";
import { ofType } from "./links";
import { roleByTemplateId } from "./roles";
import { EXCHANGE_RBAC_GRANT_TYPES, TYPES } from "./types";

export const exchangeRolesWouldDo: StackValidationPolicy = {
  name: "exchange-roles-would-do",
  description: "A directory role for Exchange Online only, in a stack whose exchangeRoles could carry the app's rights alone.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    const grants = args.resources.filter((r) => EXCHANGE_RBAC_GRANT_TYPES.includes(r.type));
    if (grants.length === 0) return;
    for (const assignment of ofType(args.resources, TYPES.directoryRoleAssignment)) {
      const roleId = knownString(() => assignment.props.roleId);
      const role = roleId === undefined ? undefined : roleByTemplateId(roleId);
      if (!role || role.workloads.includes("compliance")) continue;
      reportViolation(
        `DirectoryRoleAssignment "${assignment.name}": ${role.name} (${role.templateId}) serves Exchange Online only and ` +
          `covers ${role.covers}, while the stack also grants Exchange management roles (${grants.length}). Those can ` +
          `carry the app's rights alone: set exchange-app-only:role to none and keep exchange-app-only:exchangeRoles ` +
          `(see the README's "Least privilege").`,
        assignment.urn,
      );
    }
  },
};
