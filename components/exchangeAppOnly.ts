import * as pulumi from "@pulumi/pulumi";
import type { TenantConfig } from "../src/config/stackConfig";
import { connectWithAccessToken, connectWithCertificateFile, connectWithThumbprint } from "../src/connectCommands";
import type { StackOutputs } from "../src/stackOutputs";
import { AppRegistration } from "./appRegistration";
import { CertificateCredential } from "./certificateCredential";
import { ClientSecretCredential } from "./clientSecretCredential";
import { ExchangeAccessGrant, type ExchangeAccessGrantArgs } from "./exchangeAccessGrant";
import { ExchangeAccessCheck } from "./exchangeCheck";
import { FederatedCredentials } from "./federatedCredentials";

export interface ExchangeAppOnlyArgs {
  /** One tenant's validated config (`parseTenantConfig`). */
  readonly tenant: TenantConfig;
}

/** The stack outputs of one tenant: known values as they are, the rest as Pulumi outputs. */
export type ExchangeAppOnlyOutputs = { readonly [K in keyof StackOutputs]: pulumi.Input<NonNullable<StackOutputs[K]>> };

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
  /** The post-deploy check run by `pulumi up` (`verifyOnUp`). */
  readonly verification?: ExchangeAccessCheck;
  readonly outputs: ExchangeAppOnlyOutputs;

  constructor(name: string, args: ExchangeAppOnlyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("exchange-app-only:index:ExchangeAppOnly", name, {}, opts);
    const tenant = args.tenant;
    const child = { parent: this };

    this.registration = new AppRegistration(
      `${name}-registration`,
      {
        displayName: tenant.displayName,
        // An adopted app with no owners configured keeps the owners it has.
        owners: tenant.adopt && tenant.owners.length === 0 ? undefined : [...tenant.owners],
        protect: tenant.protect,
        adopt: tenant.adopt,
      },
      child,
    );
    const applicationId = this.registration.application.id;

    this.grant = new ExchangeAccessGrant(
      `${name}-exchange`,
      { principalObjectId: this.registration.servicePrincipal.objectId, role: tenant.role, existing: adopted(tenant) },
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

    if (tenant.verifyOnUp) this.verification = this.verify(name, tenant);

    this.outputs = this.describe(tenant);
    // The stack exports `outputs`; the component's own state keeps only what identifies the app, no secret twice.
    this.registerOutputs({
      clientId: this.registration.clientId,
      servicePrincipalObjectId: this.registration.servicePrincipal.objectId,
    });
  }

  /**
   * The check runs after consent, role and credential exist, and again whenever one of them is replaced. It signs
   * in with the generated certificate when there is one (the credential Exchange recommends), else the secret.
   */
  private verify(name: string, tenant: TenantConfig): ExchangeAccessCheck {
    const certificate = this.certificate?.privateKeyPem ? this.certificate : undefined;
    const credentials: pulumi.CustomResource[] = [
      ...(this.certificate?.credentials ?? []),
      ...(this.clientSecret?.passwords ?? []),
    ];
    return new ExchangeAccessCheck(
      `${name}-verify`,
      {
        tenantId: tenant.tenantId,
        clientId: this.registration.clientId,
        environment: tenant.cloud.name,
        organization: tenant.organization,
        ...(certificate
          ? { certificatePem: pulumi.all([certificate.privateKeyPem!, certificate.certificatePem]).apply(([key, cert]) => `${key}\n${cert}`) }
          : { clientSecret: this.clientSecret!.value }),
        triggers: [this.grant.consent.id, this.grant.roleAssignment.id, ...credentials.map((c) => c.id)],
      },
      { parent: this, dependsOn: [this.grant.consent, this.grant.roleAssignment, ...credentials] },
    );
  }

  // Values known from config stay plain: every Output costs the SDK a promise and a captured stack trace.
  private describe(tenant: TenantConfig): ExchangeAppOnlyOutputs {
    const clientId = this.registration.clientId;
    const certificate = this.certificate;
    return {
      tenantId: tenant.tenantId,
      organization: tenant.organization,
      environment: tenant.cloud.name,
      clientId,
      applicationObjectId: this.registration.application.objectId,
      servicePrincipalObjectId: this.registration.servicePrincipal.objectId,
      roleName: tenant.role.name,
      roleTemplateId: tenant.role.templateId,
      authorityHost: tenant.cloud.authorityHost,
      exchangeResource: tenant.cloud.exchangeResource,
      certificateThumbprint: certificate?.thumbprint,
      certificateEndDate: certificate?.endDate,
      certificates: certificate ? pulumi.output(certificate.certificates) : undefined,
      certificatePem: certificate?.certificatePem,
      certificatePrivateKeyPem: certificate?.privateKeyPem,
      certificatePfxBase64: certificate?.pfxBase64,
      clientSecret: this.clientSecret?.value,
      clientSecretEndDate: this.clientSecret?.endDate,
      federatedCredentials: this.federated ? tenant.federatedCredentials : undefined,
      connectExchangeOnline: pulumi.all([clientId, certificate?.thumbprint]).apply(([id, thumbprint]) => {
        const target = { clientId: id, organization: tenant.organization, cloud: tenant.cloud };
        return {
          ...(thumbprint ? { certificateThumbprint: connectWithThumbprint(target, thumbprint) } : {}),
          ...(certificate?.pfxBase64 ? { certificateFile: connectWithCertificateFile(target) } : {}),
          accessToken: connectWithAccessToken(target),
        };
      }),
    };
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
