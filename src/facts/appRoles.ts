/**
 * App role ids by value: a first-party principal publishes its app roles (`appRoleIds`: value → id, as the azuread
 * provider's `getServicePrincipal` returns them). The stack grants the id found there, and where it knows the id
 * (`Exchange.ManageAsApp`), it refuses to grant when the two differ rather than grant a wrong one.
 */

export interface AppRoleLookup {
  /** The app role's value, for example `Exchange.ManageAsApp`. */
  readonly value: string;
  /** The id Microsoft documents, when there is one: a different published id fails the deployment. */
  readonly knownId?: string;
  /** The principal's name, for the message. */
  readonly principal: string;
  /** Why the stack asks for the role (the config key), for the message. */
  readonly because: string;
}

/** The id of `lookup.value` in `appRoleIds`; throws a clear error when it is missing or not the known one. */
export function resolveAppRoleId(appRoleIds: Readonly<Record<string, string>> | undefined, lookup: AppRoleLookup): string {
  const id = appRoleIds?.[lookup.value];
  if (id === undefined) {
    throw new Error(
      `${lookup.principal} in this tenant publishes no app role ${lookup.value} (${lookup.because} needs it). ` +
        `Check that the tenant's ${lookup.principal} principal is current (az ad sp show --id <its appId> --query "appRoles[].value"); ` +
        `where the tenant does not offer it yet, turn off ${lookup.because}.`,
    );
  }
  if (lookup.knownId !== undefined && id.toLowerCase() !== lookup.knownId.toLowerCase()) {
    throw new Error(
      `${lookup.principal} publishes ${lookup.value} with id ${id}, not the documented ${lookup.knownId}: nothing was granted, ` +
        `so no wrong permission lands on the app. Microsoft may have changed the role: confirm the new id in their documentation, ` +
        `then update the known id in src/facts (and the app's required permissions) before deploying again.`,
    );
  }
  return id;
}
