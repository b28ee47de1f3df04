/**
 * Reading holders from Graph, over an in-memory Graph that answers the paths the reader asks for and counts them:
 * who is a holder, what is read about each, and that requests grow with the holders, not with the tenant.
 */
import { GraphError, HOLDER_READS_AT_ONCE, readHolders, type GraphReader } from "../../src/audit/readGraph";
import { EXCHANGE_ONLINE_APP_ID, MANAGE_AS_APP_ROLE } from "../../src/facts";

const TENANT = "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7";
const EXO_SP = "e0000000-0000-4000-8000-000000000001";
const RECIPIENT_ADMIN = "31392ffb-586c-42d1-9346-e59415a2cc4e";
const FULL_ACCESS = "dc890d15-9560-4a4c-9b7f-a736ec74ec40";
const sp = (n: number) => `5${String(n).padStart(7, "0")}-0000-4000-8000-000000000000`;

interface FakeTenant {
  principals: Record<string, { appId: string; displayName: string; servicePrincipalType?: string; appOwnerOrganizationId: string }>;
  /** appRoleAssignedTo of Exchange Online's principal. */
  grants: { id: string; principalId: string; principalType: string; appRoleId: string }[];
  roleAssignments: { id: string; principalId: string; roleDefinitionId: string; principalType: "servicePrincipal" | "user" }[];
  applications: Record<string, { id: string; passwordCredentials: unknown[]; keyCredentials: unknown[] }>;
  eligibleForbidden?: boolean;
  /** Principals deleted after the first reads. */
  gone?: string[];
}

/** A Graph answering `t` (a collection whole: paging is the HTTP reader's); every request is counted. */
function fakeGraph(t: FakeTenant): GraphReader & { requests: string[] } {
  const requests: string[] = [];
  const filterId = (path: string) => /eq '([^']+)'/.exec(path)?.[1];
  return {
    requests,
    async get(path) {
      requests.push(path);
      if (path.startsWith(`servicePrincipals(appId='${EXCHANGE_ONLINE_APP_ID}')`)) return { id: EXO_SP, appRoles: [{ id: MANAGE_AS_APP_ROLE.id, value: MANAGE_AS_APP_ROLE.value }, { id: FULL_ACCESS, value: "full_access_as_app" }] };
      const spMatch = /^servicePrincipals\/([^?]+)\?/.exec(path);
      if (spMatch) {
        const p = t.principals[spMatch[1]!];
        if (!p || t.gone?.includes(spMatch[1]!)) throw new GraphError(404, "Request_ResourceNotFound", "gone");
        return { id: spMatch[1], servicePrincipalType: "Application", ...p };
      }
      const appMatch = /^applications\(appId='([^']+)'\)/.exec(path);
      if (appMatch && t.applications[appMatch[1]!]) return t.applications[appMatch[1]!]!;
      throw new GraphError(404, "Request_ResourceNotFound", `no ${path}`);
    },
    async list(path) {
      requests.push(path);
      if (path === `servicePrincipals/${EXO_SP}/appRoleAssignedTo?$top=999`) return t.grants;
      if (path.startsWith("roleManagement/directory/roleDefinitions")) return [{ id: RECIPIENT_ADMIN, templateId: RECIPIENT_ADMIN, displayName: "Exchange Recipient Administrator" }];
      if (path.startsWith("roleManagement/directory/roleAssignments?$filter=roleDefinitionId")) {
        const role = filterId(path);
        return t.roleAssignments.filter((a) => a.roleDefinitionId === role).map((a) => ({ ...a, principal: { "@odata.type": `#microsoft.graph.${a.principalType}` } }));
      }
      if (path.startsWith("roleManagement/directory/roleAssignments?$filter=principalId")) return t.roleAssignments.filter((a) => a.principalId === filterId(path)).map((a) => ({ ...a, directoryScopeId: "/" }));
      if (path.startsWith("roleManagement/directory/roleEligibilityScheduleInstances")) {
        if (t.eligibleForbidden) throw new GraphError(403, "Authorization_RequestDenied", "denied");
        return [];
      }
      if (/^applications\/[^/]+\/(federatedIdentityCredentials|owners)/.test(path)) return [];
      throw new GraphError(404, "Request_ResourceNotFound", `no ${path}`);
    },
  };
}

/** A tenant with `others` service principals that hold nothing, and three holders: consent + role, consent only, role only. */
function tenant(others: number): FakeTenant {
  const principals: FakeTenant["principals"] = {};
  for (let n = 0; n < others + 3; n++) principals[sp(n)] = { appId: `a${String(n).padStart(7, "0")}-0000-4000-8000-000000000000`, displayName: `app ${n}`, appOwnerOrganizationId: TENANT };
  return {
    principals,
    grants: [
      { id: "g0", principalId: sp(0), principalType: "ServicePrincipal", appRoleId: MANAGE_AS_APP_ROLE.id },
      { id: "g1", principalId: sp(1), principalType: "ServicePrincipal", appRoleId: FULL_ACCESS },
      { id: "g-user", principalId: "user-1", principalType: "User", appRoleId: FULL_ACCESS },
    ],
    roleAssignments: [
      { id: "r0", principalId: sp(0), roleDefinitionId: RECIPIENT_ADMIN, principalType: "servicePrincipal" },
      { id: "r2", principalId: sp(2), roleDefinitionId: RECIPIENT_ADMIN, principalType: "servicePrincipal" },
      { id: "r-user", principalId: "user-2", roleDefinitionId: RECIPIENT_ADMIN, principalType: "user" },
    ],
    applications: { [principals[sp(0)]!.appId]: { id: "obj-0", passwordCredentials: [{ keyId: "s1", displayName: "ci", endDateTime: "2027-01-01T00:00:00Z" }], keyCredentials: [] } },
  };
}

describe("readHolders", () => {
  it("holders are the principals with an Exchange app role or an accepted role, users left out; each with its grants, roles and app", async () => {
    const { holders, unread } = await readHolders(fakeGraph(tenant(5)), TENANT);
    expect(holders.map((h) => h.servicePrincipalObjectId)).toEqual([sp(0), sp(1), sp(2)]);
    const [both, consentOnly, roleOnly] = holders;
    expect(both!.grants).toEqual([{ resource: "exchange", appRoleId: MANAGE_AS_APP_ROLE.id, value: MANAGE_AS_APP_ROLE.value, assignmentId: "g0", resourceObjectId: EXO_SP }]);
    expect(both!.directoryRoles).toEqual([{ roleTemplateId: RECIPIENT_ADMIN, roleName: "Exchange Recipient Administrator", kind: "active", directoryScopeId: "/", assignmentId: "r0" }]);
    expect(both!.application).toEqual({ objectId: "obj-0", credentials: [{ kind: "secret", keyId: "s1", displayName: "ci", endDateTime: "2027-01-01T00:00:00Z" }], federatedCredentials: [], owners: [] });
    expect(consentOnly!.grants.map((g) => g.value)).toEqual(["full_access_as_app"]);
    expect(roleOnly!.grants).toEqual([]);
    expect(unread).toEqual([]);
  });

  it("sends the same requests for a tenant of 10 principals and of 1,000: they grow with the holders", async () => {
    const small = fakeGraph(tenant(10));
    const large = fakeGraph(tenant(1000));
    await readHolders(small, TENANT);
    await readHolders(large, TENANT);
    expect(large.requests).toEqual(small.requests);
  });

  it("a holder deleted between two reads is left out; PIM eligibility it may not read is reported as not read, once", async () => {
    const t = { ...tenant(0), gone: [sp(1)], eligibleForbidden: true };
    const { holders, unread } = await readHolders(fakeGraph(t), TENANT);
    expect(holders.map((h) => h.servicePrincipalObjectId)).toEqual([sp(0), sp(2)]);
    expect(unread).toEqual([{ part: "eligibleRoles", reason: expect.stringContaining("RoleEligibilitySchedule.Read.Directory") }]);
  });

  it("reads holders at most HOLDER_READS_AT_ONCE at a time and returns them in object id order", async () => {
    const t = tenant(0);
    const many = 30;
    for (let n = 3; n < 3 + many; n++) {
      t.principals[sp(n)] = { appId: `a${String(n).padStart(7, "0")}-0000-4000-8000-000000000000`, displayName: `app ${n}`, appOwnerOrganizationId: TENANT };
      t.grants.push({ id: `g${n}`, principalId: sp(n), principalType: "ServicePrincipal", appRoleId: MANAGE_AS_APP_ROLE.id });
    }
    const graph = fakeGraph(t);
    let inFlight = 0;
    let most = 0;
    const slow = <A extends unknown[], R>(call: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      try {
        return await call(...args);
      } finally {
        inFlight--;
      }
    };
    const { holders } = await readHolders({ get: slow(graph.get), list: slow(graph.list) }, TENANT);
    expect(holders).toHaveLength(3 + many);
    expect(holders.map((h) => h.servicePrincipalObjectId)).toEqual(Array.from({ length: 3 + many }, (_, n) => sp(n)).sort());
    expect(most).toBe(HOLDER_READS_AT_ONCE);
  });

  it("a holder's read failing stops the others from starting and fails the reading with that error", async () => {
    const t = tenant(0);
    for (let n = 3; n < 40; n++) {
      t.principals[sp(n)] = { appId: `a${String(n).padStart(7, "0")}-0000-4000-8000-000000000000`, displayName: `app ${n}`, appOwnerOrganizationId: TENANT };
      t.grants.push({ id: `g${n}`, principalId: sp(n), principalType: "ServicePrincipal", appRoleId: MANAGE_AS_APP_ROLE.id });
    }
    const graph = fakeGraph(t);
    const failing: GraphReader = {
      list: graph.list,
      get: async (path) => (path.startsWith(`servicePrincipals/${sp(0)}?`) ? Promise.reject(new GraphError(500, "UnknownError", "boom")) : graph.get(path)),
    };
    await expect(readHolders(failing, TENANT)).rejects.toMatchObject({ status: 500, code: "UnknownError" });
    const principalReads = graph.requests.filter((path) => /^servicePrincipals\/[^?]+\?/.test(path));
    expect(principalReads.length).toBeLessThan(40 - 1);
  });

  it("a failure other than not-found or a forbidden PIM read fails the reading with Graph's status and code", async () => {
    const graph = fakeGraph(tenant(0));
    const failing: GraphReader = { get: graph.get, list: async (path) => (path.includes("appRoleAssignedTo") ? Promise.reject(new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges")) : graph.list(path)) };
    await expect(readHolders(failing, TENANT)).rejects.toMatchObject({ status: 403, code: "Authorization_RequestDenied" });
  });
});
