/** Builds stack config the way the engine passes it: full keys, string values, structured ones as JSON. */
import { X509Certificate, generateKeyPairSync } from "node:crypto";
import forge from "node-forge";
import { parseStackConfig } from "../../src/config/parseStack";

export const TENANT_ID = "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7";

export const MINIMAL: Record<string, unknown> = {
  tenantId: TENANT_ID,
  organization: "contoso.onmicrosoft.com",
};

/** `{ tenantId: "…" }` → `{ "exchange-app-only:tenantId": "…" }`, objects and lists as JSON. */
export function engineConfig(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [`exchange-app-only:${k}`, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

/** The parser's input: short keys, strings. */
export function rawConfig(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
}

/** A self-signed certificate valid from `notBefore` to `notAfter` (RSA unless `ec`). */
export function makeCertificate(
  options: { notBefore?: Date; notAfter?: Date; ec?: boolean; bits?: number; commonName?: string; ca?: boolean } = {},
): string {
  const notBefore = options.notBefore ?? new Date(Date.now() - 86_400_000);
  const notAfter = options.notAfter ?? new Date(Date.now() + 30 * 86_400_000);
  if (options.ec) return EC_CERTIFICATE;
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: options.bits ?? 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString());
  cert.serialNumber = "0a";
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  const name = [{ name: "commonName", value: options.commonName ?? "supplied" }];
  cert.setSubject(name);
  cert.setIssuer(name);
  if (options.ca) cert.setExtensions([{ name: "basicConstraints", cA: true }]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs8", format: "pem" }).toString()), forge.md.sha256.create());
  const pem = forge.pki.certificateToPem(cert);
  new X509Certificate(pem); // fail here, not in the code under test, if the fixture is broken
  return pem;
}

/** An ECDSA P-256 self-signed certificate (valid 2026–2126): Exchange app-only needs RSA, so config refuses it. */
const EC_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBfDCCASGgAwIBAgIUaDqrg5slvqnoyG4DpZuPT5s/Qb8wCgYIKoZIzj0EAwIw
EjEQMA4GA1UEAwwHZWMtdGVzdDAgFw0yNjExMjYwNjEzNDVaGA8yMTI2MTEwMjA2
MTM0NVowEjEQMA4GA1UEAwwHZWMtdGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEH
A0IABDFIILX9Ciod0+X5pamVN7YsOmrBqNC1ahNJS2lQaZrfW+oFEEbVXvkc5SNC
PvUaUqspqxw/R67z4e25dTqXSISjUzBRMB0GA1UdDgQWBBTB4o0zzTKaBMgW5a8K
F7RGnEJTyzAfBgNVHSMEGDAWgBTB4o0zzTKaBMgW5a8KF7RGnEJTyzAPBgNVHRMB
Af8EBTADAQH/MAoGCCqGSM49BAMCA0kAMEYCIQCUJzNbWcwdMdQ2wLVoehDwzyrC
KNyT0VBHO3+p5iR1DgIhAJSJhPA5a/Iiu8w5oQUhzuU6w8lolVYfMwO+wQn1DpzS
-----END CERTIFICATE-----`;

/** What the stack config's rules say about `key: value` in a one-tenant stack, without the key in front. */
export function stackConfigMessage(key: string, value: unknown): string {
  try {
    parseStackConfig(engineConfig({ ...MINIMAL, [key]: value }));
  } catch (error) {
    return (error as Error).message.replace(/^[^=]*= /, "");
  }
  throw new Error(`the stack config took ${key}: ${JSON.stringify(value)}`);
}
