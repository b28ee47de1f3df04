/** The type tokens the pack looks at: the program's own table, from the facts layer (the only layer it imports). */
import { TYPE } from "../src/facts";

export { TYPE as TYPES };

/**
 * The dynamic resources that grant Exchange's own RBAC to an app (`exchangeRoles`: components/exchangeRbac.ts): a
 * management role assignment or a role group membership. They stand in for a directory role with `role: none`.
 */
export const EXCHANGE_RBAC_GRANT_TYPES: readonly string[] = [TYPE.exchangeRoleAssignment, TYPE.exchangeRoleGroupMember];
