/**
 * The deploying identity's token for the tenant's Exchange (`{exchangeResource}/.default`), from the same sign-in
 * the azuread provider uses: `ARM_CLIENT_ID` with `ARM_CLIENT_SECRET`, or with `ARM_USE_OIDC=true` (a federated
 * token: `ARM_OIDC_TOKEN`, `ARM_OIDC_TOKEN_FILE_PATH`, `AZURE_FEDERATED_TOKEN_FILE`, or GitHub Actions' token
 * endpoint), or `ARM_USE_MSI=true` (a managed identity), else @azure/identity's DefaultAzureCredential (the
 * `AZURE_*` variables, workload identity, managed identity, the Azure CLI's `az login`). Always in the resource's
 * tenant and in its cloud's login host (`AZURE_AUTHORITY_HOST` overrides it, as for `verify`).
 * No secret or token ever reaches an error message: failures keep the first line of the library's text, redacted.
 */
import type { AccessToken, TokenCredential } from "@azure/identity";
import { rootCertificates } from "node:tls";
import { CLOUDS, exchangeScope, isMicrosoftAuthorityHost, type CloudName } from "../facts";
import { federatedTokenFromFile, federatedTokenFromGitHub } from "../credentials/federatedToken";
import { Redactor } from "../text/redact";
import { ExchangeRbacError } from "./errors";

export type DeployerSignIn =
  | { readonly kind: "clientSecret"; readonly clientId: string }
  | { readonly kind: "oidc"; readonly clientId: string; readonly source: "ARM_OIDC_TOKEN" | "ARM_OIDC_TOKEN_FILE_PATH" | "AZURE_FEDERATED_TOKEN_FILE" | "github-actions" }
  | { readonly kind: "managedIdentity"; readonly clientId?: string }
  | { readonly kind: "default" };

const isTrue = (value: string | undefined): boolean => /^(1|true|yes)$/i.test((value ?? "").trim());

/** Which sign-in the environment selects, in the azuread provider's order (secret, OIDC, managed identity, CLI). */
export function deployerSignIn(env: NodeJS.ProcessEnv): DeployerSignIn {
  const clientId = env.ARM_CLIENT_ID?.trim();
  if (clientId && env.ARM_CLIENT_SECRET) return { kind: "clientSecret", clientId };
  if (clientId && isTrue(env.ARM_USE_OIDC)) {
    if (env.ARM_OIDC_TOKEN) return { kind: "oidc", clientId, source: "ARM_OIDC_TOKEN" };
    if (env.ARM_OIDC_TOKEN_FILE_PATH) return { kind: "oidc", clientId, source: "ARM_OIDC_TOKEN_FILE_PATH" };
    if (env.AZURE_FEDERATED_TOKEN_FILE) return { kind: "oidc", clientId, source: "AZURE_FEDERATED_TOKEN_FILE" };
    return { kind: "oidc", clientId, source: "github-actions" };
  }
  if (isTrue(env.ARM_USE_MSI)) return clientId ? { kind: "managedIdentity", clientId } : { kind: "managedIdentity" };
  return { kind: "default" };
}

/** In words, for messages: never a secret, only which variables chose it. */
export function describeSignIn(signIn: DeployerSignIn): string {
  switch (signIn.kind) {
    case "clientSecret":
      return `the service principal ${signIn.clientId} with ARM_CLIENT_SECRET`;
    case "oidc":
      return `the service principal ${signIn.clientId} with a federated token (${signIn.source})`;
    case "managedIdentity":
      return signIn.clientId ? `the managed identity ${signIn.clientId}` : "the machine's managed identity";
    default:
      return "DefaultAzureCredential (AZURE_* variables, workload identity, managed identity, Azure CLI)";
  }
}

export interface SignInTarget {
  readonly tenantId: string;
  readonly environment: CloudName;
  readonly env: NodeJS.ProcessEnv;
  /** Extra CA (PEM) to trust besides Node's: the tenant emulator's, in tests only. */
  readonly ca?: string;
}

/** The login host: `AZURE_AUTHORITY_HOST` when set (as @azure/identity and `verify` read it), else the cloud's. */
export function authorityHostFor(environment: CloudName, env: NodeJS.ProcessEnv): string {
  return env.AZURE_AUTHORITY_HOST?.trim() || CLOUDS[environment].authorityHost;
}

/** The federated assertion: a token in a variable, a token file, or GitHub Actions' OIDC endpoint (src/check's readers). */
function federatedAssertion(signIn: Extract<DeployerSignIn, { kind: "oidc" }>, env: NodeJS.ProcessEnv): () => Promise<string> {
  if (signIn.source === "ARM_OIDC_TOKEN") return async () => env.ARM_OIDC_TOKEN!.trim();
  if (signIn.source === "ARM_OIDC_TOKEN_FILE_PATH") return federatedTokenFromFile(env.ARM_OIDC_TOKEN_FILE_PATH!);
  if (signIn.source === "AZURE_FEDERATED_TOKEN_FILE") return federatedTokenFromFile(env.AZURE_FEDERATED_TOKEN_FILE!);
  // The azuread provider reads ARM_OIDC_REQUEST_URL/TOKEN, falling back to the variables GitHub sets.
  const github = {
    ACTIONS_ID_TOKEN_REQUEST_URL: env.ARM_OIDC_REQUEST_URL ?? env.ACTIONS_ID_TOKEN_REQUEST_URL,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: env.ARM_OIDC_REQUEST_TOKEN ?? env.ACTIONS_ID_TOKEN_REQUEST_TOKEN,
  };
  return federatedTokenFromGitHub(github, async (url, headers) => {
    const answer = await fetch(url, { headers });
    return { status: answer.status, bodyText: await answer.text() };
  });
}

/** The credential the environment selects, for the target tenant and cloud. Loaded on use. */
export async function deployerCredential(target: SignInTarget): Promise<TokenCredential> {
  const identity = await import("@azure/identity");
  const env = target.env;
  const authorityHost = authorityHostFor(target.environment, env);
  const options = {
    authorityHost,
    // Instance discovery asks login.microsoftonline.com about the host: only for Microsoft's own hosts.
    ...(isMicrosoftAuthorityHost(authorityHost) ? {} : { disableInstanceDiscovery: true }),
    ...(target.ca ? { tlsOptions: { ca: [...rootCertificates, target.ca] } } : {}),
  };
  const signIn = deployerSignIn(env);
  switch (signIn.kind) {
    case "clientSecret":
      return new identity.ClientSecretCredential(target.tenantId, signIn.clientId, env.ARM_CLIENT_SECRET!, options);
    case "oidc":
      return new identity.ClientAssertionCredential(target.tenantId, signIn.clientId, federatedAssertion(signIn, env), options);
    case "managedIdentity":
      return signIn.clientId ? new identity.ManagedIdentityCredential({ ...options, clientId: signIn.clientId }) : new identity.ManagedIdentityCredential(options);
    default:
      return new identity.DefaultAzureCredential({ ...options, tenantId: target.tenantId });
  }
}

/** Acquires the token for the tenant's Exchange; ERR_SIGN_IN with the fix when it cannot. */
export async function exchangeToken(target: SignInTarget, credential: TokenCredential, exchangeResource = CLOUDS[target.environment].exchangeResource): Promise<string> {
  let token: AccessToken | null;
  try {
    token = await credential.getToken(exchangeScope(exchangeResource), { tenantId: target.tenantId });
  } catch (error) {
    if (error instanceof ExchangeRbacError) throw error;
    const redactor = new Redactor();
    for (const secret of [target.env.ARM_CLIENT_SECRET, target.env.ARM_OIDC_TOKEN, target.env.ARM_OIDC_REQUEST_TOKEN, target.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN]) redactor.add(secret);
    const first = redactor.redact(((error as Error).message ?? String(error)).split("\n")[0]!.slice(0, 400));
    throw new ExchangeRbacError(
      "ERR_SIGN_IN",
      `cannot sign in to tenant ${target.tenantId} for Exchange (${exchangeResource}) as ${describeSignIn(deployerSignIn(target.env))}: ${first}`,
      "Sign in the way the azuread provider does: ARM_CLIENT_ID and ARM_TENANT_ID with ARM_CLIENT_SECRET or ARM_USE_OIDC=true, ARM_USE_MSI=true, or `az login --tenant <tenant>`. The identity needs Exchange Administrator (or Global Administrator).",
    );
  }
  if (!token?.token) throw new ExchangeRbacError("ERR_SIGN_IN", `no token for Exchange in tenant ${target.tenantId}`, "Sign in again (`az login --tenant <tenant>`).");
  return token.token;
}
