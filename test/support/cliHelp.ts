/**
 * The built CLI's own --help, parsed: its subcommands, its flags (with whether each takes a value) and whether it
 * takes arguments. Tests that check commands and flags against what users run read it. Needs dist/ (`npm test`
 * builds it first).
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const ROOT = join(__dirname, "..", "..");
/** The built CLI. */
export const CLI = join(ROOT, "dist", "src", "cli", "main.js");

/** What a help text says: its subcommands, its flags (with whether each takes a value), and whether it takes arguments. */
export interface Help {
  readonly commands: Set<string>;
  /** flag → "none" | "required" | "optional" value. */
  readonly flags: Map<string, "none" | "required" | "optional">;
  readonly takesArguments: boolean;
}

export function parseHelp(text: string): Help {
  const commands = new Set<string>();
  const flags = new Map<string, "none" | "required" | "optional">();
  const usage = (text.split("\n")[0] ?? "").replace(/\[options\]|\[command\]/g, "");
  let section = "";
  for (const line of text.split("\n")) {
    const heading = line.match(/^(\w[\w ]*):\s*$/);
    if (heading) {
      section = heading[1]!;
      continue;
    }
    if (section === "Options") {
      const m = line.match(/^\s{2}(?:(-\w), )?(--[\w-]+)(?: (<[^>]+>|\[[^\]]+\]))?/);
      if (m) {
        const value = m[3] === undefined ? "none" : m[3].startsWith("<") ? "required" : "optional";
        if (m[1]) flags.set(m[1], value);
        flags.set(m[2]!, value);
      }
    } else if (section === "Commands") {
      const m = line.match(/^\s{2}([a-z][\w-]*)/);
      if (m) commands.add(m[1]!);
    }
  }
  return { commands, flags, takesArguments: /^Usage: \S+(?: [a-z-]+)*\s+.*[<[]/.test(usage) };
}

const helpCache = new Map<string, Promise<Help>>();
/** `exo-app-only <path> --help`, parsed; each path asked once. */
export function helpOf(path: readonly string[]): Promise<Help> {
  const key = path.join(" ");
  let help = helpCache.get(key);
  if (!help) {
    help = promisify(execFile)(process.execPath, [CLI, ...path, "--help"], { cwd: ROOT, timeout: 30_000 }).then(({ stdout }) => parseHelp(stdout));
    helpCache.set(key, help);
  }
  return help;
}

