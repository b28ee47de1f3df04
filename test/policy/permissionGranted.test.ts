/** exchange-permission-granted (mandatory): Exchange.ManageAsApp only with its consent and a role in the same stack. */
import { exchangePermissionGranted } from "../../policy/exchangePermissionGranted";
import { check, EXCHANGE_ADMINISTRATOR, exchangeApp, EXO, MANAGE_AS_APP, resource, TYPES, UNKNOWN_STRING, urnOf } from "./harness";

const SP_ID = "eac4a247-e30a-405a-8cb8-f148c5669af0";
const OTHER_ID = "11111111-2222-4333-8444-555555555555";

const app = exchangeApp("exo-registration-app");
const sp = resource(TYPES.servicePrincipal, "exo-registration-sp", { clientId: "5068a895-570c-45c8-8d96-dc13db316f55" });
const consent = (principalObjectId = SP_ID, appRoleId = MANAGE_AS_APP) =>
  resource(TYPES.appRoleAssignment, "exo-exchange-consent", { appRoleId, principalObjectId, resourceObjectId: "76ce3227-71be-40b0-8d87-547bd723abd7" });
const role = (principalObjectId = SP_ID) => resource(TYPES.directoryRoleAssignment, "exo-exchange-role", { roleId: EXCHANGE_ADMINISTRATOR, principalObjectId });

describe("exchange-permission-granted (mandatory)", () => {
  it("passes an app with its consent and its role (the offline plan: ids cannot be linked, existence counts)", async () => {
    expect(await check(exchangePermissionGranted, [app, sp, consent(), role()])).toEqual([]);
  });

  it("fails without consent: names the app, the permission, what is missing and the fix", async () => {
    const violations = await check(exchangePermissionGranted, [app, sp, role()]);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ policy: "exchange-permission-granted", enforcement: "mandatory", resource: { name: "exo-registration-app", type: TYPES.application } });
    const message = violations[0]!.message;
    expect(message).toContain(`Application "exo-registration-app" asks for Exchange.ManageAsApp (${MANAGE_AS_APP} on Office 365 Exchange Online, ${EXO})`);
    expect(message).toContain("no admin consent");
    expect(message).toContain("401");
    expect(message).not.toContain("no directory role");
    expect(message).toContain("Declare both in this stack");
  });

  it("fails without a role (Exchange answers 403)", async () => {
    const [violation] = await check(exchangePermissionGranted, [app, sp, consent()]);
    expect(violation!.message).toMatch(/no directory role .*403/);
    expect(violation!.message).not.toContain("no admin consent");
  });

  it("fails with neither, naming both", async () => {
    const [violation] = await check(exchangePermissionGranted, [app, sp]);
    expect(violation!.message).toContain("no admin consent");
    expect(violation!.message).toContain(" and no directory role");
  });

  it("a consent for another app role does not count", async () => {
    const [violation] = await check(exchangePermissionGranted, [app, sp, consent(SP_ID, "455e5cd2-84e8-4751-8344-5672145dfa17"), role()]);
    expect(violation!.message).toContain("no admin consent");
  });

  it("passes an app that does not ask for Exchange.ManageAsApp as an application permission", async () => {
    const graphOnly = resource(TYPES.application, "other", {
      requiredResourceAccesses: [{ resourceAppId: "00000003-0000-0000-c000-000000000000", resourceAccesses: [{ id: "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", type: "Role" }] }],
    });
    const delegated = resource(TYPES.application, "delegated", { requiredResourceAccesses: [{ resourceAppId: EXO, resourceAccesses: [{ id: MANAGE_AS_APP, type: "Scope" }] }] });
    expect(await check(exchangePermissionGranted, [graphOnly, delegated, resource(TYPES.application, "bare", {})])).toEqual([]);
  });

  describe("as the engine reports a stack: property dependencies and ids link the consent to the app's own principal", () => {
    const linkedSp = resource(TYPES.servicePrincipal, "exo-registration-sp", { clientId: UNKNOWN_STRING }, { propertyDependencies: { clientId: [app.urn] } });
    const otherSp = resource(TYPES.servicePrincipal, "someone-else", { clientId: OTHER_ID });
    const from = (urn: string) => ({ propertyDependencies: { principalObjectId: [urn] } });

    it("passes consent and role whose principal comes from the app's service principal", async () => {
      const c = resource(TYPES.appRoleAssignment, "consent", { appRoleId: MANAGE_AS_APP, principalObjectId: UNKNOWN_STRING }, from(linkedSp.urn));
      const r = resource(TYPES.directoryRoleAssignment, "role", { roleId: EXCHANGE_ADMINISTRATOR, principalObjectId: UNKNOWN_STRING }, from(linkedSp.urn));
      expect(await check(exchangePermissionGranted, [app, linkedSp, otherSp, c, r])).toEqual([]);
    });

    it("fails when the consent goes to another principal", async () => {
      const c = resource(TYPES.appRoleAssignment, "consent", { appRoleId: MANAGE_AS_APP, principalObjectId: OTHER_ID }, from(otherSp.urn));
      const r = resource(TYPES.directoryRoleAssignment, "role", { roleId: EXCHANGE_ADMINISTRATOR, principalObjectId: UNKNOWN_STRING }, from(linkedSp.urn));
      const [violation, ...rest] = await check(exchangePermissionGranted, [app, linkedSp, otherSp, c, r]);
      expect(rest).toEqual([]);
      expect(violation!.message).toContain("no admin consent");
    });

    it("after an update, by known ids: the app's client id, the principal's object id", async () => {
      const appAfterUp = { ...app, inputs: { ...app.inputs, clientId: "5068a895-570c-45c8-8d96-dc13db316f55" } };
      const spAfterUp = resource(TYPES.servicePrincipal, "exo-registration-sp", { clientId: "5068a895-570c-45c8-8d96-dc13db316f55", objectId: SP_ID });
      expect(await check(exchangePermissionGranted, [appAfterUp, spAfterUp, consent(), role()])).toEqual([]);
      const [violation] = await check(exchangePermissionGranted, [appAfterUp, spAfterUp, consent(), role(OTHER_ID)]);
      expect(violation!.message).toContain("no directory role");
    });

    it("reports the app by its URN", async () => {
      const [violation] = await check(exchangePermissionGranted, [app]);
      expect(violation!.resource?.urn).toBe(urnOf(TYPES.application, "exo-registration-app"));
    });
  });
});
