/**
 * Reads a tenant's Exchange app-only holders from Microsoft Graph: the principals that hold an app role of Office 365
 * Exchange Online or Exchange Online Protection (read from each resource principal's `appRoleAssignedTo`, so the
 * requests grow with the holders, not with the tenant), and the service principals in a directory role Exchange
 * accepts; then, for each, its directory roles (active, and eligible where the auditor may read them) and, for an app
 * of this tenant, its credentials, federated credentials and owners. Transport-free: `GraphReader` is the HTTP side.
 */
import { EXCHANGE_ONLINE_APP_ID, EXCHANGE_ONLINE_PROTECTION_APP_ID, EXCHANGE_ROLES } from "../facts";
import { forEachBounded } from "../fleet/pool";
import type { CredentialInfo, DirectoryRoleHolding, ExchangeGrant, GrantResource, Holder, Unread } from "./model";

/** A Graph failure as the reader reports it: the HTTP status and Graph's error code. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "GraphError";
  }
}

/** Graph v1.0, relative paths (`servicePrincipals/…`): one object, or every page of a collection. */
export interface GraphReader {
  get(path: string): Promise<Record<string, unknown>>;
  list(path: string): Promise<Record<string, unknown>[]>;
}

const RESOURCES: readonly { resource: GrantResource; appId: string }[] = [
  { resource: "exchange", appId: EXCHANGE_ONLINE_APP_ID },
  { resource: "protection", appId: EXCHANGE_ONLINE_PROTECTION_APP_ID },
];

const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);
const quote = (id: string) => `'${id.replace(/'/g, "''")}'`;

/** Not found is an answer (a tenant without EOP's principal, a holder deleted between two reads); anything else throws. */
async function getOrGone(graph: GraphReader, path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return await graph.get(path);
  } catch (error) {
    if (error instanceof GraphError && error.status === 404) return undefined;
    throw error;
  }
}

/** Every app role grant on one resource principal, by holder object id (service principals only). */
async function grantsOn(graph: GraphReader, resource: GrantResource, appId: string): Promise<Map<string, ExchangeGrant[]>> {
  const principal = await getOrGone(graph, `servicePrincipals(appId=${quote(appId)})?$select=id,appRoles`);
  const byHolder = new Map<string, ExchangeGrant[]>();
  if (!principal) return byHolder;
  const resourceObjectId = String(principal.id);
  const values = new Map((Array.isArray(principal.appRoles) ? principal.appRoles : []).map((r: { id?: unknown; value?: unknown }) => [String(r.id).toLowerCase(), str(r.value)]));
  for (const a of await graph.list(`servicePrincipals/${resourceObjectId}/appRoleAssignedTo?$top=999`)) {
    if (a.principalType !== "ServicePrincipal") continue;
    const holder = String(a.principalId);
    const appRoleId = String(a.appRoleId);
    const value = values.get(appRoleId.toLowerCase());
    const grant: ExchangeGrant = { resource, appRoleId, ...(value ? { value } : {}), assignmentId: String(a.id), resourceObjectId };
    byHolder.set(holder, [...(byHolder.get(holder) ?? []), grant]);
  }
  return byHolder;
}

/** Service principals holding a directory role Exchange accepts: one request a role, whatever the tenant's size. */
async function acceptedRoleHolders(graph: GraphReader): Promise<Set<string>> {
  const holders = new Set<string>();
  for (const role of EXCHANGE_ROLES) {
    const assignments = await graph.list(`roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq ${quote(role.templateId)}&$expand=principal($select=id)`);
    for (const a of assignments) {
      const principal = a.principal as { "@odata.type"?: unknown } | undefined;
      if (principal?.["@odata.type"] === "#microsoft.graph.servicePrincipal") holders.add(String(a.principalId));
    }
  }
  return holders;
}

interface RoleNames {
  name(templateId: string): string;
}

async function roleNames(graph: GraphReader): Promise<RoleNames> {
  const names = new Map<string, string>();
  for (const d of await graph.list("roleManagement/directory/roleDefinitions?$select=id,templateId,displayName")) {
    names.set(String(d.templateId ?? d.id).toLowerCase(), String(d.displayName));
  }
  return { name: (id) => names.get(id.toLowerCase()) ?? id };
}

function credentialsOf(app: Record<string, unknown>): CredentialInfo[] {
  const list = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
  const one = (kind: CredentialInfo["kind"]) => (k: Record<string, unknown>): CredentialInfo => ({
    kind,
    keyId: String(k.keyId),
    ...(str(k.displayName) ? { displayName: str(k.displayName) } : {}),
    endDateTime: String(k.endDateTime),
  });
  return [...list(app.passwordCredentials).map(one("secret")), ...list(app.keyCredentials).map(one("certificate"))];
}

export interface GraphReading {
  readonly holders: Holder[];
  readonly unread: Unread[];
}

/**
 * Holders read at once. Each holder costs about six requests one after another, so at Graph's latency a tenant's
 * hundred holders would take most of a minute read one by one; eight at once stays far below Graph's per-app limits.
 */
export const HOLDER_READS_AT_ONCE = 8;

/** What reading one holder shares with the others: role names, and whether PIM eligibility is readable at all. */
interface HolderContext {
  readonly graph: GraphReader;
  readonly tenantId: string;
  readonly grants: Map<string, ExchangeGrant[]>;
  readonly names: RoleNames;
  eligibleUnread?: Unread;
}

/** Reads every holder (see the file's comment). A holder deleted between two reads is left out. */
export async function readHolders(graph: GraphReader, tenantId: string): Promise<GraphReading> {
  const grants = new Map<string, ExchangeGrant[]>();
  for (const { resource, appId } of RESOURCES) {
    for (const [holder, list] of await grantsOn(graph, resource, appId)) grants.set(holder, [...(grants.get(holder) ?? []), ...list]);
  }
  const ids = [...new Set([...grants.keys(), ...(await acceptedRoleHolders(graph))])].sort();
  const context: HolderContext = { graph, tenantId, grants, names: await roleNames(graph) };
  const read: (Holder | undefined)[] = new Array(ids.length);
  const stop = new AbortController();
  let failure: { error: unknown } | undefined;
  await forEachBounded(
    ids,
    HOLDER_READS_AT_ONCE,
    async (id, index) => {
      try {
        read[index] = await readHolder(context, id);
      } catch (error) {
        failure ??= { error };
        stop.abort();
      }
    },
    stop.signal,
  );
  if (failure) throw failure.error;
  return { holders: read.filter((holder): holder is Holder => holder !== undefined), unread: context.eligibleUnread ? [context.eligibleUnread] : [] };
}

/** One holder: the principal, its directory roles (active, then eligible) and its app registration when this tenant owns it. */
async function readHolder(context: HolderContext, id: string): Promise<Holder | undefined> {
  const { graph, names } = context;
  const sp = await getOrGone(graph, `servicePrincipals/${id}?$select=id,appId,displayName,servicePrincipalType,appOwnerOrganizationId`);
  if (!sp) return undefined;
  const directoryRoles: DirectoryRoleHolding[] = (await graph.list(`roleManagement/directory/roleAssignments?$filter=principalId eq ${quote(id)}`)).map((a) => ({
    roleTemplateId: String(a.roleDefinitionId),
    roleName: names.name(String(a.roleDefinitionId)),
    kind: "active",
    directoryScopeId: String(a.directoryScopeId ?? "/"),
    assignmentId: String(a.id),
  }));
  directoryRoles.push(...(await eligibleRoles(context, id)));
  const owner = str(sp.appOwnerOrganizationId);
  const appId = String(sp.appId);
  const application = owner?.toLowerCase() === context.tenantId.toLowerCase() ? await readApplication(graph, appId) : undefined;
  return {
    servicePrincipalObjectId: id,
    appId,
    displayName: String(sp.displayName ?? ""),
    servicePrincipalType: String(sp.servicePrincipalType ?? "Application"),
    ...(owner ? { appOwnerOrganizationId: owner } : {}),
    grants: context.grants.get(id) ?? [],
    directoryRoles,
    ...(application ? { application } : {}),
  };
}

/** PIM eligibility, while the auditor may read it: the first 403 is reported once and the rest are not asked. */
async function eligibleRoles(context: HolderContext, id: string): Promise<DirectoryRoleHolding[]> {
  if (context.eligibleUnread) return [];
  try {
    return (await context.graph.list(`roleManagement/directory/roleEligibilityScheduleInstances?$filter=principalId eq ${quote(id)}`)).map((e) => ({
      roleTemplateId: String(e.roleDefinitionId),
      roleName: context.names.name(String(e.roleDefinitionId)),
      kind: "eligible",
      directoryScopeId: String(e.directoryScopeId ?? "/"),
    }));
  } catch (error) {
    if (!(error instanceof GraphError) || error.status !== 403) throw error;
    context.eligibleUnread ??= {
      part: "eligibleRoles",
      reason: `Graph answered 403 (${error.code}): reading PIM eligibility needs RoleEligibilitySchedule.Read.Directory (or RoleManagement.Read.Directory); active roles are read`,
    };
    return [];
  }
}

/** An app registration of this tenant: credentials, federated credentials, owners; undefined when it is gone. */
async function readApplication(graph: GraphReader, appId: string): Promise<Holder["application"]> {
  const app = await getOrGone(graph, `applications(appId=${quote(appId)})?$select=id,passwordCredentials,keyCredentials`);
  if (!app) return undefined;
  const objectId = String(app.id);
  const federated = await graph.list(`applications/${objectId}/federatedIdentityCredentials`);
  const owners = await graph.list(`applications/${objectId}/owners?$select=id,displayName,userPrincipalName`);
  return {
    objectId,
    credentials: credentialsOf(app),
    federatedCredentials: federated.map((f) => ({ name: String(f.name), issuer: String(f.issuer), subject: String(f.subject) })),
    owners: owners.map((o) => String(o.userPrincipalName ?? o.displayName ?? o.id)),
  };
}
