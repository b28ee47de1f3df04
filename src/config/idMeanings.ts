/**
 * One GUID, one meaning. The portal shows several GUIDs side by side (Directory (tenant) ID, Application (client)
 * ID, the app's Object ID, the service principal's Object ID, a managed identity's Client ID and Object (principal)
 * ID, the subscription ID), and pasting one where another belongs is the commonest mistake in this kind of config.
 * Each field below says which kind of id it takes; the same GUID under two kinds means one of them is the other id.
 */
import { EXCHANGE_ONLINE_APP_ID, firstPartyApp, wellKnownId } from "../facts";
import type { TenantConfig } from "./stackConfig";
import type { IssueList } from "./values";

type IdKind = "tenant" | "subscription" | "client" | "object";

interface PlacedId {
  readonly key: string;
  readonly id: string;
  readonly kind: IdKind;
  /** What the key holds, in the words of the portal page it comes from. */
  readonly holds: string;
  /** Where to copy it from, when `holds` does not say. */
  readonly find?: string;
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
  const place = (key: string, id: string | undefined, kind: IdKind, holds: string, find?: string) => {
    if (id !== undefined) ids.push({ key, id: id.toLowerCase(), kind, holds, ...(find ? { find } : {}) });
  };
  place("tenantId", config.tenantId, "tenant", "the Directory (tenant) ID");
  config.owners?.forEach((owner, i) => place(`owners[${i}]`, owner, "object", "an owner's Object ID"));
  const adopt = config.adopt;
  if (adopt) {
    place("adopt.clientId", adopt.clientId, "client", "the app's Application (client) ID", "Entra admin center → App registrations → the app → Overview, or az ad app list --display-name <name> --query [].appId");
    place("adopt.applicationObjectId", adopt.applicationObjectId, "object", "the app registration's Object ID", "Entra admin center → App registrations → the app → Overview → Object ID, or az ad app show --id <clientId> --query id -o tsv");
    place("adopt.servicePrincipalObjectId", adopt.servicePrincipalObjectId, "object", "the service principal's Object ID (Enterprise applications)", "az ad sp show --id <clientId> --query id -o tsv");
    place("adopt.exchangeServicePrincipalObjectId", adopt.exchangeServicePrincipalObjectId, "object", "the Object ID of Office 365 Exchange Online's service principal in this tenant (it differs per tenant)", `az ad sp show --id ${EXCHANGE_ONLINE_APP_ID} --query id -o tsv`);
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
  for (const placed of ids) {
    const problem = wellKnownProblem(placed);
    if (!problem) continue;
    reported.add(placed.key);
    issues.add(placed.key, placed.id, problem);
  }
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

/** The adopted objects are three objects: the app registration, its service principal, Exchange Online's principal. */
const DISTINCT_OBJECTS = ["adopt.applicationObjectId", "adopt.servicePrincipalObjectId", "adopt.exchangeServicePrincipalObjectId"];

function isAppAndItsPrincipal(a: PlacedId, b: PlacedId): boolean {
  return a.key !== b.key && DISTINCT_OBJECTS.includes(a.key) && DISTINCT_OBJECTS.includes(b.key);
}

/**
 * A GUID that is the same in every tenant (a Microsoft app, an app role, a role template, Microsoft's tenant) is
 * never an object, identity or subscription of this tenant's: it was pasted from the wrong line. Microsoft's own
 * apps are never adopted at all.
 */
function wellKnownProblem(placed: PlacedId): string | undefined {
  const known = wellKnownId(placed.id);
  // Microsoft's own tenants are tenants: managing one is unusual, not a pasting mistake.
  if (!known || (placed.kind === "tenant" && known.kind === "microsoftTenant")) return undefined;
  const find = placed.find ? ` Find it: ${placed.find}` : "";
  if (placed.key === "adopt.clientId" && known.kind === "firstPartyApp") {
    return (
      `is Microsoft's own ${firstPartyApp(placed.id)} (a first-party application): a stack never adopts or manages one of Microsoft's apps, since pulumi destroy ` +
      `would delete its service principal and break it for the whole tenant. adopt.clientId takes ${placed.holds}.${find}`
    );
  }
  return `is ${known.is}, not ${placed.holds}: it was copied from the wrong line.${find}`;
}
