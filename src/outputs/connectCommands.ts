/**
 * Ready-to-paste `Connect-ExchangeOnline` lines (ExchangeOnlineManagement 3.x), one a credential kind.
 * Pure: the stack applies them to its outputs; the docs show the same lines.
 */
import type { Cloud } from "../facts";

export interface ConnectTarget {
  readonly clientId: string;
  readonly organization: string;
  readonly cloud: Cloud;
}

/** ` -ExchangeEnvironmentName …` for a sovereign cloud; nothing for the public one (the default). */
function environmentFlag(cloud: Cloud): string {
  return cloud.exchangeEnvironmentName ? ` -ExchangeEnvironmentName ${cloud.exchangeEnvironmentName}` : "";
}

function connect(target: ConnectTarget, credential: string): string {
  return `Connect-ExchangeOnline -AppId ${target.clientId} ${credential} -Organization ${target.organization}${environmentFlag(target.cloud)}`;
}

/** For a certificate installed in the Windows certificate store (CurrentUser\My or LocalMachine\My). */
export function connectWithThumbprint(target: ConnectTarget, thumbprint: string): string {
  return connect(target, `-CertificateThumbprint ${thumbprint}`);
}

/** For a PFX on disk, for example the stack's `certificatePfxBase64` output decoded to `exchange-app-only.pfx`. */
export function connectWithCertificateFile(target: ConnectTarget, pfxPath = "./exchange-app-only.pfx"): string {
  return connect(target, `-CertificateFilePath ${pfxPath}`);
}

/** For an access token acquired elsewhere (a secret, a federated credential or a managed identity). */
export function connectWithAccessToken(target: ConnectTarget): string {
  return connect(target, "-AccessToken $token");
}

/**
 * For a managed identity (an Azure VM, an Automation runbook): `-ManagedIdentityAccountId` takes a user-assigned
 * identity's client id; a system-assigned identity needs none.
 */
export function connectWithManagedIdentity(target: Omit<ConnectTarget, "clientId">, userAssignedClientId?: string): string {
  const account = userAssignedClientId ? ` -ManagedIdentityAccountId ${userAssignedClientId}` : "";
  return `Connect-ExchangeOnline -ManagedIdentity -Organization ${target.organization}${account}${environmentFlag(target.cloud)}`;
}

/**
 * `Connect-IPPSSession` (Security & Compliance PowerShell) takes the initial domain as `-Organization` (never the
 * tenant id) and, outside the public cloud, its cloud's `-ConnectionUri` and `-AzureADAuthorizationEndpointUri`.
 */
function connectCompliance(target: ConnectTarget, credential: string, connectionUri: string): string {
  const endpoint = target.cloud.compliance;
  const uris = endpoint.explicitInConnectLine ? ` -ConnectionUri ${connectionUri} -AzureADAuthorizationEndpointUri ${endpoint.authorizationEndpoint}` : "";
  return `Connect-IPPSSession -AppId ${target.clientId} ${credential} -Organization ${target.organization}${uris}`;
}

export interface ComplianceConnectLines {
  readonly certificateThumbprint?: string;
  readonly certificateFile?: string;
  readonly accessToken: string;
}

/** The lines for one connection URI, one a credential kind the stack has. */
function complianceLines(target: ConnectTarget, credentials: { thumbprint?: string; pfx: boolean }, connectionUri: string): ComplianceConnectLines {
  return {
    ...(credentials.thumbprint ? { certificateThumbprint: connectCompliance(target, `-CertificateThumbprint ${credentials.thumbprint}`, connectionUri) } : {}),
    ...(credentials.pfx ? { certificateFile: connectCompliance(target, "-CertificateFilePath ./exchange-app-only.pfx", connectionUri) } : {}),
    accessToken: connectCompliance(target, "-AccessToken $token", connectionUri),
  };
}

/**
 * The Connect-IPPSSession lines of a tenant. Where Microsoft's docs disagree on the cloud's URI (DoD), `docsDisagree`
 * says so and `alternative` holds the same lines with the other documented URI.
 */
export function connectIPPSSessionLines(
  target: ConnectTarget,
  credentials: { thumbprint?: string; pfx: boolean },
): ComplianceConnectLines & { readonly docsDisagree?: string; readonly alternative?: ComplianceConnectLines } {
  const endpoint = target.cloud.compliance;
  const lines = complianceLines(target, credentials, endpoint.connectionUri);
  if (!endpoint.disputed) return lines;
  return { ...lines, docsDisagree: endpoint.disputed.note, alternative: complianceLines(target, credentials, endpoint.disputed.connectionUri) };
}
