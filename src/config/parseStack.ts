/**
 * The whole stack's config, as the engine hands it to the program (`pulumi.runtime.allConfig()`): the project's
 * keys, the `azuread:*` sign-in settings, and keys that look meant for the project but are not in its namespace.
 * Pure; every problem of every kind lands in one `ConfigError`.
 */
import { fullKey, PROJECT } from "./keys";
import { isNearProject, splitKey } from "./namespaces";
import { readTenantConfig } from "./parse";
import { AZUREAD, readProviderSignIn, type ProviderSignIn } from "./provider";
import type { TenantConfig } from "./stackConfig";
import { IssueList, type RawConfig } from "./values";

export interface StackConfig {
  readonly tenant: TenantConfig;
  /** How the tenant's explicit azuread provider signs in (from `azuread:*`). */
  readonly signIn: ProviderSignIn;
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
    if (split && isNearProject(split.namespace)) {
      issues.addAt(
        key,
        value,
        `is in namespace "${split.namespace}", which is not this project's: no one reads it, and the stack would run with the default instead. Did you mean "${fullKey(split.key)}"?`,
      );
    }
  }
}

export function parseStackConfig(all: Readonly<Record<string, string>>, now: Date = new Date()): StackConfig {
  const issues = new IssueList();
  strayKeys(all, issues);
  const raw: RawConfig = namespaceValues(all, PROJECT);
  const tenant = readTenantConfig(raw, issues, now);
  const signIn = readProviderSignIn(namespaceValues(all, AZUREAD), { tenantId: tenant?.tenantId, cloud: tenant?.cloud }, issues);
  issues.throwIfAny();
  return { tenant: tenant!, signIn };
}
