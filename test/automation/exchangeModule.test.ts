/**
 * The pinned ExchangeOnlineManagement version must run what the runbook runs (issue 14): Connect-ExchangeOnline
 * -ManagedIdentity exists from 3.0.0 (the V3 module; "Use Azure managed identities to connect to Exchange Online
 * PowerShell", learn.microsoft.com/powershell/exchange/connect-exo-powershell-managed-identity). Older and malformed
 * versions are refused at plan time with the fix; Automation would import them and the runbook fail later.
 */
import { compareModuleVersions, MANAGED_IDENTITY_MIN_VERSION, moduleVersionProblem, parseModuleVersion } from "../../src/automation/exchangeModule";
import { section } from "../support/docs";
import { evaluate, T } from "../support/evaluate";
import { refusedAt } from "../support/refusal";

const account = (moduleVersion: unknown) => ({ managedIdentity: { kind: "automationAccount", name: "exo-automation", resourceGroup: "rg", location: "westeurope", moduleVersion } });

describe("the minimum, pinned", () => {
  it("is 3.0.0, the first V3 release, and Managed identity and Azure Automation says so", () => {
    expect(MANAGED_IDENTITY_MIN_VERSION).toBe("3.0.0");
    expect(section("Managed identity and Azure Automation")).toContain(`**${MANAGED_IDENTITY_MIN_VERSION} or later**`);
  });

  it("orders versions by number, and a prerelease before its release", () => {
    const v = (s: string) => parseModuleVersion(s)!;
    expect(compareModuleVersions(v("3.10.0"), v("3.9.1"))).toBeGreaterThan(0);
    expect(compareModuleVersions(v("3.0.0-Preview1"), v("3.0.0"))).toBeLessThan(0);
    expect(compareModuleVersions(v("3.0.0.0"), v("3.0.0"))).toBe(0);
    expect(compareModuleVersions(v("2.0.6-Preview7"), v("3.0.0"))).toBeLessThan(0);
  });
});

describe("versions that run the runbook are accepted and imported as written", () => {
  it.each(["3.0.0", "3.7.1", "3.10.1-Preview1", "4.0.0"])("%s", async (version) => {
    expect(moduleVersionProblem(version)).toBeUndefined();
    const run = await evaluate(account(version));
    expect(run.one(T.powerShell72Module).inputs).toMatchObject({ contentLink: { uri: `https://www.powershellgallery.com/api/v2/package/ExchangeOnlineManagement/${version}` } });
  });
});

describe("versions that cannot are refused with the fix, nothing registered", () => {
  it.each<[string, RegExp]>([
    ["2.0.5", /is older than 3\.0\.0: .*Connect-ExchangeOnline -ManagedIdentity.*Pin 3\.0\.0 or later, for example 3\.7\.1/],
    ["2.0.6-Preview7", /is older than 3\.0\.0/],
    ["3.0.0-Preview1", /is older than 3\.0\.0/],
    ["1.0.1", /is older than 3\.0\.0/],
    ["latest", /must be an exact version .* for example 3\.7\.1: Automation imports exactly the version the stack pins/],
    ["*", /must be an exact version/],
    ["v3.7.1", /must be written without the "v": 3\.7\.1/],
    ["3.7", /with all three numbers \(3\.7\.0 if that is the version you mean\)/],
    ["3", /with all three numbers \(3\.0\.0/],
    ["3.7.x", /must be a version of ExchangeOnlineManagement as the PowerShell Gallery writes it/],
    [">=3.0.0", /must be a version of ExchangeOnlineManagement as the PowerShell Gallery writes it.*Find-Module ExchangeOnlineManagement/],
  ])("%s", async (version, why) => {
    const issue = await refusedAt(account(version), "managedIdentity.moduleVersion");
    expect(issue.value).toBe(JSON.stringify(version));
    expect(issue.message).toMatch(why);
  });

  it("a number where a version string belongs says so", async () => {
    expect((await refusedAt(account(3.7), "managedIdentity.moduleVersion")).message).toMatch(/must be text/);
  });
});
