/**
 * Mandatory: an app that asks for Exchange.ManageAsApp must get it in the same stack: the admin consent (an app
 * role assignment of that role) and a directory role for its service principal. Without consent Exchange answers
 * 401, without a role 403; the portal shows the permission either way, which is why this goes unnoticed.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { EXCHANGE_ONLINE_APP_ID, MANAGE_AS_APP_ROLE } from "../src/facts";
import { known, knownString } from "./known";
import { assignedTo, ofType, principalsOf } from "./links";
import { EXCHANGE_RBAC_GRANT_TYPES, TYPES } from "./types";

/** True when the app's `requiredResourceAccesses` holds Exchange.ManageAsApp as an application permission. */
export function asksForManageAsApp(app: PolicyResource): boolean {
  const accesses = known(() => app.props.requiredResourceAccesses as unknown);
  if (!Array.isArray(accesses)) return false;
  return accesses.some((access) => {
    const resourceAppId = knownString(() => (access as { resourceAppId?: unknown }).resourceAppId);
    if (resourceAppId?.toLowerCase() !== EXCHANGE_ONLINE_APP_ID) return false;
    const roles = known(() => (access as { resourceAccesses?: unknown }).resourceAccesses);
    return (
      Array.isArray(roles) &&
      roles.some(
        (role) =>
          knownString(() => (role as { id?: unknown }).id)?.toLowerCase() === MANAGE_AS_APP_ROLE.id &&
          knownString(() => (role as { type?: unknown }).type) === MANAGE_AS_APP_ROLE.type,
      )
    );
  });
}

export const exchangePermissionGranted: StackValidationPolicy = {
  name: "exchange-permission-granted",
  description: "An app that asks for Exchange.ManageAsApp must get its admin consent and a directory role in the same stack.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const principals = ofType(args.resources, TYPES.servicePrincipal);
    const consents = ofType(args.resources, TYPES.appRoleAssignment).filter(
      (assignment) => knownString(() => assignment.props.appRoleId)?.toLowerCase() === MANAGE_AS_APP_ROLE.id,
    );
    const roles = ofType(args.resources, TYPES.directoryRoleAssignment);
    // With role: none the app's rights are Exchange's own RBAC grants (exchangeRoles): they stand in for the role.
    const exchangeGrants = args.resources.filter((r) => EXCHANGE_RBAC_GRANT_TYPES.includes(r.type));
    for (const app of ofType(args.resources, TYPES.application).filter(asksForManageAsApp)) {
      const own = principalsOf(app, principals);
      const missing = [
        ...(consents.some((consent) => assignedTo(consent, own))
          ? []
          : [`no admin consent (an AppRoleAssignment with appRoleId ${MANAGE_AS_APP_ROLE.id} to the app's service principal; without it Exchange answers 401)`]),
        ...(roles.some((role) => assignedTo(role, own)) || exchangeGrants.length > 0
          ? []
          : ["no directory role (a DirectoryRoleAssignment for the app's service principal, or Exchange management roles with role: none; without either Exchange answers 403)"]),
      ];
      if (missing.length === 0) continue;
      reportViolation(
        `Application "${app.name}" asks for ${MANAGE_AS_APP_ROLE.value} (${MANAGE_AS_APP_ROLE.id} on Office 365 Exchange ` +
          `Online, ${EXCHANGE_ONLINE_APP_ID}) but the stack declares ${missing.join(" and ")}. Declare both in this stack ` +
          `(the ExchangeAppOnly component does), or remove the permission from requiredResourceAccesses.`,
        app.urn,
      );
    }
  },
};
