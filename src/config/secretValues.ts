/**
 * The one rule for quoting a config value in an error message. The engine decrypts `secure:` values before the
 * program sees them, so whatever a message quotes reaches `pulumi up`'s output, CI logs, the fleet's results file
 * and the drift workflow's GitHub issue. A value is therefore shown only where no secret can be: never at a key that
 * holds or may hold one (`mayHoldSecret`), nor at a key the engine delivered as a secret. There the message gets the
 * value's shape instead (its length, whether it looks like a secret), which is enough to find the mistake.
 *
 * IssueList (values.ts), ConfigError (errors.ts) and the bootstrap stack's config all render through here.
 */
import { distance } from "fastest-levenshtein";
import { normalizeName } from "../facts";
import { CONCEPTS, type WrongConcept } from "./concepts";
import { PROJECT } from "./keys";
import { isNearProject } from "./namespaces";

/** Namespaces whose keys are this repository's own (the program's and the bootstrap stack's): no provider reads them. */
const OWN_NAMESPACES: readonly string[] = [PROJECT, `${PROJECT}-bootstrap`];

/** The words a switch takes. */
const SWITCH_WORDS = ["true", "false", "yes", "no", "on", "off", "none", "generate"];

/** Words that say a name holds a secret, and how many typing mistakes still count (`sercet`, `pasword`). */
const SECRET_WORDS: readonly (readonly [string, number])[] = [
  ["secret", 1],
  ["password", 2],
  ["passphrase", 2],
  ["token", 1],
  ["certificate", 2],
];
/** Short forms that say the same. */
const SECRET_PARTS = ["passwd", "pwd", "cert", "pfx", "pem", "privatekey", "apikey", "connectionstring", "sastoken"];

/** `text` holds `word`, or `word` with up to `edits` mistakes (an adjacent swap counts as one). */
function holdsWord(text: string, word: string, edits: number): boolean {
  if (text.includes(word)) return true;
  for (let length = word.length - edits; length <= word.length + edits; length++) {
    for (let at = 0; at + length <= text.length; at++) {
      const part = text.slice(at, at + length);
      if (distance(part, word) <= edits || (length === word.length && swappedOnce(part, word))) return true;
    }
  }
  return false;
}

function swappedOnce(a: string, b: string): boolean {
  const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
  return diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!];
}

/**
 * A field name that says secret, password, token, key or certificate (misspelt too), or one that names an
 * environment variable (`clientSecretEnv`): such a field is sometimes given the secret itself instead of the name.
 */
export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  if (/env(var)?$/.test(lower) && lower.length > 3) return true;
  // `privateKey`, `apiKey`, `ARM_ACCESS_KEY`, `key`: a key is the last word. `keyVault` names a vault.
  if (/keys?$/.test(lower)) return true;
  if (SECRET_PARTS.some((part) => lower.includes(part))) return true;
  return SECRET_WORDS.some(([word, edits]) => holdsWord(lower, word, edits));
}

/**
 * True when the value at `key` (a key as an issue names it: `azuread:clientSecret`,
 * `exchange-app-only:tenants[contoso].azuread.clientSecretEnv`) holds or may hold a secret:
 * - any key in a provider's namespace (`azuread:`, `azure-native:`, a misspelt `AzureAD:`): they hold credentials;
 * - any key whose name, or the name of a field on its path, says secret, password, token, key or certificate;
 * - anything in a tenant entry's `azuread` block, and a `tenants` list or entry as a whole (it holds such blocks).
 */
export function mayHoldSecret(key: string): boolean {
  return alwaysHidden(key) || fieldsOf(key).some(isSecretName);
}

/** The namespace of a full key, or undefined for a bare one. */
function namespaceOf(key: string): string | undefined {
  const colon = key.indexOf(":");
  return colon > 0 ? key.slice(0, colon) : undefined;
}

/** The field names on a key's path: `tenants[contoso].azuread.clientId` → tenants, contoso, azuread, clientId. */
function fieldsOf(key: string): string[] {
  const path = key.slice(key.indexOf(":") + 1);
  return path.split(/[.[\]]+/).filter((field) => field !== "" && !/^\d+$/.test(field));
}

/** Keys whose every value is hidden: a provider's namespace, a sign-in block, a whole tenants list or entry. */
function alwaysHidden(key: string): boolean {
  const namespace = namespaceOf(key);
  if (namespace !== undefined && !OWN_NAMESPACES.includes(namespace) && !isNearProject(namespace)) return true;
  if (/^tenants(\[[^\]]*\])?$/.test(key.slice(key.indexOf(":") + 1))) return true;
  return fieldsOf(key).includes("azuread");
}

/** The key the engine keeps secrecy by: `exchange-app-only:tenants` for `exchange-app-only:tenants[x].azuread.y`. */
export function configKeyOf(key: string): string {
  const colon = key.indexOf(":");
  const path = key.slice(colon + 1);
  const end = path.search(/[.[]/);
  return end < 0 ? key : key.slice(0, colon + 1 + end);
}

/** A domain, a URL without a query or user part, a file path or a name: names of things, never credentials. */
function isAddress(value: string): boolean {
  if (/^[a-z][a-z\d+.-]*:\/\/[^?#@]*$/i.test(value)) return true;
  if (/^(\.{0,2}\/|~\/|[a-z]:\\)[\w ./\\-]*$/i.test(value)) return true;
  if (/^([a-z\d-]+\.)+[a-z]{2,}$/i.test(value)) return true;
  // A name in parts, each all letters or all digits: `Contoso-Production-2024-east`, `Exchange_Runner_2`.
  return /^([a-z]+|\d+)([-_.]([a-z]+|\d+))+$/i.test(value);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Text shaped like a credential: a JWT, or 16 characters or more with no space that hold digits and mix three kinds
 * of character (lower, upper, digits, symbols), as Entra's client secrets (40 random characters with a `~`) and
 * base64 blobs do. Ids (GUIDs), names, key names, domains, URLs and paths do not.
 */
export function looksLikeSecret(text: string): boolean {
  const value = text.trim();
  if (/^eyJ[\w-]+\.[\w-]+\./.test(value)) return true;
  if (value.length < 16 || /\s/.test(value) || GUID.test(value) || isAddress(value)) return false;
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((kind) => kind.test(value)).length;
  return kinds >= 3 && /\d/.test(value);
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? "" : "s"}`;
}

/** A list or map the engine rendered as JSON text, parsed; undefined for any other text. */
function parsedStructure(text: string): object | undefined {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** What a hidden value looks like, never what it is: `(not shown: 40 characters, looks like a secret)`. */
export function describeHidden(value: unknown): string {
  if (value === undefined) return "(not set)";
  const structure = typeof value === "string" ? (parsedStructure(value) ?? value) : value;
  if (Array.isArray(structure)) return `(not shown: a list of ${count(structure.length, "item")})`;
  if (structure === null) return "(not shown: null)";
  if (typeof structure === "object") return `(not shown: a map of ${count(Object.keys(structure).length, "field")})`;
  if (typeof structure !== "string") return `(not shown: a ${typeof structure})`;
  if (structure === "") return "(empty)";
  if (structure.trim() === "") return `(not shown: ${count(structure.length, "space")})`;
  if (/-----BEGIN/.test(structure)) return `(not shown: PEM text, ${count(structure.length, "character")})`;
  return `(not shown: ${count(structure.length, "character")}${looksLikeSecret(structure) ? ", looks like a secret" : ""})`;
}

/** A map or list with the values of secret-named fields (and `azuread` blocks) replaced by their shape. */
function redactFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactFields);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([field, inner]) => [field, field === "azuread" || isSecretName(field) ? describeHidden(inner) : redactFields(inner)]));
}

/** A value no rule hides: short, one line, and never a key or certificate body. */
function shownValue(value: unknown): string {
  if (value === undefined) return "(not set)";
  const structure = typeof value === "string" ? parsedStructure(value) : value !== null && typeof value === "object" ? value : undefined;
  const redacted = structure === undefined ? undefined : JSON.stringify(redactFields(structure));
  // JSON text is kept as written unless a field had to be hidden.
  const shown = redacted !== undefined && (typeof value !== "string" || redacted !== JSON.stringify(structure)) ? redacted : undefined;
  const text = shown ?? (typeof value === "string" ? value : JSON.stringify(value));
  if (/-----BEGIN/.test(text)) return `(PEM text, ${text.length} characters)`;
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  // Strings are quoted so spaces, empty values and control characters show; lists and objects already read as JSON.
  return typeof value === "string" && shown === undefined ? JSON.stringify(short) : short;
}

/** True when the value at `key` is not shown: the key may hold a secret, or the engine delivered it as one. */
export function hidesValue(key: string, engineSecrets: ReadonlySet<string> = new Set()): boolean {
  return mayHoldSecret(key) || engineSecrets.has(configKeyOf(key));
}

/** The words this project's settings take, and the known wrong concepts people write for them (`auto`, `yearly`). */
const SETTING_WORDS: ReadonlySet<string> = new Set(
  [...SWITCH_WORDS, ...Object.values(CONCEPTS).flatMap((concepts: readonly WrongConcept[]) => concepts.flatMap((concept) => (Array.isArray(concept.typed) ? concept.typed : [])))].map(normalizeName),
);

/**
 * A value that is a setting and cannot be a credential: a switch, a count, a lifetime (`90d`), a date, or a word
 * the settings take. `certificateRsaBits: 4096` and `clientSecretRotation: auto` read back as written though their
 * keys' names say secret; any other text at such a key stays hidden.
 */
function isPlainSetting(value: unknown): boolean {
  if (typeof value === "number" || typeof value === "boolean") return true;
  if (typeof value !== "string") return false;
  const text = value.trim();
  return /^-?\d{1,7}$/.test(text) || /^\d{1,4}\s*(d|days?|w|weeks?|m|mo|months?|y|years?|h|hours?)$/i.test(text) || /^\d{4}-\d{2}-\d{2}$/.test(text) || SETTING_WORDS.has(normalizeName(text));
}

/**
 * Renders the value at `key` for an error message: its shape where `hidesValue`, else the value itself (short, one
 * line, secret-named fields inside a map hidden). `engineSecrets` are the full keys the engine marked secret. At a
 * key hidden only for its name, a plain setting (`isPlainSetting`) is still shown.
 */
export function renderValue(key: string, value: unknown, engineSecrets: ReadonlySet<string> = new Set()): string {
  if (!hidesValue(key, engineSecrets)) return shownValue(value);
  const hiddenForNameOnly = !alwaysHidden(key) && !engineSecrets.has(configKeyOf(key));
  return hiddenForNameOnly && isPlainSetting(value) ? shownValue(value) : describeHidden(value);
}

/** True for a rendering that shows no value (what `describeHidden` makes). */
export function isHiddenRendering(rendered: string): boolean {
  return rendered === "(not set)" || rendered === "(empty)" || rendered.startsWith("(not shown");
}

/** Every piece of text in a value (JSON text parsed) that `looksLikeSecret`: what must not appear in any message. */
export function secretLookingTexts(value: unknown): string[] {
  const structure = typeof value === "string" ? (parsedStructure(value) ?? value) : value;
  if (typeof structure === "string") return looksLikeSecret(structure) ? [structure.trim()] : [];
  if (structure === null || typeof structure !== "object") return [];
  return Object.values(structure).flatMap(secretLookingTexts);
}
