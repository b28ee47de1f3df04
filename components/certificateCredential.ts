import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { certificateThumbprint, toPfxBase64 } from "../src/credentials/certificates";
import type { CertificateSpec, SuppliedCertificateSpec } from "./tenantSpec";
import { liveGenerations } from "../src/credentials/rotation";

export interface CertificateCredentialArgs {
  /** `/applications/{objectId}` of the app registration (`Application.id`). */
  readonly applicationId: pulumi.Input<string>;
  readonly certificate: CertificateSpec;
  /** Subject common name of a generated certificate. */
  readonly commonName: pulumi.Input<string>;
}

/** One certificate on the app, as the outputs describe it. */
export interface CertificateSummary {
  readonly generation: number;
  readonly thumbprint: pulumi.Input<string>;
  /** RFC 3339 end of validity. */
  readonly endDate: pulumi.Input<string>;
  /** True for the certificate the other outputs (thumbprint, key, PFX) hand out. */
  readonly current: boolean;
}

interface Issued {
  readonly certificatePem: pulumi.Input<string>;
  readonly thumbprint: pulumi.Input<string>;
  readonly startDate: pulumi.Input<string>;
  readonly endDate: pulumi.Input<string>;
  readonly privateKeyPem?: pulumi.Output<string>;
}

/**
 * The recommended credential: an X.509 certificate on the app registration. Either generated here (RSA, since
 * Exchange's PowerShell module needs a legacy-CSP RSA key, not CNG or ECDSA) or a public certificate supplied
 * by the stack, whose key never leaves where the app runs.
 *
 * Generated certificates rotate with overlap (`liveGenerations`): generation g and g - 1 are both on the app, so
 * `certificateRotation: g + 1` adds the new certificate before the one consumers hold goes. Generation 0 keeps the
 * resource names this component has always used, so existing stacks see no change.
 */
export class CertificateCredential extends pulumi.ComponentResource {
  /** SHA-1 thumbprint of the current certificate, the form `Connect-ExchangeOnline -CertificateThumbprint` takes. */
  readonly thumbprint: pulumi.Input<string>;
  readonly certificatePem: pulumi.Input<string>;
  /** RFC 3339 end of validity of the current certificate. */
  readonly endDate: pulumi.Input<string>;
  /** Secret. Only for a generated certificate: the current one's key. */
  readonly privateKeyPem?: pulumi.Output<string>;
  /** Secret. Base64 PFX (empty password) of the current generated certificate. */
  readonly pfxBase64?: pulumi.Output<string>;
  /** Every certificate on the app, oldest first. */
  readonly certificates: readonly CertificateSummary[];
  /** The app's certificate credentials, oldest first; the last is the current one. */
  readonly credentials: readonly azuread.ApplicationCertificate[];

  constructor(name: string, args: CertificateCredentialArgs, opts?: pulumi.ComponentResourceOptions) {
    super("exchange-app-only:index:CertificateCredential", name, {}, opts);
    const certificate = args.certificate;

    const generations =
      certificate.kind === "generated"
        ? liveGenerations(certificate.rotation).map((g) => ({ ...g, issued: this.generate(`${name}${g.generation === 0 ? "" : `-g${g.generation}`}`, args, certificate) }))
        : [{ generation: 0, current: true, issued: supplied(certificate) }];

    this.credentials = generations.map(
      ({ generation, issued }) =>
        new azuread.ApplicationCertificate(
          `${name}${generation === 0 ? "" : `-g${generation}`}-credential`,
          {
            applicationId: args.applicationId,
            type: "AsymmetricX509Cert",
            encoding: "pem",
            value: issued.certificatePem,
            startDate: issued.startDate,
            endDate: issued.endDate,
          },
          { parent: this },
        ),
    );
    this.certificates = generations.map(({ generation, current, issued }) => ({ generation, current, thumbprint: issued.thumbprint, endDate: issued.endDate }));

    const current = generations[generations.length - 1]!.issued;
    this.certificatePem = current.certificatePem;
    this.thumbprint = current.thumbprint;
    this.endDate = current.endDate;
    if (current.privateKeyPem) {
      this.privateKeyPem = current.privateKeyPem;
      // Secret because the key is: secrecy flows through `all`.
      this.pfxBase64 = pulumi.all([current.privateKeyPem, current.certificatePem]).apply(([k, c]) => toPfxBase64(k, c));
    }

    this.registerOutputs({ thumbprint: this.thumbprint, certificatePem: this.certificatePem });
  }

  private generate(prefix: string, args: CertificateCredentialArgs, certificate: Extract<CertificateSpec, { kind: "generated" }>): Issued {
    const key = new tls.PrivateKey(`${prefix}-key`, { algorithm: "RSA", rsaBits: certificate.rsaBits }, { parent: this });
    const cert = new tls.SelfSignedCert(
      `${prefix}-cert`,
      {
        privateKeyPem: key.privateKeyPem,
        subject: { commonName: args.commonName },
        validityPeriodHours: certificate.validityDays * 24,
        allowedUses: ["digital_signature", "key_encipherment", "client_auth"],
      },
      { parent: this },
    );
    return {
      certificatePem: cert.certPem,
      thumbprint: cert.certPem.apply(certificateThumbprint),
      startDate: cert.validityStartTime,
      endDate: cert.validityEndTime,
      // Explicit, not left to the providers' additionalSecretOutputs: the engine applies those, mocks and
      // previews do not, and a secret must be one everywhere.
      privateKeyPem: pulumi.secret(key.privateKeyPem),
    };
  }
}

function supplied(certificate: SuppliedCertificateSpec): Issued {
  return { certificatePem: certificate.pem, thumbprint: certificate.thumbprint, startDate: certificate.startDate, endDate: certificate.endDate };
}
