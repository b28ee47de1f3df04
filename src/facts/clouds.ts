/**
 * The Microsoft clouds: where to get a token, and for each Exchange surface (InvokeCommand, the Admin API, Security &
 * Compliance) which audience to ask for and which host to call.
 *
 * Exchange compares a token's `aud` with the host it is sent to (it answers "InvalidAudienceForResource: ... Audience
 * claim is X, request url is Y", github.com/microsoft/MHA/issues/142), so each surface pairs one audience with one
 * host, and the check asks for the token of the surface it then calls: two surfaces, two tokens where they differ.
 *
 * Every value says where it comes from (`Provenance`): "documented" only where a Microsoft page states that value for
 * that purpose; otherwise "inferred from ..." with the evidence. Microsoft documents the Admin API's hosts and
 * Connect-ExchangeOnline's `-ConnectionUri`, and no token audience for any Exchange surface outside the public cloud.
 * Where a value is inferred, `verify --exchange-resource` / `--exchange-endpoint` override it (docs/clouds.md, "Clouds").
 */

export const CLOUD_NAMES = ["public", "usgovernment", "dod", "china"] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

/** Where a value comes from: a Microsoft page that states it, or what it was inferred from when no page does. */
export type Provenance = { readonly kind: "documented"; readonly source: string } | { readonly kind: "inferred"; readonly from: string };

/** "documented: <page>" or "inferred from <evidence>", for comments, messages and the docs. */
export function describeProvenance(provenance: Provenance): string {
  return provenance.kind === "documented" ? `documented: ${provenance.source}` : `inferred from ${provenance.from}`;
}

const documented = (source: string): Provenance => ({ kind: "documented", source });
const inferred = (from: string): Provenance => ({ kind: "inferred", from });

/** The pages and scripts the values below cite. */
export const SOURCES = {
  connectExchangeOnline:
    "Connect-ExchangeOnline reference, -ConnectionUri (learn.microsoft.com/powershell/module/exchange/connect-exchangeonline)",
  adminApiGetStarted:
    "\"Get started with the Exchange Online Admin API\", Supported environments and base URLs (learn.microsoft.com/exchange/reference/admin-api-get-started)",
  cssExchange:
    "Microsoft's CSS-Exchange scripts (github.com/microsoft/CSS-Exchange: Shared/AzureFunctions/Get-CloudServiceEndpoint.ps1, used by Shared/EMailFunctions/Connect-EWSExchangeOnline.ps1 as the token scope `{endpoint}/.default` and the EWS host)",
  dodEndpoints:
    "\"Office 365 U.S. Government DoD endpoints\", Exchange Online (learn.microsoft.com/microsoft-365/enterprise/microsoft-365-u-s-government-dod-endpoints): outlook-dod.office365.us and webmail.apps.mil",
  connectIppsSession: "Connect-IPPSSession reference, -ConnectionUri and -AzureADAuthorizationEndpointUri (learn.microsoft.com/powershell/module/exchange/connect-ippssession)",
  appOnlyArticle: "\"App-only authentication for unattended scripts in Exchange Online PowerShell and Security & Compliance PowerShell\" (learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2)",
} as const;

/**
 * One Exchange Online REST surface in one cloud: the audience a token for it must carry and the host (an origin) the
 * calls go to, each with where it comes from. The scope asked for is `resource` plus `/.default`.
 */
export interface ExchangeSurfaceEndpoint {
  /** Token resource (audience), with scheme and no trailing slash. */
  readonly resource: string;
  /** Where the calls go: an origin, with scheme and no trailing slash. */
  readonly host: string;
  readonly resourceSource: Provenance;
  readonly hostSource: Provenance;
}

/**
 * Security & Compliance PowerShell (`Connect-IPPSSession`) in one cloud, app-only. No Microsoft page states a token
 * audience for it in any cloud: each `resource` is inferred from the connection URI's host (FACTS.md, December 2026).
 */
export interface ComplianceEndpoint {
  /** Token resource (audience); the scope is this plus `/.default`. */
  readonly resource: string;
  readonly resourceSource: Provenance;
  /** `Connect-IPPSSession -ConnectionUri`. */
  readonly connectionUri: string;
  readonly connectionUriSource: Provenance;
  /** `Connect-IPPSSession -AzureADAuthorizationEndpointUri`. */
  readonly authorizationEndpoint: string;
  /** False in the public cloud, where both URIs are the module's defaults and the connect line leaves them out. */
  readonly explicitInConnectLine: boolean;
  /**
   * GCC High and DoD: Microsoft's manifest note (app-only article) lists Microsoft Exchange Online Protection's
   * `Exchange.ManageAsApp` for apps that use Security & Compliance PowerShell there; the stack grants it as well as
   * Exchange Online's (components/exchangeAccessGrant.ts says why).
   */
  readonly needsExchangeOnlineProtection: boolean;
  /** Where Microsoft's docs disagree (DoD): the other documented endpoint and a note saying where each comes from. */
  readonly disputed?: { readonly connectionUri: string; readonly resource: string; readonly note: string };
}

export interface Cloud {
  readonly name: CloudName;
  /** Human name, used in messages. */
  readonly label: string;
  /** Entra ID authority host, with scheme and no trailing slash (Microsoft Graph's "National cloud deployments" page). */
  readonly authorityHost: string;
  /**
   * InvokeCommand: `POST {host}/adminapi/beta/{tenant}/InvokeCommand`, the REST endpoint the ExchangeOnlineManagement
   * module (3.x) and Exchange RBAC use. The path is undocumented (FACTS.md); so are its sovereign audiences.
   */
  readonly invokeCommand: ExchangeSurfaceEndpoint;
  /** The Exchange Online Admin API (preview): `POST {host}/adminapi/v2.0/{tenant}/{Endpoint}`. */
  readonly adminApi: ExchangeSurfaceEndpoint;
  /**
   * InvokeCommand's token resource (`invokeCommand.resource`): the stack's `exchangeResource` output, the admin-consent
   * link's scope and the deploying identity's Exchange token.
   */
  readonly exchangeResource: string;
  /** Connect-ExchangeOnline's `-ConnectionUri` for this cloud (documented; the module picks it from `exchangeEnvironmentName`). */
  readonly connectionUri: string;
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
}

/** A cloud's entry; `exchangeResource` is InvokeCommand's resource, never typed twice. */
function cloud(entry: Omit<Cloud, "exchangeResource">): Cloud {
  return { ...entry, exchangeResource: entry.invokeCommand.resource };
}

/** Exchange compares aud with the host it is sent to: a surface whose host is its resource cannot disagree. */
const AUDIENCE_IS_THE_HOST = "the host it is sent to (Exchange compares a token's aud with the request's host)";

/** Security & Compliance audiences: stated by no Microsoft page, in any cloud (FACTS.md, December 2026). */
const COMPLIANCE_AUDIENCE = inferred(
  "the connection URI's host (no Microsoft page states a Security & Compliance token audience; the module asks for its connection host)",
);

export const CLOUDS: Readonly<Record<CloudName, Cloud>> = {
  public: cloud({
    name: "public",
    label: "Microsoft 365 public cloud (and GCC)",
    authorityHost: "https://login.microsoftonline.com",
    invokeCommand: {
      resource: "https://outlook.office365.com",
      host: "https://outlook.office365.com",
      resourceSource: inferred(
        `${AUDIENCE_IS_THE_HOST}; the audience of Connect-ExchangeOnline's own app-only tokens (observed, FACTS.md "The token that works") and the scope Microsoft's EWS OAuth article gives for app-only EWS on the same host`,
      ),
      hostSource: inferred(`Connect-ExchangeOnline's documented -ConnectionUri host, https://outlook.office365.com/powershell-liveid/ (${SOURCES.connectExchangeOnline})`),
    },
    adminApi: {
      resource: "https://outlook.office365.com",
      host: "https://outlook.office365.com",
      resourceSource: inferred(`${AUDIENCE_IS_THE_HOST}; the same as InvokeCommand's on the same host`),
      hostSource: documented(SOURCES.adminApiGetStarted),
    },
    connectionUri: "https://outlook.office365.com/powershell-liveid/",
    graphResource: "https://graph.microsoft.com",
    azureadEnvironment: "public",
    azureEnvironment: "public",
    keyVaultDnsSuffix: "vault.azure.net",
    initialDomainSuffixes: [".onmicrosoft.com"],
    compliance: {
      resource: "https://ps.compliance.protection.outlook.com",
      resourceSource: COMPLIANCE_AUDIENCE,
      connectionUri: "https://ps.compliance.protection.outlook.com/powershell-liveid/",
      connectionUriSource: documented(SOURCES.connectIppsSession),
      authorizationEndpoint: "https://login.microsoftonline.com/organizations",
      explicitInConnectLine: false,
      needsExchangeOnlineProtection: false,
    },
  }),
  usgovernment: cloud({
    name: "usgovernment",
    label: "Microsoft 365 GCC High",
    authorityHost: "https://login.microsoftonline.us",
    invokeCommand: {
      resource: "https://outlook.office365.us",
      host: "https://outlook.office365.us",
      resourceSource: inferred(`${AUDIENCE_IS_THE_HOST}; CSS-Exchange uses it as GCC High's Exchange token resource (${SOURCES.cssExchange})`),
      hostSource: inferred(`Connect-ExchangeOnline's documented -ConnectionUri host, https://outlook.office365.us/powershell-liveID (${SOURCES.connectExchangeOnline})`),
    },
    adminApi: {
      resource: "https://outlook.office365.us",
      host: "https://outlook.office365.us",
      resourceSource: inferred(`${AUDIENCE_IS_THE_HOST}; the same as InvokeCommand's on the same host`),
      hostSource: documented(SOURCES.adminApiGetStarted),
    },
    connectionUri: "https://outlook.office365.us/powershell-liveID",
    graphResource: "https://graph.microsoft.us",
    exchangeEnvironmentName: "O365USGovGCCHigh",
    azureadEnvironment: "usgovernment",
    azureEnvironment: "usgovernment",
    keyVaultDnsSuffix: "vault.usgovcloudapi.net",
    initialDomainSuffixes: [".onmicrosoft.us", ".onmicrosoft.com"],
    compliance: {
      resource: "https://ps.compliance.protection.office365.us",
      resourceSource: COMPLIANCE_AUDIENCE,
      connectionUri: "https://ps.compliance.protection.office365.us/powershell-liveid/",
      connectionUriSource: documented(`${SOURCES.connectIppsSession}; ${SOURCES.appOnlyArticle}`),
      authorizationEndpoint: "https://login.microsoftonline.us/organizations",
      explicitInConnectLine: true,
      needsExchangeOnlineProtection: true,
    },
  }),
  dod: cloud({
    name: "dod",
    label: "Microsoft 365 DoD",
    authorityHost: "https://login.microsoftonline.us",
    // Not webmail.apps.mil, Connect-ExchangeOnline's -ConnectionUri host: the Admin API's documented DoD base, the
    // token resource Microsoft's own scripts use and DoD's Exchange Online endpoint list all name outlook-dod, and in
    // the clouds where both are known InvokeCommand and the Admin API share one host. If a tenant answers on
    // webmail.apps.mil instead: verify --exchange-resource https://webmail.apps.mil (the probe follows it).
    invokeCommand: {
      resource: "https://outlook-dod.office365.us",
      host: "https://outlook-dod.office365.us",
      resourceSource: inferred(`${AUDIENCE_IS_THE_HOST}; CSS-Exchange uses it as DoD's Exchange token resource (${SOURCES.cssExchange})`),
      hostSource: inferred(
        `the Admin API's documented DoD base (public and GCC High serve InvokeCommand and the Admin API on one host) and ${SOURCES.dodEndpoints}; Connect-ExchangeOnline's documented -ConnectionUri host is https://webmail.apps.mil`,
      ),
    },
    adminApi: {
      resource: "https://outlook-dod.office365.us",
      host: "https://outlook-dod.office365.us",
      resourceSource: inferred(`${AUDIENCE_IS_THE_HOST}; CSS-Exchange uses it as DoD's Exchange token resource (${SOURCES.cssExchange})`),
      hostSource: documented(SOURCES.adminApiGetStarted),
    },
    connectionUri: "https://webmail.apps.mil/powershell-liveID",
    graphResource: "https://dod-graph.microsoft.us",
    exchangeEnvironmentName: "O365USGovDoD",
    azureadEnvironment: "dod",
    azureEnvironment: "usgovernment",
    keyVaultDnsSuffix: "vault.usgovcloudapi.net",
    initialDomainSuffixes: [".onmicrosoft.us", ".onmicrosoft.com"],
    compliance: {
      resource: "https://compliance.dod.microsoft.com",
      resourceSource: COMPLIANCE_AUDIENCE,
      connectionUri: "https://compliance.dod.microsoft.com/powershell-liveid",
      connectionUriSource: documented(SOURCES.appOnlyArticle),
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
  }),
  china: cloud({
    name: "china",
    label: "Microsoft 365 operated by 21Vianet",
    authorityHost: "https://login.partner.microsoftonline.cn",
    invokeCommand: {
      resource: "https://partner.outlook.cn",
      host: "https://partner.outlook.cn",
      resourceSource: inferred(`${AUDIENCE_IS_THE_HOST}; CSS-Exchange uses it as China's Exchange token resource (${SOURCES.cssExchange})`),
      hostSource: inferred(`Connect-ExchangeOnline's documented -ConnectionUri host, https://partner.outlook.cn/PowerShell (${SOURCES.connectExchangeOnline})`),
    },
    // Another host than InvokeCommand's, so another token: no Microsoft source names this audience, and none says
    // that a partner.outlook.cn token works here. Override with verify --exchange-resource if Exchange refuses it.
    adminApi: {
      resource: "https://outlook.office365.cn",
      host: "https://outlook.office365.cn",
      resourceSource: inferred(`${AUDIENCE_IS_THE_HOST} only: no Microsoft source names an audience for China's Admin API`),
      hostSource: documented(SOURCES.adminApiGetStarted),
    },
    connectionUri: "https://partner.outlook.cn/PowerShell",
    graphResource: "https://microsoftgraph.chinacloudapi.cn",
    exchangeEnvironmentName: "O365China",
    azureadEnvironment: "china",
    azureEnvironment: "china",
    keyVaultDnsSuffix: "vault.azure.cn",
    initialDomainSuffixes: [".partner.onmschina.cn", ".onmschina.cn"],
    compliance: {
      resource: "https://ps.compliance.protection.partner.outlook.cn",
      resourceSource: COMPLIANCE_AUDIENCE,
      connectionUri: "https://ps.compliance.protection.partner.outlook.cn/powershell-liveid",
      connectionUriSource: documented(`${SOURCES.connectIppsSession}; ${SOURCES.appOnlyArticle}`),
      authorizationEndpoint: "https://login.chinacloudapi.cn/organizations",
      explicitInConnectLine: true,
      needsExchangeOnlineProtection: false,
    },
  }),
};

export const DEFAULT_CLOUD: CloudName = "public";

export function isCloudName(value: string): value is CloudName {
  return (CLOUD_NAMES as readonly string[]).includes(value);
}

/** The scope a client-credentials request for Exchange Online must use. */
export function exchangeScope(exchangeResource: string): string {
  return `${exchangeResource.replace(/\/+$/, "")}/.default`;
}

/** The Admin API (preview) URL of one endpoint (`AcceptedDomain`, `Mailbox`, ...) for a tenant, on a cloud's host or an override. */
export function adminApiUrl(adminApiBase: string, tenantId: string, endpoint: string): string {
  return `${adminApiBase.replace(/\/+$/, "")}/adminapi/v2.0/${encodeURIComponent(tenantId)}/${encodeURIComponent(endpoint)}`;
}

/** Exchange Online's `InvokeCommand` URL for a tenant, on a cloud's InvokeCommand host or an override. */
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

/** The Exchange Online surfaces the check can probe: InvokeCommand (what Connect-ExchangeOnline uses) and the Admin API. */
export type ExchangeApi = "invoke-command" | "admin-v2";

/** The surface of `api` in `cloud`: the audience to ask for and the host to call. */
export function exchangeSurface(cloud: Cloud, api: ExchangeApi): ExchangeSurfaceEndpoint {
  return api === "admin-v2" ? cloud.adminApi : cloud.invokeCommand;
}

/** The Exchange Online audiences of a cloud, InvokeCommand's first (one entry where both surfaces share it). */
export function exchangeAudiences(cloud: Cloud): readonly string[] {
  return [...new Set([cloud.invokeCommand.resource, cloud.adminApi.resource])];
}

/**
 * Every origin Microsoft's Exchange Online answers on in any cloud, as far as the facts know: the surfaces' hosts and
 * audiences and Connect-ExchangeOnline's connection hosts. The check refuses to send a token to one of them whose
 * audience is another (Exchange would refuse it); any other host (a test tenant, a proxy) is the user's choice.
 */
export const KNOWN_EXCHANGE_ORIGINS: ReadonlySet<string> = new Set(
  Object.values(CLOUDS).flatMap((c) => [c.invokeCommand.host, c.invokeCommand.resource, c.adminApi.host, c.adminApi.resource, new URL(c.connectionUri).origin]),
);
