/** The check as a library, in-process against the tenant emulator: the retry loop, the deadline, concurrency. */
import { MANAGED_IDENTITY_CACHE_NOTE, runCheck, type CheckOptions } from "../../src/check/run";
import type { ProgressEvent } from "../../src/check/types";
import { startEmulator, type TenantEmulator } from "../emulator";
import { CheckSetupError } from "../../src/errors";
import { TransportError } from "../../src/net/http";
import { makeCertificate } from "./certs";
import { checkOptions, wireTenant, type WiredTenant } from "./tenant";

let emu: TenantEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});
afterEach(() => emu.faults.clear());

const options = (t: WiredTenant, extra: Partial<CheckOptions> = {}): CheckOptions => checkOptions(emu, t, extra);

test("secret: every check passes on the first attempt", async () => {
  const t = wireTenant(emu);
  const report = await runCheck(options(t));
  expect(report.checks.map((c) => [c.id, c.ok])).toEqual([
    ["token.acquired", true],
    ["token.audience", true],
    ["token.app-only", true],
    ["token.role", true],
    ["token.tenant", true],
    ["token.client", true],
    ["token.lifetime", true],
    ["exchange.invoke", true],
  ]);
  expect(report).toMatchObject({ ok: true, attempts: 1, credential: "secret", requests: { metadata: 1, token: 1, exchange: 1 } });
  expect(report.propagation).toBeUndefined();
});

test("certificate: the PEM's key signs the assertion", async () => {
  const t = wireTenant(emu, { certificate: true });
  const report = await runCheck(options(t, { credential: { kind: "certificate", pem: t.certificatePem } }));
  expect(report.ok).toBe(true);
  expect(report.checks.find((c) => c.id === "token.client")?.detail).toMatch(/certificate or assertion/);
});

test("federated: an assertion from a function, asked for fresh each attempt", async () => {
  const t = wireTenant(emu, { consentAfterMs: 600 });
  const subject = "repo:contoso/exo:environment:prod";
  emu.directory.addFederatedCredential(t.tenantId, t.appObjectId, { name: "gh", issuer: emu.federatedIssuer, subject, audiences: ["api://AzureADTokenExchange"] });
  let calls = 0;
  const report = await runCheck(
    options(t, {
      credential: {
        kind: "federated",
        source: "a test",
        getAssertion: async () => {
          calls += 1;
          return emu.mintFederatedToken({ issuer: emu.federatedIssuer, subject, audience: "api://AzureADTokenExchange" });
        },
      },
    }),
  );
  expect(report.ok).toBe(true);
  expect(report.credential).toBe("federated");
  expect(report.attempts).toBeGreaterThan(1);
  expect(calls).toBe(report.attempts);
});

test("federated: a subject that matches no federated credential is AADSTS700213, explained with the exact entry", async () => {
  const t = wireTenant(emu);
  emu.directory.addFederatedCredential(t.tenantId, t.appObjectId, { name: "gh", issuer: emu.federatedIssuer, subject: "repo:contoso/exo:ref:refs/heads/main", audiences: ["api://AzureADTokenExchange"] });
  const report = await runCheck(
    options(t, {
      credentialWindowMs: 500,
      credential: {
        kind: "federated",
        source: "a test",
        getAssertion: () => emu.mintFederatedToken({ issuer: emu.federatedIssuer, subject: "repo:contoso/exo:pull_request", audience: "api://AzureADTokenExchange" }),
      },
    }),
  );
  expect(report.ok).toBe(false);
  expect(report.checks[0]!.detail).toMatch(/AADSTS700213: no federated identity credential matches the assertion's subject: the token presents repo:contoso\/exo:pull_request/);
  expect(report.checks[0]!.remedy).toContain("{ kind: github, repository: contoso/exo, pullRequest: true }");
});

test("the directory role arrives after 1.2 s: passes, reports the wait and what blocked", async () => {
  const t = wireTenant(emu, { roleAfterMs: 1200 });
  const events: ProgressEvent[] = [];
  const report = await runCheck(options(t, { onProgress: (e) => events.push(e) }));
  expect(report.ok).toBe(true);
  expect(report.attempts).toBeGreaterThan(1);
  expect(report.propagation?.blockedBy).toEqual(["exchange.invoke"]);
  expect(report.propagation!.waitedMs).toBeGreaterThanOrEqual(1200);
  expect(report.propagation!.waitedMs).toBeLessThan(10_000); // well before the 10 s deadline; lateness is bench:ready's
  const waits = events.filter((e): e is Extract<ProgressEvent, { type: "waiting" }> => e.type === "waiting");
  expect(waits.length).toBe(report.attempts - 1);
  expect(waits[0]!.blocking.detail).toMatch(/403/);
  // OpenID metadata is fetched once per run, not per attempt.
  expect(report.requests.metadata).toBe(1);
});

test("consent arriving late: the token lacks the role, the check waits without probing Exchange", async () => {
  const t = wireTenant(emu, { consentAfterMs: 800 });
  const report = await runCheck(options(t));
  expect(report.ok).toBe(true);
  expect(report.propagation?.blockedBy).toEqual(["token.role"]);
  expect(report.requests.exchange).toBe(1);
});

test("a wrong secret is retried inside the credential window, then explained", async () => {
  const t = wireTenant(emu);
  const started = Date.now();
  const report = await runCheck(options(t, { credential: { kind: "secret", secret: "wrong-secret-value" }, credentialWindowMs: 1500 }));
  const took = Date.now() - started;
  expect(report.ok).toBe(false);
  expect(report.stoppedBy).toBe("unhealable");
  expect(report.attempts).toBeGreaterThan(1);
  expect(took).toBeGreaterThanOrEqual(1500);
  expect(took).toBeLessThan(5000);
  const acquired = report.checks[0]!;
  expect(acquired.id).toBe("token.acquired");
  expect(acquired.detail).toMatch(/AADSTS7000215: invalid client secret/);
  expect(acquired.detail).toMatch(/past the 1.5 s a new credential may take to propagate/);
  expect(JSON.stringify(report)).not.toContain("wrong-secret-value");
});

test("a tenant that does not exist fails at once (90002 cannot heal)", async () => {
  const t = wireTenant(emu);
  const report = await runCheck(options(t, { tenantId: "00000000-0000-4000-8000-000000000000" }));
  expect(report).toMatchObject({ ok: false, attempts: 1, stoppedBy: "unhealable" });
  expect(report.checks[0]!.detail).toMatch(/AADSTS90002/);
});

test("a brand-new app (700016) and a new secret (7000215) are retried inside the window and then pass", async () => {
  const t = wireTenant(emu);
  emu.faults.inject({ kind: "token", aadsts: 700016 });
  emu.faults.inject({ kind: "token", aadsts: 7000215 });
  const report = await runCheck(options(t));
  expect(report).toMatchObject({ ok: true, attempts: 3, propagation: { blockedBy: ["token.acquired"] } });
});

test.each([
  ["a tenant without Exchange Online (500011)", 500011, /AADSTS500011: the resource principal \(Office 365 Exchange Online\) is not in the tenant/],
  ["a scope without /.default (1002012)", 1002012, /AADSTS1002012/],
  ["an expired secret (7000222)", 7000222, /AADSTS7000222: the client secret has expired/],
])("%s fails at once: it cannot heal", async (_name, aadsts, detail) => {
  const t = wireTenant(emu);
  emu.faults.inject({ kind: "token", aadsts });
  const report = await runCheck(options(t));
  expect(report).toMatchObject({ ok: false, attempts: 1, stoppedBy: "unhealable" });
  expect(report.checks[0]!.detail).toMatch(detail);
});

test("a tenant created without Exchange: the real 500011 from the directory, not an injected one", async () => {
  const tenant = emu.directory.addTenant({ withExchange: false });
  const app = emu.directory.addApplication(tenant.tenantId, { displayName: "no-exchange" });
  emu.directory.addServicePrincipal(tenant.tenantId, app.clientId);
  const { secretText } = emu.directory.addPassword(tenant.tenantId, app.objectId);
  const report = await runCheck({ ...options({ tenantId: tenant.tenantId, clientId: app.clientId } as WiredTenant), credential: { kind: "secret", secret: secretText } });
  expect(report).toMatchObject({ ok: false, attempts: 1 });
  expect(report.checks[0]!.detail).toMatch(/AADSTS500011/);
});

test("a token issued ten minutes in the future (this machine's clock is behind) fails token.lifetime at once", async () => {
  const skewed = await startEmulator({ clockSkewSeconds: 600 });
  try {
    const t = wireTenant(skewed);
    const report = await runCheck({ ...options(t), authorityHost: skewed.url, exchangeEndpoint: skewed.url, ca: skewed.caPem });
    expect(report).toMatchObject({ ok: false, attempts: 1, stoppedBy: "unhealable" });
    const lifetime = report.checks.find((c) => c.id === "token.lifetime")!;
    expect(lifetime.ok).toBe(false);
    expect(lifetime.detail).toMatch(/nbf = .* is (599|600|601) s in the future, beyond the 300 s clock skew allowed/);
    expect(lifetime.remedy).toMatch(/clock is behind/);
  } finally {
    await skewed.close();
  }
});

test("the deadline is respected: a role that never comes ends the run at the timeout", async () => {
  const t = wireTenant(emu, { role: "none" });
  const started = Date.now();
  const report = await runCheck(options(t, { timeoutMs: 2000 }));
  const took = Date.now() - started;
  expect(report).toMatchObject({ ok: false, stoppedBy: "deadline" });
  expect(took).toBeGreaterThanOrEqual(1000);
  expect(took).toBeLessThan(3500);
  expect(report.checks.at(-1)!.detail).toMatch(/403 Forbidden.*still failing after \d+ attempts: the 2.0 s deadline was reached/);
});

test("when the deadline cuts the last attempt short, the report keeps the diagnosis of the attempt before it", async () => {
  const t = wireTenant(emu, { role: "none" });
  // Every token request after the first is slower than the whole deadline: the second attempt is cut off.
  emu.faults.inject({ kind: "token", delayMs: 0 });
  emu.faults.inject({ kind: "token", delayMs: 10_000, times: 5 });
  const report = await runCheck(options(t, { timeoutMs: 2500 }));
  expect(report).toMatchObject({ ok: false, stoppedBy: "deadline" });
  expect(report.attempts).toBeGreaterThanOrEqual(2);
  const failing = report.checks.filter((c) => !c.ok);
  expect(failing.map((c) => c.id)).toEqual(["exchange.invoke"]);
  expect(failing[0]!.detail).toMatch(/403 Forbidden.*still failing after \d+ attempts: the 2.5 s deadline was reached/);
});

test("a slow token endpoint is cut off at the deadline", async () => {
  const t = wireTenant(emu);
  emu.faults.inject({ kind: "token", delayMs: 5000 });
  const started = Date.now();
  const report = await runCheck(options(t, { timeoutMs: 1000 }));
  expect(Date.now() - started).toBeLessThan(3000); // cut at 1 s, not left to the 5 s answer
  expect(report.ok).toBe(false);
  expect(report.checks[0]!.detail).toMatch(/no answer from the token endpoint/);
});

test("429 with Retry-After: the next request waits at least that long", async () => {
  const t = wireTenant(emu);
  emu.clearRequests();
  emu.faults.inject({ kind: "invoke", status: 429, retryAfterSeconds: 2 });
  const report = await runCheck(options(t));
  expect(report.ok).toBe(true);
  const invokes = emu.requests.filter((r) => r.kind === "invoke" && r.tenantId === t.tenantId);
  expect(invokes.map((r) => r.status)).toEqual([429, 200]);
  expect(invokes[1]!.at - invokes[0]!.doneAt).toBeGreaterThanOrEqual(2000);
  expect(report.propagation?.blockedBy).toEqual(["exchange.invoke"]);
});

test("Retry-After beyond the deadline: give up instead of asking early", async () => {
  const t = wireTenant(emu);
  emu.clearRequests();
  emu.faults.inject({ kind: "token", status: 429, retryAfterSeconds: 30 });
  const report = await runCheck(options(t, { timeoutMs: 3000 }));
  expect(report).toMatchObject({ ok: false, stoppedBy: "deadline", attempts: 1 });
  expect(report.checks[0]!.detail).toMatch(/asked to wait longer than the 3.0 s deadline allows/);
  expect(emu.requests.filter((r) => r.kind === "token").length).toBe(1);
});

test("5xx, resets and metadata outages are retried", async () => {
  const t = wireTenant(emu);
  emu.faults.inject({ kind: "token", status: 503 });
  emu.faults.inject({ kind: "invoke", reset: true });
  emu.faults.inject({ kind: "invoke", status: 500 });
  const report = await runCheck(options(t));
  expect(report.ok).toBe(true);
  expect(report.attempts).toBe(4);
  expect(report.propagation?.blockedBy).toEqual(["token.acquired", "exchange.invoke"]);

  const t2 = wireTenant(emu);
  emu.faults.inject({ kind: "metadata", status: 503, times: 2 });
  const second = await runCheck(options(t2));
  expect(second.ok).toBe(true);
  expect(second.attempts).toBe(3);
});

test("no consent and no role are told apart; a Graph-only app is not an Exchange app", async () => {
  const noConsent = await runCheck(options(wireTenant(emu, { consent: false }), { timeoutMs: 1500 }));
  expect(noConsent.ok).toBe(false);
  expect(noConsent.checks.find((c) => !c.ok)?.id).toBe("token.role");

  const unsupported = await runCheck(options(wireTenant(emu, { role: "fe930be7-5e62-47db-91af-98c3a49a38b1" /* User Administrator */ })));
  expect(unsupported).toMatchObject({ ok: false, attempts: 1, stoppedBy: "unhealable" });
});

test("the managed identity token-cache note is for managed identities only, and `grant` stays out of the report", async () => {
  const noRole = await runCheck(options(wireTenant(emu, { role: "none" }), { timeoutMs: 1500 }));
  const invoke = noRole.checks.find((c) => c.id === "exchange.invoke")!;
  expect(invoke).toMatchObject({ ok: false });
  expect(invoke.remedy).not.toContain(MANAGED_IDENTITY_CACHE_NOTE);
  expect(invoke.remedy).not.toMatch(/24 hours/);
  for (const check of noRole.checks) expect(Object.keys(check)).not.toContain("grant");
});

test("fifty tenants at once in one process, each with its own result", async () => {
  const tenants = Array.from({ length: 50 }, (_, i) => wireTenant(emu, i % 10 === 0 ? { role: "none" } : {}));
  // The deadline bounds only the five that never pass; 4 s leaves the forty-five that pass at once room on a busy CI machine.
  const reports = await Promise.all(tenants.map((t) => runCheck(options(t, { timeoutMs: 4000 }))));
  reports.forEach((r, i) => {
    expect(r.tenantId).toBe(tenants[i]!.tenantId);
    expect(r.ok).toBe(i % 10 !== 0);
  });
});

test("an abort signal ends the wait", async () => {
  const t = wireTenant(emu, { role: "none" });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 700);
  const started = Date.now();
  const report = await runCheck(options(t, { signal: controller.signal }));
  expect(Date.now() - started).toBeLessThan(5000); // aborted at 0.7 s, far before the 10 s deadline
  expect(report.stoppedBy).toBe("aborted");
});

describe("credential.validity: a credential's dates, judged before signing in", () => {
  const DAY = 86_400_000;
  /** A certificate with the given dates, registered on the tenant's app; its PEM (key + certificate). */
  function registered(t: WiredTenant, notBefore: Date, notAfter: Date, commonName = "exo-app"): { pem: string; thumbprint: string } {
    const c = makeCertificate({ commonName, notBefore, notAfter });
    emu.directory.addCertificate(t.tenantId, t.appObjectId, c.certPem);
    return { pem: `${c.keyPem}${c.certPem}`, thumbprint: c.thumbprint };
  }
  const sentFor = (tenantId: string) => emu.requests.filter((r) => r.tenantId === tenantId).length;

  test.each([
    ["expired", -400, -2, /expired on .* \(2 days ago\): Entra ID refuses it/],
    ["not yet valid", 3.5, 400, /is not valid until .* \(in 3 days\)/],
  ])("%s certificate: fails at once, nothing sent, no attempt", async (_name, from, to, detail) => {
    const t = wireTenant(emu);
    const c = registered(t, new Date(Date.now() + from * DAY), new Date(Date.now() + to * DAY));
    const started = Date.now();
    const report = await runCheck(options(t, { credential: { kind: "certificate", pem: c.pem }, timeoutMs: 60_000 }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(report).toMatchObject({ ok: false, attempts: 0, stoppedBy: "unhealable", requests: { metadata: 0, token: 0, exchange: 0, other: 0 } });
    expect(report.checks).toHaveLength(1);
    expect(report.checks[0]).toMatchObject({ id: "credential.validity", ok: false });
    expect(report.checks[0]!.detail).toContain(`certificate CN=exo-app, thumbprint ${c.thumbprint}`);
    expect(report.checks[0]!.detail).toMatch(detail);
    expect(sentFor(t.tenantId)).toBe(0);
  });

  test("a certificate ending in 10 days: every check passes, credential.validity is a warning, the run is ok", async () => {
    const t = wireTenant(emu);
    const c = registered(t, new Date(Date.now() - 300 * DAY), new Date(Date.now() + 10 * DAY + 3_600_000));
    const report = await runCheck(options(t, { credential: { kind: "certificate", pem: c.pem } }));
    expect(report.ok).toBe(true);
    expect(report.stoppedBy).toBeUndefined();
    expect(report.checks[0]).toMatchObject({ id: "credential.validity", ok: true, warning: true });
    expect(report.checks[0]!.detail).toMatch(/expires on .*, in 10 days \(within 30 days\)/);
    expect(report.checks.slice(1).every((c) => c.ok && !c.warning)).toBe(true);
  });

  test("failOnExpiryDays: the same certificate fails the run, after an attempt that shows it works today", async () => {
    const t = wireTenant(emu);
    const c = registered(t, new Date(Date.now() - 300 * DAY), new Date(Date.now() + 10 * DAY + 3_600_000));
    const report = await runCheck(options(t, { credential: { kind: "certificate", pem: c.pem }, failOnExpiryDays: 14 }));
    expect(report).toMatchObject({ ok: false, attempts: 1, stoppedBy: "unhealable" });
    expect(report.checks[0]).toMatchObject({ id: "credential.validity", ok: false });
    expect(report.checks[0]!.detail).toMatch(/in 10 days: within the 14 days --fail-on-expiry allows$/);
    expect(report.checks.slice(1).map((c) => c.ok)).toEqual([true, true, true, true, true, true, true, true]);
    // Below the threshold it is only the warning again.
    const relaxed = await runCheck(options(t, { credential: { kind: "certificate", pem: c.pem }, failOnExpiryDays: 7 }));
    expect(relaxed.ok).toBe(true);
    expect(relaxed.checks[0]).toMatchObject({ ok: true, warning: true });
  });

  test("a secret's known end date: soon is a warning, past fails at once", async () => {
    const t = wireTenant(emu);
    const soon = await runCheck(options(t, { secretEndDate: new Date(Date.now() + 5 * DAY) }));
    expect(soon.ok).toBe(true);
    expect(soon.checks[0]).toMatchObject({ id: "credential.validity", ok: true, warning: true });
    expect(soon.checks[0]!.detail).toMatch(/^the client secret expires on .*, in (4|5) days/);
    const past = await runCheck(options(t, { secretEndDate: new Date(Date.now() - DAY) }));
    expect(past).toMatchObject({ ok: false, attempts: 0 });
    expect(past.checks[0]!.detail).toMatch(/^the client secret expired on /);
    expect(past.checks[0]!.remedy).toMatch(/clientSecretRotation/);
    const unknown = await runCheck(options(t, { failOnExpiryDays: 14 }));
    expect(unknown.ok).toBe(true);
    expect(unknown.checks[0]).toMatchObject({ id: "credential.validity", ok: false, warning: true });
    expect(unknown.checks[0]!.detail).toMatch(/not checked: when this client secret ends is not known/);
    // Without the threshold and without an end date, there is nothing to judge and nothing is reported.
    expect((await runCheck(options(t))).checks[0]!.id).toBe("token.acquired");
  });
});

describe("setup errors surface before the first request; later problems are checks, not exceptions", () => {
  test("a federated assertion source that refuses mid-run: a failed token.acquired, not a thrown setup error", async () => {
    const t = wireTenant(emu);
    const report = await runCheck(
      options(t, {
        credential: {
          kind: "federated",
          source: "GitHub Actions OIDC",
          getAssertion: async () => {
            throw new CheckSetupError("ERR_CREDENTIAL", "GitHub's OIDC endpoint answered 403", "Give the job `permissions: id-token: write` and re-run it.");
          },
        },
      }),
    );
    expect(report).toMatchObject({ ok: false, attempts: 1, stoppedBy: "unhealable" });
    expect(report.checks[0]).toMatchObject({
      id: "token.acquired",
      ok: false,
      detail: "no federated assertion from GitHub Actions OIDC: GitHub's OIDC endpoint answered 403",
      remedy: "Give the job `permissions: id-token: write` and re-run it.",
    });
  });

  test("an outage of the assertion source is retried", async () => {
    const t = wireTenant(emu);
    const subject = "repo:contoso/exo:environment:prod";
    emu.directory.addFederatedCredential(t.tenantId, t.appObjectId, { name: "gh", issuer: emu.federatedIssuer, subject, audiences: ["api://AzureADTokenExchange"] });
    let calls = 0;
    const report = await runCheck(
      options(t, {
        credential: {
          kind: "federated",
          source: "a flaky source",
          getAssertion: async () => {
            calls += 1;
            if (calls === 1) throw new TransportError("HTTP_503", "GitHub's OIDC endpoint answered 503", "https://pipelines.example");
            return emu.mintFederatedToken({ issuer: emu.federatedIssuer, subject, audience: "api://AzureADTokenExchange" });
          },
        },
      }),
    );
    expect(report.ok).toBe(true);
    expect(report.attempts).toBe(2);
  });

  test("a tenant given as its domain: the sign-in resolves it, token.tenant passes and says so", async () => {
    const t = wireTenant(emu);
    const report = await runCheck(options(t, { tenantId: t.organization }));
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.id === "token.tenant")?.detail).toBe(`tid = ${t.tenantId}, the tenant Entra ID resolved ${t.organization} to when it issued the token`);
  });
});
