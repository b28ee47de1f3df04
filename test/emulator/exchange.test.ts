import { decodeJwt } from "jose";
import { EXCHANGE_ROLES, MANAGE_AS_APP_ROLE } from "../../src/facts";
import { startEmulator, type TenantEmulator } from "./index";
import { createIdentity, invoke, secretToken, USER_ADMINISTRATOR, type Identity, type RawResponse } from "./scenario";

let emu: TenantEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function tokenFor(id: Identity, scope?: string): Promise<string> {
  const res = await secretToken(emu, id, scope);
  expect(res.status).toBe(200);
  return res.json<{ access_token: string }>().access_token;
}

function detail(res: RawResponse): string {
  return res.json<{ error: { details: { message: string }[] } }>().error.details[0]!.message;
}

describe("InvokeCommand 401: the token cannot drive Exchange", () => {
  test("no bearer token", async () => {
    const id = createIdentity(emu);
    const res = await invoke(emu, id.tenantId, undefined);
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer /);
    expect(res.json()).toMatchObject({ error: { code: "UnAuthorized" } });
  });

  test("a token that is not a JWT, or signed by someone else", async () => {
    const id = createIdentity(emu);
    expect((await invoke(emu, id.tenantId, "not-a-jwt")).status).toBe(401);
    const foreign = await emu.mintFederatedToken({ issuer: "https://x", subject: "s", audience: "https://outlook.office365.com" });
    expect((await invoke(emu, id.tenantId, foreign)).status).toBe(401);
  });

  test("no consent: the token has no Exchange.ManageAsApp role", async () => {
    const id = createIdentity(emu, { consent: false });
    const res = await invoke(emu, id.tenantId, await tokenFor(id));
    expect(res.status).toBe(401);
    expect(detail(res)).toContain(MANAGE_AS_APP_ROLE.value);
  });

  test("a Graph token (wrong audience) is named as such", async () => {
    const id = createIdentity(emu);
    const res = await invoke(emu, id.tenantId, await tokenFor(id, "https://graph.microsoft.com/.default"));
    expect(res.status).toBe(401);
    expect(detail(res)).toContain("https://graph.microsoft.com");
  });

  test("an expired token, a delegated token (scp) and a token for another tenant", async () => {
    const id = createIdentity(emu);
    const base = { aud: "https://outlook.office365.com", tid: id.tenantId, oid: id.servicePrincipalObjectId, appid: id.clientId, roles: [MANAGE_AS_APP_ROLE.value] };
    const expired = await emu.mintAccessToken({ ...base, iat: 1000, nbf: 1000, exp: 4600 });
    expect(detail(await invoke(emu, id.tenantId, expired))).toMatch(/expired/);
    const delegated = await emu.mintAccessToken({ ...base, scp: "Exchange.Manage" });
    const d = await invoke(emu, id.tenantId, delegated);
    expect(d.status).toBe(401);
    expect(detail(d)).toMatch(/delegated/);
    const other = createIdentity(emu);
    const res = await invoke(emu, other.tenantId, await tokenFor(id));
    expect(res.status).toBe(401);
    expect(detail(res)).toContain(id.tenantId);
  });
});

describe("InvokeCommand 403: the app role is there, the directory role is not", () => {
  test("no directory role: 403 whose body is NUL bytes, as Exchange sometimes answers", async () => {
    const id = createIdentity(emu, { roleTemplateId: "none" });
    const res = await invoke(emu, id.tenantId, await tokenFor(id));
    expect(res.status).toBe(403);
    expect(res.body.length).toBeGreaterThan(0);
    expect([...res.body].every((b) => b === 0)).toBe(true);
  });

  test("no directory role with exchangeForbiddenBody 'json': a JSON error instead", async () => {
    const json = await startEmulator({ exchangeForbiddenBody: "json" });
    try {
      const id = createIdentity(json, { roleTemplateId: "none" });
      const token = (await secretToken(json, id)).json<{ access_token: string }>().access_token;
      const res = await invoke(json, id.tenantId, token);
      expect(res.status).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: "Forbidden" } });
    } finally {
      await json.close();
    }
  });

  test("only a role Exchange does not accept: 'isn't supported in this scenario' in error.details[0].message", async () => {
    const id = createIdentity(emu, { roleTemplateId: USER_ADMINISTRATOR });
    const res = await invoke(emu, id.tenantId, await tokenFor(id));
    expect(res.status).toBe(403);
    expect(detail(res)).toContain(`The role assigned to application ${id.clientId} isn't supported in this scenario`);
  });

  test("a role granted after the token was issued works once it propagates (Exchange reads roles at call time)", async () => {
    const id = createIdentity(emu, { roleTemplateId: "none" });
    const token = await tokenFor(id);
    const role = emu.directory.addDirectoryRoleAssignment(id.tenantId, { principalObjectId: id.servicePrincipalObjectId, roleTemplateId: EXCHANGE_ROLES[0]!.templateId, visibleAfterMs: 60_000 });
    expect((await invoke(emu, id.tenantId, token)).status).toBe(403);
    emu.directory.setVisibleAfter(id.tenantId, role.id, 100);
    await sleep(150);
    expect((await invoke(emu, id.tenantId, token)).status).toBe(200);
  });
});

describe("InvokeCommand 200", () => {
  test.each(EXCHANGE_ROLES.map((r) => [r.name, r.templateId]))("Get-AcceptedDomain with %s", async (_name, templateId) => {
    const id = createIdentity(emu, { roleTemplateId: templateId });
    const res = await invoke(emu, id.tenantId, await tokenFor(id));
    expect(res.status).toBe(200);
    const body = res.json<{ "@odata.context": string; value: Record<string, unknown>[] }>();
    expect(body["@odata.context"]).toContain(`/adminapi/beta/${id.tenantId}/$metadata`);
    expect(body.value).toEqual([expect.objectContaining({ DomainName: id.tenant.organization, Default: true })]);
  });

  test("an accepted role next to an unsupported one still works; the tenant may be named by its domain", async () => {
    const id = createIdentity(emu);
    emu.directory.addDirectoryRoleAssignment(id.tenantId, { principalObjectId: id.servicePrincipalObjectId, roleTemplateId: USER_ADMINISTRATOR });
    const token = await tokenFor(id);
    expect(decodeJwt(token).wids).toHaveLength(2);
    expect((await invoke(emu, id.tenant.organization, token)).status).toBe(200);
  });

  test("an unknown cmdlet is a 400, not a silent success", async () => {
    const id = createIdentity(emu);
    const res = await invoke(emu, id.tenantId, await tokenFor(id), "Remove-Everything");
    expect(res.status).toBe(400);
  });
});
