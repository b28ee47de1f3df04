/**
 * Which resources of a stack belong together: an app, its service principals, the assignments made to them. The
 * engine says so in each resource's property dependencies (`principalObjectId` came from that service principal);
 * after an update the ids themselves match too. Offline, neither may be there: then a link cannot be told, and the
 * helpers say "linked" rather than invent a violation.
 */
import type { PolicyResource } from "@pulumi/policy";
import { knownString } from "./known";

export function ofType(resources: readonly PolicyResource[], type: string): PolicyResource[] {
  return resources.filter((resource) => resource.type === type);
}

/** The resources `property` of `resource` was computed from, as the engine reported them. */
function sources(resource: PolicyResource, property: string): PolicyResource[] {
  return resource.propertyDependencies?.[property] ?? [];
}

/** The service principals made for `app`: `clientId` taken from it, or equal to its known client id. */
export function principalsOf(app: PolicyResource, principals: readonly PolicyResource[]): PolicyResource[] {
  const clientId = knownString(() => app.props.clientId);
  return principals.filter(
    (sp) => sources(sp, "clientId").some((source) => source.urn === app.urn) || (clientId !== undefined && knownString(() => sp.props.clientId) === clientId),
  );
}

/**
 * Whether `assignment` (a consent or a role) is made to one of `principals`. False only when the stack shows it is
 * made to some other principal; true when that cannot be told (no principals known, no ids, no dependencies).
 */
export function assignedTo(assignment: PolicyResource, principals: readonly PolicyResource[]): boolean {
  if (principals.length === 0) return true;
  const from = sources(assignment, "principalObjectId");
  if (from.length > 0) return from.some((source) => principals.some((sp) => sp.urn === source.urn));
  const id = knownString(() => assignment.props.principalObjectId);
  const ids = principals.map((sp) => knownString(() => sp.props.objectId)).filter((v): v is string => v !== undefined);
  return id === undefined || ids.length === 0 || ids.includes(id);
}
