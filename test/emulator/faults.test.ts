import { ConfidentialClientApplication } from "@azure/msal-node";
import { startEmulator, type TenantEmulator } from "./index";
import { createIdentity, invoke, request, secretToken, type Identity } from "./scenario";

let emu: TenantEmulator;
let id: Identity;
let token: string;
beforeAll(async () => {
  emu = await startEmulator();
  id = createIdentity(emu);
  token = (await secretToken(emu, id)).json<{ access_token: string }>().access_token;
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  emu.faults.clear();
  emu.clearRequests();
});

test("429 with Retry-After applies to exactly `times` token requests, with Entra's error shape", async () => {
  emu.faults.inject({ kind: "token", status: 429, retryAfterSeconds: 7, times: 2 });
  for (let i = 0; i < 2; i++) {
    const res = await secretToken(emu, id);
    expect(res.status).toBe(429);
    expect(res.headers["retry-after"]).toBe("7");
    expect(res.json()).toMatchObject({ error: "temporarily_unavailable", error_codes: [expect.any(Number)] });
  }
  expect((await secretToken(emu, id)).status).toBe(200);
  expect(emu.requests.map((r) => [r.kind, r.status, r.faulted])).toEqual([
    ["token", 429, true],
    ["token", 429, true],
    ["token", 200, false],
  ]);
  expect(emu.faults.pending()).toEqual([]);
});

test("5xx on invoke applies once, then Exchange answers normally; token requests are untouched", async () => {
  emu.faults.inject({ kind: "invoke", status: 503 });
  expect((await secretToken(emu, id)).status).toBe(200);
  const first = await invoke(emu, id.tenantId, token);
  expect(first.status).toBe(503);
  expect(first.json()).toMatchObject({ error: { code: "InternalServerError" } });
  expect((await invoke(emu, id.tenantId, token)).status).toBe(200);
});

test("reset destroys the socket without an answer, recorded as status 0", async () => {
  emu.faults.inject({ kind: "token", reset: true, times: 1 });
  await expect(secretToken(emu, id)).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE|socket hang up/i) });
  expect((await secretToken(emu, id)).status).toBe(200);
  expect(emu.requests.map((r) => r.status)).toEqual([0, 200]);
});

test("delayMs alone gives a slow but normal answer", async () => {
  emu.faults.inject({ kind: "invoke", delayMs: 300 });
  const t0 = Date.now();
  expect((await invoke(emu, id.tenantId, token)).status).toBe(200);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(295);
  expect((await invoke(emu, id.tenantId, token)).status).toBe(200);
  expect(emu.requests.map((r) => r.faulted)).toEqual([true, false]); // the second answer was not delayed
});

test("an injected AADSTS code answers with Entra's body and the status Entra uses for it", async () => {
  emu.faults.inject({ kind: "token", aadsts: 7000215 });
  emu.faults.inject({ kind: "token", aadsts: 700016, retryAfterSeconds: 1 });
  const a = await secretToken(emu, id);
  expect(a.status).toBe(401);
  expect(a.json()).toMatchObject({ error: "invalid_client", error_codes: [7000215], error_description: expect.stringMatching(/^AADSTS7000215: /) });
  const b = await secretToken(emu, id);
  expect(b.status).toBe(400);
  expect(b.headers["retry-after"]).toBe("1");
  expect(b.json()).toMatchObject({ error: "unauthorized_client", error_codes: [700016] });
  expect(emu.requests.map((r) => r.aadsts)).toEqual([7000215, 700016]);
});

test("custom status, headers and body are sent as given; metadata faults hit only metadata", async () => {
  emu.faults.inject({ kind: "metadata", status: 502, headers: { "x-test": "1" }, body: "upstream" });
  const res = await request(emu, "GET", `/${id.tenantId}/v2.0/.well-known/openid-configuration`);
  expect(res.status).toBe(502);
  expect(res.headers["x-test"]).toBe("1");
  expect(res.body.toString()).toBe("upstream");
  expect((await request(emu, "GET", `/${id.tenantId}/v2.0/.well-known/openid-configuration`)).status).toBe(200);
});

test("faults queue in order; clear() drops them; bad specs are refused", async () => {
  emu.faults.inject({ kind: "token", status: 500 });
  emu.faults.inject({ kind: "token", status: 429, retryAfterSeconds: 1 });
  expect((await secretToken(emu, id)).status).toBe(500);
  expect((await secretToken(emu, id)).status).toBe(429);
  emu.faults.inject({ kind: "token", status: 500, times: 5 });
  emu.faults.clear();
  expect((await secretToken(emu, id)).status).toBe(200);
  expect(() => emu.faults.inject({ kind: "token", times: 0 })).toThrow(RangeError);
  expect(() => emu.faults.inject({ kind: "bogus" as never })).toThrow(RangeError);
});

test("msal-node throttles per application instance after a 429 with Retry-After: a new instance is needed to retry", async () => {
  // What the check relies on: msal caches the server's Retry-After (and 60 s after a bare 5xx) per
  // ConfidentialClientApplication and refuses to send the same request until then, without a network call.
  const make = () =>
    new ConfidentialClientApplication({
      auth: { clientId: id.clientId, authority: emu.authority(id.tenantId), knownAuthorities: [emu.host], clientSecret: id.clientSecret! },
      system: { networkClient: emu.networkClient() },
    });
  const scopes = ["https://outlook.office365.com/.default"];
  const app = make();
  emu.faults.inject({ kind: "token", status: 429, retryAfterSeconds: 30 });
  await expect(app.acquireTokenByClientCredential({ scopes, skipCache: true })).rejects.toBeDefined();
  const sent = emu.requests.filter((r) => r.kind === "token").length;
  await expect(app.acquireTokenByClientCredential({ scopes, skipCache: true })).rejects.toBeDefined();
  expect(emu.requests.filter((r) => r.kind === "token").length).toBe(sent);
  const fresh = await make().acquireTokenByClientCredential({ scopes, skipCache: true });
  expect(fresh?.accessToken).toBeTruthy();
});
