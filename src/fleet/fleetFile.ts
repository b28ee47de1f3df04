/**
 * The fleet file (`--fleet fleet.yaml`): which stacks make up the fleet.
 *
 * ```yaml
 * stacks:
 *   - name: contoso
 *   - name: fabrikam
 *     configFile: tenants/Pulumi.fabrikam.yaml   # relative to this file
 * ```
 *
 * Every problem is reported at once, one line each: the file, the entry (`stacks[2]`), the field, and the fix.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { ExoAppOnlyError } from "../errors";
import { STACK_NAME_RULE, isStackName, notAStackName } from "../plan/stackFile";

/** One entry of a fleet file, as written. */
export interface FleetEntry {
  readonly name: string;
  /** As written; relative paths are relative to the fleet file. */
  readonly configFile?: string;
  /** The fleet file's folder, which a relative configFile is read from. */
  readonly baseDir: string;
}

/** One problem in a fleet file: where (`stacks[2].name`), what is wrong, and the fix. */
export interface FleetFileIssue {
  readonly where: string;
  readonly message: string;
  readonly fix: string;
}

export class FleetFileError extends ExoAppOnlyError {
  readonly file: string;
  readonly issues: readonly FleetFileIssue[];

  constructor(file: string, issues: readonly FleetFileIssue[]) {
    const lines = issues.map((i) => `${file}: ${i.where}: ${i.message}. Fix: ${i.fix}`);
    // The message holds every line; the remedy repeats the first fix for readers of `--json`'s remedy alone.
    super("ERR_FLEET_FILE", lines.join("\n"), issues.length === 1 ? issues[0]!.fix : "Fix each entry named above, then run again.");
    this.file = file;
    this.issues = issues;
  }
}

const EXAMPLE = "`stacks: [{ name: contoso }, { name: fabrikam, configFile: tenants/Pulumi.fabrikam.yaml }]`";

function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "object") return "a map";
  if (typeof value === "string") return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}

const entrySchema = z.strictObject({
  name: z
    .string({ error: (i) => (i.input === undefined ? "is missing" : `must be text, not ${shapeOf(i.input)}`) })
    .refine(isStackName, { error: (i) => notAStackName(String(i.input)) }),
  configFile: z
    .string({ error: (i) => `must be text (a path), not ${shapeOf(i.input)}` })
    .min(1, { error: "is empty" })
    .optional(),
});

const fileSchema = z.strictObject(
  {
    stacks: z
      .array(z.unknown(), { error: (i) => (i.input === undefined || i.input === null ? "is missing" : `must be a list, not ${shapeOf(i.input)}`) })
      .min(1, { error: "is empty" }),
  },
  { error: (i) => (i.code === "invalid_type" ? `the file must be a map with a stacks: list, not ${shapeOf(i.input)}` : undefined) },
);

/** `["stacks", 2, "name"]` → `stacks[2].name`. */
function where(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : `${out ? "." : ""}${String(part)}`;
  return out || "(top level)";
}

function fixFor(path: readonly PropertyKey[], message: string): string {
  const field = path[path.length - 1];
  if (message.startsWith("unknown field")) return path.length === 0 ? "The file holds only a stacks: list." : "An entry holds only name: and, optionally, configFile:.";
  if (field === "name") return `Give the entry the stack's name. ${STACK_NAME_RULE} Quote a name that looks like a number.`;
  if (field === "configFile") return "Write the path of the stack's config file, relative to the fleet file, or leave configFile out for Pulumi.<name>.yaml beside Pulumi.yaml.";
  return `Write the file as a stacks: list of entries, for example: ${EXAMPLE}`;
}

function issuesOf(error: z.ZodError, at: readonly PropertyKey[] = []): FleetFileIssue[] {
  return error.issues.map((issue) => {
    const path = [...at, ...issue.path];
    const message =
      issue.code === "unrecognized_keys"
        ? `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`
        : issue.message;
    return { where: where(path), message, fix: fixFor(path, message) };
  });
}

/** Validates a parsed fleet file. `file` is only used in messages and to resolve relative configFile paths. */
export function parseFleet(file: string, document: unknown): FleetEntry[] {
  const top = fileSchema.safeParse(document ?? {});
  if (!top.success) throw new FleetFileError(file, issuesOf(top.error));
  const issues: FleetFileIssue[] = [];
  const entries: FleetEntry[] = [];
  const seen = new Map<string, number>();
  top.data.stacks.forEach((raw, index) => {
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      const name = typeof raw === "string" ? raw : "<stack>";
      issues.push({ where: `stacks[${index}]`, message: `must be a map with name: (and optionally configFile:), not ${shapeOf(raw)}`, fix: `Write the entry as \`- name: ${name}\`.` });
      return;
    }
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      issues.push(...issuesOf(parsed.error, ["stacks", index]));
      return;
    }
    const { name, configFile } = parsed.data;
    const first = seen.get(name);
    if (first !== undefined) {
      issues.push({ where: `stacks[${index}].name`, message: `stack ${JSON.stringify(name)} is already listed at stacks[${first}]`, fix: "List each stack once." });
      return;
    }
    seen.set(name, index);
    entries.push({ name, ...(configFile !== undefined ? { configFile } : {}), baseDir: dirname(resolve(file)) });
  });
  if (issues.length > 0) throw new FleetFileError(file, issues);
  return entries;
}

/** Reads and validates a fleet file. */
export function readFleetFile(file: string): FleetEntry[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "does not exist" : code === "EISDIR" ? "is a folder, not a file" : `cannot be read (${code ?? "error"})`;
    throw new FleetFileError(file, [{ where: "(file)", message: reason, fix: "Pass --fleet PATH to a YAML file with a stacks: list (see `exo-app-only fleet --help`)." }]);
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    const first = (error as Error).message.split("\n")[0];
    throw new FleetFileError(file, [{ where: "(file)", message: `is not valid YAML (${first})`, fix: "Fix the YAML syntax at the line named." }]);
  }
  return parseFleet(file, document);
}
