/** Mandatory: a directory role assignment whose role Exchange Online does not accept for app-only access. */
import * as azuread from "@pulumi/azuread";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { knownString } from "./known";
import { acceptedRoleList, roleByTemplateId } from "./roles";

export const exchangeRoleAccepted: ResourceValidationPolicy = {
  name: "exchange-role-accepted",
  description: "A directory role assignment must use a role Exchange Online accepts for app-only access.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(azuread.DirectoryRoleAssignment, (assignment, args, reportViolation) => {
    const roleId = knownString(() => assignment.roleId);
    if (roleId === undefined || roleByTemplateId(roleId)) return;
    reportViolation(
      `DirectoryRoleAssignment "${args.name}": roleId ${roleId} is not a directory role Exchange Online accepts for ` +
        `app-only access; Exchange would answer "The role assigned to application ... isn't supported in this scenario". ` +
        `Use the template id of an accepted role (set exchange-app-only:role to its name): ${acceptedRoleList()}.`,
    );
  }),
};
