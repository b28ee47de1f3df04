/**
 * A federated assertion, read before any request can use it: from a file (a platform's token file), or from GitHub
 * Actions' OIDC endpoint after its request variables are checked. The check, the CLI's verify and the Exchange RBAC
 * provider's sign-in all read it here. Failures are CheckSetupError (ERR_CREDENTIAL): the CLI exits 2. Messages name
 * files and variables, never their contents.
 */
import { readFile } from "node:fs/promises";
import { CheckSetupError } from "../errors";
import { TOKEN_EXCHANGE_AUDIENCE } from "../facts";
import { TransportError } from "../net/http";

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

/** True when either variable is set: GitHub Actions OIDC is meant to be used (federatedTokenFromGitHub says what is wrong with it). */
export function hasGitHubOidc(env: GitHubOidcEnv): boolean {
  return Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL || env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
}

const GITHUB_OIDC_REMEDY =
  "Give the job `permissions: id-token: write`: GitHub then sets ACTIONS_ID_TOKEN_REQUEST_URL (an https URL) and ACTIONS_ID_TOKEN_REQUEST_TOKEN itself; do not set or override them.";

/**
 * Checks GitHub Actions' OIDC request variables without sending anything: both set, the URL a well-formed https
 * URL (the request carries the request token as a bearer header). Throws CheckSetupError (ERR_CREDENTIAL).
 */
export function gitHubOidcRequest(env: GitHubOidcEnv): { readonly url: URL; readonly token: string } {
  const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!requestUrl || !requestToken) {
    const missing = [!requestUrl && "ACTIONS_ID_TOKEN_REQUEST_URL", !requestToken && "ACTIONS_ID_TOKEN_REQUEST_TOKEN"].filter(Boolean).join(" and ");
    const set = requestUrl ? " (ACTIONS_ID_TOKEN_REQUEST_URL is)" : requestToken ? " (ACTIONS_ID_TOKEN_REQUEST_TOKEN is)" : "";
    throw new CheckSetupError("ERR_CREDENTIAL", `GitHub Actions OIDC variables are missing: ${missing} ${missing.includes(" and ") ? "are" : "is"} not set${set}`, GITHUB_OIDC_REMEDY);
  }
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    throw new CheckSetupError("ERR_CREDENTIAL", "ACTIONS_ID_TOKEN_REQUEST_URL is not a URL", GITHUB_OIDC_REMEDY);
  }
  if (url.protocol !== "https:") {
    throw new CheckSetupError(
      "ERR_CREDENTIAL",
      `ACTIONS_ID_TOKEN_REQUEST_URL ${url.protocol === "http:" ? url.origin : `(${url.protocol} scheme)`} is not https: the request token would travel in the clear`,
      GITHUB_OIDC_REMEDY,
    );
  }
  if (!url.hostname || url.username || url.password) {
    throw new CheckSetupError("ERR_CREDENTIAL", "ACTIONS_ID_TOKEN_REQUEST_URL is not a usable https URL (no host, or credentials in it)", GITHUB_OIDC_REMEDY);
  }
  return { url, token: requestToken };
}

/**
 * A federated assertion fetched from GitHub Actions' OIDC endpoint for audience api://AzureADTokenExchange.
 * The variables are checked at once (gitHubOidcRequest); `get` sends the request (the check's transport, so it
 * is counted, bounded and https-only).
 */
export function federatedTokenFromGitHub(
  env: GitHubOidcEnv,
  get: (url: string, headers: Record<string, string>) => Promise<{ status: number; bodyText: string }>,
): () => Promise<string> {
  const { url: requestUrl, token: requestToken } = gitHubOidcRequest(env);
  return async () => {
    const url = new URL(requestUrl.href);
    url.searchParams.set("audience", TOKEN_EXCHANGE_AUDIENCE);
    const answer = await get(url.href, { authorization: `bearer ${requestToken}`, accept: "application/json" });
    if (answer.status === 429 || answer.status >= 500) {
      throw new TransportError(`HTTP_${answer.status}`, `GitHub's OIDC endpoint answered ${answer.status}`, requestUrl.origin);
    }
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
