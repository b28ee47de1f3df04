/**
 * Import ids: what `read` needs to find an object in Exchange from the id alone (no prior state), and what the
 * resources use as their Pulumi id. The tenant comes first (a GUID: no `/`), the free-text part last, so a role
 * assignment's or a role group's name may hold any character.
 *
 * | resource | id |
 * |---|---|
 * | ExchangeServicePrincipal | `<tenantId>/<appId>` |
 * | ExchangeRoleGroup | `<tenantId>/<role group name>` |
 * | ExchangeRoleGroupMember | `<tenantId>/<appId>/<role group>` |
 * | ExchangeManagementRoleAssignment | `<tenantId>/<assignment name>` (Exchange's Identity, `Get-ManagementRoleAssignment`) |
 */
import { isGuid } from "../facts";
import { ExchangeRbacError } from "./errors";

export type RbacKind = "servicePrincipal" | "roleGroup" | "managementRoleAssignment" | "roleGroupMember";

const FORMS: Record<RbacKind, string> = {
  servicePrincipal: "<tenantId>/<appId>",
  roleGroup: "<tenantId>/<role group name>",
  managementRoleAssignment: "<tenantId>/<assignment name>",
  roleGroupMember: "<tenantId>/<appId>/<role group>",
};

export function servicePrincipalId(tenantId: string, appId: string): string {
  return `${tenantId}/${appId}`;
}
export function roleGroupId(tenantId: string, name: string): string {
  return `${tenantId}/${name}`;
}
export function roleAssignmentId(tenantId: string, identity: string): string {
  return `${tenantId}/${identity}`;
}
export function roleGroupMemberId(tenantId: string, appId: string, roleGroup: string): string {
  return `${tenantId}/${appId}/${roleGroup}`;
}

function bad(kind: RbacKind, id: string, why: string): ExchangeRbacError {
  return new ExchangeRbacError("ERR_INPUT", `the import id ${JSON.stringify(id)} ${why}`, `Write it as ${FORMS[kind]}, for example ${example(kind)}.`);
}

function example(kind: RbacKind): string {
  const tenant = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
  const app = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  if (kind === "servicePrincipal") return servicePrincipalId(tenant, app);
  if (kind === "roleGroup") return roleGroupId(tenant, `exo-app-only ${app}`);
  if (kind === "managementRoleAssignment") return roleAssignmentId(tenant, "Application Mail.Read-0a1b2c3d");
  return roleGroupMemberId(tenant, app, "View-Only Organization Management");
}

/** Splits `<tenantId>/<rest>`; the tenant must be a GUID, the rest not empty. */
function tenantAndRest(kind: RbacKind, id: string): { tenantId: string; rest: string } {
  const slash = id.indexOf("/");
  const tenantId = slash < 0 ? id : id.slice(0, slash);
  const rest = slash < 0 ? "" : id.slice(slash + 1);
  if (!isGuid(tenantId)) throw bad(kind, id, "does not start with the tenant id (a GUID)");
  if (rest.trim().length === 0) throw bad(kind, id, "names nothing after the tenant id");
  return { tenantId, rest };
}

export function parseServicePrincipalId(id: string): { tenantId: string; appId: string } {
  const { tenantId, rest } = tenantAndRest("servicePrincipal", id);
  if (!isGuid(rest)) throw bad("servicePrincipal", id, "does not end with the app's client id (a GUID)");
  return { tenantId, appId: rest };
}

export function parseRoleGroupId(id: string): { tenantId: string; name: string } {
  const { tenantId, rest } = tenantAndRest("roleGroup", id);
  return { tenantId, name: rest };
}

export function parseRoleAssignmentId(id: string): { tenantId: string; identity: string } {
  const { tenantId, rest } = tenantAndRest("managementRoleAssignment", id);
  return { tenantId, identity: rest };
}

export function parseRoleGroupMemberId(id: string): { tenantId: string; appId: string; roleGroup: string } {
  const { tenantId, rest } = tenantAndRest("roleGroupMember", id);
  const slash = rest.indexOf("/");
  const appId = slash < 0 ? rest : rest.slice(0, slash);
  const roleGroup = slash < 0 ? "" : rest.slice(slash + 1);
  if (!isGuid(appId)) throw bad("roleGroupMember", id, "does not name the app's client id (a GUID) after the tenant id");
  if (roleGroup.trim().length === 0) throw bad("roleGroupMember", id, "names no role group after the app's client id");
  return { tenantId, appId, roleGroup };
}
