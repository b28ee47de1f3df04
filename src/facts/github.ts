/**
 * GitHub Actions' OIDC subjects name a repository in one of two forms (github.com; GitHub Enterprise Server has
 * only the first):
 *
 *   name-only   repo:contoso/app:ref:refs/heads/main
 *   immutable   repo:contoso@5544123/app@821093847:ref:refs/heads/main
 *
 * The immutable form appends GitHub's numeric owner id and repository id to the names with `@`. GitHub issues it
 * for repositories created, renamed or transferred on or after 15 July 2026 and for any repository whose admins opt
 * in; the ids never change and are never reused. After the repository come `:ref:refs/heads/<branch>`,
 * `:ref:refs/tags/<tag>`, `:environment:<name>` or `:pull_request`.
 *
 * Sources: GitHub changelog 2026-04-23, "Immutable subject claims for GitHub Actions OIDC tokens"; GitHub docs,
 * "OpenID Connect reference", section "Immutable subject claims"
 * (https://docs.github.com/en/actions/reference/security/oidc#immutable-subject-claims); Microsoft Entra, "Migrate
 * GitHub Actions federated credentials to immutable subjects"
 * (https://learn.microsoft.com/entra/workload-id/workload-identities-github-immutable-subjects).
 * Name rules: GitHub's sign-up form ("Username may only contain alphanumeric characters or single hyphens, and
 * cannot begin or end with a hyphen", 39 characters at most; organizations follow the same rule) and its
 * repository form (letters, digits, `.`, `-`, `_`, 100 at most; `.` and `..` are reserved).
 */

/** A repository as a subject names it: both ids (immutable form) or neither (name-only form). */
export interface GitHubRepositoryRef {
  readonly owner: string;
  readonly name: string;
  readonly ids?: { readonly owner: string; readonly repository: string };
}

/** Why a text is not a repository in either form, with what a fix can be built from. */
export type GitHubRepositoryProblem =
  | { readonly kind: "url"; readonly suggestion?: string }
  | { readonly kind: "gitSuffix"; readonly suggestion: string }
  | { readonly kind: "shape" }
  | { readonly kind: "owner"; readonly owner: string }
  | { readonly kind: "name"; readonly name: string }
  /** One id only: `has` says which side carries one. */
  | { readonly kind: "halfImmutable"; readonly has: "owner" | "repository"; readonly owner: string; readonly name: string }
  | { readonly kind: "id"; readonly id: string; readonly owner: string; readonly name: string };

export type GitHubRepositoryParse = { readonly ok: true; readonly repository: GitHubRepositoryRef } | { readonly ok: false; readonly problem: GitHubRepositoryProblem };

const OWNER = /^[A-Za-z0-9](?:-?[A-Za-z0-9])*$/;
const OWNER_MAX = 39;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;
/** GitHub's ids are positive integers (64-bit): digits, no leading zero. */
const ID = /^[1-9][0-9]{0,19}$/;

export const isGitHubOwner = (owner: string): boolean => owner.length <= OWNER_MAX && OWNER.test(owner);
export const isGitHubRepositoryName = (name: string): boolean => NAME.test(name) && name !== "." && name !== "..";

/** `contoso@5544123` → name and id; `contoso` → name only. */
function splitId(part: string): { name: string; id?: string } {
  const at = part.indexOf("@");
  return at < 0 ? { name: part } : { name: part.slice(0, at), id: part.slice(at + 1) };
}

/** `https://github.com/contoso/app.git` → `contoso/app`, when what is left is a valid name-only repository. */
function fromUrl(text: string): string | undefined {
  const path = text
    .replace(/^(?:https?|ssh|git):\/\/(?:[^@/]+@)?[^/]+\//i, "")
    .replace(/^git@[^:]+:/i, "")
    .replace(/^(?:www\.)?github\.com\//i, "")
    .replace(/\.git\/?$|\/+$/i, "");
  const [owner, name, ...rest] = path.split("/");
  return rest.length === 0 && owner !== undefined && name !== undefined && isGitHubOwner(owner) && isGitHubRepositoryName(name) ? `${owner}/${name}` : undefined;
}

/** Reads `owner/repo` or `owner@owner_id/repo@repo_id`, exactly as GitHub prints it. */
export function parseGitHubRepository(text: string): GitHubRepositoryParse {
  const fail = (problem: GitHubRepositoryProblem): GitHubRepositoryParse => ({ ok: false, problem });
  if (/^(?:[a-z][a-z0-9+.-]*:\/\/|git@|(?:www\.)?github\.com[/:])/i.test(text)) return fail({ kind: "url", suggestion: fromUrl(text) });
  const parts = text.split("/");
  if (parts.length !== 2) return fail({ kind: "shape" });
  const owner = splitId(parts[0]!);
  const repository = splitId(parts[1]!);
  if (repository.id === undefined && /\.git$/i.test(repository.name) && isGitHubOwner(owner.name) && isGitHubRepositoryName(repository.name.slice(0, -4))) {
    return fail({ kind: "gitSuffix", suggestion: `${parts[0]}/${repository.name.slice(0, -4)}` });
  }
  if (!isGitHubOwner(owner.name)) return fail({ kind: "owner", owner: owner.name });
  if (!isGitHubRepositoryName(repository.name)) return fail({ kind: "name", name: repository.name });
  const badId = [owner.id, repository.id].find((id) => id !== undefined && !ID.test(id));
  if (badId !== undefined) return fail({ kind: "id", id: badId, owner: owner.name, name: repository.name });
  if ((owner.id === undefined) !== (repository.id === undefined)) {
    return fail({ kind: "halfImmutable", has: owner.id !== undefined ? "owner" : "repository", owner: owner.name, name: repository.name });
  }
  const ids = owner.id !== undefined && repository.id !== undefined ? { owner: owner.id, repository: repository.id } : undefined;
  return { ok: true, repository: { owner: owner.name, name: repository.name, ...(ids ? { ids } : {}) } };
}

/** The repository as the subject writes it: `contoso/app` or `contoso@5544123/app@821093847`. */
export function githubRepositoryText(repository: GitHubRepositoryRef): string {
  return repository.ids ? `${repository.owner}@${repository.ids.owner}/${repository.name}@${repository.ids.repository}` : `${repository.owner}/${repository.name}`;
}

/** What a GitHub subject selects after the repository. */
export type GitHubSubjectContext =
  | { readonly kind: "branch"; readonly value: string }
  | { readonly kind: "tag"; readonly value: string }
  | { readonly kind: "environment"; readonly value: string }
  | { readonly kind: "pullRequest" };

export interface GitHubSubject {
  readonly repository: GitHubRepositoryRef;
  readonly context: GitHubSubjectContext;
}

/**
 * Reads a default-template GitHub Actions subject (`repo:<repository>:<context>`) in either form; undefined for
 * anything else (a customized template, another platform, or text with spaces or control characters).
 */
export function parseGitHubSubject(subject: string): GitHubSubject | undefined {
  if (/[\s\u0000-\u001f\u007f-\u009f]/.test(subject)) return undefined;
  const match = /^repo:([^:]+):(.+)$/.exec(subject);
  if (!match) return undefined;
  const parsed = parseGitHubRepository(match[1]!);
  if (!parsed.ok) return undefined;
  const rest = match[2]!;
  const context: GitHubSubjectContext | undefined =
    rest === "pull_request"
      ? { kind: "pullRequest" }
      : rest.startsWith("ref:refs/heads/") && rest.length > "ref:refs/heads/".length
        ? { kind: "branch", value: rest.slice("ref:refs/heads/".length) }
        : rest.startsWith("ref:refs/tags/") && rest.length > "ref:refs/tags/".length
          ? { kind: "tag", value: rest.slice("ref:refs/tags/".length) }
          : rest.startsWith("environment:") && rest.length > "environment:".length
            ? { kind: "environment", value: rest.slice("environment:".length) }
            : undefined;
  return context ? { repository: parsed.repository, context } : undefined;
}
