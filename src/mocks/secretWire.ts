import * as pulumi from "@pulumi/pulumi";

/** True for a secret in the SDK's wire form, `{ [specialSigKey]: specialSecretSig, value }`, as mocks see inputs. */
export function isSecretWire(value: unknown): value is { readonly value: unknown } {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig;
}
