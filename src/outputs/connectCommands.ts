/**
 * Ready-to-paste `Connect-ExchangeOnline` lines (ExchangeOnlineManagement 3.x), one a credential kind.
 * Pure: the stack applies them to its outputs; the README shows the same lines.
 */
import type { Cloud } from "../facts";

export interface ConnectTarget {
  readonly clientId: string;
  readonly organization: string;
  readonly cloud: Cloud;
}

function connect(target: ConnectTarget, credential: string): string {
  const environment = target.cloud.exchangeEnvironmentName ? ` -ExchangeEnvironmentName ${target.cloud.exchangeEnvironmentName}` : "";
  return `Connect-ExchangeOnline -AppId ${target.clientId} ${credential} -Organization ${target.organization}${environment}`;
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
