/**
 * Credential material, read and checked before any request: a PEM with key and certificate, a federated token
 * file, GitHub Actions' OIDC request variables. Failures are CheckSetupError (ERR_CREDENTIAL): the CLI exits 2.
 * Messages name files and variables, never their contents.
 */
import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { TOKEN_EXCHANGE_AUDIENCE } from "../facts";
import { CheckSetupError } from "./errors";

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
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certs[0]!);
  } catch {
    throw new CheckSetupError("ERR_CREDENTIAL", `${where}: the certificate block is malformed`, remedyFormat);
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
  if (!cert.checkPrivateKey(key)) {
    throw new CheckSetupError(
      "ERR_CREDENTIAL",
      `${where}: the private key does not belong to the certificate`,
      "Put the certificate's own private key in the file (the first certificate must be the app's).",
    );
  }
  return {
    thumbprintSha256: cert.fingerprint256.replace(/:/g, "").toLowerCase(),
    thumbprintSha1: cert.fingerprint.replace(/:/g, "").toUpperCase(),
    privateKey: key.export({ type: "pkcs8", format: "pem" }).toString(),
    x5c: certs.join("\n"),
    subject: cert.subject.replace(/\n/g, ", "),
    validFrom: new Date(cert.validFrom),
    validTo: new Date(cert.validTo),
  };
}

/** A federated assertion read from a file each time (Kubernetes and others rotate it in place). */
export function federatedTokenFromFile(path: string): () => Promise<string> {
  return async () => {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      throw new CheckSetupError(
        "ERR_CREDENTIAL",
        `cannot read the federated token file ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
        "Check --federated-token-file: the platform writes it (AZURE_FEDERATED_TOKEN_FILE on AKS workload identity).",
      );
    }
    const token = text.trim();
    if (token.length === 0) throw new CheckSetupError("ERR_CREDENTIAL", `the federated token file ${path} is empty`, "Check that the platform has written the token.");
    return token;
  };
}

/** GitHub Actions' OIDC request variables, present when the job has `permissions: id-token: write`. */
export interface GitHubOidcEnv {
  readonly ACTIONS_ID_TOKEN_REQUEST_URL?: string;
  readonly ACTIONS_ID_TOKEN_REQUEST_TOKEN?: string;
}

export function hasGitHubOidc(env: GitHubOidcEnv): boolean {
  return Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
}

/**
 * A federated assertion fetched from GitHub Actions' OIDC endpoint for audience api://AzureADTokenExchange.
 * `get` sends the request (the check's transport, so it is counted, bounded and https-only).
 */
export function federatedTokenFromGitHub(
  env: GitHubOidcEnv,
  get: (url: string, headers: Record<string, string>) => Promise<{ status: number; bodyText: string }>,
): () => Promise<string> {
  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!requestUrl || !requestToken) {
    throw new CheckSetupError(
      "ERR_CREDENTIAL",
      "GitHub Actions OIDC variables are missing (ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN)",
      "Give the job `permissions: id-token: write`.",
    );
  }
  return async () => {
    const url = new URL(requestUrl);
    url.searchParams.set("audience", TOKEN_EXCHANGE_AUDIENCE);
    const answer = await get(url.href, { authorization: `bearer ${requestToken}`, accept: "application/json" });
    if (answer.status !== 200) {
      throw new CheckSetupError("ERR_CREDENTIAL", `GitHub's OIDC endpoint answered ${answer.status}`, "Give the job `permissions: id-token: write` and re-run it.");
    }
    let value: unknown;
    try {
      value = (JSON.parse(answer.bodyText) as { value?: unknown }).value;
    } catch {
      value = undefined;
    }
    if (typeof value !== "string" || value.length === 0) {
      throw new CheckSetupError("ERR_CREDENTIAL", "GitHub's OIDC endpoint answered without a token", "Re-run the job; check the runner's OIDC configuration.");
    }
    return value;
  };
}
