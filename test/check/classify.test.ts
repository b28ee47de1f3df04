import { classifyAadsts } from "../../src/check/aadsts";
import { classifyExchangeAnswer, exchangeErrorText } from "../../src/check/exchange";

/** Entra's error body shape (FACTS.md). */
function entra(code: number, text: string) {
  return {
    error: "invalid_client",
    error_description: `AADSTS${code}: ${text} Trace ID: 0b7c Correlation ID: 1e2f Timestamp: 2026-11-26 07:00:00Z`,
    error_codes: [code],
    timestamp: "2026-11-26 07:00:00Z",
    trace_id: "0b7c",
    correlation_id: "1e2f",
  };
}

describe("classifyAadsts", () => {
  test.each([
    [7000215, 401, "window", /invalid client secret/],
    [7000222, 401, "never", /expired/],
    [700016, 400, "window", /not found in the tenant/],
    [90002, 400, "never", /tenant was not found/],
    [500011, 400, "never", /no Exchange Online/],
    [700027, 401, "window", /certificate assertion is invalid/],
    [1002012, 400, "never", /\.default/],
    [700022, 400, "never", /more than one resource/],
    [70011, 400, "never", /scope is invalid/],
    [100007, 400, "never", /regional/],
    [700213, 401, "window", /subject/],
  ])("AADSTS%i", (code, status, healing, explanation) => {
    const d = classifyAadsts(status, entra(code, "Entra's own words."));
    expect(d.code).toBe(code);
    expect(d.healing).toBe(healing);
    expect(d.explanation).toMatch(new RegExp(`^AADSTS${code}: `));
    expect(d.explanation).toMatch(explanation);
    expect(d.remedy.length).toBeGreaterThan(20);
  });

  test("AADSTS700022 (InvalidMultipleResourcesScope): the scope names more than one resource; the fix is one resource's /.default", () => {
    // Pinned as literals: Microsoft's error lookup (https://login.microsoftonline.com/error?code=700022) and FACTS.md
    // (December 2026). Changing the wording must be a decision, not a side effect of a table edit.
    const d = classifyAadsts(400, entra(700022, "The provided value for the input parameter scope is not valid because it contains more than one resource."));
    expect(d).toEqual({
      code: 700022,
      explanation: "AADSTS700022: the scope names more than one resource (InvalidMultipleResourcesScope): a token is issued for one resource only",
      remedy: "Ask for exactly one scope, one resource's /.default: https://outlook.office365.com/.default (or your cloud's Exchange resource followed by /.default), and nothing beside it.",
      healing: "never",
    });
  });

  test("the code is read from the description when error_codes is missing", () => {
    expect(classifyAadsts(401, { error: "invalid_client", error_description: "AADSTS7000222: The provided client secret keys are expired." }).code).toBe(7000222);
  });

  test("an unknown code is not retried and points at Microsoft's lookup page", () => {
    const d = classifyAadsts(400, entra(123456, "Something new."));
    expect(d).toMatchObject({ code: 123456, healing: "never" });
    expect(d.explanation).toBe("AADSTS123456: Something new.");
    expect(d.remedy).toContain("code=123456");
  });

  test.each([
    [429, undefined, "always", /throttling/],
    [503, undefined, "always", /answered 503/],
    [500, "<html>oops</html>", "always", /answered 500/],
    [404, undefined, "never", /answered 404/],
  ])("HTTP %i without an AADSTS code", (status, body, healing, explanation) => {
    const d = classifyAadsts(status, body);
    expect(d.healing).toBe(healing);
    expect(d.explanation).toMatch(explanation);
  });
});

describe("exchangeErrorText", () => {
  test.each([
    ["innererror.internalexception", { error: { code: "x", message: "outer", innererror: { internalexception: { message: "The role assigned to application X isn't supported in this scenario." } } } }, "The role assigned to application X isn't supported in this scenario."],
    ["details[0]", { error: { code: "x", message: "outer", details: [{ message: "inner detail" }] } }, "inner detail"],
    ["only message", { error: { code: "x", message: "outer" } }, "outer"],
  ])("%s", (_name, body, text) => {
    expect(exchangeErrorText(JSON.stringify(body))).toBe(text);
  });

  test.each([["NUL bytes", "\u0000\u0000\u0000"], ["empty", ""], ["HTML", "<html>403</html>"], ["JSON without error", "{}"]])("%s: no text", (_name, body) => {
    expect(exchangeErrorText(body)).toBeUndefined();
  });
});

describe("classifyExchangeAnswer", () => {
  test.each([
    [200, JSON.stringify({ value: [{ DomainName: "contoso.onmicrosoft.com" }] }), true, false, /answered 200 \(accepted domains: contoso.onmicrosoft.com\)/],
    [401, "", false, true, /401 Unauthorized: the token does not carry Exchange.ManageAsApp/],
    [403, "\u0000\u0000", false, true, /403 Forbidden: the app's service principal has no directory role/],
    [403, JSON.stringify({ error: { innererror: { internalexception: { message: "The role assigned to application abc isn't supported in this scenario." } } } }), false, false, /not one Exchange accepts/],
    [429, "", false, true, /throttling/],
    [503, "", false, true, /answered 503/],
    [404, "", false, false, /404/],
    [400, JSON.stringify({ error: { details: [{ message: "bad cmdlet" }] } }), false, false, /answered 400: "bad cmdlet"/],
  ])("HTTP %i", (status, body, ok, healable, detail) => {
    const result = classifyExchangeAnswer(status, body);
    expect(result.id).toBe("exchange.invoke");
    expect(result.ok).toBe(ok);
    expect(result.healable).toBe(healable);
    expect(result.detail).toMatch(detail);
    expect(result.remedy === null).toBe(ok);
  });

  test("401 and 403 remedies say consent and directory role respectively", () => {
    expect(classifyExchangeAnswer(401, "").remedy).toMatch(/admin consent/);
    expect(classifyExchangeAnswer(403, "").remedy).toMatch(/Exchange Administrator/);
  });
});
