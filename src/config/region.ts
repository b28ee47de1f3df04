/**
 * An Azure region (`managedIdentity.location`, `keyVault.location`) must be one the tenant's Azure cloud has: ARM
 * refuses a typo, and a public region in an Azure Government subscription, at deploy time, after other resources
 * may already exist. The schema has normalized the value ("West Europe" → `westeurope`); this judges it.
 */
import { distance } from "fastest-levenshtein";
import { AZURE_CLOUD_LABELS, AZURE_REGIONS, azureCloudOfRegion, type AzureCloudName, type Cloud } from "../facts";

const ALL = (Object.keys(AZURE_REGIONS) as AzureCloudName[]).flatMap((cloud) => AZURE_REGIONS[cloud].map((r) => ({ ...r, cloud })));

/** Names of the Azure geographies `az account list-locations` lists as logical locations: they hold no resources. */
const GEOGRAPHIES = ["asia", "asiapacific", "australia", "brazil", "canada", "europe", "france", "germany", "global", "india", "japan", "korea", "norway", "southafrica", "switzerland", "uae", "uk", "unitedkingdom", "unitedstates", "us", "usgov", "china"];

function regionsOf(cloud: AzureCloudName): string {
  return cloud === "public"
    ? "az account list-locations -o table lists them (westeurope, northeurope, eastus, westus2, australiaeast, ...)"
    : AZURE_REGIONS[cloud].map((r) => r.name).join(", ");
}

/** The region `name` misspells, if one is close and only one is closest. */
function nearest(name: string): (typeof ALL)[number] | undefined {
  const scored = ALL.map((r) => ({ r, d: distance(name, r.name) })).filter((s) => s.d <= 2);
  const best = Math.min(...scored.map((s) => s.d));
  const closest = scored.filter((s) => s.d === best);
  return closest.length === 1 ? closest[0]!.r : undefined;
}

/**
 * Why `location` (normalized) cannot hold the tenant's Azure resources, or undefined when it can. `cloud` is the
 * tenant's Microsoft 365 cloud, undefined when its `environment` is itself bad (then any cloud's region passes).
 */
export function regionProblem(location: string, cloud: Cloud | undefined): string | undefined {
  const wanted = cloud?.azureEnvironment;
  const where = wanted && cloud ? `${AZURE_CLOUD_LABELS[wanted]}, where this tenant's Azure resources go (environment: ${cloud.name})` : undefined;
  const home = azureCloudOfRegion(location);
  if (home && (wanted === undefined || home === wanted)) return undefined;
  if (home && wanted && where) {
    return `is a region of ${AZURE_CLOUD_LABELS[home]} (environment: ${home === "public" ? "public" : home === "china" ? "china" : "usgovernment or dod"}), not of ${where}: ARM would refuse it. Pick a region of ${AZURE_CLOUD_LABELS[wanted]}: ${regionsOf(wanted)}`;
  }
  if (GEOGRAPHIES.includes(location)) {
    return `is a geography, not a region: resources go to one region in it, for example westeurope rather than europe. Regions of ${where ? `${where}: ${regionsOf(wanted!)}` : "each cloud: az account list-locations -o table"}`;
  }
  const near = nearest(location);
  const hint = near ? ` Did you mean "${near.name}" (${near.displayName})?${wanted && near.cloud !== wanted ? ` That region is in ${AZURE_CLOUD_LABELS[near.cloud]}, though, not in ${AZURE_CLOUD_LABELS[wanted]}.` : ""}` : "";
  return `is not an Azure region${where ? ` of ${where}` : ""}.${hint} ${where ? `${AZURE_CLOUD_LABELS[wanted!]}: ${regionsOf(wanted!)}` : "az account list-locations -o table lists the regions"}.`;
}
