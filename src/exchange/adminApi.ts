/**
 * The Exchange Online Admin API (REST, preview since November 2025): one endpoint per cmdlet family, named by the
 * cmdlet's noun (Microsoft's endpoint reference). The cmdlet a probe names picks its endpoint.
 */
export const ADMIN_API_ENDPOINTS = ["AcceptedDomain", "DistributionGroupMember", "DynamicDistributionGroupMember", "Mailbox", "MailboxFolderPermission", "OrganizationConfig"] as const;
export type AdminApiEndpoint = (typeof ADMIN_API_ENDPOINTS)[number];

/** `Get-AcceptedDomain` → `AcceptedDomain`; undefined for a cmdlet no endpoint takes. */
export function adminApiEndpointFor(cmdlet: string): AdminApiEndpoint | undefined {
  const noun = /^[A-Za-z]+-([A-Za-z]+)$/.exec(cmdlet)?.[1];
  return noun ? ADMIN_API_ENDPOINTS.find((e) => e.toLowerCase() === noun.toLowerCase()) : undefined;
}
