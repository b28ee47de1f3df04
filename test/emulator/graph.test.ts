/** The emulated Microsoft Graph the audit reads: who may read what, pages, faults, and that no secret comes out. */
import { MANAGE_AS_APP_ROLE } from "../../src/facts";
import { startEmulator, type TenantEmulator } from "./index";
import { createIdentity, request, secretToken, type Identity } from "./scenario";

let emu: TenantEmulator;
beforeAll(async () => {
  emu = await startEmulator({ graphPageSize: 2 });
});
afterAll(async () => {
  await emu.close();
});

const GRAPH = "https://graph.microsoft.com/.default";

/** An app with these Graph permissions (consented), and its Graph token. */
async function reader(permissions: string[], tenantId?: string): Promise<{ id: Identity; token: string }> {
  const id = createIdentity(emu, { ...(tenantId ? { tenantId } : {}), consent: false, roleTemplateId: "none", displayName: `reader ${permissions.join(" ")}` });
  const graph = emu.directory.getServicePrincipal(id.tenantId, id.tenant.graphServicePrincipalObjectId)!;
  for (const value of permissions) {
    emu.directory.addAppRoleAssignment(id.tenantId, { principalObjectId: id.servicePrincipalObjectId, resourceObjectId: graph.objectId, appRoleId: graph.appRoles.find((r) => r.value === value)!.id });
  }
  return { id, token: (await secretToken(emu, id, GRAPH)).json<{ access_token: string }>().access_token };
}

const get = (path: string, token?: string) => request(emu, "GET", `/v1.0/${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("the emulated Graph", () => {
  test("refuses a request without a token, or with a token for another resource (401 InvalidAuthenticationToken)", async () => {
    const { id } = await reader(["Application.Read.All"]);
    expect((await get("organization")).status).toBe(401);
    const exchangeToken = (await secretToken(emu, id)).json<{ access_token: string }>().access_token;
    const answer = await get(`servicePrincipals/${id.servicePrincipalObjectId}`, exchangeToken);
    expect(answer.status).toBe(401);
    expect(answer.json()).toMatchObject({ error: { code: "InvalidAuthenticationToken" } });
  });

  test("answers each path only to a token holding one of its permissions (403 Authorization_RequestDenied otherwise)", async () => {
    const apps = await reader(["Application.Read.All"]);
    const roles = await reader(["RoleManagement.Read.Directory"], apps.id.tenantId);
    const path = `servicePrincipals/${apps.id.servicePrincipalObjectId}`;
    expect((await get(path, apps.token)).json()).toMatchObject({ id: apps.id.servicePrincipalObjectId, appId: apps.id.clientId, servicePrincipalType: "Application", appOwnerOrganizationId: apps.id.tenantId });
    expect(await get(path, roles.token)).toMatchObject({ status: 403 });
    expect((await get(path, roles.token)).json()).toMatchObject({ error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." } });
    expect((await get("roleManagement/directory/roleDefinitions", roles.token)).status).toBe(200);
    expect((await get("roleManagement/directory/roleDefinitions", apps.token)).status).toBe(403);
    expect((await get("organization", apps.token)).status).toBe(403);
  });

  test("an application's credentials: dates and a hint, never the secret", async () => {
    const { id, token } = await reader(["Application.Read.All"]);
    const app = (await get(`applications(appId='${id.clientId}')`, token)).json<{ passwordCredentials: { keyId: string; endDateTime: string; hint: string }[] }>();
    expect(app.passwordCredentials).toEqual([expect.objectContaining({ keyId: id.secretKeyId, endDateTime: expect.any(String), hint: id.clientSecret!.slice(0, 3) })]);
    expect(JSON.stringify(app)).not.toContain(id.clientSecret);
  });

  test("pages appRoleAssignedTo with @odata.nextLink; a deletion between two pages skips no one", async () => {
    const { id, token } = await reader(["Application.Read.All"]);
    const exo = id.tenant.exchangeServicePrincipalObjectId!;
    const holders = Array.from({ length: 5 }, () => createIdentity(emu, { tenantId: id.tenantId, roleTemplateId: "none", secret: false }));
    type Page = { value: { id: string; principalId: string; appRoleId: string }[]; "@odata.nextLink"?: string };
    const first = (await get(`servicePrincipals/${exo}/appRoleAssignedTo?$top=999`, token)).json<Page>();
    expect(first.value).toHaveLength(2);
    expect(first.value.every((a) => a.appRoleId === MANAGE_AS_APP_ROLE.id)).toBe(true);
    emu.directory.removeAppRoleAssignment(id.tenantId, first.value[0]!.id);
    const seen = [...first.value];
    let next: string | undefined = first["@odata.nextLink"];
    while (next) {
      expect(next.startsWith(`${emu.url}/v1.0/`)).toBe(true);
      const page: Page = (await request(emu, "GET", next.slice(emu.url.length), { headers: { authorization: `Bearer ${token}` } })).json<Page>();
      seen.push(...page.value);
      next = page["@odata.nextLink"];
    }
    expect(seen.map((a) => a.principalId).sort()).toEqual(holders.map((h) => h.servicePrincipalObjectId).sort());
  });

  test("a graph fault answers 429 with Retry-After in Graph's shape, then Graph answers again", async () => {
    const { id, token } = await reader(["Application.Read.All"]);
    emu.faults.inject({ kind: "graph", retryAfterSeconds: 7 });
    const throttled = await get(`servicePrincipals/${id.servicePrincipalObjectId}`, token);
    expect(throttled).toMatchObject({ status: 429, headers: expect.objectContaining({ "retry-after": "7" }) });
    expect(throttled.json()).toMatchObject({ error: { code: "TooManyRequests" } });
    expect((await get(`servicePrincipals/${id.servicePrincipalObjectId}`, token)).status).toBe(200);
  });
});
