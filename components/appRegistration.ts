import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { EXCHANGE_ONLINE_APP_ID, MANAGE_AS_APP_ROLE } from "../src/facts";

export interface AppRegistrationArgs {
  readonly displayName: pulumi.Input<string>;
  /** Object ids of the owners of the application and its service principal. */
  readonly owners?: pulumi.Input<pulumi.Input<string>[]>;
  /** Protect the application from `pulumi destroy` (its client id is what every runbook holds). */
  readonly protect?: boolean;
}

/**
 * A single-tenant app registration whose "API permissions" list Office 365 Exchange Online →
 * `Exchange.ManageAsApp` (Application), and its service principal in the same tenant.
 * Declaring the permission does not grant it: `ExchangeAccessGrant` gives the admin consent.
 */
export class AppRegistration extends pulumi.ComponentResource {
  readonly application: azuread.Application;
  readonly servicePrincipal: azuread.ServicePrincipal;

  constructor(name: string, args: AppRegistrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("exchange-app-only:index:AppRegistration", name, {}, opts);

    this.application = new azuread.Application(
      `${name}-app`,
      {
        displayName: args.displayName,
        signInAudience: "AzureADMyOrg",
        owners: args.owners,
        requiredResourceAccesses: [
          {
            resourceAppId: EXCHANGE_ONLINE_APP_ID,
            resourceAccesses: [{ id: MANAGE_AS_APP_ROLE.id, type: MANAGE_AS_APP_ROLE.type }],
          },
        ],
      },
      { parent: this, protect: args.protect },
    );

    this.servicePrincipal = new azuread.ServicePrincipal(
      `${name}-sp`,
      { clientId: this.application.clientId, owners: args.owners },
      { parent: this },
    );

    this.registerOutputs({
      clientId: this.application.clientId,
      applicationObjectId: this.application.objectId,
      servicePrincipalObjectId: this.servicePrincipal.objectId,
    });
  }
}
