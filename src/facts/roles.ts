/**
 * The directory roles Exchange Online accepts for app-only access. Any other role makes Exchange answer
 * "The role assigned to application ... isn't supported in this scenario". The program, the config schema,
 * the check and the policy pack all read this one table.
 */

/**
 * The PowerShell surfaces an app can be for: Exchange Online (Connect-ExchangeOnline) and Security & Compliance
 * (Connect-IPPSSession). Both take the same `Exchange.ManageAsApp` permission; fewer directory roles work for the second.
 */
export const WORKLOADS = ["exchange", "compliance"] as const;
export type Workload = (typeof WORKLOADS)[number];
export const DEFAULT_WORKLOADS: readonly Workload[] = ["exchange"];

export function isWorkload(value: string): value is Workload {
  return (WORKLOADS as readonly string[]).includes(value);
}

export interface ExchangeRole {
  /** Display name, as the Entra portal shows it. */
  readonly name: string;
  /** Role template id: the same in every tenant; `DirectoryRoleAssignment.roleId` takes it. */
  readonly templateId: string;
  /** What the role lets the app do in Exchange Online. */
  readonly covers: string;
  /** The workloads the role works for app-only (Microsoft's app-only article: fewer roles work in Security & Compliance). */
  readonly workloads: readonly Workload[];
  /** True for roles no stack gets without an explicit opt-in. */
  readonly requiresOptIn?: boolean;
}

export const EXCHANGE_ROLES: readonly ExchangeRole[] = [
  { name: "Exchange Administrator", templateId: "29232cdf-9323-42fd-ade2-1d097af3e4de", covers: "every Exchange Online cmdlet", workloads: ["exchange"] },
  { name: "Exchange Recipient Administrator", templateId: "31392ffb-586c-42d1-9346-e59415a2cc4e", covers: "recipients (mailboxes, contacts, groups)", workloads: ["exchange"] },
  { name: "Global Reader", templateId: "f2ef992c-3afb-46b9-b7cf-a126ee74c451", covers: "read-only cmdlets", workloads: ["exchange", "compliance"] },
  { name: "Security Reader", templateId: "5d6b6bb7-de71-4623-b4af-96380a352509", covers: "security read cmdlets", workloads: ["exchange", "compliance"] },
  { name: "Security Administrator", templateId: "194ae4cb-b126-40b2-bd5b-6091b380977d", covers: "security cmdlets", workloads: ["exchange", "compliance"] },
  { name: "Compliance Administrator", templateId: "17315797-102d-40b4-93e0-432062caca18", covers: "compliance cmdlets", workloads: ["exchange", "compliance"] },
  { name: "Helpdesk Administrator", templateId: "729827e3-9c14-49f7-bb1b-9608f156bbb8", covers: "helpdesk cmdlets", workloads: ["exchange"] },
  { name: "Global Administrator", templateId: "62e90394-69f5-4237-9190-012177145e10", covers: "everything in the tenant", workloads: ["exchange", "compliance"], requiresOptIn: true },
];

export const DEFAULT_ROLE_NAME = "Exchange Administrator";

/** The accepted roles that work for every one of `workloads`. */
export function rolesForWorkloads(workloads: readonly Workload[]): readonly ExchangeRole[] {
  return EXCHANGE_ROLES.filter((role) => workloads.every((workload) => role.workloads.includes(workload)));
}

/** Compares names the way people type them: case, spaces, dashes and underscores do not matter. */
export function normalizeName(value: string): string {
  return value.toLowerCase().replace(/[\s_-]+/g, "");
}

/** Finds an accepted role by display name (loosely) or template id; undefined when Exchange would refuse it. */
export function findExchangeRole(nameOrTemplateId: string): ExchangeRole | undefined {
  const wanted = normalizeName(nameOrTemplateId);
  const id = nameOrTemplateId.trim().toLowerCase();
  return EXCHANGE_ROLES.find((role) => normalizeName(role.name) === wanted || role.templateId === id);
}
