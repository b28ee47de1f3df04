/**
 * Keys outside the project's namespace. Pulumi hands a program every key of the stack, and a key whose namespace
 * is a typo of the project's (`exchange-apponly:role`) reaches nobody: the stack silently runs with the default,
 * which may be a wider role than intended. Such keys are refused with the key they were meant to be.
 */
import { distance } from "fastest-levenshtein";
import { normalizeName } from "../facts";
import { PROJECT } from "./keys";

/** Names people reach for instead of the project's: the command's own name among them. */
const ALIASES = ["exo-app-only", "exoapponly", "exchange-online", "exchangeonline"];

/** True for a namespace that is meant to be the project's but is not spelled as it. */
export function isNearProject(namespace: string): boolean {
  if (namespace === PROJECT) return false;
  const lowered = namespace.toLowerCase();
  return (
    normalizeName(namespace) === normalizeName(PROJECT) ||
    distance(lowered, PROJECT) <= 3 ||
    ALIASES.includes(lowered)
  );
}

/** `AzureAD`, `azure-ad`, `azure_ad`: the azuread provider's namespace, spelt another way (so nobody reads it). */
export function isNearAzuread(namespace: string): boolean {
  return namespace !== "azuread" && normalizeName(namespace) === "azuread";
}

/**
 * A key written with the project's name and another separator (`exchange-app-only.role`, `exchange-app-only/role`,
 * `exchange-app-only::role`): the short key it was meant to be, else undefined.
 */
export function keyAfterProjectName(key: string): string | undefined {
  // `exchange-app-only::role` reaches the program as `:role`.
  const stray = /^[.:/]+(.+)$/.exec(key);
  if (stray) return stray[1];
  const match = /^([^.:/]+)[.:/]+(.+)$/.exec(key);
  if (!match) return undefined;
  return match[1] === PROJECT || isNearProject(match[1]!) ? match[2] : undefined;
}

/** Splits `ns:key` (a key may hold further colons, a namespace never does). */
export function splitKey(fullKey: string): { namespace: string; key: string } | undefined {
  const at = fullKey.indexOf(":");
  return at <= 0 ? undefined : { namespace: fullKey.slice(0, at), key: fullKey.slice(at + 1) };
}
