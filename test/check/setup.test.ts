import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseCertificatePem } from "../../src/check/credentials";
import { federatedTokenFromFile, federatedTokenFromGitHub, gitHubOidcRequest, hasGitHubOidc } from "../../src/credentials/federatedToken";
import { formatDuration, parseDuration } from "../../src/text/duration";
import { CheckSetupError } from "../../src/errors";
import { Redactor } from "../../src/text/redact";
import { renderMarkdown, renderText, toJson } from "../../src/check/report";
import { prepareCheck, validateCheckOptions } from "../../src/check/run";
import type { CheckReport } from "../../src/check/types";
import { createClientCertificate } from "../emulator";
import { makeCertificate } from "./certs";
import { CLIENT, TENANT, jwt } from "./helpers";

describe("parseDuration / formatDuration", () => {
  test.each([
    ["15m", 900_000],
    ["90s", 90_000],
    ["1h30m", 5_400_000],
    ["1500ms", 1500],
    ["2.5s", 2500],
    [" 1m ", 60_000],
    ["1s", 1000],
    ["24h", 86_400_000],
    ["23h59m59s", 86_399_000],
  ])("%s", (text, ms) => expect(parseDuration(text)).toBe(ms));

  test.each([
    ["", /"" is not a duration/],
    ["5x", /is not a duration/],
    ["m", /is not a duration/],
    ["1m5", /is not a duration/],
    ["fast", /is not a duration/],
    ["1e9s", /"1e9s" is not a duration/],
    ["1.5.5s", /is not a duration/],
    ["Infinityh", /is not a duration/],
    ["0", /"0" is not a positive duration/],
    ["0s", /is not a positive duration/],
    ["0.0001ms", /is not a positive duration/],
    ["-5s", /"-5s" is negative/],
    ["-1", /is negative/],
    ["15", /"15" has no unit/],
    ["2.5", /has no unit/],
    ["500ms", /"500ms" is shorter than the minimum, 1s/],
    ["999ms", /is shorter than the minimum, 1s/],
    ["24h1s", /"24h1s" is longer than the maximum, 24h/],
    ["25h", /is longer than the maximum, 24h/],
    ["1000000000s", /is longer than the maximum, 24h/],
    ["9".repeat(400) + "h", /is longer than the maximum, 24h/],
  ])("%s is refused with a usage error naming the flag, the value and the bounds", (text, message) => {
    let caught: unknown;
    try {
      parseDuration(text, "--timeout");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CheckSetupError);
    expect((caught as CheckSetupError).code).toBe("ERR_USAGE");
    expect((caught as Error).message).toMatch(/^--timeout /);
    expect((caught as Error).message).toMatch(message);
    expect((caught as CheckSetupError).remedy).toMatch(/from 1s to 24h with its unit/);
  });

  test.each([
    [850, "850 ms"],
    [12_400, "12.4 s"],
    [185_000, "3 min 05 s"],
    [119_700, "2 min 00 s"],
    [86_400_000, "24 h 00 min"],
    [5_430_000, "1 h 31 min"],
  ])("format %i", (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe("parseCertificatePem", () => {
  const cert = createClientCertificate();

  test("key + certificate: SHA-256 thumbprint, x5c and a PKCS#8 key", () => {
    for (const pem of [`${cert.keyPem}\n${cert.certPem}`, `${cert.certPem}\n${cert.keyPem}`]) {
      const parsed = parseCertificatePem(pem, "app.pem");
      expect(parsed.thumbprintSha256).toBe(cert.thumbprintSha256);
      expect(parsed.thumbprintSha1).toBe(cert.thumbprint);
      expect(parsed.x5c).toContain("-----BEGIN CERTIFICATE-----");
      expect(parsed.privateKey).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    }
  });

  const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  test.each([
    ["no certificate", () => cert.keyPem, /holds no certificate/],
    ["no key", () => cert.certPem, /holds no private key/],
    ["someone else's key", () => `${other}${cert.certPem}`, /does not belong to the certificate/],
    ["an EC key", () => `${ec}${cert.certPem}`, /must be RSA/],
    ["an encrypted key", () => `-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n${cert.certPem}`, /encrypted private key/],
    ["a garbled certificate", () => `${cert.keyPem}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`, /certificate block is malformed/],
    ["a garbled second certificate", () => `${cert.keyPem}${cert.certPem}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`, /certificate block 2 of 2 is malformed/],
  ])("%s → ERR_CREDENTIAL, key never echoed", (_name, pem, message) => {
    let caught: unknown;
    try {
      parseCertificatePem(pem(), "app.pem");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CheckSetupError);
    expect((caught as CheckSetupError).code).toBe("ERR_CREDENTIAL");
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).not.toContain("PRIVATE KEY-----\nMII");
  });
});

describe("parseCertificatePem: key size and more than one certificate", () => {
  const ca = makeCertificate({ commonName: "Contoso Issuing CA", isCa: true });
  const leaf = makeCertificate({ commonName: "exo-app", issuer: ca });
  const other = makeCertificate({ commonName: "someone else" });
  const thirdKey = makeCertificate({ commonName: "unrelated" }).keyPem;

  function refusal(pem: string): CheckSetupError {
    try {
      parseCertificatePem(pem, "app.pem");
    } catch (e) {
      expect(e).toBeInstanceOf(CheckSetupError);
      expect((e as CheckSetupError).code).toBe("ERR_CREDENTIAL");
      expect((e as Error).message).not.toMatch(/PRIVATE KEY-----\nMII/);
      return e as CheckSetupError;
    }
    throw new Error("not refused");
  }

  test("an RSA key under 2048 bits is refused before signing in (Entra answers AADSTS50032)", () => {
    const small = makeCertificate({ bits: 1024 });
    const e = refusal(`${small.keyPem}${small.certPem}`);
    expect(e.message).toBe("app.pem: the RSA key is 1024 bits, and Entra ID refuses keys under 2048 bits at sign-in (AADSTS50032)");
    expect(e.remedy).toMatch(/RSA key of 2048 bits or more/);
    const ok = makeCertificate({ bits: 3072 });
    expect(() => parseCertificatePem(`${ok.keyPem}${ok.certPem}`, "app.pem")).not.toThrow();
  });

  test("a chain whose first certificate belongs to the key is accepted, and sent whole as x5c", () => {
    const parsed = parseCertificatePem(`${leaf.keyPem}${leaf.certPem}${ca.certPem}`, "app.pem");
    expect(parsed.thumbprintSha1).toBe(leaf.thumbprint);
    expect(parsed.x5c.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  });

  test("the key belongs to a later certificate: says which one to pass", () => {
    const e = refusal(`${other.keyPem}${leaf.certPem}${other.certPem}`);
    expect(e.message).toBe(
      `app.pem: the private key belongs to certificate 2 of 2 (CN=someone else, thumbprint ${other.thumbprint}), not to the first (CN=exo-app, thumbprint ${leaf.thumbprint})`,
    );
    expect(e.remedy).toContain(`Pass certificate 2 (thumbprint ${other.thumbprint}) with the key`);
  });

  test("the key belongs to none of the certificates: lists them", () => {
    const e = refusal(`${thirdKey}${leaf.certPem}${other.certPem}`);
    expect(e.message).toBe(
      `app.pem: the private key belongs to none of its 2 certificates (1: CN=exo-app, thumbprint ${leaf.thumbprint}; 2: CN=someone else, thumbprint ${other.thumbprint})`,
    );
    expect(e.remedy).toMatch(/Pass the certificate that was issued for this key/);
  });

  test("two certificates that are not a chain, the first the key's: refused, naming the one to keep", () => {
    const e = refusal(`${leaf.keyPem}${leaf.certPem}${other.certPem}`);
    expect(e.message).toMatch(/^app\.pem holds 2 certificates that are not one chain: certificate 2 \(CN=someone else, .*\) did not issue certificate 1 \(CN=exo-app, /);
    expect(e.remedy).toContain(`Pass only the app's certificate (thumbprint ${leaf.thumbprint})`);
  });
});

describe("GitHub Actions OIDC variables are judged before anything is sent", () => {
  const send = jest.fn(async () => ({ status: 200, bodyText: JSON.stringify({ value: "x" }) }));
  const token = "request-token-value-42";
  test.each([
    ["http://pipelines.example/token", /^ACTIONS_ID_TOKEN_REQUEST_URL http:\/\/pipelines\.example is not https: the request token would travel in the clear$/],
    ["HTTP://127.0.0.1:8080/token", /ACTIONS_ID_TOKEN_REQUEST_URL http:\/\/127\.0\.0\.1:8080 is not https/],
    ["ftp://pipelines.example/token", /ACTIONS_ID_TOKEN_REQUEST_URL \(ftp: scheme\) is not https/],
    ["pipelines.example/token", /^ACTIONS_ID_TOKEN_REQUEST_URL is not a URL$/],
    ["not a url", /^ACTIONS_ID_TOKEN_REQUEST_URL is not a URL$/],
    ["https://user:pw@pipelines.example/token", /not a usable https URL/],
  ])("%s", (url, message) => {
    const env = { ACTIONS_ID_TOKEN_REQUEST_URL: url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: token };
    expect(hasGitHubOidc(env)).toBe(true);
    let caught: unknown;
    try {
      federatedTokenFromGitHub(env, send);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CheckSetupError);
    expect((caught as Error).message).toMatch(message);
    expect((caught as CheckSetupError).remedy).toMatch(/permissions: id-token: write/);
    expect((caught as CheckSetupError).remedy).toMatch(/https URL/);
    expect(`${(caught as Error).message}${(caught as CheckSetupError).remedy}`).not.toContain(token);
    expect(send).not.toHaveBeenCalled();
  });

  test("one variable without the other names the missing one", () => {
    expect(() => gitHubOidcRequest({ ACTIONS_ID_TOKEN_REQUEST_URL: "https://x/y" })).toThrow(
      /^GitHub Actions OIDC variables are missing: ACTIONS_ID_TOKEN_REQUEST_TOKEN is not set \(ACTIONS_ID_TOKEN_REQUEST_URL is\)$/,
    );
    expect(() => gitHubOidcRequest({ ACTIONS_ID_TOKEN_REQUEST_TOKEN: "t" })).toThrow(/ACTIONS_ID_TOKEN_REQUEST_URL is not set/);
    expect(hasGitHubOidc({ ACTIONS_ID_TOKEN_REQUEST_TOKEN: "t" })).toBe(true);
    expect(hasGitHubOidc({})).toBe(false);
  });
});

describe("prepareCheck: a certificate is parsed up front, its dates become the credential's lifetime", () => {
  test("certificate and secret end date", () => {
    const c = makeCertificate({ commonName: "exo-app" });
    const prepared = prepareCheck({ tenantId: TENANT, clientId: CLIENT, credential: { kind: "certificate", pem: `${c.keyPem}${c.certPem}` } });
    expect(prepared.certificate?.thumbprintSha1).toBe(c.thumbprint);
    expect(prepared.lifetime).toMatchObject({ kind: "certificate", what: `certificate CN=exo-app, thumbprint ${c.thumbprint}` });
    const end = new Date("2027-01-01T00:00:00Z");
    expect(prepareCheck({ tenantId: TENANT, clientId: CLIENT, credential: { kind: "secret", secret: "x" }, secretEndDate: end }).lifetime).toEqual({ kind: "secret", what: "client secret", notAfter: end });
    expect(prepareCheck({ tenantId: TENANT, clientId: CLIENT, credential: { kind: "secret", secret: "x" } }).lifetime).toBeUndefined();
  });
});

describe("federated token sources", () => {
  test("a file is read fresh each time; empty or missing files are setup errors", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "fed-"));
    const file = path.join(dir, "token");
    writeFileSync(file, "first\n");
    const get = federatedTokenFromFile(file);
    await expect(get()).resolves.toBe("first");
    writeFileSync(file, "second");
    await expect(get()).resolves.toBe("second");
    writeFileSync(file, "  ");
    await expect(get()).rejects.toThrow(/is empty/);
    await expect(federatedTokenFromFile(path.join(dir, "missing"))()).rejects.toThrow(/cannot read the federated token file .*missing \(ENOENT\)/);
    rmSync(dir, { recursive: true, force: true });
  });

  test("GitHub Actions: the request token goes in a header, the audience in the URL", async () => {
    const seen: Array<{ url: string; headers: Record<string, string> }> = [];
    const get = federatedTokenFromGitHub(
      { ACTIONS_ID_TOKEN_REQUEST_URL: "https://pipelines.example/token?api-version=2.0", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request-token-value" },
      async (url, headers) => {
        seen.push({ url, headers });
        return { status: 200, bodyText: JSON.stringify({ value: "the.jwt.value" }) };
      },
    );
    await expect(get()).resolves.toBe("the.jwt.value");
    expect(new URL(seen[0]!.url).searchParams.get("audience")).toBe("api://AzureADTokenExchange");
    expect(new URL(seen[0]!.url).searchParams.get("api-version")).toBe("2.0");
    expect(seen[0]!.headers.authorization).toBe("bearer request-token-value");
    expect(() => federatedTokenFromGitHub({}, async () => ({ status: 200, bodyText: "" }))).toThrow(/GitHub Actions OIDC variables are missing/);
    const refused = federatedTokenFromGitHub({ ACTIONS_ID_TOKEN_REQUEST_URL: "https://x/y", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "t" }, async () => ({ status: 403, bodyText: "" }));
    await expect(refused()).rejects.toThrow(/answered 403/);
  });
});

describe("Redactor", () => {
  test("known secrets, JWT-shaped strings and PEM keys are replaced", () => {
    const r = new Redactor();
    r.add("s3cr3t-value~x");
    r.add("abc"); // too short to replace safely
    const token = jwt({ a: 1 });
    const text = r.redact(`secret s3cr3t-value~x token ${token} key -----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY----- abc`);
    expect(text).toBe("secret [redacted] token [redacted token] key [redacted private key] abc");
  });
});

describe("validateCheckOptions (exit 2 material)", () => {
  const ok = { tenantId: TENANT, clientId: CLIENT, credential: { kind: "secret" as const, secret: "x" } };
  test.each([
    [{ authorityHost: "http://127.0.0.1:8443" }, /--authority-host http:\/\/127.0.0.1:8443 is not https/],
    [{ exchangeEndpoint: "http://outlook.office365.com" }, /--exchange-endpoint .* is not https/],
    [{ authorityHost: "not a url" }, /is not a URL/],
    [{ clientId: "my-app" }, /is not a GUID/],
    [{ clientId: undefined }, /no client id/],
    [{ tenantId: "" }, /tenant id "" is empty/],
    [{ tenantId: "contoso" }, /tenant id "contoso" is neither a GUID nor a domain name/],
    [{ tenantId: "00000000-0000-0000-0000-000000000000" }, /nil GUID/],
    [{ clientId: "00000000-0000-0000-0000-000000000000" }, /client id "0{8}-0{4}-0{4}-0{4}-0{12}" is the nil GUID/],
    [{ credential: { kind: "managed-identity", clientId: "abc" }, clientId: undefined }, /managed identity client id "abc" is not a GUID/],
    [{ timeoutMs: 0 }, /must be positive and at most 24 h/],
    [{ timeoutMs: 24 * 3_600_000 + 1 }, /must be positive and at most 24 h/],
    [{ failOnExpiryDays: 1.5 }, /failOnExpiryDays 1.5 is not a whole number of days from 0 to 3650/],
    [{ failOnExpiryDays: 3651 }, /failOnExpiryDays 3651/],
    [{ secretEndDate: new Date("nope") }, /end date is not a date/],
    [{ environment: "mars" }, /unknown environment "mars"/],
  ])("%j", (overrides, message) => {
    expect(() => validateCheckOptions({ ...ok, ...overrides } as never)).toThrow(message);
  });

  test("a managed identity needs no client id; https overrides pass", () => {
    expect(() => validateCheckOptions({ tenantId: TENANT, credential: { kind: "managed-identity" } })).not.toThrow();
    expect(() => validateCheckOptions({ ...ok, authorityHost: "https://127.0.0.1:8443", exchangeEndpoint: "https://127.0.0.1:8443" })).not.toThrow();
  });
});

describe("reports", () => {
  const report: CheckReport = {
    ok: false,
    tenantId: TENANT,
    clientId: CLIENT,
    environment: "public",
    credential: "secret",
    checks: [
      { id: "token.acquired", ok: true, detail: "token issued", remedy: null },
      { id: "exchange.invoke", ok: false, detail: "Exchange Online answered 403 | forbidden", remedy: "Assign a role." },
    ],
    attempts: 4,
    elapsedMs: 2345.6,
    requests: { metadata: 1, token: 4, exchange: 4, other: 0 },
    stoppedBy: "deadline",
  };

  test("JSON: the contract's keys first, in order", () => {
    const json = toJson(report);
    expect(Object.keys(json).slice(0, 7)).toEqual(["ok", "tenantId", "clientId", "environment", "checks", "attempts", "elapsedMs"]);
    expect(json.elapsedMs).toBe(2346);
    expect((json.checks as unknown[])[0]).toEqual({ id: "token.acquired", ok: true, detail: "token issued", remedy: null, level: "ok" });
    expect(json.stoppedBy).toBe("deadline");
  });

  test("text and markdown", () => {
    expect(renderText(report)).toContain("FAIL exchange.invoke");
    expect(renderText(report)).toContain("fix: Assign a role.");
    expect(renderText(report).trim().split("\n").pop()).toBe("FAIL: exchange.invoke (gave up at the deadline; 4 attempts, 2.3 s)");
    const md = renderMarkdown(report);
    expect(md).toContain("| ❌ | `exchange.invoke` | Exchange Online answered 403 \\| forbidden | Assign a role. |");
    expect(md).toContain("### Exchange Online app-only check: failed");
  });
});

describe("reports with a warning", () => {
  const report: CheckReport = {
    ok: true,
    tenantId: TENANT,
    clientId: CLIENT,
    environment: "public",
    credential: "certificate",
    checks: [
      { id: "credential.validity", ok: true, warning: true, detail: "the certificate CN=app expires on 2026-12-08T07:00:00Z, in 12 days (within 30 days)", remedy: "Renew it." },
      { id: "token.acquired", ok: true, detail: "token issued", remedy: null },
    ],
    attempts: 1,
    elapsedMs: 1200,
    requests: { metadata: 1, token: 1, exchange: 1, other: 0 },
  };

  test("JSON: level per check, ok stays true", () => {
    const json = toJson(report);
    expect(json.ok).toBe(true);
    expect(json.checks).toEqual([
      { id: "credential.validity", ok: true, detail: report.checks[0]!.detail, remedy: "Renew it.", level: "warning" },
      { id: "token.acquired", ok: true, detail: "token issued", remedy: null, level: "ok" },
    ]);
  });

  test("text: WARN with its fix, and the summary names the warning", () => {
    const text = renderText(report);
    expect(text).toMatch(/^ {2}WARN credential\.validity +the certificate CN=app expires on/m);
    expect(text).toMatch(/^ {7}\s+fix: Renew it\.$/m);
    expect(text.trim().split("\n").pop()).toBe(`PASS: app ${CLIENT} has app-only access to Exchange Online in tenant ${TENANT} (1 attempt, 1.2 s; warning: credential.validity)`);
  });

  test("markdown: a warning sign, and the heading says so", () => {
    const md = renderMarkdown(report);
    expect(md).toContain("### Exchange Online app-only check: passed, with warnings");
    expect(md).toContain("| ⚠️ | `credential.validity` | the certificate CN=app expires on 2026-12-08T07:00:00Z, in 12 days (within 30 days) | Renew it. |");
  });

  test("a warning that is not ok (a check that could not be made) is still a warning, not a failure", () => {
    const json = toJson({ ...report, checks: [{ id: "token.tenant", ok: false, warning: true, detail: "not compared", remedy: "Pass the GUID." }] });
    expect(json.checks).toEqual([{ id: "token.tenant", ok: false, detail: "not compared", remedy: "Pass the GUID.", level: "warning" }]);
  });
});

describe("HttpTransport refuses plain http, except to a managed identity's local endpoint", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { HttpTransport } = require("../../src/net/http") as typeof import("../../src/net/http");
  test.each([
    [false, "http://127.0.0.1:1/token", /only https is allowed/],
    [true, "http://login.example.com/token", /only https is allowed/],
    [true, "http://10.0.0.1/metadata/identity/oauth2/token", /only https is allowed/],
    [true, "http://127.0.0.1:1/msi/token", /ECONNREFUSED/],
  ])("local identity http allowed: %s, %s", async (allow, url, message) => {
    const transport = new HttpTransport({ deadline: Date.now() + 5000, allowLocalIdentityHttp: allow });
    await expect(transport.request("GET", url)).rejects.toThrow(message);
    // A refused scheme is not a request: nothing was sent, nothing is counted.
    expect(transport.counts().other).toBe(/only https/.test(String(message)) ? 0 : 1);
  });
});
