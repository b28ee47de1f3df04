/**
 * The `certificate` key and the generated certificate's parameters. A supplied certificate is checked as Entra
 * would check it at sign-in: one public RSA certificate of 2048 bits or more (smaller keys fail with AADSTS50032),
 * not expired. The generation parameters are validated whenever the stack sets them, used or not.
 */
import { X509Certificate } from "node:crypto";
import { CERTIFICATE_RSA_BITS, CERTIFICATE_VALIDITY_DAYS, MIN_RSA_BITS } from "../facts";
import { certificateThumbprint, inspectCertificate } from "../credentials/certificates";
import type { CertificateConfig } from "./stackConfig";
import { adviceFor } from "./concepts";
import { rotationCounter } from "./rotation";
import { integer, text, type IssueList, type RawConfig } from "./values";

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
const MODES = ["generate", "none"] as const;

/** How one certificate of a bundle is named in a message: its subject, thumbprint and whether it is a CA. */
function describe(pem: string, index: number): { text: string; leaf: boolean } {
  try {
    const cert = new X509Certificate(pem);
    const subject = cert.subject.replace(/\n/g, ", ");
    return { text: `#${index + 1} "${subject}" (thumbprint ${certificateThumbprint(pem)}${cert.ca ? ", a CA" : ""})`, leaf: !cert.ca };
  } catch {
    return { text: `#${index + 1} (does not parse)`, leaf: false };
  }
}

function bundleMessage(blocks: readonly string[]): string {
  const described = blocks.map(describe);
  const leaves = described.filter((d) => d.leaf);
  const pick = leaves.length === 1 ? ` Pass ${leaves[0]!.text} alone: it is the only one that is not a CA.` : " Pass only the app's own certificate (the one whose key signs in), not its issuers.";
  return `holds ${blocks.length} certificates: ${described.map((d) => d.text).join(", ")}. An app credential is one certificate.${pick} For example: openssl x509 -in bundle.pem -out app.crt (writes the first one).`;
}

function parseSupplied(value: string, issues: IssueList, now: Date): CertificateConfig | undefined {
  const blocks = [...value.matchAll(PEM_BLOCK)];
  if (blocks.some((b) => /PRIVATE KEY/.test(b[1]!)) || /PRIVATE KEY-----/.test(value)) {
    return issues.add("certificate", value, "holds a private key: stack config takes the public certificate only (-----BEGIN CERTIFICATE-----). Keep the key where the app runs.");
  }
  const certificates = blocks.filter((b) => b[1] === "CERTIFICATE").map((b) => b[0]);
  if (certificates.length === 0) {
    // The value is not PEM here, so it is no certificate body: a mode's name, a file name, a thumbprint.
    return issues.add("certificate", value, `must be "generate", "none" or a PEM public certificate (pulumi config set certificate -- "$(cat app.crt)").${adviceFor("certificate", value, MODES)}`);
  }
  if (certificates.length > 1) return issues.add("certificate", value, bundleMessage(certificates));
  // Text around the block (openssl's "Bag Attributes", "subject=" lines) is dropped: Entra takes the block alone.
  const pem = certificates[0]!;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return issues.add("certificate", value, "does not parse as an X.509 certificate: supply the PEM exactly as exported (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)");
  }
  const info = inspectCertificate(pem);
  if (info.notAfter.getTime() <= now.getTime()) {
    return issues.add("certificate", value, `expired on ${info.notAfter.toISOString()}: issue a new certificate or set certificate: generate`);
  }
  if (info.keyType !== "rsa") {
    return issues.add("certificate", value, `has a ${info.keyType ?? "unknown"} key: Exchange Online app-only needs an RSA certificate`);
  }
  const bits = cert.publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    return issues.add("certificate", value, `has a ${bits}-bit RSA key: Entra ID refuses keys under ${MIN_RSA_BITS} bits at sign-in (AADSTS50032). Issue a new certificate with a 2048-bit key or more, or set certificate: generate`);
  }
  return { kind: "supplied", pem, info };
}

/** The certificate to put on the app: generated, supplied, or none (`null`); undefined when invalid. */
export function parseCertificate(raw: RawConfig, issues: IssueList, now: Date): CertificateConfig | null | undefined {
  // Validated whether or not a certificate is generated: a bad value the stack sets is a bad value.
  const validityDays = integer(raw, "certificateValidityDays", issues, 1, CERTIFICATE_VALIDITY_DAYS.max, `the default is ${CERTIFICATE_VALIDITY_DAYS.default}`);
  const rsaBits = integer(raw, "certificateRsaBits", issues, MIN_RSA_BITS, 4096, "use 2048, 3072 or 4096");
  const rotation = rotationCounter(raw, "certificateRotation", issues);
  if (rsaBits !== undefined && !(CERTIFICATE_RSA_BITS as readonly number[]).includes(rsaBits)) {
    issues.add("certificateRsaBits", String(rsaBits), "must be 2048, 3072 or 4096");
  }
  const value = text(raw, "certificate", issues);
  if (value === undefined) return undefined;
  if (value === "none") return null;
  if (value === "generate") {
    const bitsOk = rsaBits !== undefined && (CERTIFICATE_RSA_BITS as readonly number[]).includes(rsaBits);
    return validityDays !== undefined && bitsOk && rotation !== undefined ? { kind: "generated", validityDays, rsaBits: rsaBits!, rotation } : undefined;
  }
  return parseSupplied(value, issues, now);
}
