/**
 * End to end, GitHub's two subject forms: the stack's federatedCredentials land in an emulated tenant (the program
 * through the emulator's Pulumi backend), the emulator plays GitHub Actions and mints a job's OIDC token with the
 * subject in the repository's form (github.ts, written from GitHub's docs, not from the stack's code), and Entra's
 * emulated token endpoint compares subjects exactly, as Entra does.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runCheck } from "../../src/check/run";
import { TYPE } from "../../src/facts/typeTokens";
import { evaluateProgram } from "../../src/cli/evaluate";
import { startFakeGitHubOidc } from "../cli/githubOidc";
import { expectNothingSecret, runCli } from "../cli/run";
import { engineConfig } from "../support/stackConfig";
import { startEmulator, type GitHubJob, type TenantEmulator } from "./index";
import { emulatorBackend } from "./pulumiBackend";

let emu: TenantEmulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator();
  dir = mkdtempSync(path.join(os.tmpdir(), "exo-github-subjects-"));
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

/** contoso/exchange-runbooks, ids 5544123 and 821093847, deploying from main. */
const job = (immutable: boolean, on: GitHubJob["on"] = { branch: "main" }): GitHubJob => ({ owner: "contoso", ownerId: 5544123, repo: "exchange-runbooks", repoId: 821093847, on, immutable });

let stackSeq = 0;
/** The real program with these federated credentials (and no other credential), landed in a fresh emulated tenant. */
async function deploy(federatedCredentials: readonly object[]) {
  const organization = `gh${++stackSeq}.onmicrosoft.com`;
  const tenantId = emu.directory.addTenant({ organization }).tenantId;
  const run = await evaluateProgram({
    config: engineConfig({ tenantId, organization, certificate: "none", federatedCredentials }),
    backend: emulatorBackend(emu, tenantId),
  });
  const landed = emu.directory.getApplication(tenantId, String(run.outputs.applicationObjectId))!.federatedCredentials.map((f) => f.subject);
  return { tenantId, clientId: String(run.outputs.clientId), landed, run };
}

/** The post-deploy check, signing in with a token GitHub Actions would hand this job. */
function check(stack: { tenantId: string; clientId: string }, gitHubJob: GitHubJob) {
  return runCheck({
    tenantId: stack.tenantId,
    clientId: stack.clientId,
    credential: { kind: "federated", source: "GitHub Actions OIDC (emulated)", getAssertion: () => emu.mintGitHubActionsToken(gitHubJob) },
    authorityHost: emu.url,
    exchangeEndpoint: emu.url,
    ca: emu.caPem,
    timeoutMs: 10_000,
    credentialWindowMs: 300,
  });
}

test("repository: owner@owner_id/repo@repo_id: a job of an immutable-subject repository signs in and reaches Exchange", async () => {
  const stack = await deploy([{ kind: "github", repository: "contoso@5544123/exchange-runbooks@821093847", branch: "main" }]);
  expect(stack.landed).toEqual(["repo:contoso@5544123/exchange-runbooks@821093847:ref:refs/heads/main"]);
  const report = await check(stack, job(true));
  expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  expect(report.checks.map((c) => c.id)).toContain("exchange.invoke");
  expect(report).toMatchObject({ ok: true, credential: "federated" });
});

test("the same for an environment, a tag and a pull request", async () => {
  const stack = await deploy([
    { kind: "github", repository: "contoso@5544123/exchange-runbooks@821093847", environment: "production" },
    { kind: "github", repository: "contoso@5544123/exchange-runbooks@821093847", tag: "v1.2.0" },
    { kind: "github", repository: "contoso@5544123/exchange-runbooks@821093847", pullRequest: true },
  ]);
  for (const on of [{ environment: "production" }, { tag: "v1.2.0" }, { pullRequest: 7 }] as const) {
    expect({ on, ok: (await check(stack, job(true, on))).ok }).toEqual({ on, ok: true });
  }
});

test("a name-only credential refuses the immutable subject: AADSTS700213, diagnosed with the immutable form and the exact entry", async () => {
  const stack = await deploy([{ kind: "github", repository: "contoso/exchange-runbooks", branch: "main" }]);
  expect(stack.landed).toEqual(["repo:contoso/exchange-runbooks:ref:refs/heads/main"]);
  const report = await check(stack, job(true));
  expect(report.ok).toBe(false);
  expect(report.checks[0]).toMatchObject({
    id: "token.acquired",
    ok: false,
    detail: expect.stringContaining(
      "AADSTS700213: no federated identity credential matches the assertion's subject: the token presents repo:contoso@5544123/exchange-runbooks@821093847:ref:refs/heads/main, GitHub's immutable subject",
    ),
    remedy: expect.stringContaining("{ kind: github, repository: contoso@5544123/exchange-runbooks@821093847, branch: main }"),
  });
});

test("and the reverse: an immutable credential refuses a name-only subject (the repository has not switched yet)", async () => {
  const stack = await deploy([{ kind: "github", repository: "contoso@5544123/exchange-runbooks@821093847", branch: "main" }]);
  const report = await check(stack, job(false));
  expect(report.ok).toBe(false);
  expect(report.checks[0]!.detail).toContain("the token presents repo:contoso/exchange-runbooks:ref:refs/heads/main, GitHub's name-only subject");
  expect(report.checks[0]!.remedy).toContain("{ kind: github, repository: contoso/exchange-runbooks, branch: main }");
});

test("migrating: with both credentials, the job signs in before and after the repository switches", async () => {
  const stack = await deploy([
    { kind: "github", repository: "contoso/exchange-runbooks", branch: "main" },
    { kind: "github", repository: "contoso@5544123/exchange-runbooks@821093847", branch: "main" },
  ]);
  expect(stack.run.resources.filter((r) => r.type === TYPE.federatedCredential)).toHaveLength(2);
  expect((await check(stack, job(false))).ok).toBe(true);
  expect((await check(stack, job(true))).ok).toBe(true);
});

test("exo-app-only verify inside a GitHub Actions job of an immutable-subject repository: the job's own token, no secret", async () => {
  const stack = await deploy([{ kind: "github", repository: "contoso@5544123/exchange-runbooks@821093847", environment: "production" }]);
  const requestToken = "gh-request-token-immutable-0123456789";
  const gh = await startFakeGitHubOidc(requestToken, (audience) => emu.mintGitHubActionsToken(job(true, { environment: "production" }), audience));
  try {
    const caFile = path.join(dir, "cas.pem");
    writeFileSync(caFile, `${readFileSync(emu.caFile, "utf8")}\n${gh.certPem}`);
    const r = await runCli(["verify", "--tenant-id", stack.tenantId, "--client-id", stack.clientId, "--authority-host", emu.url, "--exchange-endpoint", emu.url, "--json"], {
      env: { NODE_EXTRA_CA_CERTS: caFile, ACTIONS_ID_TOKEN_REQUEST_URL: gh.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken },
    });
    expect({ code: r.code, stderr: r.code === 0 ? "" : r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, credential: "federated" });
    expect(gh.audiences).toEqual(["api://AzureADTokenExchange"]);
    expectNothingSecret(r, [requestToken]);
  } finally {
    await gh.close();
  }
});
