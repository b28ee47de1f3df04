/** The audit's rules: each fires on the holder it is about and stays quiet on the one beside it that is right. */
import { parse } from "yaml";
import { EOP_MANAGE_AS_APP_ROLE, MANAGE_AS_APP_ROLE } from "../../src/facts";
import { adoptBlock } from "../../src/audit/adoptBlock";
import { judge, RULES, type Finding, type RuleId } from "../../src/audit/judge";
import type { AuditReading, DirectoryRoleHolding, ExchangeGrant, Holder } from "../../src/audit/model";
import { evaluateProgram } from "../../src/cli/evaluate";
import { offlineBackend } from "../../src/mocks/offline";
import { TYPE as T } from "../../src/facts/typeTokens";

const TENANT = "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7";
const READ_AT = "2026-12-01T00:00:00Z";
const EXCHANGE_SP = "c1b2c3d4-1111-4222-8333-444455556666";
const role = (name: string, roleTemplateId: string, kind: "active" | "eligible" = "active"): DirectoryRoleHolding => ({ roleName: name, roleTemplateId, kind, directoryScopeId: "/", assignmentId: `ePROZI_iKE653D_d6aoLHyr-lKgHI8ZGiIdz8CLVcng-${name.length}` });
const EXCHANGE_ADMIN = role("Exchange Administrator", "29232cdf-9323-42fd-ade2-1d097af3e4de");
const RECIPIENT_ADMIN = role("Exchange Recipient Administrator", "31392ffb-586c-42d1-9346-e59415a2cc4e");
const GLOBAL_READER = role("Global Reader", "f2ef992c-3afb-46b9-b7cf-a126ee74c451");
const COMPLIANCE_ADMIN = role("Compliance Administrator", "17315797-102d-40b4-93e0-432062caca18");
const GLOBAL_ADMIN = role("Global Administrator", "62e90394-69f5-4237-9190-012177145e10");
const MANAGE_AS_APP: ExchangeGrant = { resource: "exchange", appRoleId: MANAGE_AS_APP_ROLE.id, value: MANAGE_AS_APP_ROLE.value, assignmentId: "LQPyyKBfgUO4Dkw7aRcnm3x0mjXKs_FMhqn3JY5OXGk", resourceObjectId: EXCHANGE_SP };
const FULL_ACCESS: ExchangeGrant = { resource: "exchange", appRoleId: "dc890d15-9560-4a4c-9b7f-a736ec74ec40", value: "full_access_as_app", assignmentId: "Mx0mjXKs_FMhqn3JY5OXGkLQPyyKBfgUO4Dkw7aRcnm", resourceObjectId: EXCHANGE_SP };
const EOP_MANAGE_AS_APP: ExchangeGrant = { resource: "protection", appRoleId: EOP_MANAGE_AS_APP_ROLE.id, value: EOP_MANAGE_AS_APP_ROLE.value, assignmentId: "eop-assignment", resourceObjectId: "d1b2c3d4-1111-4222-8333-444455556666" };
const NO_RBAC = { registered: false, roleAssignments: [], roleGroups: [] };

/** A well-wired app of this tenant: ManageAsApp, Exchange Recipient Administrator, one certificate a year out. */
function holder(overrides: Partial<Holder> = {}): Holder {
  return {
    servicePrincipalObjectId: "b1b2c3d4-1111-4222-8333-444455556666",
    appId: "3f8a1b2c-4d5e-4f60-8a71-92b3c4d5e6f7",
    displayName: "Exchange automation",
    servicePrincipalType: "Application",
    appOwnerOrganizationId: TENANT,
    grants: [MANAGE_AS_APP],
    directoryRoles: [RECIPIENT_ADMIN],
    application: { objectId: "a1b2c3d4-1111-4222-8333-444455556666", credentials: [{ kind: "certificate", keyId: "k-cert", endDateTime: "2027-12-01T00:00:00Z" }], federatedCredentials: [], owners: [] },
    exchangeRbac: NO_RBAC,
    ...overrides,
  };
}

function reading(holders: Holder[], extra: Partial<AuditReading> = {}): AuditReading {
  return { tenantId: TENANT, organization: "contoso.onmicrosoft.com", environment: "public", readAt: READ_AT, holders, unread: [], ...extra };
}

const rules = (findings: readonly Finding[]) => findings.map((f) => f.rule);
const fired = (h: Holder, rule: RuleId, extra: Partial<AuditReading> = {}) => judge(reading([h], extra)).findings.filter((f) => f.rule === rule);

describe("the audit's rules", () => {
  it("a well-wired app of this tenant has no finding (the control every rule below differs from)", () => {
    expect(judge(reading([holder()])).findings).toEqual([]);
  });

  it("wiring.no-role: ManageAsApp without an accepted active role or Exchange RBAC; an eligible role does not count; RBAC does", () => {
    expect(fired(holder({ directoryRoles: [] }), "wiring.no-role")[0]).toMatchObject({ severity: "high", id: "wiring.no-role:b1b2c3d4-1111-4222-8333-444455556666" });
    expect(fired(holder({ directoryRoles: [{ ...EXCHANGE_ADMIN, kind: "eligible" }] }), "wiring.no-role")[0]!.evidence).toContain("only eligible: Exchange Administrator (eligible, PIM)");
    expect(fired(holder({ directoryRoles: [], exchangeRbac: { registered: true, roleAssignments: [], roleGroups: ["exo-recipients"] } }), "wiring.no-role")).toEqual([]);
    // Exchange RBAC unread: it may exist, so the finding is medium and says why.
    const unread = fired(holder({ directoryRoles: [], exchangeRbac: undefined }), "wiring.no-role")[0]!;
    expect(unread.severity).toBe("medium");
    expect(unread.evidence).toContain("could not be read");
  });

  it("wiring.no-consent: an accepted role without ManageAsApp; quiet for a role Exchange does not accept", () => {
    expect(fired(holder({ grants: [FULL_ACCESS] }), "wiring.no-consent")[0]!.evidence).toContain("holds Exchange Recipient Administrator but no admin consent");
    expect(fired(holder({ grants: [FULL_ACCESS], directoryRoles: [role("Groups Administrator", "fdd7a751-b60b-444a-984c-02652fe8fa1c")] }), "wiring.no-consent")).toEqual([]);
  });

  it("wiring.no-protection-permission: a compliance role in GCC High or DoD without EOP's permission; quiet in public and with it", () => {
    const compliance = holder({ directoryRoles: [COMPLIANCE_ADMIN] });
    expect(fired(compliance, "wiring.no-protection-permission", { environment: "usgovernment" })[0]!.evidence).toContain("GCC High");
    expect(fired(compliance, "wiring.no-protection-permission", { environment: "dod" })).toHaveLength(1);
    expect(fired(compliance, "wiring.no-protection-permission", { environment: "public" })).toEqual([]);
    expect(fired(holder({ directoryRoles: [COMPLIANCE_ADMIN], grants: [MANAGE_AS_APP, EOP_MANAGE_AS_APP] }), "wiring.no-protection-permission", { environment: "dod" })).toEqual([]);
    expect(fired(holder(), "wiring.no-protection-permission", { environment: "dod" })).toEqual([]);
  });

  it("privilege.global-administrator: active or eligible, high", () => {
    expect(fired(holder({ directoryRoles: [GLOBAL_ADMIN] }), "privilege.global-administrator")[0]!.severity).toBe("high");
    expect(fired(holder({ directoryRoles: [RECIPIENT_ADMIN, { ...GLOBAL_ADMIN, kind: "eligible" }] }), "privilege.global-administrator")).toHaveLength(1);
  });

  it("privilege.exchange-administrator: low alone, medium beside Exchange RBAC; quiet for a narrower role", () => {
    expect(fired(holder({ directoryRoles: [EXCHANGE_ADMIN] }), "privilege.exchange-administrator")[0]!.severity).toBe("low");
    expect(fired(holder({ directoryRoles: [EXCHANGE_ADMIN], exchangeRbac: { registered: true, roleAssignments: [{ role: "Mail Recipients" }], roleGroups: [] } }), "privilege.exchange-administrator")[0]!.severity).toBe("medium");
    expect(fired(holder(), "privilege.exchange-administrator")).toEqual([]);
  });

  it("privilege.full-access-unscoped: full_access_as_app without a scoped Application role; quiet with one", () => {
    expect(fired(holder({ grants: [MANAGE_AS_APP, FULL_ACCESS] }), "privilege.full-access-unscoped")[0]!.severity).toBe("high");
    expect(fired(holder({ grants: [MANAGE_AS_APP, FULL_ACCESS], exchangeRbac: { registered: true, roleAssignments: [{ role: "Application EWS.AccessAsApp" }], roleGroups: [] } }), "privilege.full-access-unscoped")).toHaveLength(1);
    expect(fired(holder({ grants: [MANAGE_AS_APP, FULL_ACCESS], exchangeRbac: { registered: true, roleAssignments: [{ role: "Application EWS.AccessAsApp", scope: "Finance mailboxes" }], roleGroups: [] } }), "privilege.full-access-unscoped")).toEqual([]);
  });

  it("privilege.foreign-write: another tenant's app with a write role; quiet read-only, for Microsoft's apps and for this tenant's", () => {
    const vendor = "0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9";
    expect(fired(holder({ appOwnerOrganizationId: vendor, application: undefined }), "privilege.foreign-write")[0]!.evidence).toContain(`an app of tenant ${vendor}`);
    expect(fired(holder({ appOwnerOrganizationId: vendor, application: undefined, directoryRoles: [GLOBAL_READER] }), "privilege.foreign-write")).toEqual([]);
    expect(fired(holder({ appOwnerOrganizationId: "f8cdef31-a31e-4b4a-93e4-5f571e91255a", application: undefined }), "privilege.foreign-write")).toEqual([]);
    expect(fired(holder(), "privilege.foreign-write")).toEqual([]);
  });

  it("credential.expired: high when nothing works any more, low beside a working one", () => {
    const expired = { kind: "secret" as const, keyId: "k-old", endDateTime: "2026-11-01T00:00:00Z" };
    const alone = holder({ application: { objectId: "a", credentials: [expired], federatedCredentials: [], owners: [] } });
    expect(fired(alone, "credential.expired")[0]).toMatchObject({ severity: "high", id: "credential.expired:b1b2c3d4-1111-4222-8333-444455556666:k-old" });
    const beside = holder({ application: { objectId: "a", credentials: [expired, { kind: "certificate", keyId: "k-cert", endDateTime: "2027-12-01T00:00:00Z" }], federatedCredentials: [], owners: [] } });
    expect(fired(beside, "credential.expired")[0]!.severity).toBe("low");
  });

  it("credential.expiring: within --expiry-warning days (30 by default), not after", () => {
    const soon = holder({ application: { objectId: "a", credentials: [{ kind: "certificate", keyId: "k", endDateTime: "2026-12-20T00:00:00Z" }], federatedCredentials: [], owners: [] } });
    expect(fired(soon, "credential.expiring")[0]!.evidence).toContain("in 19 days");
    expect(judge(reading([soon]), { expiryWarningDays: 10 }).findings).toEqual([]);
  });

  it("credential.secret-beside-certificate and credential.too-many-secrets", () => {
    const secret = (keyId: string) => ({ kind: "secret" as const, keyId, endDateTime: "2027-06-01T00:00:00Z" });
    const cert = { kind: "certificate" as const, keyId: "c", endDateTime: "2027-06-01T00:00:00Z" };
    expect(rules(judge(reading([holder({ application: { objectId: "a", credentials: [secret("s1"), cert], federatedCredentials: [], owners: [] } })])).findings)).toEqual(["credential.secret-beside-certificate"]);
    expect(rules(judge(reading([holder({ application: { objectId: "a", credentials: [secret("s1"), secret("s2")], federatedCredentials: [], owners: [] } })])).findings)).toEqual([]);
    expect(rules(judge(reading([holder({ application: { objectId: "a", credentials: [secret("s1"), secret("s2"), secret("s3")], federatedCredentials: [], owners: [] } })])).findings)).toEqual(["credential.too-many-secrets"]);
  });

  it("credential.github-name-subject: the name-based subject beside the immutable one of the same repository, not alone", () => {
    const old = { name: "deploy", issuer: "https://token.actions.githubusercontent.com", subject: "repo:contoso/infra:ref:refs/heads/main" };
    const immutable = { name: "deploy-immutable", issuer: old.issuer, subject: "repo:contoso@1234/infra@5678:ref:refs/heads/main" };
    const app = (federatedCredentials: (typeof old)[]) => holder({ application: { objectId: "a", credentials: [], federatedCredentials, owners: [] } });
    expect(fired(app([old, immutable]), "credential.github-name-subject")[0]).toMatchObject({ id: "credential.github-name-subject:b1b2c3d4-1111-4222-8333-444455556666:deploy" });
    expect(fired(app([old]), "credential.github-name-subject")).toEqual([]);
    expect(fired(app([old, { ...immutable, subject: "repo:contoso@1234/other@9:ref:refs/heads/main" }]), "credential.github-name-subject")).toEqual([]);
  });

  it("unmanaged: judged only when stacks are given; a holder matched by client id or principal id is managed; Microsoft's are never reported", () => {
    const ours = holder();
    const theirs = holder({ servicePrincipalObjectId: "e1b2c3d4-1111-4222-8333-444455556666", appId: "4f8a1b2c-4d5e-4f60-8a71-92b3c4d5e6f7", displayName: "Backup" });
    const microsoft = holder({ servicePrincipalObjectId: "f1b2c3d4-1111-4222-8333-444455556666", appId: "00000003-0000-0000-c000-000000000000", appOwnerOrganizationId: "f8cdef31-a31e-4b4a-93e4-5f571e91255a", application: undefined });
    expect(rules(judge(reading([ours, theirs, microsoft])).findings)).toEqual([]);
    const judged = judge(reading([ours, theirs, microsoft]), { managed: [{ stack: "contoso", clientId: ours.appId.toUpperCase() }] });
    expect(judged.findings.map((f) => [f.rule, f.principal.displayName])).toEqual([["unmanaged", "Backup"]]);
    expect(judged.managedBy).toEqual({ [ours.servicePrincipalObjectId]: "contoso" });
    expect(judge(reading([theirs]), { managed: [{ stack: "x", servicePrincipalObjectId: theirs.servicePrincipalObjectId }] }).findings).toEqual([]);
  });

  it("orders findings high to low, and every rule it can report is listed in RULES", () => {
    const findings = judge(reading([holder({ directoryRoles: [GLOBAL_ADMIN, EXCHANGE_ADMIN], grants: [MANAGE_AS_APP, FULL_ACCESS] })])).findings;
    expect(findings.map((f) => f.severity)).toEqual([...findings.map((f) => f.severity)].sort((a, b) => ["high", "medium", "low"].indexOf(a) - ["high", "medium", "low"].indexOf(b)));
    for (const f of findings) expect(Object.keys(RULES)).toContain(f.rule);
  });
});

describe("the adopt block an unmanaged, well-wired holder gets", () => {
  it("is a stack config whose plan imports the app, its principal, the consent and the role, creating none of them", async () => {
    const block = adoptBlock(holder(), reading([holder()]))!;
    const config = (parse(block) as { config: Record<string, unknown> }).config;
    const engine = Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
    const run = await evaluateProgram({ config: engine, backend: offlineBackend({ now: new Date(READ_AT) }) });
    const one = (type: string) => run.resources.filter((r) => r.type === type);
    expect(one(T.application).map((r) => r.importId)).toEqual(["/applications/a1b2c3d4-1111-4222-8333-444455556666"]);
    expect(one(T.servicePrincipal).map((r) => r.importId)).toEqual(["/servicePrincipals/b1b2c3d4-1111-4222-8333-444455556666"]);
    expect(one(T.appRoleAssignment).map((r) => r.importId)).toEqual([`/servicePrincipals/${EXCHANGE_SP}/appRoleAssignedTo/${MANAGE_AS_APP.assignmentId}`]);
    expect(one(T.directoryRoleAssignment).map((r) => r.importId)).toEqual([RECIPIENT_ADMIN.assignmentId]);
    expect(one(T.application)[0]!.inputs.displayName).toBe("Exchange automation");
  });

  it("is not offered where the stack's wiring is not the holder's, or the holder is no app of this tenant", () => {
    expect(adoptBlock(holder({ directoryRoles: [] }), reading([]))).toBeUndefined();
    expect(adoptBlock(holder({ directoryRoles: [RECIPIENT_ADMIN, GLOBAL_READER] }), reading([]))).toBeUndefined();
    expect(adoptBlock(holder({ grants: [FULL_ACCESS] }), reading([]))).toBeUndefined();
    expect(adoptBlock(holder({ application: undefined }), reading([]))).toBeUndefined();
    expect(adoptBlock(holder(), reading([], { organization: undefined }))).toBeUndefined();
  });
});
