/**
 * `--key-vault-secret <vault>/<name>`: the client secret or the certificate the stack stored in Azure Key Vault,
 * read with `@azure/identity`'s credential chain (DefaultAzureCredential: environment, workload identity, managed
 * identity, Azure CLI, ...) and `@azure/keyvault-secrets`. A certificate is a PKCS#12 secret (content type
 * `application/x-pkcs12`, base64, empty password), turned into the key + certificate PEM the check signs with.
 * Failures are CheckSetupError (exit 2). Messages name the vault and the secret, never the value.
 */
import type { TokenCredential } from "@azure/identity";
import forge from "node-forge";
import { CLOUDS, isMicrosoftAuthorityHost, type CloudName } from "../facts";
import { CheckSetupError } from "../errors";
import { shownValue } from "./ids";
import type { Credential } from "./types";

export const PKCS12_CONTENT_TYPE = "application/x-pkcs12";

export interface KeyVaultSecretRef {
  readonly vault: string;
  readonly name: string;
}

/**
 * Azure's rule for a vault name (Microsoft's "Naming rules and restrictions for Azure resources",
 * Microsoft.KeyVault/vaults): 3 to 24 letters, digits and hyphens, starting with a letter, ending with a letter or
 * digit, no consecutive hyphens. The one rule for `--key-vault-secret` and the stack's `keyVault.name`.
 */
const VAULT_NAME = /^(?!.*--)[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/;
export const KEY_VAULT_NAME_RULE =
  "must be 3 to 24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, with no two hyphens in a row (Azure's rule for a Key Vault; the name is global, it becomes <name>.vault.azure.net)";

/** True when Azure accepts `name` as a Key Vault's name (KEY_VAULT_NAME_RULE). */
export function isKeyVaultName(name: string): boolean {
  return VAULT_NAME.test(name);
}

const SECRET_NAME = /^[A-Za-z0-9-]{1,127}$/;

/** `<vault>/<name>` → its parts; a usage error (exit 2) with the fix otherwise. */
export function parseKeyVaultSecretRef(value: string, flag = "--key-vault-secret"): KeyVaultSecretRef {
  const usage = (message: string, remedy: string): never => {
    throw new CheckSetupError("ERR_USAGE", message, remedy);
  };
  const parts = value.split("/");
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    return usage(
      `${flag} ${shownValue(value)} is not of the form <vault>/<name>`,
      `Pass the vault's name and the secret's name, for example ${flag} contoso-exo-kv/exo-app-certificate (the vault name, not its URL).`,
    );
  }
  const [vault, name] = parts as [string, string];
  if (!isKeyVaultName(vault)) {
    usage(
      `${flag}: the vault name ${shownValue(vault)} ${KEY_VAULT_NAME_RULE}`,
      `Pass the vault's name as the stack's keyVault.name holds it (\`pulumi stack output\` shows <vault>/<name>), for example ${flag} contoso-exo-kv/exo-app-certificate.`,
    );
  }
  if (!SECRET_NAME.test(name)) {
    usage(`${flag}: the secret name ${shownValue(name)} is not one Key Vault accepts`, "A Key Vault secret name has 1 to 127 characters: letters, digits and hyphens.");
  }
  return { vault, name };
}

/** `https://{vault}.vault.azure.net` in the public cloud, `vault.usgovcloudapi.net` (US Government, DoD), `vault.azure.cn` (China). */
export function keyVaultUrl(vault: string, environment: CloudName): string {
  return `https://${vault.toLowerCase()}.${CLOUDS[environment].keyVaultDnsSuffix}`;
}

/** Checks a `--key-vault-url` override: an https URL (the vault's base, no query). */
export function requireKeyVaultUrl(value: string, flag = "--key-vault-url"): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CheckSetupError("ERR_USAGE", `${flag} ${JSON.stringify(value)} is not a URL`, "Pass the vault's https URL, for example https://contoso-exo-kv.vault.azure.net.");
  }
  if (url.protocol !== "https:") throw new CheckSetupError("ERR_USAGE", `${flag} ${value} is not https`, "Only https endpoints are accepted: secrets never travel in the clear.");
  return url.href.replace(/\/$/, "");
}

export interface KeyVaultRead {
  readonly vaultUrl: string;
  readonly ref: KeyVaultSecretRef;
  /** Default: `new DefaultAzureCredential({ authorityHost })`. */
  readonly credential?: TokenCredential;
  /**
   * Where the credential chain signs in: `AZURE_AUTHORITY_HOST` when set, else the cloud's login host. A host that
   * is not a Microsoft cloud's (a test tenant) gets no instance discovery, which would ask login.microsoftonline.com.
   */
  readonly authorityHost?: string;
  /**
   * The SDK checks that the challenge's resource matches the vault's host. True only for an overridden vault URL
   * (a test vault on another host), never for a real vault.
   */
  readonly disableChallengeResourceVerification?: boolean;
}

/** What was read: the check's credential, and words for the header line. */
export interface KeyVaultCredential {
  readonly credential: Credential;
  /** `client secret` or `certificate (PKCS#12)`. */
  readonly what: string;
}

/** Reads the secret and turns it into the check's credential. Throws CheckSetupError (ERR_CREDENTIAL) with the fix. */
export async function readKeyVaultCredential(read: KeyVaultRead): Promise<KeyVaultCredential> {
  const where = `${read.ref.vault}/${read.ref.name}`;
  // Loaded on use: the SDKs stay out of every other command's start-up.
  const [{ SecretClient }, identity] = await Promise.all([import("@azure/keyvault-secrets"), read.credential ? undefined : import("@azure/identity")]);
  const microsoftHost = !read.authorityHost || isMicrosoftAuthorityHost(read.authorityHost);
  const credential =
    read.credential ??
    new identity!.DefaultAzureCredential({
      ...(read.authorityHost ? { authorityHost: read.authorityHost } : {}),
      ...(microsoftHost ? {} : { disableInstanceDiscovery: true }),
    });
  const client = new SecretClient(read.vaultUrl, credential, {
    ...(read.disableChallengeResourceVerification ? { disableChallengeResourceVerification: true } : {}),
    retryOptions: { maxRetries: 2 },
  });
  let secret: { value?: string; properties: { contentType?: string; enabled?: boolean } };
  try {
    secret = await client.getSecret(read.ref.name);
  } catch (error) {
    throw explain(error, where, read.vaultUrl);
  }
  const value = secret.value;
  if (!value) throw new CheckSetupError("ERR_CREDENTIAL", `Key Vault secret ${where} is empty`, "Store the client secret, or the certificate as a PKCS#12 secret, in it (`pulumi up` does).");
  const contentType = (secret.properties.contentType ?? "").toLowerCase();
  if (contentType === PKCS12_CONTENT_TYPE) return { credential: { kind: "certificate", pem: pkcs12ToPem(value, where) }, what: "certificate (PKCS#12)" };
  if (contentType === "application/x-pem-file") return { credential: { kind: "certificate", pem: value }, what: "certificate (PEM)" };
  return { credential: { kind: "secret", secret: value }, what: "client secret" };
}

/** A PFX (base64, empty password) → its private key and certificates as PEM, the key's own certificate first. */
export function pkcs12ToPem(base64: string, where: string): string {
  const bad = (why: string): CheckSetupError =>
    new CheckSetupError("ERR_CREDENTIAL", `Key Vault secret ${where} (content type ${PKCS12_CONTENT_TYPE}) ${why}`, "Store the certificate as a base64 PKCS#12 file with an empty password, key included (as the stack does).");
  let p12: forge.pkcs12.Pkcs12Pfx | undefined;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.decode64(base64.replace(/\s+/g, "")));
    for (const password of ["", null]) {
      try {
        p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password as string);
        break;
      } catch {
        // try the next form of "no password"
      }
    }
  } catch {
    throw bad("is not base64 PKCS#12");
  }
  if (!p12) throw bad("cannot be opened with an empty password");
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const key = keyBags.find((b) => b.key)?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!key) throw bad("holds no private key");
  const certs = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? []).map((b) => b.cert).filter((c): c is forge.pki.Certificate => Boolean(c));
  if (certs.length === 0) throw bad("holds no certificate");
  const own = (c: forge.pki.Certificate): boolean => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return Boolean(pub.n) && pub.n.equals(key.n);
  };
  const ordered = [...certs.filter(own), ...certs.filter((c) => !own(c))];
  const keyPem = forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key)));
  return `${keyPem}${ordered.map((c) => forge.pki.certificateToPem(c)).join("")}`;
}

/** The SDK's or the credential chain's failure, in words and with its fix. Never repeats the response body. */
function explain(error: unknown, where: string, vaultUrl: string): CheckSetupError {
  const e = error as { name?: string; statusCode?: number; code?: string; message?: string };
  const first = (e.message ?? String(error)).split("\n")[0]!.slice(0, 300);
  if (e.name === "CredentialUnavailableError" || e.name === "AggregateAuthenticationError" || e.name === "AuthenticationError") {
    return new CheckSetupError(
      "ERR_CREDENTIAL",
      `cannot sign in to Azure to read Key Vault secret ${where}: ${first}`,
      "Give this machine an Azure identity that @azure/identity's DefaultAzureCredential finds: a managed identity, workload identity, AZURE_CLIENT_ID with AZURE_TENANT_ID and AZURE_CLIENT_SECRET or AZURE_FEDERATED_TOKEN_FILE, or `az login`.",
      { cause: error },
    );
  }
  if (e.statusCode === 403) {
    return new CheckSetupError(
      "ERR_CREDENTIAL",
      `Key Vault refused to read secret ${where} (403${e.code ? ` ${e.code}` : ""})`,
      "Give the identity this runs as the \"Key Vault Secrets User\" role on the vault (the stack's keyVault readers); a new role assignment can take minutes to apply.",
      { cause: error },
    );
  }
  if (e.statusCode === 404) {
    return new CheckSetupError("ERR_CREDENTIAL", `Key Vault secret ${where} was not found (404${e.code ? ` ${e.code}` : ""})`, "Check the secret's name (`pulumi stack output`) and that it is enabled and not deleted.", { cause: error });
  }
  if (e.statusCode === 401) {
    return new CheckSetupError("ERR_CREDENTIAL", `Key Vault did not accept the token for secret ${where} (401)`, "Sign in to the tenant that owns the vault, in the vault's Azure cloud (--environment).", { cause: error });
  }
  if (e.code === "ENOTFOUND" || e.code === "ECONNREFUSED" || e.code === "ETIMEDOUT" || e.code === "ECONNRESET") {
    return new CheckSetupError("ERR_CREDENTIAL", `cannot reach Key Vault at ${new URL(vaultUrl).host} (${e.code})`, "Check the vault name, --environment (the vault's Azure cloud), the network and the proxy.", { cause: error });
  }
  return new CheckSetupError("ERR_CREDENTIAL", `cannot read Key Vault secret ${where}: ${first}`, "Check the vault, the secret and the identity's access to it.", { cause: error });
}
