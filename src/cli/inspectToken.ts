/** `exo-app-only inspect-token`: can this access token drive Exchange Online app-only? Exit 0 fit, 1 not, 2 usage. */
import { Command, Option } from "commander";
import { CLOUD_NAMES, WORKLOADS, type CloudName, type Workload } from "../facts";
import { CheckSetupError } from "../errors";
import { MAX_TOKEN_CHARS } from "../check/claims";
import { requireClientId, requireEnvVarName, requireTenant } from "../check/ids";
import { inspectToken, renderInspection } from "../check/inspect";
import { Redactor } from "../text/redact";
import { reportError, withUsageExit } from "./commandSupport";
import type { ArgumentAdvice } from "./extraArguments";
import { EXIT } from "./exit";

interface InspectFlags {
  readonly tokenEnv?: string;
  readonly environment: CloudName;
  readonly workload: Workload;
  readonly tenantId?: string;
  readonly clientId?: string;
  readonly json?: boolean;
}

/** Reads stdin up to a bound: a longer input is not a token, and is answered as such without reading it all. */
async function readStdin(limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(buffer);
    size += buffer.length;
    if (size > limit) break;
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function readToken(flags: InspectFlags): Promise<string> {
  if (flags.tokenEnv !== undefined) {
    requireEnvVarName(flags.tokenEnv, "--token-env", "the access token");
    const value = process.env[flags.tokenEnv];
    if (!value) throw new CheckSetupError("ERR_USAGE", `environment variable ${flags.tokenEnv} is not set or empty`, `Export the access token as ${flags.tokenEnv}, or pipe it on stdin.`);
    return value;
  }
  if (process.stdin.isTTY) {
    throw new CheckSetupError("ERR_USAGE", "no token: stdin is a terminal", "Pipe the token in (`pbpaste | exo-app-only inspect-token`) or pass --token-env NAME.");
  }
  const text = await readStdin(MAX_TOKEN_CHARS + 16);
  if (text.trim().length === 0) throw new CheckSetupError("ERR_USAGE", "no token on stdin", "Pipe the access token in, or pass --token-env NAME.");
  return text;
}

async function inspect(flags: InspectFlags): Promise<number> {
  const redactor = new Redactor();
  try {
    // Flags first: a typo is a usage error (exit 2), before stdin is read.
    if (flags.tenantId !== undefined) requireTenant(flags.tenantId, "--tenant-id");
    if (flags.clientId !== undefined) requireClientId(flags.clientId, "--client-id");
    const token = await readToken(flags);
    redactor.add(token.trim());
    const result = inspectToken(token, {
      environment: flags.environment,
      workload: flags.workload,
      now: Date.now(),
      ...(flags.tenantId !== undefined ? { tenantId: flags.tenantId } : {}),
      ...(flags.clientId !== undefined ? { clientId: flags.clientId } : {}),
    });
    process.stdout.write(renderInspection(result, { workload: flags.workload, json: flags.json === true, redact: (t) => redactor.redact(t) }));
    return result.fit ? EXIT.ok : EXIT.failed;
  } catch (error) {
    return reportError(error, flags.json === true, (t) => redactor.redact(t));
  }
}

const EXAMPLES = `
Exit codes: 0 fit for Exchange Online app-only · 1 not fit (or not a readable token) · 2 usage error (a --tenant-id
that is neither a GUID nor a domain, a --client-id that is not a GUID, no token).
A tenant given as a domain (contoso.onmicrosoft.com) cannot be compared with the token's tid, which is a GUID:
token.tenant is then a warning (WARN, "level":"warning"), never ok, and does not make the token unfit; pass the
tenant GUID to have it compared.
The token is read from stdin or an environment variable, never from a flag, and is never printed.

Examples:
  # a token from PowerShell (Get-MsalToken, Get-AzAccessToken ...) or from a pipeline log, on stdin
  $ pbpaste | exo-app-only inspect-token

  # from an environment variable, checked against the expected tenant and app, as JSON
  $ exo-app-only inspect-token --token-env EXO_TOKEN --tenant-id <tenant> --client-id <app> --json

  # a GCC High token
  $ exo-app-only inspect-token --token-env EXO_TOKEN --environment usgovernment

  # a token for Security & Compliance PowerShell (Connect-IPPSSession): its own audience, and a directory role
  # that works there (Exchange Administrator does not)
  $ exo-app-only inspect-token --token-env IPPS_TOKEN --workload compliance
`;

/** Where inspect-token takes what people try to give it as an argument. */
const ARGUMENTS: ArgumentAdvice = {
  secret:
    "The token is read from stdin or from an environment variable, never from an argument (it would stay in shell history and the process list): `pbpaste | exo-app-only inspect-token`, or export it and pass --token-env NAME.",
  path: "To read the token from a file, send the file on stdin: `exo-app-only inspect-token < token.txt`.",
  guid: "To compare the token's tenant or app with a GUID, pass it as --tenant-id GUID or --client-id GUID.",
  domain: "To name the expected tenant, pass --tenant-id (its GUID can be compared with the token's tid; a domain cannot).",
  other: "inspect-token reads the token from stdin (`pbpaste | exo-app-only inspect-token`) or from --token-env NAME; everything else is a flag (see --help).",
};

/** The `inspect-token` command, for `program.addCommand(inspectTokenCommand())`. */
export function inspectTokenCommand(): Command {
  const command = new Command("inspect-token")
    .description("Read an access token (stdin or --token-env) and say whether Exchange Online accepts it for app-only access: audience (a Microsoft Graph token is named as such), app-only vs delegated, Exchange.ManageAsApp, tenant, client, expiry.")
    .option("--token-env <NAME>", "name of the environment variable holding the token (default: read stdin)")
    .addOption(new Option("--environment <cloud>", "Microsoft cloud the token should be for").choices([...CLOUD_NAMES]).default("public"))
    .addOption(new Option("--workload <workload>", "what the token is for: exchange (Connect-ExchangeOnline) or compliance (Connect-IPPSSession)").choices([...WORKLOADS]).default("exchange"))
    .option("--tenant-id <tenant>", "expected tenant (tid): its GUID; a domain is accepted but cannot be compared (a warning)")
    .option("--client-id <app>", "expected application (client) id (appid), a GUID")
    .option("--json", "print one JSON object: {ok, checks: [{id, ok, detail, remedy, level}], claims}")
    .addHelpText("after", EXAMPLES)
    .action(async (flags: InspectFlags) => {
      process.exitCode = await inspect(flags);
    });
  return withUsageExit(command, ARGUMENTS);
}
