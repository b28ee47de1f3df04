/**
 * `exo-app-only migrate-state <exported.json>`: rewrites a `pulumi stack export` document whose resources earlier
 * versions wrote as dynamic resources into the plugin's custom resources (src/migrate/stateMigration.ts), and prints
 * it on stdout for `pulumi stack import`. Reads a file, writes nothing else; secrets stay encrypted as they are.
 * Exit 0 migrated · 2 refused (a document it does not understand, nothing to migrate, a file it cannot read).
 */
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { UsageError } from "../errors";
import { migrateDynamicState } from "../migrate/stateMigration";
import { reportError, withUsageExit } from "./commandSupport";
import { EXIT } from "./exit";

function readExport(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`, "Give the file `pulumi stack export --file before.json` wrote.");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`${file} is not JSON`, "Give the file `pulumi stack export --file before.json` wrote, unedited.");
  }
}

function migrate(file: string): number {
  try {
    const result = migrateDynamicState(readExport(file));
    process.stdout.write(`${JSON.stringify(result.document, null, 4)}\n`);
    const lines = [
      `migrated ${result.migrated.length} resource(s) to the exchange-app-only plugin:`,
      ...result.migrated.map((line) => `  ${line}`),
      result.providerAdded ? `added ${result.provider}` : `kept ${result.provider}`,
      ...result.removed.map((urn) => `removed ${urn} (no resource uses it any more)`),
      "next: pulumi stack import --file after.json, then pulumi preview (it should show no changes to these resources)",
    ];
    process.stderr.write(`${lines.join("\n")}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, false);
  }
}

const EXAMPLES = `
Exit codes: 0 migrated (the new document on stdout, a summary on stderr) · 2 refused (the message says why; nothing
is written, the stack is untouched).

Example (docs/migration.md):
  $ pulumi stack export --file before.json
  $ npx exo-app-only migrate-state before.json > after.json
  $ pulumi stack import --file after.json
`;

/** The `migrate-state` command, for `program.addCommand(migrateStateCommand())`. */
export function migrateStateCommand(): Command {
  const command = new Command("migrate-state")
    .description("Rewrite a `pulumi stack export` document: the check and Exchange RBAC resources that earlier versions wrote as dynamic resources become the exchange-app-only plugin's custom resources. Prints the new document on stdout.")
    .argument("<exported.json>", "the file `pulumi stack export --file` wrote")
    .addHelpText("after", EXAMPLES)
    .action((file: string) => {
      process.exitCode = migrate(file);
    });
  return withUsageExit(command);
}
