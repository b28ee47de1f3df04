/**
 * The Exchange RBAC resources in the real program, under Pulumi mocks: which of the app's ids flows into which
 * input, one resource per `exchangeRoles` entry named by its role/scope/group (stable when the list is reordered),
 * `role: none` with them, and nothing at all without `exchangeRoles`.
 */
import type { MockBackend } from "../../src/mocks/backend";
import { offlineBackend } from "../../src/mocks/offline";
import type { RegisteredResource } from "../../src/mocks/run";
import { evaluateProgram } from "../../src/plan/evaluate";
import { TYPE } from "../../src/facts/typeTokens";
import { engineConfig, MINIMAL, TENANT_ID } from "../support/stackConfig";

const SP = TYPE.exchangeServicePrincipal;
const ASSIGNMENT = TYPE.exchangeRoleAssignment;
const MEMBER = TYPE.exchangeRoleGroupMember;
const AU = "7c1e2d3f-1111-4222-8333-444455556666";

const ENTRIES = [
  { role: "View-Only Configuration" },
  { role: "Mail Recipients", scope: "Sales mailboxes" },
  { role: "Mail Recipients", scope: AU },
  { roleGroup: "View-Only Organization Management" },
];

/** Runs the program; also returns the state the (offline) cloud gave each resource, by name. */
async function run(overrides: Record<string, unknown>) {
  const offline = offlineBackend({ now: new Date("2026-11-26T00:00:00Z") });
  const states = new Map<string, Record<string, unknown>>();
  const backend: MockBackend = {
    newResource: (args) => {
      let answer = offline.newResource(args);
      // Exchange's principal answers with its app id in upper case: what the grants receive shows where it came from.
      if (args.type === SP) answer = { ...answer, state: { ...answer.state, appId: String(args.inputs.appId).toUpperCase() } };
      states.set(`${args.type}::${args.name}`, answer.state as Record<string, unknown>);
      return answer;
    },
    call: () => undefined,
  };
  const result = await evaluateProgram({ config: engineConfig({ ...MINIMAL, ...overrides }), backend });
  const ofType = (type: string) => result.resources.filter((r) => r.type === type);
  const state = (r: RegisteredResource) => states.get(`${r.type}::${r.name}`)!;
  return { ...result, ofType, state };
}

test("the app's client id and its service principal's object id flow into Exchange's principal; one grant per entry, after it", async () => {
  const r = await run({ role: "none", exchangeRoles: ENTRIES });
  // role: none: no directory role at all, and yet the Exchange RBAC resources.
  expect(r.ofType(TYPE.directoryRoleAssignment)).toEqual([]);
  const [app] = r.ofType(TYPE.application);
  const [entraSp] = r.ofType(TYPE.servicePrincipal);
  const [exoSp] = r.ofType(SP);
  expect(exoSp).toBeDefined();
  expect(exoSp!.inputs).toMatchObject({
    tenantId: TENANT_ID,
    environment: "public",
    appId: r.state(app!).clientId,
    objectId: r.state(entraSp!).objectId,
    displayName: app!.inputs.displayName,
    propagationTimeout: "15m",
  });
  expect(r.ofType(SP)).toHaveLength(1);
  expect(exoSp!.parentType).toBe("exchange-app-only:index:ExchangeRbac");

  const assignments = r.ofType(ASSIGNMENT);
  const members = r.ofType(MEMBER);
  // Each grant takes the app id from Exchange's principal (its output), so it is created after it and deleted first.
  const fromExchange = String(r.state(app!).clientId).toUpperCase();
  expect(assignments.map((a) => a.inputs)).toEqual([
    expect.objectContaining({ role: "View-Only Configuration", appId: fromExchange, tenantId: TENANT_ID }),
    expect.objectContaining({ role: "Mail Recipients", customResourceScope: "Sales mailboxes" }),
    expect.objectContaining({ role: "Mail Recipients", recipientAdministrativeUnitScope: AU }),
  ]);
  expect(assignments[0]!.inputs).not.toHaveProperty("customResourceScope");
  expect(assignments[2]!.inputs).not.toHaveProperty("customResourceScope");
  expect(members.map((m) => m.inputs)).toEqual([expect.objectContaining({ roleGroup: "View-Only Organization Management", appId: fromExchange })]);
  for (const grant of [...assignments, ...members]) expect(grant.parent).toBe(exoSp!.parent);

  // The serialized provider is a shim naming the compiled library; no secret, no token.
  const provider = String(exoSp!.inputs.__provider);
  expect(provider).toContain("src/exchangeRbac/provider.js");
  expect(provider).toContain("servicePrincipalProvider");
  expect(provider.length).toBeLessThan(20_000);
});

test("children are named by role, scope and group, not by position: reordering the list changes no URN", async () => {
  const names = (x: Awaited<ReturnType<typeof run>>) => [...x.ofType(ASSIGNMENT), ...x.ofType(MEMBER), ...x.ofType(SP)].map((r) => r.urn).sort();
  const forward = await run({ exchangeRoles: ENTRIES });
  const backward = await run({ exchangeRoles: [...ENTRIES].reverse() });
  expect(names(backward)).toEqual(names(forward));
  expect(forward.ofType(ASSIGNMENT).map((a) => a.name)).toEqual([
    expect.stringMatching(/-exchange-rbac-role-view-only-configuration$/),
    expect.stringMatching(/-exchange-rbac-role-mail-recipients-scope-sales-mailboxes$/),
    expect.stringMatching(new RegExp(`-exchange-rbac-role-mail-recipients-au-${AU}$`)),
  ]);
  expect(forward.ofType(MEMBER).map((m) => m.name)).toEqual([expect.stringMatching(/-exchange-rbac-group-view-only-organization-management$/)]);
  // With a directory role as well, both are declared.
  expect(forward.ofType(TYPE.directoryRoleAssignment)).toHaveLength(1);
});

test("without exchangeRoles nothing of Exchange's RBAC is declared", async () => {
  const r = await run({});
  expect([...r.ofType(SP), ...r.ofType(ASSIGNMENT), ...r.ofType(MEMBER)]).toEqual([]);
  expect(r.resources.some((x) => x.type === "exchange-app-only:index:ExchangeRbac")).toBe(false);
});

test("the in-up check waits for every Exchange RBAC grant and runs again when one is replaced (role: none has nothing else)", async () => {
  const r = await run({ role: "none", exchangeRoles: ENTRIES, verifyOnUp: true });
  const [check] = r.ofType(TYPE.check);
  expect(check).toBeDefined();
  const grants = [...r.ofType(ASSIGNMENT), ...r.ofType(MEMBER)];
  expect(grants).toHaveLength(4);
  const consent = r.ofType(TYPE.appRoleAssignment)[0]!;
  expect(check!.dependsOn).toEqual(expect.arrayContaining([consent.name, ...grants.map((g) => g.name)]));
  // Its triggers are resource ids: the consent's, each grant's, then the credential's; a replaced grant re-runs it.
  const triggers = check!.inputs.triggers as string[];
  expect(triggers).toHaveLength(1 + grants.length + 1);
  expect(new Set(triggers).size).toBe(triggers.length);
});
