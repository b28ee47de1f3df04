/**
 * The whole stack's config, as the engine hands it to the program (`pulumi.runtime.allConfig()`): the project's
 * keys (one tenant, or many under `tenants`), the `azuread:*` sign-in settings, and keys that look meant for the
 * project but are not in its namespace. Pure; every problem of every kind lands in one `ConfigError`.
 */
import { ConfigError } from "../errors";
import { fullKey, PROJECT } from "./keys";
import { isNearAzuread, isNearProject, splitKey } from "./namespaces";
import { readTenantConfig } from "./parse";
import { AZUREAD, readProviderSignIn, resolveSignIn } from "./provider";
import { parseAppMode, parseTenants, type AppMode, type TenantEntry } from "./tenants";
import { looksLikeSecret } from "./secretValues";
import { IssueList, json, type RawConfig } from "./values";

export type { TenantEntry } from "./tenants";

export interface StackConfig {
  /** `single`: the one-tenant stack of old (no `tenants` key), whose resource names never change. */
  readonly layout: "single" | "many";
  readonly appMode: AppMode;
  readonly tenants: readonly TenantEntry[];
}

/** The keys of one namespace, by short name. */
export function namespaceValues(all: Readonly<Record<string, string>>, namespace: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(all)) {
    const split = splitKey(key);
    if (split?.namespace === namespace) values[split.key] = value;
  }
  return values;
}

function strayKeys(all: Readonly<Record<string, string>>, issues: IssueList): void {
  for (const [key, value] of Object.entries(all)) {
    const split = splitKey(key);
    if (split && isNearAzuread(split.namespace)) {
      issues.addAt(key, value, `is in namespace "${split.namespace}", which the azuread provider does not read. Did you mean "azuread:${split.key}"?`);
    } else if (split && isNearProject(split.namespace)) {
      issues.addAt(
        key,
        value,
        `is in namespace "${split.namespace}", which is not this project's: no one reads it, and the stack would run with the default instead. Did you mean "${fullKey(split.key)}"?`,
      );
    }
  }
}

/**
 * `engineSecrets`: the full keys the engine delivered as secrets (`engineSecretKeys`). Their values are never shown
 * in an issue, and a sign-in setting among them stays a secret.
 */
export function parseStackConfig(all: Readonly<Record<string, string>>, now: Date = new Date(), engineSecrets: Iterable<string> = []): StackConfig {
  const issues = IssueList.forStack(engineSecrets);
  strayKeys(all, issues);
  const raw: RawConfig = namespaceValues(all, PROJECT);
  const stackSignIn = namespaceValues(all, AZUREAD);
  const appMode = parseAppMode(raw, issues);

  let config: StackConfig | undefined;
  if (raw.tenants === undefined) {
    if (appMode === "multiTenant") issues.add("appMode", "multiTenant", "needs tenants: list the home tenant (home: true) and the customer tenants under exchange-app-only:tenants");
    const tenant = readTenantConfig(raw, issues, now);
    const signIn = readProviderSignIn(stackSignIn, { tenantId: tenant?.tenantId, cloud: tenant?.cloud }, issues);
    if (tenant && appMode) config = { layout: "single", appMode, tenants: [{ key: undefined, tenant, raw, signIn, home: false, consent: "automatic" }] };
  } else {
    if (appMode === "multiTenant" && raw.managedIdentity !== undefined) {
      issues.add("managedIdentity", raw.managedIdentity, "cannot go with appMode: multiTenant: a managed identity lives in one tenant, and a multi-tenant app's tenants reach Exchange through the app. Use appMode: perTenant for managed identities");
    }
    const { tenants: _list, appMode: _mode, ...defaults } = raw;
    const list = json(raw, "tenants", issues, "a list of tenants, each with tenantId and organization");
    const tenants = list === undefined || !appMode ? undefined : parseTenants(list, { defaults, stackSignIn, mode: appMode, issues, now });
    if (tenants && appMode) config = { layout: "many", appMode, tenants };
  }
  issues.throwIfAny();
  return config!;
}

/**
 * "names environment variable X". A name in the usual upper-case form is shown; any other may be the secret itself,
 * given where its variable's name belongs, so only its shape is.
 */
function namesVariable(variable: string): string {
  if (/^[A-Z_][A-Z0-9_]*$/.test(variable) && !looksLikeSecret(variable)) return `names environment variable ${variable}`;
  return `names an environment variable (not shown: ${variable.length} characters, not in the usual UPPER_CASE form of a variable's name; if it is the secret itself, put the secret in a variable and write the variable's name here)`;
}

/**
 * Reads the sign-in settings each tenant takes from environment variables. A variable that is not set is reported
 * with the tenant it belongs to, all tenants at once. `offline` (plan, tests) needs no credentials.
 */
export function resolveStackSignIn(config: StackConfig, env: NodeJS.ProcessEnv, offline = false): StackConfig {
  const issues = new IssueList();
  const tenants = config.tenants.map((entry) => {
    const { signIn, missing } = resolveSignIn(entry.signIn, env, offline);
    const where = entry.key === undefined ? `${AZUREAD}:` : `${fullKey(`tenants[${entry.key}]`)}.azuread.`;
    for (const m of missing) {
      issues.addAt(`${where}${m.setting}Env`, m.variable, `${namesVariable(m.variable)}, which is not set: ${entry.key === undefined ? "the stack" : `tenant ${entry.key}`} cannot sign in. Export it before pulumi runs (in CI: a secret variable).`);
    }
    return { ...entry, signIn };
  });
  if (issues.issues.length > 0) throw new ConfigError(issues.issues);
  return { ...config, tenants };
}
