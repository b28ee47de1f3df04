/**
 * The Exchange RBAC resources in the real program, under Pulumi mocks: which of the app's ids flows into which
 * input, the stack's own role groups (one a write scope, a built-in role group's roles in the organization-wide one)
 * and the principal's membership in each, named by scope and group (stable when the list is reordered), `role: none`
 * with them, and nothing at all without `exchangeRoles`.
 */
import type { MockBackend } from "../../src/mocks/backend";
import { offlineBackend } from "../../src/mocks/offline";
import type { RegisteredResource } from "../../src/mocks/run";
import { evaluateProgram } from "../../src/cli/evaluate";
import { TYPE } from "../../src/facts/typeTokens";
import { engineConfig, MINIMAL, TENANT_ID } from "../support/stackConfig";

const SP = TYPE.exchangeServicePrincipal;
const GROUP = TYPE.exchangeRoleGroup;
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
      if (args.type === GROUP) answer = { ...answer, state: { ...args.inputs, ...answer.state } };
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

test("the app's client id and its service principal's object id flow into Exchange's principal; roles go into the stack's own role groups, one a scope, and the principal joins each by its ObjectId", async () => {
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
  // No direct assignment: Microsoft documents -App for application roles only.
  expect(r.ofType(ASSIGNMENT)).toEqual([]);

  const clientId = String(r.state(app!).clientId);
  const groups = r.ofType(GROUP);
  // The organization-wide group holds the unscoped role and the built-in group's roles; each scope has its own group.
  expect(groups.map((g) => g.inputs)).toEqual([
    expect.objectContaining({ tenantId: TENANT_ID, name: `exo-app-only ${clientId}`, roles: ["View-Only Configuration", "View-Only Recipients"] }),
    expect.objectContaining({ name: expect.stringMatching(new RegExp(`^exo-app-only ${clientId} au-[0-9a-f]{8}$`)), roles: ["Mail Recipients"], recipientAdministrativeUnitScope: AU }),
    expect.objectContaining({ name: expect.stringMatching(new RegExp(`^exo-app-only ${clientId} scope-[0-9a-f]{8}$`)), roles: ["Mail Recipients"], customRecipientWriteScope: "Sales mailboxes" }),
  ]);
  expect(groups[0]!.inputs).not.toHaveProperty("customRecipientWriteScope");
  expect(groups[0]!.inputs.description).toContain(`app ${clientId}`);

  // Each membership takes the group's name from the group and the principal from Exchange's principal (its outputs):
  // created after both, deleted first. -Member is the principal's ObjectId.
  const members = r.ofType(MEMBER);
  const fromExchange = clientId.toUpperCase();
  expect(members.map((m) => m.inputs)).toEqual(
    groups.map((g) => expect.objectContaining({ roleGroup: r.state(g).name, appId: fromExchange, servicePrincipalObjectId: r.state(exoSp!).objectId, tenantId: TENANT_ID })),
  );
  for (const [i, member] of members.entries()) expect(member.dependsOn).toEqual(expect.arrayContaining([exoSp!.name, groups[i]!.name]));
  for (const grant of [...groups, ...members]) expect(grant.parent).toBe(exoSp!.parent);

  // The plugin's custom resources: no serialized provider travels in the inputs.
  for (const grant of [exoSp!, ...groups, ...members]) expect(grant.inputs.__provider).toBeUndefined();
});

test("a role group the tenant made (custom: true) is joined as it is; no group of the stack's own when nothing else is listed", async () => {
  const r = await run({ role: "none", exchangeRoles: [{ roleGroup: "Contoso Reporting", custom: true }] });
  expect(r.ofType(GROUP)).toEqual([]);
  expect(r.ofType(MEMBER).map((m) => [m.name, m.inputs.roleGroup])).toEqual([[expect.stringMatching(/-exchange-rbac-group-contoso-reporting$/), "Contoso Reporting"]]);
});

test("children are named by scope and group, not by position: reordering the list changes no URN and no input", async () => {
  const names = (x: Awaited<ReturnType<typeof run>>) => [...x.ofType(GROUP), ...x.ofType(MEMBER), ...x.ofType(SP)].map((r) => r.urn).sort();
  const forward = await run({ exchangeRoles: ENTRIES });
  const backward = await run({ exchangeRoles: [...ENTRIES].reverse() });
  expect(names(backward)).toEqual(names(forward));
  expect(backward.ofType(GROUP).map((g) => g.inputs.roles)).toEqual(forward.ofType(GROUP).map((g) => g.inputs.roles));
  expect(forward.ofType(GROUP).map((a) => a.name)).toEqual([
    expect.stringMatching(/-exchange-rbac-role-group$/),
    expect.stringMatching(new RegExp(`-exchange-rbac-role-group-au-${AU}$`)),
    expect.stringMatching(/-exchange-rbac-role-group-scope-sales-mailboxes$/),
  ]);
  expect(forward.ofType(MEMBER).map((m) => m.name)).toEqual([
    expect.stringMatching(/-exchange-rbac-role-group-member$/),
    expect.stringMatching(new RegExp(`-exchange-rbac-role-group-member-au-${AU}$`)),
    expect.stringMatching(/-exchange-rbac-role-group-member-scope-sales-mailboxes$/),
  ]);
  // With a directory role as well, both are declared.
  expect(forward.ofType(TYPE.directoryRoleAssignment)).toHaveLength(1);
});

test("without exchangeRoles nothing of Exchange's RBAC is declared", async () => {
  const r = await run({});
  expect([...r.ofType(SP), ...r.ofType(GROUP), ...r.ofType(ASSIGNMENT), ...r.ofType(MEMBER)]).toEqual([]);
  expect(r.resources.some((x) => x.type === "exchange-app-only:index:ExchangeRbac")).toBe(false);
});

test("the in-up check waits for every Exchange RBAC grant and runs again when one is replaced (role: none has nothing else)", async () => {
  const r = await run({ role: "none", exchangeRoles: ENTRIES, verifyOnUp: true });
  const [check] = r.ofType(TYPE.check);
  expect(check).toBeDefined();
  const grants = [...r.ofType(GROUP), ...r.ofType(MEMBER)];
  expect(grants).toHaveLength(6);
  const consent = r.ofType(TYPE.appRoleAssignment)[0]!;
  expect(check!.dependsOn).toEqual(expect.arrayContaining([consent.name, ...grants.map((g) => g.name)]));
  // Its triggers are resource ids: the consent's, each grant's, then the credential's; a replaced grant re-runs it.
  const triggers = check!.inputs.triggers as string[];
  expect(triggers).toHaveLength(1 + grants.length + 1);
  expect(new Set(triggers).size).toBe(triggers.length);
});
