/**
 * Credential material, read and checked before any request: a PEM with key and certificate (the federated token
 * readers are in src/credentials/federatedToken.ts). Failures are CheckSetupError (ERR_CREDENTIAL): the CLI exits 2.
 * Messages name files and variables, never their contents.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";
import { MIN_RSA_BITS } from "../facts";
import { CheckSetupError } from "../errors";

/** What msal-node's `clientCertificate` wants, plus what a report may say about the certificate. */
export interface ParsedCertificate {
  /** Hex SHA-256 thumbprint, no separators. */
  readonly thumbprintSha256: string;
  /** Hex SHA-1 thumbprint (upper case), as the Entra portal and Connect-ExchangeOnline show it. */
  readonly thumbprintSha1: string;
  /** PKCS#8 PEM private key. Secret. */
  readonly privateKey: string;
  /** The certificate chain as PEM: msal sends it in the assertion's x5c header. */
  readonly x5c: string;
  readonly subject: string;
  readonly validTo: Date;
  readonly validFrom: Date;
}

const thumbprintSha1 = (cert: X509Certificate): string => cert.fingerprint.replace(/:/g, "").toUpperCase();
const describeCertificate = (cert: X509Certificate): string => `${cert.subject.replace(/\n/g, ", ")}, thumbprint ${thumbprintSha1(cert)}`;

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const KEY_BLOCK = /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[\s\S]+?-----END \1-----/;

/**
 * Reads a PEM that holds a private key and its certificate (the format `--certificate-file` and the stack's
 * `certificatePrivateKeyPem` + `certificatePem` use). `where` names the source in messages.
 */
export function parseCertificatePem(pem: string, where: string): ParsedCertificate {
  const certs = pem.match(CERT_BLOCK) ?? [];
  const keyMatch = KEY_BLOCK.exec(pem);
  const remedyFormat =
    "Give one PEM file holding the private key (-----BEGIN PRIVATE KEY-----) and its certificate (-----BEGIN CERTIFICATE-----), for example `cat key.pem cert.pem > app.pem`.";
  if (certs.length === 0) throw new CheckSetupError("ERR_CREDENTIAL", `${where} holds no certificate (no -----BEGIN CERTIFICATE----- block)`, remedyFormat);
  if (!keyMatch) throw new CheckSetupError("ERR_CREDENTIAL", `${where} holds no private key (no -----BEGIN PRIVATE KEY----- block)`, remedyFormat);
  if (keyMatch[1] === "ENCRYPTED PRIVATE KEY") {
    throw new CheckSetupError(
      "ERR_CREDENTIAL",
      `${where} holds an encrypted private key`,
      "Decrypt it first (openssl pkey -in key.pem -out plain.pem) and keep the result in a protected file or secret store.",
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(keyMatch[0]);
  } catch {
    throw new CheckSetupError("ERR_CREDENTIAL", `${where}: the private key block is malformed`, remedyFormat);
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw new CheckSetupError("ERR_CREDENTIAL", `${where}: the key is ${key.asymmetricKeyType?.toUpperCase() ?? "not RSA"}, and Entra ID app certificates for Exchange must be RSA`, "Use an RSA key (2048 bits or more).");
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new CheckSetupError(
      "ERR_CREDENTIAL",
      `${where}: the RSA key is ${bits} bits, and Entra ID refuses keys under ${MIN_RSA_BITS} bits at sign-in (AADSTS50032)`,
      `Make a new certificate with an RSA key of ${MIN_RSA_BITS} bits or more, register it on the app, and pass it instead.`,
    );
  }
  const parsed = certs.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch {
      throw new CheckSetupError("ERR_CREDENTIAL", `${where}: the certificate block${certs.length > 1 ? ` ${i + 1} of ${certs.length}` : ""} is malformed`, remedyFormat);
    }
  });
  const cert = parsed[0]!;
  const own = parsed.findIndex((c) => c.checkPrivateKey(key));
  if (parsed.length === 1 && own !== 0) {
    throw new CheckSetupError(
      "ERR_CREDENTIAL",
      `${where}: the private key does not belong to the certificate`,
      "Put the certificate's own private key in the file (the first certificate must be the app's).",
    );
  }
  if (parsed.length > 1) {
    const listed = parsed.map((c, i) => `${i + 1}: ${describeCertificate(c)}`).join("; ");
    if (own === -1) {
      throw new CheckSetupError(
        "ERR_CREDENTIAL",
        `${where}: the private key belongs to none of its ${parsed.length} certificates (${listed})`,
        "Pass the certificate that was issued for this key (the one registered on the app), first in the file, or the key that belongs to one of these certificates.",
      );
    }
    if (own > 0) {
      throw new CheckSetupError(
        "ERR_CREDENTIAL",
        `${where}: the private key belongs to certificate ${own + 1} of ${parsed.length} (${describeCertificate(parsed[own]!)}), not to the first (${describeCertificate(cert)})`,
        `Pass certificate ${own + 1} (thumbprint ${thumbprintSha1(parsed[own]!)}) with the key: put it first in the file, followed only by the certificates that issued it, or keep it alone.`,
      );
    }
    for (let i = 1; i < parsed.length; i += 1) {
      if (!parsed[i - 1]!.checkIssued(parsed[i]!)) {
        throw new CheckSetupError(
          "ERR_CREDENTIAL",
          `${where} holds ${parsed.length} certificates that are not one chain: certificate ${i + 1} (${describeCertificate(parsed[i]!)}) did not issue certificate ${i} (${describeCertificate(parsed[i - 1]!)})`,
          `Pass only the app's certificate (thumbprint ${thumbprintSha1(cert)}) with its key, or follow it with its issuing chain in order.`,
        );
      }
    }
  }
  return {
    thumbprintSha256: cert.fingerprint256.replace(/:/g, "").toLowerCase(),
    thumbprintSha1: thumbprintSha1(cert),
    privateKey: key.export({ type: "pkcs8", format: "pem" }).toString(),
    x5c: certs.join("\n"),
    subject: cert.subject.replace(/\n/g, ", "),
    validFrom: new Date(cert.validFrom),
    validTo: new Date(cert.validTo),
  };
}
