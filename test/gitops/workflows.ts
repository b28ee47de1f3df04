/** The repository's GitHub Actions workflows, read for the GitOps tests. */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "yaml";

export const ROOT = join(__dirname, "..", "..");
export const WORKFLOW_DIR = join(ROOT, ".github", "workflows");

export interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly "continue-on-error"?: boolean;
}

export interface Job {
  readonly name?: string;
  readonly needs?: string | string[];
  readonly if?: string;
  readonly environment?: string | { name: string };
  readonly permissions?: Record<string, string> | string;
  readonly strategy?: { "fail-fast"?: boolean; "max-parallel"?: number | string; matrix?: unknown };
  readonly concurrency?: { group: string; "cancel-in-progress"?: boolean } | string;
  readonly env?: Record<string, string>;
  readonly steps: Step[];
}

export interface Workflow {
  readonly file: string;
  readonly text: string;
  readonly name?: string;
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string> | string;
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

export function workflowFiles(): string[] {
  return readdirSync(WORKFLOW_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
}

export function readWorkflow(file: string): Workflow {
  const text = readFileSync(join(WORKFLOW_DIR, file), "utf8");
  return { file, text, ...(parse(text) as Omit<Workflow, "file" | "text">) };
}

/** What a step runs: every step that is a `run:` with its script, in order. */
export function runSteps(job: Job): { index: number; step: Step; script: string }[] {
  return job.steps.flatMap((step, index) => (typeof step.run === "string" ? [{ index, step, script: step.run }] : []));
}

/** Job permissions replace the workflow's; an unset one falls back to the workflow's. */
export function effectivePermissions(workflow: Workflow, job: Job): Record<string, string> {
  const p = job.permissions ?? workflow.permissions ?? {};
  if (typeof p === "string") throw new Error(`${workflow.file}: use a permissions map, not ${p}`);
  return p;
}

export const effectiveEnv = (workflow: Workflow, job: Job): Record<string, string> => ({ ...(workflow.env ?? {}), ...(job.env ?? {}) });

export interface ParseResult {
  readonly file: string;
  readonly errors: string[];
  readonly jobs: string[];
}

/** GitHub's own parser (@actions/workflow-parser, ESM) in a child process: see parseWorkflows.mjs. */
export async function parseWithGitHubParser(files: readonly string[]): Promise<ParseResult[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, "parseWorkflows.mjs"), ...files], { cwd: ROOT, timeout: 30_000 });
  return JSON.parse(stdout) as ParseResult[];
}
