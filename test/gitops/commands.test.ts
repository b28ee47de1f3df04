/**
 * Every command a workflow's `run:` calls exists: `npx exo-app-only <sub>` and each of its flags in the built CLI
 * (its --help, so the test sees exactly what users run), `npm run <script>` in package.json, `pulumi` commands and
 * flags from a known list, `node <file>` files in the repository, and nothing else beyond a few shell tools.
 * Needs dist/ (`npx tsc -p .`, which `npm test` runs first).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CLI, helpOf } from "../support/cliHelp";
import { commandsOf, type SimpleCommand } from "./shell";
import { ROOT, readWorkflow, runSteps, workflowFiles } from "./workflows";

/** Shell tools the scripts may use besides the project's commands. */
const TOOLS = new Set(["echo", "printf", "cat", "cp", "tee", "jq", "exit", "read", "[", "test", "true", "false", "mkdir"]);

/**
 * Pulumi CLI commands the workflows may call, with the flags each may pass (from `pulumi <cmd> --help`, CLI v3;
 * global flags in GLOBAL). Extend it when a workflow needs more.
 */
const PULUMI_GLOBAL = ["--non-interactive", "--color", "--cwd", "-C", "--logtostderr", "--verbose", "-v"];
const PULUMI: Record<string, readonly string[]> = {
  preview: ["--stack", "-s", "--refresh", "-r", "--expect-no-changes", "--diff", "--suppress-outputs", "--policy-pack", "--policy-pack-config", "--json", "-j", "--config-file", "--parallel", "-p", "--message", "-m"],
  up: ["--stack", "-s", "--yes", "-y", "--skip-preview", "-f", "--refresh", "-r", "--diff", "--suppress-outputs", "--policy-pack", "--config-file", "--message", "-m", "--parallel", "-p"],
  refresh: ["--stack", "-s", "--yes", "-y", "--skip-preview", "-f", "--expect-no-changes", "--diff", "--suppress-outputs", "--config-file"],
  destroy: ["--stack", "-s", "--yes", "-y", "--skip-preview", "-f", "--diff", "--suppress-outputs", "--config-file", "--remove"],
  "stack output": ["--stack", "-s", "--json", "-j", "--show-secrets", "--shell"],
  "stack select": ["--stack", "-s", "--create", "-c", "--secrets-provider"],
  "stack ls": ["--json", "-j", "--all", "-a"],
  cancel: ["--stack", "-s", "--yes", "-y"],
  whoami: ["--verbose", "-v", "--json", "-j"],
};

/** `--flag=value` → `--flag`; anything not a flag → undefined. */
const flagOf = (arg: string): string | undefined => (/^--?[A-Za-z]/.test(arg) ? arg.split("=")[0] : undefined);

/** Why `command` does not exist, or undefined when it does. */
async function problemWith(command: SimpleCommand, scripts: Record<string, string>): Promise<string | undefined> {
  const [tool, ...args] = command.argv;
  switch (tool) {
    case "npx": {
      if (args[0] !== "exo-app-only") return `npx runs only this project's CLI (exo-app-only), not ${args[0]}`;
      const path: string[] = [];
      let rest = args.slice(1);
      let help = await helpOf(path);
      // Walk down the command tree while the next word is a subcommand.
      while (rest[0] !== undefined && help.commands.has(rest[0])) {
        path.push(rest[0]);
        rest = rest.slice(1);
        help = await helpOf(path);
      }
      const name = ["exo-app-only", ...path].join(" ");
      if (help.commands.size > 0) return `${name} has no subcommand ${JSON.stringify(rest[0])} (it has ${[...help.commands].join(", ")})`;
      for (let i = 0; i < rest.length; i += 1) {
        const arg = rest[i]!;
        const flag = flagOf(arg);
        if (flag === undefined) {
          if (!help.takesArguments) return `${name} takes no argument ${JSON.stringify(arg)}`;
          continue;
        }
        const value = help.flags.get(flag);
        if (value === undefined) return `${name} has no flag ${flag}`;
        if (arg.includes("=")) continue;
        if (value === "required" || (value === "optional" && rest[i + 1] !== undefined && !rest[i + 1]!.startsWith("-"))) i += 1;
      }
      return undefined;
    }
    case "npm": {
      const words = args.filter((a) => !["-s", "--silent"].includes(a));
      if (words[0] === "ci") {
        const unknown = words.slice(1).filter((a) => !["--no-audit", "--no-fund", "--ignore-scripts", "--omit=dev", "--include=dev"].includes(a));
        return unknown.length > 0 ? `npm ci with unexpected arguments ${unknown.join(" ")}` : undefined;
      }
      if (words[0] === "run" || words[0] === "run-script") return words[1] !== undefined && words[1] in scripts ? undefined : `package.json has no script ${JSON.stringify(words[1])}`;
      return `npm ${words[0]} is not a command the workflows use (npm ci, npm run <script>)`;
    }
    case "pulumi": {
      const sub = PULUMI[`${args[0]} ${args[1]}`] ? `${args[0]} ${args[1]}` : args[0]!;
      const allowed = PULUMI[sub];
      if (!allowed) return `pulumi ${args[0]} is not in the known list`;
      const unknown = args.slice(sub.split(" ").length).map(flagOf).filter((f): f is string => f !== undefined && !allowed.includes(f) && !PULUMI_GLOBAL.includes(f));
      return unknown.length > 0 ? `pulumi ${sub} has no flag ${unknown.join(", ")} in the known list` : undefined;
    }
    case "node":
      return args[0] !== undefined && existsSync(join(ROOT, args[0])) ? undefined : `node ${args[0]}: no such file in the repository`;
    default:
      return TOOLS.has(tool!) ? undefined : `${tool} is not a command the workflows may call`;
  }
}

const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

const runLines = workflowFiles().flatMap((file) => {
  const workflow = readWorkflow(file);
  return Object.entries(workflow.jobs).flatMap(([jobId, job]) =>
    runSteps(job).flatMap(({ step, script }) => commandsOf(script).map((command) => ({ where: `${file}:${jobId}:${step.name ?? step.id ?? "run"}`, command }))),
  );
});

describe("run: lines call commands that exist", () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx tsc -p .)`);
  });

  it("finds the commands of every run: step", () => {
    const tools = new Set(runLines.map((r) => r.command.argv[0]));
    expect([...tools].sort()).toEqual(expect.arrayContaining(["[", "echo", "exit", "jq", "node", "npm", "npx", "pulumi"]));
    expect(runLines.length).toBeGreaterThan(30);
  });

  it("every exo-app-only subcommand and flag exists in the CLI, every npm script in package.json, every pulumi command in the known list", async () => {
    const problems = (await Promise.all(runLines.map(async ({ where, command }) => ({ where, command: command.argv.join(" "), problem: await problemWith(command, scripts) })))).filter((p) => p.problem !== undefined);
    expect(problems).toEqual([]);
  });

  it("would catch a misspelt subcommand, flag, script or command", async () => {
    const bad = ["npx exo-app-only verfy --stack x", "npx exo-app-only verify dev", "npx exo-app-only fleet", "npx exo-app-only verify --stak x", "npx exo-app-only fleet matrx --glob '*'", "npx exo-app-only fleet matrix --glb '*'", "npm run -s plann", "pulumi previw", "pulumi preview --expect-no-change", "node nowhere.cjs", "curl https://example.com"];
    for (const line of bad) expect({ line, problem: await problemWith(commandsOf(line)[0]!, scripts) }).toEqual({ line, problem: expect.any(String) });
    const good = ["npx exo-app-only verify --stack x --json --timeout=5m", "npx exo-app-only fleet verify dev --json", "npm run -s plan -- --stack dev", "pulumi stack output tenants --stack dev"];
    for (const line of good) expect({ line, problem: await problemWith(commandsOf(line)[0]!, scripts) }).toEqual({ line, problem: undefined });
  });
});

describe("the shell reader", () => {
  it("splits lists, pipes and substitutions, drops redirections, assignments and reserved words", () => {
    const script = [
      'if [ -n "$A" ]; then',
      '  m=$(npx exo-app-only fleet matrix --fleet "$A")',
      "fi",
      "while IFS=$'\\t' read -r s f; do",
      '  npx exo-app-only plan --config-file "$f" --json > plan.json || code=$?',
      'done < <(jq -r \'.include[] | [.stack] | @tsv\' m.json)',
      'pulumi preview --stack "$S" 2>&1 | tee drift.txt # the diff',
      'target="Pulumi.${STACK##*/}.yaml"; cp a \\',
      "  b",
    ].join("\n");
    expect(commandsOf(script).map((c) => c.argv.join(" "))).toEqual([
      "[ -n $A ]",
      "npx exo-app-only fleet matrix --fleet $A",
      "read -r s f",
      "npx exo-app-only plan --config-file $f --json",
      "jq -r .include[] | [.stack] | @tsv m.json",
      "pulumi preview --stack $S",
      "tee drift.txt",
      "cp a b",
    ]);
  });
});
