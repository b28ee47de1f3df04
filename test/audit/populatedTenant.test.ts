/**
 * The audit's reading of a populated emulated tenant over HTTPS (httpGraphReader and httpExchangeReader, as the CLI
 * wires them): every holder of every kind read by value, with pages, throttling on Graph and on Exchange, a holder
 * deleted between two reads, an auditor Exchange does not let read its RBAC; and judge() firing each rule on exactly
 * the holders of its kind.
 */
import { httpExchangeReader } from "../../src/audit/exchangeHttp";
import { httpGraphReader } from "../../src/audit/graphHttp";
import { judge, type RuleId } from "../../src/audit/judge";
import type { AuditReading, Holder } from "../../src/audit/model";
import { readTenant } from "../../src/audit/readTenant";
import { CLOUDS, EOP_MANAGE_AS_APP_ROLE, MANAGE_AS_APP_ROLE, type CloudName } from "../../src/facts";
import { HttpTransport } from "../../src/net/http";
import { EMULATED_MANAGE_AS_APP_V2_ROLE_ID, startEmulator, type TenantEmulator } from "../emulator";
import { HOLDER_KINDS, populateTenant, type Auditor, type HolderKind, type PopulatedTenant } from "../emulator/populated";
import { secretToken } from "../emulator/scenario";

let emu: TenantEmulator;
beforeAll(async () => {
  emu = await startEmulator({ graphPageSize: 10 });
});
afterAll(async () => {
  await emu.close();
});

async function tokenFor(auditor: Auditor, resource: string): Promise<string> {
  const answer = await secretToken(emu, auditor, `${resource}/.default`);
  if (answer.status !== 200) throw new Error(`token ${answer.status}`);
  return answer.json<{ access_token: string }>().access_token;
}

async function read(t: PopulatedTenant, auditor: Auditor, environment: CloudName = "public"): Promise<AuditReading> {
  const deadline = Date.now() + 60_000;
  const transport = new HttpTransport({ ca: emu.caPem, deadline });
  const graphToken = await tokenFor(auditor, CLOUDS[environment].graphResource);
  const exchangeToken = await tokenFor(auditor, CLOUDS[environment].exchangeResource);
  return readTenant({
    graph: httpGraphReader(transport, { baseUrl: emu.url, token: async () => graphToken, deadline }),
    exchange: httpExchangeReader(transport, { baseUrl: emu.url, tenantId: t.tenantId, token: async () => exchangeToken, deadline }),
    tenantId: t.tenantId,
    environment,
    now: () => new Date(t.now),
  });
}

const holderOf = (reading: AuditReading, t: PopulatedTenant, kind: HolderKind): Holder => {
  const found = reading.holders.find((h) => h.servicePrincipalObjectId === t.holders[kind].servicePrincipalObjectId);
  if (!found) throw new Error(`${kind} was not read`);
  return found;
};

describe("readTenant over the emulated populated tenant", () => {
  let t: PopulatedTenant;
  let reading: AuditReading;
  beforeAll(async () => {
    t = populateTenant(emu);
    t.deleteBetweenReads();
    emu.clearRequests();
    emu.faults.inject({ kind: "graph", retryAfterSeconds: 1 });
    emu.faults.inject({ kind: "invoke", retryAfterSeconds: 1 });
    reading = await read(t, t.auditor);
  });

  it("reads every holder once, through pages and throttling, leaving out the one deleted between two reads", () => {
    const expected = [...HOLDER_KINDS.filter((k) => k !== "doomed").map((k) => t.holders[k]), ...t.fillers, t.auditor, t.auditorWithoutExchangeView].map((h) => h.servicePrincipalObjectId);
    expect(reading.holders.map((h) => h.servicePrincipalObjectId).sort()).toEqual([...expected].sort());
    expect(emu.directory.getServicePrincipal(t.tenantId, t.holders.doomed.servicePrincipalObjectId)).toBeUndefined();
    const graph = emu.requests.filter((r) => r.kind === "graph");
    expect(graph.filter((r) => r.path.endsWith("/appRoleAssignedTo")).length).toBeGreaterThan(3);
    expect(graph.filter((r) => r.status === 429)).toHaveLength(1);
    expect(emu.requests.filter((r) => r.kind === "invoke" && r.status === 429)).toHaveLength(1);
    expect(reading).toMatchObject({ tenantId: t.tenantId, organization: t.tenant.organization, environment: "public", readAt: new Date(t.now).toISOString(), unread: [] });
  });

  it("resolves grants by value from the resource principals' appRoles, on Exchange Online and on Exchange Online Protection", () => {
    const exo = t.tenant.exchangeServicePrincipalObjectId;
    expect(holderOf(reading, t, "fullAccessUnscoped").grants).toEqual([expect.objectContaining({ resource: "exchange", value: "full_access_as_app", resourceObjectId: exo })]);
    expect(holderOf(reading, t, "manageAsAppV2").grants).toEqual([expect.objectContaining({ value: "Exchange.ManageAsAppV2", appRoleId: EMULATED_MANAGE_AS_APP_V2_ROLE_ID })]);
    expect(holderOf(reading, t, "protection").grants.map((g) => [g.resource, g.value, g.appRoleId])).toEqual([
      ["exchange", MANAGE_AS_APP_ROLE.value, MANAGE_AS_APP_ROLE.id],
      ["protection", EOP_MANAGE_AS_APP_ROLE.value, EOP_MANAGE_AS_APP_ROLE.id],
    ]);
    const consent = emu.directory.listAssignments(t.tenantId).appRoleAssignments.find((a) => a.principalObjectId === t.holders.noRole.servicePrincipalObjectId)!;
    expect(holderOf(reading, t, "noRole").grants).toEqual([{ resource: "exchange", appRoleId: MANAGE_AS_APP_ROLE.id, value: MANAGE_AS_APP_ROLE.value, assignmentId: consent.id, resourceObjectId: exo }]);
    expect(holderOf(reading, t, "roleWithoutConsent").grants).toEqual([]);
  });

  it("reads directory roles, active and eligible through PIM, by the tenant's names", () => {
    expect(holderOf(reading, t, "globalAdministrator").directoryRoles).toEqual([expect.objectContaining({ roleName: "Global Administrator", kind: "active", directoryScopeId: "/", assignmentId: expect.any(String) })]);
    expect(holderOf(reading, t, "eligibleOnly").directoryRoles).toEqual([expect.objectContaining({ roleName: "Exchange Administrator", kind: "eligible" })]);
    expect(holderOf(reading, t, "noRole").directoryRoles).toEqual([]);
  });

  it("reads the tenant's own apps' credentials (dates, never values), federated subjects and owners; not a vendor's app, not a managed identity's", () => {
    const expiring = holderOf(reading, t, "expiringCertificate").application!;
    expect(expiring.credentials).toEqual([expect.objectContaining({ kind: "certificate", endDateTime: new Date(t.now + 10 * 86_400_000).toISOString() })]);
    expect(holderOf(reading, t, "threeSecrets").application!.credentials.map((c) => c.kind)).toEqual(["secret", "secret", "secret"]);
    expect(holderOf(reading, t, "githubNameSubject").application!.federatedCredentials.map((f) => f.subject).sort()).toEqual([
      "repo:contoso/exchange-infra:ref:refs/heads/main",
      "repo:contoso@1234567/exchange-infra@89012345:ref:refs/heads/main",
    ]);
    expect(holderOf(reading, t, "exchangeAdministrator").application!.owners).toEqual(["ada@contoso.example"]);
    const auditorSecret = emu.directory.getApplicationByClientId(t.tenantId, t.auditor.clientId)!.passwords[0]!.secretText;
    expect(JSON.stringify(reading)).not.toContain(auditorSecret);
    expect(holderOf(reading, t, "foreignWriter")).toMatchObject({ appOwnerOrganizationId: t.vendorTenantId, servicePrincipalType: "Application" });
    expect(holderOf(reading, t, "foreignWriter").application).toBeUndefined();
    expect(holderOf(reading, t, "managedIdentity")).toMatchObject({ servicePrincipalType: "ManagedIdentity" });
    expect(holderOf(reading, t, "managedIdentity").application).toBeUndefined();
  });

  it("reads Exchange's RBAC: registration, direct assignments with their scope, role groups", () => {
    expect(holderOf(reading, t, "fullAccessScoped").exchangeRbac).toEqual({ registered: true, roleAssignments: [{ role: "Application EWS.AccessAsApp", scope: "Finance mailboxes" }], roleGroups: [] });
    expect(holderOf(reading, t, "rbacOnly").exchangeRbac).toEqual({ registered: true, roleAssignments: [], roleGroups: ["Recipient writers"] });
    expect(holderOf(reading, t, "noRole").exchangeRbac).toEqual({ registered: false, roleAssignments: [], roleGroups: [] });
  });

  it("judge() fires each rule on exactly the holders of its kind", () => {
    const managed = [{ stack: "prod", clientId: t.holders.exchangeAdministrator.clientId }];
    const { findings, managedBy } = judge(reading, { managed });
    const firing = (rule: RuleId) => findings.filter((f) => f.rule === rule).map((f) => f.principal.servicePrincipalObjectId).sort();
    const ids = (...kinds: HolderKind[]) => kinds.map((k) => t.holders[k].servicePrincipalObjectId).sort();
    expect(firing("wiring.no-role")).toEqual(ids("noRole", "eligibleOnly"));
    expect(firing("wiring.no-consent")).toEqual(ids("roleWithoutConsent"));
    expect(firing("wiring.no-protection-permission")).toEqual([]);
    expect(firing("privilege.global-administrator")).toEqual(ids("globalAdministrator"));
    expect(firing("privilege.exchange-administrator")).toEqual(ids("exchangeAdministrator"));
    expect(firing("privilege.full-access-unscoped")).toEqual(ids("fullAccessUnscoped"));
    expect(firing("privilege.foreign-write")).toEqual(ids("foreignWriter"));
    expect(firing("credential.expired")).toEqual(ids("expiredSecret"));
    expect(firing("credential.expiring")).toEqual(ids("expiringCertificate"));
    expect(firing("credential.secret-beside-certificate")).toEqual(ids("secretBesideCertificate"));
    expect(firing("credential.too-many-secrets")).toEqual(ids("threeSecrets"));
    expect(firing("credential.github-name-subject")).toEqual(ids("githubNameSubject"));
    expect(managedBy).toEqual({ [t.holders.exchangeAdministrator.servicePrincipalObjectId]: "prod" });
    expect(firing("unmanaged")).toEqual(reading.holders.map((h) => h.servicePrincipalObjectId).filter((id) => id !== t.holders.exchangeAdministrator.servicePrincipalObjectId).sort());
  });
});

describe("an auditor Exchange does not let read its RBAC (Security Reader, no view-only role)", () => {
  it("reads Graph's holders, says which part it could not read and which role to grant, and judges RBAC as unknown", async () => {
    const t = populateTenant(emu, { fillers: 0, bystanders: 0 });
    const reading = await read(t, t.auditorWithoutExchangeView);
    expect(reading.unread).toEqual([{ part: "exchangeRbac", reason: expect.stringMatching(/Exchange refused Get-ServicePrincipal \(401\).*Global Reader/) }]);
    expect(reading.holders.length).toBe(HOLDER_KINDS.length + 2);
    expect(reading.holders.every((h) => h.exchangeRbac === undefined)).toBe(true);
    const noRole = judge(reading).findings.filter((f) => f.rule === "wiring.no-role");
    // rbacOnly's role group cannot be seen: it may be broken, said at medium, beside the two that surely are.
    expect(noRole.find((f) => f.principal.servicePrincipalObjectId === t.holders.rbacOnly.servicePrincipalObjectId)).toMatchObject({ severity: "medium" });
  });
});

describe("a GCC High tenant", () => {
  it("fires wiring.no-protection-permission on the holders with a Security & Compliance role and no Exchange Online Protection permission", async () => {
    const t = populateTenant(emu, { cloud: "usgovernment", fillers: 0, bystanders: 0 });
    const reading = await read(t, t.auditor, "usgovernment");
    const fired = judge(reading).findings.filter((f) => f.rule === "wiring.no-protection-permission").map((f) => f.principal.servicePrincipalObjectId);
    // Compliance Administrator, Global Administrator, Global Reader and Security Reader all work in S&C; "protection" holds EOP's role.
    const expected = [t.holders.complianceWithoutProtection, t.holders.globalAdministrator, t.holders.foreignReader, t.auditor, t.auditorWithoutExchangeView];
    expect(fired.sort()).toEqual(expected.map((h) => h.servicePrincipalObjectId).sort());
    expect(reading.organization).toBe(t.tenant.organization);
  });
});
