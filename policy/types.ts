/** The type tokens the pack looks at: the program's own table, from the facts layer (the only layer it imports). */
import { TYPE } from "../src/facts";

export { TYPE as TYPES };

/**
 * The custom resources that grant Exchange's own RBAC to an app (`exchangeRoles`: components/exchangeRbac.ts): a
 * role group membership (the documented way) or a direct assignment of an application role. They stand in for a
 * directory role with `role: none`. A role group (TYPE.exchangeRoleGroup) grants nothing until the app joins it; its
 * `roles` say what a membership in it carries.
 */
export const EXCHANGE_RBAC_GRANT_TYPES: readonly string[] = [TYPE.exchangeRoleGroupMember, TYPE.exchangeRoleAssignment];
