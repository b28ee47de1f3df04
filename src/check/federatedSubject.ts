/**
 * A federated sign-in refused for its subject, read for GitHub Actions: which of GitHub's two subject forms the
 * token presented (src/facts/github.ts), the likely mismatch, and the `federatedCredentials` entry that matches it
 * exactly. GitHub's immutable subjects (repositories created, renamed or transferred since 15 July 2026, or opted
 * in) make a credential written for `repo:owner/repo:…` stop matching, and the reverse holds before a switch.
 */
import { githubRepositoryText, parseGitHubSubject, type GitHubSubjectContext } from "../facts/github";

/** The subject Entra quotes: `Assertion Subject: '…'` (AADSTS70021) or `presented assertion subject '…'` (AADSTS700213). */
export function presentedSubject(description: string | undefined): string | undefined {
  return /assertion subject:?\s*'([^']*)'/i.exec(description ?? "")?.[1];
}

function selector(context: GitHubSubjectContext): string {
  switch (context.kind) {
    case "branch":
      return `branch: ${context.value}`;
    case "tag":
      return `tag: ${context.value}`;
    case "environment":
      return `environment: ${context.value}`;
    case "pullRequest":
      return "pullRequest: true";
  }
}

export interface SubjectMismatch {
  /** What the token presented and which credential it does not match. */
  readonly about: string;
  readonly remedy: string;
}

/** For a GitHub Actions subject in Entra's description: the mismatch worded; undefined for anything else. */
export function githubSubjectMismatch(description: string | undefined): SubjectMismatch | undefined {
  const text = presentedSubject(description);
  const subject = text === undefined ? undefined : parseGitHubSubject(text);
  if (!subject) return undefined;
  const { owner, name, ids } = subject.repository;
  const entry = `{ kind: github, repository: ${githubRepositoryText(subject.repository)}, ${selector(subject.context)} }`;
  if (ids) {
    return {
      about:
        `the token presents ${text}, GitHub's immutable subject (repositories created, renamed or transferred since 15 July 2026, or opted in); ` +
        `a credential for the name-only repo:${owner}/${name}:… does not match it`,
      remedy:
        `Add a federated credential for exactly that subject: ${entry} in federatedCredentials (bootstrap: pulumi config set repository ${githubRepositoryText(subject.repository)}). ` +
        `Keep the name-only credential beside it until every workflow presents the immutable subject, then remove it.`,
    };
  }
  return {
    about:
      `the token presents ${text}, GitHub's name-only subject; a credential for the immutable repo:${owner}@<owner_id>/${name}@<repo_id>:… ` +
      `does not match it until the repository uses immutable subjects, nor does one for another branch, tag, environment or pull request`,
    remedy:
      `Add a federated credential for exactly that subject: ${entry} in federatedCredentials (bootstrap: pulumi config set repository ${owner}/${name}); ` +
      `a credential in the immutable form starts matching once the repository's admins opt in to immutable subjects.`,
  };
}
