/**
 * The accepted directory roles, pinned: the table the program, the config schema, the check and the policy pack read
 * (src/facts/roles.ts) must equal the literals of test/support/pinnedFacts.ts, where each role's source is written.
 */
import { DEFAULT_ROLE_NAME, EXCHANGE_ROLES, WORKLOADS, findExchangeRole, rolesForWorkloads } from "../../src/facts";
import { PINNED_ROLES } from "../support/pinnedFacts";

describe("the accepted directory roles (FACTS.md, Microsoft's app-only article, Entra's built-in roles reference)", () => {
  test("exactly these roles, template ids, workloads and opt-ins, in this order", () => {
    expect(EXCHANGE_ROLES.map(({ name, templateId, workloads, requiresOptIn }) => ({ name, templateId, workloads, ...(requiresOptIn ? { requiresOptIn } : {}) }))).toEqual(PINNED_ROLES);
  });

  test("the default is Exchange Administrator; Global Administrator is never granted without opting in", () => {
    expect(DEFAULT_ROLE_NAME).toBe("Exchange Administrator");
    expect(EXCHANGE_ROLES.filter((r) => r.requiresOptIn).map((r) => r.name)).toEqual(["Global Administrator"]);
  });

  test("Security & Compliance: the four roles the app-only article lists for it (and Global Administrator)", () => {
    expect(rolesForWorkloads(["compliance"]).map((r) => r.name)).toEqual(["Global Reader", "Security Reader", "Security Administrator", "Compliance Administrator", "Global Administrator"]);
    expect(rolesForWorkloads(["exchange"]).map((r) => r.name)).toHaveLength(8);
  });

  test("the workloads are Connect-ExchangeOnline's and Connect-IPPSSession's", () => {
    expect(WORKLOADS).toEqual(["exchange", "compliance"]);
  });

  test.each(PINNED_ROLES.map((r) => [r.name, r.templateId]))("%s is found by name and by template id %s", (name, templateId) => {
    expect(findExchangeRole(name)?.templateId).toBe(templateId);
    expect(findExchangeRole(templateId)?.name).toBe(name);
    expect(findExchangeRole(templateId.toUpperCase())?.name).toBe(name);
  });

  test("a role Exchange refuses is not found: Application Administrator (9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3)", () => {
    expect(findExchangeRole("Application Administrator")).toBeUndefined();
    expect(findExchangeRole("9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3")).toBeUndefined();
  });
});
