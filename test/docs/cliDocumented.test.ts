/**
 * Every command of the built CLI is in the docs, and every flag of it is in a page that names the command: a flag
 * added without its docs fails here. Commands and flags are read from the CLI's own --help (what users run), not
 * from a list kept beside it.
 */
import { helpOf } from "../support/cliHelp";
import { docs } from "../support/docs";

const pages = docs();

/** Every leaf command (`verify`, `fleet up`, ...), walking down from the top-level --help. */
async function leafCommands(path: readonly string[] = []): Promise<string[][]> {
  const help = await helpOf(path);
  const subcommands = [...help.commands].filter((c) => c !== "help");
  if (subcommands.length === 0) return [[...path]];
  return (await Promise.all(subcommands.map((c) => leafCommands([...path, c])))).flat();
}

/** A flag said in a page: as itself, not as the start of a longer flag (`--stack` in `--stacks`). */
const says = (text: string, flag: string) => new RegExp(`${flag.replace(/-/g, "\\-")}(?![\\w-])`).test(text);

describe("the CLI's commands and flags are documented", () => {
  let commands: string[][] = [];

  beforeAll(async () => {
    commands = await leafCommands();
  }, 120_000);

  it("finds the commands users run (the walk itself works)", () => {
    const names = commands.map((c) => c.join(" "));
    expect(names).toEqual(expect.arrayContaining(["plan", "verify", "audit", "fleet up", "fleet audit", "migrate-state"]));
  });

  it("names every command in a doc, and every flag of it in a doc that names the command", async () => {
    const missing: string[] = [];
    for (const path of commands) {
      const name = path.join(" ");
      const naming = pages.filter((page) => page.text.includes(`exo-app-only ${name}`) || page.text.includes(`\`${name}`));
      if (naming.length === 0) {
        missing.push(`${name}: no doc names it`);
        continue;
      }
      const help = await helpOf(path);
      for (const flag of [...help.flags.keys()].filter((f) => f.startsWith("--") && f !== "--help")) {
        if (!naming.some((page) => says(page.text, flag))) missing.push(`${name} ${flag}: in no doc that names ${name} (${naming.map((p) => p.file).join(", ")})`);
      }
    }
    expect(missing).toEqual([]);
  }, 120_000);
});
