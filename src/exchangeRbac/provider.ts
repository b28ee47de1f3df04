/**
 * The Exchange RBAC resources' providers, over one session: the app's service principal in Exchange
 * (servicePrincipal.ts), the stack's custom role groups (roleGroup.ts), the principal's memberships in them
 * (roleGroupMember.ts), and direct assignments of application roles (roleAssignment.ts). Plain code over RbacSession
 * (tested against the tenant emulator); the plugin serves them as custom resources (provider/resources.ts).
 *
 * - read finds the object from the id alone (ids.ts) and answers "gone" (an empty id) when Exchange no longer has
 *   it: `pulumi refresh` drops it from state and the next `pulumi up` creates it again.
 * - delete removes exactly the object created (by its Identity); one already gone is deleted.
 * - State holds names and ids only: no token, no secret.
 */
import { roleAssignmentProviderOver, type RoleAssignmentInputs, type RoleAssignmentState } from "./roleAssignment";
import { roleGroupProviderOver, type RoleGroupInputs, type RoleGroupState } from "./roleGroup";
import { roleGroupMemberProviderOver, type RoleGroupMemberInputs, type RoleGroupMemberState } from "./roleGroupMember";
import { servicePrincipalProviderOver, type ServicePrincipalInputs, type ServicePrincipalState } from "./servicePrincipal";
import type { Provider } from "./common";
import { RbacSession, type SessionDeps } from "./session";

export { sameName } from "./common";
export { assignmentName, type RoleAssignmentInputs, type RoleAssignmentState } from "./roleAssignment";
export { ownRoleGroupDescription, ownRoleGroupName, ROLE_GROUP_NAME_MAX, type RoleGroupInputs, type RoleGroupScope, type RoleGroupState } from "./roleGroup";
export type { RoleGroupMemberInputs, RoleGroupMemberState } from "./roleGroupMember";
export type { ServicePrincipalInputs, ServicePrincipalState } from "./servicePrincipal";

export interface ExchangeRbacProviders {
  readonly servicePrincipal: Provider<ServicePrincipalInputs, ServicePrincipalState>;
  readonly roleGroup: Provider<RoleGroupInputs, RoleGroupState>;
  readonly roleGroupMember: Provider<RoleGroupMemberInputs, RoleGroupMemberState>;
  readonly managementRoleAssignment: Provider<RoleAssignmentInputs, RoleAssignmentState>;
}

/** The providers over one session (one sign-in per tenant and cloud for the host's lifetime). */
export function makeExchangeRbacProviders(deps: SessionDeps = {}): ExchangeRbacProviders {
  const session = new RbacSession(deps);
  return {
    servicePrincipal: servicePrincipalProviderOver(session),
    roleGroup: roleGroupProviderOver(session),
    roleGroupMember: roleGroupMemberProviderOver(session),
    managementRoleAssignment: roleAssignmentProviderOver(session),
  };
}
