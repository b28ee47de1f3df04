import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type { TenantConfig } from "../src/config/stackConfig";
import { ExchangeAccessGrant, grantFor } from "./exchangeAccessGrant";
import { ExchangeAccessCheck, type CheckCredential } from "./exchangeCheck";
import { exchangeRbacFor, type ExchangeRbac } from "./exchangeRbac";
import { tenantOutputs, type AppIdentity, type TenantOutputs } from "./tenantOutputs";

export interface CustomerTenantAccessArgs {
  /** The customer tenant's validated config (its tenant, cloud, role, verifyOnUp). */
  readonly tenant: TenantConfig;
  /** The multi-tenant app, registered in the home tenant. */
  readonly app: AppIdentity;
  /** What the check signs in with (the home app's credential); no check without one. */
  readonly checkCredential?: CheckCredential;
}

/**
 * A multi-tenant app's access to Exchange in a customer tenant (the MSP pattern): the app's service principal in
 * that tenant, admin consent for `Exchange.ManageAsApp` and the directory role, all through the customer tenant's
 * provider (pass it in `opts.providers`). The app and its credentials stay in the home tenant.
 */
export class CustomerTenantAccess extends pulumi.ComponentResource {
  readonly servicePrincipal: azuread.ServicePrincipal;
  readonly grant: ExchangeAccessGrant;
  /** The app's Exchange RBAC in the customer's Exchange (`exchangeRoles`), signed in to the customer tenant. */
  readonly exchangeRbac?: ExchangeRbac;
  readonly verification?: ExchangeAccessCheck;
  readonly outputs: TenantOutputs;

  constructor(name: string, args: CustomerTenantAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("exchange-app-only:index:CustomerTenantAccess", name, {}, opts);
    const { tenant, app } = args;

    this.servicePrincipal = new azuread.ServicePrincipal(`${name}-sp`, { clientId: app.clientId }, { parent: this });
    this.grant = new ExchangeAccessGrant(`${name}-exchange`, { principalObjectId: this.servicePrincipal.objectId, ...grantFor(tenant) }, { parent: this });
    const principal = { appId: app.clientId, servicePrincipalObjectId: this.servicePrincipal.objectId, displayName: tenant.displayName };
    this.exchangeRbac = exchangeRbacFor(`${name}-exchange-rbac`, tenant, principal, { parent: this });
    if (tenant.verifyOnUp && args.checkCredential) {
      this.verification = ExchangeAccessCheck.after(
        `${name}-verify`,
        { tenant, clientId: app.clientId, credential: args.checkCredential, grant: this.grant, exchangeRbacGrants: this.exchangeRbac?.grants },
        { parent: this },
      );
    }

    this.outputs = tenantOutputs(tenant, app, this.servicePrincipal.objectId);
    this.registerOutputs({ servicePrincipalObjectId: this.servicePrincipal.objectId });
  }
}
