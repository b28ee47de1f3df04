/**
 * Workload identity federation: the exact issuer, subject and audience each CI/CD or cluster platform
 * presents, so a pipeline can get an Exchange token with no secret at all. Pure functions.
 */
import { TOKEN_EXCHANGE_AUDIENCE } from "../facts";

export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";
export const GITLAB_DEFAULT_URL = "https://gitlab.com";

/** Which GitHub Actions runs may use the credential: exactly one of these is set (the schema makes sure). */
export interface GitHubSelector {
  readonly branch?: string;
  readonly tag?: string;
  readonly environment?: string;
  readonly pullRequest?: true;
}

export type FederatedSource =
  | ({
      readonly kind: "github";
      /**
       * `owner/repo`, or `owner@owner_id/repo@repo_id` for a repository on GitHub's immutable OIDC subjects
       * (src/facts/github.ts): the subject names the repository exactly as written here.
       */
      readonly repository: string;
    } & GitHubSelector)
  | {
      readonly kind: "azureDevOps";
      /** The Azure DevOps organization's name and id (Organization settings → Overview shows the id). */
      readonly organization: string;
      readonly organizationId: string;
      readonly project: string;
      readonly serviceConnection: string;
    }
  | {
      readonly kind: "gitlab";
      /** `group/project` (subgroups allowed). */
      readonly project: string;
      readonly refType: "branch" | "tag";
      readonly ref: string;
      /** The GitLab instance; its URL is both the token issuer and the `aud` the job's `id_tokens` asks for. */
      readonly url?: string;
    }
  | {
      readonly kind: "kubernetes";
      /** The cluster's service account issuer (`kubectl get --raw /.well-known/openid-configuration`). */
      readonly issuer: string;
      readonly namespace: string;
      readonly serviceAccount: string;
    }
  | { readonly kind: "custom"; readonly issuer: string; readonly subject: string };

/** One federated credential as Entra stores it. */
export interface FederatedCredential {
  /** Unique per application; letters, digits, `-` and `_` only. */
  readonly name: string;
  readonly issuer: string;
  readonly subject: string;
  readonly audience: string;
}

export type FederatedCredentialConfig = FederatedSource & { readonly name?: string; readonly audience?: string };

function githubSubject(source: Extract<FederatedSource, { kind: "github" }>): { subject: string; slug: string } {
  const base = `repo:${source.repository}`;
  if (source.branch !== undefined) return { subject: `${base}:ref:refs/heads/${source.branch}`, slug: `branch-${source.branch}` };
  if (source.tag !== undefined) return { subject: `${base}:ref:refs/tags/${source.tag}`, slug: `tag-${source.tag}` };
  if (source.environment !== undefined) return { subject: `${base}:environment:${source.environment}`, slug: `env-${source.environment}` };
  return { subject: `${base}:pull_request`, slug: "pull-request" };
}

/** Entra allows letters, digits, `-` and `_` in a credential's name, 120 characters at most. */
export function credentialName(...parts: string[]): string {
  return parts
    .join("-")
    .replace(/[^A-Za-z0-9_-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 120);
}

/** Issuer, subject and audience for one configured source; `name` and `audience` in config override the defaults. */
export function federatedCredential(config: FederatedCredentialConfig): FederatedCredential {
  const derived = derive(config);
  return {
    name: config.name ?? derived.name,
    issuer: derived.issuer,
    subject: derived.subject,
    audience: config.audience ?? derived.audience,
  };
}

function derive(source: FederatedSource): FederatedCredential {
  switch (source.kind) {
    case "github": {
      const { subject, slug } = githubSubject(source);
      return {
        // "@" is no name character: contoso@5544123/app@821093847 names github-contoso_5544123-app_821093847-…, and
        // contoso/app github-contoso-app-…: the two forms of one repository differ right after the owner ("_"
        // against "-", and an owner holds no "_"), so both credentials can live side by side while it switches.
        name: credentialName("github", source.repository.replace(/@/g, "_"), slug),
        issuer: GITHUB_ACTIONS_ISSUER,
        subject,
        audience: TOKEN_EXCHANGE_AUDIENCE,
      };
    }
    case "azureDevOps":
      return {
        name: credentialName("ado", source.organization, source.project, source.serviceConnection),
        issuer: `https://vstoken.dev.azure.com/${source.organizationId}`,
        subject: `sc://${source.organization}/${source.project}/${source.serviceConnection}`,
        audience: TOKEN_EXCHANGE_AUDIENCE,
      };
    case "gitlab": {
      const url = (source.url ?? GITLAB_DEFAULT_URL).replace(/\/+$/, "");
      return {
        name: credentialName("gitlab", source.project, source.refType, source.ref),
        issuer: url,
        subject: `project_path:${source.project}:ref_type:${source.refType}:ref:${source.ref}`,
        audience: url,
      };
    }
    case "kubernetes":
      return {
        name: credentialName("k8s", source.namespace, source.serviceAccount),
        issuer: source.issuer,
        subject: `system:serviceaccount:${source.namespace}:${source.serviceAccount}`,
        audience: TOKEN_EXCHANGE_AUDIENCE,
      };
    case "custom":
      return {
        name: credentialName("custom", source.subject),
        issuer: source.issuer,
        subject: source.subject,
        audience: TOKEN_EXCHANGE_AUDIENCE,
      };
  }
}
