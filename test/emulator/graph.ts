/**
 * Microsoft Graph v1.0 as the audit reads it (src/audit/readGraph.ts): `GET {emu.url}/v1.0/<path>`, derived from the
 * directory's visible state. The tenant is the token's `tid` (Graph has no tenant in its paths); the token must be the
 * emulator's, for the tenant cloud's Graph resource, and its `roles` must hold a permission the endpoint takes
 * (Microsoft's Graph reference, least privileged first), else 403 Authorization_RequestDenied as Graph answers.
 *
 * Collections page with `@odata.nextLink` (`$skiptoken`, stable across deletions): `$top` rows a page (100 when absent, as Graph's default),
 * at most the emulator's `graphPageSize`. `$filter` is understood in the forms the reader sends
 * (`roleDefinitionId eq '…'`, `principalId eq '…'`); `$select` is ignored (every property is sent).
 *
 * Modelled, not Microsoft's: the 404 wording; first-party principals' `appOwnerOrganizationId` is "Microsoft Services"
 * (f8cdef31-…); a managed identity's is absent; passwords and certificates without an end date end two years after
 * they were added (a certificate: its own notAfter).
 */
import { X509Certificate } from "node:crypto";
import { errors as joseErrors, type JWTPayload } from "jose";
import { CLOUDS, EXCHANGE_ROLES, MICROSOFT_GRAPH_APP_ID } from "../../src/facts";
import type { ServicePrincipalRecord, TenantRecord } from "./directory";
import type { Answer, EntraContext } from "./entra";
import { verifyJwt } from "./tokens";

/** "Microsoft Services": the tenant Microsoft's first-party apps are registered in (FACTS.md). */
export const MICROSOFT_SERVICES_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

/** Built-in role definitions Graph lists: the ones Exchange accepts, and two it does not. */
const ROLE_DEFINITIONS: readonly { id: string; displayName: string }[] = [
  ...EXCHANGE_ROLES.map((r) => ({ id: r.templateId, displayName: r.name })),
  { id: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", displayName: "Application Administrator" },
  { id: "fe930be7-5e62-47db-91af-98c3a49a38b1", displayName: "User Administrator" },
];

const APPLICATION_READ = ["Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All"];
const ROLE_READ = ["RoleManagement.Read.Directory", "RoleManagement.Read.All", "RoleManagement.ReadWrite.Directory", "Directory.Read.All"];
const ELIGIBILITY_READ = ["RoleEligibilitySchedule.Read.Directory", "RoleManagement.Read.Directory", "RoleManagement.Read.All", "RoleManagement.ReadWrite.Directory"];
const ORGANIZATION_READ = ["Organization.Read.All", "Directory.Read.All"];
const DEFAULT_TOP = 100;
const MAX_TOP = 999;
const TOKEN_CLOCK_TOLERANCE_SECONDS = 300;
const TWO_YEARS_MS = 730 * 86_400_000;

export interface GraphContext extends EntraContext {
  /** Rows a page at most (default 999, Graph's largest `$top`). */
  readonly graphPageSize: number;
}

/** Called after each Graph answer is made, before it is sent: a test changes the tenant between two reads. */
export type GraphHook = (path: string, body: unknown) => void;

const error = (status: number, code: string, message: string, tenantId?: string): Answer => ({ status, body: { error: { code, message, innerError: { date: new Date().toISOString(), "request-id": "00000000-0000-4000-8000-000000000000" } } }, ...(tenantId ? { tenantId } : {}) });
const notFound = (what: string, tenantId: string) => error(404, "Request_ResourceNotFound", `Resource '${what}' does not exist or one of its queried reference-property objects are not present.`, tenantId);

export class GraphSurface {
  private readonly hooks: GraphHook[] = [];

  constructor(private readonly ctx: GraphContext) {}

  /** Runs `hook` after every Graph answer from now on (until `clearHooks`). */
  afterAnswer(hook: GraphHook): void {
    this.hooks.push(hook);
  }

  clearHooks(): void {
    this.hooks.length = 0;
  }

  async handle(pathname: string, search: URLSearchParams, headers: Record<string, string | string[] | undefined>): Promise<Answer> {
    const path = pathname.replace(/^\/v1\.0\//, "");
    const auth = typeof headers.authorization === "string" ? /^Bearer\s+(\S+)$/i.exec(headers.authorization) : null;
    if (!auth) return error(401, "InvalidAuthenticationToken", "Access token is empty.");
    let claims: JWTPayload;
    try {
      claims = await verifyJwt(auth[1]!, [this.ctx.tokenKey], this.ctx.nowSeconds(), TOKEN_CLOCK_TOLERANCE_SECONDS);
    } catch (e) {
      return error(401, "InvalidAuthenticationToken", e instanceof joseErrors.JWTExpired ? "Lifetime validation failed, the token is expired." : "Access token validation failure. Invalid signature.");
    }
    const tenant = typeof claims.tid === "string" ? this.ctx.directory.findTenant(claims.tid) : undefined;
    if (!tenant) return error(401, "InvalidAuthenticationToken", "Access token validation failure: unknown tenant.");
    const graph = CLOUDS[tenant.cloud].graphResource;
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!aud.some((a) => a === graph || a === `${graph}/` || a === MICROSOFT_GRAPH_APP_ID)) {
      return error(401, "InvalidAuthenticationToken", `Access token validation failure. Invalid audience: Graph expects '${graph}'.`, tenant.tenantId);
    }
    const roles = new Set(Array.isArray(claims.roles) ? claims.roles.map(String) : []);
    const answer = this.route(tenant, path, search, roles);
    const withTenant = { ...answer, tenantId: tenant.tenantId };
    for (const hook of [...this.hooks]) hook(path, withTenant.body);
    return withTenant;
  }

  private route(tenant: TenantRecord, path: string, q: URLSearchParams, roles: Set<string>): Answer {
    const may = (needed: readonly string[]) => needed.some((r) => roles.has(r));
    const denied = () => error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.", tenant.tenantId);
    const d = this.ctx.directory;
    const visible = <T extends { visibleAt: number; createdAt: number }>(items: Iterable<T>) => [...items].filter((x) => d.isVisible(x));
    let m: RegExpExecArray | null;
    if ((m = /^servicePrincipals\(appId='([^']+)'\)$/.exec(path))) {
      if (!may(APPLICATION_READ)) return denied();
      const sp = d.findServicePrincipalByClientId(tenant, m[1]!, { visibleOnly: true });
      return sp ? ok(servicePrincipalView(tenant, sp)) : notFound(m[1]!, tenant.tenantId);
    }
    if ((m = /^servicePrincipals\/([^/]+)$/.exec(path))) {
      if (!may(APPLICATION_READ)) return denied();
      const sp = tenant.servicePrincipals.get(m[1]!);
      return sp && d.isVisible(sp) ? ok(servicePrincipalView(tenant, sp)) : notFound(m[1]!, tenant.tenantId);
    }
    if ((m = /^servicePrincipals\/([^/]+)\/appRoleAssignedTo$/.exec(path))) {
      if (!may(APPLICATION_READ)) return denied();
      const resource = tenant.servicePrincipals.get(m[1]!);
      if (!resource || !d.isVisible(resource)) return notFound(m[1]!, tenant.tenantId);
      const rows = visible(tenant.appRoleAssignments.values())
        .filter((a) => a.resourceObjectId === resource.objectId)
        .map((a) => ({
          id: a.id,
          appRoleId: a.appRoleId,
          principalId: a.principalObjectId,
          principalType: "ServicePrincipal",
          principalDisplayName: tenant.servicePrincipals.get(a.principalObjectId)?.displayName ?? null,
          resourceId: resource.objectId,
          resourceDisplayName: resource.displayName,
          createdDateTime: new Date(a.createdAt).toISOString(),
        }));
      return this.page(path, q, rows);
    }
    if (path === "roleManagement/directory/roleDefinitions") {
      if (!may(ROLE_READ)) return denied();
      return this.page(path, q, ROLE_DEFINITIONS.map((r) => ({ id: r.id, templateId: r.id, displayName: r.displayName, isBuiltIn: true, isEnabled: true })));
    }
    if (path === "roleManagement/directory/roleAssignments") {
      if (!may(ROLE_READ)) return denied();
      const filter = parseFilter(q.get("$filter"));
      const expand = (q.get("$expand") ?? "").startsWith("principal");
      const rows = visible(tenant.directoryRoleAssignments.values())
        .filter((a) => !filter || (filter.field === "roleDefinitionId" ? a.roleTemplateId === filter.value : a.principalObjectId === filter.value))
        .map((a) => ({
          id: a.id,
          roleDefinitionId: a.roleTemplateId,
          principalId: a.principalObjectId,
          directoryScopeId: a.directoryScopeId,
          ...(expand ? { principal: { "@odata.type": "#microsoft.graph.servicePrincipal", id: a.principalObjectId } } : {}),
        }));
      return this.page(path, q, rows);
    }
    if (path === "roleManagement/directory/roleEligibilityScheduleInstances") {
      if (!may(ELIGIBILITY_READ)) return denied();
      const filter = parseFilter(q.get("$filter"));
      const rows = visible(tenant.roleEligibilities.values())
        .filter((e) => !filter || (filter.field === "roleDefinitionId" ? e.roleTemplateId === filter.value : e.principalObjectId === filter.value))
        .map((e) => ({ id: e.id, roleDefinitionId: e.roleTemplateId, principalId: e.principalObjectId, directoryScopeId: e.directoryScopeId, memberType: "Direct", startDateTime: new Date(e.createdAt).toISOString(), endDateTime: null }));
      return this.page(path, q, rows);
    }
    if ((m = /^applications\(appId='([^']+)'\)$/.exec(path))) {
      if (!may(APPLICATION_READ)) return denied();
      const app = d.visibleApplicationByClientId(tenant, m[1]!);
      if (!app) return notFound(m[1]!, tenant.tenantId);
      return ok({
        id: app.objectId,
        appId: app.clientId,
        displayName: app.displayName,
        signInAudience: app.signInAudience,
        // Graph never returns a secret's value after creation: a hint of three characters at most.
        passwordCredentials: visible(app.passwords).map((p) => ({ keyId: p.keyId, displayName: p.displayName ?? null, hint: p.secretText.slice(0, 3), startDateTime: new Date(p.createdAt).toISOString(), endDateTime: p.endDate ?? new Date(p.createdAt + TWO_YEARS_MS).toISOString() })),
        keyCredentials: visible(app.certificates).map((c) => ({ keyId: c.keyId, type: "AsymmetricX509Cert", usage: "Verify", displayName: null, startDateTime: new Date(c.createdAt).toISOString(), endDateTime: c.endDate ?? new Date(new X509Certificate(c.certificatePem).validTo).toISOString() })),
      });
    }
    if ((m = /^applications\/([^/]+)\/(federatedIdentityCredentials|owners)$/.exec(path))) {
      if (!may(APPLICATION_READ)) return denied();
      const app = tenant.applications.get(m[1]!);
      if (!app || !d.isVisible(app)) return notFound(m[1]!, tenant.tenantId);
      if (m[2] === "owners") return this.page(path, q, app.owners.map((o) => ({ "@odata.type": "#microsoft.graph.user", id: o.id, displayName: o.displayName, userPrincipalName: o.userPrincipalName ?? null })));
      return this.page(path, q, visible(app.federatedCredentials).map((f) => ({ id: f.id, name: f.name, issuer: f.issuer, subject: f.subject, audiences: f.audiences })));
    }
    if (path === "organization") {
      if (!may(ORGANIZATION_READ)) return denied();
      return this.page(path, q, [{ id: tenant.tenantId, displayName: tenant.organization.split(".")[0], verifiedDomains: [{ name: tenant.organization, isInitial: true, isDefault: true, type: "Managed", capabilities: "Email, OfficeCommunicationsOnline" }] }]);
    }
    return error(400, "BadRequest", `Resource not found for the segment '${path.split("/")[0]}'.`, tenant.tenantId);
  }

  /**
   * One page of a collection and, when more follow, the link to the next. The `$skiptoken` is the last id sent and
   * rows go in id order, so a row deleted between two pages shifts nothing (as Graph's opaque tokens behave).
   */
  private page(path: string, q: URLSearchParams, rows: readonly Record<string, unknown>[]): Answer {
    const top = Math.min(Number(q.get("$top")) > 0 ? Math.min(Number(q.get("$top")), MAX_TOP) : DEFAULT_TOP, this.ctx.graphPageSize);
    const after = q.get("$skiptoken");
    const ordered = [...rows].sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1)).filter((r) => after === null || String(r.id) > after);
    const value = ordered.slice(0, top);
    const next = new URLSearchParams(q);
    if (value.length > 0) next.set("$skiptoken", String(value[value.length - 1]!.id));
    const more = ordered.length > top;
    return ok({ "@odata.context": `${this.ctx.url}/v1.0/$metadata#${path}`, value, ...(more ? { "@odata.nextLink": `${this.ctx.url}/v1.0/${path}?${next.toString()}` } : {}) });
  }
}

const ok = (body: unknown): Answer => ({ status: 200, headers: { "content-type": "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8" }, body });

function parseFilter(filter: string | null): { field: "roleDefinitionId" | "principalId"; value: string } | undefined {
  const m = filter ? /^(roleDefinitionId|principalId) eq '([^']*)'$/.exec(filter.trim()) : null;
  return m ? { field: m[1] as "roleDefinitionId" | "principalId", value: m[2]!.toLowerCase() } : undefined;
}

function servicePrincipalView(tenant: TenantRecord, sp: ServicePrincipalRecord): Record<string, unknown> {
  const owner = sp.firstParty ? MICROSOFT_SERVICES_TENANT : sp.managedIdentity ? null : (sp.appOwnerTenantId ?? tenant.tenantId);
  return {
    id: sp.objectId,
    appId: sp.clientId,
    displayName: sp.displayName,
    servicePrincipalType: sp.managedIdentity ? "ManagedIdentity" : "Application",
    appOwnerOrganizationId: owner,
    accountEnabled: true,
    appRoles: sp.appRoles.map((r) => ({ id: r.id, value: r.value, displayName: r.displayName, allowedMemberTypes: r.allowedMemberTypes, isEnabled: r.enabled })),
    servicePrincipalNames: sp.servicePrincipalNames,
  };
}
