/**
 * Exchange's RBAC for the audit, over an in-memory Exchange that answers the read cmdlets and counts them: what each
 * holder gets, that requests do not grow with the tenant's principals, and that a refusal is an Unread part.
 */
import type { CmdletAnswer } from "../../src/exchange";
import type { ExchangeReader } from "../../src/audit/exchangeHttp";
import { readExchangeRbac } from "../../src/audit/readExchange";

const id = (n: number) => `a${String(n).padStart(7, "0")}-0000-4000-8000-000000000000`;
const app = (n: number) => `b${String(n).padStart(7, "0")}-0000-4000-8000-000000000000`;
const holder = (n: number) => ({ servicePrincipalObjectId: id(n), appId: app(n) });

interface FakeExchange {
  principals: number[];
  assignments: { name: string; role: string; assignee: string; type: "ServicePrincipal" | "RoleGroup"; scope?: string }[];
  groups: Record<string, number[]>;
  refuse?: { cmdlet: string; answer: CmdletAnswer };
}

function fakeExchange(t: FakeExchange): ExchangeReader & { calls: string[] } {
  const calls: string[] = [];
  const ok = (value: Record<string, unknown>[]): CmdletAnswer => ({ status: 200, value, warnings: [] });
  const spRow = (n: number) => ({ ObjectId: id(n), Identity: id(n), Name: id(n), AppId: app(n), DisplayName: `app ${n}` });
  return {
    calls,
    async run(cmdlet, parameters = {}) {
      calls.push(cmdlet);
      if (t.refuse?.cmdlet === cmdlet) return t.refuse.answer;
      switch (cmdlet) {
        case "Get-ServicePrincipal":
          return ok(t.principals.map(spRow));
        case "Get-ManagementRoleAssignment":
          return ok(t.assignments.map((a) => ({ Name: a.name, Role: a.role, RoleAssignee: a.assignee, RoleAssigneeType: a.type, CustomResourceScope: a.scope ?? null })));
        case "Get-RoleGroup":
          return ok(Object.entries(t.groups).map(([name, members]) => ({ Name: name, Members: members.map(id) })));
        case "Get-RoleGroupMember":
          return ok((t.groups[String(parameters.Identity)] ?? []).map((n) => ({ ExternalDirectoryObjectId: id(n), Name: id(n) })));
        default:
          throw new Error(`unexpected ${cmdlet}`);
      }
    },
  };
}

describe("readExchangeRbac", () => {
  it("gives each holder its registration, its direct assignments with scopes, and its role groups", async () => {
    const exchange = fakeExchange({
      principals: [1, 2, 9],
      assignments: [
        { name: "ews-1", role: "Application EWS.AccessAsApp", assignee: id(1), type: "ServicePrincipal", scope: "Finance mailboxes" },
        { name: "mail-2", role: "Application Mail.Read", assignee: id(2).toUpperCase(), type: "ServicePrincipal" },
        { name: "vo-config", role: "View-Only Configuration", assignee: "Auditors", type: "RoleGroup" },
        { name: "other", role: "Application Mail.Send", assignee: id(9), type: "ServicePrincipal" },
      ],
      groups: { Auditors: [2], "Organization Management": [], Empty: [] },
    });
    const { byServicePrincipal, unread } = await readExchangeRbac(exchange, [holder(1), holder(2), holder(3)]);
    expect(unread).toBeUndefined();
    expect(byServicePrincipal.get(id(1))).toEqual({ registered: true, roleAssignments: [{ role: "Application EWS.AccessAsApp", scope: "Finance mailboxes" }], roleGroups: [] });
    expect(byServicePrincipal.get(id(2))).toEqual({ registered: true, roleAssignments: [{ role: "Application Mail.Read" }], roleGroups: ["Auditors"] });
    expect(byServicePrincipal.get(id(3))).toEqual({ registered: false, roleAssignments: [], roleGroups: [] });
    // Principals that are not holders (9) are not reported.
    expect([...byServicePrincipal.keys()].sort()).toEqual([id(1), id(2), id(3)]);
  });

  it("sends the same requests for 10 principals as for 1,000: one a cmdlet, plus one a role group with members", async () => {
    const sizes = [10, 1000].map((n) => {
      const all = Array.from({ length: n }, (_, i) => i + 1);
      return fakeExchange({ principals: all, assignments: all.map((i) => ({ name: `a${i}`, role: "Application Mail.Read", assignee: id(i), type: "ServicePrincipal" })), groups: { Auditors: all.slice(0, 3), Empty: [] } });
    });
    for (const exchange of sizes) await readExchangeRbac(exchange, [holder(1), holder(2), holder(3)]);
    expect(sizes[0]!.calls).toEqual(["Get-ServicePrincipal", "Get-ManagementRoleAssignment", "Get-RoleGroup", "Get-RoleGroupMember"]);
    expect(sizes[1]!.calls).toEqual(sizes[0]!.calls);
  });

  it("asks nothing more when no holder is registered in Exchange", async () => {
    const exchange = fakeExchange({ principals: [7], assignments: [], groups: { Auditors: [7] } });
    const { byServicePrincipal } = await readExchangeRbac(exchange, [holder(1)]);
    expect(exchange.calls).toEqual(["Get-ServicePrincipal"]);
    expect(byServicePrincipal.get(id(1))).toEqual({ registered: false, roleAssignments: [], roleGroups: [] });
  });

  it.each([
    ["401 User is not allowed to call", { status: 401, value: [], warnings: [], errorText: "User is not allowed to call Get-ServicePrincipal" }],
    ["403 with NUL bytes (no role Exchange accepts)", { status: 403, value: [], warnings: [] }],
    ["400 the term is not recognized", { status: 400, value: [], warnings: [], errorText: "The term 'Get-ServicePrincipal' is not recognized as a name of a cmdlet" }],
  ])("an auditor without a view-only role (%s): an Unread part naming the role to grant, no holder's RBAC, no failure", async (_name, answer) => {
    const exchange = fakeExchange({ principals: [1], assignments: [], groups: {}, refuse: { cmdlet: "Get-ServicePrincipal", answer } });
    const reading = await readExchangeRbac(exchange, [holder(1)]);
    expect(reading.byServicePrincipal.size).toBe(0);
    expect(reading.unread).toEqual({ part: "exchangeRbac", reason: expect.stringMatching(/Exchange refused Get-ServicePrincipal.*Global Reader.*View-Only Configuration/) });
  });

  it("a refusal further on (Get-RoleGroupMember) is an Unread part too: no half-read RBAC is reported as whole", async () => {
    const refused: CmdletAnswer = { status: 401, value: [], warnings: [], errorText: "User is not allowed to call Get-RoleGroupMember" };
    const exchange = fakeExchange({ principals: [1], assignments: [], groups: { Auditors: [1] }, refuse: { cmdlet: "Get-RoleGroupMember", answer: refused } });
    const reading = await readExchangeRbac(exchange, [holder(1)]);
    expect(reading.byServicePrincipal.size).toBe(0);
    expect(reading.unread?.reason).toMatch(/Get-RoleGroupMember \(401\)/);
  });

  it("throttling that outlasted the reader's deadline is said as such", async () => {
    const exchange = fakeExchange({ principals: [1], assignments: [], groups: {}, refuse: { cmdlet: "Get-ServicePrincipal", answer: { status: 429, value: [], warnings: [], retryAfter: "600" } } });
    expect((await readExchangeRbac(exchange, [holder(1)])).unread?.reason).toMatch(/kept answering 429 to Get-ServicePrincipal/);
  });

  it("a transport failure (Exchange unreachable) is thrown, not hidden in the report", async () => {
    const exchange: ExchangeReader = { run: async () => Promise.reject(new Error("ECONNREFUSED")) };
    await expect(readExchangeRbac(exchange, [holder(1)])).rejects.toThrow("ECONNREFUSED");
  });
});
