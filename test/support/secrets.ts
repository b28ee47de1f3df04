import { isSecretWire } from "../../src/mocks/secretWire";

/** Pulumi's secret wire form, as a mock's `newResource` may see it in its inputs: the values inside, at any depth. */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (isSecretWire(o)) return unwrapSecrets(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}
