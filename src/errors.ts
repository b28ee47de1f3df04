/**
 * Errors are values with codes: one class a failure kind, a stable `code` that scripts can match on,
 * the context in fields, and a `remedy` that tells a person what to change. Messages never hold secrets.
 */
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

/** One invalid config value: names the key, shows the value and says how to fix it. */
export interface ConfigIssue {
  /** Full key as written in the stack file, for example `exchange-app-only:role`. */
  readonly key: string;
  /** The offending value, already rendered safely (secrets are never echoed). */
  readonly value: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** The stack config cannot be used; nothing has been registered. */
export class ConfigError extends ExoAppOnlyError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(
      "ERR_CONFIG_INVALID",
      issues.map((i) => `${i.key} = ${i.value}: ${i.message}`).join("\n"),
      "Fix the key named above in Pulumi.<stack>.yaml (or with `pulumi config set`) and run again.",
    );
    this.issues = issues;
  }
}
