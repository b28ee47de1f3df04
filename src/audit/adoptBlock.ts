/**
 * The stack config that brings an unmanaged holder under a stack (`adopt`, docs/adopting.md): its ids as the audit
 * read them, its display name and role as they are, so `plan` shows imports and no replacement.
 */
import YAML from "yaml";
import { fullKey } from "../config/keys";
import { findExchangeRole, MANAGE_AS_APP_ROLE } from "../facts";
import type { AuditReading, Holder } from "./model";

/**
 * The stack file's `config:` block adopting `holder`, or undefined when it cannot be adopted as it is: it is no app
 * registration of this tenant, or its wiring is not the stack's (no Exchange.ManageAsApp consent, not exactly one
 * active directory role Exchange accepts), or the tenant's initial domain was not read.
 */
export function adoptBlock(holder: Holder, reading: AuditReading): string | undefined {
  const app = holder.application;
  const consent = holder.grants.find((g) => g.resource === "exchange" && g.appRoleId === MANAGE_AS_APP_ROLE.id);
  const roles = holder.directoryRoles.filter((r) => r.kind === "active" && r.directoryScopeId === "/" && findExchangeRole(r.roleTemplateId));
  if (!app || !consent || roles.length !== 1 || !roles[0]!.assignmentId || !reading.organization) return undefined;
  const role = roles[0]!;
  const config = {
    [fullKey("tenantId")]: reading.tenantId,
    [fullKey("organization")]: reading.organization,
    ...(reading.environment === "public" ? {} : { [fullKey("environment")]: reading.environment }),
    [fullKey("displayName")]: holder.displayName,
    [fullKey("role")]: findExchangeRole(role.roleTemplateId)!.name,
    [fullKey("protect")]: true,
    [fullKey("adopt")]: {
      clientId: holder.appId,
      applicationObjectId: app.objectId,
      servicePrincipalObjectId: holder.servicePrincipalObjectId,
      exchangeServicePrincipalObjectId: consent.resourceObjectId,
      consentAssignmentId: consent.assignmentId,
      roleAssignmentId: role.assignmentId,
    },
  };
  return YAML.stringify({ config });
}
