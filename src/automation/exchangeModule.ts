/**
 * The ExchangeOnlineManagement module an Automation account imports (`moduleVersion`), pinned by the stack. The
 * sample runbook connects with `Connect-ExchangeOnline -ManagedIdentity`, which the module has since its V3 release:
 * Microsoft's "Use Azure managed identities to connect to Exchange Online PowerShell"
 * (learn.microsoft.com/powershell/exchange/connect-exo-powershell-managed-identity) says managed identities connect
 * "using the Exchange Online PowerShell V3 module", and V3's first general release is 3.0.0 on the PowerShell Gallery.
 * An older version imports fine and fails only when the runbook runs, so the config refuses it.
 */

/** The first version whose Connect-ExchangeOnline takes -ManagedIdentity. */
export const MANAGED_IDENTITY_MIN_VERSION = "3.0.0";

/** A PowerShell Gallery version: three or four numbers, optionally a prerelease label (3.7.1, 3.2.0-Preview1). */
const VERSION = /^(\d+)\.(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.]+))?$/;

export interface ModuleVersion {
  readonly numbers: readonly number[];
  readonly prerelease?: string;
}

export function parseModuleVersion(value: string): ModuleVersion | undefined {
  const match = VERSION.exec(value);
  if (!match) return undefined;
  const numbers = match.slice(1, 5).map((n) => (n === undefined ? 0 : Number(n)));
  return match[5] === undefined ? { numbers } : { numbers, prerelease: match[5] };
}

/** Semantic order: numbers first; a prerelease comes before its release (3.0.0-Preview1 < 3.0.0). */
export function compareModuleVersions(a: ModuleVersion, b: ModuleVersion): number {
  for (let i = 0; i < 4; i++) {
    const diff = (a.numbers[i] ?? 0) - (b.numbers[i] ?? 0);
    if (diff !== 0) return diff;
  }
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === undefined) return 1;
  if (b.prerelease === undefined) return -1;
  return a.prerelease.localeCompare(b.prerelease);
}

/**
 * Why `value` cannot be the pinned module version, or undefined when it can. The fix names what to write: the gallery
 * takes exact versions only, and Automation imports exactly that one.
 */
export function moduleVersionProblem(value: string): string | undefined {
  const trimmed = value.trim();
  const find = "Find-Module ExchangeOnlineManagement shows the newest";
  if (/^(latest|newest|current|\*|)$/i.test(trimmed)) {
    return `must be an exact version of ExchangeOnlineManagement, for example 3.7.1: Automation imports exactly the version the stack pins, so an update is a change you review (${find})`;
  }
  const bare = trimmed.replace(/^v(?=\d)/i, "");
  const version = parseModuleVersion(bare);
  if (!version) {
    const partial = /^\d+(\.\d+)?$/.test(bare) ? ` with all three numbers (${bare}${bare.includes(".") ? ".0" : ".0.0"} if that is the version you mean)` : "";
    return `must be a version of ExchangeOnlineManagement as the PowerShell Gallery writes it, for example 3.7.1${partial} (${find})`;
  }
  if (bare !== trimmed) return `must be written without the "v": ${bare}`;
  if (compareModuleVersions(version, parseModuleVersion(MANAGED_IDENTITY_MIN_VERSION)!) < 0) {
    return (
      `is older than ${MANAGED_IDENTITY_MIN_VERSION}: a runbook in this Automation account signs in with its managed identity (Connect-ExchangeOnline -ManagedIdentity, as the ` +
      `sample runbook does), which ExchangeOnlineManagement has from ${MANAGED_IDENTITY_MIN_VERSION} (the V3 module) on, so it would fail when it runs. Pin ` +
      `${MANAGED_IDENTITY_MIN_VERSION} or later, for example 3.7.1 (${find})`
    );
  }
  return undefined;
}
