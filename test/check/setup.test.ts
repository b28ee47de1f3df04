import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseCertificatePem, federatedTokenFromFile, federatedTokenFromGitHub } from "../../src/check/credentials";
import { formatDuration, parseDuration } from "../../src/check/duration";
import { CheckSetupError } from "../../src/check/errors";
import { Redactor } from "../../src/check/redact";
import { renderMarkdown, renderText, toJson } from "../../src/check/report";
import { validateCheckOptions } from "../../src/check/run";
import type { CheckReport } from "../../src/check/types";
import { createClientCertificate } from "../emulator";
import { CLIENT, TENANT, jwt } from "./helpers";

describe("parseDuration / formatDuration", () => {
  test.each([
    ["15m", 900_000],
    ["90s", 90_000],
    ["1h30m", 5_400_000],
    ["500ms", 500],
    ["2.5s", 2500],
    ["3", 3000],
    [" 1m ", 60_000],
  ])("%s", (text, ms) => expect(parseDuration(text)).toBe(ms));

  test.each(["", "0", "0s", "-5s", "5x", "m", "1m5", "fast"])("%s is refused with a usage error", (text) => {
    expect(() => parseDuration(text)).toThrow(CheckSetupError);
    expect(() => parseDuration(text)).toThrow(/is not a duration/);
  });

  test.each([
    [850, "850 ms"],
    [12_400, "12.4 s"],
    [185_000, "3 min 05 s"],
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
    [{ tenantId: "" }, /tenant id "" is not usable/],
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
    expect((json.checks as unknown[])[0]).toEqual({ id: "token.acquired", ok: true, detail: "token issued", remedy: null });
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

describe("HttpTransport refuses plain http, except to a managed identity's local endpoint", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { HttpTransport } = require("../../src/check/http") as typeof import("../../src/check/http");
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
