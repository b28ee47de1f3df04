/**
 * Where the stack stored each credential in Key Vault and the `verify` line that reads it back. Pure: the Key Vault
 * component applies them to its outputs. The secret names are ones `verify --key-vault-secret` accepts.
 */
import { keyVaultUrl } from "../check/keyVault";
import type { Cloud } from "../facts";

/** The Key Vault secret names, the same in every vault the stack makes (a vault holds one tenant's app). */
export const KEY_VAULT_SECRET_NAMES = {
  /** The current client secret (a rotation writes a new version of this secret). */
  clientSecret: "exo-app-client-secret",
  /** The current generated certificate with its key: base64 PKCS#12, empty password, content type `application/x-pkcs12`. */
  certificate: "exo-app-certificate",
} as const;

export type StoredCredential = keyof typeof KEY_VAULT_SECRET_NAMES;

/** `https://{vault}.{suffix}/` in the tenant's Azure cloud, as Azure returns it in `properties.vaultUri`: known before the vault exists. */
export function keyVaultUri(vault: string, cloud: Cloud): string {
  return `${keyVaultUrl(vault, cloud.name)}/`;
}

/** `<vault>/<secret>`, what `verify --key-vault-secret` takes. */
export function keyVaultSecretRef(vault: string, credential: StoredCredential): string {
  return `${vault}/${KEY_VAULT_SECRET_NAMES[credential]}`;
}

/**
 * The check from wherever a reader runs (a pipeline, an Automation runbook): ids rather than `--stack`, so it needs
 * no access to the Pulumi stack, only to the vault and Exchange.
 */
export function verifyFromKeyVault(target: { readonly tenantId: string; readonly clientId: string; readonly cloud: Cloud }, ref: string): string {
  const environment = target.cloud.name === "public" ? "" : ` --environment ${target.cloud.name}`;
  return `exo-app-only verify --tenant-id ${target.tenantId} --client-id ${target.clientId}${environment} --key-vault-secret ${ref}`;
}
