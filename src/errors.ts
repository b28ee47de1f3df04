/**
 * Errors are values with codes: one class a failure kind, a stable `code` that scripts can match on,
 * the context in fields, and a `remedy` that tells a person what to change. Messages never hold secrets.
 */
import { isHiddenRendering, mayHoldSecret, renderValue } from "./config/secretValues";

export class ExoAppOnlyError extends Error {
  /** Stable, machine-readable kind, for example `ERR_CONFIG_INVALID`. */
  readonly code: string;
  /** What to do about it, in one or two sentences. */
  readonly remedy: string;

  constructor(code: string, message: string, remedy: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.remedy = remedy;
  }
}

/**
 * The check cannot start: a flag, a file, a stack output or a credential is unusable. The CLI exits 2 on it.
 * Codes: ERR_USAGE (flags), ERR_CREDENTIAL (a secret, certificate or token source), ERR_STACK (stack outputs).
 */
export class CheckSetupError extends ExoAppOnlyError {
  constructor(code: "ERR_USAGE" | "ERR_CREDENTIAL" | "ERR_STACK", message: string, remedy: string, options?: { cause?: unknown }) {
    super(code, message, remedy, options);
  }
}

/** Thrown for bad flags or config: printed as one message (and remedy), exit 2, never a stack trace. */
export class UsageError extends ExoAppOnlyError {
  constructor(message: string, remedy: string) {
    super("ERR_USAGE", message, remedy);
  }
}

/**
 * An optional peer dependency a feature needs is not installed (code ERR_MISSING_PACKAGE). The message names the
 * package and what needs it, and ends with the command that installs it, so the engine's one line is enough.
 */
export class MissingPackageError extends ExoAppOnlyError {
  /** The npm package that is missing, and the version range to install. */
  readonly packageName: string;
  readonly range: string;
  /** What needs it, without the remedy: a caller in another place (the plugin) words its own. */
  readonly what: string;

  constructor(packageName: string, range: string, what: string, remedy: string) {
    super("ERR_MISSING_PACKAGE", `${what} ${remedy}`, remedy);
    this.packageName = packageName;
    this.range = range;
    this.what = what;
  }
}

/** One invalid config value: names the key, shows the value (unless it may be a secret) and says how to fix it. */
export interface ConfigIssue {
  /** Full key as written in the stack file, for example `exchange-app-only:role`. */
  readonly key: string;
  /** The offending value, rendered by `renderValue` (src/config/secretValues.ts): a secret's shape, never the secret. */
  readonly value: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/**
 * An issue whose key may hold a secret keeps only its value's shape, however it was built: the same rule as
 * `renderValue`, applied once more where every config error is assembled.
 */
function safeIssue(issue: ConfigIssue): ConfigIssue {
  if (!mayHoldSecret(issue.key) || isHiddenRendering(issue.value)) return issue;
  let raw: unknown = issue.value;
  try {
    raw = JSON.parse(issue.value); // renderValue quotes strings
  } catch {
    // Shown as it is: a list or map rendered as JSON, or text.
  }
  return { ...issue, value: renderValue(issue.key, raw) };
}

/** The stack config cannot be used; nothing has been registered. */
export class ConfigError extends ExoAppOnlyError {
  readonly issues: readonly ConfigIssue[];

  /** `remedy`: where the values came from, when not from stack config (a component's args). */
  constructor(issues: readonly ConfigIssue[], remedy = "Fix the key named above in Pulumi.<stack>.yaml (or with `pulumi config set`) and run again.") {
    const safe = issues.map(safeIssue);
    super("ERR_CONFIG_INVALID", safe.map((i) => `${i.key} = ${i.value}: ${i.message}`).join("\n"), remedy);
    this.issues = safe;
  }
}
