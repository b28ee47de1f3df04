import * as pulumi from "@pulumi/pulumi";
import { TENANT_ACCESS_ARG_KEYS, type ExchangeAppOnlyArgs } from "./args";
import { AppRegistration } from "./appRegistration";
import { CertificateCredential } from "./certificateCredential";
import { ClientSecretCredential } from "./clientSecretCredential";
import { ExchangeAccessGrant, grantFor, type ExchangeAccessGrantArgs } from "./exchangeAccessGrant";
import { ExchangeAccessCheck, type CheckCredential } from "./exchangeCheck";
import { exchangeRbacFor, type ExchangeRbac } from "./exchangeRbac";
import { FederatedCredentials } from "./federatedCredentials";
import { outputProperties, type AccessCheckResult, type ConnectExchangeOnlineLines, type ConnectIPPSSessionLines, type ExchangeAppOnlyOutputs } from "./outputProperties";
import { confirmedTenant } from "./providerTenant";
import { tenantOutputs, type AppIdentity, type TenantOutputs } from "./tenantOutputs";
import type { TenantSpec } from "./tenantSpec";
import { tenantSpecFromArgs, type ArgRules } from "./validateArgs";
import { childHandles } from "./childHandles";

/** The config keys `ExchangeAppOnly` takes as args. */
export const EXCHANGE_APP_ONLY_ARG_KEYS = [
  ...TENANT_ACCESS_ARG_KEYS,
  "displayName",
  "owners",
  "protect",
  "certificate",
  "certificateValidityDays",
  "certificateRsaBits",
  "certificateRotation",
  "clientSecret",
  "clientSecretLifetimeDays",
  "clientSecretRotation",
  "federatedCredentials",
  "adopt",
] as const satisfies readonly (keyof ExchangeAppOnlyArgs)[];

/** How `ExchangeAppOnly` validates its args (`multiTenant` aside); the plugin's Construct checks by the same rules. */
export const EXCHANGE_APP_ONLY_RULES: ArgRules = { component: "ExchangeAppOnly", keys: EXCHANGE_APP_ONLY_ARG_KEYS };

/**
 * Everything Exchange Online app-only access needs in one tenant: app registration with the
 * `Exchange.ManageAsApp` permission, its service principal, admin consent, a directory role Exchange accepts,
 * the credentials the args ask for, the app's Exchange RBAC (`exchangeRoles`) and the post-deploy check
 * (`verifyOnUp`). The args are the stack config keys, validated by the same rules before anything registers.
 * It uses the `azuread` provider in `opts.providers` (or the default one), signed in to `tenantId`.
 *
 * @example
 * const exo = new ExchangeAppOnly("exo", { tenantId: "…", organization: "contoso.onmicrosoft.com", role: "Exchange Recipient Administrator" });
 * export const connect = exo.connectExchangeOnline;
 */
export class ExchangeAppOnly extends pulumi.ComponentResource implements ExchangeAppOnlyOutputs {
  // The children live outside the instance (`PARTS`, components/childHandles.ts), behind getters: Pulumi's schema
  // inference reads every class property as an output, and these are TypeScript-only handles (provider/schema).
  get registration(): AppRegistration {
    return partsOf(this).registration;
  }
  get grant(): ExchangeAccessGrant {
    return partsOf(this).grant;
  }
  get certificateCredential(): CertificateCredential | undefined {
    return partsOf(this).certificateCredential;
  }
  get secretCredential(): ClientSecretCredential | undefined {
    return partsOf(this).secretCredential;
  }
  get federated(): FederatedCredentials | undefined {
    return partsOf(this).federated;
  }
  /** The app's Exchange RBAC (`exchangeRoles`): its principal in Exchange and one grant an entry. */
  get exchangeRbac(): ExchangeRbac | undefined {
    return partsOf(this).exchangeRbac;
  }
  /** The post-deploy check run by `pulumi up` (`verifyOnUp`). */
  get verification(): ExchangeAccessCheck | undefined {
    return partsOf(this).verification;
  }
  /**
   * What a check can sign in with: the generated certificate when there is one (the credential Exchange
   * recommends), else the secret; undefined when the component holds neither. A multi-tenant app's customer
   * tenants are checked with it too.
   */
  get checkCredential(): CheckCredential | undefined {
    return partsOf(this).checkCredential;
  }
  /** The stack outputs of this tenant (what the stack program exports). */
  get outputs(): TenantOutputs {
    return partsOf(this).outputs;
  }
  /** Validated args, as the children were built from them. */
  get tenant(): TenantSpec {
    return partsOf(this).tenant;
  }

  /** The app's client (application) id: Connect-ExchangeOnline's `-AppId`. */
  declare readonly clientId: pulumi.Output<string>;
  /** Object id of the app registration. */
  declare readonly applicationObjectId: pulumi.Output<string>;
  /** Object id of the app's service principal: what consent and the directory role are granted to. */
  declare readonly servicePrincipalObjectId: pulumi.Output<string>;
  /** The directory role assigned, or `none` (`role: none`: the app's rights are its `exchangeRoles`). */
  declare readonly roleName: pulumi.Output<string>;
  /** The directory role's template id; absent with `role: none`. */
  declare readonly roleTemplateId: pulumi.Output<string | undefined>;
  /** Entra ID login host of the tenant's cloud, for example `https://login.microsoftonline.com`. */
  declare readonly authorityHost: pulumi.Output<string>;
  /** Exchange Online resource (the token audience) of the tenant's cloud, for example `https://outlook.office365.com`. */
  declare readonly exchangeResource: pulumi.Output<string>;
  /** SHA-1 thumbprint (40 upper-case hex digits) of the current certificate, the form `-CertificateThumbprint` takes; absent without a certificate. */
  declare readonly certificateThumbprint: pulumi.Output<string | undefined>;
  /** When the current certificate expires (RFC 3339); absent without a certificate. */
  declare readonly certificateEndDate: pulumi.Output<string | undefined>;
  /** The current certificate, public part (PEM); absent without a certificate. */
  declare readonly certificatePem: pulumi.Output<string | undefined>;
  /**
   * The private key (PEM) of a generated certificate; absent for a certificate passed in.
   * @secret
   */
  declare readonly certificatePrivateKeyPem: pulumi.Output<string | undefined>;
  /**
   * The generated certificate with its key as base64 PKCS#12 (PFX, empty password, 3DES/SHA-1 so Windows imports it).
   * @secret
   */
  declare readonly certificatePfxBase64: pulumi.Output<string | undefined>;
  /**
   * The current client secret, with `clientSecret: true`.
   * @secret
   */
  declare readonly clientSecret: pulumi.Output<string | undefined>;
  /** When the current client secret expires (RFC 3339); absent without one. */
  declare readonly clientSecretEndDate: pulumi.Output<string | undefined>;
  /** Ready-to-paste Connect-ExchangeOnline lines, one a credential kind the app has. */
  declare readonly connectExchangeOnline: pulumi.Output<ConnectExchangeOnlineLines>;
  /** With `compliance` in `workloads`: ready-to-paste Connect-IPPSSession lines for the tenant's cloud. */
  declare readonly connectIPPSSession: pulumi.Output<ConnectIPPSSessionLines | undefined>;
  /** What the post-deploy check found when `pulumi up` ran it (`verifyOnUp`); absent when it did not run. */
  declare readonly check: pulumi.Output<AccessCheckResult | undefined>;

  constructor(name: string, args: ExchangeAppOnlyArgs, opts?: pulumi.ComponentResourceOptions) {
    const { multiTenant, ...keys } = args ?? ({} as ExchangeAppOnlyArgs);
    // Validated before the component itself registers: a bad arg leaves nothing behind.
    const tenant = tenantSpecFromArgs(keys, EXCHANGE_APP_ONLY_RULES);
    super("exchange-app-only:index:ExchangeAppOnly", name, {}, opts);
    const child = { parent: this };
    const parts = PARTS.start(this, { tenant });

    const grants = grantFor(tenant);
    // Everything of the app hangs off its registration, which waits until the provider's tenant is confirmed.
    const tenantConfirmed = confirmedTenant("ExchangeAppOnly", tenant.tenantId, this);
    parts.registration = new AppRegistration(
      `${name}-registration`,
      {
        displayName: pulumi.all([tenant.displayName, tenantConfirmed]).apply(([displayName]) => displayName),
        // An adopted app with no owners configured keeps the owners it has.
        owners: tenant.adopt && Array.isArray(tenant.owners) && tenant.owners.length === 0 ? undefined : tenant.owners,
        protect: tenant.protect,
        adopt: tenant.adopt,
        signInAudience: multiTenant ? "AzureADMultipleOrgs" : undefined,
        exchangeOnlineProtection: grants.exchangeOnlineProtection,
      },
      child,
    );
    const applicationId = this.registration.application.id;

    parts.grant = new ExchangeAccessGrant(
      `${name}-exchange`,
      { principalObjectId: this.registration.servicePrincipal.objectId, ...grants, existing: adopted(tenant) },
      child,
    );
    parts.exchangeRbac = exchangeRbacFor(
      `${name}-exchange-rbac`,
      tenant,
      { appId: this.registration.clientId, servicePrincipalObjectId: this.registration.servicePrincipal.objectId, displayName: tenant.displayName },
      child,
    );

    if (tenant.certificate) {
      parts.certificateCredential = new CertificateCredential(
        `${name}-certificate`,
        { applicationId, certificate: tenant.certificate, commonName: tenant.displayName },
        child,
      );
    }
    if (tenant.clientSecret) {
      parts.secretCredential = new ClientSecretCredential(
        `${name}-secret`,
        { applicationId, secret: tenant.clientSecret, displayName: tenant.displayName },
        child,
      );
    }
    if (tenant.federatedCredentials.length > 0) {
      parts.federated = new FederatedCredentials(
        `${name}-federated`,
        { applicationId, credentials: tenant.federatedCredentials },
        child,
      );
    }

    parts.checkCredential = this.credentialForChecks();
    if (tenant.verifyOnUp && this.checkCredential) parts.verification = this.verify(name, tenant, this.checkCredential);

    parts.outputs = tenantOutputs(tenant, this.app, this.registration.servicePrincipal.objectId);
    Object.assign(this, outputProperties(this.outputs, this.verification));
    // The stack exports `outputs`; the component's own state keeps only what identifies the app, no secret twice.
    this.registerOutputs({
      clientId: this.registration.clientId,
      servicePrincipalObjectId: this.registration.servicePrincipal.objectId,
    });
  }

  /** The app and its credentials, as the outputs (and a multi-tenant app's customer tenants) describe it. */
  get app(): AppIdentity {
    return {
      clientId: this.registration.clientId,
      applicationObjectId: this.registration.application.objectId,
      certificate: this.certificateCredential,
      clientSecret: this.secretCredential,
      federatedCredentials: this.federated ? this.tenant.federatedCredentials : undefined,
    };
  }

  private credentialForChecks(): CheckCredential | undefined {
    const resources: pulumi.CustomResource[] = [...(this.certificateCredential?.credentials ?? []), ...(this.secretCredential?.passwords ?? [])];
    const certificate = this.certificateCredential;
    if (certificate?.privateKeyPem) {
      const pem = pulumi.all([certificate.privateKeyPem, certificate.certificatePem]).apply(([key, cert]) => `${key}\n${cert}`);
      return { certificatePem: pem, resources };
    }
    return this.secretCredential ? { clientSecret: this.secretCredential.value, resources } : undefined;
  }

  /** The check runs after consent, role and credential exist, and again whenever one of them is replaced. */
  private verify(name: string, tenant: TenantSpec, credential: CheckCredential): ExchangeAccessCheck {
    return ExchangeAccessCheck.after(
      `${name}-verify`,
      { tenant, clientId: this.registration.clientId, credential, grant: this.grant, exchangeRbacGrants: this.exchangeRbac?.grants },
      { parent: this },
    );
  }
}

/** The children and validated args of one `ExchangeAppOnly`, kept off the instance (see the getters). */
interface Parts {
  tenant: TenantSpec;
  registration: AppRegistration;
  grant: ExchangeAccessGrant;
  certificateCredential?: CertificateCredential;
  secretCredential?: ClientSecretCredential;
  federated?: FederatedCredentials;
  exchangeRbac?: ExchangeRbac;
  verification?: ExchangeAccessCheck;
  checkCredential?: CheckCredential;
  outputs: TenantOutputs;
}
const PARTS = childHandles<ExchangeAppOnly, Parts>();
const partsOf = PARTS.of;

/** What an adopted app already has in Entra: the consent and the role assignment, when the stack names them. */
function adopted(tenant: TenantSpec): ExchangeAccessGrantArgs["existing"] {
  const adopt = tenant.adopt;
  if (!adopt) return undefined;
  return {
    ...(adopt.consentAssignmentId && adopt.exchangeServicePrincipalObjectId
      ? { consent: { exchangeServicePrincipalObjectId: adopt.exchangeServicePrincipalObjectId, assignmentId: adopt.consentAssignmentId } }
      : {}),
    ...(adopt.roleAssignmentId ? { roleAssignmentId: adopt.roleAssignmentId } : {}),
  };
}

/** Compiles only when `ExchangeAppOnlyArgs` has no config key the list above leaves out (`multiTenant` is no config key). */
const everyAppKeyListed: Exclude<keyof ExchangeAppOnlyArgs, (typeof EXCHANGE_APP_ONLY_ARG_KEYS)[number] | "multiTenant"> extends never ? true : never = true;
void everyAppKeyListed;
