/** The two role policies: only roles Exchange accepts (mandatory), never Global Administrator (mandatory). */
import { exchangeRoleAccepted } from "../../policy/exchangeRoleAccepted";
import { noGlobalAdministrator } from "../../policy/noGlobalAdministrator";
import { PINNED_ROLES } from "../support/pinnedFacts";
import { check, EXCHANGE_ADMINISTRATOR, GLOBAL_ADMINISTRATOR, resource, TYPES, UNKNOWN_STRING } from "./harness";

const role = (roleId: string, name = "exo-exchange-role") => resource(TYPES.directoryRoleAssignment, name, { roleId, principalObjectId: "5d1b2c3e-0000-4000-8000-000000000001", directoryScopeId: "/" });
const APPLICATION_ADMINISTRATOR = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";

describe("exchange-role-accepted (mandatory)", () => {
  // The pinned literals, not the table the pack reads: a wrong id in src/facts fails here instead of passing both.
  it.each(PINNED_ROLES.map((r) => [r.name, r.templateId]))("passes %s", async (_name, templateId) => {
    expect(await check(exchangeRoleAccepted, [role(templateId)])).toEqual([]);
  });

  it("passes a template id in upper case (Entra compares ids without case)", async () => {
    expect(await check(exchangeRoleAccepted, [role(EXCHANGE_ADMINISTRATOR.toUpperCase())])).toEqual([]);
  });

  it("fails a role Exchange does not accept, naming the resource, the role id and the accepted roles", async () => {
    const [violation, ...rest] = await check(exchangeRoleAccepted, [role(APPLICATION_ADMINISTRATOR, "tenant-role")]);
    expect(rest).toEqual([]);
    expect(violation).toMatchObject({ policy: "exchange-role-accepted", enforcement: "mandatory", resource: { name: "tenant-role", type: TYPES.directoryRoleAssignment } });
    expect(violation!.message).toContain(`DirectoryRoleAssignment "tenant-role": roleId ${APPLICATION_ADMINISTRATOR} is not a directory role Exchange Online accepts`);
    expect(violation!.message).toContain(`Exchange Administrator (${EXCHANGE_ADMINISTRATOR})`);
    expect(violation!.message).toContain("exchange-app-only:role");
    // Global Administrator is accepted by Exchange but is never offered as a fix.
    expect(violation!.message).not.toContain("Global Administrator");
  });

  it("does not guess a role id that is unknown during preview", async () => {
    expect(await check(exchangeRoleAccepted, [role(UNKNOWN_STRING)])).toEqual([]);
  });

  it("looks at directory role assignments only", async () => {
    expect(await check(exchangeRoleAccepted, [resource(TYPES.appRoleAssignment, "consent", { roleId: APPLICATION_ADMINISTRATOR })])).toEqual([]);
  });
});

describe("no-global-administrator (mandatory)", () => {
  it("fails Global Administrator, naming the resource and the id, with the narrower role as the fix", async () => {
    const violations = await check(noGlobalAdministrator, [role(GLOBAL_ADMINISTRATOR)]);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ policy: "no-global-administrator", enforcement: "mandatory", resource: { name: "exo-exchange-role" } });
    expect(violations[0]!.message).toContain(`DirectoryRoleAssignment "exo-exchange-role": roleId ${GLOBAL_ADMINISTRATOR} is Global Administrator`);
    expect(violations[0]!.message).toMatch(/Set exchange-app-only:role to "Exchange Administrator".*remove allowGlobalAdministrator/);
  });

  it.each([EXCHANGE_ADMINISTRATOR, APPLICATION_ADMINISTRATOR, UNKNOWN_STRING])("passes %s", async (roleId) => {
    expect(await check(noGlobalAdministrator, [role(roleId)])).toEqual([]);
  });

  it("and exchange-role-accepted does not report Global Administrator a second time", async () => {
    expect(await check([exchangeRoleAccepted, noGlobalAdministrator], [role(GLOBAL_ADMINISTRATOR)])).toHaveLength(1);
  });
});
