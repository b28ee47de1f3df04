/**
 * `exo-app-only migrate-state` (src/migrate/stateMigration.ts and the command): a recorded one-tenant export as
 * today's program writes it (the check and the four Exchange RBAC resources as dynamic resources, each with its
 * serialized `__provider`, the pulumi-nodejs default provider, secrets as ciphertext objects) becomes the plugin's
 * custom resources, every reference to their URNs follows, and the secrets pass through untouched.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateDynamicState, StateMigrationError } from "../../src/migrate/stateMigration";
import { LEGACY_DYNAMIC_TYPE, TYPE } from "../../src/facts";

const FIXTURE = join(__dirname, "..", "fixtures", "dynamic-state-export.json");
const SIG = "4dabf18193072939515e22adb298388d";
type R = { urn: string; type: string; id?: string; custom: boolean; parent?: string; provider?: string; dependencies?: string[]; propertyDependencies?: Record<string, string[]>; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };
type Doc = { version: number; deployment: { resources: R[]; [k: string]: unknown }; [k: string]: unknown };

const recorded = (): Doc => JSON.parse(readFileSync(FIXTURE, "utf8"));
const PROVIDER_ID = "11111111-2222-4333-8444-555555555555";
const migrate = (doc: unknown = recorded()) => migrateDynamicState(doc, { newProviderId: () => PROVIDER_ID });
const byUrn = (doc: Doc) => new Map(doc.deployment.resources.map((r) => [r.urn, r]));

/** Every secret signature object in a value, as found. */
function secrets(value: unknown, found: unknown[] = []): unknown[] {
  if (Array.isArray(value)) value.forEach((v) => secrets(v, found));
  else if (typeof value === "object" && value !== null) {
    if (SIG in value) found.push(value);
    else Object.values(value).forEach((v) => secrets(v, found));
  }
  return found;
}

test("the recorded export is what today's program writes: five dynamic resources with their serialized providers", () => {
  const old = recorded().deployment.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
  expect(old.map((r) => r.type).sort()).toEqual(Object.values(LEGACY_DYNAMIC_TYPE).sort());
  for (const r of old) {
    expect(r.inputs!.__provider).toMatch(/^exports\.handler = __f0;/);
    expect(r.outputs!.__provider).toBe(r.inputs!.__provider);
    expect(r.provider).toMatch(/^urn:pulumi:dev::exchange-app-only::pulumi:providers:pulumi-nodejs::default::/);
  }
});

test("each old resource gets the plugin's type, its URN, no __provider and the plugin's default provider; the rest is as it was", () => {
  const before = recorded();
  const result = migrate(before);
  const after = result.document as Doc;
  const map = byUrn(after);
  const providerUrn = "urn:pulumi:dev::exchange-app-only::pulumi:providers:exchange-app-only::default";
  expect(result.provider).toBe(providerUrn);
  expect(result.providerAdded).toBe(true);
  expect(map.get(providerUrn)).toEqual({ urn: providerUrn, custom: true, id: PROVIDER_ID, type: TYPE.pluginProvider, inputs: {}, outputs: {} });
  // The dynamic provider's own default provider is gone: nothing references it any more.
  expect(result.removed).toEqual(["urn:pulumi:dev::exchange-app-only::pulumi:providers:pulumi-nodejs::default"]);
  expect(after.deployment.resources.some((r) => r.type === "pulumi:providers:pulumi-nodejs")).toBe(false);

  const rbac = "urn:pulumi:dev::exchange-app-only::exchange-app-only:index:ExchangeAppOnly$exchange-app-only:index:ExchangeRbac";
  const expected: [string, string, string][] = [
    ["urn:pulumi:dev::exchange-app-only::exchange-app-only:index:ExchangeAppOnly$exchange-app-only:index:ExchangeAccessCheck::exo-verify", TYPE.check, LEGACY_DYNAMIC_TYPE.check],
    [`${rbac}$exchange-app-only:index:ExchangeServicePrincipal::exo-exchange-rbac-sp`, TYPE.exchangeServicePrincipal, LEGACY_DYNAMIC_TYPE.exchangeServicePrincipal],
    [`${rbac}$exchange-app-only:index:ExchangeRoleGroup::exo-exchange-rbac-role-group`, TYPE.exchangeRoleGroup, LEGACY_DYNAMIC_TYPE.exchangeRoleGroup],
    [`${rbac}$exchange-app-only:index:ExchangeRoleGroupMember::exo-exchange-rbac-role-group-member`, TYPE.exchangeRoleGroupMember, LEGACY_DYNAMIC_TYPE.exchangeRoleGroupMember],
    [`${rbac}$exchange-app-only:index:ExchangeManagementRoleAssignment::exo-exchange-rbac-role-view-only-configuration`, TYPE.exchangeRoleAssignment, LEGACY_DYNAMIC_TYPE.exchangeRoleAssignment],
  ];
  const old = byUrn(before);
  for (const [urn, type, oldType] of expected) {
    const r = map.get(urn)!;
    expect([urn, r?.type]).toEqual([urn, type]);
    expect(r.provider).toBe(`${providerUrn}::${PROVIDER_ID}`);
    expect(r.inputs).not.toHaveProperty("__provider");
    expect(r.outputs).not.toHaveProperty("__provider");
    const was = old.get(urn.replace(type, oldType))!;
    expect(was).toBeDefined();
    // Same id, parent, and the same properties apart from __provider: refresh and destroy find the same objects.
    expect(r.id).toBe(was.id);
    expect(r.parent).toBe(was.parent);
    const { __provider: _i, ...inputs } = was.inputs!;
    const { __provider: _o, ...outputs } = was.outputs!;
    expect(r.inputs).toEqual(inputs);
    expect(r.outputs).toEqual(outputs);
  }
  expect(result.migrated).toHaveLength(5);
  // The provider is in state before the first resource that uses it.
  const order = after.deployment.resources.map((r) => r.urn);
  expect(order.indexOf(providerUrn)).toBeLessThan(Math.min(...expected.map(([u]) => order.indexOf(u))));
  // Nothing else changed: same count (one provider in, one out), and every other resource is byte for byte the same.
  expect(after.deployment.resources).toHaveLength(before.deployment.resources.length);
  for (const r of before.deployment.resources) {
    if (r.type.startsWith("pulumi-nodejs:") || r.type === "pulumi:providers:pulumi-nodejs") continue;
    expect(map.get(r.urn)).toEqual(r);
  }
  expect({ ...after, deployment: undefined }).toEqual({ ...before, deployment: undefined });
  expect(after.deployment.manifest).toEqual(before.deployment.manifest);
  expect(after.deployment.secrets_providers).toEqual(before.deployment.secrets_providers);
});

test("every reference to a renamed URN follows: dependencies and propertyDependencies; no old type is left anywhere", () => {
  const after = migrate().document as Doc;
  const text = JSON.stringify(after.deployment.resources.map(({ inputs: _i, outputs: _o, ...r }) => r));
  expect(text).not.toContain("pulumi-nodejs");
  const map = byUrn(after);
  const rbac = "urn:pulumi:dev::exchange-app-only::exchange-app-only:index:ExchangeAppOnly$exchange-app-only:index:ExchangeRbac";
  const member = map.get(`${rbac}$exchange-app-only:index:ExchangeRoleGroupMember::exo-exchange-rbac-role-group-member`)!;
  expect(member.dependencies).toEqual([`${rbac}$exchange-app-only:index:ExchangeServicePrincipal::exo-exchange-rbac-sp`, `${rbac}$exchange-app-only:index:ExchangeRoleGroup::exo-exchange-rbac-role-group`]);
  expect(member.propertyDependencies!.roleGroup).toEqual([`${rbac}$exchange-app-only:index:ExchangeRoleGroup::exo-exchange-rbac-role-group`]);
  const check = map.get("urn:pulumi:dev::exchange-app-only::exchange-app-only:index:ExchangeAppOnly$exchange-app-only:index:ExchangeAccessCheck::exo-verify")!;
  expect(check.propertyDependencies!.triggers).toContain(`${rbac}$exchange-app-only:index:ExchangeRoleGroupMember::exo-exchange-rbac-role-group-member`);
  // Every URN a resource names (parent, dependency) is a resource of the document.
  for (const r of after.deployment.resources) {
    for (const ref of [r.parent, ...(r.dependencies ?? []), ...Object.values(r.propertyDependencies ?? {}).flat()].filter((u): u is string => u !== undefined)) expect([r.urn, map.has(ref)]).toEqual([r.urn, true]);
    if (r.provider) expect(map.has(r.provider.slice(0, r.provider.lastIndexOf("::")))).toBe(true);
  }
});

test("secrets stay encrypted: every secret signature object passes through untouched", () => {
  const before = recorded();
  const found = secrets(before);
  expect(found.length).toBeGreaterThanOrEqual(3);
  expect(secrets(migrate(before).document)).toEqual(found);
  const check = byUrn(migrate().document as Doc).get("urn:pulumi:dev::exchange-app-only::exchange-app-only:index:ExchangeAppOnly$exchange-app-only:index:ExchangeAccessCheck::exo-verify")!;
  expect(check.inputs!.clientSecret).toEqual({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", ciphertext: expect.stringMatching(/^v1:/) });
});

test("an export already holding the plugin's default provider keeps it and points the resources at it", () => {
  const doc = recorded();
  const providerUrn = "urn:pulumi:dev::exchange-app-only::pulumi:providers:exchange-app-only::default";
  doc.deployment.resources.splice(1, 0, { urn: providerUrn, custom: true, id: "kept-id", type: TYPE.pluginProvider, inputs: {}, outputs: {} });
  const result = migrate(doc);
  expect(result.providerAdded).toBe(false);
  const after = result.document as Doc;
  expect(after.deployment.resources.filter((r) => r.type === TYPE.pluginProvider)).toHaveLength(1);
  expect(after.deployment.resources.filter((r) => r.type.startsWith("exchange-app-only:index:Exchange") && r.custom).every((r) => r.provider === `${providerUrn}::kept-id`)).toBe(true);
});

test.each<[string, (doc: Doc) => unknown, RegExp]>([
  ["not an object", () => [1, 2], /not a JSON object/],
  ["another version", (d) => ({ ...d, version: 2 }), /version is 2, not 3/],
  ["no deployment", (d) => ({ ...d, deployment: "x" }), /no deployment object/],
  ["pending operations", (d) => ({ ...d, deployment: { ...d.deployment, pending_operations: [{ type: "creating" }] } }), /1 pending operation/],
  ["a resource without a type", (d) => ({ ...d, deployment: { ...d.deployment, resources: [...d.deployment.resources, { urn: "x" }] } }), /no urn or type/],
  [
    "an unknown dynamic kind of this project",
    (d) => ({ ...d, deployment: { ...d.deployment, resources: [...d.deployment.resources, { urn: "urn:pulumi:dev::exchange-app-only::pulumi-nodejs:dynamic/exchange-app-only:Other::x", type: "pulumi-nodejs:dynamic/exchange-app-only:Other", custom: true }] } }),
    /pulumi-nodejs:dynamic\/exchange-app-only:Other, which this migration does not know/,
  ],
  ["nothing to migrate", (d) => migrate(d).document, /nothing to migrate/],
  [
    "an old resource with another provider",
    (d) => ({ ...d, deployment: { ...d.deployment, resources: d.deployment.resources.map((r) => (r.type === LEGACY_DYNAMIC_TYPE.check ? { ...r, provider: "urn:pulumi:dev::exchange-app-only::pulumi:providers:azuread::exo-tenant::id" } : r)) } }),
    /not the dynamic provider/,
  ],
  [
    "a new URN already taken",
    (d) => ({ ...d, deployment: { ...d.deployment, resources: [...d.deployment.resources, { urn: "urn:pulumi:dev::exchange-app-only::exchange-app-only:index:ExchangeAppOnly$exchange-app-only:index:ExchangeAccessCheck::exo-verify", type: TYPE.check, custom: true }] } }),
    /which the export already holds/,
  ],
])("refuses %s with a message and a fix", (_what, change, message) => {
  const input = change(recorded());
  const copy = JSON.stringify(input);
  let error: unknown;
  try {
    migrate(input);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(StateMigrationError);
  expect((error as StateMigrationError).message).toMatch(message);
  expect((error as StateMigrationError).remedy.length).toBeGreaterThan(20);
  // The input is never changed in place.
  expect(JSON.stringify(input)).toBe(copy);
});

describe("the command", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "exo-migrate-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(__dirname, "..", "..", "dist", "src", "cli", "main.js"), "migrate-state", ...args], { encoding: "utf8", cwd: dir });

  test("prints the migrated document on stdout and a summary on stderr (needs `npm run build`)", () => {
    const run = cli(FIXTURE);
    expect(run.status).toBe(0);
    const printed = JSON.parse(run.stdout) as Doc;
    expect(printed).toEqual(migrateDynamicState(recorded(), { newProviderId: () => byUrn(printed).get("urn:pulumi:dev::exchange-app-only::pulumi:providers:exchange-app-only::default")!.id! }).document);
    expect(run.stderr).toMatch(/^migrated 5 resource\(s\) to the exchange-app-only plugin:/);
    expect(run.stderr).toMatch(/next: pulumi stack import --file after\.json/);
  });

  test("a file it cannot read, a file that is not JSON, an export already migrated: a message, exit 2, nothing on stdout", () => {
    const notJson = join(dir, "notjson.json");
    writeFileSync(notJson, "{ nope");
    const migrated = join(dir, "after.json");
    writeFileSync(migrated, JSON.stringify(migrate().document));
    for (const [file, message] of [[join(dir, "missing.json"), /cannot read .*missing\.json \(ENOENT\)/], [notJson, /is not JSON/], [migrated, /nothing to migrate/]] as const) {
      const run = cli(file);
      expect([file, run.status]).toEqual([file, 2]);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(message);
    }
  });
});
