/** `exo-app-only plan`: what the stack declares, evaluated offline under Pulumi mocks. */
import { Command } from "commander";
import { printable, printableJson } from "../text/terminalText";
import { ConfigError, UsageError } from "../errors";
import type { RegisteredResource } from "../mocks/run";
import { locateStack, readEngineConfig } from "../plan/stackFile";
import { errorObject, jsonRequested, reportError, withUsageExit } from "./commandSupport";
import { evaluateProgram } from "./evaluate";
import { EXIT } from "./exit";
import type { ArgumentAdvice } from "./extraArguments";
import { hasMandatory, renderViolations } from "./policyReport";

export interface PlannedResource {
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  /** Type of the parent; with `parent`, it identifies it (names repeat across types). */
  readonly parentType: string | null;
  readonly inputs: Record<string, unknown>;
  /** Set when an existing resource is adopted (`import`) rather than created: the id it is imported with. */
  readonly importId?: string;
}

/** Inputs the SDK adds for its own bookkeeping, not part of what the stack declares. */
const INTERNAL_INPUTS = new Set(["__defaults", "version", "pluginDownloadURL", "__provider"]);

export function toPlan(resources: readonly RegisteredResource[]): PlannedResource[] {
  return resources.map((r) => ({
    type: r.type,
    name: r.name,
    parent: r.parent ?? null,
    parentType: r.parentType ?? null,
    inputs: Object.fromEntries(Object.entries(r.inputs).filter(([k]) => !INTERNAL_INPUTS.has(k))),
    ...(r.importId ? { importId: r.importId } : {}),
  }));
}

function shorten(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const oneLine = text.includes("\n") ? `${text.split("\n")[0]} … (${text.length} characters)` : text;
  return oneLine.length > 100 ? `${oneLine.slice(0, 97)}...` : oneLine;
}

/** A tree, children under their parent, inputs under each resource; `+` creates, `=` imports (adopts). */
export function renderPlan(plan: readonly PlannedResource[], title: string): string {
  const imported = plan.filter((r) => r.importId).length;
  const lines = [`${title}: ${plan.length} resources${imported ? `, ${imported} of them imported` : ""}`, ""];
  const id = (type: string, name: string) => `${type}::${name}`;
  const known = new Set(plan.map((r) => id(r.type, r.name)));
  const children = new Map<string | null, PlannedResource[]>();
  for (const r of plan) {
    const parent = r.parent && r.parentType && known.has(id(r.parentType, r.parent)) ? id(r.parentType, r.parent) : null;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const walk = (parent: string | null, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      const pad = "  ".repeat(depth);
      lines.push(r.importId ? `${pad}= ${r.type}  ${r.name}  (import ${r.importId})` : `${pad}+ ${r.type}  ${r.name}`);
      for (const [key, value] of Object.entries(r.inputs)) lines.push(`${pad}      ${key}: ${shorten(value)}`);
      walk(id(r.type, r.name), depth + 1);
    }
  };
  walk(null, 0);
  // Names and inputs come from the stack file: shown, never obeyed by the terminal.
  return lines.map((line) => printable(line)).join("\n");
}

interface PlanFlags {
  readonly stack?: string;
  readonly configFile?: string;
  readonly json?: boolean;
  /** Also run the policy pack (policy/) over the planned resources. */
  readonly policy?: boolean;
}

interface PlanResult {
  /** What to print on stdout. */
  readonly stdout: string;
  /** What to print on stderr besides (the violations, when stdout holds JSON). */
  readonly stderr: string;
  readonly exitCode: number;
}

/** Evaluates the stack and returns what to print and how to exit. */
async function plan(flags: PlanFlags, json: boolean): Promise<PlanResult> {
  if (!flags.stack && !flags.configFile) {
    throw new UsageError("plan needs a stack", "Pass --stack NAME (reads Pulumi.NAME.yaml) or --config-file PATH.");
  }
  // As the Pulumi CLI: the project from the current directory upward, the stack file wherever it is.
  const { projectFile, stackFile, stackName } = locateStack({ stack: flags.stack, configFile: flags.configFile });
  // Encrypted values the program only passes on plan as [secret]; the rest are refused with the reason.
  const { config, secretKeys } = readEngineConfig(projectFile, stackFile);
  const run = await evaluateProgram({ config, secretKeys, stack: stackName });
  const planned = toPlan(run.resources);
  const title = `Stack ${stackName} declares (offline, no credentials used)`;
  if (!flags.policy) {
    const stdout = json ? `${printableJson({ ok: true, resources: planned }, 2)}\n` : `${renderPlan(planned, title)}\n`;
    return { stdout, stderr: "", exitCode: EXIT.ok };
  }
  // Loaded only when asked for: the pack is not needed to plan.
  const { checkPlan, PACK_NAME } = require("../../policy/plan") as typeof import("../../policy/plan");
  // The policies see what the plan shows: the same inputs, secrets masked.
  const violations = await checkPlan(run.resources.map((r, i) => ({ ...r, inputs: planned[i]!.inputs })), { stack: stackName });
  const report = renderViolations(PACK_NAME, violations);
  const exitCode = hasMandatory(violations) ? EXIT.failed : EXIT.ok;
  return json
    ? { stdout: `${printableJson({ ok: true, resources: planned, policy: { violations } }, 2)}\n`, stderr: violations.length ? `${report}\n` : "", exitCode }
    : { stdout: `${renderPlan(planned, title)}\n\n${report}\n`, stderr: "", exitCode };
}

/**
 * Runs `plan` so that stdout gets exactly one result: the plan, or (with --json) one error object. An error the
 * program raises inside an `apply` can also surface as an unhandled rejection; it is reported the same way, once.
 */
async function runPlan(flags: PlanFlags): Promise<void> {
  const json = flags.json === true || jsonRequested();
  let done = false;
  const fail = (error: unknown) => {
    if (done) {
      // stdout already holds the one result; still say what went wrong, and do not exit 0.
      process.stderr.write(`error: ${printable(error instanceof Error ? error.message.split("\n")[0]! : String(error))}\n`);
      process.exitCode = EXIT.failed;
      return;
    }
    done = true;
    if (error instanceof ConfigError) {
      // Every bad key on its own line: the one-line report would keep only the first.
      process.stderr.write(`error: invalid stack config\n${printable(error.message, { newlines: true })}\n${printable(error.remedy)}\n`);
      if (json) process.stdout.write(`${printableJson(errorObject(error))}\n`);
      process.exitCode = EXIT.usage;
    } else {
      process.exitCode = reportError(error, json);
    }
  };
  process.on("unhandledRejection", fail);
  try {
    const result = await plan(flags, json);
    if (!done) {
      done = true;
      process.stdout.write(result.stdout);
      if (result.stderr) process.stderr.write(result.stderr);
      process.exitCode = result.exitCode;
    }
  } catch (error) {
    fail(error);
  }
}

/** Where plan takes what people try to give it as an argument. */
const ARGUMENTS: ArgumentAdvice = {
  secret: "plan runs offline and needs no secret or token: remove it (a secret the stack needs goes in its config, `pulumi config set --secret KEY`).",
  path: "To plan a stack file kept anywhere, pass it as --config-file PATH.",
  stackName: "Name the stack with --stack NAME (plan reads Pulumi.NAME.yaml beside Pulumi.yaml).",
  other: "plan takes its stack as --stack NAME or --config-file PATH; everything else is a flag (see --help).",
};

export function planCommand(): Command {
  const command = new Command("plan")
    .description("Print what the stack declares, evaluated offline under Pulumi mocks: no CLI, no credentials, no cloud.")
    .option("--stack <name>", "read Pulumi.<name>.yaml beside Pulumi.yaml")
    .option("--config-file <path>", "read this stack file instead, kept anywhere (the project is the Pulumi.yaml in the current folder or above)")
    .option("--json", 'print one object on stdout: {"ok":true,"resources":[{"type","name","parent","parentType","inputs"}]}, or {"ok":false,"error":{"code","message","remedy"}}')
    .option("--policy", 'also run the policy pack (policy/) over the planned resources, as `pulumi preview --policy-pack policy/` would; --json adds "policy":{"violations":[{"policy","enforcement","resource","message"}]}')
    .addHelpText(
      "after",
      "\nExamples:\n  npm run -s plan -- --stack dev\n  npx exo-app-only plan --config-file stacks/Pulumi.contoso.yaml --json\n  npx exo-app-only plan --stack dev --policy --json | jq '.policy.violations'\n\n" +
        "Exit codes: 0 planned (with --policy: no violation, or advisory ones only), 1 a mandatory policy is violated (--policy) or an internal error, 2 invalid config or usage.",
    )
    .action(runPlan);
  return withUsageExit(command, ARGUMENTS);
}
