#!/usr/bin/env node
/** `exo-app-only`: the command-line entry. Each command lives in its own file; this one only assembles them. */
import { Command } from "commander";
import { withUsageExit } from "./commandSupport";
import { planCommand } from "./plan";
import { verifyCommand } from "./verify";
import { inspectTokenCommand } from "./inspectToken";

const program = withUsageExit(new Command("exo-app-only")).description(
  "Exchange Online app-only access for Microsoft 365 tenants: plan the stack offline, then prove the identity works.",
);

program.addCommand(planCommand());
program.addCommand(verifyCommand());
program.addCommand(inspectTokenCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
