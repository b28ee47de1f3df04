/** Exchange over HTTP for the audit, with a recording transport: the call's shape, throttling, and where the token goes. */
import { httpExchangeReader } from "../../src/audit/exchangeHttp";
import type { ExchangeTransport, HttpAnswer } from "../../src/exchange/transport";

const TOKEN = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJleG8ifQ.sig-known-secret";
const BASE = "https://exchange.example.test";
const TENANT = "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7";

function transport(answers: HttpAnswer[]): ExchangeTransport & { seen: { url: string; headers: Record<string, string>; body?: string }[] } {
  const seen: { url: string; headers: Record<string, string>; body?: string }[] = [];
  return {
    seen,
    async request(_method, url, headers, body) {
      seen.push({ url, headers, ...(body !== undefined ? { body } : {}) });
      const next = answers.shift();
      if (!next) throw new Error(`unexpected request ${url}`);
      return next;
    },
  };
}

const ok = (value: unknown[]): HttpAnswer => ({ status: 200, headers: {}, bodyText: JSON.stringify({ value }) });

function reader(t: ExchangeTransport, deadlineInMs = 60_000) {
  const slept: number[] = [];
  let clock = 1_000_000;
  const exchange = httpExchangeReader(t, { baseUrl: BASE, tenantId: TENANT, organization: "contoso.onmicrosoft.com", token: async () => TOKEN, deadline: clock + deadlineInMs, now: () => clock, sleep: async (ms) => void (slept.push(ms), (clock += ms)) });
  return { exchange, slept };
}

describe("httpExchangeReader", () => {
  it("POSTs the cmdlet to InvokeCommand with the token in one header, anchored on the organization", async () => {
    const t = transport([ok([{ ObjectId: "x" }])]);
    const answer = await reader(t).exchange.run("Get-RoleGroup", { ResultSize: "Unlimited" });
    expect(answer).toMatchObject({ status: 200, value: [{ ObjectId: "x" }] });
    expect(t.seen[0]!.url).toBe(`${BASE}/adminapi/beta/${TENANT}/InvokeCommand`);
    expect(JSON.parse(t.seen[0]!.body!)).toEqual({ CmdletInput: { CmdletName: "Get-RoleGroup", Parameters: { ResultSize: "Unlimited" } } });
    expect(t.seen[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(t.seen[0]!.headers["x-anchormailbox"]).toMatch(/@contoso\.onmicrosoft\.com$/);
    expect(t.seen[0]!.url).not.toContain(TOKEN);
  });

  it("waits as Retry-After says when Exchange throttles, then answers", async () => {
    const t = transport([{ status: 429, headers: { "retry-after": "3" }, bodyText: "" }, ok([])]);
    const { exchange, slept } = reader(t);
    expect((await exchange.run("Get-ServicePrincipal")).status).toBe(200);
    expect(slept).toEqual([3000]);
  });

  it("gives the throttled answer back when Retry-After is past the deadline", async () => {
    const t = transport([{ status: 429, headers: { "retry-after": "120" }, bodyText: "" }]);
    expect(await reader(t, 10_000).exchange.run("Get-ServicePrincipal")).toMatchObject({ status: 429, retryAfter: "120" });
  });

  it("a refusal comes back as Exchange said it (status and text), never with the token", async () => {
    const body = JSON.stringify({ error: { code: "Unauthorized", message: "User is not allowed to call Get-ServicePrincipal" } });
    const t = transport([{ status: 401, headers: {}, bodyText: body }]);
    const answer = await reader(t).exchange.run("Get-ServicePrincipal");
    expect(answer).toMatchObject({ status: 401, errorText: "User is not allowed to call Get-ServicePrincipal" });
    expect(JSON.stringify(answer)).not.toContain(TOKEN);
  });
});
