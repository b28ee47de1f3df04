/**
 * What `verify` checks, from flags, environment variables and a stack's outputs: the check's options and, in words,
 * who signs in with what. Everything that needs no network is judged here, before anything is printed. The CLI's
 * `verify` and the fleet's (src/fleet/verifyTenants.ts) both resolve through it, so it lives below both.
 */
import { readFileSync } from "node:fs";
import { CLOUD_NAMES, CLOUDS, isCloudName, type CloudName, type Workload } from "../facts";
import { CheckSetupError } from "../errors";
import { federatedTokenFromFile, federatedTokenFromGitHub, hasGitHubOidc } from "../credentials/federatedToken";
import { parseDuration } from "../text/duration";
import { parseExpiryDays } from "../check/expiry";
import { requireClientId, requireEnvVarName, requireTenant } from "../check/ids";
import { keyVaultUrl, parseKeyVaultSecretRef, readKeyVaultCredential, requireKeyVaultUrl, type KeyVaultRead } from "../check/keyVault";
import { HttpTransport } from "../net/http";
import { prepareCheck, type CheckOptions, type ProbeApi } from "../check/run";
import type { Credential } from "../check/types";
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
