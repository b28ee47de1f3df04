#!/usr/bin/env node
/** `exo-app-only`: the command-line entry. Each command lives in its own file; this one only assembles them. */
import { Command } from "commander";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { withUsageExit } from "./commandSupport";
import { planCommand } from "./plan";
import { verifyCommand } from "./verify";
import { inspectTokenCommand } from "./inspectToken";
import { fleetCommand } from "./fleet";
import { migrateStateCommand } from "./migrateState";
import { auditCommand } from "./audit";
import { fleetAuditCommand } from "./fleetAudit";

/** This package's version, from its package.json (above src/cli/ in the sources, above dist/src/cli/ when built). */
function packageVersion(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "exchange-app-only" && pkg.version) return pkg.version;
    } catch {
      // no package.json here: look further up
    }
  }
  return "unknown";
}

const program = withUsageExit(new Command("exo-app-only"))
  .description("Exchange Online app-only access for Microsoft 365 tenants: plan the stack offline, then prove the identity works.")
  .version(packageVersion(), "-V, --version", "print the version");

program.addCommand(planCommand());
program.addCommand(verifyCommand());
program.addCommand(inspectTokenCommand());
// `fleet audit` lives beside `audit`; the fleet command holds it like its other subcommands.
program.addCommand(fleetCommand().addCommand(fleetAuditCommand()));
program.addCommand(migrateStateCommand());
program.addCommand(auditCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
