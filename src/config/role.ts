/** The `role` key: a directory role Exchange Online accepts for app-only access, by name or template id. */
import { EXCHANGE_ROLES, findExchangeRole, type ExchangeRole } from "../facts";
import { suggestSameName } from "./suggest";
import { boolean, text, type IssueList, type RawConfig } from "./values";

const NAMES = EXCHANGE_ROLES.map((r) => r.name);

export function parseRole(raw: RawConfig, issues: IssueList): ExchangeRole | undefined {
  // Read (and validated) whatever the role: a bad opt-in value is reported even when the role needs none.
  const optIn = boolean(raw, "allowGlobalAdministrator", issues);
  const value = text(raw, "role", issues);
  if (value === undefined) return undefined;
  const role = findExchangeRole(value);
  if (!role) {
    // Only a misspelling or abbreviation of one role is suggested, never a neighbour that grants something else.
    const near = suggestSameName(value, NAMES);
    return issues.add(
      "role",
      value,
      `is not a directory role Exchange Online accepts for app-only access (Exchange would answer "The role assigned to application ... isn't supported in this scenario").${near ? ` Did you mean "${near}"?` : ""} Accepted: ${NAMES.join(", ")} (by name or role template id).`,
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
