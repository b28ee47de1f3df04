/**
 * The deploying identity's sign-in for the Exchange RBAC resources: which credential the ARM_* environment selects
 * (the azuread provider's order), and tokens for the tenant's Exchange actually obtained from the emulator with a
 * client secret and with a federated token file (ARM_USE_OIDC), never echoing a secret.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { startEmulator, type TenantEmulator } from "../emulator";
import { createIdentity, EXCHANGE_ADMINISTRATOR } from "../emulator/scenario";
import { authorityHostFor, deployerCredential, deployerSignIn, exchangeToken, ExchangeRbacError } from "../../src/exchangeRbac";

test.each([
  [{ ARM_CLIENT_ID: "c", ARM_CLIENT_SECRET: "s", ARM_USE_OIDC: "true" }, { kind: "clientSecret", clientId: "c" }],
  [{ ARM_CLIENT_ID: "c", ARM_USE_OIDC: "true", ARM_OIDC_TOKEN: "t" }, { kind: "oidc", clientId: "c", source: "ARM_OIDC_TOKEN" }],
  [{ ARM_CLIENT_ID: "c", ARM_USE_OIDC: "true", ARM_OIDC_TOKEN_FILE_PATH: "/f" }, { kind: "oidc", clientId: "c", source: "ARM_OIDC_TOKEN_FILE_PATH" }],
  [{ ARM_CLIENT_ID: "c", ARM_USE_OIDC: "1", AZURE_FEDERATED_TOKEN_FILE: "/f" }, { kind: "oidc", clientId: "c", source: "AZURE_FEDERATED_TOKEN_FILE" }],
  [{ ARM_CLIENT_ID: "c", ARM_USE_OIDC: "true" }, { kind: "oidc", clientId: "c", source: "github-actions" }],
  [{ ARM_USE_MSI: "true", ARM_CLIENT_ID: "c" }, { kind: "managedIdentity", clientId: "c" }],
  [{ ARM_USE_MSI: "true" }, { kind: "managedIdentity" }],
  [{ ARM_USE_OIDC: "true" }, { kind: "default" }],
  [{ ARM_CLIENT_SECRET: "s" }, { kind: "default" }],
  [{}, { kind: "default" }],
])("%j signs in as %j", (env, expected) => {
  expect(deployerSignIn(env)).toEqual(expected);
});

test("the login host is the cloud's unless AZURE_AUTHORITY_HOST says otherwise", () => {
  expect(authorityHostFor("public", {})).toBe("https://login.microsoftonline.com");
  expect(authorityHostFor("dod", {})).toBe("https://login.microsoftonline.us");
  expect(authorityHostFor("china", {})).toBe("https://login.partner.microsoftonline.cn");
  expect(authorityHostFor("public", { AZURE_AUTHORITY_HOST: "https://127.0.0.1:8443" })).toBe("https://127.0.0.1:8443");
});

describe("against the emulator", () => {
  let emu: TenantEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  test("a client secret (ARM_CLIENT_SECRET): a token for the tenant's Exchange, in the stack's tenant", async () => {
    const id = createIdentity(emu, { roleTemplateId: EXCHANGE_ADMINISTRATOR });
    const target = { tenantId: id.tenantId, environment: "public" as const, env: { ARM_CLIENT_ID: id.clientId, ARM_CLIENT_SECRET: id.clientSecret!, ARM_TENANT_ID: "00000000-0000-4000-8000-000000000000", AZURE_AUTHORITY_HOST: emu.url }, ca: emu.caPem };
    const token = decodeJwt(await exchangeToken(target, await deployerCredential(target)));
    expect(token).toMatchObject({ aud: "https://outlook.office365.com", tid: id.tenantId, appid: id.clientId });
  });

  test("OIDC (ARM_USE_OIDC with a token file): a federated sign-in, no secret at all", async () => {
    const id = createIdentity(emu, { roleTemplateId: EXCHANGE_ADMINISTRATOR, secret: false });
    const issuer = "https://token.actions.githubusercontent.com";
    const subject = "repo:contoso/exchange:environment:production";
    emu.directory.addFederatedCredential(id.tenantId, id.applicationObjectId, { name: "deploy", issuer, subject, audiences: ["api://AzureADTokenExchange"] });
    const file = join(mkdtempSync(join(tmpdir(), "exo-oidc-")), "token");
    writeFileSync(file, await emu.mintFederatedToken({ issuer, subject, audience: "api://AzureADTokenExchange" }));
    const target = { tenantId: id.tenantId, environment: "public" as const, env: { ARM_USE_OIDC: "true", ARM_CLIENT_ID: id.clientId, ARM_OIDC_TOKEN_FILE_PATH: file, AZURE_AUTHORITY_HOST: emu.url }, ca: emu.caPem };
    const token = decodeJwt(await exchangeToken(target, await deployerCredential(target)));
    expect(token).toMatchObject({ tid: id.tenantId, appid: id.clientId, appidacr: "2" });
  });

  test("a refused sign-in is ERR_SIGN_IN with Entra's code and the fix, not the secret", async () => {
    const id = createIdentity(emu);
    const target = { tenantId: id.tenantId, environment: "public" as const, env: { ARM_CLIENT_ID: id.clientId, ARM_CLIENT_SECRET: "wrong-secret-value-1234", AZURE_AUTHORITY_HOST: emu.url }, ca: emu.caPem };
    const error = (await exchangeToken(target, await deployerCredential(target)).catch((e: unknown) => e)) as ExchangeRbacError;
    expect(error).toBeInstanceOf(ExchangeRbacError);
    expect(error.code).toBe("ERR_SIGN_IN");
    expect(error.message).toMatch(new RegExp(`^cannot sign in to tenant ${id.tenantId} for Exchange \\(https://outlook.office365.com\\) as the service principal ${id.clientId} with ARM_CLIENT_SECRET: .*AADSTS7000215`));
    expect(error.remedy).toMatch(/Exchange Administrator/);
    expect(`${error.message}${error.remedy}`).not.toContain("wrong-secret-value-1234");
  });
});
