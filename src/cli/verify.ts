/**
 * `exo-app-only verify`: prove that an app (or managed identity) has app-only access to Exchange Online.
 * A thin shell around src/check: flags and environment in, a report out, exit 0 / 1 / 2.
 */
import { appendFileSync, readFileSync } from "node:fs";
import { Command, Option } from "commander";
import { CLOUD_NAMES, CLOUDS, WORKLOADS, isCloudName, type CloudName, type Workload } from "../facts";
import { CheckSetupError } from "../errors";
import { federatedTokenFromFile, federatedTokenFromGitHub, hasGitHubOidc } from "../credentials/federatedToken";
import { formatDuration, parseDuration } from "../text/duration";
import { EXPIRY_WARNING_DAYS, MAX_EXPIRY_DAYS, parseExpiryDays } from "../check/expiry";
import { requireClientId, requireEnvVarName, requireTenant } from "../check/ids";
import { keyVaultUrl, parseKeyVaultSecretRef, readKeyVaultCredential, requireKeyVaultUrl, type KeyVaultRead } from "../check/keyVault";
import { HttpTransport } from "../net/http";
import { Redactor } from "../text/redact";
import { renderJson, renderMarkdown, renderText } from "../check/report";
import { printable } from "../text/terminalText";
import { PROBE_APIS, prepareCheck, runCheck, type CheckOptions, type ProbeApi } from "../check/run";
import type { Credential, ProgressEvent } from "../check/types";
import { reportError, withUsageExit } from "./commandSupport";
import type { ArgumentAdvice } from "./extraArguments";
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
  /** `<vault>/<name>`: the client secret or PKCS#12 certificate stored in Azure Key Vault. */
  readonly keyVaultSecret?: string;
  /** Test-only: the vault's base URL instead of `https://<vault>.vault.azure.net` (https only). */
  readonly keyVaultUrl?: string;
  readonly stack?: string;
  /** With --stack of many tenants: which tenant's outputs to check. */
  readonly tenant?: string;
  readonly environment?: string;
  readonly authorityHost?: string;
  readonly exchangeEndpoint?: string;
  /** The token audience to ask for and accept instead of the cloud's (https, a scheme and host); alone, the probe goes there too. */
  readonly exchangeResource?: string;
  /** Test-only: Security & Compliance's base instead of the cloud's (https only). */
  readonly complianceEndpoint?: string;
  /** `exchange` (default) or `compliance`. */
  readonly workload?: string;
  /** The cmdlet the probe runs (default Get-AcceptedDomain). */
  readonly probeCmdlet?: string;
  /** `invoke-command` (default) or `admin-v2` (preview). */
  readonly api?: string;
  readonly probe: boolean;
  readonly timeout: string;
  readonly failOnExpiry?: string;
  readonly json?: boolean;
}

/** What `verify` will run, and who signs in with what, in words for the header line. */
export interface ResolvedVerify {
  readonly options: Omit<CheckOptions, "onProgress">;
  /** `client 1111… (from stack dev), certificate CN=app, thumbprint AB12… (from stack dev)`, `user-assigned managed identity 2222…`. */
  readonly identity: string;
}

const usage = (message: string, remedy: string): CheckSetupError => new CheckSetupError("ERR_USAGE", message, remedy);

function readPemFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new CheckSetupError("ERR_CREDENTIAL", `cannot read --certificate-file ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`, "Pass a readable PEM file holding the private key and the certificate.");
  }
}

const MANAGED_IDENTITY_REMEDY =
  "Pass --managed-identity alone for the system-assigned identity, or --managed-identity CLIENT_ID with the user-assigned identity's client id (a GUID).";

/**
 * Turns flags, environment variables and stack outputs into check options, and judges everything that needs no
 * network (ids, durations, credential files, certificates, GitHub's OIDC variables): a usage or config error is
 * thrown here, as CheckSetupError (exit 2), before `verify` prints anything.
 */
export async function resolveVerify(
  flags: VerifyFlags,
  env: NodeJS.ProcessEnv,
  readStack: (name: string) => Promise<StackCheckInputs> = (name) => readStackOutputs(name, env, flags.tenant),
  readVault: typeof readKeyVaultCredential = readKeyVaultCredential,
): Promise<ResolvedVerify> {
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
    flags.keyVaultSecret !== undefined && "--key-vault-secret",
  ].filter((x): x is string => typeof x === "string");
  if (chosen.length > 1) {
    throw usage(`choose one credential, not ${chosen.join(" and ")}`, "Pass exactly one of --client-secret-env, --certificate-file, --federated-token-file, --managed-identity, --key-vault-secret.");
  }
  const vaultRef = flags.keyVaultSecret !== undefined ? parseKeyVaultSecretRef(flags.keyVaultSecret) : undefined;
  if (flags.keyVaultUrl !== undefined && !vaultRef) throw usage("--key-vault-url overrides the vault of --key-vault-secret, and none was given", "Pass --key-vault-secret <vault>/<name> with it.");
  const vaultUrlOverride = flags.keyVaultUrl !== undefined ? requireKeyVaultUrl(flags.keyVaultUrl) : undefined;

  // The flags first: a typo is reported before pulumi runs or a file is read.
  if (flags.tenantId !== undefined) requireTenant(flags.tenantId, "--tenant-id");
  if (flags.clientId !== undefined) requireClientId(flags.clientId, "--client-id");
  const miClientId = typeof flags.managedIdentity === "string" ? flags.managedIdentity : undefined;
  if (miClientId !== undefined) requireClientId(miClientId, "--managed-identity", MANAGED_IDENTITY_REMEDY);
  if (miClientId !== undefined && flags.clientId !== undefined && miClientId.toLowerCase() !== flags.clientId.toLowerCase()) {
    throw usage(`--managed-identity ${miClientId} and --client-id ${flags.clientId} name two different identities`, MANAGED_IDENTITY_REMEDY);
  }
  const timeoutMs = parseDuration(flags.timeout, "--timeout");
  const failOnExpiryDays = flags.failOnExpiry !== undefined ? parseExpiryDays(flags.failOnExpiry, "--fail-on-expiry") : undefined;
  if (flags.clientSecretEnv !== undefined) requireEnvVarName(flags.clientSecretEnv, "--client-secret-env", "the client secret");

  if (flags.tenant !== undefined && flags.stack === undefined) {
    throw usage(`--tenant ${JSON.stringify(flags.tenant)} picks a tenant of --stack, and no --stack was given`, "Pass --stack NAME with it, or name the tenant itself with --tenant-id.");
  }
  const stack = flags.stack !== undefined ? await readStack(flags.stack) : undefined;
  const fromStack = ` (from stack ${flags.stack ?? ""})`;
  if (stack && flags.tenantId === undefined) requireTenant(stack.tenantId, `stack ${flags.stack} output tenantId`);
  const tenantId = flags.tenantId ?? stack?.tenantId;
  if (!tenantId) throw usage("no tenant", "Pass --tenant-id TENANT (the tenant GUID or one of its domains, such as contoso.onmicrosoft.com), or --stack NAME.");
  const environmentText = flags.environment ?? stack?.environment ?? "public";
  if (!isCloudName(environmentText)) throw usage(`unknown --environment ${environmentText}`, `Use one of: ${CLOUD_NAMES.join(", ")}.`);
  const environment: CloudName = environmentText;
  const cloud = CLOUDS[environment];

  let credential: Credential;
  let how: string;
  let secretEndDate: Date | undefined;
  let clientId = flags.clientId;
  let clientSource = "";
  if (clientId === undefined && stack && flags.managedIdentity === undefined) {
    requireClientId(stack.clientId, `stack ${flags.stack} output clientId`);
    clientId = stack.clientId;
    clientSource = fromStack;
  }
  // An app credential without the app's id is a usage error, found before any file is read.
  const appCredential =
    flags.clientSecretEnv !== undefined ? "client secret"
    : flags.certificateFile !== undefined ? "certificate"
    : flags.federatedTokenFile !== undefined ? "federated token"
    : flags.keyVaultSecret !== undefined ? "Key Vault secret"
    : undefined;
  if (appCredential && !clientId) {
    throw usage(
      `no client id: a ${appCredential} signs in as an application, and no --client-id names it`,
      "Pass --client-id with the application (client) id (a GUID), or --stack NAME to read it from the stack.",
    );
  }
  if (flags.clientSecretEnv !== undefined) {
    const name = flags.clientSecretEnv;
    const secret = env[name];
    if (!secret) throw new CheckSetupError("ERR_CREDENTIAL", `environment variable ${name} is not set or empty`, `Export the client secret as ${name} (in CI: a masked secret variable).`);
    credential = { kind: "secret", secret };
    how = `client secret from $${name}`;
  } else if (flags.certificateFile !== undefined) {
    credential = { kind: "certificate", pem: readPemFile(flags.certificateFile) };
    how = `certificate (from ${flags.certificateFile})`;
  } else if (flags.federatedTokenFile !== undefined) {
    const read = federatedTokenFromFile(flags.federatedTokenFile);
    await read(); // an unreadable or empty file is a setup error now, not a failed sign-in after the header
    credential = { kind: "federated", getAssertion: read, source: `file ${flags.federatedTokenFile}` };
    how = `federated token from file ${flags.federatedTokenFile}`;
  } else if (vaultRef) {
    const read: KeyVaultRead = {
      vaultUrl: vaultUrlOverride ?? keyVaultUrl(vaultRef.vault, environment),
      ref: vaultRef,
      authorityHost: env.AZURE_AUTHORITY_HOST || cloud.authorityHost,
      // An overridden vault (a test vault) answers its challenge with the cloud's vault resource, not its own host.
      ...(vaultUrlOverride ? { disableChallengeResourceVerification: true } : {}),
    };
    const fromVault = await readVault(read);
    credential = fromVault.credential;
    how = `${fromVault.what} from Key Vault ${vaultRef.vault}/${vaultRef.name}`;
  } else if (flags.managedIdentity !== undefined) {
    credential = { kind: "managed-identity", ...(miClientId ? { clientId: miClientId } : {}) };
    clientId = miClientId ?? flags.clientId;
    how = miClientId ? `user-assigned managed identity ${miClientId}` : `system-assigned managed identity${clientId ? ` (expected client id ${clientId})` : ""}`;
  } else if (stack?.certificatePem && stack.certificatePrivateKeyPem) {
    credential = { kind: "certificate", pem: `${stack.certificatePrivateKeyPem}\n${stack.certificatePem}` };
    how = `certificate${fromStack}`;
  } else if (stack?.clientSecret) {
    credential = { kind: "secret", secret: stack.clientSecret };
    how = `client secret${fromStack}`;
    if (stack.clientSecretEndDate !== undefined) {
      secretEndDate = new Date(stack.clientSecretEndDate);
      if (Number.isNaN(secretEndDate.getTime())) {
        throw new CheckSetupError("ERR_STACK", `stack ${flags.stack} output clientSecretEndDate is not a date`, "Run `pulumi up` for this stack again (it exports the end date in RFC 3339), or pass --client-secret-env NAME instead.");
      }
    }
  } else if (hasGitHubOidc(env)) {
    // The variables are checked now (both set, an https URL); the request goes through a transport of its own:
    // https only, bounded, like every other request.
    const transport = new HttpTransport({ deadline: Date.now() + 24 * 3600_000, requestTimeoutMs: 30_000 });
    credential = {
      kind: "federated",
      getAssertion: federatedTokenFromGitHub(env, (url, headers) => transport.request("GET", url, headers)),
      source: "GitHub Actions OIDC",
    };
    how = "federated token from GitHub Actions OIDC";
  } else {
    throw usage(
      stack ? `stack ${flags.stack} holds no secret or certificate to check with` : "no credential",
      "Pass one of --client-secret-env NAME, --certificate-file PEM, --federated-token-file PATH, --managed-identity [CLIENT_ID], --key-vault-secret VAULT/NAME (in GitHub Actions with id-token: write, the OIDC token is used on its own).",
    );
  }
  if (credential.kind !== "managed-identity" && !clientId) {
    throw usage(
      `no client id: a ${credential.kind === "federated" ? `federated token from ${credential.source}` : credential.kind} signs in as an application, and no --client-id names it`,
      "Pass --client-id with the application (client) id (a GUID), or --stack NAME to read it from the stack.",
    );
  }

  const stackAuthority = stack?.authorityHost && stack.authorityHost !== cloud.authorityHost ? stack.authorityHost : undefined;
  const authorityHost = flags.authorityHost ?? stackAuthority;
  const organization = stack?.organization;
  const options: Omit<CheckOptions, "onProgress"> = {
    tenantId,
    ...(clientId ? { clientId } : {}),
    credential,
    environment,
    ...(authorityHost ? { authorityHost } : {}),
    ...(flags.exchangeEndpoint ? { exchangeEndpoint: flags.exchangeEndpoint } : {}),
    ...(flags.exchangeResource !== undefined ? { exchangeResource: flags.exchangeResource } : {}),
    ...(flags.complianceEndpoint ? { complianceEndpoint: flags.complianceEndpoint } : {}),
    // Checked by prepareCheck below: an unknown value is a usage error that names the accepted ones.
    ...(flags.workload !== undefined ? { workload: flags.workload as Workload } : {}),
    ...(flags.probeCmdlet !== undefined ? { probeCmdlet: flags.probeCmdlet } : {}),
    ...(flags.api !== undefined ? { api: flags.api as ProbeApi } : {}),
    ...(organization ? { organization } : {}),
    probe: flags.probe,
    timeoutMs,
    ...(secretEndDate ? { secretEndDate } : {}),
    ...(failOnExpiryDays !== undefined ? { failOnExpiryDays } : {}),
  };
  // The rest of what runCheck would refuse (URLs, the certificate's key and chain), judged now.
  const prepared = prepareCheck(options);
  if (prepared.certificate) how = how.replace(/^certificate( \(PKCS#12\)| \(PEM\))?/, `certificate ${prepared.certificate.subject}, thumbprint ${prepared.certificate.thumbprintSha1}`);
  const tenantSource = flags.tenantId === undefined ? fromStack : "";
  const who = credential.kind === "managed-identity" ? how : `client ${clientId}${clientSource}, ${how}`;
  return { options, identity: `tenant ${tenantId}${tenantSource}, ${who}` };
}

/** Check options from flags, environment and stack outputs (see resolveVerify); used by the fleet runner too. */
export async function resolveVerifyOptions(
  flags: VerifyFlags,
  env: NodeJS.ProcessEnv,
  readStack?: (name: string) => Promise<StackCheckInputs>,
): Promise<Omit<CheckOptions, "onProgress">> {
  return (await resolveVerify(flags, env, readStack)).options;
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
