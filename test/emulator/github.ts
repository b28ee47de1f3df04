/**
 * GitHub Actions' side of a federated sign-in: the claims of a job's OIDC token, with the default subject in the
 * form the repository uses. Written from GitHub's docs ("OpenID Connect reference": example claims, default subject
 * and "Immutable subject claims"), apart from the project's own subject builder (src/credentials/federation.ts), so
 * an end-to-end test compares two readings of GitHub's format rather than one with itself.
 */

export const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";

/** One job of one repository. */
export interface GitHubJob {
  readonly owner: string;
  /** GitHub's numeric ids (the REST API's `owner.id` and `id`). */
  readonly ownerId: number;
  readonly repo: string;
  readonly repoId: number;
  /** What the job runs for: a branch, a tag, an environment (its subject wins over the branch) or a pull request. */
  readonly on: { readonly branch: string } | { readonly tag: string } | { readonly environment: string; readonly branch?: string } | { readonly pullRequest: number };
  /**
   * The repository is on immutable subject claims: created, renamed or transferred on or after 15 July 2026, or
   * opted in. Its subject then carries `owner@owner_id/repo@repo_id` instead of `owner/repo`.
   */
  readonly immutable: boolean;
}

/** The token's claims, `iss`, `aud` and times aside. */
export function githubActionsClaims(job: GitHubJob): Record<string, string> {
  const { owner, ownerId, repo, repoId, on } = job;
  const ref = "tag" in on ? `refs/tags/${on.tag}` : "pullRequest" in on ? `refs/pull/${on.pullRequest}/merge` : `refs/heads/${on.branch ?? "main"}`;
  const context = "environment" in on ? `environment:${on.environment}` : "pullRequest" in on ? "pull_request" : `ref:${ref}`;
  const repository = job.immutable ? `${owner}@${ownerId}/${repo}@${repoId}` : `${owner}/${repo}`;
  return {
    sub: `repo:${repository}:${context}`,
    // The other claims keep the names: only the default subject changes form.
    repository: `${owner}/${repo}`,
    repository_owner: owner,
    repository_id: String(repoId),
    repository_owner_id: String(ownerId),
    ref,
    ref_type: "tag" in on ? "tag" : "branch",
    event_name: "pullRequest" in on ? "pull_request" : "push",
    ...("environment" in on ? { environment: on.environment } : {}),
    job_workflow_ref: `${owner}/${repo}/.github/workflows/deploy.yml@${ref}`,
    runner_environment: "github-hosted",
  };
}
