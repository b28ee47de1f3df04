import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { EOP_MANAGE_AS_APP_ROLE, EXCHANGE_ONLINE_APP_ID, EXCHANGE_ONLINE_PROTECTION_APP_ID, MANAGE_AS_APP_ROLE } from "../src/facts";
import { applicationImportId, servicePrincipalImportId } from "../src/importIds";

/** Who may sign in to the app: its own tenant, or (a multi-tenant app) any tenant that consents. */
export type SignInAudience = "AzureADMyOrg" | "AzureADMultipleOrgs";

export interface AppRegistrationArgs {
  readonly displayName: pulumi.Input<string>;
  /** Object ids of the owners of the application and its service principal. */
  readonly owners?: pulumi.Input<string[]>;
  /** Protect the application from `pulumi destroy` (its client id is what every runbook holds). */
  readonly protect?: boolean;
  /** `AzureADMyOrg` (the default) or `AzureADMultipleOrgs`. */
  readonly signInAudience?: SignInAudience;
  /**
   * Also ask for Exchange Online Protection's `Exchange.ManageAsApp` (Security & Compliance in GCC High and DoD), beside
   * Exchange Online's, which is always asked for: Microsoft's manifest note lists EOP's in place of Exchange Online's
   * for S&C-only apps; both together are harmless (components/exchangeAccessGrant.ts says why the stack grants both).
   */
  readonly exchangeOnlineProtection?: boolean;
  /** An existing app to import instead of creating one. */
  readonly adopt?: { readonly clientId: string; readonly applicationObjectId: string; readonly servicePrincipalObjectId: string };
}

/**
 * An app registration (single-tenant unless asked otherwise) whose "API permissions" list Office 365 Exchange Online →
 * `Exchange.ManageAsApp` (Application), and its service principal in the same tenant.
 * Declaring the permission does not grant it: `ExchangeAccessGrant` gives the admin consent.
 */
export class AppRegistration extends pulumi.ComponentResource {
  readonly application: azuread.Application;
  readonly servicePrincipal: azuread.ServicePrincipal;
  /** The app's client id: known from config for an adopted app, else the new application's. */
  readonly clientId: pulumi.Input<string>;

  constructor(name: string, args: AppRegistrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("exchange-app-only:index:AppRegistration", name, {}, opts);
    const adopt = args.adopt;
    // Import fails on any difference between the program and what exists. A hand-made app's owners (when the
    // stack names none) and its API-permission list (the portal adds Graph User.Read) are left as they are:
    // Exchange checks the consent, which the stack does manage.
    const ownersUnset = args.owners === undefined;
    const adoptedDrift = ["requiredResourceAccesses", ...(ownersUnset ? ["owners"] : [])];

    this.application = new azuread.Application(
      `${name}-app`,
      {
        displayName: args.displayName,
        signInAudience: args.signInAudience ?? "AzureADMyOrg",
        owners: args.owners,
        requiredResourceAccesses: [
          {
            resourceAppId: EXCHANGE_ONLINE_APP_ID,
            resourceAccesses: [{ id: MANAGE_AS_APP_ROLE.id, type: MANAGE_AS_APP_ROLE.type }],
          },
          ...(args.exchangeOnlineProtection
            ? [{ resourceAppId: EXCHANGE_ONLINE_PROTECTION_APP_ID, resourceAccesses: [{ id: EOP_MANAGE_AS_APP_ROLE.id, type: EOP_MANAGE_AS_APP_ROLE.type }] }]
            : []),
        ],
      },
      { parent: this, protect: args.protect, ...(adopt ? { import: applicationImportId(adopt.applicationObjectId), ignoreChanges: adoptedDrift } : {}) },
    );

    this.clientId = adopt ? adopt.clientId : this.application.clientId;
    this.servicePrincipal = new azuread.ServicePrincipal(
      `${name}-sp`,
      { clientId: this.clientId, owners: args.owners },
      {
        parent: this,
        ...(adopt
          ? { import: servicePrincipalImportId(adopt.servicePrincipalObjectId), ignoreChanges: ownersUnset ? ["owners"] : [], dependsOn: [this.application] }
          : {}),
      },
    );

    this.registerOutputs({
      clientId: this.clientId,
      applicationObjectId: this.application.objectId,
      servicePrincipalObjectId: this.servicePrincipal.objectId,
    });
  }
}
