/**
 * The one rule for a GitHub repository in config. The stack's `federatedCredentials` (kind github) and bootstrap's
 * `repository` both take `owner/repo` (name-only subjects) or `owner@owner_id/repo@repo_id` (GitHub's immutable
 * subjects, src/facts/github.ts), written as GitHub prints it, and word a bad one the same way: what is wrong, both
 * accepted forms, and where the ids are.
 */
import { parseGitHubRepository, type GitHubRepositoryProblem } from "../facts/github";

/** Both forms for one repository, placeholders where the user has not said. */
function forms(owner = "owner", name = "repo"): string {
  return `"${owner}/${name}" (name-only subjects) or "${owner}@<owner_id>/${name}@<repo_id>" (GitHub's immutable subjects: repositories created, renamed or transferred since 15 July 2026, or opted in)`;
}

/**
 * Where the ids are: GitHub's REST API ("Get a repository" answers `id` and `owner.id`), or the workflow's own
 * github.repository_owner_id and github.repository_id.
 */
function whereTheIdsAre(owner = "OWNER", name = "REPO"): string {
  return `the ids are GitHub's numeric owner and repository ids: gh api repos/${owner}/${name} --jq '.owner.id, .id' prints them, owner first (GitHub docs: OpenID Connect reference, "Immutable subject claims")`;
}

function worded(problem: GitHubRepositoryProblem): string {
  switch (problem.kind) {
    case "shape":
      return `must be ${forms()}, for example "contoso/exchange-runbooks" or "contoso@5544123/exchange-runbooks@821093847"; ${whereTheIdsAre()}.`;
    case "url": {
      const [owner, name] = problem.suggestion?.split("/") ?? [];
      return `is a URL: write ${forms(owner, name)}; ${whereTheIdsAre(owner, name)}.`;
    }
    case "gitSuffix": {
      const [owner, name] = problem.suggestion.split("/");
      return `ends in .git: write ${forms(owner, name)}; ${whereTheIdsAre(owner, name)}.`;
    }
    case "owner":
      return `has ${JSON.stringify(problem.owner)} as its owner, which is not a GitHub account name (letters, digits and single hyphens, not first or last, 39 at most): write ${forms()}; ${whereTheIdsAre()}.`;
    case "name":
      return `has ${JSON.stringify(problem.name)} as its repository name, which GitHub does not allow (letters, digits, ".", "-" and "_", 100 at most, not "." or ".."): write ${forms()}; ${whereTheIdsAre()}.`;
    case "id":
      return `has ${JSON.stringify(problem.id)} where a GitHub id goes: the ids are numbers (digits, no leading zero). Write ${forms(problem.owner, problem.name)}; ${whereTheIdsAre(problem.owner, problem.name)}.`;
    case "halfImmutable": {
      const has = problem.has === "owner" ? "the owner's id but not the repository's" : "the repository's id but not the owner's";
      return `gives ${has}: GitHub's immutable subject carries both ("${problem.owner}@<owner_id>/${problem.name}@<repo_id>"), the name-only subject neither ("${problem.owner}/${problem.name}"); ${whereTheIdsAre(problem.owner, problem.name)}.`;
    }
  }
}

/** What is wrong with `value` as a GitHub repository, with the fix; undefined when it is one of the two forms. */
export function githubRepositoryProblem(value: string): string | undefined {
  const parsed = parseGitHubRepository(value);
  return parsed.ok ? undefined : worded(parsed.problem);
}

/** `contoso@5544123/app@821093847` → `contoso/app`: what `gh --repo` and GitHub's web addresses take. */
export function githubRepositoryName(value: string): string {
  const parsed = parseGitHubRepository(value);
  if (!parsed.ok) throw new Error(`not a GitHub repository: ${JSON.stringify(value)}`);
  return `${parsed.repository.owner}/${parsed.repository.name}`;
}
