/** Certificate helpers: parse, thumbprint, PFX. Node's X509Certificate parses; node-forge writes PKCS#12. */
import { X509Certificate, createHash } from "node:crypto";
import forge from "node-forge";
import type { CertificateInfo } from "./certificateInfo";

/** Parses one PEM certificate; throws on anything that is not one. */
export function inspectCertificate(pem: string): CertificateInfo {
  const cert = new X509Certificate(pem);
  return {
    thumbprint: sha1Thumbprint(cert),
    subject: cert.subject,
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
    keyType: cert.publicKey.asymmetricKeyType,
  };
}

function sha1Thumbprint(cert: X509Certificate): string {
  return cert.fingerprint.replace(/:/g, "").toUpperCase();
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/;

/**
 * SHA-1 thumbprint of a PEM certificate: a hash of its DER, so no X.509 parse (a third of a millisecond, twice
 * per evaluation). Certificates from config are parsed and checked by `inspectCertificate` first.
 */
export function certificateThumbprint(pem: string): string {
  const body = PEM_CERTIFICATE.exec(pem)?.[1];
  if (body === undefined) throw new Error("not a PEM certificate (-----BEGIN CERTIFICATE-----)");
  return createHash("sha1").update(Buffer.from(body, "base64")).digest("hex").toUpperCase();
}

/**
 * A PKCS#12 (PFX) bundle of key and certificate, base64, protected by an empty password (the stack output holding
 * it is a Pulumi secret). 3DES and SHA-1 keep it importable by Windows' legacy CSP, which Exchange's module needs.
 * One key-derivation iteration: stretching an empty password protects nothing, and forge's default (2048 rounds
 * of pure-JavaScript PBKDF) cost about 20 ms on every `pulumi up` (measured by `npm run bench`).
 */
export function toPfxBase64(privateKeyPem: string, certificatePem: string): string {
  const key = forge.pki.privateKeyFromPem(privateKeyPem);
  const cert = forge.pki.certificateFromPem(certificatePem);
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], "", {
    algorithm: "3des",
    count: 1,
    friendlyName: "exchange-app-only",
    // The certificate's SHA-1, as Windows sets it; native SHA-1 instead of forge's JavaScript one.
    localKeyId: certificateThumbprint(certificatePem),
  });
  return forge.util.encode64(forge.asn1.toDer(asn1).getBytes());
}

/** The characters ASN.1 PrintableString allows (X.680 41.4). */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/**
 * A subject attribute encoded as the tls provider (Go's crypto/x509) encodes it: PrintableString when every
 * character allows it, else UTF8String. forge writes PrintableString by default and copies a JavaScript string's
 * code units as bytes, which garbles anything beyond ASCII and breaks the DER beyond U+00FF; with valueTagClass
 * UTF8 it encodes the text as UTF-8.
 */
export function directoryString(name: string, value: string): forge.pki.CertificateField {
  if (PRINTABLE.test(value)) return { name, value };
  // @types/node-forge types the field as asn1.Class; forge reads it as the universal tag (asn1.Type).
  return { name, value, valueTagClass: forge.asn1.Type.UTF8 as number as forge.asn1.Class };
}
