/** What the role policies share: the accepted roles by template id, and how to name them in a message. */
import { EXCHANGE_ROLES, type ExchangeRole } from "../src/facts";

/** The accepted role with this template id (case-insensitive); undefined for any other id. */
export function roleByTemplateId(roleId: string): ExchangeRole | undefined {
  const id = roleId.trim().toLowerCase();
  return EXCHANGE_ROLES.find((role) => role.templateId === id);
}

/** Global Administrator: Exchange accepts it, this project never grants it by default. */
export const GLOBAL_ADMINISTRATOR: ExchangeRole = EXCHANGE_ROLES.find((role) => role.requiresOptIn)!;

/** The roles a stack may use without an opt-in, as "name (template id)". */
export function acceptedRoleList(): string {
  return EXCHANGE_ROLES.filter((role) => !role.requiresOptIn)
    .map((role) => `${role.name} (${role.templateId})`)
    .join(", ");
}
