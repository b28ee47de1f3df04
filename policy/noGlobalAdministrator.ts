/** Mandatory: Global Administrator for an app. Exchange accepts it, but it holds every permission in the tenant. */
import * as azuread from "@pulumi/azuread";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { knownString } from "./known";
import { GLOBAL_ADMINISTRATOR } from "./roles";

export const noGlobalAdministrator: ResourceValidationPolicy = {
  name: "no-global-administrator",
  description: "An app must not hold Global Administrator: Exchange needs far less.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(azuread.DirectoryRoleAssignment, (assignment, args, reportViolation) => {
    const roleId = knownString(() => assignment.roleId);
    if (roleId?.trim().toLowerCase() !== GLOBAL_ADMINISTRATOR.templateId) return;
    reportViolation(
      `DirectoryRoleAssignment "${args.name}": roleId ${roleId} is Global Administrator, every permission in the ` +
        `tenant for an unattended credential. Set exchange-app-only:role to "Exchange Administrator" (or narrower: ` +
        `"Exchange Recipient Administrator", "Global Reader") and remove allowGlobalAdministrator. A tenant that truly ` +
        `needs it disables this policy for its stack in a policy config file (--policy-pack-config), so the exception ` +
        `is on record.`,
    );
  }),
};
