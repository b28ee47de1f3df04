/**
 * Exchange's own RBAC for the audit's holders: which are registered in Exchange (New-ServicePrincipal), the management
 * role assignments made to them (with their scopes) and the role groups they are members of. Read tenant-wide, so the
 * requests do not grow with the tenant's principals: every service principal once, every management role assignment
 * once, and the members of each role group that has any (a role group count, not a principal count).
 *
 * Only read cmdlets, which a view-only Exchange role runs (View-Only Configuration, through View-Only Organization
 * Management or Global Reader: src/facts/cmdletPermissions.ts). An auditor without one gets an Unread part naming
 * the role to grant, and every holder's `exchangeRbac` stays undefined; the audit goes on.
 */
import type { CmdletAnswer } from "../exchange";
import type { ExchangeReader } from "./exchangeHttp";
import type { ExchangeRbacInfo, ExchangeRoleAssignmentInfo, Holder, Unread } from "./model";

export interface ExchangeRbacReading {
  /** By the holder's Entra service principal object id (Exchange's ObjectId for it); every holder has an entry. */
  readonly byServicePrincipal: Map<string, ExchangeRbacInfo>;
  readonly unread?: Unread;
}

/** The fix an auditor without the view-only role gets. */
export const EXCHANGE_VIEW_ONLY_FIX =
  "give the auditor's service principal a view-only Exchange role: the directory role Global Reader, or a custom Exchange role group holding View-Only Configuration (New-ServicePrincipal, New-RoleGroup -Roles \"View-Only Configuration\", Add-RoleGroupMember); it also needs Office 365 Exchange Online's Exchange.ManageAsApp";

/** Exchange's words for "you may not run this" (a 401/403 says it too). */
const REFUSED = /not allowed to call|not recognized as (the|a) name of a cmdlet|isn't within your current (management )?role|not within your current (management )?role|access (is )?denied/i;

/** A failed answer: why, in one sentence (the reason of an Unread part). */
class Refusal extends Error {}

const lower = (v: unknown) => (typeof v === "string" && v.length > 0 ? v.toLowerCase() : undefined);
const text = (row: Record<string, unknown>, ...keys: string[]) => {
  for (const key of keys) {
    const v = row[key];
    if (typeof v === "string" && v.length > 0) return v;
  }
  return undefined;
};

async function rows(exchange: ExchangeReader, cmdlet: string, parameters: Record<string, unknown> = {}): Promise<readonly Record<string, unknown>[]> {
  const answer = await exchange.run(cmdlet, parameters);
  if (answer.status >= 200 && answer.status < 300) return answer.value;
  throw new Refusal(describe(cmdlet, answer));
}

function describe(cmdlet: string, answer: CmdletAnswer): string {
  const said = answer.errorText ? `: "${answer.errorText.slice(0, 300)}"` : "";
  if (answer.status === 401 || answer.status === 403 || REFUSED.test(answer.errorText ?? "")) {
    return `Exchange refused ${cmdlet} (${answer.status})${said}; to read Exchange's RBAC, ${EXCHANGE_VIEW_ONLY_FIX}`;
  }
  if (answer.status === 429 || answer.status >= 500) return `Exchange kept answering ${answer.status} to ${cmdlet} until the reading's deadline${said}; run the audit again later`;
  return `Exchange answered ${answer.status} to ${cmdlet}${said}`;
}

/** Reads Exchange's RBAC for `holders` (see the file's comment). Transport failures (unreachable Exchange) are thrown. */
export async function readExchangeRbac(exchange: ExchangeReader, holders: readonly Pick<Holder, "servicePrincipalObjectId" | "appId">[]): Promise<ExchangeRbacReading> {
  try {
    return { byServicePrincipal: await read(exchange, holders) };
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    return { byServicePrincipal: new Map(), unread: { part: "exchangeRbac", reason: error.message } };
  }
}

async function read(exchange: ExchangeReader, holders: readonly Pick<Holder, "servicePrincipalObjectId" | "appId">[]): Promise<Map<string, ExchangeRbacInfo>> {
  // Exchange names a registered principal by its ObjectId (also its Identity, Name and Id) and knows its AppId.
  const registered = new Map<string, string>(); // any of its names, lower-case → the holder's object id
  const byAppId = new Map(holders.map((h) => [h.appId.toLowerCase(), h.servicePrincipalObjectId]));
  const byObjectId = new Map(holders.map((h) => [h.servicePrincipalObjectId.toLowerCase(), h.servicePrincipalObjectId]));
  for (const sp of await rows(exchange, "Get-ServicePrincipal")) {
    const holder = byObjectId.get(lower(text(sp, "ObjectId", "ServiceId")) ?? "") ?? byAppId.get(lower(text(sp, "AppId")) ?? "");
    if (!holder) continue;
    for (const key of ["ObjectId", "ServiceId", "Identity", "Id", "Name", "AppId", "ExternalDirectoryObjectId"]) {
      const name = lower(sp[key]);
      if (name) registered.set(name, holder);
    }
  }
  const assignments = new Map<string, ExchangeRoleAssignmentInfo[]>();
  const groups = new Map<string, string[]>();
  if (registered.size > 0) {
    // Every assignment in the tenant at once, kept where the assignee is a holder (RoleAssignee names it).
    for (const a of await rows(exchange, "Get-ManagementRoleAssignment")) {
      if (text(a, "RoleAssigneeType") === "RoleGroup") continue;
      const holder = registered.get(lower(text(a, "RoleAssignee")) ?? "");
      const role = text(a, "Role");
      if (!holder || !role) continue;
      const scope = text(a, "CustomResourceScope", "CustomRecipientWriteScope", "RecipientAdministrativeUnitScope");
      assignments.set(holder, [...(assignments.get(holder) ?? []), { role, ...(scope ? { scope } : {}) }]);
    }
    for (const group of await rows(exchange, "Get-RoleGroup", { ResultSize: "Unlimited" })) {
      const name = text(group, "Name", "Identity");
      // Get-RoleGroup lists members by name; an empty list needs no second request.
      if (!name || (Array.isArray(group.Members) && group.Members.length === 0)) continue;
      for (const member of await rows(exchange, "Get-RoleGroupMember", { Identity: name, ResultSize: "Unlimited" })) {
        const holder = ["ExternalDirectoryObjectId", "ObjectId", "Identity", "Id", "Name", "AppId"].map((k) => registered.get(lower(member[k]) ?? "")).find(Boolean);
        if (holder && !groups.get(holder)?.includes(name)) groups.set(holder, [...(groups.get(holder) ?? []), name]);
      }
    }
  }
  const registeredHolders = new Set(registered.values());
  return new Map(
    holders.map((h) => [
      h.servicePrincipalObjectId,
      { registered: registeredHolders.has(h.servicePrincipalObjectId), roleAssignments: assignments.get(h.servicePrincipalObjectId) ?? [], roleGroups: groups.get(h.servicePrincipalObjectId) ?? [] },
    ]),
  );
}
