/** Bad bootstrap config is refused before anything registers, with the key, the value and the fix. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { parse } from "yaml";
import { parseBootstrapConfig } from "../../bootstrap/config";
import { DEFAULTS, KEYS, PROJECT } from "../../bootstrap/settings";
import { ConfigError } from "../../src/errors";
import { refused } from "./run";

const key = (k: string) => `${PROJECT}:${k}`;

function issuesOf(raw: Record<string, string>) {
  try {
    parseBootstrapConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => ({ key: i.key, value: i.value, message: i.message }));
    throw error;
  }
  return [];
}

describe("bootstrap config", () => {
  it("defaults: main and the destroy environment (the workflows' subjects), pull requests on a read-only app, OwnedBy", () => {
    expect(parseBootstrapConfig({ repository: "contoso/exo" })).toEqual({
      repository: "contoso/exo",
      branches: ["main"],
      pullRequest: "preview",
      environments: ["exo-app-only-destroy"],
      applicationPermission: "OwnedBy",
      displayName: "exchange-app-only deployer",
      keepNameOnlySubjects: false,
      auditor: false,
    });
  });

  it("takes the repository in GitHub's immutable form too, exactly as GitHub prints it", () => {
    expect(parseBootstrapConfig({ repository: "contoso@5544123/exo@821093847" }).repository).toBe("contoso@5544123/exo@821093847");
    expect(parseBootstrapConfig({ repository: "contoso@5544123/exo@821093847", keepNameOnlySubjects: "true" }).keepNameOnlySubjects).toBe(true);
  });

  it.each([
    [{}, "repository", "(not set)", /is required/],
    [{ repository: "https://github.com/contoso/exo" }, "repository", '"https://github.com/contoso/exo"', /^is a URL: write "contoso\/exo" \(name-only subjects\) or "contoso@<owner_id>\/exo@<repo_id>"/],
    [{ repository: "contoso/exo", branches: "main" }, "branches", '"main"', /must be a list of names/],
    [{ repository: "contoso/exo", branches: '["refs/heads/main"]' }, "branches", '"refs/heads/main"', /must be the branch's name \("main"\), not its ref/],
    [{ repository: "contoso/exo", branches: '["my branch"]' }, "branches", '"my branch"', /must be a branch name/],
    [{ repository: "contoso/exo", environments: '["prod:eu"]' }, "environments", '"prod:eu"', /must be a GitHub environment name/],
    [{ repository: "contoso/exo", environments: '["production","production"]' }, "environments", '"production"', /listed twice/],
    [{ repository: "contoso/exo", pullRequest: "true" }, "pullRequest", '"true"', /must be preview \(a second, read-only app .*\), deployer \(the deploying identity itself\) or none/],
    [{ repository: "contoso/exo", pullRequest: "previews" }, "pullRequest", '"previews"', /Did you mean "preview"\?/],
    [{ repository: "contoso/exo", applicationPermission: "OwnedBye" }, "applicationPermission", '"OwnedBye"', /Did you mean "OwnedBy"\?/],
    [{ repository: "contoso/exo", repo: "x" }, "repo", '"x"', /is not a key of this project\. Did you mean "repository"\?/],
    [{ repository: "contoso/exo", branches: "[]", environments: "[]" }, "branches", '"[]"', /no branch or environment may sign in as the deploying identity/],
    [{ repository: "contoso/exo", branches: JSON.stringify(Array.from({ length: 20 }, (_, i) => `b${i}`)), pullRequest: "deployer" }, "branches", expect.any(String), /makes 22 federated credentials; Entra allows 20/],
    [{ repository: "contoso/exo", branches: '["release/1","release-1"]' }, "branches", expect.any(String), /the same credential name/],
    // The immutable form: a half-immutable value, a non-numeric id and a URL each say what is wrong and the fix.
    [{ repository: "contoso@5544123/exo" }, "repository", '"contoso@5544123/exo"', /^gives the owner's id but not the repository's: GitHub's immutable subject carries both \("contoso@<owner_id>\/exo@<repo_id>"\), the name-only subject neither \("contoso\/exo"\); .*gh api repos\/contoso\/exo --jq '\.owner\.id, \.id'/],
    [{ repository: "contoso@abc/exo@821093847" }, "repository", '"contoso@abc/exo@821093847"', /^has "abc" where a GitHub id goes: the ids are numbers/],
    [{ repository: "https://github.com/contoso@5544123/exo@821093847" }, "repository", expect.any(String), /^is a URL: write "owner\/repo" \(name-only subjects\) or "owner@<owner_id>\/repo@<repo_id>"/],
    [{ repository: "contoso/exo", keepNameOnlySubjects: "true" }, "keepNameOnlySubjects", '"true"', /repository "contoso\/exo" is already the name-only form: set repository to "contoso\/exo" with its ids/],
    [{ repository: "contoso@1/exo@2", keepNameOnlySubjects: "yes" }, "keepNameOnlySubjects", '"yes"', /must be true or false/],
    [
      { repository: "contoso@1/exo@2", keepNameOnlySubjects: "true", branches: JSON.stringify(Array.from({ length: 10 }, (_, i) => `b${i}`)) },
      "branches",
      expect.any(String),
      /makes 22 federated credentials \(each twice: keepNameOnlySubjects keeps the name-only subjects too\)/,
    ],
  ])("%j: refused, naming %s", (raw, k, value, message) => {
    expect(issuesOf(raw as Record<string, string>)).toEqual([{ key: key(k), value, message: expect.stringMatching(message) }]);
  });

  it("names every bad key at once", () => {
    expect(issuesOf({ repository: "nope", pullRequest: "1", applicationPermission: "Everything" }).map((i) => i.key)).toEqual([
      key("repository"),
      key("pullRequest"),
      key("applicationPermission"),
    ]);
  });

  it("accepts the permission's full name and any case", () => {
    expect(parseBootstrapConfig({ repository: "contoso/exo", applicationPermission: "application.readwrite.all" }).applicationPermission).toBe("All");
  });

  it("the program refuses bad config before registering anything", async () => {
    const { error, created } = await refused({ repository: "contoso", pullRequest: "maybe" });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.key)).toEqual([key("repository"), key("pullRequest")]);
    expect(created).toEqual([]);
  });
});

describe("bootstrap/Pulumi.yaml", () => {
  const project = parse(readFileSync(join(__dirname, "..", "..", "bootstrap", "Pulumi.yaml"), "utf8"));

  it("is a Node.js project of its own, valid against the schema the Pulumi CLI checks", () => {
    const schema = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "pulumi-project.schema.json"), "utf8"));
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    expect(validate(project) ? [] : validate.errors).toEqual([]);
    expect(project).toMatchObject({ name: "exchange-app-only-bootstrap", runtime: { name: "nodejs" }, main: "index.ts" });
  });

  it("declares the keys the program reads, with the same defaults; repository has none, so the CLI requires it", () => {
    expect(Object.keys(project.config).sort()).toEqual([...KEYS].sort());
    for (const [k, value] of Object.entries(DEFAULTS)) expect([k, project.config[k].default]).toEqual([k, value]);
    expect(project.config.repository.default).toBeUndefined();
  });
});
