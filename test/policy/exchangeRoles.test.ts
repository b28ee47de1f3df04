/**
 * exchange-roles-would-do (advisory) and exchange-permission-granted with role: none: Exchange's own RBAC grants
 * stand in for a directory role, and an Exchange-only directory role beside them is reported as more than needed.
 */
import { exchangePermissionGranted } from "../../policy/exchangePermissionGranted";
import { exchangeRolesWouldDo } from "../../policy/exchangeRolesWouldDo";
import { EXCHANGE_ROLES } from "../../src/facts";
import { check, exchangeApp, MANAGE_AS_APP, resource, TYPES } from "./harness";

const SP = "5d1b2c3e-0000-4000-8000-000000000001";
const role = (name: string) => resource(TYPES.directoryRoleAssignment, "exo-exchange-role", { roleId: EXCHANGE_ROLES.find((r) => r.name === name)!.templateId, principalObjectId: SP, directoryScopeId: "/" });
// The stack's own role group (grants nothing alone) and the app's membership in it (the grant).
const ownGroup = resource(TYPES.exchangeRoleGroup, "exo-exchange-rbac-role-group", { name: "exo-app-only 0a1b", roles: ["View-Only Configuration", "View-Only Recipients"] });
const managementRole = resource(TYPES.exchangeRoleGroupMember, "exo-exchange-rbac-role-group-member", { roleGroup: "exo-app-only 0a1b" });
const roleGroup = resource(TYPES.exchangeRoleGroupMember, "exo-exchange-rbac-group-contoso-reporting", { roleGroup: "Contoso Reporting" });
// What an earlier version made: a direct assignment.
const legacy = resource(TYPES.exchangeRoleAssignment, "exo-exchange-rbac-role-view-only-configuration", { role: "View-Only Configuration" });

describe("exchange-roles-would-do (advisory)", () => {
  it("reports an Exchange-only directory role beside Exchange management roles, naming the role, the roles the stack's role group carries and the fix", async () => {
    const violations = await check(exchangeRolesWouldDo, [role("Exchange Administrator"), ownGroup, managementRole]);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ policy: "exchange-roles-would-do", enforcement: "advisory", resource: { name: "exo-exchange-role" } });
    expect(violations[0]!.message).toMatch(/Exchange Administrator \(29232cdf-9323-42fd-ade2-1d097af3e4de\) serves Exchange Online only.*grants Exchange management roles \("View-Only Configuration", "View-Only Recipients"\).*set exchange-app-only:role to none/);
  });

  it("a role group alone is no grant: the app holds nothing until it joins it", async () => {
    expect(await check(exchangeRolesWouldDo, [role("Exchange Administrator"), ownGroup])).toEqual([]);
  });

  it("an earlier version's direct assignment still counts, named by its role", async () => {
    const [violation] = await check(exchangeRolesWouldDo, [role("Exchange Administrator"), legacy]);
    expect(violation!.message).toContain('grants Exchange management roles ("View-Only Configuration")');
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

  it("a membership in a role group stands in for the directory role; the group alone does not", async () => {
    expect(await check(exchangePermissionGranted, [exchangeApp(), consent, ownGroup, managementRole])).toEqual([]);
    expect(await check(exchangePermissionGranted, [exchangeApp(), consent, ownGroup])).toHaveLength(1);
  });

  it("with neither a directory role nor Exchange management roles it is still a violation, naming both ways", async () => {
    const [violation] = await check(exchangePermissionGranted, [exchangeApp(), consent]);
    expect(violation!.message).toContain("or Exchange management roles with role: none");
  });
});
