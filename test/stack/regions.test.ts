/**
 * An Azure region must be one the tenant's Azure cloud has (issue 14): a typo, a region of another cloud or a
 * geography is refused at plan time, where ARM would refuse it at deploy time. A region written as the portal shows
 * it ("West Europe") is the same region to ARM, and the stack passes the short name.
 */
import { AZURE_REGIONS, azureCloudOfRegion } from "../../src/facts";
import { evaluate, T } from "../support/evaluate";
import { refusedAt } from "../support/refusal";

const identity = (location: string) => ({ managedIdentity: { kind: "userAssigned", name: "exo-runner", resourceGroup: "rg", location } });
const vault = (location: string) => ({ clientSecret: true, keyVault: { name: "contoso-exo-kv", resourceGroup: "rg", location, readers: ["3c4d5e6f-1111-4222-8333-444455556666"] } });
const GCC_HIGH = { environment: "usgovernment", organization: "contoso.onmicrosoft.us" };
const DOD = { environment: "dod", organization: "contoso.onmicrosoft.us" };
const CHINA = { environment: "china", organization: "contoso.partner.onmschina.cn" };

describe("the region lists, pinned against their sources", () => {
  // Literals from the pages named in src/facts/regions.ts: a change of the table has to be deliberate.
  it.each([
    ["westeurope", "public"], // learn.microsoft.com/azure/reliability/regions-list
    ["swedencentral", "public"],
    ["newzealandnorth", "public"],
    ["usgovvirginia", "usgovernment"], // Azure.Core AzureLocation
    ["usdodeast", "usgovernment"],
    ["chinanorth3", "china"], // docs.azure.cn/reliability/regions-list
  ])("%s is in %s", (name, cloud) => {
    expect(azureCloudOfRegion(name)).toBe(cloud);
  });

  it("every name is the short form of its display name, and belongs to one cloud", () => {
    const all = Object.values(AZURE_REGIONS).flat();
    for (const region of all) expect(region.name).toBe(region.displayName.toLowerCase().replace(/ /g, ""));
    expect(new Set(all.map((r) => r.name)).size).toBe(all.length);
    expect(AZURE_REGIONS.china.map((r) => r.name).sort()).toEqual(["chinaeast", "chinaeast2", "chinaeast3", "chinanorth", "chinanorth2", "chinanorth3"]);
  });
});

describe("a region the tenant's cloud has passes, in either spelling", () => {
  it.each<[string, Record<string, unknown>, string, string]>([
    ["public, short name", {}, "westeurope", "westeurope"],
    ["public, display name", {}, "West Europe", "westeurope"],
    ["public, any case", {}, "NorthEurope", "northeurope"],
    ["GCC High", GCC_HIGH, "usgovvirginia", "usgovvirginia"],
    ["DoD, a DoD region", DOD, "US DoD East", "usdodeast"],
    ["DoD, an Azure Government region", DOD, "usgovarizona", "usgovarizona"],
    ["China", CHINA, "China North 3", "chinanorth3"],
  ])("%s: %s", async (_label, cloud, location, passed) => {
    const run = await evaluate({ ...cloud, ...identity(location) });
    expect(run.one(T.userAssignedIdentity).inputs.location).toBe(passed);
  });
});

describe("a region ARM would refuse is refused, with the key, the value and the fix", () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["a typo", {}, "westeurop", /is not an Azure region of Azure public cloud.*Did you mean "westeurope" \(West Europe\)\?/],
    ["a typo in the display name", {}, "West Eurpoe", /Did you mean "westeurope"/],
    ["a public region for GCC High", GCC_HIGH, "westeurope", /is a region of Azure public cloud.*not of Azure Government, where this tenant's Azure resources go \(environment: usgovernment\).*usgovarizona, usgoviowa, usgovtexas, usgovvirginia, usdodcentral, usdodeast/],
    ["a public region for DoD", DOD, "eastus", /is a region of Azure public cloud.*not of Azure Government/],
    ["a public region for China", CHINA, "eastasia", /not of Azure operated by 21Vianet.*chinaeast, chinaeast2/],
    ["an Azure Government region for a public tenant", {}, "usgovvirginia", /is a region of Azure Government \(environment: usgovernment or dod\), not of Azure public cloud.*az account list-locations/],
    ["a China region for GCC High", GCC_HIGH, "chinanorth2", /is a region of Azure operated by 21Vianet \(environment: china\)/],
    ["a geography", {}, "europe", /is a geography, not a region: .*westeurope rather than europe/],
    ["the name of nothing", {}, "mars1", /is not an Azure region of Azure public cloud, where this tenant.s Azure resources go \(environment: public\)\. Azure public cloud: az account list-locations/],
    ["a typo of another cloud's region", {}, "usgovvirgina", /Did you mean "usgovvirginia".*That region is in Azure Government, though, not in Azure public cloud/],
  ])("managedIdentity.location: %s", async (_label, cloud, location, why) => {
    const issue = await refusedAt({ ...cloud, ...identity(location) }, "managedIdentity.location");
    expect(issue.value).toBe(JSON.stringify(location));
    expect(issue.message).toMatch(why);
  });

  it("keyVault.location is judged the same way", async () => {
    const issue = await refusedAt({ ...GCC_HIGH, ...vault("West Europe") }, "keyVault.location");
    expect(issue.value).toBe('"West Europe"');
    expect(issue.message).toMatch(/is a region of Azure public cloud/);
  });

  it("a tenant entry is judged by its own cloud", async () => {
    const tenants = [{ key: "gov", tenantId: "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7", ...GCC_HIGH, ...identity("westus2") }];
    const issue = await refusedAt({ tenantId: undefined, organization: undefined, tenants }, "tenants[gov].managedIdentity.location");
    expect(issue.message).toMatch(/not of Azure Government/);
  });
});
