/**
 * The tenant reading the audit command takes: holders from a fake Graph, Exchange's RBAC from a fake Exchange merged
 * onto them, the initial domain, and the parts not read, each with why.
 */
import type { CmdletAnswer } from "../../src/exchange";
import type { ExchangeReader } from "../../src/audit/exchangeHttp";
import { GraphError, type GraphReader } from "../../src/audit/readGraph";
import { readTenant } from "../../src/audit/readTenant";
import { EXCHANGE_ONLINE_APP_ID, MANAGE_AS_APP_ROLE } from "../../src/facts";

const TENANT = "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7";
const EXO_SP = "e0000000-0000-4000-8000-000000000001";
const HOLDER = "50000001-0000-4000-8000-000000000000";
const HOLDER_APP = "a0000001-0000-4000-8000-000000000000";
const READ_AT = new Date("2026-12-06T03:00:00Z");

/** Graph with one holder (consent, no role); `refuse` names path prefixes answered 403. */
function fakeGraph(refuse: string[] = []): GraphReader {
  const denied = (path: string) => {
    if (refuse.some((r) => path.startsWith(r))) throw new GraphError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
  };
  return {
    async get(path) {
      denied(path);
      if (path.startsWith(`servicePrincipals(appId='${EXCHANGE_ONLINE_APP_ID}')`)) return { id: EXO_SP, appRoles: [{ id: MANAGE_AS_APP_ROLE.id, value: MANAGE_AS_APP_ROLE.value }] };
      if (path.startsWith(`servicePrincipals/${HOLDER}?`)) return { id: HOLDER, appId: HOLDER_APP, displayName: "reporting", servicePrincipalType: "Application", appOwnerOrganizationId: TENANT };
      if (path.startsWith("applications(appId=")) return { id: "app-obj", passwordCredentials: [], keyCredentials: [] };
      throw new GraphError(404, "Request_ResourceNotFound", path);
    },
    async list(path) {
      denied(path);
      if (path.startsWith(`servicePrincipals/${EXO_SP}/appRoleAssignedTo`)) return [{ id: "g1", principalId: HOLDER, principalType: "ServicePrincipal", appRoleId: MANAGE_AS_APP_ROLE.id }];
      if (path.startsWith("organization")) return [{ id: TENANT, verifiedDomains: [{ name: "contoso.com", isInitial: false }, { name: "contoso.onmicrosoft.com", isInitial: true }] }];
      return [];
    },
  };
}

function fakeExchange(answer?: CmdletAnswer, initialDomain?: string): ExchangeReader {
  const ok = (value: Record<string, unknown>[]): CmdletAnswer => ({ status: 200, value, warnings: [] });
  return {
    async run(cmdlet) {
      if (answer) return answer;
      if (cmdlet === "Get-ServicePrincipal") return ok([{ ObjectId: HOLDER, AppId: HOLDER_APP, Identity: HOLDER }]);
      if (cmdlet === "Get-RoleGroup") return ok([{ Name: "Reporting", Members: [HOLDER] }]);
      if (cmdlet === "Get-RoleGroupMember") return ok([{ ExternalDirectoryObjectId: HOLDER }]);
      if (cmdlet === "Get-AcceptedDomain" && initialDomain) return ok([{ DomainName: "contoso.com", InitialDomain: false }, { DomainName: initialDomain, InitialDomain: true }]);
      return ok([]);
    },
  };
}

describe("readTenant", () => {
  it("reads the holders, merges Exchange's RBAC onto them, and names the tenant's initial domain and when it was read", async () => {
    const reading = await readTenant({ graph: fakeGraph(), exchange: fakeExchange(), tenantId: TENANT, environment: "public", now: () => READ_AT });
    expect(reading).toMatchObject({ tenantId: TENANT, organization: "contoso.onmicrosoft.com", environment: "public", readAt: "2026-12-06T03:00:00.000Z", unread: [] });
    expect(reading.holders).toHaveLength(1);
    expect(reading.holders[0]).toMatchObject({ servicePrincipalObjectId: HOLDER, grants: [{ value: MANAGE_AS_APP_ROLE.value }], exchangeRbac: { registered: true, roleAssignments: [], roleGroups: ["Reporting"] } });
  });

  it("without an Exchange connection: holders without RBAC, and the part said as not read", async () => {
    const reading = await readTenant({ graph: fakeGraph(), tenantId: TENANT, environment: "public", now: () => READ_AT });
    expect(reading.holders[0]!.exchangeRbac).toBeUndefined();
    expect(reading.unread).toEqual([{ part: "exchangeRbac", reason: expect.stringContaining("no Exchange connection") }]);
  });

  it("an auditor Exchange refuses: holders without RBAC (unknown, not empty) and the role to grant", async () => {
    const refused: CmdletAnswer = { status: 401, value: [], warnings: [], errorText: "User is not allowed to call Get-ServicePrincipal" };
    const reading = await readTenant({ graph: fakeGraph(), exchange: fakeExchange(refused), tenantId: TENANT, environment: "public", now: () => READ_AT });
    expect(reading.holders[0]!.exchangeRbac).toBeUndefined();
    expect(reading.unread).toEqual([{ part: "exchangeRbac", reason: expect.stringMatching(/Global Reader/) }]);
  });

  it("an auditor without Organization.Read.All: the initial domain from Exchange's accepted domains, nothing unread", async () => {
    const reading = await readTenant({ graph: fakeGraph(["organization"]), exchange: fakeExchange(undefined, "fallback.onmicrosoft.com"), tenantId: TENANT, environment: "public", now: () => READ_AT });
    expect(reading.organization).toBe("fallback.onmicrosoft.com");
    expect(reading.unread).toEqual([]);
  });

  it("an auditor without Organization.Read.All, and Exchange does not say it either: no organization, said why; the rest is read", async () => {
    const reading = await readTenant({ graph: fakeGraph(["organization"]), exchange: fakeExchange(), tenantId: TENANT, environment: "public", now: () => READ_AT });
    expect(reading.organization).toBeUndefined();
    expect(reading.unread).toEqual([{ part: "organization", reason: expect.stringContaining("Organization.Read.All") }]);
    expect(reading.holders).toHaveLength(1);
  });

  it("an auditor without Application.Read.All fails with Graph's status and code: there is nothing to audit", async () => {
    await expect(readTenant({ graph: fakeGraph(["servicePrincipals"]), exchange: fakeExchange(), tenantId: TENANT, environment: "public" })).rejects.toMatchObject({ status: 403, code: "Authorization_RequestDenied" });
  });
});
