import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { EXCHANGE_ONLINE_APP_ID, MANAGE_AS_APP_ROLE, type ExchangeRole } from "../src/facts";
import { appRoleAssignmentImportId, directoryRoleAssignmentImportId } from "../src/importIds";

export interface ExchangeAccessGrantArgs {
  /** Object id of the service principal to grant: an app's, a managed identity's, or a multi-tenant app's. */
  readonly principalObjectId: pulumi.Input<string>;
  /** A directory role Exchange Online accepts (validated by the config parser). */
  readonly role: ExchangeRole;
  /** A consent and role assignment that already exist (an adopted app's): imported, not granted again. */
  readonly existing?: {
    readonly consent?: { readonly exchangeServicePrincipalObjectId: string; readonly assignmentId: string };
    readonly roleAssignmentId?: string;
  };
}

/**
 * "Grant Exchange access" to any service principal: admin consent for `Exchange.ManageAsApp` (an app role
 * assignment to the tenant's Exchange Online principal) plus membership of a directory role Exchange accepts.
 *
 * The Exchange Online principal is first-party and exists in every tenant with Exchange: it is looked up by
 * appId, never declared as a resource, so nothing this stack does can delete it.
 */
export class ExchangeAccessGrant extends pulumi.ComponentResource {
  /** Object id of the tenant's Office 365 Exchange Online service principal (looked up). */
  readonly exchangeServicePrincipalObjectId: pulumi.Output<string>;
  readonly consent: azuread.AppRoleAssignment;
  readonly roleAssignment: azuread.DirectoryRoleAssignment;

  constructor(name: string, args: ExchangeAccessGrantArgs, opts?: pulumi.ComponentResourceOptions) {
    super("exchange-app-only:index:ExchangeAccessGrant", name, {}, opts);
    const consent = args.existing?.consent;
    const roleAssignmentId = args.existing?.roleAssignmentId;

    const exchange = azuread.getServicePrincipalOutput({ clientId: EXCHANGE_ONLINE_APP_ID }, { parent: this });
    this.exchangeServicePrincipalObjectId = exchange.objectId;

    this.consent = new azuread.AppRoleAssignment(
      `${name}-consent`,
      {
        appRoleId: MANAGE_AS_APP_ROLE.id,
        principalObjectId: args.principalObjectId,
        resourceObjectId: exchange.objectId,
      },
      { parent: this, ...(consent ? { import: appRoleAssignmentImportId(consent.exchangeServicePrincipalObjectId, consent.assignmentId) } : {}) },
    );

    this.roleAssignment = new azuread.DirectoryRoleAssignment(
      `${name}-role`,
      {
        roleId: args.role.templateId,
        principalObjectId: args.principalObjectId,
        directoryScopeId: "/",
      },
      { parent: this, ...(roleAssignmentId ? { import: directoryRoleAssignmentImportId(roleAssignmentId) } : {}) },
    );

    this.registerOutputs({
      exchangeServicePrincipalObjectId: this.exchangeServicePrincipalObjectId,
      roleTemplateId: args.role.templateId,
    });
  }
}
