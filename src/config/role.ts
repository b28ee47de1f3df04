/**
 * The `role` key: a directory role Exchange Online accepts for app-only access, by name or template id, or `none`
 * (the app then has no directory role and gets its rights from `exchangeRoles` alone; the parser joins the two).
 */
import { EXCHANGE_MANAGEMENT_ROLES, EXCHANGE_ROLE_GROUPS, EXCHANGE_ROLES, findBuiltInName, findExchangeRole, type ExchangeRole } from "../facts";
import { suggestSameName } from "./suggest";
import { boolean, text, type IssueList, type RawConfig } from "./values";

const NAMES = EXCHANGE_ROLES.map((r) => r.name);

/** The value of `role` that asks for no directory role at all. */
export const NO_ROLE = "none";

/** The role, `null` for `role: none`, or undefined with an issue. */
export function parseRole(raw: RawConfig, issues: IssueList): ExchangeRole | null | undefined {
  // Read (and validated) whatever the role: a bad opt-in value is reported even when the role needs none.
  const optIn = boolean(raw, "allowGlobalAdministrator", issues);
  const value = text(raw, "role", issues);
  if (value === undefined) return undefined;
  if (value.toLowerCase() === NO_ROLE) return null;
  const role = findExchangeRole(value);
  if (!role) {
    // Only a misspelling or abbreviation of one role is suggested, never a neighbour that grants something else.
    const near = suggestSameName(value, NAMES);
    // An Exchange management role or role group is a known thing of another kind: say where it goes.
    const exchangeRole = findBuiltInName(EXCHANGE_MANAGEMENT_ROLES, value);
    const roleGroup = exchangeRole === undefined ? findBuiltInName(EXCHANGE_ROLE_GROUPS, value) : undefined;
    const elsewhere =
      exchangeRole !== undefined || roleGroup !== undefined
        ? ` It is Exchange's built-in ${exchangeRole !== undefined ? `management role "${exchangeRole}"` : `role group "${roleGroup}"`}, not a directory role: ${near ? "if you meant that, " : ""}list it in exchange-app-only:exchangeRoles as ${exchangeRole !== undefined ? `{ role: "${exchangeRole}" }` : `{ roleGroup: "${roleGroup}" }`}, with role: none (no directory role) or a directory role below.`
        : "";
    return issues.add(
      "role",
      value,
      `is not a directory role Exchange Online accepts for app-only access (Exchange would answer "The role assigned to application ... isn't supported in this scenario").${near ? ` Did you mean "${near}"?` : ""}${elsewhere} Accepted: ${NAMES.join(", ")} (by name or role template id), or none with exchangeRoles.`,
    );
  }
  if (role.requiresOptIn && optIn === false) {
    return issues.add(
      "role",
      value,
      `grants every permission in the tenant, so it is refused unless the stack opts in with allowGlobalAdministrator: true. Prefer "Exchange Administrator" (or a narrower role).`,
    );
  }
  return role;
}
