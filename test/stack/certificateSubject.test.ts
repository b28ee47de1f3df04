/**
 * The generated certificate's subject is the app's display name, which may be any Unicode. The PFX the stack
 * outputs must carry it intact: for a certificate from the tls provider (Go's crypto/x509 writes UTF8String, here
 * made by openssl the same way) and for the offline stand-in `plan`, the tests and the demo use.
 */
import { execFileSync } from "node:child_process";
import { X509Certificate, createHash, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import forge from "node-forge";
import { toPfxBase64 } from "../../src/credentials/certificates";
import { evaluateProgram } from "../../src/cli/evaluate";
import { engineConfig, MINIMAL } from "../support/stackConfig";

const OPENSSL = "/usr/bin/openssl";
const NAMES = ["Łódź", "東京", "Contoso – Exchange", "🚀 launch", "Café Zürich", "exchange-app-only"];

let dir: string;
let keyPem: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "exo-subject-"));
  keyPem = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  writeFileSync(join(dir, "key.pem"), keyPem);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What `openssl pkcs12 -nodes -passin pass:` reads from the PFX: the certificate (PEM) and whether a key came out. */
function openPfx(pfxBase64: string): { certPem: string; hasKey: boolean } {
  const file = join(dir, "bundle.pfx");
  writeFileSync(file, Buffer.from(pfxBase64, "base64"));
  const out = execFileSync(OPENSSL, ["pkcs12", "-in", file, "-nodes", "-passin", "pass:"], { encoding: "utf8" });
  const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(out)?.[0];
  if (!certPem) throw new Error(`openssl printed no certificate:\n${out}`);
  return { certPem, hasKey: /-----BEGIN PRIVATE KEY-----/.test(out) };
}

/** The subject's common name, decoded per its ASN.1 string type, and that type. */
function commonName(pem: string): { value: string; type: "UTF8String" | "PrintableString" | number } {
  const field = forge.pki.certificateFromPem(pem).subject.getField("CN") as { value: string; valueTagClass: number };
  // forge hands back the DER bytes of the value (a binary string): UTF8String's need decoding.
  if (field.valueTagClass === forge.asn1.Type.UTF8) return { value: forge.util.decodeUtf8(field.value), type: "UTF8String" };
  return { value: field.value, type: field.valueTagClass === forge.asn1.Type.PRINTABLESTRING ? "PrintableString" : field.valueTagClass };
}

const fingerprint = (pem: string) => createHash("sha1").update(new X509Certificate(pem).raw).digest("hex");

describe("toPfxBase64 with a certificate made by another tool (UTF8String subject, as the tls provider writes it)", () => {
  it.each(NAMES)("%s: openssl reads the PFX, key and certificate, subject and bytes intact", (name) => {
    const certFile = join(dir, "cert.pem");
    execFileSync(OPENSSL, ["req", "-x509", "-utf8", "-key", join(dir, "key.pem"), "-subj", `/CN=${name}`, "-days", "2", "-out", certFile], { stdio: "pipe" });
    const certPem = readFileSync(certFile, "utf8");
    expect(commonName(certPem)).toEqual({ value: name, type: "UTF8String" }); // the fixture is what it claims

    const opened = openPfx(toPfxBase64(keyPem, certPem));
    expect(opened.hasKey).toBe(true);
    expect(commonName(opened.certPem)).toEqual({ value: name, type: "UTF8String" });
    expect(fingerprint(opened.certPem)).toBe(fingerprint(certPem));
  });
});

describe("the offline certificate (plan, tests, demo) encodes the subject as Go's crypto/x509 does", () => {
  it.each(NAMES)("%s", async (displayName) => {
    const run = await evaluateProgram({ config: engineConfig({ ...MINIMAL, displayName }), revealSecrets: true });
    const certPem = run.outputs.certificatePem as string;
    // PrintableString when every character allows it, else UTF8String.
    expect(commonName(certPem)).toEqual({ value: displayName, type: /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(displayName) ? "PrintableString" : "UTF8String" });
    expect(new X509Certificate(certPem).subject).toBe(`CN=${displayName}`);

    const opened = openPfx(run.outputs.certificatePfxBase64 as string);
    expect(opened.hasKey).toBe(true);
    expect(commonName(opened.certPem).value).toBe(displayName);
    expect(fingerprint(opened.certPem)).toBe(fingerprint(certPem));
  });
});
