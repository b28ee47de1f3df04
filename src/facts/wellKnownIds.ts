/**
 * Every GUID this project knows that is the same in every tenant: Microsoft's applications, their app roles, the
 * directory roles' template ids, Azure's built-in role, Microsoft's own tenants. None of them can be the id of an
 * app's own object, a managed identity, an assignment or a credential in a customer's tenant, so a config field that
 * holds one got the wrong id pasted in: the message says what the GUID is.
 */
import { FIRST_PARTY_APPS, MICROSOFT_TENANTS } from "./firstPartyApps";
import { EOP_MANAGE_AS_APP_ROLE, KEY_VAULT_SECRETS_USER_ROLE, MANAGE_AS_APP_ROLE } from "./identifiers";
import { EXCHANGE_ROLES } from "./roles";

export type WellKnownKind = "firstPartyApp" | "appRole" | "roleTemplate" | "azureRole" | "microsoftTenant";

export interface WellKnownId {
  readonly kind: WellKnownKind;
  /** What the GUID is, in a message: "the client id of Microsoft's Office 365 Exchange Online". */
  readonly is: string;
}

function table(): ReadonlyMap<string, WellKnownId> {
  const ids = new Map<string, WellKnownId>();
  for (const [id, name] of FIRST_PARTY_APPS) ids.set(id, { kind: "firstPartyApp", is: `the application (client) id of Microsoft's ${name}, the same in every tenant` });
  ids.set(MANAGE_AS_APP_ROLE.id, { kind: "appRole", is: `the id of the app role ${MANAGE_AS_APP_ROLE.value} on Office 365 Exchange Online (the permission itself, the same in every tenant)` });
  ids.set(EOP_MANAGE_AS_APP_ROLE.id, { kind: "appRole", is: `the id of the app role ${EOP_MANAGE_AS_APP_ROLE.value} on Microsoft Exchange Online Protection (the permission itself, the same in every tenant)` });
  for (const role of EXCHANGE_ROLES) ids.set(role.templateId, { kind: "roleTemplate", is: `the role template id of ${role.name} (the role itself, the same in every tenant)` });
  ids.set(KEY_VAULT_SECRETS_USER_ROLE.id, { kind: "azureRole", is: `the id of Azure's built-in role ${KEY_VAULT_SECRETS_USER_ROLE.name}` });
  for (const [id, name] of MICROSOFT_TENANTS) ids.set(id, { kind: "microsoftTenant", is: `the tenant id of ${name}, Microsoft's own tenant` });
  return ids;
}

const WELL_KNOWN = table();

/** What a well-known GUID is, or undefined for a GUID this project does not know. */
export function wellKnownId(guid: string): WellKnownId | undefined {
  return WELL_KNOWN.get(guid.trim().toLowerCase());
}
