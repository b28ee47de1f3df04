/**
 * The Exchange Online Admin API (REST, preview since November 2025): one endpoint per cmdlet family, named by the
 * cmdlet's noun (Microsoft's endpoint reference, learn.microsoft.com/exchange/reference/admin-api-endpoints-reference).
 * The cmdlet a probe names picks its endpoint.
 */
export const ADMIN_API_ENDPOINTS = ["AcceptedDomain", "DistributionGroupMember", "DynamicDistributionGroupMember", "Mailbox", "MailboxFolderPermission", "OrganizationConfig"] as const;
export type AdminApiEndpoint = (typeof ADMIN_API_ENDPOINTS)[number];

/** `Get-AcceptedDomain` → `AcceptedDomain`; undefined for a cmdlet no endpoint takes. */
export function adminApiEndpointFor(cmdlet: string): AdminApiEndpoint | undefined {
  const noun = /^[A-Za-z]+-([A-Za-z]+)$/.exec(cmdlet)?.[1];
  return noun ? ADMIN_API_ENDPOINTS.find((e) => e.toLowerCase() === noun.toLowerCase()) : undefined;
}

/**
 * The built-in Exchange role group whose roles suffice for each endpoint, the Admin API's own answer to "which RBAC
 * does the caller need" ("Authentication and authorization for the Exchange Online Admin API", Step 3: Assign RBAC
 * permissions, learn.microsoft.com/exchange/reference/admin-api-authentication; FACTS.md, December 2026): View-Only
 * Organization Management for the organization's settings, Recipient Management for recipients and their folders.
 */
export const ADMIN_API_ROLE_GROUPS: Readonly<Record<AdminApiEndpoint, string>> = {
  AcceptedDomain: "View-Only Organization Management",
  OrganizationConfig: "View-Only Organization Management",
  Mailbox: "Recipient Management",
  MailboxFolderPermission: "Recipient Management",
  DistributionGroupMember: "Recipient Management",
  DynamicDistributionGroupMember: "Recipient Management",
};
