/**
 * The sample PowerShell 7 runbook an Automation account gets: it connects with the account's managed identity and
 * runs the cheapest cmdlet every accepted role may run. Its connect line is the stack's `connectExchangeOnline`
 * output itself, so the runbook and the docs can never disagree on it.
 */
import { createHash } from "node:crypto";
import type { Cloud } from "../facts";
import { connectWithManagedIdentity } from "../outputs/connectCommands";

export const SAMPLE_RUNBOOK_NAME = "Get-ExchangeAcceptedDomain";

export interface SampleRunbookTarget {
  readonly organization: string;
  readonly cloud: Cloud;
  /** A user-assigned identity's client id; none for the Automation account's system-assigned identity. */
  readonly userAssignedClientId?: string;
}

/** The runbook's text: UTF-8, LF line ends (Automation keeps it as given). */
export function sampleRunbook(target: SampleRunbookTarget): string {
  const connect = connectWithManagedIdentity({ organization: target.organization, cloud: target.cloud }, target.userAssignedClientId);
  return [
    "<#",
    ".SYNOPSIS",
    `    Proves this Automation account's managed identity reaches Exchange Online app-only in ${target.organization}:`,
    "    connects with the identity (no secret, no certificate) and lists the accepted domains.",
    ".NOTES",
    "    Made by exchange-app-only (pulumi up); edits here are replaced on the next update. Runtime: PowerShell 7.2,",
    "    with the ExchangeOnlineManagement module the stack imports at its pinned version.",
    "#>",
    "$ErrorActionPreference = 'Stop'",
    `${connect} -ShowBanner:$false`,
    "try {",
    "    Get-AcceptedDomain | Select-Object DomainName, DomainType, Default | Format-Table -AutoSize | Out-String -Width 200",
    "}",
    "finally {",
    "    Disconnect-ExchangeOnline -Confirm:$false",
    "}",
    "",
  ].join("\n");
}

/** Automation's `contentHash`: SHA-256 of the published bytes, upper-case hex; Automation refuses content that differs. */
export function runbookContentHash(text: string): { readonly algorithm: "SHA256"; readonly value: string } {
  return { algorithm: "SHA256", value: createHash("sha256").update(text, "utf8").digest("hex").toUpperCase() };
}

/**
 * The storage account that hosts the runbook's text for Automation to fetch (azure-native takes a runbook's content
 * only from a URL). Storage account names are global, 3 to 24 lower-case letters and digits: derived from what makes
 * the Automation account unique, so the same stack always gets the same name and two stacks never share one.
 */
export function runbookStorageAccountName(seed: { readonly tenantId: string; readonly resourceGroup: string; readonly automationAccount: string; readonly subscriptionId?: string }): string {
  const digest = createHash("sha256")
    .update([seed.tenantId, seed.subscriptionId ?? "", seed.resourceGroup.toLowerCase(), seed.automationAccount.toLowerCase()].join("/"))
    .digest("hex");
  return `exorb${digest.slice(0, 19)}`;
}
