import { checkAppOnly, checkAudience, checkClaims, checkClient, checkLifetime, checkRole, checkTenant, decodeToken } from "../../src/check/claims";
import { inspectToken } from "../../src/check/inspect";
import { checkLevel } from "../../src/check/types";
import { CLIENT, NOW, NOW_S, TENANT, goodClaims, jwt } from "./helpers";

const expectations = { environment: "public" as const, tenantId: TENANT, clientId: CLIENT, now: NOW };

describe("decodeToken: any input gets an answer, never an exception", () => {
  const good = jwt(goodClaims());
  const [h, p, s] = good.split(".") as [string, string, string];
  test.each([
    ["empty", "   ", /empty/],
    ["one part", "abc", /three dot-separated parts and this has 1/],
    ["truncated (two parts)", `${h}.${p}`, /three dot-separated parts and this has 2/],
    ["truncated mid-payload", `${h}.${p.slice(0, 17)}.${s}`, /(impossible base64url length|does not decode to JSON)/],
    ["bad base64", `${h}.${p.slice(0, 10)}*+/${p.slice(13)}.${s}`, /payload part is not base64url/],
    ["non-JSON payload", `${h}.${Buffer.from("hello world").toString("base64url")}.${s}`, /payload part does not decode to JSON/],
    ["JSON that is not an object", `${h}.${Buffer.from("[1,2]").toString("base64url")}.${s}`, /not an object/],
    ["non-JSON header", `${Buffer.from("{nope").toString("base64url")}.${p}.${s}`, /header part does not decode to JSON/],
    ["huge", `${h}.${"A".repeat(70_000)}.${s}`, /characters long; an access token is a few thousand/],
    ["encrypted (JWE)", "a.b.c.d.e", /encrypted token/],
    ["unsigned", `${h}.${p}.`, /signature part is empty/],
    ["empty header", `.${p}.${s}`, /header part is empty/],
  ])("%s", (_name, input, problem) => {
    const decoded = decodeToken(input);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.problem).toMatch(problem);
  });

  test("a good token decodes, with or without a Bearer prefix", () => {
    for (const input of [good, `Bearer ${good}`, `  ${good}\n`]) {
      const decoded = decodeToken(input);
      expect(decoded.ok).toBe(true);
      if (decoded.ok) expect(decoded.claims.tid).toBe(TENANT);
    }
  });
});

describe("token.audience", () => {
  test.each([
    ["Exchange resource", "https://outlook.office365.com", true, /Exchange Online/],
    ["Exchange resource with a slash", "https://outlook.office365.com/", true, /Exchange Online/],
    ["Exchange appId", "00000002-0000-0ff1-ce00-000000000000", true, /Exchange Online/],
    ["Graph URL", "https://graph.microsoft.com", false, /^This is a Microsoft Graph token/],
    ["Graph appId", "00000003-0000-0000-c000-000000000000", false, /^This is a Microsoft Graph token/],
    ["ARM", "https://management.azure.com", false, /Azure Resource Manager/],
    ["federation assertion", "api://AzureADTokenExchange", false, /workload identity federation assertion/],
    ["GCC High Exchange", "https://outlook.office365.us", false, /GCC High/],
    ["something else", "api://my-api", false, /is not Exchange Online/],
  ])("%s", (_name, aud, ok, detail) => {
    const result = checkAudience(goodClaims({ aud }), { environment: "public" });
    expect(result.ok).toBe(ok);
    expect(result.detail).toMatch(detail);
    expect(result.remedy === null).toBe(ok);
    if (!ok) expect(result.healable).toBe(false);
  });

  test("a Graph token's remedy names the Exchange scope to ask for", () => {
    expect(checkAudience(goodClaims({ aud: "https://graph.microsoft.com" }), { environment: "public" }).remedy).toContain("https://outlook.office365.com/.default");
  });

  test("the cloud decides the expected resource; the other cloud's Exchange is named", () => {
    expect(checkAudience(goodClaims({ aud: "https://outlook.office365.us" }), { environment: "usgovernment" }).ok).toBe(true);
    const wrong = checkAudience(goodClaims({ aud: "https://outlook.office365.com" }), { environment: "china" });
    expect(wrong.ok).toBe(false);
    expect(wrong.remedy).toContain("--environment public");
  });

  test("an aud array and a missing aud", () => {
    expect(checkAudience(goodClaims({ aud: ["x", "https://outlook.office365.com"] }), { environment: "public" }).ok).toBe(true);
    expect(checkAudience(goodClaims({ aud: undefined }), { environment: "public" }).detail).toMatch(/no aud/);
  });
});

describe("token.app-only and token.role", () => {
  test("an app token passes; a delegated one is named with its user and scopes", () => {
    expect(checkAppOnly(goodClaims()).ok).toBe(true);
    const delegated = checkAppOnly(goodClaims({ scp: "Exchange.Manage", upn: "admin@contoso.com", idtyp: "user", roles: undefined }));
    expect(delegated.ok).toBe(false);
    expect(delegated.detail).toBe('This is a delegated (user) token for admin@contoso.com with scp = "Exchange.Manage": app-only access needs an application token');
    expect(delegated.healable).toBe(false);
  });

  test.each([
    ["role present", ["Exchange.ManageAsApp"], undefined, true, undefined],
    ["no roles claim: consent missing, may heal", undefined, undefined, false, true],
    ["other roles only", ["full_access_as_app"], undefined, false, true],
    ["delegated: cannot heal by waiting", undefined, "Exchange.Manage", false, false],
  ])("%s", (_name, roles, scp, ok, healable) => {
    const result = checkRole(goodClaims({ roles, scp }));
    expect(result.ok).toBe(ok);
    expect(result.healable).toBe(healable);
  });
});

describe("token.tenant and token.client", () => {
  test.each([
    [TENANT, true],
    [TENANT.toUpperCase(), true],
    ["11111111-1111-4111-8111-111111111111", false],
    ["contoso.onmicrosoft.com", false],
    [undefined, true],
  ])("tenant %s", (tenantId, ok) => {
    const result = checkTenant(goodClaims(), tenantId);
    expect(result.ok).toBe(ok);
    expect(result.detail).toContain(TENANT);
  });

  test("a domain from elsewhere (inspect-token) cannot be compared: a warning, never ok, never a failure", () => {
    const result = checkTenant(goodClaims(), "contoso.onmicrosoft.com");
    expect(result).toMatchObject({ id: "token.tenant", ok: false, warning: true });
    expect(checkLevel(result)).toBe("warning");
    expect(result.detail).toContain("a domain cannot be compared with the token's tid GUID; pass the tenant GUID");
    expect(result.remedy).toMatch(/Pass the tenant GUID of contoso\.onmicrosoft\.com with --tenant-id/);
    // Any domain, in any case: the class, not the example.
    for (const domain of ["Contoso.OnMicrosoft.com", "fabrikam.com", "contoso.onmicrosoft.us"]) expect(checkLevel(checkTenant(goodClaims(), domain))).toBe("warning");
  });

  test("a domain the token was asked for from (verify's own sign-in): Entra resolved it, so it passes and says so", () => {
    const result = checkTenant(goodClaims(), "contoso.onmicrosoft.com", true);
    expect(result.ok).toBe(true);
    expect(result.detail).toBe(`tid = ${TENANT}, the tenant Entra ID resolved contoso.onmicrosoft.com to when it issued the token`);
  });

  test.each([
    [goodClaims(), CLIENT, true, /authenticated with a secret/],
    [goodClaims({ appidacr: "2" }), CLIENT, true, /certificate or assertion/],
    [goodClaims({ appid: undefined, azp: CLIENT }), CLIENT, true, /the client asked for/],
    [goodClaims(), "22222222-2222-4222-8222-222222222222", false, /but the client asked for is/],
    [goodClaims({ appid: undefined }), CLIENT, false, /names no client/],
  ])("client %#", (claims, clientId, ok, detail) => {
    const result = checkClient(claims, clientId);
    expect(result.ok).toBe(ok);
    expect(result.detail).toMatch(detail);
  });
});

describe("token.lifetime", () => {
  test.each([
    ["fresh", {}, true, /valid until 2026-11-26T07:58:59Z \(58 min left\)/],
    ["expired", { exp: NOW_S - 120 }, false, /expired at 2026-11-26T06:58:00Z \(2 min ago\)/],
    ["expires this very second", { exp: NOW_S }, false, /expired/],
    ["issued in the future within the skew", { iat: NOW_S + 200, nbf: NOW_S + 200 }, true, /valid until/],
    ["issued in the future beyond the skew", { iat: NOW_S + 400, nbf: NOW_S - 10 }, false, /iat = .* 400 s in the future, beyond the 300 s/],
    ["not valid yet beyond the skew", { nbf: NOW_S + 900 }, false, /nbf = /],
    ["no exp", { exp: undefined }, false, /no exp/],
  ])("%s", (_name, overrides, ok, detail) => {
    const result = checkLifetime(goodClaims(overrides), NOW);
    expect(result.ok).toBe(ok);
    expect(result.detail).toMatch(detail);
  });

  test("the skew is a parameter", () => {
    expect(checkLifetime(goodClaims({ iat: NOW_S + 200 }), NOW, 100).ok).toBe(false);
  });
});

describe("checkClaims and inspectToken", () => {
  test("a good token passes every check, in report order", () => {
    const results = checkClaims(goodClaims() as never, expectations);
    expect(results.map((r) => r.id)).toEqual(["token.audience", "token.app-only", "token.role", "token.tenant", "token.client", "token.lifetime"]);
    expect(results.every((r) => r.ok)).toBe(true);
  });

  test("inspectToken: fit, unfit, unreadable; shows claims, never the token", () => {
    const good = jwt(goodClaims());
    const fit = inspectToken(good, expectations);
    expect(fit.fit).toBe(true);
    expect(fit.claims).toMatchObject({ aud: "https://outlook.office365.com", roles: ["Exchange.ManageAsApp"] });
    expect(JSON.stringify(fit)).not.toContain(good.split(".")[1]);

    const graph = inspectToken(jwt(goodClaims({ aud: "https://graph.microsoft.com" })), expectations);
    expect(graph.fit).toBe(false);
    expect(graph.checks.find((c) => c.id === "token.audience")?.detail).toMatch(/Microsoft Graph token/);

    const broken = inspectToken("eyJhbGciOi", expectations);
    expect(broken).toEqual({ fit: false, checks: [expect.objectContaining({ id: "token.format", ok: false })] });
  });

  test("inspectToken with a domain tenant: fit (a warning does not make it unfit), token.tenant a warning, not ok", () => {
    const good = jwt(goodClaims());
    const result = inspectToken(good, { ...expectations, tenantId: "contoso.onmicrosoft.com", tenantFromAuthority: true });
    expect(result.fit).toBe(true);
    const tenant = result.checks.find((c) => c.id === "token.tenant")!;
    expect(tenant).toMatchObject({ ok: false, warning: true });
    expect(tenant.detail).toContain("a domain cannot be compared with the token's tid GUID; pass the tenant GUID");
    // A real failure next to the warning still makes it unfit.
    expect(inspectToken(jwt(goodClaims({ aud: "https://graph.microsoft.com" })), { ...expectations, tenantId: "contoso.onmicrosoft.com" }).fit).toBe(false);
  });
});
