/**
 * The emulator's clouds: Entra mints tokens for each cloud's Exchange audiences (pinned literals, not the facts'
 * table), and each Exchange surface accepts its own audience only, as Exchange compares aud with the host it is
 * sent to. A tenant whose Exchange answers to another audience (`exchangeAnswersTo`) lets verify's overrides be tested.
 */
import { decodeJwt } from "jose";
import { HttpTransport } from "../../src/net/http";
import { runCmdlet, type CmdletCall } from "../../src/exchange";
import type { ExchangeAnswersTo } from "./directory";
import { EMULATED_MANAGE_AS_APP_V2_ROLE_ID, startEmulator, type TenantEmulator } from "./index";
import { createIdentity, secretToken, type Identity } from "./scenario";
import type { CloudName } from "../../src/facts";

let emu: TenantEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

/** An app in a new tenant of `cloud` with Exchange.ManageAsApp, Exchange.ManageAsAppV2 and Exchange Administrator. */
function identity(cloud: CloudName, exchangeAnswersTo?: ExchangeAnswersTo): Identity {
  const tenant = emu.directory.addTenant({ cloud, ...(exchangeAnswersTo ? { exchangeAnswersTo } : {}) });
  const id = createIdentity(emu, { tenantId: tenant.tenantId });
  emu.directory.addAppRoleAssignment(tenant.tenantId, { principalObjectId: id.servicePrincipalObjectId, resourceObjectId: tenant.exchangeServicePrincipalObjectId!, appRoleId: EMULATED_MANAGE_AS_APP_V2_ROLE_ID });
  return id;
}

async function token(id: Identity, resource: string): Promise<string> {
  const res = await secretToken(emu, id, `${resource}/.default`);
  expect(res.status).toBe(200);
  return res.json<{ access_token: string }>().access_token;
}

function call(id: Identity, accessToken: string, surface: "invokeCommand" | "adminApiV2") {
  const extra: Partial<CmdletCall> = surface === "adminApiV2" ? { surface: "adminApiV2", endpoint: "AcceptedDomain" } : {};
  return runCmdlet({ baseUrl: emu.url, tenantId: id.tenantId, accessToken, cmdlet: "Get-AcceptedDomain", ...extra }, new HttpTransport({ ca: emu.caPem, deadline: Date.now() + 30_000 }));
}

describe("per-cloud audiences", () => {
  test.each([
    ["public", "https://outlook.office365.com", "https://outlook.office365.com"],
    ["usgovernment", "https://outlook.office365.us", "https://outlook.office365.us"],
    ["dod", "https://outlook-dod.office365.us", "https://outlook-dod.office365.us"],
    ["china", "https://partner.outlook.cn", "https://outlook.office365.cn"],
  ] as const)("%s: a token for %s drives InvokeCommand, one for %s the Admin API", async (cloud, invokeAudience, adminAudience) => {
    const id = identity(cloud);
    const invoke = await token(id, invokeAudience);
    expect(decodeJwt(invoke).aud).toBe(invokeAudience);
    expect((await call(id, invoke, "invokeCommand")).status).toBe(200);
    const admin = await token(id, adminAudience);
    expect(decodeJwt(admin).aud).toBe(adminAudience);
    expect((await call(id, admin, "adminApiV2")).status).toBe(200);
  });

  test("China: each surface refuses the other's audience, naming the one it expects", async () => {
    const id = identity("china");
    const invoke = await token(id, "https://partner.outlook.cn");
    expect(await call(id, invoke, "adminApiV2")).toMatchObject({ status: 401, errorText: "The audience 'https://partner.outlook.cn' is invalid: The Admin API expects 'https://outlook.office365.cn'." });
    const admin = await token(id, "https://outlook.office365.cn");
    expect(await call(id, admin, "invokeCommand")).toMatchObject({ status: 401, errorText: "The audience 'https://outlook.office365.cn' is invalid: Exchange Online expects 'https://partner.outlook.cn'." });
  });

  test("DoD: webmail.apps.mil is no audience of the facts' DoD tenant (Entra answers 500011)", async () => {
    const id = identity("dod");
    expect((await secretToken(emu, id, "https://webmail.apps.mil/.default")).status).toBe(400);
  });

  test("a DoD tenant whose Exchange answers to webmail.apps.mil: that token works, the facts' one is refused", async () => {
    const id = identity("dod", { invokeCommand: "https://webmail.apps.mil" });
    expect((await call(id, await token(id, "https://webmail.apps.mil"), "invokeCommand")).status).toBe(200);
    expect(await call(id, await token(id, "https://outlook-dod.office365.us"), "invokeCommand")).toMatchObject({
      status: 401,
      errorText: "The audience 'https://outlook-dod.office365.us' is invalid: Exchange Online expects 'https://webmail.apps.mil'.",
    });
  });
});
