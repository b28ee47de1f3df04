import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { ExchangeAccessGrant, grantFor } from "./exchangeAccessGrant";
import { TENANT_ACCESS_ARG_KEYS, type TenantAccessArgs } from "./args";
import { ExchangeAccessCheck } from "./exchangeCheck";
import type { ExchangeAppOnly } from "./exchangeAppOnly";
import { exchangeRbacFor, type ExchangeRbac } from "./exchangeRbac";
import { outputProperties, type AccessCheckResult, type ConnectExchangeOnlineLines } from "./outputProperties";
import { confirmedTenant } from "./providerTenant";
import { tenantOutputs, type TenantOutputs } from "./tenantOutputs";
import { tenantSpecFromArgs, type ArgRules } from "./validateArgs";

/** A multi-tenant app's access in one customer tenant (`CustomerTenantAccess`). */
export interface CustomerTenantAccessArgs extends TenantAccessArgs {
  /** The multi-tenant app: an `ExchangeAppOnly` with `multiTenant: true`, in the home tenant. */
  app: ExchangeAppOnly;
}

/** The config keys `CustomerTenantAccess` takes as args; `app` besides. */
export const CUSTOMER_TENANT_ARG_KEYS = TENANT_ACCESS_ARG_KEYS;

/** Where a customer tenant stands for the config's rules: it holds no app of its own. */
const CUSTOMER = { appless: true, place: { customer: true, manualConsent: false, perTenantEntry: false } } as const;

/** How `CustomerTenantAccess` validates its args (`app` aside); the plugin's Construct checks by the same rules. */
export const CUSTOMER_TENANT_RULES: ArgRules = { component: "CustomerTenantAccess", keys: CUSTOMER_TENANT_ARG_KEYS, read: CUSTOMER };

/**
 * A multi-tenant app's access to Exchange in a customer tenant (the MSP pattern): the app's service principal in
 * that tenant, admin consent for `Exchange.ManageAsApp` and the directory role, and the app's Exchange RBAC there,
 * all through the customer tenant's `azuread` provider (`opts.providers`). The app and its credentials stay in the
 * home tenant; the post-deploy check signs in with the app's credential.
 */
export class CustomerTenantAccess extends pulumi.ComponentResource {
  readonly servicePrincipal: azuread.ServicePrincipal;
  readonly grant: ExchangeAccessGrant;
  /** The app's Exchange RBAC in the customer's Exchange (`exchangeRoles`), signed in to the customer tenant. */
  readonly exchangeRbac?: ExchangeRbac;
  readonly verification?: ExchangeAccessCheck;
  /** The stack outputs of this tenant (what the stack program exports). */
  readonly outputs: TenantOutputs;
  /** The app's service principal in this tenant. */
  declare readonly servicePrincipalObjectId: pulumi.Output<string>;
  declare readonly connectExchangeOnline: pulumi.Output<ConnectExchangeOnlineLines>;
  declare readonly check: pulumi.Output<AccessCheckResult | undefined>;

  constructor(name: string, args: CustomerTenantAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    const { app: home, ...keys } = args ?? ({} as CustomerTenantAccessArgs);
    const tenant = tenantSpecFromArgs(keys, CUSTOMER_TENANT_RULES);
    super("exchange-app-only:index:CustomerTenantAccess", name, {}, opts);
    const app = home.app;

    // The app's principal here, and so its consent and role, waits until the provider's tenant is confirmed.
    const tenantConfirmed = confirmedTenant("CustomerTenantAccess", tenant.tenantId, this);
    const clientId = pulumi.all([app.clientId, tenantConfirmed]).apply(([id]) => id);
    this.servicePrincipal = new azuread.ServicePrincipal(`${name}-sp`, { clientId }, { parent: this });
    this.grant = new ExchangeAccessGrant(`${name}-exchange`, { principalObjectId: this.servicePrincipal.objectId, ...grantFor(tenant) }, { parent: this });
    const principal = { appId: app.clientId, servicePrincipalObjectId: this.servicePrincipal.objectId, displayName: home.tenant.displayName };
    this.exchangeRbac = exchangeRbacFor(`${name}-exchange-rbac`, tenant, principal, { parent: this });
    if (tenant.verifyOnUp && home.checkCredential) {
      this.verification = ExchangeAccessCheck.after(
        `${name}-verify`,
        { tenant, clientId: app.clientId, credential: home.checkCredential, grant: this.grant, exchangeRbacGrants: this.exchangeRbac?.grants },
        { parent: this },
      );
    }

    this.outputs = tenantOutputs(tenant, app, this.servicePrincipal.objectId);
    const properties = outputProperties(this.outputs, this.verification);
    Object.assign(this, { servicePrincipalObjectId: properties.servicePrincipalObjectId, connectExchangeOnline: properties.connectExchangeOnline, check: properties.check });
    this.registerOutputs({ servicePrincipalObjectId: this.servicePrincipal.objectId });
  }
}
