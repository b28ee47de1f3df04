/**
 * Which stacks a fleet command runs on: stack names (`--stacks a,b` or positional), a glob over the project's
 * `Pulumi.<stack>.yaml` files (`--glob 'tenant-*'`), or a fleet file (`--fleet fleet.yaml`). The project is found
 * from the current folder upward, as the Pulumi CLI finds it. A stack that has no config file is refused here,
 * before anything runs.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, dirname, extname, relative, resolve, sep } from "node:path";
import { UsageError } from "../errors";
import { STACK_NAME_RULE, findProjectFile, isStackName, notAStackName, stackFileIn, stackFilesFolder } from "../plan/stackFile";
import { readFleetFile } from "./fleetFile";

export interface FleetStack {
  /** As `pulumi --stack` takes it. */
  readonly name: string;
  /** Absolute path of the stack's config file. */
  readonly configFile: string;
  /** True when the config file was named (a fleet file's configFile), so Pulumi must be told about it. */
  readonly explicitConfigFile: boolean;
}

export interface Fleet {
  readonly projectFile: string;
  readonly projectDir: string;
  readonly stacks: readonly FleetStack[];
  /** Identifies the fleet by its stack set (order and config paths aside): what --only-failed compares. */
  readonly id: string;
}

export interface FleetSource {
  /** From `--stacks a,b` and positional arguments. */
  readonly names?: readonly string[];
  readonly glob?: string;
  readonly fleetFile?: string;
  readonly cwd?: string;
  /** The fleet subcommand run (`up`, `audit`, ...): its messages' examples use it. */
  readonly command?: string;
}

/** How to name a fleet, with the subcommand the user ran in the example. */
const which = (command = "up") => `Name the stacks (\`fleet ${command} contoso fabrikam\` or --stacks contoso,fabrikam), or pass --glob 'tenant-*' or --fleet fleet.yaml.`;

/** The fleet id: a digest of the sorted stack names. */
export function fleetId(names: readonly string[]): string {
  return createHash("sha256").update([...names].sort().join("\n")).digest("hex").slice(0, 16);
}

/** `tenant-*` → a whole-name matcher: `*` any run of characters, `?` one character, everything else literal. */
export function globMatcher(glob: string): (name: string) => boolean {
  const body = glob.replace(/[.+^${}()|[\]\\/]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  const re = new RegExp(`^${body}$`);
  return (name) => re.test(name);
}

function checkName(name: string): void {
  if (!isStackName(name)) throw new UsageError(notAStackName(name), STACK_NAME_RULE);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The stack's own config file beside the project; refused (naming the stack) when it does not exist. */
function defaultStack(name: string, folder: string, projectFile: string, origin: string): FleetStack {
  checkName(name);
  const stackFile = stackFileIn(folder, projectFile, name);
  if (!isFile(stackFile)) {
    throw new UsageError(
      `stack ${name}${origin} does not exist: no ${relative(dirname(projectFile), stackFile) || stackFile} beside ${projectFile}`,
      `Create it (\`pulumi stack init ${name}\`, then \`pulumi config set tenantId ...\`), give the entry a configFile, or remove it from the fleet.`,
    );
  }
  return { name, configFile: stackFile, explicitConfigFile: false };
}

function noDuplicates(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new UsageError(`stack ${name} is named twice`, "Name each stack once.");
    seen.add(name);
  }
}

/** Resolves a fleet source to its stacks. Throws UsageError / FleetFileError / StackFileError (exit 2). */
export function resolveFleet(source: FleetSource): Fleet {
  const cwd = resolve(source.cwd ?? process.cwd());
  const given = [source.names && source.names.length > 0 && "stack names", source.glob !== undefined && "--glob", source.fleetFile !== undefined && "--fleet"].filter(
    (x): x is string => typeof x === "string",
  );
  if (given.length === 0) throw new UsageError("no stacks given", which(source.command));
  if (given.length > 1) throw new UsageError(`choose one way to name the fleet, not ${given.join(" and ")}`, which(source.command));

  const projectFile = findProjectFile(cwd);
  const projectDir = dirname(projectFile);
  // Read once: every stack file of the fleet lives in this folder.
  const folder = stackFilesFolder(projectFile);
  let stacks: FleetStack[];
  if (source.fleetFile !== undefined) {
    const file = resolve(cwd, source.fleetFile);
    stacks = readFleetFile(file).map((entry, index) => {
      if (entry.configFile === undefined) return defaultStack(entry.name, folder, projectFile, ` (${file}: stacks[${index}])`);
      const configFile = resolve(entry.baseDir, entry.configFile);
      if (!isFile(configFile)) {
        throw new UsageError(
          `stack ${entry.name} (${file}: stacks[${index}].configFile) does not exist: ${configFile} is not a file`,
          "Fix the configFile path (relative to the fleet file), or leave configFile out for Pulumi.<name>.yaml beside Pulumi.yaml.",
        );
      }
      return { name: entry.name, configFile, explicitConfigFile: true };
    });
  } else if (source.glob !== undefined) {
    const glob = source.glob;
    if (glob.trim() === "") throw new UsageError("--glob is empty", "Pass a pattern over stack names, such as --glob 'tenant-*'.");
    const ext = extname(projectFile);
    const prefix = "Pulumi.";
    const names = (existsSync(folder) ? readdirSync(folder) : [])
      .filter((file) => file.startsWith(prefix) && file.endsWith(ext) && file.length > prefix.length + ext.length && file !== basename(projectFile))
      .map((file) => file.slice(prefix.length, -ext.length))
      .sort();
    const match = globMatcher(glob);
    const picked = names.filter(match);
    if (picked.length === 0) {
      throw new UsageError(
        `no stack matches --glob ${JSON.stringify(glob)} (looked for Pulumi.<stack>${ext} in ${folder}${sep}; found ${names.length === 0 ? "none" : names.join(", ")})`,
        "Check the pattern: * matches any run of characters, ? one character, and it must match the whole stack name.",
      );
    }
    stacks = picked.map((name) => defaultStack(name, folder, projectFile, ""));
  } else {
    const names = source.names!;
    names.forEach(checkName);
    noDuplicates(names);
    stacks = names.map((name) => defaultStack(name, folder, projectFile, ""));
  }
  noDuplicates(stacks.map((s) => s.name));
  return { projectFile, projectDir, stacks, id: fleetId(stacks.map((s) => s.name)) };
}

/** `--stacks a,b` and positional names, split on commas, blanks dropped. */
export function splitNames(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v.length > 0);
}
