/**
 * GitHub's two subject forms in the stack's federatedCredentials: `owner/repo` and, for repositories on GitHub's
 * immutable OIDC subjects (created, renamed or transferred since 15 July 2026, or opted in), `owner@owner_id/repo@repo_id`.
 * Subjects are pinned as literals from GitHub's docs and Microsoft Entra's migration article, not rebuilt from the code.
 */
import { parse } from "yaml";
import { parseBootstrapConfig } from "../../bootstrap/config";
import { KEYS } from "../../bootstrap/settings";
import { githubRepositoryProblem } from "../../src/config/githubRepository";
import { ConfigError } from "../../src/errors";
import { section as docsSection } from "../support/docs";
import { evaluate, T } from "../support/evaluate";
import { issueAt, refusal } from "../support/refusal";

const GITHUB = "https://token.actions.githubusercontent.com";

describe("both forms, for every selector: the subject GitHub presents, exactly", () => {
  it.each([
    ["contoso/payments-api", { branch: "main" }, "repo:contoso/payments-api:ref:refs/heads/main"],
    ["contoso@5544123/payments-api@821093847", { branch: "main" }, "repo:contoso@5544123/payments-api@821093847:ref:refs/heads/main"],
    ["contoso/payments-api", { tag: "v1.2.0" }, "repo:contoso/payments-api:ref:refs/tags/v1.2.0"],
    ["contoso@5544123/payments-api@821093847", { tag: "v1.2.0" }, "repo:contoso@5544123/payments-api@821093847:ref:refs/tags/v1.2.0"],
    ["contoso/payments-api", { environment: "production" }, "repo:contoso/payments-api:environment:production"],
    ["contoso@5544123/payments-api@821093847", { environment: "production" }, "repo:contoso@5544123/payments-api@821093847:environment:production"],
    ["contoso/payments-api", { pullRequest: true }, "repo:contoso/payments-api:pull_request"],
    ["contoso@5544123/payments-api@821093847", { pullRequest: true }, "repo:contoso@5544123/payments-api@821093847:pull_request"],
    ["octocat@123456/my-repo@456789", { branch: "release/2026" }, "repo:octocat@123456/my-repo@456789:ref:refs/heads/release/2026"],
    ["Contoso-Ops@9/exo.runbooks_v2@18446744073709551615", { environment: "prod" }, "repo:Contoso-Ops@9/exo.runbooks_v2@18446744073709551615:environment:prod"],
  ])("%s with %j → %s", async (repository, selector, subject) => {
    const run = await evaluate({ federatedCredentials: [{ kind: "github", repository, ...selector }] });
    const [credential] = run.ofType(T.federatedCredential);
    expect(credential!.inputs).toMatchObject({
      applicationId: `/applications/${run.outputs.applicationObjectId}`,
      issuer: GITHUB,
      subject,
      audiences: ["api://AzureADTokenExchange"],
    });
    expect(credential!.inputs.displayName).toMatch(/^[A-Za-z0-9_-]{1,120}$/);
  });
});

describe("migrating without downtime: both credentials of one repository side by side", () => {
  const both = [
    { kind: "github", repository: "contoso/exchange-runbooks", branch: "main" },
    { kind: "github", repository: "contoso@5544123/exchange-runbooks@821093847", branch: "main" },
  ];

  it("are two credentials with distinct names and subjects, not duplicates", async () => {
    const run = await evaluate({ federatedCredentials: both });
    expect(run.ofType(T.federatedCredential).map((f) => [f.inputs.displayName, f.inputs.subject])).toEqual([
      ["github-contoso-exchange-runbooks-branch-main", "repo:contoso/exchange-runbooks:ref:refs/heads/main"],
      ["github-contoso_5544123-exchange-runbooks_821093847-branch-main", "repo:contoso@5544123/exchange-runbooks@821093847:ref:refs/heads/main"],
    ]);
  });

  it.each([
    ["the name-only form twice", [both[0], both[0]]],
    ["the immutable form twice", [both[1], both[1]]],
    ["the immutable form twice, the second renamed", [both[1], { ...both[1], name: "again" }]],
  ])("true duplicates are still refused: %s", async (_label, list) => {
    const issue = issueAt(await refusal({ federatedCredentials: list }), "federatedCredentials[1]");
    expect(issue.message).toMatch(/duplicates federatedCredentials\[0\] \(same issuer and subject, or same name\)/);
  });
});

describe("a bad repository: refused before anything registers, naming the key, the value and the fix", () => {
  /** Both accepted forms and where the ids are: every message carries them. */
  const FORMS = /"(?:[^"]+)\/(?:[^"]+)" \(name-only subjects\) or "[^"]+@<owner_id>\/[^"]+@<repo_id>" \(GitHub's immutable subjects/;
  const IDS = /gh api repos\/[^ ]+ --jq '\.owner\.id, \.id' prints them, owner first/;

  it.each([
    // URLs and clone addresses: the names are read out of them for the fix.
    ["https://github.com/contoso/exo", /^repository is a URL: write "contoso\/exo" \(name-only subjects\) or "contoso@<owner_id>\/exo@<repo_id>"/],
    ["http://github.com/contoso/exo/", /^repository is a URL: write "contoso\/exo"/],
    ["git@github.com:contoso/exo.git", /^repository is a URL: write "contoso\/exo"/],
    ["github.com/contoso/exo", /^repository is a URL: write "contoso\/exo"/],
    ["https://github.com/contoso@5544123/exo@821093847", /^repository is a URL: write "owner\/repo"/],
    ["contoso/exo.git", /^repository ends in \.git: write "contoso\/exo"/],
    // One id only.
    ["contoso@5544123/exo", /^repository gives the owner's id but not the repository's: GitHub's immutable subject carries both \("contoso@<owner_id>\/exo@<repo_id>"\), the name-only subject neither \("contoso\/exo"\); the ids are GitHub's numeric owner and repository ids: gh api repos\/contoso\/exo --jq/],
    ["contoso/exo@821093847", /^repository gives the repository's id but not the owner's/],
    // Ids that are not GitHub's numbers.
    ["contoso@abc/exo@821093847", /^repository has "abc" where a GitHub id goes: the ids are numbers \(digits, no leading zero\)\. Write "contoso\/exo" \(name-only subjects\) or "contoso@<owner_id>\/exo@<repo_id>".*gh api repos\/contoso\/exo --jq/],
    ["contoso@5544123/exo@0821093847", /^repository has "0821093847" where a GitHub id goes/],
    ["contoso@5544123/exo@", /^repository has "" where a GitHub id goes/],
    ["contoso@-1/exo@2", /^repository has "-1" where a GitHub id goes/],
    ["contoso@1@2/exo@3", /^repository has "1@2" where a GitHub id goes/],
    ["contoso@1.5/exo@3", /^repository has "1.5" where a GitHub id goes/],
    // Names GitHub does not allow.
    ["-contoso/exo", /^repository has "-contoso" as its owner, which is not a GitHub account name/],
    ["contoso-/exo", /^repository has "contoso-" as its owner/],
    ["con--toso/exo", /^repository has "con--toso" as its owner/],
    ["con_toso/exo", /^repository has "con_toso" as its owner/],
    [`${"a".repeat(40)}/exo`, /^repository has "a{40}" as its owner/],
    ["@5544123/exo@1", /^repository has "" as its owner/],
    ["contoso/exo runbooks", /^repository has "exo runbooks" as its repository name, which GitHub does not allow/],
    ["contoso/..", /^repository has "\.\." as its repository name/],
    [`contoso/${"r".repeat(101)}`, /^repository has "r{101}" as its repository name/],
    [" contoso/exo", /^repository has " contoso" as its owner/],
    // Not owner/repo at all.
    ["contoso", /^repository must be "owner\/repo" \(name-only subjects\) or "owner@<owner_id>\/repo@<repo_id>"/],
    ["contoso/exo/main", /^repository must be "owner\/repo"/],
    ["", /^repository must be "owner\/repo"/],
  ])("%j", async (repository, wording) => {
    const error = await refusal({ federatedCredentials: [{ kind: "github", repository, branch: "main" }] });
    const issue = issueAt(error, "federatedCredentials[0].repository");
    expect(issue.value).toBe(JSON.stringify(repository.length > 80 ? `${repository.slice(0, 77)}...` : repository));
    expect(issue.message).toMatch(wording);
    expect(issue.message).toMatch(IDS);
    if (!/gives the/.test(issue.message)) expect(issue.message).toMatch(FORMS);
    expect(error.message).toContain(`exchange-app-only:federatedCredentials[0].repository = ${issue.value}: repository `);
  });

  it("the stack and bootstrap/ word a bad repository with one rule", () => {
    for (const value of ["contoso@5544123/exo", "https://github.com/contoso/exo", "contoso@x/exo@1", "-contoso/exo", "contoso"]) {
      let bootstrap: string | undefined;
      try {
        parseBootstrapConfig({ repository: value });
      } catch (error) {
        bootstrap = (error as ConfigError).issues.find((i) => i.key === "exchange-app-only-bootstrap:repository")?.message;
      }
      expect(bootstrap).toBe(githubRepositoryProblem(value));
    }
  });
});

describe("the migration (Moving to GitHub's immutable subjects)", () => {
  const section = docsSection("Moving to GitHub's immutable subjects");

  it("its YAML is a stack the program accepts: both credentials, with the names and subjects the text gives", async () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const config = (parse(yaml) as { config: Record<string, unknown> }).config;
    const run = await evaluate({ federatedCredentials: config["exchange-app-only:federatedCredentials"] });
    const credentials = run.ofType(T.federatedCredential).map((f) => [f.inputs.displayName, f.inputs.subject]);
    expect(credentials).toEqual([
      ["github-contoso-exchange-runbooks-env-production", "repo:contoso/exchange-runbooks:environment:production"],
      ["github-contoso_5544123-exchange-runbooks_821093847-env-production", "repo:contoso@5544123/exchange-runbooks@821093847:environment:production"],
    ]);
    for (const [name] of credentials) expect(section).toContain(`\`${name}\``);
  });

  it("documents every bootstrap key, keepNameOnlySubjects included", () => {
    const bootstrap = docsSection("The deploying identity (bootstrap/)");
    for (const key of KEYS) expect(bootstrap).toContain(`| \`${key}\` |`);
  });
});
