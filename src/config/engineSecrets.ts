/**
 * Which config keys the engine delivered as secrets: those set with `pulumi config set --secret`, or holding a
 * `secure:` value anywhere inside. The engine decrypts them before the program runs and lists their keys in
 * PULUMI_CONFIG_SECRET_KEYS (the language host's RunRequest.configSecretKeys, `namespace:name` each: pulumi/pulumi
 * sdk/go/common/resource/plugin/langruntime_plugin.go); the Node SDK keeps that list in its runtime store, where
 * `setAllConfig(config, secretKeys)` puts it too (the Automation API's inline programs, and the offline plan).
 */
import * as pulumi from "@pulumi/pulumi";

/** The SDK's own check, public at run time but left out of its type declarations (`@internal`). */
type SecretCheck = (key: string) => boolean;

/** The full keys of `all` (`pulumi.runtime.allConfig()`) that the engine delivered as secrets. */
export function engineSecretKeys(all: Readonly<Record<string, string>> = pulumi.runtime.allConfig()): string[] {
  const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret?: SecretCheck }).isConfigSecret;
  if (!isConfigSecret) return [];
  // Older language hosts wrote keys as `namespace:config:name`; allConfig() drops the `config:`.
  return Object.keys(all).filter((key) => isConfigSecret(key) || isConfigSecret(key.replace(":", ":config:")));
}
