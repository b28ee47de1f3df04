/**
 * The Microsoft Graph application permissions the deploying identity needs, and why. Resolved by value from the
 * Graph service principal's app roles at deploy time: the ids are never written here.
 */

/** `OwnedBy`: Application.ReadWrite.OwnedBy (the default, least privilege); `All`: Application.ReadWrite.All. */
export const APPLICATION_PERMISSIONS = ["OwnedBy", "All"] as const;
export type ApplicationPermission = (typeof APPLICATION_PERMISSIONS)[number];

export interface GraphPermission {
  /** The app role's value, as Graph lists it (`appRoleIds` is keyed by it). */
  readonly value: string;
  /** Why the deploying identity needs it. */
  readonly reason: string;
}

const OWNED_BY: GraphPermission = {
  value: "Application.ReadWrite.OwnedBy",
  reason: "create the Exchange app registrations, their service principals and credentials, and change or delete them later: only apps it owns",
};
const ALL: GraphPermission = {
  value: "Application.ReadWrite.All",
  reason: "the same for every app in the tenant: needed to adopt apps made by hand, or to add owners besides the deploying identity",
};
const READ_ALL: GraphPermission = {
  value: "Application.Read.All",
  reason: "look up the Office 365 Exchange Online service principal by appId (consent is granted against it); OwnedBy reads only owned apps",
};
const APP_ROLE_ASSIGNMENT: GraphPermission = {
  value: "AppRoleAssignment.ReadWrite.All",
  reason: "grant admin consent for Exchange.ManageAsApp: an app role assignment to the Exchange Online service principal",
};
const ROLE_MANAGEMENT: GraphPermission = {
  value: "RoleManagement.ReadWrite.Directory",
  reason: "assign the directory role Exchange checks (Exchange Administrator or narrower) to each app's service principal",
};

/** The pull-request preview identity reads, nothing more: whatever it may do, any branch's workflow may do. */
export const PREVIEW_PERMISSIONS: readonly GraphPermission[] = [
  { value: "Application.Read.All", reason: "read the apps and the Exchange Online service principal a preview looks up; it can change nothing" },
];

/** What the deploying identity gets for a choice of application permission. */
export function graphPermissions(applicationPermission: ApplicationPermission): readonly GraphPermission[] {
  return applicationPermission === "All" ? [ALL, APP_ROLE_ASSIGNMENT, ROLE_MANAGEMENT] : [OWNED_BY, READ_ALL, APP_ROLE_ASSIGNMENT, ROLE_MANAGEMENT];
}

/**
 * The auditor reads, nothing more (docs/audit.md, "The auditor's permissions"). RoleManagement.Read.Directory also
 * covers PIM's eligibility reads (Graph lists it above RoleEligibilitySchedule.Read.Directory for them).
 */
export const AUDITOR_PERMISSIONS: readonly GraphPermission[] = [
  { value: "Application.Read.All", reason: "read the service principals that hold Exchange's app roles, their app registrations, credentials' dates, federated credentials and owners" },
  { value: "RoleManagement.Read.Directory", reason: "read the directory roles each holder has, active and eligible (PIM)" },
];
