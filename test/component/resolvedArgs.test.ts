/**
 * Args that are other resources' outputs are checked when they resolve, and a provider of another tenant is refused:
 * both fail the program the way the engine reports it (the program's unhandled rejection), so each runs the built
 * component (dist/, made by `npm test`) in a child process, and reports what it printed and what registered.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { FUNCTION, TYPE as T } from "../../src/facts/typeTokens";
import { stackConfigMessage, TENANT_ID } from "../support/stackConfig";

const ROOT = join(__dirname, "..", "..");
const ORGANIZATION = "contoso.onmicrosoft.com";

interface Outcome {
  readonly code: number | null;
  readonly stderr: string;
  /** Type tokens of the resources that registered. */
  readonly registered: string[];
}

/**
 * Declares one ExchangeAppOnly with `args`, the keys in `asOutputs` wrapped in `pulumi.output`, against the offline
 * backend; `providerTenant` is the tenant the azuread provider answers getClientConfig with.
 */
function declareInChild(args: Record<string, unknown>, asOutputs: readonly string[], providerTenant?: string): Outcome {
  const dist = join(ROOT, "dist");
  const script = `
    const pulumi = require(${JSON.stringify(join(ROOT, "node_modules", "@pulumi", "pulumi"))});
    const { ExchangeAppOnly } = require(${JSON.stringify(join(dist, "components"))});
    const { runProgram } = require(${JSON.stringify(join(dist, "src", "mocks", "run"))});
    const { offlineBackend } = require(${JSON.stringify(join(dist, "src", "mocks", "offline"))});
    const registered = [];
    const done = (code, message) => { process.stdout.write(JSON.stringify({ registered })); if (message) process.stderr.write(message); process.exit(code); };
    process.on("unhandledRejection", (e) => done(1, e instanceof Error ? e.message : String(e)));
    const offline = offlineBackend();
    const backend = {
      newResource: (a) => { registered.push(a.type); return offline.newResource(a); },
      call: (a) => a.token === ${JSON.stringify(FUNCTION.getClientConfig)} && ${JSON.stringify(providerTenant ?? null)} ? { tenantId: ${JSON.stringify(providerTenant ?? null)} } : offline.call(a),
    };
    const args = ${JSON.stringify(args)};
    for (const key of ${JSON.stringify(asOutputs)}) args[key] = pulumi.output(args[key]);
    runProgram(async () => ({ clientId: new ExchangeAppOnly("exo", args).clientId }), { config: {}, backend })
      .then(() => setTimeout(() => done(0), 300), (e) => done(1, e.message));
  `;
  const child = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 60_000 });
  return { code: child.status, stderr: child.stderr, registered: (JSON.parse(child.stdout || "{}") as { registered?: string[] }).registered ?? [] };
}

describe("args that resolve later, and the provider's tenant", () => {
  it("an output tenantId that is valid registers the app (the control for the cases below)", () => {
    const outcome = declareInChild({ tenantId: TENANT_ID, organization: ORGANIZATION }, ["tenantId"], TENANT_ID);
    expect(outcome.stderr).not.toContain(" = ");
    expect(outcome.code).toBe(0);
    expect(outcome.registered).toContain(T.application);
  });

  it("an output tenantId that is no tenant id fails with the stack config's message, and no app registers", () => {
    const outcome = declareInChild({ tenantId: "not-a-tenant", organization: ORGANIZATION }, ["tenantId"]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`tenantId = ${stackConfigMessage("tenantId", "not-a-tenant")}`);
    expect(outcome.registered).not.toContain(T.application);
  });

  it("a certificate output that says generate is refused: an output may only be a PEM", () => {
    const outcome = declareInChild({ tenantId: TENANT_ID, organization: ORGANIZATION, certificate: "generate" }, ["certificate"]);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('certificate = "generate": is an output here, and an output may only be a PEM public certificate: pass "generate" as a plain value');
    expect(outcome.registered).not.toContain(T.certificate);
  });

  it("a provider signed in to another tenant is refused with the fix, before the app registers", () => {
    const other = "11111111-2222-4333-8444-555555555555";
    const outcome = declareInChild({ tenantId: TENANT_ID, organization: ORGANIZATION }, [], other);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`tenantId = "${TENANT_ID}": is not the tenant the ExchangeAppOnly's azuread provider signs in to (${other}): give the component that tenant's provider in opts.providers`);
    expect(outcome.registered).not.toContain(T.application);
  });
});
