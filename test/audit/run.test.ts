/**
 * One tenant's audit in process, with a fake sign-in and a fake reader: who read it comes from the Graph token,
 * stacks are matched by every name the tenant has, a Graph refusal names the permissions, and what is judged is
 * the reading as read.
 */
import type { AccessToken, TokenCredential } from "@azure/identity";
import { randomUUID } from "node:crypto";
import { AuditError, managedIn, stackTenants } from "../../src/audit/managed";
import type { AuditReading, Holder } from "../../src/audit/model";
import { GraphError } from "../../src/audit/readGraph";
import { auditTenant, type AuditOptions, type TenantReader } from "../../src/audit/run";
import { MANAGE_AS_APP_ROLE } from "../../src/facts";

const TENANT = "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7";
const AUDITOR = "0b7e2f1a-1111-4c2d-9e3f-aaaaaaaaaaaa";

/** An unsigned JWT: the audit reads its claims, it never verifies them (Graph does). */
function jwt(claims: Record<string, unknown>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part(claims)}.sig`;
}

function credential(claims: Record<string, unknown> = { tid: TENANT, appid: AUDITOR, roles: ["Application.Read.All", "RoleManagement.Read.Directory"] }): TokenCredential & { scopes: string[] } {
  const scopes: string[] = [];
  return {
    scopes,
    async getToken(scope: string | string[]): Promise<AccessToken> {
      scopes.push(String(scope));
      return { token: jwt(claims), expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

function holder(name: string, o: Partial<Holder> = {}): Holder {
  return {
    servicePrincipalObjectId: randomUUID(),
    appId: randomUUID(),
    displayName: name,
    servicePrincipalType: "Application",
    appOwnerOrganizationId: TENANT,
    grants: [{ resource: "exchange", appRoleId: MANAGE_AS_APP_ROLE.id, value: "Exchange.ManageAsApp", assignmentId: randomUUID(), resourceObjectId: randomUUID() }],
    directoryRoles: [],
    ...o,
  };
}

const options = (o: Partial<AuditOptions> = {}): AuditOptions => ({ tenant: "contoso.onmicrosoft.com", environment: "public", env: {}, expiryWarningDays: 30, deadline: Date.now() + 10_000, ...o });

function reader(holders: Holder[], seen: { tenantId?: string } = {}): TenantReader {
  return async ({ tenantId, environment }) => {
    seen.tenantId = tenantId;
    return { tenantId, environment, readAt: "2026-12-06T00:00:00.000Z", holders, unread: [] } satisfies AuditReading;
  };
}

test("the token is asked for the cloud's real Graph wherever requests go; the tenant's GUID and the auditor come from the Graph token", async () => {
  const c = credential();
  const seen: { tenantId?: string } = {};
  const result = await auditTenant(options({ environment: "usgovernment", graphEndpoint: "https://127.0.0.1:9" }), { credential: c, read: reader([], seen) });
  expect(c.scopes).toEqual(["https://graph.microsoft.us/.default"]);
  expect(seen.tenantId).toBe(TENANT);
  expect(result.auditor).toEqual({ clientId: AUDITOR, roles: ["Application.Read.All", "RoleManagement.Read.Directory"] });
});

test("the stacks are matched by the name given and the GUID the sign-in says; managed and unmanaged judged", async () => {
  const ours = holder("ours");
  const theirs = holder("theirs");
  const outputs = { tenantId: TENANT, organization: "contoso.onmicrosoft.com", clientId: ours.appId, servicePrincipalObjectId: ours.servicePrincipalObjectId };
  const names: string[][] = [];
  const result = await auditTenant(
    options({ managed: (n) => (names.push([...n]), managedIn("contoso", outputs, n)) }),
    { credential: credential(), read: reader([ours, theirs]) },
  );
  expect(names).toEqual([["contoso.onmicrosoft.com", TENANT]]);
  expect(result.judgement.managedBy).toEqual({ [ours.servicePrincipalObjectId]: "contoso" });
  expect(result.judgement.findings.filter((f) => f.rule === "unmanaged").map((f) => f.principal.displayName)).toEqual(["theirs"]);
});

test("a tenant given by its initial domain fills the organization Graph did not say (the adopt block needs it); a GUID does not", async () => {
  const byDomain = await auditTenant(options(), { credential: credential(), read: reader([]) });
  expect(byDomain.reading.organization).toBe("contoso.onmicrosoft.com");
  const byGuid = await auditTenant(options({ tenant: TENANT }), { credential: credential(), read: reader([]) });
  expect(byGuid.reading.organization).toBeUndefined();
  const custom = await auditTenant(options({ tenant: "contoso.com" }), { credential: credential(), read: reader([]) });
  expect(custom.reading.organization).toBeUndefined();
});

test("no Exchange token is a refusal the Exchange reader reports as not read, not a failure of the audit", async () => {
  const graphOnly: TokenCredential = {
    async getToken(scope: string | string[]): Promise<AccessToken> {
      if (String(scope).startsWith("https://outlook.office365.com")) throw new Error("AADSTS500011: The resource principal named https://outlook.office365.com was not found in the tenant");
      return { token: jwt({ tid: TENANT, appid: AUDITOR, roles: [] }), expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  let answer: { status: number; errorText?: string } | undefined;
  await auditTenant(options({ exchangeEndpoint: "https://127.0.0.1:9" }), {
    credential: graphOnly,
    read: async (sources) => {
      answer = await sources.exchange!.run("Get-ServicePrincipal");
      return { tenantId: sources.tenantId, environment: sources.environment, readAt: "2026-12-06T00:00:00.000Z", holders: [], unread: [] };
    },
  });
  expect(answer).toMatchObject({ status: 401, errorText: expect.stringMatching(/^cannot sign in to tenant contoso\.onmicrosoft\.com for Exchange \(https:\/\/outlook\.office365\.com\) as .*AADSTS500011/) });
});

test("a Graph 403 is a clear failure naming Application.Read.All and RoleManagement.Read.Directory", async () => {
  const read: TenantReader = async () => {
    throw new GraphError(403, "Authorization_RequestDenied", "Graph answered 403 (Authorization_RequestDenied) for servicePrincipals(appId='00000002-0000-0ff1-ce00-000000000000')");
  };
  const error = await auditTenant(options(), { credential: credential({ tid: TENANT, appid: AUDITOR }), read }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AuditError);
  expect((error as AuditError).code).toBe("ERR_GRAPH_PERMISSION");
  expect((error as AuditError).message).toBe(
    `the auditor ${AUDITOR} may not read tenant contoso.onmicrosoft.com through Microsoft Graph (HTTP 403 Authorization_RequestDenied); its token carries no application permission`,
  );
  expect((error as AuditError).remedy).toMatch(/Application\.Read\.All and RoleManagement\.Read\.Directory/);
});

test("another Graph failure is said with Graph's words, not as a permission", async () => {
  const read: TenantReader = async () => {
    throw new GraphError(500, "InternalServerError", "Graph answered 500 (InternalServerError) for servicePrincipals: boom");
  };
  const error = (await auditTenant(options(), { credential: credential(), read }).catch((e: unknown) => e)) as AuditError;
  expect(error.code).toBe("ERR_GRAPH");
  expect(error.message).toMatch(/Graph answered 500/);
});

test("a stack of another tenant stops the audit before the tenant is read", async () => {
  let read = false;
  const error = (await auditTenant(options({ managed: (n) => managedIn("fabrikam", { tenantId: randomUUID(), clientId: randomUUID() }, n) }), {
    credential: credential(),
    read: async () => {
      read = true;
      throw new Error("not reached");
    },
  }).catch((e: unknown) => e)) as AuditError;
  expect(error.code).toBe("ERR_STACK");
  expect(read).toBe(false);
});

describe("the stack-output contract", () => {
  test("a one-tenant stack: its clientId and servicePrincipalObjectId", () => {
    expect(managedIn("dev", { tenantId: TENANT, clientId: "c", servicePrincipalObjectId: "s", clientSecret: "x" }, [TENANT])).toEqual([{ stack: "dev", clientId: "c", servicePrincipalObjectId: "s" }]);
  });

  test("a managed identity's principalId and clientId", () => {
    expect(managedIn("mi", { tenantId: TENANT, managedIdentity: { kind: "userAssigned", principalId: "p", clientId: "c" } }, [TENANT])).toEqual([{ stack: "mi", clientId: "c", servicePrincipalObjectId: "p" }]);
  });

  test("a stack of many tenants: only the audited tenant's, named by its key; matched by initial domain too, any case", () => {
    const outputs = {
      tenants: {
        contoso: { tenantId: "contoso.com", organization: "Contoso.onmicrosoft.com", clientId: "c1", servicePrincipalObjectId: "s1" },
        fabrikam: { tenantId: randomUUID(), clientId: "c2", servicePrincipalObjectId: "s2" },
      },
    };
    expect(managedIn("msp", outputs, ["contoso.onmicrosoft.com", TENANT])).toEqual([{ stack: "msp (contoso)", clientId: "c1", servicePrincipalObjectId: "s1" }]);
    expect(stackTenants("msp", outputs).map((t) => t.key)).toEqual(["contoso", "fabrikam"]);
  });

  test("a stack whose outputs name no tenant: refused with the fix (run pulumi up)", () => {
    expect(() => managedIn("empty", {}, [TENANT])).toThrow(/stack empty manages tenant \(none\), not the audited tenant/);
    try {
      managedIn("empty", {}, [TENANT]);
    } catch (e) {
      expect((e as AuditError).remedy).toMatch(/pulumi up/);
    }
  });
});
