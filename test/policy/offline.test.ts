/** The offline runner behaves as the engine's analyzer does: levels, config, unknowns, not-applicable, parents. */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { runPolicies } from "../../policy/offline";
import { resource, TYPES, UNKNOWN_STRING } from "./harness";

const always = (name: string, enforcementLevel?: "advisory" | "mandatory"): ResourceValidationPolicy => ({
  name,
  description: "reports every resource",
  enforcementLevel,
  validateResource: (args, report) => report(`saw ${args.name}`),
});

describe("runPolicies", () => {
  const resources = [resource("a:b:C", "one"), resource("a:b:C", "two")];

  it("runs a resource policy on every resource, with its level; the pack's default is advisory", async () => {
    expect(await runPolicies([always("m", "mandatory"), always("d")], resources)).toEqual([
      { policy: "m", enforcement: "mandatory", resource: { type: "a:b:C", name: "one", urn: resources[0]!.urn }, message: "saw one" },
      { policy: "m", enforcement: "mandatory", resource: { type: "a:b:C", name: "two", urn: resources[1]!.urn }, message: "saw two" },
      { policy: "d", enforcement: "advisory", resource: { type: "a:b:C", name: "one", urn: resources[0]!.urn }, message: "saw one" },
      { policy: "d", enforcement: "advisory", resource: { type: "a:b:C", name: "two", urn: resources[1]!.urn }, message: "saw two" },
    ]);
  });

  it("takes levels and properties from the policy config, as --policy-pack-config gives them", async () => {
    const configured: StackValidationPolicy = {
      name: "configured",
      description: "reports its config",
      enforcementLevel: "advisory",
      validateStack: (args, report) => report(JSON.stringify(args.getConfig())),
    };
    const config = { m: "disabled" as const, d: { enforcementLevel: "mandatory" as const }, configured: { enforcementLevel: "remediate" as const, maxDays: 9 } };
    const violations = await runPolicies([always("m", "mandatory"), always("d"), configured], resources, { config });
    expect(violations.map((v) => `${v.policy} ${v.enforcement}`)).toEqual(["d mandatory", "d mandatory", "configured mandatory"]);
    expect(violations[2]).toMatchObject({ resource: null, message: '{"maxDays":9}' });
  });

  it("a policy that reads a value unknown during preview becomes an advisory note, as the engine reports it", async () => {
    const reads: ResourceValidationPolicy = { name: "reads", description: "reads roleId", enforcementLevel: "mandatory", validateResource: (args) => void String(args.props.roleId) };
    const [note, ...rest] = await runPolicies([reads], [resource(TYPES.directoryRoleAssignment, "role", { roleId: UNKNOWN_STRING })]);
    expect(rest).toEqual([]);
    expect(note).toMatchObject({ policy: "reads", enforcement: "advisory", message: expect.stringContaining("can't be known during preview") });
  });

  it("notApplicable skips quietly; any other error is a bug and is thrown", async () => {
    const skips: ResourceValidationPolicy = { name: "skips", description: "never applies", validateResource: (args) => args.notApplicable("no") };
    expect(await runPolicies([skips], resources)).toEqual([]);
    const throws: StackValidationPolicy = { name: "throws", description: "breaks", validateStack: () => { throw new TypeError("boom"); } };
    await expect(runPolicies([throws], resources)).rejects.toThrow("boom");
  });

  it("gives stack policies parents, providers and property dependencies by URN", async () => {
    const provider = resource("pulumi:providers:azuread", "exo-tenant", { tenantId: "t" });
    const parent = resource("exchange-app-only:index:ExchangeAppOnly", "exo");
    const app = resource(TYPES.application, "app", {}, { parent: "exo", parentType: parent.type, provider: provider.urn });
    const sp = resource(TYPES.servicePrincipal, "sp", {}, { propertyDependencies: { clientId: [app.urn] } });
    const seen: string[] = [];
    const inspect: StackValidationPolicy = {
      name: "inspect",
      description: "looks at links",
      validateStack: ({ resources: all }) => {
        const a = all.find((r) => r.name === "app")!;
        const s = all.find((r) => r.name === "sp")!;
        seen.push(a.parent!.name, a.opts.parent!, a.provider!.name, String(a.provider!.props.tenantId), s.propertyDependencies.clientId![0]!.name, s.dependencies[0]!.name);
      },
    };
    await runPolicies([inspect], [provider, parent, app, sp]);
    expect(seen).toEqual(["exo", parent.urn, "exo-tenant", "t", "app", "app"]);
  });
});
