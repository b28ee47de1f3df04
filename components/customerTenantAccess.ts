import { createHash } from "node:crypto";
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../src/config/keys";
import { didYouMean } from "../src/config/suggest";
import { IssueList } from "../src/config/values";
import { ExchangeAccessGrant, grantFor } from "./exchangeAccessGrant";
import { TENANT_ACCESS_ARG_KEYS, type TenantAccessArgs } from "./args";
import { ExchangeAccessCheck, type CheckCredential } from "./exchangeCheck";
import { ExchangeAppOnly } from "./exchangeAppOnly";
import { exchangeRbacFor, type ExchangeRbac } from "./exchangeRbac";
import { outputProperties, type AccessCheckResult, type ConnectExchangeOnlineLines } from "./outputProperties";
import { confirmedTenant } from "./providerTenant";
import { tenantOutputs, type AppIdentity, type TenantOutputs } from "./tenantOutputs";
import { tenantSpecFromArgs, type ArgRules } from "./validateArgs";
import { childHandles } from "./childHandles";

/**
 * The multi-tenant app, as its customer tenants need it: its ids, and a credential the post-deploy check signs in
 * with. An `ExchangeAppOnly` with `multiTenant: true` is one as it is (TypeScript: `app: home`); from another
 * language, pass its outputs (`client_id=home.client_id`, ...).
 */
export interface MultiTenantApp {
  /** The app's client (application) id. */
  clientId: pulumi.Input<string>;
  /** Object id of the app registration in its home tenant. */
  applicationObjectId: pulumi.Input<string>;
  /** The app's display name: names its service principal in the customer's Exchange RBAC; `exchange-app-only` by default. */
  displayName?: pulumi.Input<string>;
  /** Thumbprint of the app's current certificate: the customer's `Connect-ExchangeOnline` line uses it. */
  certificateThumbprint?: pulumi.Input<string | undefined>;
  /** The app's current certificate (PEM): with its private key, what the post-deploy check signs in with. */
  certificatePem?: pulumi.Input<string | undefined>;
  /**
   * The private key (PEM) of the app's certificate, for the post-deploy check; kept secret.
   * @secret
   */
  certificatePrivateKeyPem?: pulumi.Input<string | undefined>;
  /**
   * A client secret of the app, for the post-deploy check when there is no certificate key; kept secret.
   * @secret
   */
  clientSecret?: pulumi.Input<string | undefined>;
}

/** A multi-tenant app's access in one customer tenant (`CustomerTenantAccess`). */
export interface CustomerTenantAccessArgs extends TenantAccessArgs {
  /** The multi-tenant app (`multiTenant: true`) in its home tenant: an `ExchangeAppOnly`, or its ids and credential outputs. */
  app: MultiTenantApp;
}

/** The config keys `CustomerTenantAccess` takes as args; `app` besides. */
export const CUSTOMER_TENANT_ARG_KEYS = TENANT_ACCESS_ARG_KEYS;

/** Where a customer tenant stands for the config's rules: it holds no app of its own. */
const CUSTOMER = { appless: true, place: { customer: true, manualConsent: false, perTenantEntry: false } } as const;

/** How `CustomerTenantAccess` validates its args (`app` aside); the plugin's Construct checks by the same rules. */
export const CUSTOMER_TENANT_RULES: ArgRules = { component: "CustomerTenantAccess", keys: CUSTOMER_TENANT_ARG_KEYS, read: CUSTOMER };

/** `MultiTenantApp`'s fields: what `app` may hold, beside an `ExchangeAppOnly`. */
const APP_FIELDS = ["clientId", "applicationObjectId", "displayName", "certificateThumbprint", "certificatePem", "certificatePrivateKeyPem", "clientSecret"] as const satisfies readonly (keyof MultiTenantApp)[];
const REQUIRED_APP_FIELDS = ["clientId", "applicationObjectId"] as const;
const APP_WANTED = "the home tenant's ExchangeAppOnly (multiTenant: true), or its outputs { clientId, applicationObjectId, certificateThumbprint, certificatePem, certificatePrivateKeyPem | clientSecret }";

/** Refuses a missing or incomplete `app` before anything registers; values are never shown (the key may be in there). */
function checkApp(app: unknown): void {
  const issues = new IssueList((key) => key);
  if (app === undefined || app === null) issues.add("app", undefined, `is required: pass app: ${APP_WANTED} to CustomerTenantAccess`);
  else if (typeof app !== "object" || Array.isArray(app) || pulumi.Output.isInstance(app)) {
    issues.add("app", undefined, `must be ${APP_WANTED}, each field a value or an output (not one output for the whole object)`);
  } else if (!(app instanceof ExchangeAppOnly)) {
    const fields = app as Record<string, unknown>;
    for (const field of REQUIRED_APP_FIELDS) if (fields[field] === undefined) issues.add(`app.${field}`, undefined, `is required: pass the home app's ${field} (its output of that name)`);
    for (const field of Object.keys(fields).filter((f) => !(APP_FIELDS as readonly string[]).includes(f))) {
      // "(given)": a stray field may hold the key, so its value is never shown.
      issues.addAt(`app.${field}`, "(given)", `is not a field of app.${didYouMean(field, APP_FIELDS)} Fields: ${APP_FIELDS.join(", ")}.`);
    }
  }
  issues.throwIfAny("Fix CustomerTenantAccess's app arg named above and run again (docs/component.md, \"Customer tenants\").");
}

/** What a customer tenant uses of the home app: its identity, its name in Exchange, and a credential to check with. */
interface HomeApp {
  readonly identity: AppIdentity;
  readonly displayName: pulumi.Input<string>;
  readonly checkCredential?: CheckCredential;
}

/** An `ExchangeAppOnly` of this program: its children hold the credentials. */
function homeOfComponent(home: ExchangeAppOnly): HomeApp {
  return { identity: home.app, displayName: home.tenant.displayName, checkCredential: home.checkCredential };
}

/**
 * An app given by its outputs (Construct from another language): the certificate key if given, else the secret.
 * The check re-runs when the credential changes: its SHA-256 is the trigger (a digest of a random key, no secret).
 */
function homeOfOutputs(app: MultiTenantApp): HomeApp {
  // An output of another language's ExchangeAppOnly may resolve to undefined (no such credential): typed as it is.
  const given = (value: pulumi.Input<string | undefined>) => pulumi.output(value) as pulumi.Output<string>;
  const digest = (text: string | undefined) => (text ? `sha256:${createHash("sha256").update(text).digest("hex")}` : "");
  let checkCredential: CheckCredential | undefined;
  if (app.certificatePrivateKeyPem !== undefined) {
    const pem = pulumi.secret(pulumi.all([given(app.certificatePrivateKeyPem), given(app.certificatePem ?? "")]).apply(([key, cert]) => (key ? `${key}\n${cert}` : "")));
    checkCredential = { certificatePem: pem, resources: [], triggers: [pulumi.unsecret(pem.apply(digest))] };
  } else if (app.clientSecret !== undefined) {
    const clientSecret = pulumi.secret(given(app.clientSecret));
    checkCredential = { clientSecret, resources: [], triggers: [pulumi.unsecret(clientSecret.apply(digest))] };
  }
  return {
    identity: {
      clientId: app.clientId,
      applicationObjectId: app.applicationObjectId,
      ...(app.certificateThumbprint === undefined ? {} : { certificate: { thumbprint: given(app.certificateThumbprint) } }),
    },
    displayName: app.displayName ?? PROJECT,
    checkCredential,
  };
}

/**
 * A multi-tenant app's access to Exchange in a customer tenant (the MSP pattern): the app's service principal in
 * that tenant, admin consent for `Exchange.ManageAsApp` and the directory role, and the app's Exchange RBAC there,
 * all through the customer tenant's `azuread` provider (`opts.providers`). The app and its credentials stay in the
 * home tenant; the post-deploy check signs in with the app's credential.
 */
export class CustomerTenantAccess extends pulumi.ComponentResource {
  // The children live outside the instance's properties: Pulumi's schema inference reads every class property as an
  // output, and these are TypeScript-only handles (provider/schema).
  get servicePrincipal(): azuread.ServicePrincipal {
    return partsOf(this).servicePrincipal;
  }
  get grant(): ExchangeAccessGrant {
    return partsOf(this).grant;
  }
  /** The app's Exchange RBAC in the customer's Exchange (`exchangeRoles`), signed in to the customer tenant. */
  get exchangeRbac(): ExchangeRbac | undefined {
    return partsOf(this).exchangeRbac;
  }
  get verification(): ExchangeAccessCheck | undefined {
    return partsOf(this).verification;
  }
  /** The stack outputs of this tenant (what the stack program exports). */
  get outputs(): TenantOutputs {
    return partsOf(this).outputs;
  }

  /** Object id of the app's service principal in this customer tenant: what consent and the directory role are granted to. */
  declare readonly servicePrincipalObjectId: pulumi.Output<string>;
  /** Ready-to-paste Connect-ExchangeOnline lines for this customer tenant's organization. */
  declare readonly connectExchangeOnline: pulumi.Output<ConnectExchangeOnlineLines>;
  /** What the post-deploy check found in this tenant when `pulumi up` ran it (`verifyOnUp`); absent when it did not run. */
  declare readonly check: pulumi.Output<AccessCheckResult | undefined>;

  constructor(name: string, args: CustomerTenantAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    const { app: given, ...keys } = args ?? ({} as CustomerTenantAccessArgs);
    checkApp(given);
    const tenant = tenantSpecFromArgs(keys, CUSTOMER_TENANT_RULES);
    super("exchange-app-only:index:CustomerTenantAccess", name, {}, opts);
    const home = given instanceof ExchangeAppOnly ? homeOfComponent(given) : homeOfOutputs(given);
    const app = home.identity;
    const parts = PARTS.start(this, {});

    // The app's principal here, and so its consent and role, waits until the provider's tenant is confirmed.
    const tenantConfirmed = confirmedTenant("CustomerTenantAccess", tenant.tenantId, this);
    const clientId = pulumi.all([app.clientId, tenantConfirmed]).apply(([id]) => id);
    parts.servicePrincipal = new azuread.ServicePrincipal(`${name}-sp`, { clientId }, { parent: this });
    parts.grant = new ExchangeAccessGrant(`${name}-exchange`, { principalObjectId: this.servicePrincipal.objectId, ...grantFor(tenant) }, { parent: this });
    const principal = { appId: app.clientId, servicePrincipalObjectId: this.servicePrincipal.objectId, displayName: home.displayName };
    parts.exchangeRbac = exchangeRbacFor(`${name}-exchange-rbac`, tenant, principal, { parent: this });
    if (tenant.verifyOnUp && home.checkCredential) {
      parts.verification = ExchangeAccessCheck.after(
        `${name}-verify`,
        { tenant, clientId: app.clientId, credential: home.checkCredential, grant: this.grant, exchangeRbacGrants: this.exchangeRbac?.grants },
        { parent: this },
      );
    }

    parts.outputs = tenantOutputs(tenant, app, this.servicePrincipal.objectId);
    const properties = outputProperties(this.outputs, this.verification);
    Object.assign(this, { servicePrincipalObjectId: properties.servicePrincipalObjectId, connectExchangeOnline: properties.connectExchangeOnline, check: properties.check });
    this.registerOutputs({ servicePrincipalObjectId: this.servicePrincipal.objectId });
  }
}

/** The children of one `CustomerTenantAccess`, kept off the instance (see the getters). */
interface Parts {
  servicePrincipal: azuread.ServicePrincipal;
  grant: ExchangeAccessGrant;
  exchangeRbac?: ExchangeRbac;
  verification?: ExchangeAccessCheck;
  outputs: TenantOutputs;
}
const PARTS = childHandles<CustomerTenantAccess, Parts>();
const partsOf = PARTS.of;
