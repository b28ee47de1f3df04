/** no-first-party-principal (mandatory): Exchange Online's, Graph's and EOP's service principals are looked up, never managed. */
import { noFirstPartyPrincipal } from "../../policy/noFirstPartyPrincipal";
import { check, resource, TYPES } from "./harness";

const sp = (clientId: string, extra: Record<string, unknown> = {}) => resource(TYPES.servicePrincipal, "exo-sp", { clientId, ...extra });

describe("no-first-party-principal (mandatory)", () => {
  it.each([
    ["Office 365 Exchange Online", "00000002-0000-0ff1-ce00-000000000000"],
    ["Microsoft Graph", "00000003-0000-0000-c000-000000000000"],
    ["Microsoft Exchange Online Protection", "00000007-0000-0ff1-ce00-000000000000"],
  ])("fails a managed %s principal, naming it, its client id and the lookup to use", async (app, clientId) => {
    const violations = await check(noFirstPartyPrincipal, [sp(clientId)]);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ policy: "no-first-party-principal", enforcement: "mandatory", resource: { name: "exo-sp" } });
    expect(violations[0]!.message).toContain(`ServicePrincipal "exo-sp" manages ${app}'s own service principal (clientId ${clientId})`);
    expect(violations[0]!.message).toContain(`azuread.getServicePrincipal({ clientId: "${clientId}" })`);
  });

  it("says when useExisting adopts it (the destroy trap)", async () => {
    const [violation] = await check(noFirstPartyPrincipal, [sp("00000002-0000-0FF1-CE00-000000000000", { useExisting: true })]);
    expect(violation!.message).toContain("(useExisting: true adopts it)");
    expect(violation!.message).toContain("`pulumi destroy` would delete it");
  });

  it("passes the app's own service principal and anything that is not a service principal", async () => {
    expect(
      await check(noFirstPartyPrincipal, [
        sp("5068a895-570c-45c8-8d96-dc13db316f55"),
        resource(TYPES.application, "app", { clientId: "00000002-0000-0ff1-ce00-000000000000" }),
      ]),
    ).toEqual([]);
  });
});
