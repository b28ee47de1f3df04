/** `exo-app-only verify` end to end: the built CLI as a child process against the tenant emulator. */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { startEmulator, type TenantEmulator } from "../emulator";
import { makeCertificate } from "../check/certs";
import { wireTenant, type WiredTenant } from "../check/tenant";
import { startFakeGitHubOidc } from "./githubOidc";
import { expectNothingSecret, runCli, type CliResult } from "./run";

let emu: TenantEmulator;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator();
  dir = mkdtempSync(path.join(os.tmpdir(), "exo-verify-"));
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => emu.faults.clear());

const SECRET_VAR = "EXO_TEST_CLIENT_SECRET";
const HEADER = "Checking app-only Exchange Online access:";

/** verify against the emulator with a secret from an env var. */
function verify(t: WiredTenant, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(
    ["verify", "--tenant-id", t.tenantId, "--client-id", t.clientId, "--authority-host", emu.url, "--exchange-endpoint", emu.url, "--timeout", "10s", ...extra],
    { env: { NODE_EXTRA_CA_CERTS: emu.caFile, [SECRET_VAR]: t.secret, ...env } },
  );
}

const withSecret = ["--client-secret-env", SECRET_VAR];

function json(result: CliResult): Record<string, any> {
  const lines = result.stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!);
}

describe("happy paths", () => {
  test("client secret from an env var: exit 0, every check listed, nothing secret printed", async () => {
    const t = wireTenant(emu);
    const r = await verify(t, withSecret);
    expect(r.code).toBe(0);
    for (const id of ["token.acquired", "token.audience", "token.app-only", "token.role", "token.tenant", "token.client", "token.lifetime", "exchange.invoke"]) {
      expect(r.stdout).toMatch(new RegExp(`ok\\s+${id.replace(".", "\\.")}\\s`));
    }
    expect(r.stdout).toContain(`PASS: app ${t.clientId} has app-only access to Exchange Online in tenant ${t.tenantId} (1 attempt,`);
    expect(r.stdout).toContain(`accepted domains: ${t.organization}`);
    expectNothingSecret(r, [t.secret]);
  });

  test("certificate file with --json: one JSON object in the contract's shape", async () => {
    const t = wireTenant(emu, { certificate: true });
    const pemFile = path.join(dir, `${t.clientId}.pem`);
    writeFileSync(pemFile, t.certificatePem, { mode: 0o600 });
    const r = await verify(t, ["--certificate-file", pemFile, "--json"]);
    expect(r.code).toBe(0);
    const out = json(r);
    expect(Object.keys(out).slice(0, 7)).toEqual(["ok", "tenantId", "clientId", "environment", "checks", "attempts", "elapsedMs"]);
    expect(out).toMatchObject({ ok: true, tenantId: t.tenantId, clientId: t.clientId, environment: "public", attempts: 1, credential: "certificate" });
    // The emulator's certificates live a day: credential.validity warns (and does not fail the run), then the 8 checks.
    expect(out.checks).toHaveLength(9);
    for (const check of out.checks) expect(Object.keys(check)).toEqual(["id", "ok", "detail", "remedy", "level"]);
    expect(out.checks[0]).toMatchObject({ id: "credential.validity", ok: true, level: "warning" });
    expect(out.checks[0].detail).toMatch(/^the certificate CN=.*, thumbprint [0-9A-F]{40} expires on .*, in \d+ h \(within 30 days\)$/);
    expect(out.checks.slice(1).map((c: any) => c.level)).toEqual(Array(8).fill("ok"));
    expect(out.checks.find((c: any) => c.id === "token.client").detail).toMatch(/certificate or assertion/);
    expectNothingSecret(r, [t.certificatePem.split("\n")[1]!]);
  });

  test("--no-probe: token checks only, Exchange is not called", async () => {
    const t = wireTenant(emu, { role: "none" });
    emu.clearRequests();
    const r = await verify(t, [...withSecret, "--no-probe", "--json"]);
    expect(r.code).toBe(0);
    expect(json(r).checks.map((c: any) => c.id)).not.toContain("exchange.invoke");
    expect(emu.requests.filter((x) => x.kind === "invoke" && x.tenantId === t.tenantId)).toHaveLength(0);
  });
});

describe("federated credentials", () => {
  const SUBJECT = "repo:contoso/exo-app-only:environment:prod";
  function federate(t: WiredTenant): void {
    emu.directory.addFederatedCredential(t.tenantId, t.appObjectId, { name: "prod", issuer: emu.federatedIssuer, subject: SUBJECT, audiences: ["api://AzureADTokenExchange"] });
  }

  test("--federated-token-file: the file's token is exchanged, never printed", async () => {
    const t = wireTenant(emu);
    federate(t);
    const assertion = await emu.mintFederatedToken({ issuer: emu.federatedIssuer, subject: SUBJECT, audience: "api://AzureADTokenExchange" });
    const file = path.join(dir, `${t.clientId}.jwt`);
    writeFileSync(file, `${assertion}\n`);
    const r = await verify(t, ["--federated-token-file", file, "--json"]);
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ ok: true, credential: "federated" });
    expect(json(r).checks[0].detail).toContain(`federated assertion from file ${file}`);
    expectNothingSecret(r, [assertion]);
  });

  test("GitHub Actions: with the OIDC request variables and no credential flag, the job's token is used", async () => {
    const t = wireTenant(emu);
    federate(t);
    const requestToken = "gh-request-token-0123456789";
    const gh = await startFakeGitHubOidc(requestToken, (audience) => emu.mintFederatedToken({ issuer: emu.federatedIssuer, subject: SUBJECT, audience }));
    try {
      const caFile = path.join(dir, "cas.pem");
      writeFileSync(caFile, `${readFileSync(emu.caFile, "utf8")}\n${gh.certPem}`);
      const summary = path.join(dir, "gh-summary.md");
      const r = await runCli(["verify", "--tenant-id", t.tenantId, "--client-id", t.clientId, "--authority-host", emu.url, "--exchange-endpoint", emu.url, "--json"], {
        env: { NODE_EXTRA_CA_CERTS: caFile, ACTIONS_ID_TOKEN_REQUEST_URL: gh.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken, GITHUB_STEP_SUMMARY: summary },
      });
      expect(r.code).toBe(0);
      expect(json(r)).toMatchObject({ ok: true, credential: "federated" });
      expect(json(r).checks[0].detail).toContain("GitHub Actions OIDC");
      expect(gh.audiences).toEqual(["api://AzureADTokenExchange"]);
      expectNothingSecret(r, [requestToken]);
      expect(readFileSync(summary, "utf8")).not.toContain(requestToken);
    } finally {
      await gh.close();
    }
  });
});

describe("managed identity", () => {
  /** App Service's local identity endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER), handing out emulator-signed tokens. */
  async function appServiceIdentity(t: WiredTenant, header: string) {
    const seen: URLSearchParams[] = [];
    const server = http.createServer((req, res) => {
      const query = new URL(req.url ?? "/", "http://127.0.0.1").searchParams;
      seen.push(query);
      if (req.headers["x-identity-header"] !== header) {
        res.writeHead(401).end();
        return;
      }
      const now = Math.floor(Date.now() / 1000);
      void emu
        .mintAccessToken({ aud: query.get("resource"), iss: `https://sts.windows.net/${t.tenantId}/`, tid: t.tenantId, appid: t.clientId, oid: t.spObjectId, idtyp: "app", roles: ["Exchange.ManageAsApp"] })
        .then((token) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ access_token: token, expires_on: String(now + 3600), resource: query.get("resource"), token_type: "Bearer", client_id: t.clientId }));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    return { endpoint: `http://127.0.0.1:${port}/msi/token`, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  test.each([
    ["user-assigned (client id given)", true],
    ["system-assigned", false],
  ])("%s: the local identity endpoint's token passes every check", async (_name, userAssigned) => {
    const t = wireTenant(emu);
    const identity = await appServiceIdentity(t, "identity-header-secret-42");
    try {
      const r = await runCli(
        ["verify", "--tenant-id", t.tenantId, "--managed-identity", ...(userAssigned ? [t.clientId] : []), "--exchange-endpoint", emu.url, "--json"],
        { env: { NODE_EXTRA_CA_CERTS: emu.caFile, IDENTITY_ENDPOINT: identity.endpoint, IDENTITY_HEADER: "identity-header-secret-42" } },
      );
      expect(r.code).toBe(0);
      const out = json(r);
      expect(out).toMatchObject({ ok: true, credential: "managed-identity", clientId: userAssigned ? t.clientId : "" });
      expect(out.checks.find((c: any) => c.id === "token.client").detail).toMatch(userAssigned ? /the client asked for/ : /no client id given to compare/);
      expect(identity.seen[0]!.get("resource")).toBe("https://outlook.office365.com");
      expect(identity.seen[0]!.get("client_id")).toBe(userAssigned ? t.clientId : null);
      expectNothingSecret(r, ["identity-header-secret-42"]);
    } finally {
      await identity.close();
    }
  });
});

describe("waiting for propagation", () => {
  test("the directory role arrives 2.5 s after wiring: passes soon after, reports the wait, progress on stderr only", async () => {
    const readyAt = Date.now() + 2500;
    const t = wireTenant(emu, { roleAfterMs: 2500 });
    const r = await verify(t, [...withSecret, "--json"]);
    const finishedAt = Date.now();
    expect(r.code).toBe(0);
    const out = json(r);
    expect(out.attempts).toBeGreaterThan(1);
    expect(out.propagation.blockedBy).toEqual(["exchange.invoke"]);
    expect(out.propagation.waitedMs).toBeGreaterThan(0);
    // Never before the role is visible, and long before the 15 min deadline. How soon after is a speed
    // question, measured by `npm run bench:ready`, not asserted here.
    expect(finishedAt).toBeGreaterThanOrEqual(readyAt);
    expect(finishedAt - readyAt).toBeLessThan(10_000);
    expect(r.stderr).toMatch(/attempt 2 · /);
    expect(r.stderr).toMatch(/ {2}waiting on exchange\.invoke: Exchange Online answered 403 .*; next try in \d/);
    if (out.attempts > 2) expect(r.stderr).toMatch(/ {2}still waiting on exchange\.invoke \(same answer\); next try in \d/);
    expectNothingSecret(r, [t.secret]);
  });

  test("the text report says how long propagation took", async () => {
    const t = wireTenant(emu, { consentAfterMs: 2000 });
    const r = await verify(t, withSecret);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/propagation took \d+(\.\d)? (s|ms) \(waited for token\.role\)/);
  });

  test("429 with Retry-After from Exchange: the next request waits at least that long", async () => {
    const t = wireTenant(emu);
    emu.clearRequests();
    emu.faults.inject({ kind: "invoke", status: 429, retryAfterSeconds: 2 });
    const r = await verify(t, [...withSecret, "--json"]);
    expect(r.code).toBe(0);
    const invokes = emu.requests.filter((x) => x.kind === "invoke");
    expect(invokes.map((x) => x.status)).toEqual([429, 200]);
    expect(invokes[1]!.at - invokes[0]!.doneAt).toBeGreaterThanOrEqual(2000);
    expect(r.stderr).toMatch(/next try in 2\.0 s \(as Retry-After asks\)/);
  });

  test("429 with Retry-After from the token endpoint is honoured too", async () => {
    const t = wireTenant(emu);
    emu.clearRequests();
    emu.faults.inject({ kind: "token", status: 429, retryAfterSeconds: 1 });
    const r = await verify(t, [...withSecret, "--json"]);
    expect(r.code).toBe(0);
    const tokens = emu.requests.filter((x) => x.kind === "token");
    expect(tokens.map((x) => x.status)).toEqual([429, 200]);
    expect(tokens[1]!.at - tokens[0]!.doneAt).toBeGreaterThanOrEqual(1000);
  });

  test("5xx and resets are retried", async () => {
    const t = wireTenant(emu);
    emu.faults.inject({ kind: "token", status: 503, times: 2 });
    emu.faults.inject({ kind: "invoke", reset: true });
    const r = await verify(t, [...withSecret, "--json"]);
    expect(r.code).toBe(0);
    const out = json(r);
    expect(out.attempts).toBe(4);
    expect(out.propagation.blockedBy).toEqual(["token.acquired", "exchange.invoke"]);
  });

  test("the deadline is respected: a role that never comes ends at --timeout with exit 1", async () => {
    const t = wireTenant(emu, { role: "none" });
    const r = await verify(t, [...withSecret, "--timeout", "2s"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL exchange\.invoke\s+Exchange Online answered 403 Forbidden/);
    expect(r.stdout).toMatch(/the 2\.0 s deadline was reached/);
    expect(r.stdout).toMatch(/FAIL: exchange\.invoke \(gave up at the deadline; \d+ attempts/);
    // Ends at the deadline, not after another attempt's worth: node start-up and loading come on top of the 2 s.
    expect(r.ms).toBeLessThan(2000 + 4000);
  });
});

describe("diagnoses", () => {
  test("a wrong secret past the window: exit 1, AADSTS7000215 explained", async () => {
    const t = wireTenant(emu);
    const r = await verify(t, ["--client-secret-env", SECRET_VAR, "--timeout", "2s", "--json"], { [SECRET_VAR]: "not-the-secret~value" });
    expect(r.code).toBe(1);
    const out = json(r);
    const acquired = out.checks[0];
    expect(acquired.id).toBe("token.acquired");
    expect(acquired.ok).toBe(false);
    expect(acquired.detail).toMatch(/AADSTS7000215: invalid client secret/);
    expect(acquired.remedy).toMatch(/secret's value \(not its id\)/);
    expect(out.attempts).toBeGreaterThan(1);
    expectNothingSecret(r, ["not-the-secret~value", t.secret]);
  });

  test("no consent: the token has no Exchange.ManageAsApp role", async () => {
    const t = wireTenant(emu, { consent: false });
    const r = await verify(t, [...withSecret, "--timeout", "1s", "--json"]);
    expect(r.code).toBe(1);
    const failing = json(r).checks.filter((c: any) => !c.ok);
    expect(failing).toHaveLength(1);
    expect(failing[0]).toMatchObject({ id: "token.role" });
    expect(failing[0].remedy).toMatch(/admin consent/);
  });

  test("no directory role: Exchange answers 403 and the remedy names the roles", async () => {
    const t = wireTenant(emu, { role: "none" });
    const r = await verify(t, [...withSecret, "--timeout", "1s", "--json"]);
    expect(r.code).toBe(1);
    const invoke = json(r).checks.find((c: any) => c.id === "exchange.invoke");
    expect(invoke.ok).toBe(false);
    expect(invoke.detail).toMatch(/403 Forbidden/);
    expect(invoke.remedy).toMatch(/Exchange Administrator/);
  });

  test("an unknown tenant fails fast (cannot heal)", async () => {
    const t = wireTenant(emu);
    const r = await verify({ ...t, tenantId: "00000000-0000-4000-8000-00000000abcd" }, [...withSecret, "--json"]);
    expect(r.code).toBe(1);
    const out = json(r);
    expect(out.attempts).toBe(1);
    expect(out.checks[0].detail).toMatch(/AADSTS90002/);
  });

  test("an untrusted TLS certificate fails fast and names NODE_EXTRA_CA_CERTS", async () => {
    const t = wireTenant(emu);
    const r = await verify(t, [...withSecret, "--json"], { NODE_EXTRA_CA_CERTS: "" });
    expect(r.code).toBe(1);
    const out = json(r);
    expect(out.attempts).toBe(1);
    expect(out.checks[0].detail).toMatch(/^the TLS certificate of https:\/\/127\.0\.0\.1:\d+ is not trusted \(/);
    expect(out.checks[0].remedy).toMatch(/NODE_EXTRA_CA_CERTS/);
  });

  test("GITHUB_STEP_SUMMARY gets a markdown table of the checks", async () => {
    const t = wireTenant(emu);
    const summary = path.join(dir, "summary.md");
    writeFileSync(summary, "# earlier step\n");
    const r = await verify(t, withSecret, { GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(0);
    const md = readFileSync(summary, "utf8");
    expect(md.startsWith("# earlier step\n")).toBe(true);
    expect(md).toContain("### Exchange Online app-only check: passed");
    expect(md).toContain("| ✅ | `exchange.invoke` |");
    expect(md).not.toContain(t.secret);
    expect(md).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });
});

/** A `pulumi` on PATH that prints these outputs (or fails), recording its argv. */
function fakePulumi(outputs: unknown, o: { fail?: string } = {}): { bin: string; argsFile: string } {
  const bin = mkdtempSync(path.join(dir, "bin-"));
  const argsFile = path.join(bin, "args.txt");
  const outFile = path.join(bin, "outputs.json");
  writeFileSync(outFile, JSON.stringify(outputs));
  const script = o.fail
    ? `#!/bin/sh\nprintf '%s\\n' "$@" > "${argsFile}"\necho "${o.fail}" >&2\nexit 255\n`
    : `#!/bin/sh\nprintf '%s\\n' "$@" > "${argsFile}"\ncat "${outFile}"\n`;
  writeFileSync(path.join(bin, "pulumi"), script);
  chmodSync(path.join(bin, "pulumi"), 0o755);
  return { bin, argsFile };
}

describe("--stack reads the stack's outputs through the pulumi CLI", () => {
  test("secret from the stack: passes; pulumi's argv holds no secret", async () => {
    const t = wireTenant(emu);
    const { bin, argsFile } = fakePulumi({
      tenantId: t.tenantId,
      clientId: t.clientId,
      environment: "public",
      organization: t.organization,
      authorityHost: emu.url,
      exchangeResource: "https://outlook.office365.com",
      clientSecret: t.secret,
      connectExchangeOnline: { accessToken: "Connect-ExchangeOnline -AccessToken $token" },
    });
    const r = await runCli(["verify", "--stack", "dev", "--exchange-endpoint", emu.url, "--timeout", "10s", "--json"], {
      env: { NODE_EXTRA_CA_CERTS: emu.caFile, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
    });
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ ok: true, tenantId: t.tenantId, clientId: t.clientId, credential: "secret" });
    expect(readFileSync(argsFile, "utf8").trim().split("\n")).toEqual(["stack", "output", "--json", "--show-secrets", "--stack", "dev"]);
    expectNothingSecret(r, [t.secret]);
  });

  test("certificate from the stack (key and certificate outputs) is preferred over a secret", async () => {
    const t = wireTenant(emu, { certificate: true });
    const [key, cert] = t.certificatePem.split(/(?=-----BEGIN CERTIFICATE-----)/) as [string, string];
    const { bin } = fakePulumi({
      tenantId: t.tenantId,
      clientId: t.clientId,
      environment: "public",
      authorityHost: emu.url,
      certificatePem: cert,
      certificatePrivateKeyPem: key,
      clientSecret: "an-old-secret-value",
    });
    const r = await runCli(["verify", "--stack", "dev", "--exchange-endpoint", emu.url, "--json"], {
      env: { NODE_EXTRA_CA_CERTS: emu.caFile, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
    });
    expect(r.code).toBe(0);
    expect(json(r).credential).toBe("certificate");
  });

  test("a stack of many tenants: --tenant picks one, and without it the tenants are named", async () => {
    const t = wireTenant(emu);
    const outputs = (tenantId: string) => ({ tenantId, clientId: t.clientId, environment: "public", organization: t.organization, authorityHost: emu.url, clientSecret: t.secret });
    const { bin } = fakePulumi({
      tenants: {
        contoso: outputs(t.tenantId),
        fabrikam: outputs("7a2e3d4c-5b6f-4a70-9b82-a3c4d5e6f708"),
        northwind: { tenantId: "8b3f4e5d-6c70-4b81-8c93-b4d5e6f70819", clientId: t.clientId, environment: "public", consent: "manual", adminConsentUrl: "https://login.example/consent" },
      },
    });
    const env = { NODE_EXTRA_CA_CERTS: emu.caFile, PATH: `${bin}${path.delimiter}${process.env.PATH}` };
    const picked = await runCli(["verify", "--stack", "fleet", "--tenant", "contoso", "--exchange-endpoint", emu.url, "--timeout", "10s", "--json"], { env });
    expect(picked.code).toBe(0);
    expect(json(picked)).toMatchObject({ ok: true, tenantId: t.tenantId });

    const unnamed = await runCli(["verify", "--stack", "fleet", "--json"], { env });
    expect(unnamed.code).toBe(2);
    expect(JSON.parse(unnamed.stdout).error).toMatchObject({ message: "stack fleet holds 3 tenants: contoso, fabrikam, northwind", remedy: expect.stringContaining("exo-app-only fleet verify fleet") });
    const unknown = await runCli(["verify", "--stack", "fleet", "--tenant", "tailspin"], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/stack fleet has no tenant "tailspin": contoso, fabrikam, northwind/);
    const waiting = await runCli(["verify", "--stack", "fleet", "--tenant", "northwind"], { env });
    expect(waiting.code).toBe(2);
    expect(waiting.stderr).toMatch(/tenant northwind of stack fleet waits for its admin's consent/);
    const noStack = await runCli(["verify", "--tenant", "contoso"], { env });
    expect(noStack.code).toBe(2);
    expect(noStack.stderr).toMatch(/--tenant "contoso" picks a tenant of --stack/);
    for (const r of [picked, unnamed, unknown, waiting, noStack]) expectNothingSecret(r, [t.secret]);
  });

  test("pulumi failing, pulumi missing and outputs missing are exit 2 with one clear line", async () => {
    const failing = fakePulumi({}, { fail: "error: no stack named 'nope' found" });
    const r1 = await runCli(["verify", "--stack", "nope"], { env: { PATH: `${failing.bin}${path.delimiter}${process.env.PATH}` } });
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/^error: pulumi stack output --stack nope failed: error: no stack named 'nope' found$/m);

    const r2 = await runCli(["verify", "--stack", "dev"], { env: { PATH: path.dirname(process.execPath) } });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/^error: the pulumi CLI is not on PATH$/m);

    const empty = fakePulumi({ tenantId: "x" });
    const r3 = await runCli(["verify", "--stack", "dev", "--json"], { env: { PATH: `${empty.bin}${path.delimiter}${process.env.PATH}` } });
    expect(r3.code).toBe(2);
    expect(JSON.parse(r3.stdout)).toMatchObject({ ok: false, error: { code: "ERR_STACK", message: "stack dev lacks usable outputs: clientId, environment" } });
    for (const r of [r1, r2, r3]) expectNothingSecret(r);
  });
});

describe("usage and config errors: exit 2, one line and a remedy, no stack trace", () => {
  const TENANT = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
  const CLIENT = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  const T = ["--tenant-id", TENANT, "--client-id", CLIENT];
  test.each([
    ["an http authority host", [...T, "--client-secret-env", "S", "--authority-host", "http://127.0.0.1:1"], /--authority-host http:\/\/127\.0\.0\.1:1 is not https/],
    ["an http Exchange endpoint", [...T, "--client-secret-env", "S", "--exchange-endpoint", "http://127.0.0.1:1"], /--exchange-endpoint http:\/\/127\.0\.0\.1:1 is not https/],
    ["no credential", T, /^error: no credential$/m],
    ["two credentials", [...T, "--client-secret-env", "S", "--certificate-file", "x.pem"], /choose one credential, not --client-secret-env and --certificate-file/],
    ["a secret as a flag", [...T, "--client-secret", "hunter2-secret"], /secrets are never taken as command-line flags/],
    ["an unset secret variable", [...T, "--client-secret-env", "NOT_SET_ANYWHERE"], /environment variable NOT_SET_ANYWHERE is not set or empty/],
    ["a secret given where a variable name goes", [...T, "--client-secret-env", "abc~def.ghi"], /^error: --client-secret-env \(11 characters, not shown\) is not a variable's name: it looks like a value, perhaps the secret itself$/m],
    ["a bad timeout", [...T, "--client-secret-env", "S", "--timeout", "soon"], /--timeout "soon" is not a duration/],
    ["an unknown cloud", [...T, "--client-secret-env", "S", "--environment", "mars"], /Allowed choices are public, usgovernment, dod, china/],
    ["an unknown flag", [...T, "--frobnicate"], /unknown option '--frobnicate'/],
    ["no tenant", ["--client-secret-env", "S"], /^error: no tenant$/m],
    ["a client id that is not a GUID", ["--tenant-id", "contoso.onmicrosoft.com", "--client-id", "my-app", "--client-secret-env", "S"], /^error: --client-id "my-app" is not a GUID$/m],
    ["the nil GUID as client id", ["--tenant-id", "contoso.onmicrosoft.com", "--client-id", "00000000-0000-0000-0000-000000000000", "--client-secret-env", "S"], /^error: --client-id "0{8}-0{4}-0{4}-0{4}-0{12}" is the nil GUID, which names no application$/m],
    ["a bare-word tenant", ["--tenant-id", "contoso", "--client-id", CLIENT, "--client-secret-env", "S"], /^error: --tenant-id "contoso" is neither a GUID nor a domain name/m],
    ["a bare-word tenant with an underscore", ["--tenant-id", "my_tenant", "--client-id", CLIENT, "--client-secret-env", "S"], /^error: --tenant-id "my_tenant" is neither a GUID nor a domain name/m],
    ["the nil GUID as tenant", ["--tenant-id", "00000000-0000-0000-0000-000000000000", "--client-id", CLIENT, "--client-secret-env", "S"], /^error: --tenant-id "0{8}-0{4}-0{4}-0{4}-0{12}" is the nil GUID/m],
    ["a multi-tenant alias as tenant", ["--tenant-id", "organizations", "--client-id", CLIENT, "--client-secret-env", "S"], /--tenant-id "organizations" is a multi-tenant alias/],
    ["a domain with a bad label", ["--tenant-id", "contoso_ltd.onmicrosoft.com", "--client-id", CLIENT, "--client-secret-env", "S"], /--tenant-id "contoso_ltd\.onmicrosoft\.com" is not a domain name/],
    ["a URL as tenant", ["--tenant-id", "https://login.microsoftonline.com/contoso.onmicrosoft.com", "--client-id", CLIENT, "--client-secret-env", "S"], /--tenant-id ".*" is a URL, not a tenant/],
    ["a bad tenant even with a managed identity", ["--tenant-id", "contoso", "--managed-identity"], /--tenant-id "contoso" is neither a GUID nor a domain name/],
    ["a managed identity client id that is not a GUID", ["--tenant-id", TENANT, "--managed-identity", "my-identity"], /^error: --managed-identity "my-identity" is not a GUID$/m],
    ["a managed identity and a different --client-id", ["--tenant-id", TENANT, "--managed-identity", CLIENT, "--client-id", "6f1c2a3b-4d5e-4f60-8a7b-000000000001"], /name two different identities/],
    ["the tenant id pasted as the client id", ["--tenant-id", TENANT, "--client-id", TENANT.toUpperCase(), "--client-secret-env", "S"], /^error: client id 6F1C2A3B-4D5E-4F60-8A7B-9C0D1E2F3A4B is the same GUID as the tenant id: one of them is the other id pasted in its place$/m],
    ["the tenant id as a managed identity's client id", ["--tenant-id", TENANT, "--managed-identity", TENANT], /^error: (managed identity )?client id 6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b is the same GUID as the tenant id/m],
    ["a timeout without a unit", [...T, "--client-secret-env", "S", "--timeout", "15"], /^error: --timeout "15" has no unit$/m],
    ["a timeout of zero", [...T, "--client-secret-env", "S", "--timeout", "0s"], /--timeout "0s" is not a positive duration/],
    ["a negative timeout", [...T, "--client-secret-env", "S", "--timeout=-5m"], /--timeout "-5m" is negative/],
    ["a timeout in exponent notation", [...T, "--client-secret-env", "S", "--timeout", "1e9s"], /--timeout "1e9s" is not a duration/],
    ["a timeout beyond 24h", [...T, "--client-secret-env", "S", "--timeout", "25h"], /^error: --timeout "25h" is longer than the maximum, 24h$/m],
    ["a huge timeout", [...T, "--client-secret-env", "S", "--timeout", "99999999999999999999h"], /is longer than the maximum, 24h/],
    ["a timeout under 1s", [...T, "--client-secret-env", "S", "--timeout", "500ms"], /is shorter than the minimum, 1s/],
    ["--fail-on-expiry not a number", [...T, "--client-secret-env", "S", "--fail-on-expiry", "soon"], /^error: --fail-on-expiry "soon" is not a number of days from 0 to 3650$/m],
    ["--fail-on-expiry beyond 3650", [...T, "--client-secret-env", "S", "--fail-on-expiry", "3651"], /--fail-on-expiry "3651" is not a number of days/],
    ["--fail-on-expiry negative", [...T, "--client-secret-env", "S", "--fail-on-expiry=-1"], /--fail-on-expiry "-1" is not a number of days/],
    ["--fail-on-expiry fractional", [...T, "--client-secret-env", "S", "--fail-on-expiry", "1.5"], /--fail-on-expiry "1.5" is not a number of days/],
    ["a secret without a client id", ["--tenant-id", TENANT, "--client-secret-env", "S"], /^error: no client id: a client secret signs in as an application, and no --client-id names it$/m],
    ["a federated token file without a client id", ["--tenant-id", TENANT, "--federated-token-file", "/nonexistent/token"], /^error: no client id: a federated token signs in/m],
    ["a certificate file without a client id", ["--tenant-id", TENANT, "--certificate-file", "/nonexistent/app.pem"], /^error: no client id: a certificate signs in/m],
    ["a missing federated token file", [...T, "--federated-token-file", "/nonexistent/token"], /cannot read the federated token file \/nonexistent\/token \(ENOENT\)/],
    ["an authority host that is not a URL", [...T, "--client-secret-env", "S", "--authority-host", "login.microsoftonline.com"], /--authority-host "login\.microsoftonline\.com" is not a URL/],
    ["a missing certificate file", [...T, "--certificate-file", "/nonexistent/app.pem"], /cannot read --certificate-file \/nonexistent\/app\.pem \(ENOENT\)/],
  ])("%s", async (_name, args, message) => {
    const r = await runCli(["verify", ...args], { env: { S: "some-secret-value" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
    // Detected before the check starts: no header line, one error line, one remedy line.
    expect(r.stderr).not.toContain(HEADER);
    expect(r.stderr.trim().split("\n").filter((l) => !l.startsWith("(run with --help")).length).toBeLessThanOrEqual(2);
    expectNothingSecret(r, ["some-secret-value", "hunter2-secret", "abc~def.ghi"]);
  });

  test("a malformed certificate file: exit 2 naming the problem, the key never echoed", async () => {
    const pem = path.join(dir, "broken.pem");
    writeFileSync(pem, "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n");
    const r = await runCli(["verify", ...T, "--certificate-file", pem, "--authority-host", emu.url, "--json"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: "ERR_CREDENTIAL", message: "the certificate PEM holds no certificate (no -----BEGIN CERTIFICATE----- block)" } });
    expect(r.stderr).not.toContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC");
    expect(r.stderr).not.toContain(HEADER);
  });

  test("--help shows examples and exit codes", async () => {
    const r = await runCli(["verify", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("exo-app-only verify --stack dev");
    expect(r.stdout).toMatch(/^Exit codes:\n {2}0 {2}every check passed; a warning .* does not fail\n {2}1 {2}a check failed/m);
    expect(r.stdout).toMatch(/--fail-on-expiry <DAYS>/);
    expect(r.stdout).toMatch(/1s to 24h/);
  });
});

describe("GitHub Actions OIDC variables that cannot be used: exit 2 before anything is printed or sent", () => {
  /** A plain-http listener standing where a misconfigured ACTIONS_ID_TOKEN_REQUEST_URL points: it must see nothing. */
  async function listener() {
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits += 1;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ value: "x.y.z" }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    return { port, hits: () => hits, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }
  const REQUEST_TOKEN = "gh-request-token-do-not-print-0123";

  test.each([
    ["an http:// request URL", (port: number) => `http://127.0.0.1:${port}/_apis/oidctoken?api-version=2.0`, /^error: ACTIONS_ID_TOKEN_REQUEST_URL http:\/\/127\.0\.0\.1:\d+ is not https: the request token would travel in the clear$/m],
    ["a malformed request URL", (port: number) => `127.0.0.1:${port}/_apis/oidctoken`, /^error: ACTIONS_ID_TOKEN_REQUEST_URL is not a URL$/m],
    ["a request URL of another scheme", (port: number) => `ws://127.0.0.1:${port}/`, /ACTIONS_ID_TOKEN_REQUEST_URL \(ws: scheme\) is not https/],
  ])("%s", async (_name, url, message) => {
    const target = await listener();
    try {
      for (const json of [false, true]) {
        const r = await runCli(["verify", "--tenant-id", "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", "--client-id", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", ...(json ? ["--json"] : [])], {
          env: { ACTIONS_ID_TOKEN_REQUEST_URL: url(target.port), ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN },
        });
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(r.stderr).toMatch(/permissions: id-token: write/);
        expect(r.stderr).toMatch(/an https URL/);
        expect(r.stderr).not.toContain(HEADER);
        if (json) expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: "ERR_CREDENTIAL" } });
        else expect(r.stdout).toBe("");
        expectNothingSecret(r, [REQUEST_TOKEN]);
      }
      expect(target.hits()).toBe(0);
    } finally {
      await target.close();
    }
  });

  test("the request URL without the request token (or the reverse) names what is missing", async () => {
    const r1 = await runCli(["verify", "--tenant-id", "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", "--client-id", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"], {
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: "https://127.0.0.1:1/_apis/oidctoken" },
    });
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/^error: GitHub Actions OIDC variables are missing: ACTIONS_ID_TOKEN_REQUEST_TOKEN is not set \(ACTIONS_ID_TOKEN_REQUEST_URL is\)$/m);
    expect(r1.stderr).not.toContain(HEADER);
    const r2 = await runCli(["verify", "--tenant-id", "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", "--client-id", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"], {
      env: { ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN },
    });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/ACTIONS_ID_TOKEN_REQUEST_URL is not set/);
    expectNothingSecret(r2, [REQUEST_TOKEN]);
  });

  test("GitHub OIDC without a client id: exit 2, pass --client-id", async () => {
    const r = await runCli(["verify", "--tenant-id", "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b"], {
      env: { ACTIONS_ID_TOKEN_REQUEST_URL: "https://127.0.0.1:1/_apis/oidctoken", ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: no client id: a federated token from GitHub Actions OIDC signs in as an application, and no --client-id names it$/m);
    expect(r.stderr).toMatch(/Pass --client-id/);
    expect(r.stderr).not.toContain(HEADER);
  });
});

describe("the header says who signs in with what", () => {
  const header = (r: CliResult): string => r.stderr.split("\n").find((l) => l.startsWith(HEADER)) ?? "";

  test("a secret from a variable", async () => {
    const t = wireTenant(emu);
    const r = await verify(t, withSecret);
    expect(r.code).toBe(0);
    expect(header(r)).toBe(`${HEADER} tenant ${t.tenantId}, client ${t.clientId}, client secret from $${SECRET_VAR}, Microsoft 365 public cloud (and GCC), deadline 10.0 s`);
  });

  test("a certificate file: its subject and thumbprint", async () => {
    const t = wireTenant(emu);
    const c = makeCertificate({ commonName: "exo-header-test" });
    emu.directory.addCertificate(t.tenantId, t.appObjectId, c.certPem);
    const file = path.join(dir, "header.pem");
    writeFileSync(file, `${c.keyPem}${c.certPem}`);
    const r = await verify(t, ["--certificate-file", file]);
    expect(r.code).toBe(0);
    expect(header(r)).toContain(`client ${t.clientId}, certificate CN=exo-header-test, thumbprint ${c.thumbprint} (from ${file}),`);
    expect(header(r)).not.toMatch(/managed identity/);
  });

  test("everything from the stack: says so, and says certificate, not managed identity", async () => {
    const t = wireTenant(emu);
    const c = makeCertificate({ commonName: "exo-stack-cert" });
    emu.directory.addCertificate(t.tenantId, t.appObjectId, c.certPem);
    const { bin } = fakePulumi({ tenantId: t.tenantId, clientId: t.clientId, environment: "public", authorityHost: emu.url, certificatePem: c.certPem, certificatePrivateKeyPem: c.keyPem });
    const r = await runCli(["verify", "--stack", "dev", "--exchange-endpoint", emu.url], { env: { NODE_EXTRA_CA_CERTS: emu.caFile, PATH: `${bin}${path.delimiter}${process.env.PATH}` } });
    expect(r.code).toBe(0);
    expect(header(r)).toBe(
      `${HEADER} tenant ${t.tenantId} (from stack dev), client ${t.clientId} (from stack dev), certificate CN=exo-stack-cert, thumbprint ${c.thumbprint} (from stack dev), Microsoft 365 public cloud (and GCC), deadline 15 min 00 s`,
    );
  });

  test("a secret from the stack", async () => {
    const t = wireTenant(emu);
    const { bin } = fakePulumi({ tenantId: t.tenantId, clientId: t.clientId, environment: "public", authorityHost: emu.url, clientSecret: t.secret });
    const r = await runCli(["verify", "--stack", "dev", "--exchange-endpoint", emu.url, "--timeout", "1m"], { env: { NODE_EXTRA_CA_CERTS: emu.caFile, PATH: `${bin}${path.delimiter}${process.env.PATH}` } });
    expect(r.code).toBe(0);
    expect(header(r)).toBe(`${HEADER} tenant ${t.tenantId} (from stack dev), client ${t.clientId} (from stack dev), client secret (from stack dev), Microsoft 365 public cloud (and GCC), deadline 1 min 00 s`);
    expectNothingSecret(r, [t.secret]);
  });

  test.each([
    ["user-assigned", true],
    ["system-assigned", false],
  ])("a %s managed identity", async (_name, userAssigned) => {
    const t = wireTenant(emu);
    // No identity endpoint here: the header comes first, then the check fails to reach one (exit 1).
    const r = await runCli(["verify", "--tenant-id", t.tenantId, "--managed-identity", ...(userAssigned ? [t.clientId] : []), "--timeout", "1s"], {
      env: { IDENTITY_ENDPOINT: "http://127.0.0.1:1/msi/token", IDENTITY_HEADER: "h" },
    });
    expect(header(r)).toBe(`${HEADER} tenant ${t.tenantId}, ${userAssigned ? `user-assigned managed identity ${t.clientId}` : "system-assigned managed identity"}, Microsoft 365 public cloud (and GCC), deadline 1.0 s`);
  });
});

describe("certificates are judged locally before signing in", () => {
  const DAY = 86_400_000;
  function pemFile(name: string, text: string): string {
    const file = path.join(dir, name);
    writeFileSync(file, text, { mode: 0o600 });
    return file;
  }

  test.each([
    ["expired", -400, -2, /expired on/],
    ["not yet valid", 3.5, 400, /is not valid until/],
  ])("an %s certificate file: exit 1 at once with credential.validity, no sign-in", async (_name, from, to, detail) => {
    const t = wireTenant(emu);
    const c = makeCertificate({ commonName: "exo-dates", notBefore: new Date(Date.now() + from * DAY), notAfter: new Date(Date.now() + to * DAY) });
    emu.directory.addCertificate(t.tenantId, t.appObjectId, c.certPem);
    const file = pemFile(`dates-${from}.pem`, `${c.keyPem}${c.certPem}`);
    emu.clearRequests();
    const r = await verify(t, ["--certificate-file", file, "--timeout", "10m", "--json"]);
    expect(r.code).toBe(1);
    expect(r.ms).toBeLessThan(5000);
    const out = json(r);
    expect(out).toMatchObject({ ok: false, attempts: 0, stoppedBy: "unhealable", credential: "certificate" });
    expect(out.checks).toHaveLength(1);
    expect(out.checks[0]).toMatchObject({ id: "credential.validity", ok: false, level: "fail" });
    expect(out.checks[0].detail).toContain(`certificate CN=exo-dates, thumbprint ${c.thumbprint}`);
    expect(out.checks[0].detail).toMatch(detail);
    expect(emu.requests.filter((x) => x.tenantId === t.tenantId)).toHaveLength(0);
    expectNothingSecret(r);
  });

  test("an expired certificate from the stack: the text report says so at once", async () => {
    const t = wireTenant(emu);
    const c = makeCertificate({ commonName: "exo-old", notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) });
    const { bin } = fakePulumi({ tenantId: t.tenantId, clientId: t.clientId, environment: "public", authorityHost: emu.url, certificatePem: c.certPem, certificatePrivateKeyPem: c.keyPem });
    const r = await runCli(["verify", "--stack", "dev", "--exchange-endpoint", emu.url], { env: { NODE_EXTRA_CA_CERTS: emu.caFile, PATH: `${bin}${path.delimiter}${process.env.PATH}` } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}FAIL credential\.validity +the certificate CN=exo-old, thumbprint [0-9A-F]{40} expired on .* \(1 day ago\): Entra ID refuses it$/m);
    expect(r.stdout).toMatch(/fix: Renew it: .*certificateRotation/);
    expect(r.stdout).toMatch(/^FAIL: credential\.validity \(cannot pass without a change; 0 attempts/m);
    expectNothingSecret(r);
  });

  test("an RSA key under 2048 bits: exit 2, AADSTS50032 named, before the header", async () => {
    const t = wireTenant(emu);
    const small = makeCertificate({ bits: 1024 });
    const r = await verify(t, ["--certificate-file", pemFile("small.pem", `${small.keyPem}${small.certPem}`)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: the certificate PEM: the RSA key is 1024 bits, and Entra ID refuses keys under 2048 bits at sign-in \(AADSTS50032\)$/m);
    expect(r.stderr).not.toContain(HEADER);
    expectNothingSecret(r);
  });

  test("a PEM whose key belongs to its second certificate: exit 2, names the certificate to pass", async () => {
    const t = wireTenant(emu);
    const a = makeCertificate({ commonName: "first" });
    const b = makeCertificate({ commonName: "second" });
    const r = await verify(t, ["--certificate-file", pemFile("two.pem", `${b.keyPem}${a.certPem}${b.certPem}`)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`the private key belongs to certificate 2 of 2 (CN=second, thumbprint ${b.thumbprint}), not to the first (CN=first, thumbprint ${a.thumbprint})`);
    expect(r.stderr).toContain(`Pass certificate 2 (thumbprint ${b.thumbprint}) with the key`);
    expect(r.stderr).not.toContain(HEADER);
    expectNothingSecret(r);
  });

  test("a chain (the app's certificate first, then its issuer) is accepted and signs in", async () => {
    const t = wireTenant(emu);
    const ca = makeCertificate({ commonName: "Contoso Issuing CA", isCa: true });
    const leaf = makeCertificate({ commonName: "exo-chained", issuer: ca });
    emu.directory.addCertificate(t.tenantId, t.appObjectId, leaf.certPem);
    const r = await verify(t, ["--certificate-file", pemFile("chain.pem", `${leaf.keyPem}${leaf.certPem}${ca.certPem}`), "--json"]);
    expect(r.code).toBe(0);
    expect(json(r).checks[0]).toMatchObject({ id: "credential.validity", level: "ok" });
  });
});

describe("expiry: a warning by default, a failure with --fail-on-expiry DAYS", () => {
  const DAY = 86_400_000;
  function stackWithSecret(t: WiredTenant, endDate: string) {
    return fakePulumi({ tenantId: t.tenantId, clientId: t.clientId, environment: "public", authorityHost: emu.url, clientSecret: t.secret, clientSecretEndDate: endDate });
  }
  const run = (bin: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) =>
    runCli(["verify", "--stack", "dev", "--exchange-endpoint", emu.url, "--timeout", "30s", ...extra], { env: { NODE_EXTRA_CA_CERTS: emu.caFile, PATH: `${bin}${path.delimiter}${process.env.PATH}`, ...env } });

  test("the stack's secret ends in 10 days: exit 0; text, JSON and the job summary all show the warning", async () => {
    const t = wireTenant(emu);
    const end = new Date(Date.now() + 10 * DAY + 3_600_000).toISOString();
    const { bin } = stackWithSecret(t, end);
    const summary = path.join(dir, "expiry-summary.md");
    const text = await run(bin, [], { GITHUB_STEP_SUMMARY: summary });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ {2}WARN credential\.validity +the client secret expires on \S+, in 10 days \(within 30 days\)$/m);
    expect(text.stdout).toMatch(/fix: Rotate it: add 1 to clientSecretRotation/);
    expect(text.stdout).toMatch(/^PASS: .*; warning: credential\.validity\)$/m);
    const md = readFileSync(summary, "utf8");
    expect(md).toContain("### Exchange Online app-only check: passed, with warnings");
    expect(md).toMatch(/\| ⚠️ \| `credential\.validity` \| the client secret expires on .* in 10 days/);
    const j = await run(bin, ["--json"]);
    expect(j.code).toBe(0);
    const out = json(j);
    expect(out.ok).toBe(true);
    expect(out.checks[0]).toMatchObject({ id: "credential.validity", ok: true, level: "warning" });
    for (const r of [text, j]) expectNothingSecret(r, [t.secret]);
  });

  test("--fail-on-expiry 14 makes it a failure (exit 1); --fail-on-expiry 7 does not", async () => {
    const t = wireTenant(emu);
    const { bin } = stackWithSecret(t, new Date(Date.now() + 10 * DAY + 3_600_000).toISOString());
    const failing = await run(bin, ["--fail-on-expiry", "14", "--json"]);
    expect(failing.code).toBe(1);
    const out = json(failing);
    expect(out).toMatchObject({ ok: false, stoppedBy: "unhealable" });
    expect(out.checks[0]).toMatchObject({ id: "credential.validity", ok: false, level: "fail" });
    expect(out.checks[0].detail).toMatch(/in 10 days: within the 14 days --fail-on-expiry allows$/);
    expect(out.checks.slice(1).every((c: any) => c.ok)).toBe(true);
    const passing = await run(bin, ["--fail-on-expiry", "7", "--json"]);
    expect(passing.code).toBe(0);
    expect(json(passing).checks[0].level).toBe("warning");
  });

  test("a certificate file ending in 10 days with --fail-on-expiry 30: exit 1", async () => {
    const t = wireTenant(emu);
    const c = makeCertificate({ commonName: "exo-soon", notAfter: new Date(Date.now() + 10 * DAY + 3_600_000) });
    emu.directory.addCertificate(t.tenantId, t.appObjectId, c.certPem);
    const file = path.join(dir, "soon.pem");
    writeFileSync(file, `${c.keyPem}${c.certPem}`);
    const r = await verify(t, ["--certificate-file", file, "--fail-on-expiry", "30"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ {2}FAIL credential\.validity +the certificate CN=exo-soon, .* in 10 days: within the 30 days --fail-on-expiry allows$/m);
  });

  test("an unreadable clientSecretEndDate in the stack is a config error (exit 2)", async () => {
    const t = wireTenant(emu);
    const { bin } = stackWithSecret(t, "someday");
    const r = await run(bin);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: stack dev output clientSecretEndDate is not a date$/m);
    expect(r.stderr).not.toContain(HEADER);
  });

  test("a bad tenant in the stack's outputs is a usage error naming the output", async () => {
    const { bin } = fakePulumi({ tenantId: "contoso", clientId: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", environment: "public", clientSecret: "x-secret-value" });
    const r = await run(bin);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: stack dev output tenantId "contoso" is neither a GUID nor a domain name/m);
    expectNothingSecret(r, ["x-secret-value"]);
  });
});

test("a tenant given as its domain signs in; token.tenant says what Entra resolved it to", async () => {
  const t = wireTenant(emu);
  const r = await verify({ ...t, tenantId: t.organization }, [...withSecret, "--json"]);
  expect(r.code).toBe(0);
  expect(json(r).checks.find((c: any) => c.id === "token.tenant")).toMatchObject({
    ok: true,
    level: "ok",
    detail: `tid = ${t.tenantId}, the tenant Entra ID resolved ${t.organization} to when it issued the token`,
  });
});
