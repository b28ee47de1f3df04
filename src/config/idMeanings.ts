/**
 * One GUID, one meaning. The portal shows several GUIDs side by side (Directory (tenant) ID, Application (client)
 * ID, the app's Object ID, the service principal's Object ID, a managed identity's Client ID and Object (principal)
 * ID, the subscription ID), and pasting one where another belongs is the commonest mistake in this kind of config.
 * Each field below says which kind of id it takes; the same GUID under two kinds means one of them is the other id.
 */
import type { TenantConfig } from "./stackConfig";
import type { IssueList } from "./values";

type IdKind = "tenant" | "subscription" | "client" | "object";

interface PlacedId {
  readonly key: string;
  readonly id: string;
  readonly kind: IdKind;
  /** What the key holds, in the words of the portal page it comes from. */
  readonly holds: string;
}

const KIND_WORDS: Readonly<Record<IdKind, string>> = {
  tenant: "a tenant id",
  subscription: "an Azure subscription id",
  client: "an application (client) id",
  object: "a directory object id",
};

/** The parts of a tenant's parsed config that hold ids; each may be missing when its key was bad. */
export type IdSources = Partial<Pick<TenantConfig, "tenantId" | "owners" | "adopt" | "managedIdentity" | "keyVault" | "exchangeRoles">>;

function placedIds(config: IdSources): PlacedId[] {
  const ids: PlacedId[] = [];
  const place = (key: string, id: string | undefined, kind: IdKind, holds: string) => {
    if (id !== undefined) ids.push({ key, id: id.toLowerCase(), kind, holds });
  };
  place("tenantId", config.tenantId, "tenant", "the Directory (tenant) ID");
  config.owners?.forEach((owner, i) => place(`owners[${i}]`, owner, "object", "an owner's Object ID"));
  const adopt = config.adopt;
  if (adopt) {
    place("adopt.clientId", adopt.clientId, "client", "the app's Application (client) ID");
    place("adopt.applicationObjectId", adopt.applicationObjectId, "object", "the app registration's Object ID");
    place("adopt.servicePrincipalObjectId", adopt.servicePrincipalObjectId, "object", "the service principal's Object ID (Enterprise applications)");
    place("adopt.exchangeServicePrincipalObjectId", adopt.exchangeServicePrincipalObjectId, "object", "Office 365 Exchange Online's service principal Object ID");
  }
  const identity = config.managedIdentity;
  if (identity?.kind === "existing") {
    place("managedIdentity.principalId", identity.principalId, "object", "the identity's Object (principal) ID");
    place("managedIdentity.clientId", identity.clientId, "client", "the identity's Client ID");
  } else if (identity) {
    place("managedIdentity.subscriptionId", identity.subscriptionId, "subscription", "the Azure subscription ID");
  }
  if (config.keyVault) {
    place("keyVault.subscriptionId", config.keyVault.subscriptionId, "subscription", "the Azure subscription ID");
    config.keyVault.readers.forEach((reader, i) => place(`keyVault.readers[${i}]`, reader.principalId, "object", "a reader's Object (principal) ID"));
  }
  config.exchangeRoles?.forEach((entry, i) => {
    if ("role" in entry && entry.scope?.kind === "administrativeUnit") place(`exchangeRoles[${i}].scope`, entry.scope.id, "object", "an administrative unit's Object ID");
  });
  return ids;
}

/**
 * The same GUID under two kinds of id: an issue at the later key, naming the earlier one. Object ids may repeat
 * (a managed identity may read the vault it is granted), except the app registration's and its service principal's,
 * which are two objects.
 */
export function checkIdMeanings(config: IdSources, issues: IssueList): void {
  const ids = placedIds(config);
  const reported = new Set<string>();
  for (const [i, later] of ids.entries()) {
    const earlier = ids.slice(0, i).find((e) => e.id === later.id && (e.kind !== later.kind || isAppAndItsPrincipal(e, later)));
    if (!earlier || reported.has(later.key)) continue;
    reported.add(later.key);
    issues.add(
      later.key,
      later.id,
      `is the same GUID as ${earlier.key} (${earlier.holds}), but ${later.key} takes ${later.holds}${earlier.kind === later.kind ? "" : `, ${KIND_WORDS[later.kind]}`}: one of the two is another id pasted in its place. Copy each from its own field`,
    );
  }
}

function isAppAndItsPrincipal(a: PlacedId, b: PlacedId): boolean {
  const pair = new Set([a.key, b.key]);
  return pair.has("adopt.applicationObjectId") && pair.has("adopt.servicePrincipalObjectId");
}
