/**
 * Runs one job of a workflow the way a runner would, with fakes where the cloud would be: every step in order, its
 * `if:` and `${{ }}` values evaluated, `run:` scripts in bash -eo pipefail with GITHUB_OUTPUT, GITHUB_ENV and
 * GITHUB_STEP_SUMMARY files, `actions/github-script` scripts against a fake GitHub client, and `pulumi/actions`
 * doing what its pinned version (v7.0.0, 8e5e406f) does. A fake `pulumi` on PATH holds a stack whose outputs and
 * config contain secrets; a fake `npx` plays the check. What the job leaves behind (logs, step outputs, env, job
 * summary, comments and issues) is returned for the tests to search.
 *
 * Not a runner: expressions are the subset the workflows use (contexts, == != && || !, always() success() failure(),
 * string literals), and an unknown construct throws rather than guesses.
 */
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Job, Step } from "./workflows";

/** The fake stack: its outputs (`{ value, secret }`), its config, what each Pulumi command prints and its exit code. */
export interface FakeStack {
  readonly outputs: Record<string, { value: unknown; secret: boolean }>;
  readonly config: Record<string, { value: string; secret: boolean }>;
  /** What `pulumi up|preview|destroy` prints (Pulumi masks secrets as [secret]; errors may echo anything). */
  readonly printed: string;
  readonly exitCode: number;
  /** What `npx exo-app-only verify|fleet verify` prints on stdout (the check's JSON). */
  readonly verifyJson: unknown;
}

export interface StepRecord {
  readonly name: string;
  readonly outcome: "success" | "failure" | "skipped";
  readonly log: string;
  readonly outputs: Record<string, string>;
}

export interface JobRun {
  readonly steps: StepRecord[];
  /** GITHUB_STEP_SUMMARY, all steps. */
  readonly summary: string;
  /** GITHUB_ENV lines written by any step. */
  readonly env: string;
  /** Bodies of issues and comments created or edited through the fake GitHub client. */
  readonly posted: string[];
  /** Every command line the fake `pulumi` was called with. */
  readonly pulumiCalls: string[];
  /** All of the above, one string, to search for secrets. */
  readonly everything: string;
}

// ---- expressions -----------------------------------------------------------------------------------------------

type Value = string | boolean | number | null | Record<string, unknown>;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(==|!=|&&|\|\||[!()]|'(?:[^']|'')*'|[A-Za-z_][\w-]*(?:\.[\w-]+)*(?:\(\))?|\d+)/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw new Error(`expression not understood at ${JSON.stringify(text.slice(at))}`);
    tokens.push(m[1]!);
    at = re.lastIndex;
  }
  return tokens;
}

export interface ExpressionContext {
  readonly contexts: Record<string, unknown>;
  readonly jobFailed: boolean;
}

function lookup(path: string, ctx: ExpressionContext): Value {
  let value: unknown = ctx.contexts;
  for (const part of path.split(".")) value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
  return value === undefined ? null : (value as Value);
}

const truthy = (v: Value): boolean => v !== null && v !== false && v !== "" && v !== 0;

export function evaluate(expression: string, ctx: ExpressionContext): Value {
  const tokens = tokenize(expression);
  let i = 0;
  const primary = (): Value => {
    const t = tokens[i++];
    if (t === undefined) throw new Error(`expression ends early: ${expression}`);
    if (t === "(") {
      const v = or();
      if (tokens[i++] !== ")") throw new Error(`missing ) in ${expression}`);
      return v;
    }
    if (t === "!") return !truthy(primary());
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (/^\d+$/.test(t)) return Number(t);
    if (t === "true" || t === "false") return t === "true";
    if (t === "always()") return true;
    if (t === "success()") return !ctx.jobFailed;
    if (t === "failure()") return ctx.jobFailed;
    if (t.endsWith("()")) throw new Error(`function ${t} not supported`);
    return lookup(t, ctx);
  };
  const compare = (): Value => {
    let left = primary();
    while (tokens[i] === "==" || tokens[i] === "!=") {
      const op = tokens[i++];
      const right = primary();
      const equal = String(left ?? "").toLowerCase() === String(right ?? "").toLowerCase();
      left = op === "==" ? equal : !equal;
    }
    return left;
  };
  const and = (): Value => {
    let left = compare();
    while (tokens[i] === "&&") {
      i += 1;
      const right = compare();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  function or(): Value {
    let left = and();
    while (tokens[i] === "||") {
      i += 1;
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  }
  const value = or();
  if (i !== tokens.length) throw new Error(`unexpected ${tokens[i]} in ${expression}`);
  return value;
}

/** `text` with each `${{ expr }}` replaced by its value. */
export function interpolate(text: string, ctx: ExpressionContext): string {
  return text.replace(/\$\{\{\s*([\s\S]*?)\s*\}\}/g, (_m, expr: string) => {
    const v = evaluate(expr, ctx);
    return v === null ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  });
}

// ---- the fakes on PATH -------------------------------------------------------------------------------------------

const FAKE_PULUMI = `#!/usr/bin/env node
// A fake Pulumi CLI over one stack (FAKE_STACK, a JSON file); every call is appended to FAKE_CALLS.
const fs = require("fs");
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_CALLS, args.join(" ") + "\\n");
const stack = JSON.parse(fs.readFileSync(process.env.FAKE_STACK, "utf8"));
const has = (flag) => args.includes(flag);
const words = args.filter((a, i) => !a.startsWith("-") && !(i > 0 && ["--stack", "-s", "--policy-pack", "--color"].includes(args[i - 1])));
const masked = (o) => (o.secret ? "[secret]" : o.value);
if (words[0] === "stack" && words[1] === "select") process.exit(0);
if (words[0] === "stack" && words[1] === "output") {
  const show = has("--show-secrets");
  const name = words[2];
  if (name !== undefined) {
    const o = stack.outputs[name];
    if (!o) { process.stderr.write("error: current stack does not have output property '" + name + "'\\n"); process.exit(255); }
    const v = show ? o.value : masked(o);
    process.stdout.write((typeof v === "string" ? v : JSON.stringify(v)) + "\\n");
    process.exit(0);
  }
  const all = Object.fromEntries(Object.entries(stack.outputs).map(([k, o]) => [k, show ? o.value : masked(o)]));
  process.stdout.write(has("--json") ? JSON.stringify(all) : Object.entries(all).map(([k, v]) => k + "  " + JSON.stringify(v)).join("\\n") + "\\n");
  process.exit(0);
}
if (words[0] === "config") {
  const show = has("--show-secrets");
  const all = Object.fromEntries(Object.entries(stack.config).map(([k, c]) => [k, { value: show || !c.secret ? c.value : "[secret]", secret: c.secret }]));
  process.stdout.write(JSON.stringify(all));
  process.exit(0);
}
if (["up", "preview", "destroy", "refresh"].includes(words[0])) {
  process.stdout.write(stack.printed);
  process.exit(stack.exitCode);
}
process.stderr.write("fake pulumi: unexpected command " + args.join(" ") + "\\n");
process.exit(2);
`;

const FAKE_NPX = `#!/usr/bin/env node
// A fake npx for the check: prints the stack's verify JSON (FAKE_STACK) and fails when it says ok: false.
const fs = require("fs");
const args = process.argv.slice(2);
const stack = JSON.parse(fs.readFileSync(process.env.FAKE_STACK, "utf8"));
if (args[0] !== "exo-app-only" || !(args[1] === "verify" || (args[1] === "fleet" && args[2] === "verify"))) {
  process.stderr.write("fake npx: unexpected " + args.join(" ") + "\\n");
  process.exit(2);
}
process.stdout.write(JSON.stringify(stack.verifyJson) + "\\n");
process.exit(stack.verifyJson.ok ? 0 : 1);
`;

/** Writes the fake `pulumi`, `npx` and `npm` into `bin`. */
export function installFakes(bin: string): void {
  mkdirSync(bin, { recursive: true });
  const write = (name: string, text: string): void => {
    writeFileSync(join(bin, name), text);
    chmodSync(join(bin, name), 0o755);
  };
  write("pulumi", FAKE_PULUMI);
  write("npx", FAKE_NPX);
  write("npm", "#!/bin/sh\nexit 0\n");
}

// ---- the job -------------------------------------------------------------------------------------------------------

/** Key-value lines and `name<<DELIMITER` blocks, as GitHub reads GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    const block = line.match(/^([^=<]+)<<(.+)$/);
    if (block) {
      const end = lines.indexOf(block[2]!, i + 1);
      out[block[1]!] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (line.includes("=")) out[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
  }
  return out;
}

const setOutput = (name: string, value: string): string => `${name}<<ghadelimiter_fake\n${value}\nghadelimiter_fake\n`;

/** What the run: step printed and its exit code (bash -eo pipefail, as GitHub's `shell: bash`). */
function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; log: string }> {
  return new Promise((resolve) => {
    execFile("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, log: `${stdout}${stderr}` });
    });
  });
}

export interface SimulateOptions {
  readonly job: Job;
  /** Workflow-level env (the job's and the step's come from the job). */
  readonly workflowEnv?: Record<string, string>;
  /** Contexts for `${{ }}`: matrix, inputs, vars, github. */
  readonly contexts: Record<string, unknown>;
  /** A scratch folder with `.github` linked in (the steps' working directory). */
  readonly dir: string;
  readonly stack: FakeStack;
  /** `require` for github-script's `require('./…')`, resolved against `dir`. */
  readonly requireFrom: (path: string) => unknown;
}

/** Runs the job's steps in order; never throws for a failing step (the record says so). */
export async function simulateJob(o: SimulateOptions): Promise<JobRun> {
  const bin = join(o.dir, ".fake-bin");
  installFakes(bin);
  const stackFile = join(o.dir, "fake-stack.json");
  const callsFile = join(o.dir, "fake-pulumi-calls.txt");
  writeFileSync(stackFile, JSON.stringify(o.stack));
  writeFileSync(callsFile, "");
  const summaryFile = join(o.dir, "step-summary.md");
  const envFile = join(o.dir, "github-env");
  writeFileSync(summaryFile, "");
  writeFileSync(envFile, "");
  const steps: Record<string, { outcome: string; conclusion: string; outputs: Record<string, string> }> = {};
  const records: StepRecord[] = [];
  const posted: string[] = [];
  let jobFailed = false;
  const ctx = (): ExpressionContext => ({ contexts: { ...o.contexts, steps, env: {} }, jobFailed });
  const jobEnv = Object.fromEntries(Object.entries({ ...(o.workflowEnv ?? {}), ...(o.job.env ?? {}) }).map(([k, v]) => [k, interpolate(String(v), ctx())]));

  for (const [index, step] of o.job.steps.entries()) {
    const name = step.name ?? step.uses ?? `step ${index}`;
    const condition = step.if ?? "success()";
    if (!evaluateCondition(condition, ctx())) {
      records.push({ name, outcome: "skipped", log: "", outputs: {} });
      if (step.id) steps[step.id] = { outcome: "skipped", conclusion: "skipped", outputs: {} };
      continue;
    }
    const outputFile = join(o.dir, `github-output-${index}`);
    writeFileSync(outputFile, "");
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx())]));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...jobEnv,
      ...stepEnv,
      PATH: `${bin}:${process.env.PATH}`,
      FAKE_STACK: stackFile,
      FAKE_CALLS: callsFile,
      GITHUB_OUTPUT: outputFile,
      GITHUB_ENV: envFile,
      GITHUB_STEP_SUMMARY: summaryFile,
    };
    let code = 0;
    let log = "";
    if (typeof step.run === "string") {
      ({ code, log } = await bash(interpolate(step.run, ctx()), o.dir, env));
    } else if (step.uses) {
      ({ code, log } = await useAction(step, env, o, outputFile, summaryFile, posted, ctx));
    }
    const outcome = code === 0 ? "success" : "failure";
    const conclusion = outcome === "failure" && step["continue-on-error"] === true ? "success" : outcome;
    if (conclusion === "failure") jobFailed = true;
    const outputs = parseOutputFile(readFileSync(outputFile, "utf8"));
    if (step.id) steps[step.id] = { outcome, conclusion, outputs };
    records.push({ name, outcome, log, outputs });
  }
  const summary = readFileSync(summaryFile, "utf8");
  const env = readFileSync(envFile, "utf8");
  const pulumiCalls = readFileSync(callsFile, "utf8").split("\n").filter(Boolean);
  const everything = [...records.flatMap((r) => [r.log, ...Object.entries(r.outputs).map(([k, v]) => `${k}=${v}`)]), summary, env, ...posted].join("\n");
  return { steps: records, summary, env, posted, pulumiCalls, everything };
}

function evaluateCondition(condition: string, ctx: ExpressionContext): boolean {
  const expr = condition.replace(/^\$\{\{\s*|\s*\}\}$/g, "");
  // GitHub adds success() unless the condition names a status function.
  const v = evaluate(/\b(always|success|failure|cancelled)\(\)/.test(expr) ? expr : `success() && (${expr})`, ctx);
  return truthy(v);
}

const actionOf = (uses: string): string => uses.split("@")[0]!.split("/").slice(0, 2).join("/");

async function useAction(
  step: Step,
  env: NodeJS.ProcessEnv,
  o: SimulateOptions,
  outputFile: string,
  summaryFile: string,
  posted: string[],
  ctx: () => ExpressionContext,
): Promise<{ code: number; log: string }> {
  const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx())]));
  switch (actionOf(step.uses!)) {
    case "pulumi/actions":
      return pulumiAction(inputs, env, o.dir, outputFile, summaryFile);
    case "actions/github-script":
      return githubScript(inputs.script ?? "", env, o, posted);
    default:
      return { code: 0, log: "" };
  }
}

/**
 * pulumi/actions at v7.0.0 (src/main.ts at 8e5e406f): without `command` it only installs the CLI; with one it runs
 * it, then sets the step output `output` to the command's stdout and, for every stack output, a step output of that
 * name (core.setOutput) and, for a secret one, core.setSecret (`::add-mask::<value>` on stdout). comment-on-summary
 * writes the stdout into the job summary.
 */
async function pulumiAction(inputs: Record<string, string>, env: NodeJS.ProcessEnv, dir: string, outputFile: string, summaryFile: string): Promise<{ code: number; log: string }> {
  if (!inputs.command) return { code: 0, log: "Pulumi has been successfully installed. Exiting.\n" };
  const run = (args: string[]) => bash(["pulumi", ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" "), dir, env);
  const result = await run([inputs.command, "--stack", inputs["stack-name"] ?? ""]);
  let log = result.log;
  if (result.code !== 0) return { code: result.code, log };
  let outputs = setOutput("output", result.log);
  const plain = JSON.parse((await run(["stack", "output", "--json", "--show-secrets", "--stack", inputs["stack-name"] ?? ""])).log) as Record<string, unknown>;
  const masked = JSON.parse((await run(["stack", "output", "--json", "--stack", inputs["stack-name"] ?? ""])).log) as Record<string, unknown>;
  for (const [key, value] of Object.entries(plain)) {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    outputs += setOutput(key, text);
    if (masked[key] === "[secret]") log += `::add-mask::${text}\n`;
  }
  writeFileSync(outputFile, outputs);
  if (inputs["comment-on-summary"] === "true") writeFileSync(summaryFile, `${readFileSync(summaryFile, "utf8")}## Pulumi results\n\`\`\`diff\n${result.log}\n\`\`\`\n`);
  return { code: 0, log };
}

/** actions/github-script: the script as an async function of (require, github, context, core), with the step's env. */
async function githubScript(script: string, env: NodeJS.ProcessEnv, o: SimulateOptions, posted: string[]): Promise<{ code: number; log: string }> {
  let log = "";
  const core = {
    info: (t: string) => (log += `${t}\n`),
    warning: (t: string) => (log += `Warning: ${t}\n`),
    error: (t: string) => (log += `Error: ${t}\n`),
    debug: () => undefined,
    setFailed: (t: string) => (log += `Error: ${t}\n`),
  };
  let next = 100;
  const record = (what: string) => async (params: { body?: string; title?: string }) => {
    if (params.body !== undefined) posted.push(`${what}: ${params.title ?? ""}\n${params.body}`);
    return { data: { number: next, id: next++ } };
  };
  const github = {
    paginate: async () => [],
    rest: {
      issues: {
        listForRepo: "listForRepo",
        listComments: "listComments",
        getLabel: async () => ({ data: {} }),
        createLabel: async () => ({ data: {} }),
        create: record("issue"),
        update: record("issue update"),
        createComment: record("comment"),
        updateComment: record("comment update"),
      },
    },
  };
  const context = { repo: { owner: "acme", repo: "exo" }, serverUrl: "https://github.com", runId: 1, payload: (o.contexts.github as { event?: unknown })?.event ?? {} };
  const saved = { ...process.env };
  const cwd = process.cwd();
  Object.assign(process.env, env);
  process.chdir(o.dir);
  try {
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<unknown>;
    const localRequire = (path: string): unknown => (path.startsWith("./") ? o.requireFrom(join(o.dir, path)) : o.requireFrom(path));
    await new AsyncFunction("require", "github", "context", "core", script)(localRequire, github, context, core);
    return { code: 0, log };
  } catch (error) {
    return { code: 1, log: `${log}Error: ${(error as Error).message}\n` };
  } finally {
    process.chdir(cwd);
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

/** True when the folder already holds a build (the scripts load dist/). */
export const built = (root: string): boolean => existsSync(join(root, "dist", "src", "text", "redact.js"));
