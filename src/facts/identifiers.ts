/**
 * Identifiers that are the same in every Entra ID tenant. The Exchange Online service principal's *object id*
 * differs per tenant: look it up by its appId, never manage it as a resource (a destroy would delete it).
 */

/** appId of the first-party "Office 365 Exchange Online" application. */
export const EXCHANGE_ONLINE_APP_ID = "00000002-0000-0ff1-ce00-000000000000";

/** The application permission Exchange Online requires for app-only access. */
export const MANAGE_AS_APP_ROLE = {
  value: "Exchange.ManageAsApp",
  id: "dc50a0fb-09a3-484d-be87-e023b12c6440",
  /** `Role` = an application permission; `Scope` would be a delegated one. */
  type: "Role",
} as const;

/** appId of Microsoft Graph: a token for it is the classic mistake when calling Exchange. */
export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

/**
 * appId of "Microsoft Exchange Online Protection": GCC High and DoD also need its `Exchange.ManageAsApp`. Like the
 * other first-party principals, look it up; never manage it.
 */
export const EXCHANGE_ONLINE_PROTECTION_APP_ID = "00000007-0000-0ff1-ce00-000000000000";

/**
 * `Exchange.ManageAsApp` on Microsoft Exchange Online Protection. For Security & Compliance PowerShell in GCC High and
 * DoD, Microsoft's manifest note (app-only article) lists it in place of Exchange Online's for S&C-only apps; the stack
 * grants it beside Exchange Online's (components/exchangeAccessGrant.ts says why). Like Exchange's, its id is resolved
 * by value from the looked-up principal's `appRoleIds` and checked against this one.
 */
export const EOP_MANAGE_AS_APP_ROLE = {
  value: "Exchange.ManageAsApp",
  id: "455e5cd2-84e8-4751-8344-5672145dfa17",
  type: "Role",
} as const;

/**
 * The Exchange Online Admin API's (REST, preview) application permission on the Exchange Online principal. Its id is
 * unconfirmed: it is only ever resolved by value from the principal's `appRoleIds`, never hard-coded.
 */
export const MANAGE_AS_APP_V2_ROLE_VALUE = "Exchange.ManageAsAppV2";

/** The audience every workload identity federation credential uses by default. */
export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

/** Exchange's system mailbox used as the anchor for app-only `InvokeCommand` calls. */
export const APP_ANCHOR_MAILBOX = "SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` is a GUID in its canonical 8-4-4-4-12 form. */
export function isGuid(value: string): boolean {
  return GUID.test(value);
}

const NIL_GUID = "00000000-0000-0000-0000-000000000000";

/** A GUID that can name a directory object or tenant: canonical form, and not the nil GUID. */
export function isDirectoryId(value: string): boolean {
  return isGuid(value) && value !== NIL_GUID;
}

/** Azure's built-in "Key Vault Secrets User" role (reads secret values, nothing else): one id in every subscription. */
export const KEY_VAULT_SECRETS_USER_ROLE = { name: "Key Vault Secrets User", id: "4633458b-17de-408a-b874-0445c86b69e6" } as const;
