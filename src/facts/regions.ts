/**
 * The Azure regions of each Azure cloud, by the programmatic name ARM takes (`westeurope`) and the display name the
 * portal shows ("West Europe"). A region belongs to one cloud: a public region in an Azure Government subscription is
 * refused at deploy time, so the config refuses it at plan time.
 *
 * Sources (looked up December 2026):
 * - public: Microsoft Learn, "Azure regions list" (learn.microsoft.com/azure/reliability/regions-list, 09/2025), the
 *   "Programmatic name" column, with the restricted-access regions it names as pairs (Sweden South); Denmark East is
 *   listed there as coming soon. Jio India Central/West and the two EUAP (early-update canary) regions are not on that
 *   page; `az account list-locations` lists them as physical regions (inferred from its output as others publish it),
 *   and they are kept so that a subscription with access to them is not refused.
 * - usgovernment: Azure.Core's `AzureLocation` (Azure SDK for .NET, sdk/core/Azure.Core/src/AzureLocation.cs): US Gov
 *   Arizona, Iowa, Texas, Virginia, US DoD Central, East. No Microsoft page read here lists them with their names.
 * - china: docs.azure.cn, "Azure regions list" (docs.azure.cn/reliability/regions-list): six regions.
 * Logical locations (`europe`, `global`, `unitedstates`) hold no resources and are not regions here.
 *
 * ARM reads a location case- and space-insensitively: "West Europe" and "westeurope" are the same region, and
 * azure-native diffs `location` the same way (pulumi/pulumi-azure-native#2281). The stack passes the short name.
 */

export type AzureCloudName = "public" | "usgovernment" | "china";

export interface AzureRegion {
  /** The programmatic name: `az account list-locations --query [].name`. */
  readonly name: string;
  readonly displayName: string;
}

const region = (displayName: string): AzureRegion => ({ name: displayName.toLowerCase().replace(/\s+/g, ""), displayName });

export const AZURE_REGIONS: Readonly<Record<AzureCloudName, readonly AzureRegion[]>> = {
  public: [
    "Australia Central",
    "Australia Central 2",
    "Australia East",
    "Australia Southeast",
    "Austria East",
    "Belgium Central",
    "Brazil South",
    "Brazil Southeast",
    "Canada Central",
    "Canada East",
    "Central India",
    "Central US",
    "Central US EUAP",
    "Chile Central",
    "Denmark East",
    "East Asia",
    "East US",
    "East US 2",
    "East US 2 EUAP",
    "France Central",
    "France South",
    "Germany North",
    "Germany West Central",
    "Indonesia Central",
    "Israel Central",
    "Italy North",
    "Japan East",
    "Japan West",
    "Jio India Central",
    "Jio India West",
    "Korea Central",
    "Korea South",
    "Malaysia West",
    "Mexico Central",
    "New Zealand North",
    "North Central US",
    "North Europe",
    "Norway East",
    "Norway West",
    "Poland Central",
    "Qatar Central",
    "South Africa North",
    "South Africa West",
    "South Central US",
    "South India",
    "Southeast Asia",
    "Spain Central",
    "Sweden Central",
    "Sweden South",
    "Switzerland North",
    "Switzerland West",
    "UAE Central",
    "UAE North",
    "UK South",
    "UK West",
    "West Central US",
    "West Europe",
    "West India",
    "West US",
    "West US 2",
    "West US 3",
  ].map(region),
  usgovernment: ["US Gov Arizona", "US Gov Iowa", "US Gov Texas", "US Gov Virginia", "US DoD Central", "US DoD East"].map(region),
  china: ["China East", "China East 2", "China East 3", "China North", "China North 2", "China North 3"].map(region),
};

/** The label of an Azure cloud in messages. */
export const AZURE_CLOUD_LABELS: Readonly<Record<AzureCloudName, string>> = {
  public: "Azure public cloud",
  usgovernment: "Azure Government",
  china: "Azure operated by 21Vianet",
};

/** A location as ARM reads it: lower case, no spaces ("West Europe" → `westeurope`). */
export function normalizeLocation(value: string): string {
  return value.trim().toLowerCase().replace(/\s+/g, "");
}

/** The cloud a region (normalized) belongs to, or undefined for no known region. */
export function azureCloudOfRegion(name: string): AzureCloudName | undefined {
  return (Object.keys(AZURE_REGIONS) as AzureCloudName[]).find((cloud) => AZURE_REGIONS[cloud].some((r) => r.name === name));
}
