/** Graph over HTTP for the audit, with a recording transport: pages, throttling, errors, and where the token goes. */
import { httpGraphReader } from "../../src/audit/graphHttp";
import type { ExchangeTransport, HttpAnswer } from "../../src/exchange/transport";

const TOKEN = "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.sig-known-secret";
const BASE = "https://graph.example.test";

/** Answers `answers` in order and records each request's URL and Authorization header. */
function transport(answers: HttpAnswer[]): ExchangeTransport & { seen: { url: string; authorization: string | undefined }[] } {
  const seen: { url: string; authorization: string | undefined }[] = [];
  return {
    seen,
    async request(_method, url, headers) {
      seen.push({ url, authorization: headers.authorization });
      const next = answers.shift();
      if (!next) throw new Error(`unexpected request ${url}`);
      return next;
    },
  };
}

const ok = (body: unknown): HttpAnswer => ({ status: 200, headers: {}, bodyText: JSON.stringify(body) });

function reader(t: ExchangeTransport, deadlineInMs = 60_000) {
  const slept: number[] = [];
  let clock = 1_000_000;
  const graph = httpGraphReader(t, { baseUrl: `${BASE}/`, token: async () => TOKEN, deadline: clock + deadlineInMs, now: () => clock, sleep: async (ms) => void (slept.push(ms), (clock += ms)) });
  return { graph, slept };
}

describe("httpGraphReader", () => {
  it("reads every page of a collection, following nextLink on Graph's host, with the token", async () => {
    const t = transport([ok({ value: [{ id: 1 }], "@odata.nextLink": `${BASE}/v1.0/things?$skiptoken=2` }), ok({ value: [{ id: 2 }], "@odata.nextLink": `${BASE}/v1.0/things?$skiptoken=3` }), ok({ value: [{ id: 3 }] })]);
    expect(await reader(t).graph.list("things")).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect(t.seen.map((s) => s.url)).toEqual([`${BASE}/v1.0/things`, `${BASE}/v1.0/things?$skiptoken=2`, `${BASE}/v1.0/things?$skiptoken=3`]);
    expect(t.seen.every((s) => s.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it("never sends the token to a next-page link on another host", async () => {
    const t = transport([ok({ value: [], "@odata.nextLink": "https://attacker.example/v1.0/things?page=2" })]);
    await expect(reader(t).graph.list("things")).rejects.toMatchObject({ code: "ForeignNextLink" });
    expect(t.seen).toHaveLength(1);
  });

  it("waits as Retry-After says when Graph throttles, then reads", async () => {
    const t = transport([{ status: 429, headers: { "retry-after": "2" }, bodyText: "" }, ok({ id: "sp" })]);
    const { graph, slept } = reader(t);
    expect(await graph.get("servicePrincipals/sp")).toEqual({ id: "sp" });
    expect(slept).toEqual([2000]);
  });

  it("gives up when throttling outlasts the deadline, with the status", async () => {
    const t = transport([{ status: 429, headers: { "retry-after": "120" }, bodyText: "" }]);
    await expect(reader(t, 10_000).graph.get("servicePrincipals/sp")).rejects.toMatchObject({ status: 429 });
  });

  it("a refusal keeps Graph's status, code and message, and never the token", async () => {
    const body = JSON.stringify({ error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." } });
    const t = transport([{ status: 403, headers: {}, bodyText: body }]);
    const error = (await reader(t).graph.list("servicePrincipals/x/appRoleAssignedTo").then(() => undefined, (e: unknown) => e)) as Error & { status: number; code: string };
    expect(error).toMatchObject({ status: 403, code: "Authorization_RequestDenied" });
    expect(error.message).toBe("Graph answered 403 (Authorization_RequestDenied) for servicePrincipals/x/appRoleAssignedTo: Insufficient privileges to complete the operation.");
    expect(error.message).not.toContain(TOKEN);
  });
});
