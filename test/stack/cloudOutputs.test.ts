/**
 * Where a cloud's hosts reach the stack's outputs (exchangeResource, the Admin API's URLs and scope, the
 * admin-consent link, the connect lines), pinned per cloud as literals rather than read back from src/facts.
 */
import { CLOUDS } from "../../src/facts";
import { adminApiOutputs } from "../../src/outputs/adminApi";
import { connectWithThumbprint } from "../../src/outputs/connectCommands";
import { adminConsentUrl } from "../../src/outputs/consentInstructions";
import { evaluate } from "../support/evaluate";

const TENANT = "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7";
const APP = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

describe("the Admin API output per cloud: its base (documented) and a scope whose audience is that host", () => {
  test.each([
    ["public", "https://outlook.office365.com", "https://outlook.office365.com/.default"],
    ["usgovernment", "https://outlook.office365.us", "https://outlook.office365.us/.default"],
    ["dod", "https://outlook-dod.office365.us", "https://outlook-dod.office365.us/.default"],
    ["china", "https://outlook.office365.cn", "https://outlook.office365.cn/.default"],
  ] as const)("%s", (cloud, base, scope) => {
    expect(adminApiOutputs(CLOUDS[cloud], TENANT)).toMatchObject({
      baseUrl: `${base}/adminapi/v2.0/${TENANT}/`,
      acceptedDomain: `${base}/adminapi/v2.0/${TENANT}/AcceptedDomain`,
      scope,
    });
  });
});

test.each([
  ["public", "https://login.microsoftonline.com", "https://outlook.office365.com"],
  ["usgovernment", "https://login.microsoftonline.us", "https://outlook.office365.us"],
  ["dod", "https://login.microsoftonline.us", "https://outlook-dod.office365.us"],
  ["china", "https://login.partner.microsoftonline.cn", "https://partner.outlook.cn"],
] as const)("%s: the admin-consent link on the cloud's login host, for InvokeCommand's audience", (cloud, login, resource) => {
  expect(adminConsentUrl(CLOUDS[cloud], TENANT, APP)).toBe(`${login}/${TENANT}/adminconsent?client_id=${APP}&scope=${resource}/.default`);
});

test.each([
  ["dod", "contoso.onmicrosoft.us", " -ExchangeEnvironmentName O365USGovDoD"],
  ["china", "contoso.partner.onmschina.cn", " -ExchangeEnvironmentName O365China"],
] as const)("%s: Connect-ExchangeOnline picks its own host from -ExchangeEnvironmentName", (cloud, organization, flag) => {
  expect(connectWithThumbprint({ clientId: APP, organization, cloud: CLOUDS[cloud] }, "AB")).toBe(`Connect-ExchangeOnline -AppId ${APP} -CertificateThumbprint AB -Organization ${organization}${flag}`);
});

describe("a DoD and a China stack", () => {
  test.each([
    ["dod", "contoso.onmicrosoft.us", "https://login.microsoftonline.us", "https://outlook-dod.office365.us", "https://outlook-dod.office365.us"],
    ["china", "contoso.partner.onmschina.cn", "https://login.partner.microsoftonline.cn", "https://partner.outlook.cn", "https://outlook.office365.cn"],
  ] as const)("%s: exchangeResource and adminApi name the cloud's hosts", async (environment, organization, authorityHost, exchangeResource, adminBase) => {
    const run = await evaluate({ environment, organization, adminApi: true });
    expect(run.outputs).toMatchObject({ environment, authorityHost, exchangeResource });
    expect((run.outputs.adminApi as { baseUrl: string; scope: string })).toMatchObject({ baseUrl: `${adminBase}/adminapi/v2.0/${run.outputs.tenantId}/`, scope: `${adminBase}/.default` });
  });
});
