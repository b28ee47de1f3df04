/** The audit's reports: the table, the JSON object and the Markdown evidence, and what --fail-on decides. */
import { judge } from "../../src/audit/judge";
import type { AuditReading, Holder } from "../../src/audit/model";
import { failsOn, renderJson, renderMarkdown, renderTable } from "../../src/audit/report";
import { MANAGE_AS_APP_ROLE } from "../../src/facts";
import { HOSTILE_TEXT } from "../cli/run";

const TENANT = "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7";
const AUDITOR = { clientId: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", roles: ["Application.Read.All", "RoleManagement.Read.Directory"] };

/** A holder with ManageAsApp and no role (wiring.no-role, high), named `displayName`. */
function broken(displayName: string): Holder {
  return {
    servicePrincipalObjectId: "b1b2c3d4-1111-4222-8333-444455556666",
    appId: "3f8a1b2c-4d5e-4f60-8a71-92b3c4d5e6f7",
    displayName,
    servicePrincipalType: "Application",
    appOwnerOrganizationId: TENANT,
    grants: [{ resource: "exchange", appRoleId: MANAGE_AS_APP_ROLE.id, value: MANAGE_AS_APP_ROLE.value, assignmentId: "a", resourceObjectId: "c1b2c3d4-1111-4222-8333-444455556666" }],
    directoryRoles: [{ roleName: "Exchange Administrator", roleTemplateId: "29232cdf-9323-42fd-ade2-1d097af3e4de", kind: "eligible", directoryScopeId: "/" }],
    application: { objectId: "a1", credentials: [{ kind: "certificate", keyId: "k1", endDateTime: "2027-06-01T00:00:00Z" }], federatedCredentials: [], owners: ["alice@contoso.com"] },
    exchangeRbac: { registered: false, roleAssignments: [], roleGroups: [] },
  };
}

const reading = (holders: Holder[]): AuditReading => ({
  tenantId: TENANT,
  environment: "public",
  readAt: "2026-12-01T00:00:00Z",
  holders,
  unread: [{ part: "eligibleRoles", reason: "403: RoleEligibilitySchedule.Read.Directory is not granted" }],
});

describe("--fail-on", () => {
  it("fails at the finding's severity and below it, not above", () => {
    const judgement = judge(reading([{ ...broken("x"), exchangeRbac: undefined }])); // wiring.no-role at medium
    expect(judgement.findings.map((f) => f.severity)).toEqual(["medium"]);
    expect([failsOn("high", judgement), failsOn("medium", judgement), failsOn("low", judgement)]).toEqual([false, true, true]);
    expect(failsOn("low", judge(reading([])))).toBe(false);
  });
});

describe("the reports", () => {
  const r = reading([broken(`Ops | ${HOSTILE_TEXT}`)]);
  const judgement = judge(r);

  it("the table counts findings by severity, lists each, and says what could not be read; tenant text is escaped", () => {
    const table = renderTable(r, judgement);
    expect(table).toContain(`Exchange app-only holders in tenant ${TENANT}: 1 principal(s), 0 managed by a stack given; findings: 1 high, 0 medium, 0 low`);
    expect(table).toMatch(/HIGH\s+wiring\.no-role\s+Ops \| x\\x1b\[2J/);
    expect(table).toContain("not read: eligibleRoles: 403: RoleEligibilitySchedule.Read.Directory is not granted");
    expect(table).not.toMatch(/[\u001b\u202e\r]/);
  });

  it("the JSON is one object that parses back to the findings and what was read, with the auditor", () => {
    const json = renderJson(r, judgement, AUDITOR);
    expect(json.trim().split("\n")).toHaveLength(1);
    const parsed = JSON.parse(json) as { findings: { id: string }[]; holders: { displayName: string }[]; auditor: unknown; unread: unknown[] };
    expect(parsed.findings.map((f) => f.id)).toEqual(["wiring.no-role:b1b2c3d4-1111-4222-8333-444455556666"]);
    expect(parsed.holders[0]!.displayName).toBe(`Ops | ${HOSTILE_TEXT}`);
    expect(parsed.auditor).toEqual(AUDITOR);
    expect(json).not.toMatch(/[\u202e]/);
  });

  it("the Markdown gives the tenant, time, auditor, every holder with grants, roles and credential dates, and the findings", () => {
    const md = renderMarkdown(r, judgement, AUDITOR);
    expect(md).toContain(`# Exchange app-only access in tenant ${TENANT}`);
    expect(md).toContain("- Read at: 2026-12-01T00:00:00Z");
    expect(md).toContain(`- Read by: client \`${AUDITOR.clientId}\` with Application.Read.All, RoleManagement.Read.Directory`);
    expect(md).toContain("- Exchange app roles: Exchange.ManageAsApp");
    expect(md).toContain("- Directory roles: Exchange Administrator (eligible, scope /)");
    expect(md).toContain("- Credentials: certificate `k1` ends 2027-06-01T00:00:00Z");
    // A pipe in a display name stays inside its cell: the findings row still has five cells.
    const row = md.split("\n").find((l) => l.startsWith("| high |"))!;
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(5);
    expect(md).not.toMatch(/[\u001b\u202e\r]/);
  });
});
