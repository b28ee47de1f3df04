import * as pulumi from "@pulumi/pulumi";
import type { TenantSpec } from "./tenantSpec";
import { adminApiOutputs } from "../src/outputs/adminApi";
import { connectIPPSSessionLines, connectWithAccessToken, connectWithCertificateFile, connectWithThumbprint } from "../src/outputs/connectCommands";
import { roleOutputs, type StackOutputs } from "../src/outputs/stackOutputs";
import type { CertificateCredential } from "./certificateCredential";
import type { ClientSecretCredential } from "./clientSecretCredential";

/** The stack outputs of one tenant: known values as they are, the rest as Pulumi outputs. */
export type TenantOutputs = { readonly [K in keyof StackOutputs]: pulumi.Input<NonNullable<StackOutputs[K]>> };

/**
 * What the outputs read of an app's certificate: a `CertificateCredential`, or (a customer tenant of an app made
 * elsewhere) the thumbprint the connect lines need.
 */
export type AppCertificate = Pick<CertificateCredential, "thumbprint"> & Partial<Pick<CertificateCredential, "endDate" | "certificates" | "certificatePem" | "privateKeyPem" | "pfxBase64">>;

/** The app a tenant reaches Exchange with: its own, or (a multi-tenant app's customer) the home tenant's. */
export interface AppIdentity {
  readonly clientId: pulumi.Input<string>;
  readonly applicationObjectId: pulumi.Input<string>;
  readonly certificate?: AppCertificate;
  readonly clientSecret?: Pick<ClientSecretCredential, "value"> & Partial<Pick<ClientSecretCredential, "endDate">>;
  /** Only the app's own tenant lists them. */
  readonly federatedCredentials?: TenantSpec["federatedCredentials"];
}

/**
 * One tenant's outputs (the `StackOutputs` contract): the tenant, the app, the tenant's service principal and
 * role, the credentials (secrets stay secrets) and ready-to-paste connect lines for that tenant's organization.
 * Values known from config stay plain: every Output costs the SDK a promise and a captured stack trace.
 */
export function tenantOutputs(tenant: TenantSpec, app: AppIdentity, servicePrincipalObjectId: pulumi.Input<string>): TenantOutputs {
  const { certificate, clientSecret } = app;
  // One output for both connect lines: every output costs (the SDK records each one's stack).
  const ids = pulumi.all([app.clientId, certificate?.thumbprint]);
  return {
    tenantId: tenant.tenantId,
    organization: tenant.organization,
    environment: tenant.cloud.name,
    clientId: app.clientId,
    applicationObjectId: app.applicationObjectId,
    servicePrincipalObjectId,
    ...roleOutputs(tenant.role),
    ...(tenant.workloads.length === 1 && tenant.workloads[0] === "exchange" ? {} : { workloads: tenant.workloads }),
    ...(tenant.exchangeRoles.length > 0 ? { exchangeRoles: tenant.exchangeRoles } : {}),
    authorityHost: tenant.cloud.authorityHost,
    exchangeResource: tenant.cloud.exchangeResource,
    certificateThumbprint: certificate?.thumbprint,
    certificateEndDate: certificate?.endDate,
    certificates: certificate?.certificates ? pulumi.output(certificate.certificates) : undefined,
    certificatePem: certificate?.certificatePem,
    certificatePrivateKeyPem: certificate?.privateKeyPem,
    certificatePfxBase64: certificate?.pfxBase64,
    clientSecret: clientSecret?.value,
    clientSecretEndDate: clientSecret?.endDate,
    federatedCredentials: app.federatedCredentials?.length ? app.federatedCredentials : undefined,
    connectExchangeOnline: ids.apply(([id, thumbprint]) => {
      const target = { clientId: id, organization: tenant.organization, cloud: tenant.cloud };
      return {
        ...(thumbprint ? { certificateThumbprint: connectWithThumbprint(target, thumbprint) } : {}),
        ...(certificate?.pfxBase64 ? { certificateFile: connectWithCertificateFile(target) } : {}),
        accessToken: connectWithAccessToken(target),
      };
    }),
    connectIPPSSession: tenant.workloads.includes("compliance")
      ? ids.apply(([id, thumbprint]) =>
          connectIPPSSessionLines({ clientId: id, organization: tenant.organization, cloud: tenant.cloud }, { thumbprint, pfx: certificate?.pfxBase64 !== undefined }),
        )
      : undefined,
    adminApi: tenant.adminApi ? pulumi.output(tenant.tenantId).apply((tenantId) => adminApiOutputs(tenant.cloud, tenantId)) : undefined,
  };
}
