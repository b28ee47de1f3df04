/**
 * exchange-roles-would-do (advisory) and exchange-permission-granted with role: none: Exchange's own RBAC grants
 * stand in for a directory role, and an Exchange-only directory role beside them is reported as more than needed.
 */
import { exchangePermissionGranted } from "../../policy/exchangePermissionGranted";
import { exchangeRolesWouldDo } from "../../policy/exchangeRolesWouldDo";
import { EXCHANGE_RBAC_GRANT_TYPES } from "../../policy/types";
import { EXCHANGE_ROLES } from "../../src/facts";
import { check, exchangeApp, MANAGE_AS_APP, resource, TYPES } from "./harness";

const SP = "5d1b2c3e-0000-4000-8000-000000000001";
const role = (name: string) => resource(TYPES.directoryRoleAssignment, "exo-exchange-role", { roleId: EXCHANGE_ROLES.find((r) => r.name === name)!.templateId, principalObjectId: SP, directoryScopeId: "/" });
const managementRole = resource(EXCHANGE_RBAC_GRANT_TYPES[0]!, "exo-rbac-view-only-configuration", { role: "View-Only Configuration" });
const roleGroup = resource(EXCHANGE_RBAC_GRANT_TYPES[1]!, "exo-rbac-recipient-management", { roleGroup: "Recipient Management" });

describe("exchange-roles-would-do (advisory)", () => {
  it("reports an Exchange-only directory role beside Exchange management roles, naming the role and the fix", async () => {
    const violations = await check(exchangeRolesWouldDo, [role("Exchange Administrator"), managementRole]);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ policy: "exchange-roles-would-do", enforcement: "advisory", resource: { name: "exo-exchange-role" } });
    expect(violations[0]!.message).toMatch(/Exchange Administrator \(29232cdf-9323-42fd-ade2-1d097af3e4de\) serves Exchange Online only.*set exchange-app-only:role to none/);
  });

  it.each(["Exchange Recipient Administrator", "Helpdesk Administrator"])("reports %s beside a role group membership", async (name) => {
    expect(await check(exchangeRolesWouldDo, [role(name), roleGroup])).toHaveLength(1);
  });

  it.each(["Global Reader", "Compliance Administrator", "Security Reader"])("leaves %s alone: it also serves Security & Compliance", async (name) => {
    expect(await check(exchangeRolesWouldDo, [role(name), managementRole])).toEqual([]);
  });

  it("is silent without Exchange management roles (the default stack)", async () => {
    expect(await check(exchangeRolesWouldDo, [role("Exchange Administrator")])).toEqual([]);
  });
});

describe("exchange-permission-granted with role: none", () => {
  const consent = resource(TYPES.appRoleAssignment, "exo-exchange-consent", { appRoleId: MANAGE_AS_APP, principalObjectId: SP });

  it("Exchange management roles stand in for the directory role", async () => {
    expect(await check(exchangePermissionGranted, [exchangeApp(), consent, managementRole])).toEqual([]);
  });

  it("with neither a directory role nor Exchange management roles it is still a violation, naming both ways", async () => {
    const [violation] = await check(exchangePermissionGranted, [exchangeApp(), consent]);
    expect(violation!.message).toContain("or Exchange management roles with role: none");
  });
});
