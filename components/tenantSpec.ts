/**
 * What the components are built from: one tenant's validated config, where a value a component arg may take from
 * another resource (`tenantId`, `displayName`, `owners`, a supplied certificate) is a `pulumi.Input`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CertificateConfig, TenantConfig } from "../src/config/stackConfig";

/** A public certificate the caller supplies: its PEM and what the app credential needs from it. */
export interface SuppliedCertificateSpec {
  readonly kind: "supplied";
  readonly pem: pulumi.Input<string>;
  /** SHA-1 thumbprint, upper-case hex. */
  readonly thumbprint: pulumi.Input<string>;
  /** RFC 3339 start and end of validity. */
  readonly startDate: pulumi.Input<string>;
  readonly endDate: pulumi.Input<string>;
}

export type CertificateSpec = Exclude<CertificateConfig, { kind: "supplied" }> | SuppliedCertificateSpec;

export interface TenantSpec extends Omit<TenantConfig, "tenantId" | "displayName" | "owners" | "certificate"> {
  readonly tenantId: pulumi.Input<string>;
  readonly displayName: pulumi.Input<string>;
  readonly owners: pulumi.Input<string[]>;
  readonly certificate?: CertificateSpec;
}

/** A supplied certificate's spec from its parsed config. */
export function suppliedSpec(certificate: Extract<CertificateConfig, { kind: "supplied" }>): SuppliedCertificateSpec {
  return {
    kind: "supplied",
    pem: certificate.pem,
    thumbprint: certificate.info.thumbprint,
    startDate: certificate.info.notBefore.toISOString(),
    endDate: certificate.info.notAfter.toISOString(),
  };
}

/** The spec of a config whose every value is known. */
export function specOf(config: TenantConfig): TenantSpec {
  const { certificate, owners, ...rest } = config;
  return {
    ...rest,
    owners: [...owners],
    ...(certificate ? { certificate: certificate.kind === "supplied" ? suppliedSpec(certificate) : certificate } : {}),
  };
}
