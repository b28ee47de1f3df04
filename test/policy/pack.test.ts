/**
 * The whole pack over what the real program registers (index.ts under mocks): the stacks this project ships pass,
 * and each misconfiguration the pack exists for is caught. Also: the pack's files are what the Pulumi CLI expects.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { checkPlan } from "../../policy/plan";
import { exchangeAppOnlyPolicies, PACK_NAME } from "../../policy/policies";
import { TYPES } from "../../policy/types";
import { evaluateProgram } from "../../src/cli/evaluate";
import { readStackConfig } from "../../src/plan/stackFile";
import { evaluate } from "../support/evaluate";

const ROOT = join(__dirname, "..", "..");
/** The clock test/support/evaluate's backend uses. */
const NOW = new Date("2026-11-26T00:00:00Z");

async function violationsOf(overrides: Record<string, unknown>, stack = "dev") {
  const run = await evaluate(overrides);
  return checkPlan(run.resources, { stack, now: NOW });
}

const summary = (violations: { policy: string; enforcement: string; resource: { name: string } | null }[]) =>
  violations.map((v) => `${v.enforcement} ${v.policy} ${v.resource?.name ?? "(stack)"}`);

describe("the pack over the real program", () => {
  it("a default stack (generated certificate, the check) has no violation", async () => {
    expect(await violationsOf({})).toEqual([]);
  });

  it("a stack with a 180-day secret, federated credentials and a narrower role has none either", async () => {
    const federatedCredentials = [{ kind: "github", repository: "contoso/runbooks", branch: "main" }];
    expect(await violationsOf({ clientSecret: "true", role: "Global Reader", federatedCredentials })).toEqual([]);
  });

  it("role: Global Administrator (opted in) is a mandatory violation on the role assignment", async () => {
    expect(summary(await violationsOf({ role: "Global Administrator", allowGlobalAdministrator: "true" }))).toEqual(["mandatory no-global-administrator exo-exchange-role"]);
  });

  it("a one-year secret, verifyOnUp off, in a production stack: three advisories", async () => {
    const violations = await violationsOf({ clientSecret: "true", clientSecretLifetimeDays: "365", verifyOnUp: "false" }, "contoso-prod");
    expect(summary(violations)).toEqual([
      "advisory client-secret-lifetime exo-secret-a",
      "advisory no-client-secret-in-production exo-secret-a",
      "advisory verify-on-up exo-registration-app",
    ]);
  });

  it("the program's app without its consent (as if the grant were dropped) is a mandatory violation", async () => {
    const run = await evaluate({});
    const withoutConsent = run.resources.filter((r) => r.type !== TYPES.appRoleAssignment);
    expect(summary(await checkPlan(withoutConsent, { stack: "dev", now: NOW }))).toEqual(["mandatory exchange-permission-granted exo-registration-app"]);
  });

  it.each(["fleet-example", "msp-example", "dev"])("the shipped stack %s passes", async (stack) => {
    const config = readStackConfig(join(ROOT, "Pulumi.yaml"), join(ROOT, `Pulumi.${stack}.yaml`));
    const run = await evaluateProgram({ config, stack });
    expect(summary(await checkPlan(run.resources, { stack }))).toEqual([]);
  });
});

describe("the pack's own files", () => {
  it("has unique policy names, mandatory ones first, and every policy says what it checks", () => {
    const policies = exchangeAppOnlyPolicies({ stack: () => "dev", now: () => NOW });
    const names = policies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    const levels = policies.map((p) => p.enforcementLevel);
    expect(levels).toEqual([...levels].sort((a, b) => (a === b ? 0 : a === "mandatory" ? -1 : 1)));
    expect(levels.filter((l) => l === "mandatory")).toHaveLength(4);
    for (const p of policies) expect(p.description.length).toBeGreaterThan(20);
  });

  it("is a Node.js pack the CLI can start from its folder: PulumiPolicy.yaml, package.json with a version and main", () => {
    const project = parse(readFileSync(join(ROOT, "policy", "PulumiPolicy.yaml"), "utf8")) as { runtime: string };
    expect(project.runtime).toBe("nodejs");
    const pkg = JSON.parse(readFileSync(join(ROOT, "policy", "package.json"), "utf8")) as { version: string; main: string; dependencies?: unknown };
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(readFileSync(join(ROOT, "policy", pkg.main), "utf8")).toContain(`new PolicyPack(PACK_NAME`);
    expect(PACK_NAME).toBe("exchange-app-only");
    // Dependencies come from the repository's node_modules: the pack has none of its own to install.
    expect(pkg.dependencies).toBeUndefined();
  });

  it("imports nothing of this project but src/facts (the layering in DESIGN.md)", () => {
    const { readdirSync } = require("node:fs") as typeof import("node:fs");
    for (const file of readdirSync(join(ROOT, "policy")).filter((f: string) => f.endsWith(".ts"))) {
      const source = readFileSync(join(ROOT, "policy", file), "utf8");
      const imports = [...source.matchAll(/from "(\.\.\/[^"]+)"/g)].map((m) => m[1]);
      expect([file, imports.filter((i) => i !== "../src/facts")]).toEqual([file, []]);
    }
  });
});
