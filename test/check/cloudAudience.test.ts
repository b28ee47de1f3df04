/**
 * token.audience per cloud and surface: the check accepts exactly the audience it asked for; a token from elsewhere
 * (inspect-token) may carry any of the cloud's Exchange audiences; another surface's or cloud's token is named.
 */
import { checkAudience } from "../../src/check/claims";
import { goodClaims } from "./helpers";

describe("token.audience in DoD and China", () => {
  test("DoD: the check asks for outlook-dod.office365.us, and its token passes", () => {
    const r = checkAudience(goodClaims({ aud: "https://outlook-dod.office365.us" }), { environment: "dod", exchangeResource: "https://outlook-dod.office365.us" });
    expect(r).toMatchObject({ ok: true, detail: "aud = https://outlook-dod.office365.us: Exchange Online (Microsoft 365 DoD)" });
  });

  test("DoD: a webmail.apps.mil token passes when that is what was asked for (--exchange-resource), and not otherwise", () => {
    expect(checkAudience(goodClaims({ aud: "https://webmail.apps.mil" }), { environment: "dod", exchangeResource: "https://webmail.apps.mil" }).ok).toBe(true);
    const refused = checkAudience(goodClaims({ aud: "https://webmail.apps.mil" }), { environment: "dod" });
    expect(refused).toMatchObject({ ok: false, detail: "aud = https://webmail.apps.mil is not Exchange Online (https://outlook-dod.office365.us)", remedy: "Ask Entra ID for scope https://outlook-dod.office365.us/.default." });
  });

  test("DoD: an outlook-dod token, when webmail.apps.mil was asked for, is named as the other audience", () => {
    const r = checkAudience(goodClaims({ aud: "https://outlook-dod.office365.us" }), { environment: "dod", exchangeResource: "https://webmail.apps.mil" });
    expect(r.ok).toBe(false);
    expect(r.detail).toBe(
      "aud = https://outlook-dod.office365.us is Exchange Online's audience for InvokeCommand and the Admin API in Microsoft 365 DoD, not https://webmail.apps.mil, the one asked for: Exchange refuses a token whose audience is not the host it is sent to",
    );
  });

  test("China: the Admin API's token passes the Admin API's check and says which surface it is for", () => {
    const r = checkAudience(goodClaims({ aud: "https://outlook.office365.cn" }), { environment: "china", exchangeResource: "https://outlook.office365.cn" });
    expect(r).toMatchObject({ ok: true, detail: "aud = https://outlook.office365.cn: Exchange Online (Microsoft 365 operated by 21Vianet), the audience of the Admin API" });
  });

  test("China: InvokeCommand's token is refused by the Admin API's check, naming both", () => {
    const r = checkAudience(goodClaims({ aud: "https://partner.outlook.cn" }), { environment: "china", exchangeResource: "https://outlook.office365.cn" });
    expect(r.ok).toBe(false);
    expect(r.detail).toBe(
      "aud = https://partner.outlook.cn is Exchange Online's audience for InvokeCommand in Microsoft 365 operated by 21Vianet, not https://outlook.office365.cn, the one asked for: Exchange refuses a token whose audience is not the host it is sent to",
    );
    expect(r.remedy).toBe("Ask for scope https://outlook.office365.cn/.default.");
    expect(r.healable).toBe(false);
  });

  test("China, a token from elsewhere (inspect-token): either surface's audience is Exchange Online", () => {
    expect(checkAudience(goodClaims({ aud: "https://partner.outlook.cn" }), { environment: "china" }).detail).toBe(
      "aud = https://partner.outlook.cn: Exchange Online (Microsoft 365 operated by 21Vianet), the audience of InvokeCommand",
    );
    expect(checkAudience(goodClaims({ aud: "https://outlook.office365.cn" }), { environment: "china" }).ok).toBe(true);
  });

  test("another cloud's Exchange, by any of its surfaces, is named with the --environment to pass", () => {
    const china = checkAudience(goodClaims({ aud: "https://outlook.office365.cn" }), { environment: "public" });
    expect(china.detail).toBe("aud = https://outlook.office365.cn is Exchange Online in Microsoft 365 operated by 21Vianet, but the check expects Microsoft 365 public cloud (and GCC) (https://outlook.office365.com)");
    expect(china.remedy).toContain("--environment china");
    expect(checkAudience(goodClaims({ aud: "https://outlook-dod.office365.us" }), { environment: "usgovernment" }).remedy).toContain("--environment dod");
  });

  test("Security & Compliance in DoD: an Exchange Online token is named as such", () => {
    const r = checkAudience(goodClaims({ aud: "https://outlook-dod.office365.us" }), { environment: "dod", workload: "compliance" });
    expect(r.detail).toMatch(/^This is an Exchange Online token \(aud = https:\/\/outlook-dod\.office365\.us\), not a Security & Compliance one/);
    expect(r.remedy).toBe("Ask for scope https://compliance.dod.microsoft.com/.default (the same app and permission, another resource).");
  });
});
