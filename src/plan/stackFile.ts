/**
 * Reads a stack's config the way the Pulumi engine hands it to a program: the stack file's `config:` map,
 * with the project's declared defaults filled in, every value a string (lists and objects as JSON).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse } from "yaml";
import { ExoAppOnlyError } from "../errors";

export class StackFileError extends ExoAppOnlyError {
  constructor(message: string, remedy: string) {
    super("ERR_STACK_FILE", message, remedy);
  }
}

interface ProjectFile {
  readonly name: string;
  readonly config?: Record<string, { default?: unknown } | string | number | boolean>;
}

function readYaml(path: string): unknown {
  try {
    return parse(readFileSync(path, "utf8"));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : `is not valid YAML (${(error as Error).message.split("\n")[0]})`;
    throw new StackFileError(`${path} ${reason}`, "Pass --stack NAME for Pulumi.NAME.yaml beside Pulumi.yaml, or --config-file PATH.");
  }
}

/** Finds `Pulumi.yaml` in `start` or above, as the CLI does. */
export function findProjectFile(start: string): string {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, "Pulumi.yaml");
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new StackFileError(`no Pulumi.yaml in ${start} or above`, "Run from the project folder.");
    dir = parent;
  }
}

function engineValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && "secure" in value) {
    throw new StackFileError("the stack file holds an encrypted (secure:) value", "Offline plans cannot decrypt secrets; this project's keys hold none.");
  }
  return JSON.stringify(value);
}

/** The engine's view of a stack's config: `{ "exchange-app-only:tenantId": "…", … }`. */
export function readStackConfig(projectFile: string, stackFile: string): Record<string, string> {
  const project = readYaml(projectFile) as ProjectFile;
  const stack = (readYaml(stackFile) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  for (const [key, declaration] of Object.entries(project.config ?? {})) {
    if (declaration && typeof declaration === "object" && "default" in declaration) {
      config[`${project.name}:${key}`] = engineValue(declaration.default);
    }
  }
  for (const [key, value] of Object.entries(stack.config ?? {})) {
    // Like the CLI: a bare key belongs to the project's namespace.
    config[key.includes(":") ? key : `${project.name}:${key}`] = engineValue(value);
  }
  return config;
}
