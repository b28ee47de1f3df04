import type { RoleAssignment } from "@pulumi/azure-native/authorization";
import type { Secret, Vault } from "@pulumi/azure-native/keyvault";
import * as pulumi from "@pulumi/pulumi";
import { PKCS12_CONTENT_TYPE } from "../src/check/keyVault";
import type { KeyVaultConfig } from "../src/config/stackConfig";
import { KEY_VAULT_SECRETS_USER_ROLE, type Cloud } from "../src/facts";
import { KEY_VAULT_SECRET_NAMES, keyVaultSecretRef, keyVaultUri, verifyFromKeyVault, type StoredCredential } from "../src/outputs/keyVaultOutputs";
import type { KeyVaultOutputs } from "../src/outputs/stackOutputs";
import { azureNative } from "./azureNative";

export interface KeyVaultStoreArgs {
  readonly vault: KeyVaultConfig;
  /** The tenant the vault trusts for its data plane, and its cloud (the verify line names it). */
  readonly tenantId: string;
  readonly cloud: Cloud;
  /** The app whose credentials these are: the verify lines name it. */
  readonly clientId: pulumi.Input<string>;
  /** Secret. The app's current client secret. */
  readonly clientSecret?: pulumi.Output<string>;
  /** Secret. The current generated certificate and its key: base64 PKCS#12, empty password. */
  readonly certificatePfxBase64?: pulumi.Output<string>;
}

/** The stack outputs of the store: names, addresses and commands, no secret. */
export type KeyVaultStoreOutputs = pulumi.Output<KeyVaultOutputs>;

/**
 * An Azure Key Vault for the credentials the stack generates, so a pipeline or a runbook reads them from the vault
 * instead of from the stack's state. RBAC authorization (no access policies), soft delete and purge protection on;
 * read access ("Key Vault Secrets User", secret values only) goes to the readers the stack names and to no one else.
 * The secrets are written through Azure Resource Manager, so the deployer needs rights on the resource group, not
 * a data-plane role. Pass the tenant's azure-native provider in `opts.providers`.
 *
 * One Key Vault secret a credential, holding the current one: a rotation writes a new version of the same secret,
 * so readers always get the newest by name, and the previous credential stays valid on the app until the next
 * rotation (the two-slot overlap), which covers a reader that fetched it just before.
 */
export class KeyVaultStore extends pulumi.ComponentResource {
  readonly vault: Vault;
  readonly secrets: Partial<Record<StoredCredential, Secret>> = {};
  readonly readerAssignments: RoleAssignment[];
  readonly outputs: KeyVaultStoreOutputs;

  constructor(name: string, args: KeyVaultStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    const keyvault = azureNative("keyvault", "keyVault");
    const authorization = azureNative("authorization", "keyVault");
    super("exchange-app-only:index:KeyVaultStore", name, {}, opts);
    const { vault: config } = args;
    const child = { parent: this };

    this.vault = new keyvault.Vault(
      `${name}-vault`,
      {
        vaultName: config.name,
        resourceGroupName: config.resourceGroup,
        location: config.location,
        properties: {
          tenantId: args.tenantId,
          sku: { family: "A", name: "standard" },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          enablePurgeProtection: true,
        },
      },
      child,
    );

    const values: Partial<Record<StoredCredential, pulumi.Output<string>>> = { clientSecret: args.clientSecret, certificate: args.certificatePfxBase64 };
    for (const credential of Object.keys(KEY_VAULT_SECRET_NAMES) as StoredCredential[]) {
      const value = values[credential];
      if (!value) continue;
      this.secrets[credential] = new keyvault.Secret(
        `${name}-${KEY_VAULT_SECRET_NAMES[credential]}`,
        {
          vaultName: this.vault.name,
          resourceGroupName: config.resourceGroup,
          secretName: KEY_VAULT_SECRET_NAMES[credential],
          properties: {
            // Explicitly secret: the engine would mask it from the provider's schema, mocks and previews would not.
            value: pulumi.secret(value),
            ...(credential === "certificate" ? { contentType: PKCS12_CONTENT_TYPE } : {}),
          },
        },
        child,
      );
    }

    // The role is the same GUID in every subscription, but ARM wants its full id in the vault's own subscription.
    const subscription = this.vault.id.apply((id) => id.split("/")[2]!);
    this.readerAssignments = config.readers.map(
      ({ principalId, type }) =>
        new authorization.RoleAssignment(
          // Named by the reader, not its place in the list: reordering readers replaces nothing.
          `${name}-reader-${principalId}`,
          {
            principalId,
            // Always said: azure-native would send "User", and ARM refuses a type that differs from the directory's.
            principalType: type,
            roleDefinitionId: pulumi.interpolate`/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER_ROLE.id}`,
            scope: this.vault.id,
          },
          child,
        ),
    );

    const stored = (Object.keys(this.secrets) as StoredCredential[]).map((credential) => [credential, keyVaultSecretRef(config.name, credential)] as const);
    this.outputs = pulumi.all([this.vault.id, args.clientId]).apply(([resourceId, clientId]) => ({
      name: config.name,
      uri: keyVaultUri(config.name, args.cloud),
      resourceId,
      secrets: Object.fromEntries(stored),
      verify: Object.fromEntries(stored.map(([credential, ref]) => [credential, verifyFromKeyVault({ tenantId: args.tenantId, clientId, cloud: args.cloud }, ref)])),
      readers: config.readers.map((r) => ({ ...r })),
    }));
    this.registerOutputs({ vaultId: this.vault.id });
  }
}
