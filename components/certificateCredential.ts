import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { certificateThumbprint, toPfxBase64 } from "../src/certificates";
import type { CertificateConfig } from "../src/config/stackConfig";

export interface CertificateCredentialArgs {
  /** `/applications/{objectId}` of the app registration (`Application.id`). */
  readonly applicationId: pulumi.Input<string>;
  readonly certificate: CertificateConfig;
  /** Subject common name of a generated certificate. */
  readonly commonName: pulumi.Input<string>;
}

/**
 * The recommended credential: an X.509 certificate on the app registration. Either generated here (RSA, since
 * Exchange's PowerShell module needs a legacy-CSP RSA key, not CNG or ECDSA) or a public certificate supplied
 * by the stack, whose key never leaves where the app runs.
 */
export class CertificateCredential extends pulumi.ComponentResource {
  /** SHA-1 thumbprint, the form `Connect-ExchangeOnline -CertificateThumbprint` takes. */
  readonly thumbprint: pulumi.Input<string>;
  readonly certificatePem: pulumi.Input<string>;
  /** Secret. Only for a generated certificate. */
  readonly privateKeyPem?: pulumi.Output<string>;
  /** Secret. Base64 PFX (empty password) of a generated certificate. */
  readonly pfxBase64?: pulumi.Output<string>;
  readonly credential: azuread.ApplicationCertificate;

  constructor(name: string, args: CertificateCredentialArgs, opts?: pulumi.ComponentResourceOptions) {
    super("exchange-app-only:index:CertificateCredential", name, {}, opts);
    const certificate = args.certificate;

    let startDate: pulumi.Input<string>;
    let endDate: pulumi.Input<string>;
    if (certificate.kind === "generated") {
      const key = new tls.PrivateKey(`${name}-key`, { algorithm: "RSA", rsaBits: certificate.rsaBits }, { parent: this });
      const cert = new tls.SelfSignedCert(
        `${name}-cert`,
        {
          privateKeyPem: key.privateKeyPem,
          subject: { commonName: args.commonName },
          validityPeriodHours: certificate.validityDays * 24,
          allowedUses: ["digital_signature", "key_encipherment", "client_auth"],
        },
        { parent: this },
      );
      this.certificatePem = cert.certPem;
      this.thumbprint = cert.certPem.apply(certificateThumbprint);
      // Explicit, not left to the providers' additionalSecretOutputs: the engine applies those, mocks and
      // previews do not, and a secret must be one everywhere.
      this.privateKeyPem = pulumi.secret(key.privateKeyPem);
      // Secret because the key is: secrecy flows through `all`.
      this.pfxBase64 = pulumi.all([this.privateKeyPem, cert.certPem]).apply(([k, c]) => toPfxBase64(k, c));
      startDate = cert.validityStartTime;
      endDate = cert.validityEndTime;
    } else {
      this.certificatePem = certificate.pem;
      this.thumbprint = certificate.info.thumbprint;
      startDate = certificate.info.notBefore.toISOString();
      endDate = certificate.info.notAfter.toISOString();
    }

    this.credential = new azuread.ApplicationCertificate(
      `${name}-credential`,
      {
        applicationId: args.applicationId,
        type: "AsymmetricX509Cert",
        encoding: "pem",
        value: this.certificatePem,
        startDate,
        endDate,
      },
      { parent: this },
    );

    this.registerOutputs({ thumbprint: this.thumbprint, certificatePem: this.certificatePem });
  }
}
