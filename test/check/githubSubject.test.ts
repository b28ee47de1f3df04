/**
 * A federated sign-in refused for its subject, for GitHub Actions: the diagnosis names GitHub's two subject forms
 * (name-only and immutable) as the likely mismatch and gives the exact federatedCredentials entry. The Entra texts
 * are Entra's own wording as users quote it (AADSTS700213, AADSTS70021).
 */
import { classifyAadsts } from "../../src/check/aadsts";
import { presentedSubject } from "../../src/check/federatedSubject";

function entra(code: number, text: string) {
  return {
    error: code === 70021 ? "invalid_request" : "invalid_client",
    error_description: `AADSTS${code}: ${text}\r\nTrace ID: 0b7c\r\nCorrelation ID: 1e2f\r\nTimestamp: 2026-11-26 07:00:00Z`,
    error_codes: [code],
  };
}
const subjectRefused = (subject: string) =>
  classifyAadsts(401, entra(700213, `No matching federated identity record found for presented assertion subject '${subject}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`));
const assertionRefused = (subject: string) =>
  classifyAadsts(400, entra(70021, `No matching federated identity record found for presented assertion. Assertion Issuer: 'https://token.actions.githubusercontent.com'. Assertion Subject: '${subject}'. Assertion Audience: 'api://AzureADTokenExchange'.`));

describe("AADSTS700213 for a GitHub subject", () => {
  test("an immutable subject against a name-only credential: the immutable form named, the exact entry, the migration", () => {
    expect(subjectRefused("repo:contoso@5544123/app@821093847:ref:refs/heads/main")).toEqual({
      code: 700213,
      explanation:
        "AADSTS700213: no federated identity credential matches the assertion's subject: the token presents repo:contoso@5544123/app@821093847:ref:refs/heads/main, " +
        "GitHub's immutable subject (repositories created, renamed or transferred since 15 July 2026, or opted in); a credential for the name-only repo:contoso/app:… does not match it",
      remedy:
        "Add a federated credential for exactly that subject: { kind: github, repository: contoso@5544123/app@821093847, branch: main } in federatedCredentials " +
        "(bootstrap: pulumi config set repository contoso@5544123/app@821093847). Keep the name-only credential beside it until every workflow presents the immutable subject, then remove it.",
      healing: "window",
    });
  });

  test("a name-only subject against an immutable credential: the reverse, and the opt-in", () => {
    const d = subjectRefused("repo:contoso/app:environment:production");
    expect(d.explanation).toBe(
      "AADSTS700213: no federated identity credential matches the assertion's subject: the token presents repo:contoso/app:environment:production, GitHub's name-only subject; " +
        "a credential for the immutable repo:contoso@<owner_id>/app@<repo_id>:… does not match it until the repository uses immutable subjects, nor does one for another branch, tag, environment or pull request",
    );
    expect(d.remedy).toBe(
      "Add a federated credential for exactly that subject: { kind: github, repository: contoso/app, environment: production } in federatedCredentials " +
        "(bootstrap: pulumi config set repository contoso/app); a credential in the immutable form starts matching once the repository's admins opt in to immutable subjects.",
    );
  });

  test.each([
    ["repo:contoso@5544123/app@821093847:ref:refs/tags/v1.2.0", "{ kind: github, repository: contoso@5544123/app@821093847, tag: v1.2.0 }"],
    ["repo:contoso@5544123/app@821093847:environment:prod", "{ kind: github, repository: contoso@5544123/app@821093847, environment: prod }"],
    ["repo:contoso@5544123/app@821093847:pull_request", "{ kind: github, repository: contoso@5544123/app@821093847, pullRequest: true }"],
    ["repo:contoso@5544123/app@821093847:ref:refs/heads/release/2026", "{ kind: github, repository: contoso@5544123/app@821093847, branch: release/2026 }"],
    ["repo:contoso/app:pull_request", "{ kind: github, repository: contoso/app, pullRequest: true }"],
  ])("%s → %s", (subject, entry) => {
    expect(subjectRefused(subject).remedy).toContain(entry);
  });

  test.each([
    ["a Kubernetes subject", "system:serviceaccount:ops:exo"],
    ["a customized GitHub template", "repository_owner_id:1844662:repository_id:599293758:ref:refs/heads/main"],
    ["a half-immutable repository", "repo:contoso@5544123/app:ref:refs/heads/main"],
    ["control characters", "repo:contoso/app:ref:refs/heads/\u001b]0;owned\u0007"],
  ])("%s: the general diagnosis, which still names both GitHub forms, and no echo of the subject", (_label, subject) => {
    const d = subjectRefused(subject);
    expect(d.explanation).toBe(
      "AADSTS700213: no federated identity credential matches the assertion's subject; for GitHub Actions, often the subject's form: GitHub's immutable repo:OWNER@OWNER_ID/REPO@REPO_ID:… " +
        "(repositories created, renamed or transferred since 15 July 2026, or opted in) against a credential for repo:OWNER/REPO:…, or the reverse",
    );
    expect(d.remedy).toContain("OWNER@OWNER_ID/REPO@REPO_ID for repo:OWNER@OWNER_ID/REPO@REPO_ID:… (gh api repos/OWNER/REPO --jq '.owner.id, .id' prints the ids)");
    expect(`${d.explanation}${d.remedy}`).not.toContain(subject);
  });

  test("no description at all: the general diagnosis", () => {
    expect(classifyAadsts(401, { error: "invalid_client", error_codes: [700213] }).explanation).toMatch(/^AADSTS700213: .*immutable repo:OWNER@OWNER_ID\/REPO@REPO_ID/);
  });
});

describe("the other federated codes", () => {
  test("AADSTS70021 (no match at all) is often the subject too: the same GitHub reading, and issuer and audience to check", () => {
    const d = assertionRefused("repo:contoso@5544123/app@821093847:ref:refs/heads/main");
    expect(d.explanation).toBe(
      "AADSTS70021: no federated identity credential matches the presented assertion: the token presents repo:contoso@5544123/app@821093847:ref:refs/heads/main, " +
        "GitHub's immutable subject (repositories created, renamed or transferred since 15 July 2026, or opted in); a credential for the name-only repo:contoso/app:… does not match it",
    );
    expect(d.remedy).toMatch(/\{ kind: github, repository: contoso@5544123\/app@821093847, branch: main \}.* Check its issuer and audience too\.$/);
  });

  test("AADSTS70021 without a GitHub subject still names both forms", () => {
    expect(assertionRefused("system:serviceaccount:ops:exo").explanation).toMatch(/^AADSTS70021: .*issuer, subject and audience must all match.*immutable repo:OWNER@OWNER_ID\/REPO@REPO_ID:…/);
  });

  test.each([
    [700211, "issuer", "No matching federated identity record found for presented assertion issuer 'https://token.actions.githubusercontent.com/'."],
    [700212, "audience", "No matching federated identity record found for presented assertion audience 'api://other'."],
  ])("AADSTS%i is about the %s, not the subject: no subject-form advice", (code, claim, text) => {
    const d = classifyAadsts(401, entra(code, text));
    expect(d.explanation).toContain(`assertion's ${claim}`);
    expect(`${d.explanation}${d.remedy}`).not.toMatch(/immutable|OWNER_ID/);
  });

  test.each([
    ["AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:a/b:pull_request'. Please check", "repo:a/b:pull_request"],
    ["AADSTS70021: No matching federated identity record found for presented assertion. Assertion Issuer: 'x'. Assertion Subject: 'repo:a/b:pull_request'. Assertion Audience: 'y'.", "repo:a/b:pull_request"],
    ["AADSTS700016: Application not found.", undefined],
  ])("reads the presented subject out of %j", (description, subject) => {
    expect(presentedSubject(description)).toBe(subject);
  });
});
