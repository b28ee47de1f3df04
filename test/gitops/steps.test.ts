/**
 * The pull-request workflow's offline steps, run as GitHub would run them (bash -eo pipefail, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files) against the real CLI: the fleet matrix, then the plan of every stack with the policy
 * pack into the job summary, a mandatory policy violation failing the step with the policy and its fix. Needs
 * dist/ and jq.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, readWorkflow } from "./workflows";

const hasJq = (() => {
  try {
    execFileSync("jq", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

interface StepRun {
  readonly code: number;
  readonly stderr: string;
}

/** Runs a step's script in `cwd` as GitHub does for `shell: bash`. */
function runStep(script: string, cwd: string, env: Record<string, string>): Promise<StepRun> {
  return new Promise((resolve) => {
    execFile("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd, env: { ...process.env, ...env }, timeout: 60_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stderr: String(stderr) });
    });
  });
}

(hasJq ? describe : describe.skip)("pull-request.yml's offline steps, run with bash", () => {
  const plan = readWorkflow("pull-request.yml").jobs.plan!;
  const script = (name: string): string => plan.steps.find((s) => s.name?.startsWith(name))!.run!;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(() => {
    // A scratch folder inside the project (dist/ is ignored by git): npx finds the project's own CLI from the
    // folder upward, and `plan` finds Pulumi.yaml the same way, as on a runner at the repository's root.
    mkdirSync(join(ROOT, "dist"), { recursive: true });
    dir = mkdtempSync(join(ROOT, "dist", "gitops-steps-"));
    symlinkSync(join(ROOT, ".github"), join(dir, ".github"));
    symlinkSync(join(ROOT, "Pulumi.dev.yaml"), join(dir, "Pulumi.dev.yaml"));
    // Valid config, but Global Administrator: the policy pack's mandatory no-global-administrator refuses it.
    writeFileSync(
      join(dir, "tenants-prod.yaml"),
      "config:\n  exchange-app-only:tenantId: 6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7\n  exchange-app-only:organization: contoso.onmicrosoft.com\n  exchange-app-only:role: Global Administrator\n  exchange-app-only:allowGlobalAdministrator: true\n",
    );
    env = { GITHUB_OUTPUT: join(dir, "github-output"), GITHUB_STEP_SUMMARY: join(dir, "step-summary"), EXO_FLEET_FILE: "", EXO_STACK_GLOB: "dev" };
    writeFileSync(env.GITHUB_OUTPUT!, "");
    writeFileSync(env.GITHUB_STEP_SUMMARY!, "");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the fleet as the matrix output", async () => {
    const run = await runStep(script("The fleet as a matrix"), dir, env);
    expect(run).toMatchObject({ code: 0 });
    expect(readFileSync(env.GITHUB_OUTPUT!, "utf8")).toBe('matrix={"include":[{"stack":"dev","configFile":"Pulumi.dev.yaml"}]}\n');
    expect(JSON.parse(readFileSync(join(dir, "matrix.json"), "utf8"))).toEqual({ include: [{ stack: "dev", configFile: "Pulumi.dev.yaml" }] });
  });

  it("plans every stack with the policy pack into the job summary, and fails the step on a mandatory violation", async () => {
    // A fleet file's stack may keep its config anywhere: the plan is told both the stack's name and its file.
    writeFileSync(join(dir, "matrix.json"), JSON.stringify({ include: [{ stack: "dev", configFile: "Pulumi.dev.yaml" }, { stack: "contoso-prod", configFile: "tenants-prod.yaml" }] }));
    const run = await runStep(script("Plan every stack offline"), dir, env);
    expect(run.code).toBe(1);
    const summary = readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8");
    expect(summary).toMatch(/### Offline plan: `dev` ✅ \d+ resources\n\nPolicy pack: no violation\./);
    expect(summary).toContain("| `azuread:index/application:Application` | 1 |");
    expect(summary).toMatch(/### Offline plan: `contoso-prod` ❌ \d+ resources, 1 mandatory policy violation/);
    expect(summary).toMatch(/\| `no-global-administrator` \| 🚫 mandatory \| `exo-exchange-role` \| .*Global Administrator.*Set exchange-app-only:role to "Exchange Administrator"/);
    // The summary holds no secret: the plan's inputs stay out of it altogether.
    expect(summary).not.toMatch(/PRIVATE KEY|\[secret\]/);
  });
});
