/**
 * The workflows users copy (.github/workflows/): GitHub's own parser accepts every one with zero errors, and the
 * properties the docs (GitOps) promise hold: OIDC sign-in where Azure is signed in to and no stored secret, one
 * concurrency group a stack shared by deploy and destroy, max-parallel on every matrix, `npm ci` before every
 * pulumi step, every action pinned to a commit SHA that the pin table (Action pins) lists.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { section } from "../support/docs";
import { commandsOf } from "./shell";
import { ROOT, effectiveEnv, effectivePermissions, parseWithGitHubParser, readWorkflow, workflowFiles, type Job, type ParseResult, type Step, type Workflow } from "./workflows";

const EXPECTED = ["deploy.yml", "destroy.yml", "drift.yml", "pull-request.yml"];
const files = workflowFiles();
const workflows: Workflow[] = files.map(readWorkflow);
const byFile = (file: string): Workflow => workflows.find((w) => w.file === file)!;
const allJobs = (): { workflow: Workflow; id: string; job: Job }[] => workflows.flatMap((workflow) => Object.entries(workflow.jobs).map(([id, job]) => ({ workflow, id, job })));

/** `owner/name` of a `uses:` (a sub-path action keeps only its repository). */
const actionOf = (uses: string): string => uses.split("@")[0]!.split("/").slice(0, 2).join("/");

/** Inputs each action declares in its action.yml at the pinned version (read from the actions' repositories). */
const ACTION_INPUTS: Record<string, readonly string[]> = {
  "actions/checkout": ["repository", "ref", "token", "ssh-key", "ssh-known-hosts", "ssh-strict", "ssh-user", "persist-credentials", "path", "clean", "filter", "sparse-checkout", "sparse-checkout-cone-mode", "fetch-depth", "fetch-tags", "show-progress", "lfs", "submodules", "set-safe-directory", "github-server-url"],
  "actions/setup-node": ["node-version", "node-version-file", "architecture", "check-latest", "registry-url", "scope", "token", "cache", "package-manager-cache", "cache-dependency-path", "mirror", "mirror-token"],
  "actions/github-script": ["script", "github-token", "debug", "user-agent", "previews", "result-encoding", "retries", "retry-exempt-status-codes", "base-url"],
  "pulumi/auth-actions": ["organization", "requested-token-type", "scope", "token-expiration", "export-environment-variables", "cloud-url"],
  "pulumi/actions": [
    "command", "stack-name", "pulumi-version", "pulumi-version-file", "work-dir", "comment-on-pr", "comment-on-pr-number", "comment-on-summary", "github-token", "cloud-url",
    "secrets-provider", "parallel", "message", "config-map", "expect-no-changes", "diff", "replace", "exclude", "exclude-dependents", "target", "target-dependents",
    "policyPacks", "policyPackConfigs", "refresh", "upsert", "remove", "edit-pr-comment", "color", "exclude-protected", "plan", "suppress-outputs", "suppress-progress",
    "always-include-summary", "continue-on-error", "log-verbosity", "log-flow", "debug",
  ],
  "azure/login": ["creds", "client-id", "tenant-id", "subscription-id", "enable-AzPSSession", "environment", "allow-no-subscriptions", "audience", "auth-type"],
};

/** A step that talks to Pulumi: the action (which installs and runs the CLI), the CLI itself, or the check reading stack outputs. */
function isPulumiStep(step: Step): boolean {
  if (step.uses && actionOf(step.uses) === "pulumi/actions") return true;
  if (typeof step.run !== "string") return false;
  return commandsOf(step.run).some((c) => c.argv[0] === "pulumi" || (c.argv[0] === "npx" && c.argv[1] === "exo-app-only" && ["verify", "fleet"].includes(c.argv[2] ?? "") && c.argv[3] !== "matrix"));
}

const runsNpmCi = (step: Step): boolean => typeof step.run === "string" && commandsOf(step.run).some((c) => c.argv[0] === "npm" && c.argv[1] === "ci");

/** Jobs that sign in to Azure: they run pulumi (the azuread provider) or carry the OIDC sign-in variables. */
const signsIn = (workflow: Workflow, job: Job): boolean => job.steps.some(isPulumiStep) || "ARM_USE_OIDC" in effectiveEnv(workflow, job);

describe("GitHub's workflow parser (@actions/workflow-parser)", () => {
  const BROKEN = join("test", "gitops", "fixtures", "broken.yml");
  let results: ParseResult[];
  beforeAll(async () => {
    // One child process for all (the parser is ESM; see parseWorkflows.mjs).
    results = await parseWithGitHubParser([...files.map((f) => join(".github", "workflows", f)), BROKEN]);
  });

  it("finds the four workflows", () => {
    expect(files).toEqual(EXPECTED);
  });

  it("parses and validates every workflow with zero errors", () => {
    const ours = results.filter((r) => r.file !== BROKEN);
    expect(ours.map((r) => ({ file: r.file, errors: r.errors }))).toEqual(files.map((f) => ({ file: join(".github", "workflows", f), errors: [] })));
    for (const r of ours) expect(r.jobs.sort()).toEqual(Object.keys(readWorkflow(r.file.split("/").pop()!).jobs).sort());
  });

  it("reports a broken workflow (the check can fail)", () => {
    const broken = results.find((r) => r.file === BROKEN)!;
    expect(broken.errors.join("\n")).toMatch(/Unrecognized named-value: 'matrix'/);
    expect(broken.errors.join("\n")).toMatch(/Unexpected value 'max-paralel'/);
  });
});

describe("sign-in without stored secrets", () => {
  it("no workflow reads a secret (GitHub's token is github.token)", () => {
    for (const w of workflows) expect({ file: w.file, secrets: w.text.match(/secrets\.[A-Za-z_]+/g) ?? [] }).toEqual({ file: w.file, secrets: [] });
  });

  it("no workflow sets a credential variable (client secret, Pulumi token, passphrase)", () => {
    const banned = /\b(ARM_CLIENT_SECRET|AZURE_CLIENT_SECRET|ARM_CLIENT_CERTIFICATE\w*|PULUMI_ACCESS_TOKEN|PULUMI_CONFIG_PASSPHRASE\w*|AZURE_STORAGE_KEY|AZURE_STORAGE_SAS_TOKEN)\b/;
    for (const { workflow, id, job } of allJobs()) {
      const envs = [workflow.env, job.env, ...job.steps.map((s) => s.env)].flatMap((e) => Object.keys(e ?? {}));
      expect({ where: `${workflow.file}:${id}`, banned: envs.filter((k) => banned.test(k)) }).toEqual({ where: `${workflow.file}:${id}`, banned: [] });
    }
  });

  it("every job that signs in to Azure has id-token: write and the OIDC variables from repository variables", () => {
    const signing = allJobs().filter(({ workflow, job }) => signsIn(workflow, job));
    expect(signing.map(({ workflow, id }) => `${workflow.file}:${id}`).sort()).toEqual(["deploy.yml:deploy", "destroy.yml:destroy", "drift.yml:audit", "drift.yml:drift", "pull-request.yml:preview"]);
    for (const { workflow, id, job } of signing) {
      const where = `${workflow.file}:${id}`;
      expect({ where, permissions: effectivePermissions(workflow, job) }).toMatchObject({ where, permissions: { "id-token": "write", contents: "read" } });
      const env = effectiveEnv(workflow, job);
      expect({ where, ARM_USE_OIDC: env.ARM_USE_OIDC }).toEqual({ where, ARM_USE_OIDC: "true" });
      expect({ where, ARM_CLIENT_ID: env.ARM_CLIENT_ID }).toEqual({ where, ARM_CLIENT_ID: expect.stringMatching(/^\$\{\{ vars\.(ARM_(PREVIEW_)?CLIENT_ID( \|\| vars\.ARM_CLIENT_ID)?|EXO_AUDITOR_CLIENT_ID) \}\}$/) });
      expect({ where, ARM_TENANT_ID: env.ARM_TENANT_ID }).toEqual({ where, ARM_TENANT_ID: "${{ vars.ARM_TENANT_ID }}" });
      // Pulumi Cloud by OIDC too (the self-managed backend is the commented alternative).
      const auth = job.steps.find((s) => s.uses && actionOf(s.uses) === "pulumi/auth-actions");
      expect({ where, auth: auth?.with }).toEqual({ where, auth: { organization: "${{ vars.PULUMI_ORGANIZATION }}", "requested-token-type": "urn:pulumi:token-type:access_token:organization" } });
    }
  });

  it("jobs that do not sign in get no id-token (least privilege)", () => {
    for (const { workflow, id, job } of allJobs().filter(({ workflow, job }) => !signsIn(workflow, job))) {
      expect({ where: `${workflow.file}:${id}`, idToken: effectivePermissions(workflow, job)["id-token"] }).toEqual({ where: `${workflow.file}:${id}`, idToken: undefined });
    }
    for (const w of workflows) expect({ file: w.file, permissions: w.permissions }).toEqual({ file: w.file, permissions: { contents: "read" } });
  });

  it("documents the self-managed backend (Azure Blob, same OIDC sign-in) as a commented alternative in each signing workflow", () => {
    for (const file of ["deploy.yml", "destroy.yml", "drift.yml", "pull-request.yml"]) {
      const text = byFile(file).text;
      expect(text).toMatch(/^\s+# PULUMI_BACKEND_URL: azblob:\/\/\$\{\{ vars\.PULUMI_STATE_CONTAINER \}\}$/m);
      expect(text).toMatch(/^\s+# AZURE_STORAGE_ACCOUNT: \$\{\{ vars\.AZURE_STORAGE_ACCOUNT \}\}$/m);
      expect(text).toMatch(/^\s+# {3}uses: azure\/login@[0-9a-f]{40} # v\d+\.\d+\.\d+$/m);
    }
  });
});

describe("per-stack jobs", () => {
  it("every matrix job sets max-parallel and lets one stack fail without cancelling the others", () => {
    const matrixJobs = allJobs().filter(({ job }) => job.strategy?.matrix !== undefined);
    expect(matrixJobs.map(({ workflow, id }) => `${workflow.file}:${id}`).sort()).toEqual(["deploy.yml:deploy", "drift.yml:drift", "pull-request.yml:preview"]);
    for (const { workflow, id, job } of matrixJobs) {
      expect({ where: `${workflow.file}:${id}`, maxParallel: job.strategy!["max-parallel"], failFast: job.strategy!["fail-fast"] }).toEqual({
        where: `${workflow.file}:${id}`,
        maxParallel: expect.any(Number),
        failFast: false,
      });
      // The matrix is `exo-app-only fleet matrix`'s output, from the job it needs.
      const needs = String(job.needs);
      expect(job.strategy!.matrix).toBe(`\${{ fromJSON(needs.${needs}.outputs.matrix) }}`);
      const producer = workflow.jobs[needs]!.steps.find((s) => s.id === "matrix")!;
      expect(commandsOf(producer.run!).filter((c) => c.argv[0] === "npx").map((c) => c.argv.slice(1, 4).join(" "))).toEqual(["exo-app-only fleet matrix", "exo-app-only fleet matrix"]);
    }
  });

  it("deploy and destroy share one concurrency group a stack, and never cancel a run in progress", () => {
    const deploy = byFile("deploy.yml").jobs.deploy!.concurrency;
    const destroy = byFile("destroy.yml").jobs.destroy!.concurrency;
    expect(deploy).toEqual({ group: "exo-app-only-stack-${{ matrix.stack }}", "cancel-in-progress": false });
    expect(destroy).toEqual({ group: "exo-app-only-stack-${{ inputs.stack }}", "cancel-in-progress": false });
  });

  it("drift has its own group a stack, so a scheduled run never cancels a deploy waiting for its stack", () => {
    const drift = byFile("drift.yml").jobs.drift!.concurrency as { group: string };
    expect(drift).toEqual({ group: "exo-app-only-drift-${{ matrix.stack }}", "cancel-in-progress": false });
  });

  it("runs npm ci before every pulumi step (the verifyOnUp provider and the policy pack load from the project folder)", () => {
    let pulumiSteps = 0;
    for (const { workflow, id, job } of allJobs()) {
      const npmCi = job.steps.findIndex(runsNpmCi);
      job.steps.forEach((step, index) => {
        if (!isPulumiStep(step)) return;
        pulumiSteps += 1;
        expect({ where: `${workflow.file}:${id}:${step.name ?? step.uses}`, npmCiFirst: npmCi >= 0 && npmCi < index }).toEqual({ where: `${workflow.file}:${id}:${step.name ?? step.uses}`, npmCiFirst: true });
      });
    }
    expect(pulumiSteps).toBeGreaterThanOrEqual(10);
  });

  it("passes only inputs the pinned actions declare", () => {
    for (const { workflow, id, job } of allJobs()) {
      for (const step of job.steps.filter((s) => s.uses)) {
        const known = ACTION_INPUTS[actionOf(step.uses!)];
        expect({ where: `${workflow.file}:${id}`, action: actionOf(step.uses!), known: known !== undefined }).toEqual({ where: `${workflow.file}:${id}`, action: actionOf(step.uses!), known: true });
        const unknown = Object.keys(step.with ?? {}).filter((k) => !known!.includes(k));
        expect({ where: `${workflow.file}:${id}:${step.name ?? step.uses}`, unknown }).toEqual({ where: `${workflow.file}:${id}:${step.name ?? step.uses}`, unknown: [] });
      }
    }
  });
});

describe("each workflow does its job", () => {
  /** The step whose run: script calls `pulumi <command>`, its index, and that call's arguments. */
  const pulumiRun = (job: Job, command: string): { index: number; argv: readonly string[]; step: Step } => {
    const index = job.steps.findIndex((s) => typeof s.run === "string" && commandsOf(s.run).some((c) => c.argv[0] === "pulumi" && c.argv[1] === command));
    expect(index).toBeGreaterThanOrEqual(0);
    const step = job.steps[index]!;
    return { index, step, argv: commandsOf(step.run!).find((c) => c.argv[0] === "pulumi" && c.argv[1] === command)!.argv };
  };
  /**
   * Pulumi's output goes through the redaction filter into a file: `pulumi … 2>&1 | node gitops-report.cjs redact
   * --stack "$STACK" | tee <file>`, with the stack's secret config and outputs; a pull request's job with its config
   * only (`--stack-config`): it never reads the deployed stack's secret outputs.
   */
  const redactedInto = (step: Step, knownSecrets: "--stack" | "--stack-config"): string => {
    const names = commandsOf(step.run!).map((c) => c.argv.join(" "));
    const filter = names.indexOf(`node .github/workflows/scripts/gitops-report.cjs redact ${knownSecrets} $STACK`);
    expect(filter).toBeGreaterThan(0);
    expect(names[filter + 1]).toMatch(/^tee \S+\.txt$/);
    expect(step.run).toMatch(/2>&1 \\\n\s+\| node \.github\/workflows\/scripts\/gitops-report\.cjs redact --stack(-config)? "\$STACK" \| tee \S+\.txt/);
    return names[filter + 1]!.split(" ")[1]!;
  };
  /** The step that writes `pulumi-summary` of that file into the job summary, whatever the outcome. */
  const summaryOf = (job: Job, command: string, file: string, after: number): void => {
    const index = job.steps.findIndex((s) => s.run?.includes(`gitops-report.cjs pulumi-summary "$STACK" ${command} ${file} "$OUTCOME" >> "$GITHUB_STEP_SUMMARY"`));
    expect(index).toBeGreaterThan(after);
    expect(job.steps[index]!.if).toMatch(/^always\(\) && /);
  };

  it("pull request: offline plan of every stack into the job summary, then a preview a stack with the policy pack and a PR comment", () => {
    const w = byFile("pull-request.yml");
    expect(Object.keys(w.on)).toEqual(["pull_request"]);
    const planScript = w.jobs.plan!.steps.find((s) => s.name?.startsWith("Plan every stack"))!.run!;
    expect(commandsOf(planScript).map((c) => c.argv.slice(0, 3).join(" "))).toEqual(expect.arrayContaining(["npx exo-app-only plan", "node .github/workflows/scripts/gitops-report.cjs plan-summary"]));
    expect(planScript).toContain('>> "$GITHUB_STEP_SUMMARY"');
    const preview = w.jobs.preview!;
    const run = pulumiRun(preview, "preview");
    expect(run.argv).toEqual(expect.arrayContaining(["--stack", "$STACK", "--policy-pack", "policy", "--suppress-outputs"]));
    // A stack new in the pull request is created (empty) first, as `upsert` did.
    expect(commandsOf(run.step.run!)[0]!.argv).toEqual(["pulumi", "stack", "select", "--create", "--stack", "$STACK", "--non-interactive"]);
    const file = redactedInto(run.step, "--stack-config");
    summaryOf(preview, "preview", file, run.index);
    const comment = preview.steps.find((s) => s.uses && actionOf(s.uses) === "actions/github-script")!;
    expect(preview.steps.indexOf(comment)).toBeGreaterThan(run.index);
    expect(comment.if).toMatch(/^always\(\) && /);
    expect(String(comment.with!.script)).toContain(`commentPreview({ github, context, core, stack: process.env.STACK, outcome: process.env.OUTCOME, file: '${file}' })`);
    expect(existsSync(join(ROOT, "policy", "PulumiPolicy.yaml"))).toBe(true);
    expect(effectivePermissions(w, preview)["pull-requests"]).toBe("write");
    // Fork pull requests never get the deploying identity.
    expect(preview.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
  });

  it("deploy: on push to main, pulumi up a stack, then the check with its table in the job summary", () => {
    const w = byFile("deploy.yml");
    expect(w.on).toEqual({ push: { branches: ["main"] }, workflow_dispatch: null });
    const job = w.jobs.deploy!;
    const run = pulumiRun(job, "up");
    const up = run.index;
    expect(run.argv).toEqual(expect.arrayContaining(["--stack", "$STACK", "--yes", "--skip-preview", "--suppress-outputs", "--non-interactive"]));
    expect(commandsOf(run.step.run!)[0]!.argv).toEqual(["pulumi", "stack", "select", "--create", "--stack", "$STACK", "--non-interactive"]);
    summaryOf(job, "up", redactedInto(run.step, "--stack"), up);
    const verify = job.steps.findIndex((s) => typeof s.run === "string" && commandsOf(s.run).some((c) => c.argv.join(" ").startsWith('npx exo-app-only verify --stack $STACK --json')));
    expect(verify).toBeGreaterThan(up);
    expect(job.env!.STACK).toBe("${{ matrix.stack }}");
    // A stack of many tenants is checked tenant by tenant, its table written from the JSON.
    const many = job.steps.findIndex((s) => typeof s.run === "string" && /npx exo-app-only fleet verify "\$STACK" --json/.test(s.run));
    expect(many).toBeGreaterThan(up);
    expect(job.steps.some((s) => s.run?.includes("gitops-report.cjs verify-summary") && s.run.includes('>> "$GITHUB_STEP_SUMMARY"'))).toBe(true);
  });

  it("drift: scheduled and manual; verify, then preview --refresh --expect-no-changes; one issue a stack", () => {
    const w = byFile("drift.yml");
    expect(w.on).toEqual({ schedule: [{ cron: expect.stringMatching(/^\S+ \S+ \S+ \S+ \S+$/) }], workflow_dispatch: null });
    const job = w.jobs.drift!;
    expect(effectivePermissions(w, job)).toEqual({ contents: "read", "id-token": "write", issues: "write" });
    const names = job.steps.map((s) => s.id ?? "");
    expect(names.indexOf("verify-one")).toBeLessThan(names.indexOf("drift"));
    const drift = job.steps.find((s) => s.id === "drift")!;
    const preview = commandsOf(drift.run!).find((c) => c.argv[0] === "pulumi")!;
    expect(preview.argv).toEqual(expect.arrayContaining(["preview", "--refresh", "--expect-no-changes", "--stack"]));
    expect(redactedInto(drift, "--stack")).toBe("drift.txt");
    for (const id of ["verify-one", "verify-many", "drift"]) expect(job.steps.find((s) => s.id === id)!["continue-on-error"]).toBe(true);
    const issue = job.steps.find((s) => s.uses && actionOf(s.uses) === "actions/github-script")!;
    expect(issue.if).toBe("always()");
    expect(String(issue.with!.script)).toContain("require('./.github/workflows/scripts/gitops-report.cjs')");
    // The issue is redacted with the stack's own secret values as well as the shapes.
    expect(String(issue.with!.script)).toContain("secrets: stackSecrets(process.env.STACK),");
    // ...and the job still ends red when the stack is not green.
    expect(job.steps[job.steps.length - 1]!.run).toMatch(/exit 1/);
  });

  it("drift's audit: the fleet audited as the auditor (its own client id), --fail-on and the evidence reports, one issue for the fleet", () => {
    const w = byFile("drift.yml");
    const job = w.jobs.audit!;
    expect(job.if).toBe("vars.EXO_AUDITOR_CLIENT_ID != ''");
    expect(effectivePermissions(w, job)).toEqual({ contents: "read", "id-token": "write", issues: "write" });
    expect(effectiveEnv(w, job)).toMatchObject({ ARM_USE_OIDC: "true", ARM_CLIENT_ID: "${{ vars.EXO_AUDITOR_CLIENT_ID }}", EXO_AUDIT_FAIL_ON: "${{ vars.EXO_AUDIT_FAIL_ON || 'high' }}" });
    const audit = job.steps.find((s) => s.id === "audit")!;
    expect(audit["continue-on-error"]).toBe(true);
    const runs = commandsOf(audit.run!).filter((c) => c.argv[0] === "npx");
    expect(runs).toHaveLength(2); // --fleet FILE, or --glob
    for (const c of runs) {
      expect(c.argv.slice(0, 4)).toEqual(["npx", "exo-app-only", "fleet", "audit"]);
      expect(c.argv).toEqual(expect.arrayContaining(["--fail-on", "$EXO_AUDIT_FAIL_ON", "--markdown-dir", "audit-reports", "--json"]));
    }
    expect(audit.run).toContain("> audit.json");
    const names = job.steps.map((s) => s.name ?? s.uses ?? "");
    const issueAt = job.steps.findIndex((s) => s.uses && actionOf(s.uses) === "actions/github-script");
    expect(issueAt).toBeGreaterThan(job.steps.indexOf(audit));
    const issue = job.steps[issueAt]!;
    expect(issue.if).toBe("always()");
    expect(issue.env).toEqual({ AUDIT_OUTCOME: "${{ steps.audit.outcome }}" });
    expect(String(issue.with!.script)).toContain("const { syncAuditIssue } = require('./.github/workflows/scripts/gitops-report.cjs');");
    expect(String(issue.with!.script)).toMatch(/auditFile: 'audit\.json',\s+reportsDir: 'audit-reports',\s+failOn: process\.env\.EXO_AUDIT_FAIL_ON/);
    // ...and the job ends red while a finding at or above the level exists.
    const last = job.steps[job.steps.length - 1]!;
    expect(last.if).toBe("always() && steps.audit.outcome != 'success'");
    expect(last.run).toMatch(/exit 1/);
    expect(names.some((n) => /evidence reports in the job summary/.test(n))).toBe(true);
  });

  it("destroy: manual, one stack, an environment to approve it, npm ci before pulumi destroy", () => {
    const w = byFile("destroy.yml");
    expect(Object.keys(w.on)).toEqual(["workflow_dispatch"]);
    expect((w.on.workflow_dispatch as { inputs: Record<string, { required: boolean }> }).inputs.stack).toMatchObject({ required: true, type: "string" });
    const job = w.jobs.destroy!;
    expect(job.environment).toBe("exo-app-only-destroy");
    const run = pulumiRun(job, "destroy");
    const destroy = run.index;
    expect(job.env!.STACK).toBe("${{ inputs.stack }}");
    expect(run.argv).toEqual(expect.arrayContaining(["--stack", "$STACK", "--yes", "--suppress-outputs", "--non-interactive"]));
    summaryOf(job, "destroy", redactedInto(run.step, "--stack"), destroy);
    expect(job.steps.findIndex(runsNpmCi)).toBeLessThan(destroy);
    // The typed confirmation is checked before anything else runs.
    expect(job.steps[0]!.run).toContain('if [ "$STACK" != "$CONFIRM" ]');
  });
});

describe("action pins", () => {
  const USES = /^(\s*)(#\s*)?(- )?uses: (\S+)(.*)$/;
  const PINNED = /^([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/;
  const pins = workflows.flatMap((w) =>
    w.text
      .split("\n")
      .map((line) => line.match(USES))
      .filter((m): m is RegExpMatchArray => m !== null)
      .map((m) => ({ file: w.file, uses: `${m[4]}${m[5]}`.trim() })),
  );

  it("pins every action (commented alternatives too) to a full commit SHA with its version in a comment", () => {
    expect(pins.length).toBeGreaterThan(20);
    for (const pin of pins) expect({ ...pin, pinned: PINNED.test(pin.uses) }).toEqual({ ...pin, pinned: true });
  });

  it("uses one version of each action everywhere", () => {
    const seen = new Map<string, Set<string>>();
    for (const { uses } of pins) {
      const [, action, sha, version] = uses.match(PINNED)!;
      seen.set(action!, (seen.get(action!) ?? new Set()).add(`${sha} ${version}`));
    }
    for (const [action, versions] of seen) expect({ action, versions: [...versions].length }).toEqual({ action, versions: 1 });
  });

  it("lists every pin in the Action pins table (action, version, commit, why)", () => {
    const table = section("Action pins");
    for (const { uses } of pins) {
      const [, action, sha, version] = uses.match(PINNED)!;
      const row = table.split("\n").find((line) => line.startsWith(`| \`${action}\` |`));
      expect({ action, row }).toEqual({ action, row: expect.stringContaining(`| ${version} | \`${sha}\` |`) });
    }
  });

  it("has Dependabot bump the pins (github-actions ecosystem)", () => {
    const dependabot = parse(readFileSync(join(ROOT, ".github", "dependabot.yml"), "utf8")) as { version: number; updates: { "package-ecosystem": string; directory: string }[] };
    expect(dependabot.version).toBe(2);
    expect(dependabot.updates).toEqual(expect.arrayContaining([expect.objectContaining({ "package-ecosystem": "github-actions", directory: "/" })]));
  });
});
