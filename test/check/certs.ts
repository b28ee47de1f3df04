/**
 * Certificates with chosen dates, key sizes and issuers, for the credential checks (the emulator's own client
 * certificates live one day and use 2048-bit keys). Register one on an app with `emu.directory.addCertificate`.
 */
import { X509Certificate, generateKeyPairSync } from "node:crypto";
import forge from "node-forge";

export interface TestCertificate {
  readonly keyPem: string;
  readonly certPem: string;
  /** SHA-1, upper-case hex, as the portal shows it. */
  readonly thumbprint: string;
  readonly subject: string;
}

const DAY = 86_400_000;
let serial = 1;

export function makeCertificate(
  o: { commonName?: string; bits?: number; notBefore?: Date; notAfter?: Date; issuer?: TestCertificate; isCa?: boolean } = {},
): TestCertificate {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: o.bits ?? 2048 });
  const keyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString());
  cert.serialNumber = (serial++).toString(16).padStart(2, "0");
  cert.validity.notBefore = o.notBefore ?? new Date(Date.now() - DAY);
  cert.validity.notAfter = o.notAfter ?? new Date(Date.now() + 365 * DAY);
  const subject = [{ name: "commonName", value: o.commonName ?? "exo-app-only test" }];
  cert.setSubject(subject);
  cert.setIssuer(o.issuer ? [{ name: "commonName", value: o.issuer.subject }] : subject);
  cert.setExtensions(o.isCa ? [{ name: "basicConstraints", cA: true }, { name: "keyUsage", keyCertSign: true, digitalSignature: true }] : [{ name: "basicConstraints", cA: false }]);
  cert.sign(forge.pki.privateKeyFromPem(o.issuer ? o.issuer.keyPem : keyPem), forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  const thumbprint = new X509Certificate(certPem).fingerprint.replace(/:/g, "");
  return { keyPem, certPem, thumbprint, subject: o.commonName ?? "exo-app-only test" };
}

export const days = (n: number): Date => new Date(Date.now() + n * DAY);
