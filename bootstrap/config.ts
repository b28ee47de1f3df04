/**
 * The bootstrap stack's config: parsed and validated as a whole before anything registers, every bad key named
 * with its value (unless it may be a secret) and the fix (the same ConfigError and value rule as the main program).
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, type ConfigIssue } from "../src/errors";
import { engineSecretKeys } from "../src/config/engineSecrets";
import { githubRepositoryProblem } from "../src/config/githubRepository";
import { parseGitHubRepository } from "../src/facts/github";
import { didYouMean } from "../src/config/suggest";
import { renderValue } from "../src/config/values";
import { APPLICATION_PERMISSIONS, type ApplicationPermission } from "./permissions";
import { type BootstrapConfig, DEFAULTS, KEYS, MAX_FEDERATED_CREDENTIALS, PROJECT, PULL_REQUEST_MODES, type PullRequestMode } from "./settings";
import { deployerCredentials } from "./subjects";

const fullKey = (key: string) => `${PROJECT}:${key}`;

/**
 * Parses `raw` (short keys, values as the engine passes them: strings, lists as JSON). Throws ConfigError.
 * `engineSecrets` are the full keys the engine delivered as secrets: their values are never shown.
 */
export function parseBootstrapConfig(raw: Readonly<Record<string, string | undefined>>, engineSecrets: ReadonlySet<string> = new Set()): BootstrapConfig {
  const issues: ConfigIssue[] = [];
  const issue = (key: string, value: unknown, message: string) => issues.push({ key: fullKey(key), value: renderValue(fullKey(key), value, engineSecrets), message });

  for (const key of Object.keys(raw).filter((k) => !(KEYS as readonly string[]).includes(k))) {
    issue(key, raw[key], `is not a key of this project.${didYouMean(key, KEYS)} Keys: ${KEYS.join(", ")}.`);
  }

  const repository = raw.repository?.trim();
  if (repository === undefined || repository === "") {
    issue("repository", raw.repository, 'is required: the GitHub repository whose workflows deploy, "owner/repo" or, on GitHub\'s immutable subjects, "owner@owner_id/repo@repo_id" (pulumi config set repository contoso/exchange-app-only).');
  } else {
    // The same rule as the stack's federatedCredentials: owner/repo or owner@owner_id/repo@repo_id.
    const problem = githubRepositoryProblem(repository);
    if (problem) issue("repository", raw.repository, problem);
  }

  const names = (key: "branches" | "environments", check: (name: string) => string | undefined): string[] => {
    const text = raw[key];
    if (text === undefined) return [...DEFAULTS[key]];
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === "string")) {
      issue(key, text, `must be a list of names, for example ["${DEFAULTS[key][0]}"] (pulumi config set --path '${key}[0]' ${DEFAULTS[key][0]}); [] for none.`);
      return [];
    }
    for (const name of parsed) {
      const problem = check(name);
      if (problem) issue(key, name, problem);
    }
    const duplicates = parsed.filter((name, i) => parsed.indexOf(name) !== i);
    if (duplicates.length) issue(key, duplicates[0], "is listed twice: each name makes one credential.");
    return parsed;
  };
  const branches = names("branches", (name) =>
    name.trim() === "" || /\s|:|\.\.|^\/|\/$/.test(name)
      ? 'must be a branch name such as "main" (no spaces, ":" or "..")'
      : name.startsWith("refs/")
        ? `must be the branch's name ("${name.replace(/^refs\/heads\//, "")}"), not its ref: the subject adds refs/heads/`
        : undefined,
  );
  const environments = names("environments", (name) =>
    name.trim() !== name || name === "" || name.includes(":") || name.length > 255 ? 'must be a GitHub environment name such as "production" (no ":", no leading or trailing spaces)' : undefined,
  );

  let pullRequest: PullRequestMode = DEFAULTS.pullRequest;
  if (raw.pullRequest !== undefined) {
    const found = PULL_REQUEST_MODES.find((mode) => mode === raw.pullRequest!.trim().toLowerCase());
    if (found) pullRequest = found;
    else issue("pullRequest", raw.pullRequest, `must be preview (a second, read-only app signs in from pull requests; the default), deployer (the deploying identity itself) or none.${didYouMean(raw.pullRequest, PULL_REQUEST_MODES)}`);
  }

  let applicationPermission: ApplicationPermission = DEFAULTS.applicationPermission;
  if (raw.applicationPermission !== undefined) {
    const short = raw.applicationPermission.trim().replace(/^Application\.ReadWrite\./i, "");
    const found = APPLICATION_PERMISSIONS.find((p) => p.toLowerCase() === short.toLowerCase());
    if (found) applicationPermission = found;
    else issue("applicationPermission", raw.applicationPermission, `must be OwnedBy (Application.ReadWrite.OwnedBy, the default) or All (Application.ReadWrite.All).${didYouMean(short, APPLICATION_PERMISSIONS)}`);
  }

  const displayName = raw.displayName ?? DEFAULTS.displayName;
  if (displayName.trim() === "" || displayName.length > 120) issue("displayName", raw.displayName, "must be 1 to 120 characters.");

  let keepNameOnlySubjects: boolean = DEFAULTS.keepNameOnlySubjects;
  const keep = raw.keepNameOnlySubjects;
  if (keep === "true" || keep === "false") keepNameOnlySubjects = keep === "true";
  else if (keep !== undefined) issue("keepNameOnlySubjects", keep, "must be true or false (pulumi config set keepNameOnlySubjects true).");
  let auditor: boolean = DEFAULTS.auditor;
  if (raw.auditor === "true" || raw.auditor === "false") auditor = raw.auditor === "true";
  else if (raw.auditor !== undefined) issue("auditor", raw.auditor, "must be true or false (pulumi config set auditor true).");
  const parsed = repository ? parseGitHubRepository(repository) : undefined;
  if (keepNameOnlySubjects && parsed?.ok && !parsed.repository.ids) {
    issue(
      "keepNameOnlySubjects",
      keep,
      `keeps a repository's name-only credentials beside its immutable ones, but repository ${JSON.stringify(repository)} is already the name-only form: set repository to "${repository}" with its ids ("owner@owner_id/repo@repo_id") while the repository switches, or remove keepNameOnlySubjects.`,
    );
  }

  const forms = keepNameOnlySubjects ? 2 : 1;
  const credentials = (branches.length + environments.length + (pullRequest === "deployer" ? 1 : 0)) * forms;
  if (issues.length === 0 && credentials === 0) {
    issue("branches", raw.branches ?? "[]", "no branch or environment may sign in as the deploying identity: it would be unusable. Keep at least one.");
  } else if (credentials > MAX_FEDERATED_CREDENTIALS) {
    const both = forms === 2 ? " (each twice: keepNameOnlySubjects keeps the name-only subjects too)" : "";
    issue("branches", raw.branches, `with environments and pull requests makes ${credentials} federated credentials${both}; Entra allows ${MAX_FEDERATED_CREDENTIALS} on one app.`);
  }

  if (issues.length > 0) throw new ConfigError(issues);
  const config = { repository: repository!, branches, pullRequest, environments, applicationPermission, displayName, keepNameOnlySubjects, auditor };
  // Entra names a credential by letters, digits, - and _: "release/1" and "release-1" would be the same name.
  const credentialNames = deployerCredentials(config).map((credential) => credential.name);
  const clash = credentialNames.find((name, i) => credentialNames.indexOf(name) !== i);
  if (clash) throw new ConfigError([{ key: fullKey("branches"), value: renderValue(fullKey("branches"), clash, engineSecrets), message: "two branches or environments make the same credential name; rename or drop one." }]);
  return config;
}

/** The stack's config from the engine, validated. */
export function loadBootstrapConfig(): BootstrapConfig {
  const prefix = `${PROJECT}:`;
  const all = pulumi.runtime.allConfig();
  const raw = Object.fromEntries(
    Object.entries(all)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), value]),
  );
  return parseBootstrapConfig(raw, new Set(engineSecretKeys(all)));
}
