/**
 * The emulator's throwaway PKI: a CA generated per run and a server certificate for 127.0.0.1/localhost signed by
 * it. Keys come from node:crypto (fast, native); node-forge only builds and signs the X.509 structures.
 */
import { createHash, generateKeyPairSync, randomBytes, X509Certificate } from "node:crypto";
import forge from "node-forge";
import { directoryString } from "../../src/credentials/certificates";

export interface KeyAndCertificate {
  readonly keyPem: string;
  readonly certPem: string;
}

export interface EmulatorPki {
  readonly ca: KeyAndCertificate;
  readonly server: KeyAndCertificate;
}

function rsaKeyPair(bits = 2048): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", {
    modulusLength: bits,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  return { publicKeyPem: publicKey, privateKeyPem: privateKey };
}

/** forge reads both PKCS#1 and PKCS#8 ("PRIVATE KEY") PEM. */
function forgePrivateKey(pem: string): forge.pki.rsa.PrivateKey {
  return forge.pki.privateKeyFromPem(pem);
}

function serialNumber(): string {
  // A positive serial: clear the top bit.
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString("hex");
}

interface CertificateSpec {
  readonly commonName: string;
  readonly publicKeyPem: string;
  readonly signingKeyPem: string;
  readonly issuer?: forge.pki.Certificate;
  readonly isCa: boolean;
  readonly altNames?: readonly ({ type: 2; value: string } | { type: 7; ip: string })[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  readonly extendedKeyUsage?: "serverAuth" | "clientAuth";
}

function buildCertificate(spec: CertificateSpec): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(spec.publicKeyPem);
  cert.serialNumber = serialNumber();
  const now = Date.now();
  cert.validity.notBefore = spec.notBefore ?? new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = spec.notAfter ?? new Date(now + 24 * 60 * 60 * 1000);
  const subject = [directoryString("commonName", spec.commonName), directoryString("organizationName", "exchange-app-only test emulator")];
  cert.setSubject(subject);
  cert.setIssuer(spec.issuer ? spec.issuer.subject.attributes : subject);
  const extensions: unknown[] = [];
  if (spec.isCa) {
    extensions.push({ name: "basicConstraints", cA: true, critical: true, pathLenConstraint: 0 });
    extensions.push({ name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true });
  } else {
    extensions.push({ name: "basicConstraints", cA: false });
    extensions.push({ name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true });
    if (spec.extendedKeyUsage === "serverAuth") extensions.push({ name: "extKeyUsage", serverAuth: true });
    if (spec.extendedKeyUsage === "clientAuth") extensions.push({ name: "extKeyUsage", clientAuth: true });
  }
  if (spec.altNames) extensions.push({ name: "subjectAltName", altNames: spec.altNames });
  extensions.push({ name: "subjectKeyIdentifier" });
  cert.setExtensions(extensions as never[]);
  cert.sign(forgePrivateKey(spec.signingKeyPem), forge.md.sha256.create());
  return cert;
}

/** A fresh CA and a server certificate for 127.0.0.1 and localhost, valid for a day. */
export function createPki(): EmulatorPki {
  const caKeys = rsaKeyPair();
  const caCert = buildCertificate({
    commonName: `exchange-app-only emulator CA ${randomBytes(4).toString("hex")}`,
    publicKeyPem: caKeys.publicKeyPem,
    signingKeyPem: caKeys.privateKeyPem,
    isCa: true,
  });
  const serverKeys = rsaKeyPair();
  const serverCert = buildCertificate({
    commonName: "127.0.0.1",
    publicKeyPem: serverKeys.publicKeyPem,
    signingKeyPem: caKeys.privateKeyPem,
    issuer: caCert,
    isCa: false,
    extendedKeyUsage: "serverAuth",
    altNames: [
      { type: 7, ip: "127.0.0.1" },
      { type: 2, value: "localhost" },
    ],
  });
  return {
    ca: { keyPem: caKeys.privateKeyPem, certPem: forge.pki.certificateToPem(caCert) },
    server: { keyPem: serverKeys.privateKeyPem, certPem: forge.pki.certificateToPem(serverCert) },
  };
}

/** A self-signed client certificate, as a team would register on an app registration (for certificate tests). */
export interface ClientCertificate extends KeyAndCertificate {
  /** SHA-1 thumbprint, upper-case hex (what the portal and Connect-ExchangeOnline show). */
  readonly thumbprint: string;
  /** SHA-256 thumbprint, lower-case hex (what msal-node's `thumbprintSha256` takes). */
  readonly thumbprintSha256: string;
}

export function createClientCertificate(p?: { commonName?: string; notBefore?: Date; notAfter?: Date }): ClientCertificate {
  const keys = rsaKeyPair();
  const cert = buildCertificate({
    commonName: p?.commonName ?? "exchange-app-only test client",
    publicKeyPem: keys.publicKeyPem,
    signingKeyPem: keys.privateKeyPem,
    isCa: false,
    extendedKeyUsage: "clientAuth",
    ...(p?.notBefore ? { notBefore: p.notBefore } : {}),
    ...(p?.notAfter ? { notAfter: p.notAfter } : {}),
  });
  const certPem = forge.pki.certificateToPem(cert);
  const t = thumbprints(certPem);
  return { keyPem: keys.privateKeyPem, certPem, thumbprint: t.sha1.toUpperCase(), thumbprintSha256: t.sha256 };
}

/** SHA-1 and SHA-256 of a certificate's DER encoding, lower-case hex. */
export function thumbprints(certPem: string): { sha1: string; sha256: string; x5t: string; x5tS256: string } {
  const der = new X509Certificate(certPem).raw;
  const sha1 = createHash("sha1").update(der).digest();
  const sha256 = createHash("sha256").update(der).digest();
  return { sha1: sha1.toString("hex"), sha256: sha256.toString("hex"), x5t: sha1.toString("base64url"), x5tS256: sha256.toString("base64url") };
}
