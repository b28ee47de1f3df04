/**
 * Reading raw config values the way the Pulumi engine hands them over: every value a string, lists and maps as
 * JSON. The rules follow the engine's own (the Node SDK's `getBoolean` takes exactly `true` or `false`), so a value
 * the engine would refuse is refused here, with the key, the value (unless it may be a secret) and the fix.
 */
import { ConfigError, type ConfigIssue } from "../errors";
import { CONFIG_KEYS, fullKey, type ConfigKeyName } from "./keys";
import { configKeyOf, hidesValue, looksLikeSecret, renderValue, secretLookingTexts } from "./secretValues";

export { renderValue } from "./secretValues";

/** Raw values by short key name (`tenantId`), as strings; structured keys hold JSON. */
export type RawConfig = Readonly<Record<string, string | undefined>>;

interface SharedIssues {
  readonly issues: ConfigIssue[];
  reported: number;
  /** Full keys the engine delivered as secrets: their values are never shown. */
  readonly engineSecrets: ReadonlySet<string>;
  /** Secret-looking texts inside hidden values: scrubbed from every message, whichever parser wrote it. */
  readonly hiddenTexts: Set<string>;
}

/** The engine's rendering of a value: strings as they are, everything else as JSON. */
export function engineString(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Collects every problem of one config, so a single run shows everything to fix. */
export class IssueList {
  /**
   * `name` turns a short key into the key the user wrote (`exchange-app-only:role`, or a tenant entry's). Views
   * made by `renamed` share the list: a stack-level default that is wrong for every tenant is reported once.
   */
  constructor(
    private readonly name: (key: string) => string = fullKey,
    private readonly shared: SharedIssues = { issues: [], reported: 0, engineSecrets: new Set(), hiddenTexts: new Set() },
  ) {}

  /** A list for a stack whose `engineSecrets` (full keys, as `engineSecretKeys` reads them) were delivered as secrets. */
  static forStack(engineSecrets: Iterable<string> = []): IssueList {
    return new IssueList(fullKey, { issues: [], reported: 0, engineSecrets: new Set(engineSecrets), hiddenTexts: new Set() });
  }

  /** The issues, with any secret-looking text of a hidden value scrubbed from every message and shown value. */
  get issues(): readonly ConfigIssue[] {
    const scrub = (text: string) => [...this.shared.hiddenTexts].reduce((t, secret) => t.split(secret).join("(not shown)"), text);
    return this.shared.issues.map((i) => ({ key: scrub(i.key), value: scrub(i.value), message: scrub(i.message) }));
  }

  /** True when the engine delivered the value at `key` (a full key, as issues name it) as a secret. */
  deliveredSecret(key: string): boolean {
    return this.shared.engineSecrets.has(configKeyOf(key));
  }

  /** The same list, naming keys another way (a tenant entry's keys under `tenants[key]`). */
  renamed(name: (key: string) => string): IssueList {
    return new IssueList(name, this.shared);
  }

  add(key: string, value: unknown, message: string): undefined {
    return this.addAt(this.name(key), value, message);
  }

  /** For a key named exactly as the stack wrote it (another namespace, a tenant entry). */
  addAt(fullKey: string, value: unknown, message: string): undefined {
    this.shared.reported++;
    const issue = { key: fullKey, value: renderValue(fullKey, value, this.shared.engineSecrets), message };
    if (hidesValue(fullKey, this.shared.engineSecrets)) for (const text of secretLookingTexts(value)) this.shared.hiddenTexts.add(text);
    const repeated = this.shared.issues.some((i) => i.key === issue.key && i.value === issue.value && i.message === issue.message);
    if (!repeated) this.shared.issues.push(issue);
    return undefined;
  }

  /** Problems reported so far, repeats included: compare before and after a step to see whether it failed. */
  get count(): number {
    return this.shared.reported;
  }

  /** `remedy`: what to fix, when the values are not stack config (a component's args). */
  throwIfAny(remedy?: string): void {
    if (this.shared.issues.length > 0) throw new ConfigError(this.issues, remedy);
  }
}

/** The value the stack set, else the key's declared default (as the engine would pass it). */
export function withDefault(raw: RawConfig, key: ConfigKeyName): string | undefined {
  const value = raw[key];
  if (value !== undefined) return value;
  const spec = CONFIG_KEYS[key];
  if (!("default" in spec)) return undefined;
  return typeof spec.default === "string" ? spec.default : JSON.stringify(spec.default);
}

/** A list or map the engine rendered as JSON, where a plain string was expected. */
function structured(text: string): "a list" | "a map" | undefined {
  if (!/^\s*[[{]/.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value)) return "a list";
    if (value !== null && typeof value === "object") return "a map";
  } catch {
    // Not JSON: a string that happens to start with a bracket.
  }
  return undefined;
}

/** A string value (trimmed), or an issue when the stack gave a list or a map. */
export function text(raw: RawConfig, key: ConfigKeyName, issues: IssueList): string | undefined {
  const value = withDefault(raw, key);
  if (value === undefined) return undefined;
  const shape = structured(value);
  if (shape) return issues.add(key, value, `must be a single value, not ${shape}`);
  return value.trim();
}

export function integer(raw: RawConfig, key: ConfigKeyName, issues: IssueList, min: number, max: number, why: string): number | undefined {
  const value = withDefault(raw, key) ?? "";
  const parsed = /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed)) return issues.add(key, value, `must be a whole number; ${why}`);
  if (parsed < min || parsed > max) return issues.add(key, value, `must be between ${min} and ${max}; ${why}`);
  return parsed;
}

/**
 * Switches that people mistake for the place of a secret, and where the secret belongs. `clientSecret: true` has the
 * stack make the app's secret; the secret the deployment signs in with is the azuread provider's.
 */
const NOT_THE_SECRET: Partial<Record<ConfigKeyName, string>> = {
  clientSecret:
    "it takes true or false (true: the stack creates the app's client secret and keeps it as a secret output), never a secret's value. A secret to sign in with goes in azuread:clientSecret: pulumi config set --secret azuread:clientSecret (it prompts for the value)",
};

/** Exactly `true` or `false`, as the engine's `getBoolean` takes them (a YAML boolean arrives as one of those). */
export function boolean(raw: RawConfig, key: ConfigKeyName, issues: IssueList): boolean | undefined {
  const value = withDefault(raw, key);
  if (value === "true") return true;
  if (value === "false") return false;
  if (value !== undefined && /^(true|false)$/i.test(value.trim())) {
    return issues.add(key, value, `must be true or false (lower case, unquoted: ${value.trim().toLowerCase()})`);
  }
  // Its shape, since a value that may be a secret is not shown.
  const shape = value !== undefined && looksLikeSecret(value) ? ": this looks like a secret value, not true or false" : "";
  const misplaced = NOT_THE_SECRET[key];
  return issues.add(key, value, `must be true or false${shape}${misplaced ? `; ${misplaced}` : ""}`);
}

/** A structured value; undefined (with an issue) when it is not JSON. */
export function json(raw: RawConfig, key: ConfigKeyName, issues: IssueList, shape: string): unknown {
  const value = withDefault(raw, key);
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return issues.add(key, value, `must be ${shape}, written as YAML in the stack file (or as JSON with \`pulumi config set --json\`)`);
  }
}
