/**
 * `exo-app-only verify`: prove that an app (or managed identity) has app-only access to Exchange Online.
 * A thin shell around src/verify and src/check: flags and environment in, a report out, exit 0 / 1 / 2.
 */
import { appendFileSync } from "node:fs";
import { Command, Option } from "commander";
import { CLOUD_NAMES, CLOUDS, WORKLOADS } from "../facts";
import { formatDuration } from "../text/duration";
import { EXPIRY_WARNING_DAYS, MAX_EXPIRY_DAYS } from "../check/expiry";
import { Redactor } from "../text/redact";
import { renderJson, renderMarkdown, renderText } from "../check/report";
import { printable } from "../text/terminalText";
import { PROBE_APIS, runCheck } from "../check/run";
import type { ProgressEvent } from "../check/types";
import { resolveVerify, type VerifyFlags } from "../verify/options";
import { reportError, withUsageExit } from "./commandSupport";
import type { ArgumentAdvice } from "./extraArguments";
import { EXIT } from "./exit";

/**
 * Progress for stderr: where the wait stands and what blocks it. The blocking answer is spelled out when it
 * changes and summarised while it stays the same, so a long wait stays readable.
 */
export function progressPrinter(): (event: ProgressEvent) => string | undefined {
  let lastBlocking = "";
  return (event) => {
    if (event.type === "attempt") return event.attempt === 1 ? undefined : `attempt ${event.attempt} · ${formatDuration(event.elapsedMs)} elapsed`;
    const why = event.retryAfter ? " (as Retry-After asks)" : "";
    const key = `${event.blocking.id}\u0000${event.blocking.detail}`;
    const what = key === lastBlocking ? `  still waiting on ${event.blocking.id} (same answer)` : `  waiting on ${event.blocking.id}: ${event.blocking.detail}`;
    lastBlocking = key;
    return `${what}; next try in ${formatDuration(event.nextInMs)}${why}`;
  };
}

async function verify(flags: VerifyFlags): Promise<number> {
  const redactor = new Redactor();
  try {
    const { options, identity } = await resolveVerify(flags, process.env);
    if (options.credential.kind === "secret") redactor.add(options.credential.secret);
    const cloud = CLOUDS[options.environment ?? "public"];
    // Every usage and config error has been thrown by now: this line starts the check itself.
    const what = options.workload === "compliance" ? "Security & Compliance" : options.api === "admin-v2" ? "Exchange Online Admin API (preview)" : "Exchange Online";
    const cmdlet = options.probe !== false && options.probeCmdlet ? `, probing ${options.probeCmdlet}` : "";
    process.stderr.write(`${printable(`Checking app-only ${what} access${cmdlet}: ${redactor.redact(identity)}, ${cloud.label}, deadline ${formatDuration(options.timeoutMs!)}`)}\n`);
    const progress = progressPrinter();
    const report = await runCheck({
      ...options,
      onProgress: (event) => {
        const line = progress(event);
        if (line !== undefined) process.stderr.write(`${printable(redactor.redact(line))}\n`);
      },
    });
    process.stdout.write(flags.json ? renderJson(report) : renderText(report));
    const summary = process.env.GITHUB_STEP_SUMMARY;
    if (summary) {
      try {
        appendFileSync(summary, renderMarkdown(report));
      } catch (error) {
        process.stderr.write(`warning: cannot append to GITHUB_STEP_SUMMARY (${(error as NodeJS.ErrnoException).code ?? "error"})\n`);
      }
    }
    return report.ok ? EXIT.ok : EXIT.failed;
  } catch (error) {
    return reportError(error, flags.json === true, (t) => redactor.redact(t));
  }
}

const EXAMPLES = `
Exit codes:
  0  every check passed; a warning (WARN, "level":"warning": a credential ending within ${EXPIRY_WARNING_DAYS} days) does not fail
  1  a check failed: the report says which and how to fix it. An expired or not-yet-valid certificate (or a
     secret past the stack's clientSecretEndDate) fails credential.validity at once, before signing in;
     --fail-on-expiry DAYS also fails a credential that ends within DAYS days
  2  usage or config error (a bad flag or id, an unreadable or unusable credential or OIDC variable),
     reported before anything else is printed and before any request
Secrets are read from environment variables or files, never from flags.

Examples:
  # right after \`pulumi up\`: everything from the stack's outputs
  $ exo-app-only verify --stack dev

  # a client secret held in an environment variable
  $ export EXO_CLIENT_SECRET=...        # from your secret store
  $ exo-app-only verify --tenant-id contoso.onmicrosoft.com --client-id 11111111-2222-3333-4444-555555555555 \\
      --client-secret-env EXO_CLIENT_SECRET

  # a certificate: one PEM with the private key and the certificate
  $ exo-app-only verify --tenant-id <tenant> --client-id <app> --certificate-file ./exo-app.pem

  # GitHub Actions with \`permissions: id-token: write\` (the job's OIDC token is used on its own)
  $ exo-app-only verify --tenant-id <tenant> --client-id <app> --json

  # a federated token file (AKS workload identity), GCC High, no more than 5 minutes of waiting
  $ exo-app-only verify --tenant-id <tenant> --client-id <app> --federated-token-file "$AZURE_FEDERATED_TOKEN_FILE" \\
      --environment usgovernment --timeout 5m

  # on an Azure VM or App Service with a user-assigned managed identity
  $ exo-app-only verify --tenant-id <tenant> --managed-identity <identity client id>

  # the certificate (or secret) the stack stored in Key Vault, read as this machine's Azure identity
  $ exo-app-only verify --tenant-id <tenant> --client-id <app> --key-vault-secret contoso-exo-kv/exo-app-certificate

  # a scheduled pipeline: fail when the stack's certificate or secret ends within 14 days
  $ exo-app-only verify --stack dev --fail-on-expiry 14

  # least privilege: prove the app may run what it exists for, not only connect (fails with the role that allows it)
  $ exo-app-only verify --stack dev --probe-cmdlet Get-Mailbox

  # Security & Compliance PowerShell (Connect-IPPSSession): its own token resource and the roles that work there
  $ exo-app-only verify --stack dev --workload compliance

  # the Exchange Online Admin API (preview): POST /adminapi/v2.0/{tenant}/AcceptedDomain, needs Exchange.ManageAsAppV2
  $ exo-app-only verify --stack dev --api admin-v2

  # DoD's and China's Exchange audiences are inferred, not documented: if Exchange refuses the audience, ask for
  # the token of the host your tenant answers on (the probe goes there too)
  $ exo-app-only verify --tenant-id <tenant> --client-id <app> --certificate-file ./exo-app.pem --environment dod \\
      --exchange-resource https://webmail.apps.mil
`;

/** Where verify takes what people try to give it as an argument. */
const ARGUMENTS: ArgumentAdvice = {
  secret:
    "Secrets and tokens are never taken on the command line (they would stay in shell history and the process list): export the client secret and pass --client-secret-env NAME, or give a token file with --federated-token-file PATH.",
  guid: "Pass a GUID as --tenant-id GUID, --client-id GUID or --managed-identity CLIENT_ID.",
  domain: "Pass the tenant as --tenant-id DOMAIN (or its GUID).",
  pemFile: "Pass a certificate as --certificate-file PEM (the private key and the certificate in one file).",
  keyVaultSecret: "Read the credential from Azure Key Vault with --key-vault-secret VAULT/NAME.",
  path: "Pass a file as --certificate-file PEM or --federated-token-file PATH.",
  url: "Pass an endpoint as --authority-host URL or --exchange-endpoint URL.",
  stackName: "Read tenant, client and credential from a stack's outputs with --stack NAME.",
  other: "verify takes everything as flags: --stack NAME, or --tenant-id, --client-id and a credential (see --help).",
};

/** The `verify` command, for `program.addCommand(verifyCommand())`. */
export function verifyCommand(): Command {
  const command = new Command("verify")
    .description(
      "Check the credential's validity dates locally, then acquire an app-only token for Exchange Online and prove it works: audience, app-only, Exchange.ManageAsApp, tenant, client, lifetime, and an InvokeCommand Get-AcceptedDomain call. Waits (with backoff, within --timeout) for what is still propagating.",
    )
    .option("--tenant-id <tenant>", "the tenant GUID, or one of its domains (with a dot: contoso.onmicrosoft.com)")
    .option("--client-id <app>", "application (client) id, a GUID")
    .option("--client-secret-env <NAME>", "name of the environment variable holding the client secret")
    .option("--certificate-file <PEM>", "PEM file holding the private key and its certificate (RSA, 2048 bits or more), optionally followed by its issuers")
    .option("--federated-token-file <PATH>", "file holding a federated (workload identity) token")
    .option("--managed-identity [CLIENT_ID]", "use the managed identity of this machine (user-assigned: its client id)")
    .option("--key-vault-secret <VAULT/NAME>", "read the client secret or the PKCS#12 certificate from this Azure Key Vault secret (signing in with @azure/identity's DefaultAzureCredential)")
    .addOption(new Option("--key-vault-url <URL>", "test only: the vault's https base URL instead of https://<vault>.vault.azure.net").hideHelp())
    .option("--stack <NAME>", "read tenant, client, cloud and credential from `pulumi stack output` of this stack")
    .option("--tenant <KEY>", "with --stack of many tenants (exchange-app-only:tenants): the tenant to check (all of them: `fleet verify`)")
    .addOption(new Option("--environment <cloud>", "Microsoft cloud").choices([...CLOUD_NAMES]))
    .option("--authority-host <URL>", "override the login host (https only)")
    .option("--exchange-endpoint <URL>", "override where the probe is sent: InvokeCommand, or the Admin API with --api admin-v2 (https only; a Microsoft Exchange host needs its own audience: --exchange-resource)")
    .option("--exchange-resource <URL>", "override the token audience asked for and accepted (https, scheme and host only; the scope is it plus /.default); alone, the probe is sent to it as well")
    .addOption(new Option("--compliance-endpoint <URL>", "test only: Security & Compliance's https base instead of the cloud's").hideHelp())
    .option("--workload <workload>", `what to check: ${WORKLOADS.join(" or ")} (Security & Compliance PowerShell: its own token resource and fewer directory roles)`)
    .option("--probe-cmdlet <Cmdlet>", `the cmdlet the probe runs, with no parameters (default Get-AcceptedDomain; Get-Label with --workload compliance); a refusal names the Exchange role or directory role that allows it`)
    .option("--api <api>", `${PROBE_APIS.join(" or ")}: probe through InvokeCommand (default, what the PowerShell module uses) or the Exchange Online Admin API (preview, needs Exchange.ManageAsAppV2)`)
    .option("--no-probe", "skip the exchange.invoke check (token checks only)")
    .option("--timeout <duration>", "how long to wait for propagation, 1s to 24h with a unit: 90s, 5m, 1h30m", "15m")
    .option(
      "--fail-on-expiry <DAYS>",
      `fail (exit 1) when the credential ends within DAYS days, a whole number from 0 to ${MAX_EXPIRY_DAYS}; without it, ending within ${EXPIRY_WARNING_DAYS} days is a warning (exit 0)`,
    )
    .option("--json", "print one JSON object on stdout (progress stays on stderr)")
    .addOption(new Option("--client-secret <value>").hideHelp())
    .addHelpText("after", EXAMPLES)
    .action(async (flags: VerifyFlags) => {
      process.exitCode = await verify(flags);
    });
  return withUsageExit(command, ARGUMENTS);
}
