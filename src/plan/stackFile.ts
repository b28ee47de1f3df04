/**
 * Reads a stack's config the way the Pulumi engine hands it to a program: the stack file's `config:` map,
 * with the project's declared defaults filled in, every value a string (lists and objects as JSON).
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { shownValue } from "../check/ids";
import { ExoAppOnlyError } from "../errors";
import { parseGoYaml, toEngineJson } from "./goYaml";

export class StackFileError extends ExoAppOnlyError {
  constructor(message: string, remedy: string) {
    super("ERR_STACK_FILE", message, remedy);
  }
}

/** `--stack` is not a name a stack can have: a usage error. */
export class StackNameError extends ExoAppOnlyError {
  constructor(stack: string) {
    super("ERR_USAGE", `--stack ${notAStackName(stack)}`, `${STACK_NAME_RULE} Or pass --config-file PATH.`);
  }
}

const WHERE = "Pass --stack NAME for Pulumi.NAME.yaml beside Pulumi.yaml, or --config-file PATH.";

function readYaml(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "does not exist" : code === "EISDIR" ? "is a folder, not a file" : `cannot be read (${code ?? (error as Error).message})`;
    throw new StackFileError(`${path} ${reason}`, WHERE);
  }
  try {
    return parseGoYaml(text);
  } catch (error) {
    throw new StackFileError(`${path} is not valid YAML (${(error as Error).message.split("\n")[0]})`, "Fix the YAML syntax at the line named above.");
  }
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** What a YAML value is, in words, for "must be a map, found …". */
function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "object") return "a map";
  return `the ${typeof value === "string" ? "text" : typeof value === "bigint" ? "number" : typeof value} ${JSON.stringify(typeof value === "bigint" ? Number(value) : value)}`.slice(0, 80);
}

/** The names the Pulumi CLI looks for, in its order (it picks the stack file's extension from the project's). */
const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml"];

/** Finds `Pulumi.yaml` in `start` or above, as the CLI does (it starts from the current directory). */
export function findProjectFile(start: string): string {
  let dir = resolve(start);
  for (;;) {
    for (const name of PROJECT_FILES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new StackFileError(
        `no Pulumi.yaml in ${resolve(start)} or any folder above it`,
        "Run the command inside the project (the folder holding Pulumi.yaml, or one below it); --config-file may point anywhere.",
      );
    }
    dir = parent;
  }
}

/**
 * Stack names the Pulumi CLI accepts: `dev`, or `org/dev`, `org/project/dev`; the file is named after the last part.
 * The one rule for `plan --stack`, `verify --stack`, the fleet's names and its fleet file.
 */
const STACK_NAME = /^(?:[A-Za-z0-9_][A-Za-z0-9_.-]*\/){0,2}[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
export const STACK_NAME_RULE = "A stack name is letters, digits, '-', '_' and '.', such as dev, optionally prefixed by org/ or org/project/ (as `pulumi stack ls` shows it).";

export function isStackName(name: string): boolean {
  return STACK_NAME.test(name);
}

/** `"bad name!" is not a stack name`: the value as typed, unless it may be a secret (a token pasted in its place). */
export function notAStackName(name: string): string {
  return `${shownValue(name)} is not a stack name`;
}

export interface StackLocation {
  readonly projectFile: string;
  readonly stackFile: string;
  /** The stack's name: --stack, else the NAME of a Pulumi.NAME.yaml given as the file, else `offline`. */
  readonly stackName: string;
}

/**
 * Where the project and the stack file are, as the Pulumi CLI finds them: the project from the current directory
 * upward; the stack file as given (relative to the current directory), or Pulumi.NAME.yaml beside the project (or
 * in its `stackConfigDir`).
 */
export function locateStack(options: { readonly stack?: string; readonly configFile?: string; readonly cwd?: string }): StackLocation {
  const cwd = options.cwd ?? process.cwd();
  if (options.stack !== undefined && !isStackName(options.stack)) {
    throw new StackNameError(options.stack);
  }
  const projectFile = findProjectFile(cwd);
  const fromFile = options.configFile ? /^Pulumi\.(.+)\.ya?ml$/.exec(basename(options.configFile))?.[1] : undefined;
  const stackName = options.stack ?? fromFile ?? "offline";
  if (options.configFile) return { projectFile, stackFile: resolve(cwd, options.configFile), stackName };
  return { projectFile, stackFile: stackFileIn(stackFilesFolder(projectFile), projectFile, stackName), stackName };
}

/** The folder the project keeps its stack files in: beside `Pulumi.yaml`, or its `stackConfigDir`. Reads the project file. */
export function stackFilesFolder(projectFile: string): string {
  const project = readYaml(projectFile);
  return join(dirname(projectFile), isMap(project) ? stackConfigDir(project) : "");
}

/** A stack's own file in that folder: `Pulumi.<stack>.yaml` (the short name of `org/project/stack`, the project's extension). */
export function stackFileIn(folder: string, projectFile: string, stackName: string): string {
  return join(folder, `Pulumi.${stackName.split("/").pop()!}${extname(projectFile)}`);
}

/** `stackConfigDir:`, or its deprecated spelling: `config:` holding a folder instead of declarations. */
function stackConfigDir(project: Record<string, unknown>): string {
  if (typeof project.stackConfigDir === "string") return project.stackConfigDir;
  return typeof project.config === "string" ? project.config : "";
}

/** The string the engine gives the program for one config value. */
function engineValue(path: string, key: string, value: unknown): string {
  if (hasSecure(value)) {
    throw new StackFileError(`${path}: ${key} holds an encrypted (secure:) value`, "Offline plans cannot decrypt secrets; this project's keys hold none. Set the key in plain text, or leave it out.");
  }
  if (typeof value === "string") return value;
  return toEngineJson(value, (n) => {
    throw new StackFileError(`${path}: ${key} holds ${n} (${Number.isNaN(n) ? ".nan" : ".inf"}), which has no JSON form`, "The Pulumi CLI refuses it too: write a finite number, or quote it to make it text.");
  });
}

function hasSecure(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasSecure);
  if (!isMap(value)) return false;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === "secure" && typeof value.secure === "string") return true;
  return Object.values(value).some(hasSecure);
}

/** The engine's view of a stack's config: `{ "exchange-app-only:tenantId": "…", … }`. */
export function readStackConfig(projectFile: string, stackFile: string): Record<string, string> {
  const project = readYaml(projectFile);
  if (!isMap(project)) {
    throw new StackFileError(`${projectFile} must be a map (name:, runtime:, config:), found ${describe(project)}`, "Restore the project file: it starts with `name: exchange-app-only`.");
  }
  if (typeof project.name !== "string" || project.name === "") {
    throw new StackFileError(`${projectFile} has no name:`, "Restore the project file: it starts with `name: exchange-app-only`.");
  }
  const declarations = typeof project.config === "string" ? {} : (project.config ?? {});
  if (!isMap(declarations)) {
    throw new StackFileError(`${projectFile}: config: must be a map of key: declaration, found ${describe(declarations)}`, "Restore the project file's config: block.");
  }

  // An empty file is a stack with no config, as for the CLI.
  const stack = readYaml(stackFile) ?? {};
  if (!isMap(stack)) {
    throw new StackFileError(
      `${stackFile} must be a map with a config: key at the top level, found ${describe(stack)}`,
      `Start the file with a line \`config:\` and put one key a line under it, indented: \`  ${project.name}:tenantId: <GUID>\`.`,
    );
  }
  const values = stack.config ?? {};
  if (!isMap(values)) {
    throw new StackFileError(
      `${stackFile}: config: must be a map of key: value, found ${describe(values)}`,
      `Write one key a line under config:, for example \`  ${project.name}:tenantId: <GUID>\` (not a list item "- ...").`,
    );
  }

  const config: Record<string, string> = {};
  const fullKey = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
  for (const [key, declaration] of Object.entries(declarations)) {
    // A declaration ({ type, default, ... }) or the short form, a bare default value.
    const hasDefault = isMap(declaration) ? "default" in declaration : declaration !== null && declaration !== undefined;
    if (hasDefault) config[fullKey(key)] = engineValue(projectFile, key, isMap(declaration) ? declaration.default : declaration);
  }
  for (const [key, value] of Object.entries(values)) {
    // Like the CLI: a bare key belongs to the project's namespace.
    config[fullKey(key)] = engineValue(stackFile, key, value);
  }
  return config;
}
