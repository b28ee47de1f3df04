/**
 * What lets an app run a cmdlet, in one sentence a person can act on: an Exchange management role (the least
 * privilege: `exchangeRoles` in the stack) or a directory role, from the facts' cmdlet table.
 */
import { EXCHANGE_ROLES } from "../facts";
import { findCmdletPermission } from "../facts/cmdletPermissions";

export function cmdletFix(cmdlet: string): string {
  const permission = findCmdletPermission(cmdlet);
  if (!permission) {
    return `Find the roles that include ${cmdlet} with \`Get-ManagementRole -Cmdlet ${cmdlet}\` (as an admin), then give the app one of them (exchange-app-only:exchangeRoles) or a directory role that covers it.`;
  }
  if (permission.appOnly === false) return `${permission.cmdlet} does not run app-only (Microsoft: Purview eDiscovery cmdlets need a signed-in user); run it as a user.`;
  const directory = permission.directoryRoles.filter((name) => !EXCHANGE_ROLES.find((r) => r.name === name)?.requiresOptIn);
  const byDirectory = directory.length > 0 ? `a directory role that allows it: ${directory.join(", ")} (exchange-app-only:role)` : "";
  if (permission.exchangeRoles.length === 0) return `Give the app ${byDirectory}.`;
  const [least, ...others] = permission.exchangeRoles;
  const byExchange = `the Exchange role "${least}"${others.length > 0 ? ` (or ${others.map((r) => `"${r}"`).join(", ")})` : ""} — exchange-app-only:exchangeRoles: [{ role: "${least}" }]`;
  return `Give the app ${byExchange}${byDirectory ? `, or ${byDirectory}` : ""}. Exchange can take a while to apply a new role assignment.`;
}
