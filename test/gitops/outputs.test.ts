/**
 * No stack output, and no secret at all, reaches a step output, a log, the job summary, a pull-request comment or
 * the drift issue. Each per-stack job (deploy, destroy, drift, the pull request's preview) is run step by step
 * (simulate.ts) against a fake Pulumi stack whose outputs hold a client secret, a private key and a PFX, whose
 * config holds a secret, and whose commands print Pulumi's masked output plus what an error may echo: the config
 * secret, a bearer token, a JWT, an Entra client secret, a private key. Then every byte the job left behind is
 * searched for them. Mutants of the workflows (the pinned action given a command again, the redaction filter
 * taken out, a run line echoing an output) show the search finds a leak when there is one.
 *
 * Why the pinned action may only install the CLI: pulumi/actions v7.0.0 (src/main.ts at
 * 8e5e406f4007fca908480587cb9893c07090f58d) calls `core.setOutput(outKey, outExport.value)` for every stack output
 * after any command (up, preview, destroy, refresh), secret ones included (it only adds core.setSecret, which masks
 * the log); `suppress-outputs` only stops Pulumi printing them. Without `command` it installs the CLI and returns
 * before any of that (installOnly). It has no input that skips the step outputs.
 */
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { commandsOf } from "./shell";
import { simulateJob, type FakeStack, type JobRun } from "./simulate";
import { ROOT, readWorkflow, workflowFiles, type Job, type Step, type Workflow } from "./workflows";

const OUTPUT_SECRET = "output-client-secret-5f2a9c0d";
const CONFIG_SECRET = "config-deployer-secret-7d1e44";
const KEY_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj";
const KEY = `-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\nMzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n-----END PRIVATE KEY-----\n`;
const PFX = `MIIJ${"q3vJmR1tq0xUyPiW9nB5sLc7dEfGhI".repeat(6)}==`;
const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlMzY1LmNvbSJ9.c2lnbmF0dXJlLXBhcnQ";
const SHAPED = "Xk48Q~Zq3vJm.R1_tq0xUyP~iW9nB5sLc7dEfGhI";
const BEARER = "pul-0123456789abcdef0123456789abcdef";
/** Each planted secret, or a distinctive piece of it. */
const PLANTED = [OUTPUT_SECRET, CONFIG_SECRET, KEY_BODY, "MzEfYyjiWA4R4", PFX.slice(0, 40), JWT, SHAPED, BEARER];
const leaks = (text: string): string[] => PLANTED.filter((secret) => text.includes(secret));

const TENANT = {
  tenantId: "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7",
  clientId: "3f8a1b2c-4d5e-4f60-8a71-92b3c4d5e6f7",
  clientSecret: OUTPUT_SECRET,
  certificatePrivateKeyPem: KEY,
  certificatePfxBase64: PFX,
  connectExchangeOnline: { accessToken: "Connect-ExchangeOnline -AccessToken $token" },
};
const ONE_TENANT: FakeStack["outputs"] = {
  tenantId: { value: TENANT.tenantId, secret: false },
  clientId: { value: TENANT.clientId, secret: false },
  clientSecret: { value: OUTPUT_SECRET, secret: true },
  certificatePrivateKeyPem: { value: KEY, secret: true },
  certificatePfxBase64: { value: PFX, secret: true },
  connectExchangeOnline: { value: TENANT.connectExchangeOnline, secret: false },
};
const MANY_TENANTS: FakeStack["outputs"] = { tenants: { value: { contoso: TENANT }, secret: true } };
const CONFIG: FakeStack["config"] = {
  "azuread:clientSecret": { value: CONFIG_SECRET, secret: true },
  "exchange-app-only:tenantId": { value: TENANT.tenantId, secret: false },
};

/** Pulumi's own output (secrets masked) and what errors may echo; `withOutputs`: an output's value echoed too. */
const printed = (withOutputs: boolean): string =>
  [
    "Updating (dev):",
    "  ~ azuread:index/applicationPassword:ApplicationPassword exo-secret update [diff: ~endDate]",
    "      value: [secret]",
    `  error: exchange-app-only:clientSecret: the program read "${CONFIG_SECRET}"`,
    `  error: azuread: POST https://graph.microsoft.com/v1.0/applications: 401 (Authorization: Bearer ${BEARER}; assertion ${JWT}; secret ${SHAPED})`,
    `  provider echoed: ${KEY.trimEnd()}`,
    ...(withOutputs ? [`  dynamic provider echoed ${OUTPUT_SECRET} and ${PFX}`] : []),
    "Resources:",
    "    ~ 1 to update",
    "",
  ].join("\n");

const VERIFY_ONE = { ok: false, tenantId: TENANT.tenantId, checks: [{ id: "token.acquired", ok: false, level: "fail", detail: `AADSTS50000: error for assertion ${JWT}`, remedy: "Check the credential." }] };
const VERIFY_MANY = {
  ok: false,
  stacks: [{ stack: "dev", status: "failed", tenants: [{ tenant: "contoso", tenantId: TENANT.tenantId, ok: false, error: { code: "ERR_CHECK_FAILED", message: `exchange.invoke: 400 echoing Authorization: Bearer ${BEARER}`, remedy: "r" } }] }],
};

const workflows = new Map<string, Workflow>(workflowFiles().map((f) => [f, readWorkflow(f)]));
const PR_EVENT = { pull_request: { number: 7, head: { repo: { full_name: "acme/exo" } } } };

interface Scenario {
  readonly file: string;
  readonly job: string;
  readonly outputs: FakeStack["outputs"];
  readonly exitCode: number;
  /** Whether the job may read the stack's outputs in the clear (not a pull request's). */
  readonly readsOutputs: boolean;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "exo-gitops-sim-"));
  symlinkSync(join(ROOT, ".github"), join(dir, ".github"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(s: Scenario, job: Job = workflows.get(s.file)!.jobs[s.job]!): Promise<JobRun> {
  return simulateJob({
    job,
    workflowEnv: workflows.get(s.file)!.env ?? {},
    contexts: { matrix: { stack: "dev", configFile: "Pulumi.dev.yaml" }, inputs: { stack: "dev", confirm: "dev" }, vars: {}, github: { token: "ghs_fake", repository: "acme/exo", event: PR_EVENT } },
    dir,
    stack: { outputs: s.outputs, config: CONFIG, printed: printed(s.readsOutputs), exitCode: s.exitCode, verifyJson: "tenants" in s.outputs ? VERIFY_MANY : VERIFY_ONE },
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    requireFrom: (path) => require(path),
  });
}

/** Every step output any step set, by name. */
const stepOutputNames = (r: JobRun): string[] => [...new Set(r.steps.flatMap((s) => Object.keys(s.outputs)))].sort();

const SCENARIOS: (Scenario & { what: string; expect: (r: JobRun) => void })[] = [
  {
    what: "deploy, one tenant, pulumi up succeeds",
    file: "deploy.yml",
    job: "deploy",
    outputs: ONE_TENANT,
    exitCode: 0,
    readsOutputs: true,
    expect: (r) => expect(r.summary).toContain("### pulumi up: `dev` ✅"),
  },
  {
    what: "deploy, many tenants, pulumi up fails",
    file: "deploy.yml",
    job: "deploy",
    outputs: MANY_TENANTS,
    exitCode: 255,
    readsOutputs: true,
    expect: (r) => {
      expect(r.summary).toContain("### pulumi up: `dev` ❌ failed");
      expect(r.summary).toContain('the program read "[redacted]"');
    },
  },
  {
    what: "destroy",
    file: "destroy.yml",
    job: "destroy",
    outputs: ONE_TENANT,
    exitCode: 0,
    readsOutputs: true,
    expect: (r) => expect(r.summary).toContain("### pulumi destroy: `dev` ✅"),
  },
  {
    what: "drift, one tenant, the preview finds drift",
    file: "drift.yml",
    job: "drift",
    outputs: ONE_TENANT,
    exitCode: 1,
    readsOutputs: true,
    expect: (r) => {
      const issue = r.posted.find((p) => p.startsWith("issue: exo-app-only: dev drift or broken access"))!;
      expect(issue).toContain("### What drifted");
      expect(issue).toContain("Authorization: Bearer [redacted]");
      expect(issue).toContain("`token.acquired`");
    },
  },
  {
    what: "drift, many tenants",
    file: "drift.yml",
    job: "drift",
    outputs: MANY_TENANTS,
    exitCode: 1,
    readsOutputs: true,
    expect: (r) => expect(r.posted.some((p) => p.startsWith("issue: exo-app-only: dev/contoso drift or broken access"))).toBe(true),
  },
  {
    what: "the pull request's preview, with a policy violation",
    file: "pull-request.yml",
    job: "preview",
    outputs: ONE_TENANT,
    exitCode: 255,
    readsOutputs: false,
    expect: (r) => {
      const comment = r.posted.find((p) => p.startsWith("comment: "))!;
      expect(comment).toContain("### `pulumi preview` of `dev` ❌ failed");
      expect(comment).toContain("value: [secret]");
      expect(r.summary).toContain("### pulumi preview: `dev` ❌ failed");
      // A pull request's job never reads the deployed stack's outputs in the clear, not even to redact them.
      expect(r.pulumiCalls.filter((c) => c.startsWith("stack output") && c.includes("--show-secrets"))).toEqual([]);
    },
  },
];

describe("every per-stack job, run step by step against a stack full of secrets", () => {
  test.each(SCENARIOS.map((s) => [s.what, s] as const))("%s: no secret in the logs, step outputs, job summary, comment or issue", async (_what, s) => {
    const r = await run(s);
    expect(leaks(r.everything)).toEqual([]);
    // No stack output is a step output: only the steps' own (the fleet's matrix, the stack's shape).
    expect(stepOutputNames(r).filter((name) => !["tenants"].includes(name))).toEqual([]);
    expect(r.env).toBe("");
    s.expect(r);
  });
});

describe("the search finds a leak when there is one (mutants of the workflows)", () => {
  const deploy = SCENARIOS[0]!;
  const withSteps = (job: Job, map: (step: Step) => Step): Job => ({ ...job, steps: job.steps.map(map) });

  test("the pinned action given `command: up` again: every output, secret ones included, becomes a step output", async () => {
    const job = workflows.get("deploy.yml")!.jobs.deploy!;
    const mutant = withSteps(job, (step) =>
      step.id === "up" ? { name: "pulumi up", id: "up", uses: job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!.uses!, with: { command: "up", "stack-name": "${{ matrix.stack }}", upsert: true, "comment-on-summary": true, "suppress-outputs": true } } : step,
    );
    const r = await run(deploy, mutant);
    expect(stepOutputNames(r)).toEqual(expect.arrayContaining(["clientSecret", "certificatePrivateKeyPem", "certificatePfxBase64"]));
    expect(leaks(r.everything)).toEqual(expect.arrayContaining([OUTPUT_SECRET, KEY_BODY]));
  });

  test("the redaction filter taken out of drift's preview: the log holds what Pulumi's errors echoed", async () => {
    const job = workflows.get("drift.yml")!.jobs.drift!;
    const mutant = withSteps(job, (step) => (step.id === "drift" ? { ...step, run: step.run!.replace(/\| node \S+ redact --stack "\$STACK" /, "") } : step));
    expect(mutant.steps.find((s) => s.id === "drift")!.run).not.toContain("redact");
    const r = await run(SCENARIOS[3]!, mutant);
    expect(leaks(r.steps.find((s) => s.name.startsWith("pulumi preview"))!.log)).toEqual(expect.arrayContaining([CONFIG_SECRET, BEARER, JWT, SHAPED, KEY_BODY]));
  });

  test("a run line that echoes a stack output into a step output", async () => {
    const job = workflows.get("pull-request.yml")!.jobs.preview!;
    const mutant = withSteps(job, (step) => (step.id === "preview" ? { ...step, run: `echo "secret=$(pulumi stack output clientSecret --show-secrets --stack "$STACK")" >> "$GITHUB_OUTPUT"\n${step.run}` } : step));
    const r = await run(SCENARIOS[5]!, mutant);
    expect(stepOutputNames(r)).toContain("secret");
    expect(leaks(r.everything)).toContain(OUTPUT_SECRET);
  });
});

describe("what the workflows say, read without running them", () => {
  const all = [...workflows.values()].flatMap((w) => Object.entries(w.jobs).flatMap(([id, job]) => job.steps.map((step) => ({ where: `${w.file}:${id}:${step.name ?? step.uses ?? step.id}`, step, job }))));

  test("pulumi/actions only ever installs the CLI: no command, nothing but a version", () => {
    const uses = all.filter(({ step }) => step.uses?.startsWith("pulumi/actions@"));
    expect(uses.length).toBe(5); // deploy, destroy, drift, pull-request and drift's audit
    for (const { where, step } of uses) expect({ where, with: Object.keys(step.with ?? {}).filter((k) => !["pulumi-version", "pulumi-version-file"].includes(k)) }).toEqual({ where, with: [] });
  });

  test("no run: line asks Pulumi for secrets in the clear, and `pulumi stack output` prints only to /dev/null", () => {
    for (const { where, step } of all.filter(({ step }) => typeof step.run === "string")) {
      const calls = commandsOf(step.run!).filter((c) => c.argv[0] === "pulumi");
      for (const c of calls) {
        expect({ where, call: c.argv.join(" "), clear: c.argv.includes("--show-secrets") || c.argv[1] === "config" || (c.argv[1] === "stack" && c.argv[2] === "export") }).toEqual({ where, call: c.argv.join(" "), clear: false });
      }
      for (const line of step.run!.split("\n").filter((l) => /\bpulumi stack output\b/.test(l))) expect({ where, line, quiet: /\bpulumi stack output\b[^|;&]*> \/dev\/null/.test(line) }).toEqual({ where, line, quiet: true });
    }
  });

  test("jobs hand on only the fleet's matrix: no job output comes from a Pulumi step", () => {
    for (const [file, w] of workflows) {
      const raw = parse(w.text) as { jobs: Record<string, { outputs?: Record<string, string> }> };
      for (const [id, job] of Object.entries(raw.jobs)) {
        for (const [name, value] of Object.entries(job.outputs ?? {})) expect({ where: `${file}:${id}`, name, value }).toEqual({ where: `${file}:${id}`, name: "matrix", value: "${{ steps.matrix.outputs.matrix }}" });
      }
    }
  });
});
