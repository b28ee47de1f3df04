/**
 * Facts written out as literals, each with its source, for tests that must not read the table the code reads: a
 * wrong entry in src/facts then fails test/facts/*.test.ts instead of passing both. A change here is deliberate.
 */

/**
 * The directory roles Exchange Online accepts for app-only access, and where each works. Template ids: Microsoft
 * Entra built-in roles reference (learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference).
 * Accepted roles and the Security & Compliance column: Microsoft's app-only article ("App-only authentication for
 * unattended scripts in Exchange Online PowerShell and Security & Compliance PowerShell", Step 5), FACTS.md's tables.
 */
export const PINNED_ROLES = [
  { name: "Exchange Administrator", templateId: "29232cdf-9323-42fd-ade2-1d097af3e4de", workloads: ["exchange"] },
  { name: "Exchange Recipient Administrator", templateId: "31392ffb-586c-42d1-9346-e59415a2cc4e", workloads: ["exchange"] },
  { name: "Global Reader", templateId: "f2ef992c-3afb-46b9-b7cf-a126ee74c451", workloads: ["exchange", "compliance"] },
  { name: "Security Reader", templateId: "5d6b6bb7-de71-4623-b4af-96380a352509", workloads: ["exchange", "compliance"] },
  { name: "Security Administrator", templateId: "194ae4cb-b126-40b2-bd5b-6091b380977d", workloads: ["exchange", "compliance"] },
  { name: "Compliance Administrator", templateId: "17315797-102d-40b4-93e0-432062caca18", workloads: ["exchange", "compliance"] },
  { name: "Helpdesk Administrator", templateId: "729827e3-9c14-49f7-bb1b-9608f156bbb8", workloads: ["exchange"] },
  // Accepted by Exchange, never granted without allowGlobalAdministrator (the project's rule, not Microsoft's).
  { name: "Global Administrator", templateId: "62e90394-69f5-4237-9190-012177145e10", workloads: ["exchange", "compliance"], requiresOptIn: true },
] as const;
