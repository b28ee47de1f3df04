/**
 * Import ids of the azuread resources an adopted app brings into the stack, in the formats the provider documents
 * (`pulumi import` in the @pulumi/azuread docs). Pure: `plan` and the tests check them without Pulumi.
 */

/** `Application`: `/applications/{objectId}`. */
export function applicationImportId(applicationObjectId: string): string {
  return `/applications/${applicationObjectId}`;
}

/** `ServicePrincipal`: `/servicePrincipals/{objectId}`. */
export function servicePrincipalImportId(servicePrincipalObjectId: string): string {
  return `/servicePrincipals/${servicePrincipalObjectId}`;
}

/** `AppRoleAssignment`: the resource principal (Exchange Online's, in that tenant) and the assignment's id. */
export function appRoleAssignmentImportId(resourceServicePrincipalObjectId: string, assignmentId: string): string {
  return `/servicePrincipals/${resourceServicePrincipalObjectId}/appRoleAssignedTo/${assignmentId}`;
}

/** `DirectoryRoleAssignment`: the assignment's id as it is. */
export function directoryRoleAssignmentImportId(assignmentId: string): string {
  return assignmentId;
}
