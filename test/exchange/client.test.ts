import { ExchangeClientError, MAX_PAGES, runCmdlet, type ExchangeTransport, type HttpAnswer } from "../../src/exchange";

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** A transport answering from a list, recording what was sent. */
function scripted(answers: Array<Partial<HttpAnswer> & { body?: unknown }>): ExchangeTransport & { sent: Sent[] } {
  const sent: Sent[] = [];
  let i = 0;
  return {
    sent,
    async request(method, url, headers, body) {
      sent.push({ method, url, headers, ...(body !== undefined ? { body } : {}) });
      const a = answers[Math.min(i++, answers.length - 1)];
      return { status: a.status ?? 200, headers: a.headers ?? {}, bodyText: a.bodyText ?? JSON.stringify(a.body ?? {}) };
    },
  };
}

const base = { baseUrl: "https://outlook.office365.com", tenantId: "11111111-2222-3333-4444-555555555555", accessToken: "tok.en.value" };

describe("runCmdlet", () => {
  it("POSTs the cmdlet to InvokeCommand with the token only in the Authorization header and the app anchor mailbox", async () => {
    const t = scripted([{ body: { value: [{ DomainName: "contoso.com" }] } }]);
    const answer = await runCmdlet({ ...base, cmdlet: "Get-Mailbox", parameters: { ResultSize: 10 }, organization: "contoso.onmicrosoft.com" }, t);
    expect(answer).toEqual({ status: 200, value: [{ DomainName: "contoso.com" }], warnings: [] });
    expect(t.sent).toHaveLength(1);
    expect(t.sent[0].method).toBe("POST");
    expect(t.sent[0].url).toBe(`https://outlook.office365.com/adminapi/beta/${base.tenantId}/InvokeCommand`);
    expect(JSON.parse(t.sent[0].body ?? "")).toEqual({ CmdletInput: { CmdletName: "Get-Mailbox", Parameters: { ResultSize: 10 } } });
    expect(t.sent[0].headers.authorization).toBe("Bearer tok.en.value");
    expect(t.sent[0].headers["x-anchormailbox"]).toBe("APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@contoso.onmicrosoft.com");
    const elsewhere = JSON.stringify({ ...t.sent[0], headers: { ...t.sent[0].headers, authorization: "" } });
    expect(elsewhere).not.toContain("tok.en.value");
  });

  it("addresses the Admin API v2 endpoint by name and refuses a call without a valid one", async () => {
    const t = scripted([{ body: { value: [] } }]);
    await runCmdlet({ ...base, baseUrl: "https://outlook.office365.us/", cmdlet: "Get-AcceptedDomain", surface: "adminApiV2", endpoint: "AcceptedDomain" }, t);
    expect(t.sent[0].url).toBe(`https://outlook.office365.us/adminapi/v2.0/${base.tenantId}/AcceptedDomain`);
    await expect(runCmdlet({ ...base, cmdlet: "Get-AcceptedDomain", surface: "adminApiV2" }, t)).rejects.toThrow(/endpoint name such as AcceptedDomain/);
    await expect(runCmdlet({ ...base, cmdlet: "Get-AcceptedDomain", surface: "adminApiV2", endpoint: "../InvokeCommand" }, t)).rejects.toBeInstanceOf(ExchangeClientError);
    expect(t.sent).toHaveLength(1);
  });

  it("follows @odata.nextLink with the same body and gathers every page's rows and warnings", async () => {
    const next = `https://outlook.office365.com/adminapi/beta/${base.tenantId}/InvokeCommand?$skiptoken=2`;
    const t = scripted([
      { body: { value: [{ Name: "a" }], "@odata.nextLink": next, "@adminapi.warnings": ["first"] } },
      { body: { value: [{ Name: "b" }, { Name: "c" }], "@adminapi.warnings": ["second"] } },
    ]);
    const answer = await runCmdlet({ ...base, cmdlet: "Get-Mailbox" }, t);
    expect(answer.value.map((r) => r.Name)).toEqual(["a", "b", "c"]);
    expect(answer.warnings).toEqual(["first", "second"]);
    expect(t.sent.map((s) => s.url)).toEqual([`https://outlook.office365.com/adminapi/beta/${base.tenantId}/InvokeCommand`, next]);
    expect(t.sent[1].body).toBe(t.sent[0].body);
    expect(t.sent[1].headers.authorization).toBe("Bearer tok.en.value");
  });

  it("never sends the token to a next link on another host", async () => {
    const t = scripted([{ body: { value: [{ Name: "a" }], "@odata.nextLink": "https://attacker.example/page2" } }]);
    await expect(runCmdlet({ ...base, cmdlet: "Get-Mailbox" }, t)).rejects.toThrow(/https:\/\/attacker\.example, not https:\/\/outlook\.office365\.com/);
    expect(t.sent).toHaveLength(1);
  });

  it("stops a server that pages forever", async () => {
    const t = scripted([{ body: { value: [], "@odata.nextLink": `https://outlook.office365.com/adminapi/beta/${base.tenantId}/InvokeCommand?p` } }]);
    await expect(runCmdlet({ ...base, cmdlet: "Get-Mailbox" }, t)).rejects.toThrow(/after 1000 pages/);
    expect(t.sent).toHaveLength(MAX_PAGES);
  });

  it("ends on a failing page with its status, the error text Exchange hid in the body and Retry-After", async () => {
    const error = { error: { code: "Forbidden", message: "outer", innererror: { internalexception: { message: "The role assigned to application isn't supported in this scenario." } } } };
    const t = scripted([
      { body: { value: [{ Name: "a" }], "@odata.nextLink": `https://outlook.office365.com/next` } },
      { status: 429, headers: { "retry-after": "7" }, body: error },
    ]);
    const answer = await runCmdlet({ ...base, cmdlet: "Get-Mailbox" }, t);
    expect(answer).toEqual({ status: 429, value: [{ Name: "a" }], warnings: [], errorText: "The role assigned to application isn't supported in this scenario.", retryAfter: "7" });
  });

  it("reads a 403 of NUL bytes as no error text", async () => {
    const answer = await runCmdlet({ ...base, cmdlet: "Get-AcceptedDomain" }, scripted([{ status: 403, bodyText: "\u0000\u0000" }]));
    expect(answer).toEqual({ status: 403, value: [], warnings: [] });
  });
});
