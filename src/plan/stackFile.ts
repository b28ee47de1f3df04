/**
 * Reads a stack's config the way the Pulumi engine hands it to a program: the stack file's `config:` map,
 * with the project's declared defaults filled in, every value a string (lists and objects as JSON).
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { PROJECT } from "../config/keys";
import { splitKey } from "../config/namespaces";
import { AZUREAD, AZUREAD_SETTINGS, readsSettingValue } from "../config/provider";
import { looksLikeSecret } from "../config/secretValues";
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

/** What a YAML value is, in words, for "must be a map, found …"; text shaped like a secret by its shape only. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "object") return "a map";
  if (typeof value === "string" && looksLikeSecret(value)) return `text that looks like a secret (${value.length} characters, not shown)`;
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

/**
 * What the offline plan hands the program where the engine would hand it a decrypted secret: the plan's own mark
 * for a secret. The program passes such a value on unread, and its key is marked secret as the engine marks it.
 */
export const UNDECRYPTED = "[secret]";

type Path = readonly (string | number)[];

/** `key` and a path inside its value, as `pulumi config set --path` writes them: `exchange-app-only:tenants[0].azuread.clientSecret`. */
function where(key: string, path: Path): string {
  return key + path.map((part) => (typeof part === "number" ? `[${part}]` : `.${part}`)).join("");
}

/**
 * True when the program passes the value at `path` inside `fullKey` on to the azuread provider without reading it
 * (a credential setting, at the stack level or in a tenant entry's `azuread` block), or never looks at it at all (a
 * namespace the program does not read). Only there can an offline plan leave a `secure:` value undecrypted.
 */
function passedOnUnread(fullKey: string, path: Path): boolean {
  const split = splitKey(fullKey);
  if (!split) return false;
  if (split.namespace === AZUREAD) return path.length === 0 && !readsSettingValue(split.key);
  if (split.namespace === PROJECT) {
    const [index, block, setting] = path;
    return split.key === "tenants" && path.length === 3 && typeof index === "number" && block === AZUREAD && !readsSettingValue(String(setting));
  }
  return true;
}

/** Why the program must read an encrypted value, for the keys people encrypt most often. */
function whyRead(fullKey: string, path: Path): string {
  const setting = String(path.length === 0 ? (splitKey(fullKey)?.key ?? fullKey) : path[path.length - 1]);
  if (fullKey === `${PROJECT}:clientSecret` && path.length === 0) {
    return "it is true or false (whether the stack creates the app's client secret, which it then keeps as a secret output), never a secret's value. A secret the deployment signs in with goes in azuread:clientSecret";
  }
  if (fullKey === `${PROJECT}:certificate` && path.length === 0) {
    return "the program parses it (key type and size, validity dates); it takes a public certificate only, never a private key";
  }
  if (setting.endsWith("Env")) return `it holds the NAME of an environment variable, which the program checks; the ${setting.slice(0, -3)} value itself goes in that variable`;
  if (readsSettingValue(setting)) return setting === "tenantId" || setting === "environment" ? "the program compares it with the stack's own tenant and cloud" : "it is true or false, which the program checks";
  return "the program reads it to validate the stack's config";
}

/**
 * Replaces each `secure:` value with UNDECRYPTED, where the program passes it on unread; anywhere else the program
 * needs the value, which an offline plan cannot decrypt, so the key is refused with the reason (never with advice
 * to store a secret in plain text). Returns the value and whether any part of it was encrypted.
 */
function undecrypted(file: string, fullKey: string, value: unknown, path: Path = []): { value: unknown; secret: boolean } {
  if (isSecure(value)) {
    if (!passedOnUnread(fullKey, path)) {
      throw new StackFileError(
        `${file}: ${where(fullKey, path)} holds an encrypted (secure:) value, which an offline plan cannot decrypt: ${whyRead(fullKey, path)}`,
        `Preview it where the stack's secrets provider can decrypt it (pulumi preview --stack <stack>). An offline plan accepts encrypted values only where the program passes them on to the azuread provider unread: azuread:${PASSED_ON.join(", azuread:")}, and the same settings in a tenant entry's azuread block.`,
      );
    }
    return { value: UNDECRYPTED, secret: true };
  }
  if (Array.isArray(value)) {
    const parts = value.map((v, i) => undecrypted(file, fullKey, v, [...path, i]));
    return { value: parts.map((p) => p.value), secret: parts.some((p) => p.secret) };
  }
  if (!isMap(value)) return { value, secret: false };
  const entries = Object.entries(value).map(([k, v]) => [k, undecrypted(file, fullKey, v, [...path, k])] as const);
  return { value: Object.fromEntries(entries.map(([k, p]) => [k, p.value])), secret: entries.some(([, p]) => p.secret) };
}

/** The azuread settings an offline plan may leave encrypted. */
const PASSED_ON = AZUREAD_SETTINGS.filter((setting) => !readsSettingValue(setting));

/** The string the engine gives the program for one config value. */
function engineValue(path: string, key: string, value: unknown): string {
  if (typeof value === "string") return value;
  return toEngineJson(value, (n) => {
    throw new StackFileError(`${path}: ${key} holds ${n} (${Number.isNaN(n) ? ".nan" : ".inf"}), which has no JSON form`, "The Pulumi CLI refuses it too: write a finite number, or quote it to make it text.");
  });
}

/** `{ secure: "…" }`: a value `pulumi config set --secret` encrypted. */
function isSecure(value: unknown): boolean {
  if (!isMap(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === "secure" && typeof value.secure === "string";
}

function hasSecure(value: unknown): boolean {
  if (isSecure(value)) return true;
  if (Array.isArray(value)) return value.some(hasSecure);
  return isMap(value) && Object.values(value).some(hasSecure);
}

/** A stack's config as the engine hands it to the program, and which keys it marks secret. */
export interface EngineConfig {
  /** `{ "exchange-app-only:tenantId": "…", … }`: every value a string. */
  readonly config: Record<string, string>;
  /** Full keys holding an encrypted value, wholly or in part: the engine delivers them as secrets. */
  readonly secretKeys: string[];
}

/** The engine's view of a stack's config: `{ "exchange-app-only:tenantId": "…", … }`. */
export function readStackConfig(projectFile: string, stackFile: string): Record<string, string> {
  return readEngineConfig(projectFile, stackFile).config;
}

/**
 * The engine's view of a stack's config, and the keys it delivers as secrets. An encrypted value the program only
 * passes on becomes UNDECRYPTED (the engine would decrypt it; offline nothing can); one it must read is refused.
 */
export function readEngineConfig(projectFile: string, stackFile: string): EngineConfig {
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
  const secretKeys: string[] = [];
  const fullKey = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
  for (const [key, declaration] of Object.entries(declarations)) {
    // A declaration ({ type, default, ... }) or the short form, a bare default value.
    const hasDefault = isMap(declaration) ? "default" in declaration : declaration !== null && declaration !== undefined;
    const value = isMap(declaration) ? declaration.default : declaration;
    if (hasDefault && hasSecure(value)) {
      throw new StackFileError(
        `${projectFile}: the default of ${key} holds an encrypted (secure:) value: a project file declares defaults, and the Pulumi CLI keeps encrypted values in a stack's file only`,
        `Set it in the stack's file instead: pulumi config set --secret ${fullKey(key)} (it prompts for the value).`,
      );
    }
    if (hasDefault) config[fullKey(key)] = engineValue(projectFile, key, value);
  }
  for (const [key, value] of Object.entries(values)) {
    // Like the CLI: a bare key belongs to the project's namespace.
    const read = undecrypted(stackFile, fullKey(key), value);
    config[fullKey(key)] = engineValue(stackFile, key, read.value);
    if (read.secret) secretKeys.push(fullKey(key));
  }
  return { config, secretKeys };
}
