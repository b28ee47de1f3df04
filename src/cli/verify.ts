/**
 * `exo-app-only verify`: prove that an app (or managed identity) has app-only access to Exchange Online.
 * A thin shell around src/check: flags and environment in, a report out, exit 0 / 1 / 2.
 */
import { appendFileSync, readFileSync } from "node:fs";
import { Command, Option } from "commander";
import { CLOUD_NAMES, CLOUDS, isCloudName, type CloudName } from "../facts";
import { CheckSetupError } from "../check/errors";
import { federatedTokenFromFile, federatedTokenFromGitHub, hasGitHubOidc } from "../check/credentials";
import { formatDuration, parseDuration } from "../check/duration";
import { HttpTransport } from "../check/http";
import { Redactor } from "../check/redact";
import { renderMarkdown, renderText, toJson } from "../check/report";
import { runCheck, type CheckOptions } from "../check/run";
import type { Credential, ProgressEvent } from "../check/types";
import { reportError, withUsageExit } from "./commandSupport";
import { EXIT } from "./exit";
import { readStackOutputs, type StackCheckInputs } from "./readStack";

export interface VerifyFlags {
  readonly tenantId?: string;
  readonly clientId?: string;
  readonly clientSecretEnv?: string;
  readonly clientSecret?: string;
  readonly certificateFile?: string;
  readonly federatedTokenFile?: string;
  readonly managedIdentity?: string | boolean;
  readonly stack?: string;
  readonly environment?: string;
  readonly authorityHost?: string;
  readonly exchangeEndpoint?: string;
  readonly probe: boolean;
  readonly timeout: string;
  readonly json?: boolean;
}

const usage = (message: string, remedy: string): CheckSetupError => new CheckSetupError("ERR_USAGE", message, remedy);

function readPemFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new CheckSetupError("ERR_CREDENTIAL", `cannot read --certificate-file ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`, "Pass a readable PEM file holding the private key and the certificate.");
  }
}

/** Turns flags, environment variables and stack outputs into check options. Throws CheckSetupError (exit 2). */
export async function resolveVerifyOptions(
  flags: VerifyFlags,
  env: NodeJS.ProcessEnv,
  readStack: (name: string) => Promise<StackCheckInputs> = (name) => readStackOutputs(name, env),
): Promise<Omit<CheckOptions, "onProgress">> {
  if (flags.clientSecret !== undefined) {
    throw usage(
      "secrets are never taken as command-line flags (they would land in shell history and process lists)",
      "Put the secret in an environment variable and pass its name: --client-secret-env NAME.",
    );
  }
  const chosen = [
    flags.clientSecretEnv !== undefined && "--client-secret-env",
    flags.certificateFile !== undefined && "--certificate-file",
    flags.federatedTokenFile !== undefined && "--federated-token-file",
    flags.managedIdentity !== undefined && "--managed-identity",
  ].filter((x): x is string => typeof x === "string");
  if (chosen.length > 1) throw usage(`choose one credential, not ${chosen.join(" and ")}`, "Pass exactly one of --client-secret-env, --certificate-file, --federated-token-file, --managed-identity.");

  const stack = flags.stack !== undefined ? await readStack(flags.stack) : undefined;
  const tenantId = flags.tenantId ?? stack?.tenantId;
  if (!tenantId) throw usage("no tenant", "Pass --tenant-id TENANT (a GUID or the initial domain), or --stack NAME.");
  const environmentText = flags.environment ?? stack?.environment ?? "public";
  if (!isCloudName(environmentText)) throw usage(`unknown --environment ${environmentText}`, `Use one of: ${CLOUD_NAMES.join(", ")}.`);
  const environment: CloudName = environmentText;
  const cloud = CLOUDS[environment];

  let credential: Credential;
  let clientId = flags.clientId ?? stack?.clientId;
  if (flags.clientSecretEnv !== undefined) {
    const name = flags.clientSecretEnv;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw usage(`--client-secret-env takes a variable name, and ${JSON.stringify(name.slice(0, 3) + "…")} is not one`, "Pass the NAME of the environment variable that holds the secret, not the secret.");
    const secret = env[name];
    if (!secret) throw new CheckSetupError("ERR_CREDENTIAL", `environment variable ${name} is not set or empty`, `Export the client secret as ${name} (in CI: a masked secret variable).`);
    credential = { kind: "secret", secret };
  } else if (flags.certificateFile !== undefined) {
    credential = { kind: "certificate", pem: readPemFile(flags.certificateFile) };
  } else if (flags.federatedTokenFile !== undefined) {
    credential = { kind: "federated", getAssertion: federatedTokenFromFile(flags.federatedTokenFile), source: `file ${flags.federatedTokenFile}` };
  } else if (flags.managedIdentity !== undefined) {
    const miClientId = typeof flags.managedIdentity === "string" ? flags.managedIdentity : undefined;
    credential = { kind: "managed-identity", ...(miClientId ? { clientId: miClientId } : {}) };
    clientId = miClientId ?? flags.clientId;
  } else if (stack?.certificatePem && stack.certificatePrivateKeyPem) {
    credential = { kind: "certificate", pem: `${stack.certificatePrivateKeyPem}\n${stack.certificatePem}` };
  } else if (stack?.clientSecret) {
    credential = { kind: "secret", secret: stack.clientSecret };
  } else if (hasGitHubOidc(env)) {
    // The request goes through a transport of its own: https only, bounded, like every other request.
    const transport = new HttpTransport({ deadline: Date.now() + 24 * 3600_000, requestTimeoutMs: 30_000 });
    credential = {
      kind: "federated",
      getAssertion: federatedTokenFromGitHub(env, (url, headers) => transport.request("GET", url, headers)),
      source: "GitHub Actions OIDC",
    };
  } else {
    throw usage(
      stack ? `stack ${flags.stack} holds no secret or certificate to check with` : "no credential",
      "Pass one of --client-secret-env NAME, --certificate-file PEM, --federated-token-file PATH, --managed-identity [CLIENT_ID] (in GitHub Actions with id-token: write, the OIDC token is used on its own).",
    );
  }

  const stackAuthority = stack?.authorityHost && stack.authorityHost !== cloud.authorityHost ? stack.authorityHost : undefined;
  const authorityHost = flags.authorityHost ?? stackAuthority;
  const organization = stack?.organization;
  return {
    tenantId,
    ...(clientId ? { clientId } : {}),
    credential,
    environment,
    ...(authorityHost ? { authorityHost } : {}),
    ...(flags.exchangeEndpoint ? { exchangeEndpoint: flags.exchangeEndpoint } : {}),
    ...(organization ? { organization } : {}),
    probe: flags.probe,
    timeoutMs: parseDuration(flags.timeout, "--timeout"),
  };
}

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
    const options = await resolveVerifyOptions(flags, process.env);
    if (options.credential.kind === "secret") redactor.add(options.credential.secret);
    const cloud = CLOUDS[options.environment ?? "public"];
    process.stderr.write(
      `Checking app-only Exchange Online access: tenant ${options.tenantId}, ${options.clientId ? `client ${options.clientId}` : "system-assigned managed identity"}, ${cloud.label}, ${options.credential.kind}, deadline ${formatDuration(options.timeoutMs!)}\n`,
    );
    const progress = progressPrinter();
    const report = await runCheck({
      ...options,
      onProgress: (event) => {
        const line = progress(event);
        if (line !== undefined) process.stderr.write(`${redactor.redact(line)}\n`);
      },
    });
    process.stdout.write(flags.json ? `${JSON.stringify(toJson(report))}\n` : renderText(report));
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
Exit codes: 0 every check passed · 1 a check failed (the report says which and how to fix it) · 2 usage or config error.
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
`;

/** The `verify` command, for `program.addCommand(verifyCommand())`. */
export function verifyCommand(): Command {
  const command = new Command("verify")
    .description(
      "Acquire an app-only token for Exchange Online and prove it works: audience, app-only, Exchange.ManageAsApp, tenant, client, lifetime, and an InvokeCommand Get-AcceptedDomain call. Waits (with backoff, within --timeout) for what is still propagating.",
    )
    .option("--tenant-id <tenant>", "tenant id (GUID) or initial domain")
    .option("--client-id <app>", "application (client) id")
    .option("--client-secret-env <NAME>", "name of the environment variable holding the client secret")
    .option("--certificate-file <PEM>", "PEM file holding the private key and its certificate")
    .option("--federated-token-file <PATH>", "file holding a federated (workload identity) token")
    .option("--managed-identity [CLIENT_ID]", "use the managed identity of this machine (user-assigned: its client id)")
    .option("--stack <NAME>", "read tenant, client, cloud and credential from `pulumi stack output` of this stack")
    .addOption(new Option("--environment <cloud>", "Microsoft cloud").choices([...CLOUD_NAMES]))
    .option("--authority-host <URL>", "override the login host (https only)")
    .option("--exchange-endpoint <URL>", "override where InvokeCommand is sent (https only)")
    .option("--no-probe", "skip the exchange.invoke check (token checks only)")
    .option("--timeout <duration>", "how long to wait for propagation, e.g. 90s, 5m", "15m")
    .option("--json", "print one JSON object on stdout (progress stays on stderr)")
    .addOption(new Option("--client-secret <value>").hideHelp())
    .addHelpText("after", EXAMPLES)
    .action(async (flags: VerifyFlags) => {
      process.exitCode = await verify(flags);
    });
  return withUsageExit(command);
}
