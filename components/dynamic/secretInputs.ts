/**
 * Secret inputs of a dynamic resource. The provider host takes secrets unwrapped (it answers Configure with
 * `acceptSecrets: false`), so the secret-ness must be set on the inputs the program sends: the engine then keeps
 * them encrypted in state. Outputs are a provider's own business: keep secrets out of them entirely.
 */
import * as pulumi from "@pulumi/pulumi";

/** `args` with each of `keys` wrapped in `pulumi.secret` (an absent one stays absent). */
export function withSecretInputs<T extends object, K extends keyof T>(args: T, keys: readonly K[]): T {
  const wrapped = { ...args } as Record<string, unknown>;
  for (const key of keys) {
    const value = args[key];
    wrapped[key as string] = value === undefined ? undefined : pulumi.secret(value as pulumi.Input<unknown>);
  }
  return wrapped as T;
}
