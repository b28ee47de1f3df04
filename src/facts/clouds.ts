/**
 * The Microsoft clouds: where to get a token and which Exchange Online resource to ask it for.
 * Exchange's REST endpoint lives on the resource host (`{exchangeResource}/adminapi/beta/{tenant}/InvokeCommand`).
 */

export const CLOUD_NAMES = ["public", "usgovernment", "dod", "china"] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

/**
 * Security & Compliance PowerShell (`Connect-IPPSSession`) in one cloud, app-only. The sovereign token resources are
 * the connection URI's host (the module asks for that audience); only the public one is stated in Microsoft's docs.
 */
export interface ComplianceEndpoint {
  /** Token resource (audience); the scope is this plus `/.default`. */
  readonly resource: string;
  /** `Connect-IPPSSession -ConnectionUri`. */
  readonly connectionUri: string;
  /** `Connect-IPPSSession -AzureADAuthorizationEndpointUri`. */
  readonly authorizationEndpoint: string;
  /** False in the public cloud, where both URIs are the module's defaults and the connect line leaves them out. */
  readonly explicitInConnectLine: boolean;
  /** GCC High and DoD: the app also needs `Exchange.ManageAsApp` from Microsoft Exchange Online Protection. */
  readonly needsExchangeOnlineProtection: boolean;
  /** Where Microsoft's docs disagree (DoD): the other documented endpoint and a note saying where each comes from. */
  readonly disputed?: { readonly connectionUri: string; readonly resource: string; readonly note: string };
}

export interface Cloud {
  readonly name: CloudName;
  /** Human name, used in messages. */
  readonly label: string;
  /** Entra ID authority host, with scheme and no trailing slash. */
  readonly authorityHost: string;
  /** Exchange Online resource (token audience); the token scope is this plus `/.default`. */
  readonly exchangeResource: string;
  /** Microsoft Graph's resource in this cloud: a token for it is the classic mistake when calling Exchange. */
  readonly graphResource: string;
  /** `Connect-ExchangeOnline -ExchangeEnvironmentName`; absent for the public cloud (the default). */
  readonly exchangeEnvironmentName?: string;
  /** The `azuread` provider's `environment` value for this cloud. */
  readonly azureadEnvironment: string;
  /**
   * The Azure cloud of the cloud's Azure resources (managed identities, Automation, Key Vault): the `azure-native`
   * provider's `environment`. DoD tenants use Azure Government too.
   */
  readonly azureEnvironment: "public" | "usgovernment" | "china";
  /** Key Vault's DNS suffix in that Azure cloud: a vault is `https://{name}.{suffix}`, its token resource `https://{suffix}`. */
  readonly keyVaultDnsSuffix: string;
  /** Suffixes of the tenant's initial domain, the `-Organization` Connect-ExchangeOnline wants. */
  readonly initialDomainSuffixes: readonly string[];
  /** Security & Compliance PowerShell's endpoints in this cloud. */
  readonly compliance: ComplianceEndpoint;
  /** The Exchange Online Admin API's (preview) base: `{base}/adminapi/v2.0/{tenant}/{Endpoint}`. */
  readonly adminApiBase: string;
}

export const CLOUDS: Readonly<Record<CloudName, Cloud>> = {
  public: {
    name: "public",
    label: "Microsoft 365 public cloud (and GCC)",
    authorityHost: "https://login.microsoftonline.com",
    exchangeResource: "https://outlook.office365.com",
    graphResource: "https://graph.microsoft.com",
    azureadEnvironment: "public",
    azureEnvironment: "public",
    keyVaultDnsSuffix: "vault.azure.net",
    initialDomainSuffixes: [".onmicrosoft.com"],
    compliance: {
      resource: "https://ps.compliance.protection.outlook.com",
      connectionUri: "https://ps.compliance.protection.outlook.com/powershell-liveid/",
      authorizationEndpoint: "https://login.microsoftonline.com/organizations",
      explicitInConnectLine: false,
      needsExchangeOnlineProtection: false,
    },
    adminApiBase: "https://outlook.office365.com",
  },
  usgovernment: {
    name: "usgovernment",
    label: "Microsoft 365 GCC High",
    authorityHost: "https://login.microsoftonline.us",
    exchangeResource: "https://outlook.office365.us",
    graphResource: "https://graph.microsoft.us",
    exchangeEnvironmentName: "O365USGovGCCHigh",
    azureadEnvironment: "usgovernment",
    azureEnvironment: "usgovernment",
    keyVaultDnsSuffix: "vault.usgovcloudapi.net",
    initialDomainSuffixes: [".onmicrosoft.us", ".onmicrosoft.com"],
    compliance: {
      resource: "https://ps.compliance.protection.office365.us",
      connectionUri: "https://ps.compliance.protection.office365.us/powershell-liveid/",
      authorizationEndpoint: "https://login.microsoftonline.us/organizations",
      explicitInConnectLine: true,
      needsExchangeOnlineProtection: true,
    },
    adminApiBase: "https://outlook.office365.us",
  },
  dod: {
    name: "dod",
    label: "Microsoft 365 DoD",
    authorityHost: "https://login.microsoftonline.us",
    exchangeResource: "https://webmail.apps.mil",
    graphResource: "https://dod-graph.microsoft.us",
    exchangeEnvironmentName: "O365USGovDoD",
    azureadEnvironment: "dod",
    azureEnvironment: "usgovernment",
    keyVaultDnsSuffix: "vault.usgovcloudapi.net",
    initialDomainSuffixes: [".onmicrosoft.us", ".onmicrosoft.com"],
    compliance: {
      resource: "https://compliance.dod.microsoft.com",
      connectionUri: "https://compliance.dod.microsoft.com/powershell-liveid",
      authorizationEndpoint: "https://login.microsoftonline.us/organizations",
      explicitInConnectLine: true,
      needsExchangeOnlineProtection: true,
      disputed: {
        connectionUri: "https://l5.ps.compliance.protection.office365.us/powershell-liveid/",
        resource: "https://l5.ps.compliance.protection.office365.us",
        note:
          "Microsoft's docs disagree on DoD's Security & Compliance URI: the app-only article gives " +
          "https://compliance.dod.microsoft.com/powershell-liveid, the Connect-IPPSSession reference " +
          "https://l5.ps.compliance.protection.office365.us/powershell-liveid/. Try the first; if it fails, the second.",
      },
    },
    adminApiBase: "https://outlook-dod.office365.us",
  },
  china: {
    name: "china",
    label: "Microsoft 365 operated by 21Vianet",
    authorityHost: "https://login.partner.microsoftonline.cn",
    exchangeResource: "https://partner.outlook.cn",
    graphResource: "https://microsoftgraph.chinacloudapi.cn",
    exchangeEnvironmentName: "O365China",
    azureadEnvironment: "china",
    azureEnvironment: "china",
    keyVaultDnsSuffix: "vault.azure.cn",
    initialDomainSuffixes: [".partner.onmschina.cn", ".onmschina.cn"],
    compliance: {
      resource: "https://ps.compliance.protection.partner.outlook.cn",
      connectionUri: "https://ps.compliance.protection.partner.outlook.cn/powershell-liveid",
      authorizationEndpoint: "https://login.chinacloudapi.cn/organizations",
      explicitInConnectLine: true,
      needsExchangeOnlineProtection: false,
    },
    adminApiBase: "https://outlook.office365.cn",
  },
};

export const DEFAULT_CLOUD: CloudName = "public";

export function isCloudName(value: string): value is CloudName {
  return (CLOUD_NAMES as readonly string[]).includes(value);
}

/** The scope a client-credentials request for Exchange Online must use. */
export function exchangeScope(exchangeResource: string): string {
  return `${exchangeResource.replace(/\/+$/, "")}/.default`;
}

/** The Admin API (preview) URL of one endpoint (`AcceptedDomain`, `Mailbox`, ...) for a tenant, on a base or an override. */
export function adminApiUrl(adminApiBase: string, tenantId: string, endpoint: string): string {
  return `${adminApiBase.replace(/\/+$/, "")}/adminapi/v2.0/${encodeURIComponent(tenantId)}/${encodeURIComponent(endpoint)}`;
}

/** Exchange Online's `InvokeCommand` URL for a tenant, on a cloud's resource host or an override. */
export function invokeCommandUrl(exchangeEndpoint: string, tenantId: string): string {
  return `${exchangeEndpoint.replace(/\/+$/, "")}/adminapi/beta/${encodeURIComponent(tenantId)}/InvokeCommand`;
}

/**
 * True when the login host is one of the Microsoft clouds' (MSAL and @azure/identity know those). Any other host (a
 * test tenant) must be declared to them and gets no instance discovery, which would ask login.microsoftonline.com.
 */
export function isMicrosoftAuthorityHost(authorityHost: string): boolean {
  const host = new URL(authorityHost).host;
  return Object.values(CLOUDS).some((c) => new URL(c.authorityHost).host === host);
}
