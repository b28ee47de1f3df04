// exchange-app-only: what the workflows write for people. CommonJS, Node >= 20, run by node and inside
// actions/github-script alike; unit-tested in test/gitops/report.test.ts, its workflow steps in test/gitops/outputs.test.ts.
//
//   ... 2>&1 | node .github/workflows/scripts/gitops-report.cjs redact [--stack|--stack-config <stack>] | tee out.txt
//                    Pulumi's output, redacted (--stack: with the stack's secret config and outputs, --stack-config:
//                    with its secret config only, what a preview decrypts anyway)
//   node .github/workflows/scripts/gitops-report.cjs plan-summary   <stack> <plan.json>    markdown on stdout
//   node .github/workflows/scripts/gitops-report.cjs verify-summary <stack> <verify.json>  markdown on stdout
//   node .github/workflows/scripts/gitops-report.cjs pulumi-summary <stack> <command> <output.txt> <outcome>
//   require(...).commentPreview({ github, context, core, stack, ... })  from actions/github-script (pull-request.yml)
//   require(...).syncDriftIssue({ github, context, core, stack, ... })  from actions/github-script (drift.yml)
//
// The JSON it reads is what `exo-app-only plan --json`, `exo-app-only verify --json` and
// `exo-app-only fleet verify --json` print (docs/plan.md, docs/verify.md, docs/fleets.md).
//
// Everything it writes is redacted by the project's own redaction (src/text/redact.ts, built into dist/ by the
// `npm ci` every job runs first): secret-shaped text always, and the stack's own secret values, read in memory from
// the Pulumi CLI (stackSecrets), never printed or written: its config and outputs where the job decrypts them anyway
// (deploy, destroy, drift), its config only in a pull request's preview (which never reads the deployed outputs).
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

/** A module of the built package (dist/): one redaction for the CLI, the fleet and these scripts. */
function built(file) {
  const where = path.join(__dirname, "..", "..", "..", "dist", "src", file);
  try {
    return require(where);
  } catch (error) {
    throw new Error(`gitops-report.cjs needs the built package (${where}): run \`npm ci\` first, which builds dist/ through the prepare script (${String(error.message).split("\n")[0]})`);
  }
}

/** A redactor that knows `known` (secret values) besides the shapes: JWTs, private keys, client secrets, bearer tokens, SAS signatures. */
function redactorOf(known = []) {
  const { Redactor } = built("text/redact.js");
  const redactor = new Redactor();
  redactor.addAll(known);
  return redactor;
}
const redactShapes = (text) => redactorOf().redact(text);

/** The one issue a tenant gets (`<stack>` or `<stack>/<key>`): found again by this exact title (and the label). */
const issueTitle = (stack) => `exo-app-only: ${stack} drift or broken access`;
const ISSUE_LABEL = "exo-app-only-drift";
/** GitHub refuses an issue body or comment over 65536 characters; keep well below with the preview's diff. */
const MAX_DIFF_CHARS = 20000;
const MAX_COMMENT_CHARS = 60000;
/** A job summary may hold 1 MiB; a step's section stays far below. */
const MAX_SUMMARY_CHARS = 200000;

/** A table cell: no pipe, no newline, no HTML (`<tenant>` in a remedy would vanish as a tag). */
function cell(value) {
  return String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/\r?\n/g, " ")
    .trim();
}

const code = (value) => `\`${String(value).replace(/`/g, "'")}\``;

function readJson(file) {
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return { missing: true };
  }
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { invalid: true, text: text.slice(0, 500) };
  }
}

function readText(file) {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** Rows for a failed command's `{ ok: false, error: { code, message, remedy, issues? } }`. */
function errorLines(error) {
  const issues = Array.isArray(error.issues) ? error.issues : [];
  // A config error's message repeats its issues, a line each: the table says it once.
  const lines = [`**${cell(error.code ?? "error")}**: ${issues.length > 0 ? `${issues.length} key${issues.length === 1 ? "" : "s"} to fix` : cell(error.message)}`, ""];
  if (issues.length > 0) {
    lines.push("| key | value | problem and fix |", "|---|---|---|");
    for (const issue of issues) lines.push(`| ${code(issue.key)} | ${cell(issue.value)} | ${cell(issue.message)} |`);
    lines.push("");
  }
  if (error.remedy) lines.push(`> ${cell(error.remedy)}`, "");
  return lines;
}

/** `plan --policy`'s violations: mandatory ones fail the plan, advisory ones are advice. */
function policyLines(violations) {
  if (violations === undefined) return [];
  if (violations.length === 0) return ["Policy pack: no violation.", ""];
  const mark = { mandatory: "🚫 mandatory", advisory: "⚠️ advisory" };
  return [
    "| policy | | resource | why and how to fix |",
    "|---|---|---|---|",
    ...violations.map((v) => `| ${code(v.policy)} | ${mark[v.enforcement] ?? cell(v.enforcement)} | ${code(v.resource?.name ?? "")} | ${cell(v.message)} |`),
    "",
  ];
}

/** `exo-app-only plan --policy --json` as a job-summary section, redacted. */
function planSummary(stack, parsed) {
  return redactShapes(planSection(stack, parsed));
}

/** The plan's section: violations, counts by type, then every resource folded away. */
function planSection(stack, parsed) {
  const title = `### Offline plan: ${code(stack)}`;
  if (parsed.missing) return `${title} ❌ no plan output\n\nThe plan did not run: see the step's log.\n\n`;
  if (parsed.invalid) return `${title} ❌ the plan printed no JSON\n\nSee the step's log.\n\n`;
  const plan = parsed.value;
  if (!plan || plan.ok !== true || !Array.isArray(plan.resources)) {
    const error = (plan && plan.error) || { code: "ERR_UNKNOWN", message: "the plan failed", remedy: "See the step's log." };
    return [`${title} ❌ ${cell(error.code === "ERR_CONFIG_INVALID" ? "invalid stack config" : error.code)}`, "", ...errorLines(error)].join("\n") + "\n";
  }
  const counts = new Map();
  for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const imports = plan.resources.filter((r) => r.importId !== undefined && r.importId !== null).length;
  const violations = plan.policy && Array.isArray(plan.policy.violations) ? plan.policy.violations : undefined;
  const mandatory = (violations ?? []).filter((v) => v.enforcement === "mandatory").length;
  const lines = [
    `${title} ${mandatory > 0 ? "❌" : "✅"} ${plan.resources.length} resource${plan.resources.length === 1 ? "" : "s"}${imports > 0 ? `, ${imports} to import` : ""}${
      mandatory > 0 ? `, ${mandatory} mandatory policy violation${mandatory === 1 ? "" : "s"}` : ""
    }`,
    "",
    ...policyLines(violations),
    "| resource type | count |",
    "|---|---|",
    ...[...counts].map(([type, n]) => `| ${code(type)} | ${n} |`),
    "",
    "<details><summary>Every resource</summary>",
    "",
    "| name | type | parent | import |",
    "|---|---|---|---|",
    ...plan.resources.map((r) => `| ${code(r.name)} | ${code(r.type)} | ${r.parent ? code(r.parent) : ""} | ${r.importId ? code(r.importId) : ""} |`),
    "",
    "</details>",
    "",
  ];
  return lines.join("\n") + "\n";
}

/**
 * What failed, in any of the three shapes the check prints: a one-tenant report (`checks`), a fleet summary
 * (`stacks[].tenants[]`), or an error object (`error`). Each: { where, what, detail, fix }.
 */
function verifyFailures(result) {
  const failures = [];
  if (!result || typeof result !== "object") return failures;
  if (result.error && result.ok === false && !Array.isArray(result.checks) && !Array.isArray(result.stacks)) {
    failures.push({ where: "", what: result.error.code ?? "error", detail: result.error.message ?? "", fix: result.error.remedy ?? "" });
    return failures;
  }
  if (Array.isArray(result.checks)) {
    for (const c of result.checks) {
      const level = c.level ?? (c.ok ? "ok" : "fail");
      if (level !== "ok") failures.push({ where: result.tenantId ?? "", what: c.id, detail: c.detail ?? "", fix: c.remedy ?? "", level });
    }
    return failures;
  }
  if (Array.isArray(result.stacks)) {
    for (const s of result.stacks) {
      const tenants = Array.isArray(s.tenants) ? s.tenants : [];
      for (const t of tenants) {
        if (!t.ok) failures.push({ where: t.tenant ?? t.tenantId ?? "", what: t.error?.code ?? "check failed", detail: t.error?.message ?? "", fix: t.error?.remedy ?? "" });
      }
      if (s.status !== "succeeded" && !tenants.some((t) => !t.ok)) {
        failures.push({ where: "", what: s.error?.code ?? s.status, detail: s.error?.message ?? `the stack ${s.status}`, fix: s.error?.remedy ?? "" });
      }
    }
  }
  return failures;
}

/** A check table for any verify JSON (the one-tenant `verify` writes its own; this one serves `fleet verify`), redacted. */
function verifySummary(stack, parsed) {
  return redactShapes(verifySection(stack, parsed));
}

function verifySection(stack, parsed) {
  const title = `### Exchange Online app-only check: ${code(stack)}`;
  if (parsed.missing) return `${title} ❌ did not run\n\nSee the step's log.\n\n`;
  if (parsed.invalid) return `${title} ❌ printed no JSON\n\nSee the step's log.\n\n`;
  const result = parsed.value;
  const lines = [`${title} ${result && result.ok ? "✅ passed" : "❌ failed"}`, ""];
  if (result && Array.isArray(result.stacks)) {
    lines.push("| | tenant | detail | fix |", "|---|---|---|---|");
    for (const s of result.stacks) {
      for (const t of Array.isArray(s.tenants) ? s.tenants : []) {
        lines.push(`| ${t.ok ? "✅" : "❌"} | ${code(t.tenant ?? t.tenantId ?? "")} | ${cell(t.ok ? `app-only access works${t.tenantId && t.tenantId !== t.tenant ? ` (${t.tenantId})` : ""}` : t.error?.message)} | ${cell(t.ok ? "" : t.error?.remedy)} |`);
      }
      if (s.error && !(Array.isArray(s.tenants) && s.tenants.some((t) => !t.ok))) lines.push(`| ❌ | | ${cell(s.error.message)} | ${cell(s.error.remedy)} |`);
    }
    lines.push("");
  } else {
    const failures = verifyFailures(result);
    if (failures.length === 0) lines.push("Every check passed.", "");
    else {
      lines.push("| | check | detail | fix |", "|---|---|---|---|");
      for (const f of failures) lines.push(`| ${f.level === "warning" ? "⚠️" : "❌"} | ${code(f.what)} | ${cell(f.detail)} | ${cell(f.fix)} |`);
      lines.push("");
    }
  }
  return lines.join("\n") + "\n";
}

const OUTCOME_WORDS = { success: "passed", failure: "failed", cancelled: "was cancelled", skipped: "did not run (an earlier step failed: see the run)" };
const outcomeWord = (outcome) => OUTCOME_WORDS[outcome] ?? "did not run (an earlier step failed: see the run)";

/** The last lines of Pulumi's output, where it prints the changes and the `Resources:` summary. */
function diffExcerpt(text, max = MAX_DIFF_CHARS) {
  if (!text) return undefined;
  const clean = text.replace(/\u001b\[[0-9;]*m/g, "").trimEnd();
  return clean.length <= max ? clean : `… (${clean.length - max} characters cut: the whole output is in the run log)\n${clean.slice(-max)}`;
}

/** Pulumi's output as a fenced block (its own fences defused). */
const fenced = (text) => ["```", text.replace(/```/g, "'''"), "```"];

/**
 * The issue for one stack's scheduled check. `failing` is false when both checks passed (the issue is then
 * closed); `fingerprint` changes only when what fails changes, so an unchanged failure does not notify again.
 * The body is redacted: `secrets` (the stack's secret values, see stackSecrets) and anything shaped like a secret.
 */
function driftReport({ stack, verifyOutcome, verify, driftOutcome, driftText, runUrl, now, secrets = [] }) {
  const verifyOk = verifyOutcome === "success";
  const driftOk = driftOutcome === "success";
  const failures = verify && verify.value ? verifyFailures(verify.value) : [];
  const failing = !verifyOk || !driftOk;
  const fingerprint = [
    verifyOk ? "verify:ok" : `verify:${verifyOutcome}:${failures.filter((f) => f.level !== "warning").map((f) => `${f.where}/${f.what}`).sort().join(",")}`,
    `drift:${driftOutcome}`,
  ].join(";");
  const when = now.toISOString().replace(/\.\d+Z$/, "Z");
  const lines = [
    `<!-- exo-app-only:drift stack=${stack} fingerprint=${fingerprint} -->`,
    `The scheduled check of stack ${code(stack)} ${failing ? "failed" : "passed"} (last run ${when}: [run log](${runUrl})).`,
    "",
    `- Access check (\`exo-app-only verify\`): ${outcomeWord(verifyOutcome)}`,
    `- Drift check (\`pulumi preview --refresh --expect-no-changes\`): ${driftOk ? "no changes: the tenant matches the stack" : driftOutcome === "failure" ? "**the tenant no longer matches the stack** (or the preview failed)" : outcomeWord(driftOutcome)}`,
    "",
  ];
  if (!verifyOk) {
    lines.push("### What broke: app-only access", "");
    if (failures.length > 0) {
      lines.push("| | tenant | check | detail | how to fix |", "|---|---|---|---|---|");
      for (const f of failures) lines.push(`| ${f.level === "warning" ? "⚠️" : "❌"} | ${cell(f.where)} | ${code(f.what)} | ${cell(f.detail)} | ${cell(f.fix)} |`);
      lines.push("");
    } else if (verify && verify.invalid) {
      lines.push("The check printed no JSON: see the run log.", "");
    } else {
      lines.push("The check did not report (it did not run, or stopped before its report): see the run log.", "");
    }
    lines.push(
      "A failing `credential.validity` means the certificate or secret ends soon or has ended: rotate it",
      "(docs/rotation.md, \"Rotating the certificate\", \"Rotating the client secret\"). Anything else: apply the fix above,",
      "or run the deploy workflow to put the stack's declared state back, then run this workflow again.",
      "",
    );
  }
  if (!driftOk && driftOutcome === "failure") {
    lines.push(
      "### What drifted",
      "",
      "Something changed outside Pulumi (the app, its consent, its directory role or its credentials, in the portal or",
      "by a script), or the stack's code changed without a deploy. The preview below says what `pulumi up` would change.",
      "",
      "How to fix:",
      "- to put the tenant back as the stack declares it: run the **deploy** workflow (or `pulumi up --stack " + stack + "`);",
      "- if the change was wanted: declare it in the stack file and merge it, so the next deploy keeps it;",
      "- if the preview itself failed (sign-in, a locked stack during a deploy): the log says why; run this workflow again.",
      "",
    );
    const excerpt = diffExcerpt(driftText);
    if (excerpt) lines.push("<details><summary>pulumi preview</summary>", "", ...fenced(excerpt), "", "</details>", "");
  }
  if (!failing) lines.push("Green again: app-only access works and the tenant matches the stack.", "");
  return { title: issueTitle(stack), body: redactorOf(secrets).redact(lines.join("\n")), failing, fingerprint };
}

/** Runs the Pulumi CLI and returns its stdout (stderr is dropped: nothing of it reaches the log). */
const runPulumi = (args) => execFileSync("pulumi", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 * 1024 * 1024 });

/**
 * The values of a stack no text may show: its secret config and its secret outputs, read from the Pulumi CLI as the
 * fleet's Automation API driver reads them (masked and plain outputs compared, src/fleet/secretValues.ts picks the
 * values). In memory only, never printed or written; a read that fails (no outputs yet) adds nothing.
 */
function stackSecrets(stack, run = runPulumi, { outputs: withOutputs = true } = {}) {
  const { secretConfigValues, secretOutputValues } = built("fleet/secretValues.js");
  const read = (args) => {
    try {
      const value = JSON.parse(run(args));
      return value && typeof value === "object" ? value : {};
    } catch {
      return {};
    }
  };
  const config = read(["config", "--show-secrets", "--json", "--stack", stack]);
  const masked = withOutputs ? read(["stack", "output", "--json", "--stack", stack]) : {};
  const plain = withOutputs ? read(["stack", "output", "--json", "--show-secrets", "--stack", stack]) : {};
  const outputs = Object.fromEntries(Object.entries(plain).map(([name, value]) => [name, { value, secret: masked[name] === "[secret]" }]));
  return [...secretConfigValues(config), ...secretOutputValues(outputs)];
}

const OUTCOME_MARK = { success: "✅", failure: "❌ failed", cancelled: "⏹️ cancelled" };

/**
 * A Pulumi command's output (already redacted on its way to the file) as a job-summary section, redacted again:
 * what `comment-on-summary` of pulumi/actions wrote, without the action's step outputs.
 */
function pulumiSummary(stack, command, text, outcome) {
  const excerpt = diffExcerpt(text, MAX_SUMMARY_CHARS);
  const lines = [`### pulumi ${command}: ${code(stack)} ${OUTCOME_MARK[outcome] ?? outcomeWord(outcome)}`, ""];
  lines.push(...(excerpt ? fenced(excerpt) : ["Pulumi printed nothing: see the step's log."]), "");
  return redactShapes(lines.join("\n")) + "\n";
}

/** The preview's pull-request comment, found again by its first line. */
const previewMark = (stack) => `<!-- exo-app-only:preview stack=${stack} -->`;

/** The comment's body: the preview's outcome and its output (secrets show as [secret]; anything secret-shaped is redacted). */
function previewComment({ stack, outcome, text, runUrl }) {
  const excerpt = diffExcerpt(text, MAX_COMMENT_CHARS);
  const lines = [
    previewMark(stack),
    `### \`pulumi preview\` of ${code(stack)} ${OUTCOME_MARK[outcome] ?? outcomeWord(outcome)}`,
    "",
    outcome === "success" ? "What merging this pull request would change, with the policy pack (`policy/`):" : `The preview did not pass: the output below says why ([run log](${runUrl})).`,
    "",
    ...(excerpt ? fenced(excerpt) : ["Pulumi printed nothing: see the run log."]),
    "",
  ];
  return redactShapes(lines.join("\n"));
}

/**
 * Comments the preview on the pull request (pull-request.yml, through actions/github-script), one comment a stack:
 * created the first time, edited on every later push. Never reads a stack output: only the preview's text.
 */
async function commentPreview({ github, context, core, stack, outcome, file }) {
  const pull = context.payload && context.payload.pull_request;
  if (!pull) {
    core.info(`${stack}: not a pull request, no comment`);
    return { action: "none" };
  }
  const { owner, repo } = context.repo;
  const runUrl = `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`;
  const body = previewComment({ stack, outcome, text: readText(file), runUrl });
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number: pull.number, per_page: 100 });
  const mine = comments.find((c) => typeof c.body === "string" && c.body.startsWith(previewMark(stack)));
  if (mine) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
    return { action: "updated", id: mine.id };
  }
  const created = await github.rest.issues.createComment({ owner, repo, issue_number: pull.number, body });
  return { action: "created", id: created.data.id };
}

const fingerprintOf = (body) => (String(body ?? "").match(/fingerprint=([^ ]*) -->/) || [])[1];

async function ensureLabel(github, owner, repo) {
  try {
    await github.rest.issues.getLabel({ owner, repo, name: ISSUE_LABEL });
  } catch (error) {
    if (error.status !== 404) throw error;
    try {
      await github.rest.issues.createLabel({ owner, repo, name: ISSUE_LABEL, color: "d93f0b", description: "exo-app-only: a stack's scheduled check failed" });
    } catch (raced) {
      if (raced.status !== 422) throw raced; // another stack's job created it first
    }
  }
}

/** What follows `exo-<key>-` in a tenant's resource names. */
const RESOURCE_PARTS = "tenant|registration|exchange|certificate|secret|federated|verify|sp";
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * What one scheduled run says about each tenant. A stack of many tenants (its check is `fleet verify`, a row a
 * tenant) gets one subject a tenant, `<stack>/<key>`: that tenant's failing checks, and the preview lines that name
 * its resources (`exo-<key>-…`; a preview failure that names no tenant, such as a sign-in error, counts for every
 * tenant). Any other stack is one subject, the stack itself.
 */
function driftSubjects({ stack, verifyOutcome, verify, driftOutcome, driftText }) {
  const result = verify && verify.value;
  const tenants = result && Array.isArray(result.stacks) ? result.stacks.flatMap((st) => (Array.isArray(st.tenants) ? st.tenants : [])) : [];
  if (tenants.length === 0 || !tenants.every((t) => typeof t.tenant === "string")) {
    return [{ stack, verifyOutcome, verify, driftOutcome, driftText }];
  }
  const lines = String(driftText ?? "").split("\n");
  // A tenant's resources are exo-<key> and exo-<key>-<part> (components/stackProgram.ts); naming the parts keeps
  // tenant "contoso" from claiming "exo-contoso-eu-…", another tenant's.
  const mentions = (key) => lines.filter((line) => new RegExp(`\\bexo-${escapeRegExp(key)}(-(${RESOURCE_PARTS})\\b|(?![\\w-]))`).test(line));
  const anyNamed = tenants.some((t) => mentions(t.tenant).length > 0);
  return tenants.map((t) => {
    const own = mentions(t.tenant);
    const drifted = driftOutcome === "failure" && (own.length > 0 || !anyNamed);
    return {
      stack: `${stack}/${t.tenant}`,
      verifyOutcome: t.ok ? "success" : "failure",
      verify: { value: { stacks: [{ stack, status: t.ok ? "succeeded" : "failed", tenants: [t] }] } },
      driftOutcome: driftOutcome === "failure" ? (drifted ? "failure" : "success") : driftOutcome,
      driftText: drifted ? (anyNamed ? own.join("\n") : driftText) : undefined,
    };
  });
}

/** Opens, updates or closes the issue a report is about; found by its exact title among the open labelled ones. */
async function syncIssue({ github, owner, repo, core, runUrl, open, report, who, green = "app-only access works and the tenant matches the stack" }) {
  const existing = open.find((issue) => !issue.pull_request && issue.title === report.title);
  if (!report.failing) {
    if (existing) {
      await github.rest.issues.createComment({ owner, repo, issue_number: existing.number, body: `Green again (${runUrl}): ${green}. Closing.` });
      await github.rest.issues.update({ owner, repo, issue_number: existing.number, state: "closed", state_reason: "completed" });
      core.info(`closed #${existing.number}: ${report.title}`);
    } else {
      core.info(`${who}: green, no open issue`);
    }
    return { action: existing ? "closed" : "none", number: existing?.number };
  }
  if (!existing) {
    await ensureLabel(github, owner, repo);
    const created = await github.rest.issues.create({ owner, repo, title: report.title, body: report.body, labels: [ISSUE_LABEL] });
    core.warning(`${who}: opened #${created.data.number}: ${report.title}`);
    return { action: "opened", number: created.data.number };
  }
  const changed = fingerprintOf(existing.body) !== report.fingerprint;
  await github.rest.issues.update({ owner, repo, issue_number: existing.number, body: report.body });
  if (changed) await github.rest.issues.createComment({ owner, repo, issue_number: existing.number, body: `What fails has changed (${runUrl}): the description above is up to date.` });
  core.warning(`${who}: updated #${existing.number}: ${report.title}`);
  return { action: changed ? "updated-and-commented" : "updated", number: existing.number };
}

/**
 * Opens, updates or closes the issue of each tenant the run checked (drift.yml, through actions/github-script):
 * one issue a tenant, which for a stack of one tenant is the stack's issue. A new failure opens it, a changed failure
 * adds a comment, an unchanged one only refreshes the body, and a green run comments and closes it. Returns the
 * stack's result, or `{ action: "per-tenant", tenants: { <key>: result } }` for a stack of many.
 */
async function syncDriftIssue({ github, context, core, stack, verifyOutcome, verifyFile, driftOutcome, driftFile, secrets = [], now = new Date() }) {
  const { owner, repo } = context.repo;
  const runUrl = `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`;
  const subjects = driftSubjects({
    stack,
    verifyOutcome,
    verify: verifyOutcome === "skipped" ? undefined : readJson(verifyFile),
    driftOutcome,
    driftText: driftOutcome === "failure" ? readText(driftFile) : undefined,
  });
  const open = await github.paginate(github.rest.issues.listForRepo, { owner, repo, state: "open", labels: ISSUE_LABEL, per_page: 100 });
  const results = {};
  for (const subject of subjects) {
    const report = driftReport({ ...subject, runUrl, now, secrets });
    results[subject.stack] = await syncIssue({ github, owner, repo, core, runUrl, open, report, who: subject.stack });
  }
  if (subjects.length === 1 && subjects[0].stack === stack) return results[stack];
  return { action: "per-tenant", tenants: Object.fromEntries(Object.entries(results).map(([who, r]) => [who.slice(stack.length + 1), r])) };
}

/** The audit's one issue for the whole fleet: found again by this exact title (and the label). */
const AUDIT_ISSUE_TITLE = "exo-app-only: audit findings";
const SEVERITY_RANK = { high: 0, medium: 1, low: 2 };
/** The evidence reports go in whole while they fit; the run's artifact holds them all. */
const MAX_REPORTS_CHARS = 40000;

/**
 * The issue for the scheduled audit (`exo-app-only fleet audit --json --fail-on <level> --markdown-dir <dir>`):
 * each stack's result, the findings at or above `failOn` by tenant (rule, principal, evidence, fix), and the evidence
 * reports. `failing` when the audit step did not succeed; `fingerprint` is the set of those findings' ids (and any
 * tenant that could not be audited), so an unchanged result does not notify again. Redacted like every issue.
 */
function auditReport({ outcome, audit, reports = {}, failOn, runUrl, now }) {
  const result = audit && audit.value;
  const audits = result && Array.isArray(result.audits) ? result.audits : [];
  const over = (f) => SEVERITY_RANK[f.severity] !== undefined && SEVERITY_RANK[f.severity] <= (SEVERITY_RANK[failOn] ?? 2);
  const stacks = result && Array.isArray(result.stacks) ? result.stacks : [];
  const unaudited = stacks.flatMap((st) => (Array.isArray(st.tenants) && st.tenants.length > 0 ? st.tenants.filter((t) => t.error && t.error.code !== "ERR_AUDIT_FINDINGS").map((t) => ({ where: `${st.stack}/${t.tenant}`, error: t.error })) : st.error ? [{ where: st.stack, error: st.error }] : []));
  const failing = outcome !== "success";
  const fingerprint = failing
    ? [...audits.flatMap((a) => (Array.isArray(a.findings) ? a.findings : []).filter(over).map((f) => f.id)), ...unaudited.map((u) => `unaudited:${u.where}`)].sort().join(",") || `outcome:${outcome}`
    : "ok";
  const when = now.toISOString().replace(/\.\d+Z$/, "Z");
  const lines = [
    `<!-- exo-app-only:audit fingerprint=${fingerprint} -->`,
    `The scheduled audit (\`exo-app-only fleet audit --fail-on ${failOn}\`) ${failing ? "failed" : "passed"} (last run ${when}: [run log](${runUrl})).`,
    "",
  ];
  if (audits.length > 0) {
    lines.push("| tenant | stack | high | medium | low |", "|---|---|---|---|---|");
    for (const a of audits) lines.push(`| ${code(a.tenantId)} | ${cell(a.stack)} | ${a.counts?.high ?? 0} | ${a.counts?.medium ?? 0} | ${a.counts?.low ?? 0} |`);
    lines.push("");
  } else if (result && result.error) {
    lines.push(`The audit stopped: ${cell(result.error.message)}`, "", `How to fix: ${cell(result.error.remedy)}`, "");
  } else if (audit && audit.invalid) {
    lines.push("The audit printed no JSON: see the run log.", "");
  } else if (failing) {
    lines.push("The audit did not report (it did not run, or stopped before its report): see the run log.", "");
  }
  for (const a of audits) {
    const found = (Array.isArray(a.findings) ? a.findings : []).filter(over);
    if (found.length === 0) continue;
    lines.push(`### Tenant ${code(a.tenantId)}: findings at or above ${failOn}`, "", "| severity | rule | principal | evidence | how to fix |", "|---|---|---|---|---|");
    for (const f of found) lines.push(`| ${cell(f.severity)} | ${code(f.rule)} | ${cell(f.principal?.displayName)} (${code(f.principal?.appId)}) | ${cell(f.evidence)} | ${cell(f.fix)} |`);
    lines.push("");
  }
  if (unaudited.length > 0) {
    lines.push("### Not audited", "", "| where | error | how to fix |", "|---|---|---|");
    for (const u of unaudited) lines.push(`| ${cell(u.where)} | ${cell(u.error.message)} | ${cell(u.error.remedy)} |`);
    lines.push("");
  }
  let room = MAX_REPORTS_CHARS;
  for (const [tenantId, text] of Object.entries(reports)) {
    if (text.length > room) {
      lines.push(`<details><summary>Evidence report for ${cell(tenantId)}</summary>`, "", "Too long for the issue: it is in the run's job summary.", "", "</details>", "");
      continue;
    }
    room -= text.length;
    lines.push(`<details><summary>Evidence report for ${cell(tenantId)}</summary>`, "", text, "", "</details>", "");
  }
  if (!failing) lines.push(`Green again: no finding at or above ${failOn}.`, "");
  return { title: AUDIT_ISSUE_TITLE, body: redactShapes(lines.join("\n")), failing, fingerprint };
}

/** The evidence reports `--markdown-dir` wrote, by tenant (the file's name without .md). */
function readReports(dir) {
  let names = [];
  try {
    names = fs.readdirSync(dir).filter((name) => name.endsWith(".md")).sort();
  } catch {
    return {};
  }
  return Object.fromEntries(names.map((name) => [name.slice(0, -3), fs.readFileSync(path.join(dir, name), "utf8")]));
}

/**
 * Opens, updates or closes the audit's one issue (drift.yml's audit job, through actions/github-script), as
 * syncDriftIssue does a stack's.
 */
async function syncAuditIssue({ github, context, core, outcome, auditFile, reportsDir, failOn, now = new Date() }) {
  const { owner, repo } = context.repo;
  const runUrl = `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`;
  const report = auditReport({ outcome, audit: outcome === "skipped" ? undefined : readJson(auditFile), reports: readReports(reportsDir), failOn, runUrl, now });
  const open = await github.paginate(github.rest.issues.listForRepo, { owner, repo, state: "open", labels: ISSUE_LABEL, per_page: 100 });
  return syncIssue({ github, owner, repo, core, runUrl, open, report, who: "audit", green: `no finding at or above ${failOn}` });
}

/** stdin to stdout, redacted line by line as it comes (a key's lines dropped from BEGIN to END); `secrets` known values. */
function redactStream(input, output, secrets = []) {
  const { RedactingLines } = built("text/redact.js");
  const lines = new RedactingLines(redactorOf(secrets));
  input.setEncoding("utf8");
  input.on("data", (chunk) => output.write(lines.write(chunk)));
  input.on("end", () => output.write(lines.end()));
}

module.exports = {
  issueTitle, ISSUE_LABEL, cell, planSummary, verifySummary, verifyFailures, pulumiSummary, previewComment, commentPreview,
  driftReport, driftSubjects, syncDriftIssue, stackSecrets, redactStream, AUDIT_ISSUE_TITLE, auditReport, syncAuditIssue,
};

if (require.main === module) {
  const [command, stack, ...rest] = process.argv.slice(2);
  const usage = "usage: gitops-report.cjs redact [--stack|--stack-config <stack>] | plan-summary|verify-summary <stack> <file.json> | pulumi-summary <stack> <command> <output.txt> <outcome>";
  const fail = () => {
    process.stderr.write(`${usage}\n`);
    process.exit(2);
  };
  if (command === "redact" && stack === undefined) redactStream(process.stdin, process.stdout);
  else if (command === "redact" && ["--stack", "--stack-config"].includes(stack) && rest.length === 1 && rest[0]) {
    redactStream(process.stdin, process.stdout, stackSecrets(rest[0], runPulumi, { outputs: stack === "--stack" }));
  }
  else if (command === "pulumi-summary" && stack && rest.length === 3) process.stdout.write(pulumiSummary(stack, rest[0], readText(rest[1]), rest[2]));
  else if (["plan-summary", "verify-summary"].includes(command) && stack && rest.length === 1) {
    const parsed = readJson(rest[0]);
    process.stdout.write(command === "plan-summary" ? planSummary(stack, parsed) : verifySummary(stack, parsed));
  } else fail();
}
