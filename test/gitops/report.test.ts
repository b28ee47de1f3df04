/**
 * .github/workflows/scripts/gitops-report.cjs: the job-summary sections and the drift issue. The issue logic runs
 * against a fake of the GitHub client actions/github-script hands it (the same octokit calls, recorded).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./workflows";

interface Failure {
  where: string;
  what: string;
  detail: string;
  fix: string;
  level?: string;
}
interface Parsed {
  value?: unknown;
  missing?: boolean;
  invalid?: boolean;
}
interface DriftInput {
  stack: string;
  verifyOutcome: string;
  verify?: Parsed;
  driftOutcome: string;
  driftText?: string;
  runUrl: string;
  now: Date;
}
interface ReportModule {
  issueTitle(stack: string): string;
  ISSUE_LABEL: string;
  cell(value: unknown): string;
  planSummary(stack: string, parsed: Parsed): string;
  verifySummary(stack: string, parsed: Parsed): string;
  verifyFailures(result: unknown): Failure[];
  driftReport(input: DriftInput & { secrets?: string[] }): { title: string; body: string; failing: boolean; fingerprint: string };
  pulumiSummary(stack: string, command: string, text: string | undefined, outcome: string): string;
  commentPreview(input: Record<string, unknown>): Promise<{ action: string; id?: number }>;
  stackSecrets(stack: string, run: (args: string[]) => string): string[];
  driftSubjects(input: Omit<DriftInput, "runUrl" | "now">): Array<{ stack: string; verifyOutcome: string; driftOutcome: string; driftText?: string }>;
  syncDriftIssue(input: Record<string, unknown>): Promise<{ action: string; number?: number }>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const report = require(join(ROOT, ".github", "workflows", "scripts", "gitops-report.cjs")) as ReportModule;

const SHAPED = "Xk48Q~Zq3vJm.R1_tq0xUyP~iW9nB5sLc7dEfGhI";
const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL291dGxvb2sub2ZmaWNlMzY1LmNvbSJ9.c2lnbmF0dXJlLXBhcnQ";
const KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n-----END PRIVATE KEY-----";

/** `exo-app-only verify --json` for a tenant whose app lost its directory role. */
const VERIFY_FAILED = {
  ok: false,
  tenantId: "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7",
  clientId: "3f8a1b2c-4d5e-4f60-8a71-92b3c4d5e6f7",
  environment: "public",
  checks: [
    { id: "token.acquired", ok: true, detail: "Entra ID issued a token", level: "ok" },
    { id: "credential.validity", ok: true, detail: "the certificate ends in 20 days", remedy: "Rotate it: pulumi config set certificateRotation 1 && pulumi up", level: "warning" },
    { id: "exchange.invoke", ok: false, detail: "403 from Exchange: the app has no directory role Exchange accepts", remedy: "Assign the role: pulumi up (the stack declares Exchange Administrator) | or in Entra <Roles>", level: "fail" },
  ],
  attempts: 3,
  elapsedMs: 1000,
};
const VERIFY_OK = { ...VERIFY_FAILED, ok: true, checks: [{ id: "exchange.invoke", ok: true, detail: "200", level: "ok" }] };
/** `exo-app-only fleet verify <stack> --json` for a stack of two tenants, one broken. */
const FLEET_FAILED = {
  ok: false,
  command: "verify",
  stacks: [
    {
      stack: "fleet-example",
      status: "failed",
      phase: "verify",
      tenants: [
        { tenant: "contoso", tenantId: "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7", ok: true, durationMs: 900 },
        { tenant: "fabrikam", tenantId: "7a1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7", ok: false, durationMs: 1200, error: { code: "ERR_CHECK_FAILED", message: "exchange.invoke: 401 from Exchange", remedy: "Grant admin consent: pulumi up" } },
      ],
    },
  ],
};
const ERROR_OBJECT = { ok: false, error: { code: "ERR_STACK", message: "stack dev lacks usable outputs: tenantId", remedy: "Run `pulumi up` for this stack first" } };

describe("plan summary", () => {
  it("counts resources by type and lists each one folded away, imports marked", () => {
    const md = report.planSummary("dev", {
      value: {
        ok: true,
        resources: [
          { type: "azuread:index/application:Application", name: "exo-app", parent: "exo-registration", inputs: { displayName: "x" }, importId: "/applications/a1" },
          { type: "azuread:index/servicePrincipal:ServicePrincipal", name: "exo-sp", parent: "exo-registration", inputs: {} },
          { type: "azuread:index/application:Application", name: "other", parent: null, inputs: {} },
        ],
      },
    });
    expect(md).toContain("### Offline plan: `dev` ✅ 3 resources, 1 to import");
    expect(md).toContain("| `azuread:index/application:Application` | 2 |");
    expect(md).toContain("| `exo-app` | `azuread:index/application:Application` | `exo-registration` | `/applications/a1` |");
    expect(md).not.toContain("displayName");
  });

  it("lists policy violations, a mandatory one marking the stack failed", () => {
    const resources = [{ type: "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment", name: "exo-exchange-role", parent: "exo-exchange", inputs: {} }];
    const violations = [
      { policy: "no-global-administrator", enforcement: "mandatory", resource: { type: resources[0]!.type, name: "exo-exchange-role", urn: "urn:x" }, message: "is Global Administrator. Set role to <Exchange Administrator>" },
      { policy: "verify-on-up", enforcement: "advisory", resource: { type: "t", name: "exo", urn: "urn:y" }, message: "verifyOnUp is off" },
    ];
    const md = report.planSummary("prod", { value: { ok: true, resources, policy: { violations } } });
    expect(md).toContain("### Offline plan: `prod` ❌ 1 resource, 1 mandatory policy violation");
    expect(md).toContain("| `no-global-administrator` | 🚫 mandatory | `exo-exchange-role` | is Global Administrator. Set role to &lt;Exchange Administrator&gt; |");
    expect(md).toContain("| `verify-on-up` | ⚠️ advisory | `exo` | verifyOnUp is off |");
    const advisoryOnly = report.planSummary("dev", { value: { ok: true, resources, policy: { violations: [violations[1]] } } });
    expect(advisoryOnly).toContain("### Offline plan: `dev` ✅ 1 resource\n");
    expect(report.planSummary("dev", { value: { ok: true, resources, policy: { violations: [] } } })).toContain("Policy pack: no violation.");
  });

  it("names a failed plan's code, each bad key and the fix; a missing or non-JSON output says so", () => {
    const md = report.planSummary("bad", { value: { ok: false, error: { code: "ERR_CONFIG_INVALID", message: "a\nb", remedy: "Fix the key in Pulumi.<stack>.yaml", issues: [{ key: "exchange-app-only:role", value: '"Exchange Admin"', message: "is not a role | see <docs>" }] } } });
    expect(md).toContain("❌ invalid stack config");
    expect(md).toContain("**ERR_CONFIG_INVALID**: 1 key to fix");
    expect(md).toContain('| `exchange-app-only:role` | "Exchange Admin" | is not a role \\| see &lt;docs&gt; |');
    expect(md).toContain("> Fix the key in Pulumi.&lt;stack&gt;.yaml");
    expect(report.planSummary("x", { missing: true })).toContain("❌ no plan output");
    expect(report.planSummary("x", { invalid: true })).toContain("❌ the plan printed no JSON");
  });
});

describe("verify results", () => {
  it("reads failures (and warnings) from the three shapes the check prints", () => {
    expect(report.verifyFailures(VERIFY_FAILED)).toEqual([
      { where: VERIFY_FAILED.tenantId, what: "credential.validity", detail: "the certificate ends in 20 days", fix: expect.stringContaining("certificateRotation"), level: "warning" },
      { where: VERIFY_FAILED.tenantId, what: "exchange.invoke", detail: expect.stringContaining("403"), fix: expect.stringContaining("Assign the role"), level: "fail" },
    ]);
    expect(report.verifyFailures(VERIFY_OK)).toEqual([]);
    expect(report.verifyFailures(FLEET_FAILED)).toEqual([{ where: "fabrikam", what: "ERR_CHECK_FAILED", detail: "exchange.invoke: 401 from Exchange", fix: "Grant admin consent: pulumi up" }]);
    expect(report.verifyFailures(ERROR_OBJECT)).toEqual([{ where: "", what: "ERR_STACK", detail: ERROR_OBJECT.error.message, fix: ERROR_OBJECT.error.remedy }]);
  });

  it("writes a tenant table for a stack of many tenants", () => {
    const md = report.verifySummary("fleet-example", { value: FLEET_FAILED });
    expect(md).toContain("### Exchange Online app-only check: `fleet-example` ❌ failed");
    expect(md).toContain("| ✅ | `contoso` | app-only access works (6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7) |  |");
    expect(md).toContain("| ❌ | `fabrikam` | exchange.invoke: 401 from Exchange | Grant admin consent: pulumi up |");
    expect(report.verifySummary("dev", { value: ERROR_OBJECT })).toContain("| ❌ | `ERR_STACK` | stack dev lacks usable outputs: tenantId | Run `pulumi up` for this stack first |");
  });
});

describe("the drift issue", () => {
  const base = { stack: "contoso", runUrl: "https://github.com/acme/exo/actions/runs/42", now: new Date("2026-11-26T05:17:00.123Z") };

  it("says what broke and how to fix it, from the check's failing checks", () => {
    const r = report.driftReport({ ...base, verifyOutcome: "failure", verify: { value: VERIFY_FAILED }, driftOutcome: "success" });
    expect(r.title).toBe("exo-app-only: contoso drift or broken access");
    expect(r.failing).toBe(true);
    expect(r.body).toContain("### What broke: app-only access");
    expect(r.body).toContain("| ❌ | 6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7 | `exchange.invoke` | 403 from Exchange: the app has no directory role Exchange accepts | Assign the role: pulumi up (the stack declares Exchange Administrator) \\| or in Entra &lt;Roles&gt; |");
    expect(r.body).toContain("| ⚠️ | 6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7 | `credential.validity` |");
    expect(r.body).toContain("last run 2026-11-26T05:17:00Z: [run log](https://github.com/acme/exo/actions/runs/42)");
    expect(r.body).not.toContain("### What drifted");
  });

  it("shows the preview's diff when the tenant drifted, and how to fix it", () => {
    const r = report.driftReport({ ...base, verifyOutcome: "success", verify: { value: VERIFY_OK }, driftOutcome: "failure", driftText: "\u001b[1m~ azuread:index/application:Application exo-app update\u001b[0m\n    ~ displayName: \"a\" => \"b\"\nResources:\n    ~ 1 to update\nerror: no changes were expected but changes were proposed\n```" });
    expect(r.body).toContain("### What drifted");
    expect(r.body).toContain("run the **deploy** workflow (or `pulumi up --stack contoso`)");
    expect(r.body).toContain("~ azuread:index/application:Application exo-app update\n");
    expect(r.body).not.toContain("\u001b[");
    expect(r.body).not.toMatch(/```\n```/);
  });

  it("keeps the body within GitHub's limit for a huge preview", () => {
    const r = report.driftReport({ ...base, verifyOutcome: "success", driftOutcome: "failure", driftText: "x".repeat(200_000) });
    expect(r.body.length).toBeLessThan(30_000);
    expect(r.body).toContain("characters cut");
  });

  it("changes its fingerprint only when what fails changes", () => {
    const a = report.driftReport({ ...base, verifyOutcome: "failure", verify: { value: VERIFY_FAILED }, driftOutcome: "success" });
    const later = report.driftReport({ ...base, now: new Date("2026-11-27T05:17:00Z"), verifyOutcome: "failure", verify: { value: { ...VERIFY_FAILED, elapsedMs: 5 } }, driftOutcome: "success" });
    const worse = report.driftReport({ ...base, verifyOutcome: "failure", verify: { value: VERIFY_FAILED }, driftOutcome: "failure" });
    expect(later.fingerprint).toBe(a.fingerprint);
    expect(worse.fingerprint).not.toBe(a.fingerprint);
    expect(report.driftReport({ ...base, verifyOutcome: "success", driftOutcome: "success" }).failing).toBe(false);
  });

  it("says a check that did not run did not run", () => {
    const r = report.driftReport({ ...base, verifyOutcome: "skipped", driftOutcome: "skipped" });
    expect(r.failing).toBe(true);
    expect(r.body).toContain("Access check (`exo-app-only verify`): did not run (an earlier step failed: see the run)");
  });
});

/** The octokit calls syncDriftIssue makes, against an in-memory repository. */
function fakeGitHub(issues: { number: number; title: string; body: string; labels: string[]; pull_request?: object }[], labels: string[] = []) {
  const calls: string[] = [];
  const httpError = (status: number): Error => Object.assign(new Error(String(status)), { status });
  const rest = {
    issues: {
      listForRepo: "listForRepo",
      getLabel: async ({ name }: { name: string }) => {
        calls.push(`getLabel ${name}`);
        if (!labels.includes(name)) throw httpError(404);
        return { data: { name } };
      },
      createLabel: async ({ name }: { name: string }) => {
        calls.push(`createLabel ${name}`);
        labels.push(name);
        return { data: { name } };
      },
      create: async ({ title, body, labels: l }: { title: string; body: string; labels: string[] }) => {
        const number = 100 + issues.length;
        issues.push({ number, title, body, labels: l });
        calls.push(`create #${number} ${title}`);
        return { data: { number } };
      },
      update: async ({ issue_number, body, state, state_reason }: { issue_number: number; body?: string; state?: string; state_reason?: string }) => {
        calls.push(`update #${issue_number}${body !== undefined ? " body" : ""}${state ? ` ${state} ${state_reason}` : ""}`);
        const issue = issues.find((i) => i.number === issue_number)!;
        if (body !== undefined) issue.body = body;
        return { data: issue };
      },
      createComment: async ({ issue_number }: { issue_number: number }) => {
        calls.push(`comment #${issue_number}`);
        return { data: {} };
      },
    },
  };
  const github = {
    rest,
    paginate: async (method: unknown, params: { state: string; labels: string }) => {
      expect(method).toBe("listForRepo");
      calls.push(`list ${params.state} ${params.labels}`);
      return issues.filter((i) => i.labels.includes(params.labels));
    },
  };
  return { github, calls };
}

describe("syncDriftIssue (drift.yml's github-script step)", () => {
  let dir: string;
  const context = { repo: { owner: "acme", repo: "exo" }, serverUrl: "https://github.com", runId: 42 };
  const core = { info: jest.fn(), warning: jest.fn() };
  const files = (verify: unknown): { verifyFile: string; driftFile: string } => {
    writeFileSync(join(dir, "verify.json"), JSON.stringify(verify));
    writeFileSync(join(dir, "drift.txt"), "Resources:\n    ~ 1 to update\n");
    return { verifyFile: join(dir, "verify.json"), driftFile: join(dir, "drift.txt") };
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "gitops-report-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("opens one issue with the label (creating the label first) when a stack breaks", async () => {
    const { github, calls } = fakeGitHub([{ number: 7, title: "exo-app-only: fabrikam drift or broken access", body: "", labels: ["exo-app-only-drift"] }]);
    const result = await report.syncDriftIssue({ github, context, core, stack: "contoso", verifyOutcome: "failure", driftOutcome: "success", ...files(VERIFY_FAILED) });
    expect(result).toEqual({ action: "opened", number: 101 });
    expect(calls).toEqual(["list open exo-app-only-drift", "getLabel exo-app-only-drift", "createLabel exo-app-only-drift", "create #101 exo-app-only: contoso drift or broken access"]);
  });

  it("updates the same issue while it stays broken, and comments only when what fails changes", async () => {
    const issues = [{ number: 5, title: "exo-app-only: contoso drift or broken access", body: "", labels: ["exo-app-only-drift"] }];
    const { github, calls } = fakeGitHub(issues, ["exo-app-only-drift"]);
    expect(await report.syncDriftIssue({ github, context, core, stack: "contoso", verifyOutcome: "failure", driftOutcome: "success", ...files(VERIFY_FAILED) })).toEqual({ action: "updated-and-commented", number: 5 });
    expect(await report.syncDriftIssue({ github, context, core, stack: "contoso", verifyOutcome: "failure", driftOutcome: "success", ...files(VERIFY_FAILED) })).toEqual({ action: "updated", number: 5 });
    expect(await report.syncDriftIssue({ github, context, core, stack: "contoso", verifyOutcome: "failure", driftOutcome: "failure", ...files(VERIFY_FAILED) })).toEqual({ action: "updated-and-commented", number: 5 });
    expect(calls.filter((c) => c.startsWith("create "))).toEqual([]);
    expect(issues[0]!.body).toContain("### What drifted");
  });

  it("comments and closes the issue when the stack is green again; does nothing when there is none", async () => {
    const issues = [{ number: 5, title: "exo-app-only: contoso drift or broken access", body: "", labels: ["exo-app-only-drift"] }, { number: 6, title: "exo-app-only: contoso drift or broken access", body: "", labels: ["exo-app-only-drift"], pull_request: {} }];
    const { github, calls } = fakeGitHub(issues, ["exo-app-only-drift"]);
    expect(await report.syncDriftIssue({ github, context, core, stack: "contoso", verifyOutcome: "success", driftOutcome: "success", ...files(VERIFY_OK) })).toEqual({ action: "closed", number: 5 });
    expect(calls).toEqual(["list open exo-app-only-drift", "comment #5", "update #5 closed completed"]);
    const none = fakeGitHub([]);
    expect(await report.syncDriftIssue({ github: none.github, context, core, stack: "contoso", verifyOutcome: "success", driftOutcome: "success", ...files(VERIFY_OK) })).toEqual({ action: "none", number: undefined });
  });

  it("a stack of many tenants gets one issue a tenant: its own failing checks and its own drift", async () => {
    const issues = [{ number: 5, title: "exo-app-only: fleet-example/contoso drift or broken access", body: "", labels: ["exo-app-only-drift"] }];
    const { github, calls } = fakeGitHub(issues, ["exo-app-only-drift"]);
    writeFileSync(join(dir, "verify.json"), JSON.stringify(FLEET_FAILED));
    writeFileSync(join(dir, "drift.txt"), "Previewing update (fleet-example):\n    ~ azuread:index/directoryRoleAssignment:DirectoryRoleAssignment exo-fabrikam-exchange-role update\nResources:\n    ~ 1 to update\n");
    const result = await report.syncDriftIssue({ github, context, core, stack: "fleet-example", verifyOutcome: "failure", driftOutcome: "failure", verifyFile: join(dir, "verify.json"), driftFile: join(dir, "drift.txt") });
    // contoso passes and has no resource in the diff: its open issue closes. fabrikam fails both: a new issue.
    expect(result).toEqual({ action: "per-tenant", tenants: { contoso: { action: "closed", number: 5 }, fabrikam: { action: "opened", number: 101 } } });
    expect(calls).toEqual(["list open exo-app-only-drift", "comment #5", "update #5 closed completed", "getLabel exo-app-only-drift", "create #101 exo-app-only: fleet-example/fabrikam drift or broken access"]);
    const body = issues.find((i) => i.number === 101)!.body;
    expect(body).toContain("exchange.invoke: 401 from Exchange");
    expect(body).toContain("exo-fabrikam-exchange-role");
    expect(body).not.toContain("contoso");
  });

  it("a preview failure that names no tenant counts for every tenant; a tenant's key never claims another's resources", () => {
    const tenants = (keys: string[]) => ({ value: { stacks: [{ stack: "s", status: "succeeded", tenants: keys.map((tenant) => ({ tenant, ok: true })) }] } });
    const signIn = report.driftSubjects({ stack: "s", verifyOutcome: "success", verify: tenants(["contoso", "fabrikam"]), driftOutcome: "failure", driftText: "error: AADSTS700016: application not found" });
    expect(signIn.map((t) => [t.stack, t.driftOutcome])).toEqual([["s/contoso", "failure"], ["s/fabrikam", "failure"]]);
    const prefix = report.driftSubjects({ stack: "s", verifyOutcome: "success", verify: tenants(["contoso", "contoso-eu"]), driftOutcome: "failure", driftText: "  ~ azuread:index/application:Application exo-contoso-eu-registration-app update" });
    expect(prefix.map((t) => [t.stack, t.driftOutcome])).toEqual([["s/contoso", "success"], ["s/contoso-eu", "failure"]]);
    // A one-tenant stack (verify's own report) stays one subject: the stack.
    expect(report.driftSubjects({ stack: "contoso", verifyOutcome: "failure", verify: { value: VERIFY_FAILED }, driftOutcome: "success" }).map((t) => t.stack)).toEqual(["contoso"]);
  });

  it("reports a check whose JSON is missing (it never ran) without crashing", async () => {
    const { github } = fakeGitHub([], ["exo-app-only-drift"]);
    await report.syncDriftIssue({ github, context, core, stack: "contoso", verifyOutcome: "failure", driftOutcome: "skipped", verifyFile: join(dir, "nowhere.json"), driftFile: join(dir, "nowhere.txt") });
    expect(core.warning).toHaveBeenCalledWith(expect.stringContaining("contoso: opened #100"));
  });
});

describe("the script's command line", () => {
  it("refuses an unknown subcommand with exit 2", async () => {
    const { spawnSync } = await import("node:child_process");
    const run = spawnSync(process.execPath, [join(ROOT, ".github", "workflows", "scripts", "gitops-report.cjs"), "nonsense", "dev", "x.json"], { encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("usage: gitops-report.cjs redact [--stack|--stack-config <stack>] | plan-summary|verify-summary");
  });

  it("redact: stdin to stdout line by line, a key's lines dropped, nothing else changed", () => {
    const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
    const input = `Updating (dev):\n    clientSecret: [secret]\n  error: ${SHAPED} refused; ${JWT}\n${KEY}\nResources: 1 failed\n`;
    const run = spawnSync(process.execPath, [join(ROOT, ".github", "workflows", "scripts", "gitops-report.cjs"), "redact"], { input, encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe("Updating (dev):\n    clientSecret: [secret]\n  error: [redacted client secret] refused; [redacted token]\n[redacted private key]\nResources: 1 failed\n");
  });
});

describe("nothing secret in what the workflows write", () => {
  const leaks = (text: string, extra: readonly string[] = []): string[] => [SHAPED, JWT, "MIIEvQIBADANBgkq", ...extra].filter((secret) => text.includes(secret));
  const verifyEchoing = { ...VERIFY_FAILED, checks: [{ id: "token.acquired", ok: false, level: "fail", detail: `AADSTS50000: error for client_secret=${SHAPED} (${JWT})`, remedy: `Key was ${KEY}` }] };

  it("the plan and check summaries", () => {
    const plan = { ok: false, error: { code: "ERR_CONFIG_INVALID", message: `bad ${JWT}`, remedy: "fix", issues: [{ key: "azuread:clientsecret", value: SHAPED, message: `unknown key (value ${SHAPED})` }] } };
    for (const text of [report.planSummary("dev", { value: plan }), report.verifySummary("dev", { value: verifyEchoing })]) {
      expect(leaks(text)).toEqual([]);
      expect(text).toContain("[redacted");
    }
  });

  it("the drift issue: secret-shaped text, and the stack's own secret values it is given", () => {
    const issue = report.driftReport({
      stack: "dev",
      verifyOutcome: "failure",
      verify: { value: verifyEchoing },
      driftOutcome: "failure",
      driftText: `  ~ exo-app registration\nerror: tenant 0: azuread.clientSecret "stack-config-secret-value" refused\n${KEY}\n`,
      runUrl: "https://github.com/acme/exo/actions/runs/1",
      now: new Date("2026-12-01T00:00:00Z"),
      secrets: ["stack-config-secret-value"],
    });
    expect(leaks(issue.body, ["stack-config-secret-value"])).toEqual([]);
    expect(issue.body).toContain('azuread.clientSecret "[redacted]" refused');
    // The issue is still about what broke.
    expect(issue.body).toContain("`token.acquired`");
  });

  it("stackSecrets: the secret config and the outputs Pulumi masks, read the way the fleet's driver reads them", () => {
    const calls: string[] = [];
    const answers: Record<string, unknown> = {
      "config --show-secrets --json --stack dev": { "azuread:clientSecret": { value: "deployer-secret-value", secret: true }, "exchange-app-only:tenantId": { value: "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7", secret: false } },
      "stack output --json --stack dev": { tenantId: "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7", clientSecret: "[secret]", tenants: "[secret]" },
      "stack output --json --show-secrets --stack dev": { tenantId: "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7", clientSecret: "client-secret-value", tenants: { a: { tenantId: "t-a-tenant-id", certificatePrivateKeyPem: "pem-of-tenant-a" } } },
    };
    const secrets = report.stackSecrets("dev", (args: string[]) => {
      calls.push(args.join(" "));
      return JSON.stringify(answers[args.join(" ")]);
    });
    expect(secrets.sort()).toEqual(["client-secret-value", "deployer-secret-value", "pem-of-tenant-a"]);
    expect(calls).toHaveLength(3);
    // A stack with no outputs yet (the CLI fails): what could be read still counts.
    expect(report.stackSecrets("dev", (args: string[]) => {
      if (args[0] === "stack") throw new Error("no deployment");
      return JSON.stringify(answers[args.join(" ")]);
    })).toEqual(["deployer-secret-value"]);
  });

  it("a Pulumi command's job-summary section: Pulumi's [secret] stays, secret-shaped text goes", () => {
    const text = report.pulumiSummary("dev", "up", `Updating (dev)\n    clientSecret: [secret]\nerror: ${SHAPED}\n`, "failure");
    expect(text).toBe(`### pulumi up: \`dev\` ❌ failed\n\n\`\`\`\nUpdating (dev)\n    clientSecret: [secret]\nerror: [redacted client secret]\n\`\`\`\n\n`);
    expect(report.pulumiSummary("dev", "destroy", undefined, "success")).toContain("Pulumi printed nothing");
  });

  it("the preview comment: one a stack, created once and edited after; none outside a pull request", async () => {
    const dir = mkdtempSync(join(tmpdir(), "exo-preview-"));
    try {
      const file = join(dir, "preview.txt");
      writeFileSync(file, `Previewing update (dev)\n  + azuread:index:Application exo-app create\n    clientSecret: [secret]\n  note ${JWT}\nResources:\n    + 1 to create\n`);
      const comments: { id: number; body: string }[] = [{ id: 1, body: "<!-- exo-app-only:preview stack=other -->\nnot ours" }];
      const calls: string[] = [];
      const github = {
        paginate: async (method: unknown, params: { issue_number: number }) => {
          expect(method).toBe("listComments");
          expect(params.issue_number).toBe(7);
          return comments;
        },
        rest: {
          issues: {
            listComments: "listComments",
            createComment: async ({ body }: { body: string }) => {
              comments.push({ id: 2, body });
              calls.push("create");
              return { data: { id: 2 } };
            },
            updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
              comments.find((c) => c.id === comment_id)!.body = body;
              calls.push(`update ${comment_id}`);
              return { data: {} };
            },
          },
        },
      };
      const context = { repo: { owner: "acme", repo: "exo" }, serverUrl: "https://github.com", runId: 9, payload: { pull_request: { number: 7 } } };
      const core = { info: jest.fn() };
      expect(await report.commentPreview({ github, context, core, stack: "dev", outcome: "success", file })).toEqual({ action: "created", id: 2 });
      expect(await report.commentPreview({ github, context, core, stack: "dev", outcome: "failure", file })).toEqual({ action: "updated", id: 2 });
      expect(calls).toEqual(["create", "update 2"]);
      const body = comments.find((c) => c.id === 2)!.body;
      expect(body).toMatch(/^<!-- exo-app-only:preview stack=dev -->\n### `pulumi preview` of `dev` ❌ failed/);
      expect(body).toContain("+ 1 to create");
      expect(body).toContain("clientSecret: [secret]");
      expect(leaks(body)).toEqual([]);
      expect(await report.commentPreview({ github, context: { ...context, payload: {} }, core, stack: "dev", outcome: "success", file })).toEqual({ action: "none" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the audit's issue (drift.yml's audit job)", () => {
  interface AuditModule {
    AUDIT_ISSUE_TITLE: string;
    auditReport(input: Record<string, unknown>): { title: string; body: string; failing: boolean; fingerprint: string };
    syncAuditIssue(input: Record<string, unknown>): Promise<{ action: string; number?: number }>;
  }
  const audit = report as unknown as AuditModule;
  const now = new Date("2026-12-06T05:17:00Z");
  const finding = (id: string, severity: string, rule: string) => ({ id: `${rule}:${id}`, rule, severity, principal: { displayName: `app ${id}`, appId: id }, evidence: `evidence of ${rule} | piped`, fix: `fix ${rule}` });
  const FOUND = {
    ok: false,
    command: "audit",
    stacks: [
      { stack: "contoso", status: "failed", tenants: [{ tenant: "t1", tenantId: "t1", ok: false, error: { code: "ERR_AUDIT_FINDINGS", message: "1 finding", remedy: "run audit" } }] },
      { stack: "fabrikam", status: "failed", tenants: [{ tenant: "t2", tenantId: "t2", ok: false, error: { code: "ERR_SIGN_IN", message: `cannot sign in: ${SHAPED}`, remedy: "grant the auditor" } }] },
    ],
    audits: [{ stack: "contoso", tenant: "t1", tenantId: "t1", counts: { high: 1, medium: 1, low: 0 }, findings: [finding("a", "high", "privilege.global-administrator"), finding("b", "medium", "credential.expiring")] }],
  };

  it("failing: the counts by tenant, the findings at or above the level (not below), the tenants not audited, redacted", () => {
    const r = audit.auditReport({ outcome: "failure", audit: { value: FOUND }, reports: { t1: "# Exchange app-only access in tenant t1" }, failOn: "high", runUrl: "https://run", now });
    expect(r.title).toBe("exo-app-only: audit findings");
    expect(r.failing).toBe(true);
    expect(r.body).toContain("| `t1` | contoso | 1 | 1 | 0 |");
    expect(r.body).toContain("| high | `privilege.global-administrator` | app a (`a`) | evidence of privilege.global-administrator \\| piped | fix privilege.global-administrator |");
    expect(r.body).not.toContain("credential.expiring");
    expect(r.body).toContain("| fabrikam/t2 | cannot sign in: ");
    expect(r.body).not.toContain(SHAPED);
    expect(r.body).toContain("<details><summary>Evidence report for t1</summary>");
    expect(r.fingerprint).toBe("privilege.global-administrator:a,unaudited:fabrikam/t2");
    // The same findings at medium add the expiring credential, and change the fingerprint.
    expect(audit.auditReport({ outcome: "failure", audit: { value: FOUND }, failOn: "medium", runUrl: "https://run", now }).fingerprint).toBe("credential.expiring:b,privilege.global-administrator:a,unaudited:fabrikam/t2");
  });

  it("a fleet audit that stopped (a usage error) says why; green says so", () => {
    const stopped = audit.auditReport({ outcome: "failure", audit: { value: { ok: false, error: { code: "ERR_USAGE", message: "no stacks given", remedy: "pass --fleet" } } }, failOn: "high", runUrl: "https://run", now });
    expect(stopped.body).toContain("The audit stopped: no stacks given");
    expect(stopped.fingerprint).toBe("outcome:failure");
    const green = audit.auditReport({ outcome: "success", audit: { value: { ok: true, stacks: [], audits: [] } }, failOn: "high", runUrl: "https://run", now });
    expect(green).toMatchObject({ failing: false, fingerprint: "ok" });
    expect(green.body).toContain("Green again: no finding at or above high.");
  });

  describe("syncAuditIssue", () => {
    let dir: string;
    const context = { repo: { owner: "acme", repo: "exo" }, serverUrl: "https://github.com", runId: 43 };
    const core = { info: jest.fn(), warning: jest.fn() };
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), "gitops-audit-"));
      mkdirSync(join(dir, "audit-reports"));
      writeFileSync(join(dir, "audit-reports", "t1.md"), "# Exchange app-only access in tenant t1\n");
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const sync = (github: unknown, outcome: string, value: unknown) => {
      writeFileSync(join(dir, "audit.json"), JSON.stringify(value));
      return audit.syncAuditIssue({ github, context, core, outcome, auditFile: join(dir, "audit.json"), reportsDir: join(dir, "audit-reports"), failOn: "high" });
    };

    it("opens one issue, refreshes it quietly while nothing changes, comments when it does, closes it when clean", async () => {
      const issues: { number: number; title: string; body: string; labels: string[] }[] = [];
      const { github, calls } = fakeGitHub(issues);
      expect(await sync(github, "failure", FOUND)).toEqual({ action: "opened", number: 100 });
      expect(issues[0]!.body).toContain("Evidence report for t1");
      expect(await sync(github, "failure", FOUND)).toEqual({ action: "updated", number: 100 });
      const fewer = { ...FOUND, stacks: FOUND.stacks.slice(0, 1) };
      expect(await sync(github, "failure", fewer)).toEqual({ action: "updated-and-commented", number: 100 });
      expect(await sync(github, "success", { ok: true, stacks: [], audits: [] })).toEqual({ action: "closed", number: 100 });
      expect(calls.filter((c) => !c.startsWith("list") && !c.includes("Label"))).toEqual([
        "create #100 exo-app-only: audit findings",
        "update #100 body",
        "update #100 body",
        "comment #100",
        "comment #100",
        "update #100 closed completed",
      ]);
    });
  });
});
