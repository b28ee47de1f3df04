/**
 * The custom resources' part of the package schema (`resources` entries by type token, in Pulumi's package schema
 * format: description, properties, required, inputProperties, requiredInputs; `secret: true` on every secret). The
 * schema generator adds it to what Pulumi's schema inference reads from the components.
 *
 * The properties mirror the resources' inputs and state (src/check/resource.ts, src/exchangeRbac/*.ts) and the
 * classes in components/exchangeCheck.ts and components/exchangeRbac.ts; a test keeps the three equal.
 */
import { TYPE } from "../src/facts/typeTokens";

/** A resource of the package schema, as JSON. */
export type ResourceSchema = Record<string, unknown>;

/** A property of the schema: its type and description, optionally secret or a list of strings. */
interface Property {
  readonly type: "string" | "boolean" | "integer" | "number" | "array";
  readonly items?: { readonly type: "string" };
  readonly description: string;
  readonly secret?: boolean;
}

const string = (description: string, extra: Partial<Property> = {}): Property => ({ type: "string", description, ...extra });
const strings = (description: string): Property => ({ type: "array", items: { type: "string" }, description });
const boolean = (description: string): Property => ({ type: "boolean", description });
const integer = (description: string): Property => ({ type: "integer", description });

/** What every Exchange RBAC resource names: the tenant and the cloud. */
const target = {
  tenantId: string("The tenant's id (a GUID)."),
  environment: string("The Microsoft cloud: `public`, `usgovernment`, `dod` or `china`."),
};
const propagationTimeout = string("How long to wait for Exchange to see a fresh service principal, for example `15m` (the default). Not kept in state.");

/** An Exchange RBAC resource's state: its inputs but the propagation timeout, which is not kept. */
function stateOf<P extends { propagationTimeout: Property }>(inputs: P): Omit<P, "propagationTimeout"> {
  const { propagationTimeout: _notKept, ...state } = inputs;
  return state;
}

/**
 * One resource: `inputs` are what the program gives (and Check validates), `outputs` what the state holds; a property
 * in both is described once. `required`/`requiredInputs` list what is always there.
 */
function resource(description: string, inputs: Record<string, Property>, requiredInputs: string[], outputs: Record<string, Property>, required: string[]): ResourceSchema {
  return { description, inputProperties: inputs, requiredInputs, properties: outputs, required };
}

export function customResourceSchemas(): Record<string, ResourceSchema> {
  const checkTriggers = strings(
    "Anything whose change must re-run the check: credential ids, the role assignment id, the consent grant id. The check runs on create and whenever one of these (or tenant, client, cloud) changes.",
  );
  const checkInputs = {
    tenantId: target.tenantId,
    clientId: string("The app's client id."),
    environment: target.environment,
    clientSecret: string("A client secret to check with. Kept secret in state; never in the resource's outputs.", { secret: true }),
    certificatePem: string("PEM holding the private key and the certificate, to check with (preferred over the secret). Kept secret in state; never in outputs.", { secret: true }),
    triggers: checkTriggers,
    timeout: string("How long to wait for propagation, for example `15m` (the default) or `5m`."),
    organization: string("The tenant's initial domain (`contoso.onmicrosoft.com`): adds the X-AnchorMailbox header Connect-ExchangeOnline sends."),
    authorityHost: string("Overrides the login host (https only): the tenant emulator in tests and demos."),
    exchangeEndpoint: string("Overrides where InvokeCommand is sent (https only)."),
    trustedCaPem: string("Extra CA (PEM) to trust: the tenant emulator's, in tests and demos."),
    probe: boolean("Whether to call Exchange's InvokeCommand (Get-AcceptedDomain); false checks the token only. Default true."),
  };
  const checkOutputs = {
    tenantId: checkInputs.tenantId,
    clientId: checkInputs.clientId,
    environment: checkInputs.environment,
    triggers: strings("The triggers of the last run."),
    ok: boolean("True: the check passed (a failing check fails `pulumi up` with its report instead)."),
    attempts: integer("How many attempts the check took (propagation is retried within the timeout)."),
    elapsedMs: integer("How long the check took, in milliseconds."),
    propagationMs: integer("How long the check waited for propagation, in milliseconds, when it had to wait."),
    checks: strings("One line per check: `ok token.role roles contains Exchange.ManageAsApp` (`WARN` for a warning)."),
    checkedAt: string("When the check last ran (ISO 8601)."),
  };

  const spInputs = {
    ...target,
    appId: string("The app's client id."),
    objectId: string("The app's service principal's object id in Entra (Exchange's pointer names it)."),
    displayName: string("The name Exchange shows for the principal; a label kept from creation (changing it does not replace the principal)."),
    propagationTimeout,
  };

  const groupInputs = {
    ...target,
    name: string("The role group's name in Exchange (1 to 64 characters): what a membership joins."),
    roles: strings("The management roles the group holds, built-in or custom (at least one), for example `View-Only Configuration`."),
    description: string("What Get-RoleGroup shows beside the group: whose it is and who keeps it."),
    customRecipientWriteScope: string("A management scope's name: the group may change only the recipients in it. Not with recipientAdministrativeUnitScope."),
    recipientAdministrativeUnitScope: string("An administrative unit's object id (a GUID): the group may change only the recipients in it. Not with customRecipientWriteScope."),
    propagationTimeout,
  };

  const memberInputs = {
    ...target,
    appId: string("The app's client id: the membership's id names it."),
    servicePrincipalObjectId: string("The app's service principal's ObjectId, as Get-ServicePrincipal shows it: what Add-RoleGroupMember's -Member takes."),
    roleGroup: string("The custom role group to join: an ExchangeRoleGroup's name, or one the tenant made. Built-in role groups are refused."),
    propagationTimeout,
  };

  const assignmentInputs = {
    ...target,
    appId: string("The app's client id: the assignment's name derives from it."),
    servicePrincipalObjectId: string("The app's service principal's ObjectId, as Get-ServicePrincipal shows it: what New-ManagementRoleAssignment's -App takes."),
    role: string("An application role (`Application Mail.Read`, ...): the only kind Exchange assigns straight to an app."),
    customResourceScope: string("A management scope's name limiting the mailboxes the role reaches. Not with recipientAdministrativeUnitScope."),
    recipientAdministrativeUnitScope: string("An administrative unit's object id (a GUID) limiting the mailboxes the role reaches."),
    propagationTimeout,
  };
  const identity = (what: string) => string(`Exchange's Identity of the ${what}.`);

  return {
    [TYPE.check]: resource(
      "The post-deploy check as a resource: proves during `pulumi up` that the app's secret or certificate yields an Exchange Online token with the right audience and role and that InvokeCommand answers 200, or fails the update with the check's report and its fixes. Runs on create and whenever a trigger changes; nothing to delete.",
      checkInputs,
      ["tenantId", "clientId", "environment", "triggers"],
      checkOutputs,
      ["tenantId", "clientId", "environment", "triggers", "ok", "attempts", "elapsedMs", "checks", "checkedAt"],
    ),
    [TYPE.exchangeServicePrincipal]: resource(
      "The app's service principal registered in Exchange Online (New-ServicePrincipal): what Exchange's own RBAC grants to. Import id: `<tenantId>/<appId>`.",
      spInputs,
      ["tenantId", "environment", "appId", "objectId", "displayName"],
      { ...stateOf(spInputs), identity: identity("service principal") },
      ["tenantId", "environment", "appId", "objectId", "displayName", "identity"],
    ),
    [TYPE.exchangeRoleGroup]: resource(
      "A custom Exchange role group holding management roles, optionally with one write scope (New-RoleGroup); roles change in place. Import id: `<tenantId>/<role group name>`.",
      groupInputs,
      ["tenantId", "environment", "name", "roles", "description"],
      { ...stateOf(groupInputs), identity: identity("role group") },
      ["tenantId", "environment", "name", "roles", "description", "identity"],
    ),
    [TYPE.exchangeRoleGroupMember]: resource(
      "The app's service principal as a member of a custom Exchange role group (Add-RoleGroupMember), as Microsoft's app-only article documents it. Import id: `<tenantId>/<appId>/<role group>`.",
      memberInputs,
      ["tenantId", "environment", "appId", "servicePrincipalObjectId", "roleGroup"],
      stateOf(memberInputs),
      ["tenantId", "environment", "appId", "roleGroup"],
    ),
    [TYPE.exchangeRoleAssignment]: resource(
      "An application role (`Application Mail.Read`, ...) assigned straight to the app's service principal (New-ManagementRoleAssignment -App). Import id: `<tenantId>/<assignment name>`.",
      assignmentInputs,
      ["tenantId", "environment", "appId", "servicePrincipalObjectId", "role"],
      { ...stateOf(assignmentInputs), identity: string("The assignment's name, its Identity in Exchange.") },
      ["tenantId", "environment", "appId", "role", "identity"],
    ),
  };
}
