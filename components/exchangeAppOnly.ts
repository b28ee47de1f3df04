import * as pulumi from "@pulumi/pulumi";
import type { TenantConfig } from "../src/config/stackConfig";
import { AppRegistration, type SignInAudience } from "./appRegistration";
import { CertificateCredential } from "./certificateCredential";
import { ClientSecretCredential } from "./clientSecretCredential";
import { ExchangeAccessGrant, grantFor, type ExchangeAccessGrantArgs } from "./exchangeAccessGrant";
import { ExchangeAccessCheck, type CheckCredential } from "./exchangeCheck";
import { exchangeRbacFor, type ExchangeRbac } from "./exchangeRbac";
import { FederatedCredentials } from "./federatedCredentials";
import { tenantOutputs, type AppIdentity, type TenantOutputs } from "./tenantOutputs";

export interface ExchangeAppOnlyArgs {
  /** One tenant's validated config (`parseTenantConfig`). */
  readonly tenant: TenantConfig;
  /** `AzureADMultipleOrgs` for the home tenant of a multi-tenant app; single-tenant by default. */
  readonly signInAudience?: SignInAudience;
}


/**
 * Everything Exchange Online app-only access needs in one tenant: app registration with the
 * `Exchange.ManageAsApp` permission, its service principal, admin consent, a directory role Exchange accepts,
 * and the credentials the config asks for. Pass the tenant's `azuread` provider in `opts.providers`.
 */
export class ExchangeAppOnly extends pulumi.ComponentResource {
  readonly registration: AppRegistration;
  readonly grant: ExchangeAccessGrant;
  readonly certificate?: CertificateCredential;
  readonly clientSecret?: ClientSecretCredential;
  readonly federated?: FederatedCredentials;
  /** The app's Exchange RBAC (`exchangeRoles`): its principal in Exchange and one grant an entry. */
  readonly exchangeRbac?: ExchangeRbac;
  /** The post-deploy check run by `pulumi up` (`verifyOnUp`). */
  readonly verification?: ExchangeAccessCheck;
  /**
   * What a check can sign in with: the generated certificate when there is one (the credential Exchange
   * recommends), else the secret; undefined when the stack holds neither. A multi-tenant app's customer tenants
   * are checked with it too.
   */
  readonly checkCredential?: CheckCredential;
  readonly outputs: TenantOutputs;
  private readonly tenantFederated: TenantConfig["federatedCredentials"];

  constructor(name: string, args: ExchangeAppOnlyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("exchange-app-only:index:ExchangeAppOnly", name, {}, opts);
    const tenant = args.tenant;
    const child = { parent: this };
    this.tenantFederated = tenant.federatedCredentials;

    const grants = grantFor(tenant);
    this.registration = new AppRegistration(
      `${name}-registration`,
      {
        displayName: tenant.displayName,
        // An adopted app with no owners configured keeps the owners it has.
        owners: tenant.adopt && tenant.owners.length === 0 ? undefined : [...tenant.owners],
        protect: tenant.protect,
        adopt: tenant.adopt,
        signInAudience: args.signInAudience,
        exchangeOnlineProtection: grants.exchangeOnlineProtection,
      },
      child,
    );
    const applicationId = this.registration.application.id;

    this.grant = new ExchangeAccessGrant(
      `${name}-exchange`,
      { principalObjectId: this.registration.servicePrincipal.objectId, ...grants, existing: adopted(tenant) },
      child,
    );
    this.exchangeRbac = exchangeRbacFor(
      `${name}-exchange-rbac`,
      tenant,
      { appId: this.registration.clientId, servicePrincipalObjectId: this.registration.servicePrincipal.objectId, displayName: tenant.displayName },
      child,
    );

    if (tenant.certificate) {
      this.certificate = new CertificateCredential(
        `${name}-certificate`,
        { applicationId, certificate: tenant.certificate, commonName: tenant.displayName },
        child,
      );
    }
    if (tenant.clientSecret) {
      this.clientSecret = new ClientSecretCredential(
        `${name}-secret`,
        { applicationId, secret: tenant.clientSecret, displayName: tenant.displayName },
        child,
      );
    }
    if (tenant.federatedCredentials.length > 0) {
      this.federated = new FederatedCredentials(
        `${name}-federated`,
        { applicationId, credentials: tenant.federatedCredentials },
        child,
      );
    }

    this.checkCredential = this.credentialForChecks();
    if (tenant.verifyOnUp && this.checkCredential) this.verification = this.verify(name, tenant, this.checkCredential);

    this.outputs = tenantOutputs(tenant, this.app, this.registration.servicePrincipal.objectId);
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
      certificate: this.certificate,
      clientSecret: this.clientSecret,
      federatedCredentials: this.federated ? this.tenantFederated : undefined,
    };
  }

  private credentialForChecks(): CheckCredential | undefined {
    const resources: pulumi.CustomResource[] = [...(this.certificate?.credentials ?? []), ...(this.clientSecret?.passwords ?? [])];
    const certificate = this.certificate;
    if (certificate?.privateKeyPem) {
      const pem = pulumi.all([certificate.privateKeyPem, certificate.certificatePem]).apply(([key, cert]) => `${key}\n${cert}`);
      return { certificatePem: pem, resources };
    }
    return this.clientSecret ? { clientSecret: this.clientSecret.value, resources } : undefined;
  }

  /** The check runs after consent, role and credential exist, and again whenever one of them is replaced. */
  private verify(name: string, tenant: TenantConfig, credential: CheckCredential): ExchangeAccessCheck {
    return ExchangeAccessCheck.after(
      `${name}-verify`,
      { tenant, clientId: this.registration.clientId, credential, grant: this.grant, exchangeRbacGrants: this.exchangeRbac?.grants },
      { parent: this },
    );
  }
}

/** What an adopted app already has in Entra: the consent and the role assignment, when the stack names them. */
function adopted(tenant: TenantConfig): ExchangeAccessGrantArgs["existing"] {
  const adopt = tenant.adopt;
  if (!adopt) return undefined;
  return {
    ...(adopt.consentAssignmentId && adopt.exchangeServicePrincipalObjectId
      ? { consent: { exchangeServicePrincipalObjectId: adopt.exchangeServicePrincipalObjectId, assignmentId: adopt.consentAssignmentId } }
      : {}),
    ...(adopt.roleAssignmentId ? { roleAssignmentId: adopt.roleAssignmentId } : {}),
  };
}
