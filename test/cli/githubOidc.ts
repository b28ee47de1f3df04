/**
 * A stand-in for GitHub Actions' OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL): loopback HTTPS with a
 * self-signed certificate for 127.0.0.1, answering `{ value }` to a request with the right bearer token.
 */
import { generateKeyPairSync } from "node:crypto";
import https from "node:https";
import forge from "node-forge";

export interface FakeGitHubOidc {
  readonly url: string;
  readonly certPem: string;
  /** Audiences the endpoint was asked for, in order. */
  readonly audiences: string[];
  close(): Promise<void>;
}

function selfSigned(): { keyPem: string; certPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString());
  cert.serialNumber = "01";
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 3600_000);
  const name = [{ name: "commonName", value: "fake GitHub OIDC" }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: "basicConstraints", cA: true },
    { name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { keyPem, certPem: forge.pki.certificateToPem(cert) };
}

export async function startFakeGitHubOidc(requestToken: string, mint: (audience: string) => Promise<string>): Promise<FakeGitHubOidc> {
  const { keyPem, certPem } = selfSigned();
  const audiences: string[] = [];
  const server = https.createServer({ key: keyPem, cert: certPem }, (req, res) => {
    const url = new URL(req.url ?? "/", "https://127.0.0.1");
    if (req.headers.authorization !== `bearer ${requestToken}`) {
      res.writeHead(401).end();
      return;
    }
    const audience = url.searchParams.get("audience") ?? "";
    audiences.push(audience);
    void mint(audience).then((value) => {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ count: 1, value }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return {
    url: `https://127.0.0.1:${address.port}/_apis/oidctoken?api-version=2.0`,
    certPem,
    audiences,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
