/**
 * The audience the check asks for and the host it calls agree, per cloud and surface, and the overrides a user in
 * DoD or China needs keep them agreeing: pure, with literal expectations (test/facts/clouds.test.ts says why each).
 */
import { endpointChoiceProblem, probeEndpoints, type EndpointChoice } from "../../src/check/endpoints";
import { CheckSetupError } from "../../src/errors";
import { validateCheckOptions, type CheckOptions } from "../../src/check/run";

const exchange = (environment: EndpointChoice["environment"], api: EndpointChoice["api"] = "invoke-command", extra: Partial<EndpointChoice> = {}): EndpointChoice => ({
  environment,
  workload: "exchange",
  api,
  ...extra,
});

describe("the surface decides both the audience and the host", () => {
  test.each([
    ["public", "invoke-command", "https://outlook.office365.com", "https://outlook.office365.com"],
    ["public", "admin-v2", "https://outlook.office365.com", "https://outlook.office365.com"],
    ["usgovernment", "invoke-command", "https://outlook.office365.us", "https://outlook.office365.us"],
    ["usgovernment", "admin-v2", "https://outlook.office365.us", "https://outlook.office365.us"],
    ["dod", "invoke-command", "https://outlook-dod.office365.us", "https://outlook-dod.office365.us"],
    ["dod", "admin-v2", "https://outlook-dod.office365.us", "https://outlook-dod.office365.us"],
    ["china", "invoke-command", "https://partner.outlook.cn", "https://partner.outlook.cn"],
    ["china", "admin-v2", "https://outlook.office365.cn", "https://outlook.office365.cn"],
  ] as const)("%s %s: token for %s, sent to %s", (environment, api, resource, endpoint) => {
    expect(probeEndpoints(exchange(environment, api))).toEqual({ resource, endpoint });
  });

  test.each([
    ["public", "https://ps.compliance.protection.outlook.com", "https://ps.compliance.protection.outlook.com"],
    ["dod", "https://compliance.dod.microsoft.com", "https://compliance.dod.microsoft.com"],
    ["china", "https://ps.compliance.protection.partner.outlook.cn", "https://ps.compliance.protection.partner.outlook.cn"],
  ] as const)("Security & Compliance in %s: token for %s, sent to %s", (environment, resource, endpoint) => {
    expect(probeEndpoints({ environment, workload: "compliance", api: "invoke-command" })).toEqual({ resource, endpoint });
  });
});

describe("overrides", () => {
  test("--exchange-resource alone: the token is for it and the probe goes to its host", () => {
    expect(probeEndpoints(exchange("dod", "invoke-command", { exchangeResource: "https://webmail.apps.mil/" }))).toEqual({ resource: "https://webmail.apps.mil", endpoint: "https://webmail.apps.mil" });
    expect(probeEndpoints(exchange("china", "admin-v2", { exchangeResource: "https://partner.outlook.cn" }))).toEqual({ resource: "https://partner.outlook.cn", endpoint: "https://partner.outlook.cn" });
  });

  test("--exchange-endpoint alone (a test tenant, a proxy): the surface's audience, sent there", () => {
    expect(probeEndpoints(exchange("china", "admin-v2", { exchangeEndpoint: "https://127.0.0.1:8443/" }))).toEqual({ resource: "https://outlook.office365.cn", endpoint: "https://127.0.0.1:8443" });
  });

  test("both: as given", () => {
    expect(probeEndpoints(exchange("dod", "invoke-command", { exchangeResource: "https://webmail.apps.mil", exchangeEndpoint: "https://127.0.0.1:8443" }))).toEqual({
      resource: "https://webmail.apps.mil",
      endpoint: "https://127.0.0.1:8443",
    });
  });
});

describe("what cannot work is refused before anything is sent", () => {
  test.each([
    // A Microsoft Exchange host with another host's audience: Exchange would refuse the token.
    [exchange("dod", "invoke-command", { exchangeEndpoint: "https://webmail.apps.mil" }), /--exchange-endpoint https:\/\/webmail\.apps\.mil is an Exchange Online host, but the token would be for https:\/\/outlook-dod\.office365\.us/, /--exchange-resource https:\/\/webmail\.apps\.mil/],
    [exchange("china", "admin-v2", { exchangeEndpoint: "https://partner.outlook.cn" }), /token would be for https:\/\/outlook\.office365\.cn/, /--exchange-resource https:\/\/partner\.outlook\.cn/],
    [exchange("public", "invoke-command", { exchangeEndpoint: "https://outlook.office365.us/" }), /token would be for https:\/\/outlook\.office365\.com/, /--exchange-resource https:\/\/outlook\.office365\.us/],
    [exchange("dod", "invoke-command", { exchangeResource: "https://webmail.apps.mil", exchangeEndpoint: "https://outlook-dod.office365.us" }), /token would be for https:\/\/webmail\.apps\.mil/, /--exchange-resource https:\/\/outlook-dod\.office365\.us/],
    // Not a resource: a scheme and host only.
    [exchange("dod", "invoke-command", { exchangeResource: "https://webmail.apps.mil/powershell-liveid" }), /is not a resource: it must be a scheme and a host only/, /--exchange-resource https:\/\/webmail\.apps\.mil\./],
    [exchange("dod", "invoke-command", { exchangeResource: "https://webmail.apps.mil/.default" }), /is not a resource/, /https:\/\/webmail\.apps\.mil\./],
    [exchange("dod", "invoke-command", { exchangeResource: "https://webmail.apps.mil?x=1" }), /is not a resource/, /https:\/\/webmail\.apps\.mil\./],
    [exchange("dod", "invoke-command", { exchangeResource: "https://webmail.apps.mil/#a" }), /is not a resource/, /https:\/\/webmail\.apps\.mil\./],
    [exchange("dod", "invoke-command", { exchangeResource: "https://user@webmail.apps.mil" }), /is not a resource/, /https:\/\/webmail\.apps\.mil\./],
    // Security & Compliance's audience is its own.
    [{ environment: "dod", workload: "compliance", api: "invoke-command", exchangeResource: "https://webmail.apps.mil" } as EndpointChoice, /--workload compliance checks Security & Compliance/, /Drop --exchange-resource/],
  ])("%j", (choice, message, remedy) => {
    const problem = endpointChoiceProblem(choice);
    expect(problem?.[0]).toMatch(message);
    expect(problem?.[1]).toMatch(remedy);
  });

  test.each([
    exchange("dod"),
    exchange("dod", "invoke-command", { exchangeResource: "https://webmail.apps.mil" }),
    exchange("dod", "invoke-command", { exchangeEndpoint: "https://outlook-dod.office365.us" }),
    exchange("china", "admin-v2", { exchangeEndpoint: "https://127.0.0.1:1" }),
    exchange("china", "admin-v2", { exchangeEndpoint: "https://exchange-proxy.contoso.com", exchangeResource: "https://outlook.office365.cn" }),
  ])("fine: %j", (choice) => {
    expect(endpointChoiceProblem(choice)).toBeUndefined();
  });
});

describe("validateCheckOptions: the same rules as usage errors", () => {
  const base: CheckOptions = { tenantId: "11111111-2222-3333-4444-555555555555", clientId: "11111111-2222-3333-4444-666666666666", credential: { kind: "secret", secret: "s" } };
  const problem = (extra: Partial<CheckOptions>): CheckSetupError => {
    try {
      validateCheckOptions({ ...base, ...extra });
    } catch (error) {
      if (error instanceof CheckSetupError) return error;
      throw error;
    }
    throw new Error("no usage error");
  };

  test.each([
    [{ exchangeResource: "http://webmail.apps.mil" }, /--exchange-resource http:\/\/webmail\.apps\.mil is not https/],
    [{ exchangeResource: "webmail.apps.mil" }, /--exchange-resource "webmail\.apps\.mil" is not a URL/],
    [{ environment: "dod", exchangeResource: "https://webmail.apps.mil/powershell-liveID" }, /is not a resource/],
    [{ environment: "dod", exchangeEndpoint: "https://webmail.apps.mil" }, /is an Exchange Online host, but the token would be for https:\/\/outlook-dod\.office365\.us/],
    [{ environment: "china", api: "admin-v2", exchangeEndpoint: "https://partner.outlook.cn/" }, /token would be for https:\/\/outlook\.office365\.cn/],
    [{ workload: "compliance", exchangeResource: "https://ps.compliance.protection.outlook.com" }, /--workload compliance checks Security & Compliance/],
  ] as const)("%j", (extra, message) => {
    const error = problem(extra as Partial<CheckOptions>);
    expect(error.code).toBe("ERR_USAGE");
    expect(error.message).toMatch(message);
  });

  test("a DoD user's override passes", () => {
    expect(() => validateCheckOptions({ ...base, environment: "dod", exchangeResource: "https://webmail.apps.mil" })).not.toThrow();
  });
});
