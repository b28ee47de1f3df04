/**
 * Which values of a stack no text may show: its secret config and its secret outputs, as the Automation API gives
 * them (`{ value, secret }`), picked out for the redactor. Pure.
 *
 * A secret scalar counts whole. A secret object or list (a many-tenant stack's `tenants` output is secret as a whole
 * because one of its values is) counts only where a key's name says it holds a secret: taking every leaf would
 * put tenant ids, domains, hosts and role names on the list and redact them out of every message, leaving failures
 * nobody can read. A value under such a name counts even when it is not marked secret (`azuread:clientSecret` set
 * in plain text is still a secret).
 */

/** The stack outputs that hold secrets (src/outputs/stackOutputs.ts, the fields marked "Secret."). */
export const SECRET_OUTPUT_NAMES = ["clientSecret", "certificatePrivateKeyPem", "certificatePfxBase64"] as const;

/**
 * A key whose value is or may be a secret: the outputs above, and config such as azuread's `clientSecret`,
 * `clientCertificate` (a PFX in base64), `clientCertificatePassword`, `oidcToken`, `msiToken`.
 */
const SECRET_NAME = /secret|password|passphrase|private.?key|pfx|token|^clientCertificate$/i;

const isSecretName = (name: string | undefined): boolean => name !== undefined && SECRET_NAME.test(name.includes(":") ? name.slice(name.lastIndexOf(":") + 1) : name);

/** Every string (and number) inside `value`, flattened. */
function leaves(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value === "number" || typeof value === "bigint") return [String(value)];
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(leaves);
  return [];
}

/** The strings under secret-named keys anywhere in `value`; `name` is the key `value` sits under. */
function secretNamed(value: unknown, name: string | undefined): string[] {
  if (isSecretName(name)) return leaves(value);
  if (Array.isArray(value)) return value.flatMap((item) => secretNamed(item, name));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([key, item]) => secretNamed(item, key));
  return [];
}

/** One entry's secret values: the whole of a secret scalar, else what sits under secret-named keys. */
function valuesOf(name: string, value: unknown, secret: boolean): string[] {
  const scalar = value === null || typeof value !== "object";
  if (secret && scalar) return leaves(value);
  return secretNamed(value, name);
}

/** A structured config value arrives as its JSON text. */
function parsedConfig(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** From `stack.getAllConfig()` (`pulumi config --show-secrets --json`): `{ "ns:key": { value, secret } }`. */
export function secretConfigValues(config: Readonly<Record<string, { readonly value: string; readonly secret?: boolean }>>): string[] {
  return Object.entries(config).flatMap(([key, entry]) => valuesOf(key, parsedConfig(entry.value), entry.secret === true));
}

/** From `stack.outputs()` or an update's result: `{ name: { value, secret } }`. */
export function secretOutputValues(outputs: Readonly<Record<string, { readonly value: unknown; readonly secret: boolean }>>): string[] {
  return Object.entries(outputs).flatMap(([name, output]) => valuesOf(name, output.value, output.secret));
}
