/**
 * Every Microsoft host the cloud table names, per cloud and surface, pinned as a literal with its source beside it,
 * and whether each value is documented or inferred: a change of src/facts/clouds.ts has to be made here too.
 *
 * Sources (the short names below):
 * - [EXO]   Connect-ExchangeOnline reference, -ConnectionUri and -ExchangeEnvironmentName
 *           (learn.microsoft.com/powershell/module/exchange/connect-exchangeonline).
 * - [API]   "Get started with the Exchange Online Admin API", Supported environments and base URLs
 *           (learn.microsoft.com/exchange/reference/admin-api-get-started).
 * - [CSS]   Microsoft's CSS-Exchange, Shared/AzureFunctions/Get-CloudServiceEndpoint.ps1 (ExchangeOnlineEndpoint,
 *           GraphApiEndpoint, AzureADEndpoint per cloud), used as the token scope in Connect-EWSExchangeOnline.ps1.
 * - [IPPS]  Connect-IPPSSession reference, and the app-only article (its DoD URI differs: FACTS.md).
 * - [GRAPH] Microsoft Graph "National cloud deployments" and Get-MgEnvironment (Graph and Entra endpoints).
 * - [KV]    Azure Key Vault's DNS suffixes per cloud ("About keys, secrets, and certificates", object identifiers).
 * - [AZ]    the azuread provider's `environment` values (public, usgovernment, dod, china).
 * Token audiences: stated by no Microsoft page for any Exchange surface outside the public cloud (FACTS.md, December
 * 2026), so every one of them is "inferred" here.
 */
import {
  CLOUDS,
  CLOUD_NAMES,
  KNOWN_EXCHANGE_ORIGINS,
  describeProvenance,
  exchangeAudiences,
  exchangeScope,
  exchangeSurface,
  type Cloud,
} from "../../src/facts";

/** The cloud's hosts, as literals. */
const PINNED = {
  public: {
    authorityHost: "https://login.microsoftonline.com", // [CSS] [GRAPH]
    invokeCommand: { resource: "https://outlook.office365.com", host: "https://outlook.office365.com" }, // host: [EXO] ConnectionUri; resource: inferred
    adminApi: { resource: "https://outlook.office365.com", host: "https://outlook.office365.com" }, // host: [API]; resource: inferred
    exchangeResource: "https://outlook.office365.com",
    connectionUri: "https://outlook.office365.com/powershell-liveid/", // [EXO]
    exchangeEnvironmentName: undefined, // [EXO] O365Default, the default
    graphResource: "https://graph.microsoft.com", // [GRAPH]
    azureadEnvironment: "public", // [AZ]
    azureEnvironment: "public",
    keyVaultDnsSuffix: "vault.azure.net", // [KV]
    compliance: {
      resource: "https://ps.compliance.protection.outlook.com", // inferred from the connection URI's host
      connectionUri: "https://ps.compliance.protection.outlook.com/powershell-liveid/", // [IPPS]
      authorizationEndpoint: "https://login.microsoftonline.com/organizations", // [IPPS]
      disputed: undefined,
    },
  },
  usgovernment: {
    authorityHost: "https://login.microsoftonline.us", // [CSS] [GRAPH]
    invokeCommand: { resource: "https://outlook.office365.us", host: "https://outlook.office365.us" }, // host: [EXO]; resource: inferred, [CSS] uses it
    adminApi: { resource: "https://outlook.office365.us", host: "https://outlook.office365.us" }, // host: [API]
    exchangeResource: "https://outlook.office365.us",
    connectionUri: "https://outlook.office365.us/powershell-liveID", // [EXO]
    exchangeEnvironmentName: "O365USGovGCCHigh", // [EXO]
    graphResource: "https://graph.microsoft.us", // [GRAPH]
    azureadEnvironment: "usgovernment", // [AZ]
    azureEnvironment: "usgovernment",
    keyVaultDnsSuffix: "vault.usgovcloudapi.net", // [KV]
    compliance: {
      resource: "https://ps.compliance.protection.office365.us",
      connectionUri: "https://ps.compliance.protection.office365.us/powershell-liveid/", // [IPPS]
      authorizationEndpoint: "https://login.microsoftonline.us/organizations", // [IPPS]
      disputed: undefined,
    },
  },
  dod: {
    authorityHost: "https://login.microsoftonline.us", // [CSS] [GRAPH]
    // Not webmail.apps.mil ([EXO]'s ConnectionUri host): [API]'s DoD base and [CSS]'s DoD Exchange token resource.
    invokeCommand: { resource: "https://outlook-dod.office365.us", host: "https://outlook-dod.office365.us" },
    adminApi: { resource: "https://outlook-dod.office365.us", host: "https://outlook-dod.office365.us" }, // host: [API]
    exchangeResource: "https://outlook-dod.office365.us",
    connectionUri: "https://webmail.apps.mil/powershell-liveID", // [EXO]
    exchangeEnvironmentName: "O365USGovDoD", // [EXO]
    graphResource: "https://dod-graph.microsoft.us", // [GRAPH] [CSS]
    azureadEnvironment: "dod", // [AZ]
    azureEnvironment: "usgovernment",
    keyVaultDnsSuffix: "vault.usgovcloudapi.net", // [KV]
    compliance: {
      resource: "https://compliance.dod.microsoft.com",
      connectionUri: "https://compliance.dod.microsoft.com/powershell-liveid", // [IPPS] app-only article
      authorizationEndpoint: "https://login.microsoftonline.us/organizations", // [IPPS]
      disputed: { connectionUri: "https://l5.ps.compliance.protection.office365.us/powershell-liveid/", resource: "https://l5.ps.compliance.protection.office365.us" }, // [IPPS] reference
    },
  },
  china: {
    authorityHost: "https://login.partner.microsoftonline.cn", // [CSS]
    invokeCommand: { resource: "https://partner.outlook.cn", host: "https://partner.outlook.cn" }, // host: [EXO]; resource: inferred, [CSS] uses it
    adminApi: { resource: "https://outlook.office365.cn", host: "https://outlook.office365.cn" }, // host: [API]; resource: inferred from the host alone
    exchangeResource: "https://partner.outlook.cn",
    connectionUri: "https://partner.outlook.cn/PowerShell", // [EXO]
    exchangeEnvironmentName: "O365China", // [EXO]
    graphResource: "https://microsoftgraph.chinacloudapi.cn", // [GRAPH] [CSS]
    azureadEnvironment: "china", // [AZ]
    azureEnvironment: "china",
    keyVaultDnsSuffix: "vault.azure.cn", // [KV]
    compliance: {
      resource: "https://ps.compliance.protection.partner.outlook.cn",
      connectionUri: "https://ps.compliance.protection.partner.outlook.cn/powershell-liveid", // [IPPS]
      authorizationEndpoint: "https://login.chinacloudapi.cn/organizations", // [IPPS]
      disputed: undefined,
    },
  },
} as const;

/** The hosts of a table entry, in the shape of PINNED. */
function hostsOf(cloud: Cloud) {
  const { compliance: c } = cloud;
  return {
    authorityHost: cloud.authorityHost,
    invokeCommand: { resource: cloud.invokeCommand.resource, host: cloud.invokeCommand.host },
    adminApi: { resource: cloud.adminApi.resource, host: cloud.adminApi.host },
    exchangeResource: cloud.exchangeResource,
    connectionUri: cloud.connectionUri,
    exchangeEnvironmentName: cloud.exchangeEnvironmentName,
    graphResource: cloud.graphResource,
    azureadEnvironment: cloud.azureadEnvironment,
    azureEnvironment: cloud.azureEnvironment,
    keyVaultDnsSuffix: cloud.keyVaultDnsSuffix,
    compliance: {
      resource: c.resource,
      connectionUri: c.connectionUri,
      authorizationEndpoint: c.authorizationEndpoint,
      disputed: c.disputed ? { connectionUri: c.disputed.connectionUri, resource: c.disputed.resource } : undefined,
    },
  };
}

describe("the clouds, pinned", () => {
  test("the four clouds", () => {
    expect(CLOUD_NAMES).toEqual(["public", "usgovernment", "dod", "china"]);
  });

  test.each(CLOUD_NAMES)("%s: every Microsoft host, as pinned", (name) => {
    expect(hostsOf(CLOUDS[name])).toEqual(PINNED[name]);
  });

  test("the scopes the check asks for, per cloud and surface", () => {
    const scopes = Object.fromEntries(CLOUD_NAMES.map((n) => [n, [exchangeSurface(CLOUDS[n], "invoke-command"), exchangeSurface(CLOUDS[n], "admin-v2")].map((s) => exchangeScope(s.resource))]));
    expect(scopes).toEqual({
      public: ["https://outlook.office365.com/.default", "https://outlook.office365.com/.default"],
      usgovernment: ["https://outlook.office365.us/.default", "https://outlook.office365.us/.default"],
      dod: ["https://outlook-dod.office365.us/.default", "https://outlook-dod.office365.us/.default"],
      china: ["https://partner.outlook.cn/.default", "https://outlook.office365.cn/.default"],
    });
  });

  test("China's two surfaces take two audiences; every other cloud one", () => {
    expect(exchangeAudiences(CLOUDS.china)).toEqual(["https://partner.outlook.cn", "https://outlook.office365.cn"]);
    for (const name of ["public", "usgovernment", "dod"] as const) expect(exchangeAudiences(CLOUDS[name])).toHaveLength(1);
  });

  test("Exchange's known origins include Connect-ExchangeOnline's DoD host, so a token for another audience is never sent there", () => {
    expect([...KNOWN_EXCHANGE_ORIGINS].sort()).toEqual([
      "https://outlook-dod.office365.us",
      "https://outlook.office365.cn",
      "https://outlook.office365.com",
      "https://outlook.office365.us",
      "https://partner.outlook.cn",
      "https://webmail.apps.mil",
    ]);
  });
});

describe("documented or inferred: no inferred value is called documented", () => {
  const kinds = (cloud: Cloud) => ({
    invokeCommand: [cloud.invokeCommand.resourceSource.kind, cloud.invokeCommand.hostSource.kind],
    adminApi: [cloud.adminApi.resourceSource.kind, cloud.adminApi.hostSource.kind],
    compliance: [cloud.compliance.resourceSource.kind, cloud.compliance.connectionUriSource.kind],
  });

  test.each(CLOUD_NAMES)("%s: only the Admin API's host and S&C's connection URI are documented", (name) => {
    expect(kinds(CLOUDS[name])).toEqual({
      invokeCommand: ["inferred", "inferred"], // InvokeCommand's REST path is undocumented in every cloud
      adminApi: ["inferred", "documented"], // [API] gives the base, not the audience
      compliance: ["inferred", "documented"], // no page states an S&C audience
    });
  });

  test("each documented value names its Microsoft page; each inferred one says what it was inferred from", () => {
    expect(describeProvenance(CLOUDS.dod.adminApi.hostSource)).toMatch(/^documented: "Get started with the Exchange Online Admin API".*learn\.microsoft\.com\/exchange\/reference\/admin-api-get-started/);
    expect(describeProvenance(CLOUDS.dod.invokeCommand.resourceSource)).toMatch(/^inferred from .*CSS-Exchange/);
    expect(describeProvenance(CLOUDS.dod.invokeCommand.hostSource)).toContain("https://webmail.apps.mil");
    expect(describeProvenance(CLOUDS.china.adminApi.resourceSource)).toMatch(/^inferred from .*no Microsoft source names an audience for China's Admin API/);
    expect(describeProvenance(CLOUDS.china.invokeCommand.hostSource)).toContain("https://partner.outlook.cn/PowerShell");
  });

  test.each(CLOUD_NAMES)("%s: each surface's audience is its host (Exchange compares them)", (name) => {
    for (const surface of [CLOUDS[name].invokeCommand, CLOUDS[name].adminApi]) expect(surface.resource).toBe(surface.host);
  });
});
