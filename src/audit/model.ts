/**
 * What the audit reads about a tenant's Exchange app-only holders, as plain data: the readers (Graph, Exchange) fill it,
 * the judge (judge.ts) reads it. Nothing here holds a secret: credentials are their kinds, ids and dates.
 */
import type { CloudName } from "../facts";

/** Which first-party resource an app role belongs to. */
export type GrantResource = "exchange" | "protection";

/** One app role a principal holds on Exchange Online or Exchange Online Protection (an appRoleAssignment). */
export interface ExchangeGrant {
  readonly resource: GrantResource;
  readonly appRoleId: string;
  /** The role's value, resolved from the resource principal's `appRoles`; undefined when it publishes no such id. */
  readonly value?: string;
  /** The appRoleAssignment's id: `adopt`'s `consentAssignmentId`. */
  readonly assignmentId: string;
  /** The resource principal's object id in this tenant: `adopt`'s `exchangeServicePrincipalObjectId`. */
  readonly resourceObjectId: string;
}

/** A directory role the principal holds: active (an assignment) or eligible (PIM). */
export interface DirectoryRoleHolding {
  readonly roleTemplateId: string;
  /** The role's display name as the tenant names it. */
  readonly roleName: string;
  readonly kind: "active" | "eligible";
  /** `/` for the whole directory, else an administrative unit or object. */
  readonly directoryScopeId: string;
  /** The role assignment's id (active ones): `adopt`'s `roleAssignmentId`. */
  readonly assignmentId?: string;
}

/** A password or certificate credential of an app registration: its kind and dates, never its value. */
export interface CredentialInfo {
  readonly kind: "secret" | "certificate";
  readonly keyId: string;
  readonly displayName?: string;
  /** ISO 8601. */
  readonly endDateTime: string;
}

export interface FederatedCredentialInfo {
  readonly name: string;
  readonly issuer: string;
  readonly subject: string;
}

/** An app registration of the audited tenant, read for a holder whose app lives there. */
export interface OwnedApplication {
  readonly objectId: string;
  readonly credentials: readonly CredentialInfo[];
  readonly federatedCredentials: readonly FederatedCredentialInfo[];
  /** Owners' display names or ids, as read. */
  readonly owners: readonly string[];
}

/** One management role assignment of a principal in Exchange's own RBAC. */
export interface ExchangeRoleAssignmentInfo {
  readonly role: string;
  /** The custom resource scope or management scope, when it has one. */
  readonly scope?: string;
}

/** The principal's place in Exchange's RBAC: registered (New-ServicePrincipal) with its assignments and groups. */
export interface ExchangeRbacInfo {
  readonly registered: boolean;
  readonly roleAssignments: readonly ExchangeRoleAssignmentInfo[];
  readonly roleGroups: readonly string[];
}

/** A service principal that holds an Exchange app role or a directory role Exchange accepts. */
export interface Holder {
  readonly servicePrincipalObjectId: string;
  readonly appId: string;
  readonly displayName: string;
  /** `Application` or `ManagedIdentity` (Graph's servicePrincipalType). */
  readonly servicePrincipalType: string;
  /** The tenant that owns the app: another tenant's for a multi-tenant app from outside. */
  readonly appOwnerOrganizationId?: string;
  readonly grants: readonly ExchangeGrant[];
  readonly directoryRoles: readonly DirectoryRoleHolding[];
  /** Read when the app registration lives in the audited tenant. */
  readonly application?: OwnedApplication;
  /** Undefined when Exchange's RBAC could not be read (see AuditReading.exchangeRbac). */
  readonly exchangeRbac?: ExchangeRbacInfo;
}

/** A principal some stack manages, from its outputs. */
export interface ManagedPrincipal {
  /** The stack (or config file) whose outputs name it. */
  readonly stack: string;
  readonly clientId?: string;
  readonly servicePrincipalObjectId?: string;
}

/** A part of the tenant the auditor could not read, and why (the report says so and goes on). */
export interface Unread {
  readonly part: "exchangeRbac" | "eligibleRoles" | "applications" | "organization";
  readonly reason: string;
}

export interface AuditReading {
  readonly tenantId: string;
  /** The tenant's initial domain (`contoso.onmicrosoft.com`), when read: Connect-ExchangeOnline's `-Organization`. */
  readonly organization?: string;
  readonly environment: CloudName;
  /** When the reading was taken: expiry is judged against it. */
  readonly readAt: string;
  readonly holders: readonly Holder[];
  readonly unread: readonly Unread[];
}
