/**
 * `exo-app-only verify --managed-identity` through the Instance Metadata Service (the source msal-node picks on a VM
 * or an Automation hybrid worker), end to end: the built CLI as a child process, the emulator's IMDS listener
 * standing in for 169.254.169.254 (AZURE_POD_IDENTITY_AUTHORITY_HOST), tokens derived from the directory.
 */
import { MANAGE_AS_APP_ROLE } from "../../src/facts";
import { MANAGED_IDENTITY_CACHE_NOTE } from "../../src/check/run";
import { startEmulator, type TenantEmulator } from "../emulator";
import { EXCHANGE_ADMINISTRATOR } from "../emulator/scenario";
import { expectNothingSecret, runCli, type CliResult } from "./run";

let emu: TenantEmulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

function json(result: CliResult): Record<string, any> {
  const lines = result.stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!);
}

/** A tenant with one managed identity of the given kind, granted consent and (unless "none") a directory role. */
function tenantWithIdentity(kind: "system" | "user", o: { consent?: boolean; role?: boolean } = {}) {
  const tenant = emu.directory.addTenant();
  const mi = emu.directory.addManagedIdentity(tenant.tenantId, { kind, displayName: `runbooks-${kind}` });
  if (o.consent !== false) {
    emu.directory.addAppRoleAssignment(tenant.tenantId, { principalObjectId: mi.objectId, resourceObjectId: tenant.exchangeServicePrincipalObjectId!, appRoleId: MANAGE_AS_APP_ROLE.id });
  }
  if (o.role !== false) emu.directory.addDirectoryRoleAssignment(tenant.tenantId, { principalObjectId: mi.objectId, roleTemplateId: EXCHANGE_ADMINISTRATOR });
  return { tenantId: tenant.tenantId, organization: tenant.organization, mi };
}

function verifyImds(tenantId: string, clientId: string | undefined, extra: string[] = []): Promise<CliResult> {
  return runCli(["verify", "--tenant-id", tenantId, "--managed-identity", ...(clientId ? [clientId] : []), "--exchange-endpoint", emu.url, "--json", ...extra], {
    // Only the IMDS variable: with IDENTITY_ENDPOINT set, msal would pick App Service first.
    env: { NODE_EXTRA_CA_CERTS: emu.caFile, ...emu.imdsEnvironment(tenantId) },
  });
}

const imdsRequests = (tenantId: string) => emu.requests.filter((r) => r.tenantId === tenantId && /\/metadata\/identity\/oauth2\/token\/?$/.test(r.path));

test.each([
  ["system-assigned", "system"],
  ["user-assigned (its client id given)", "user"],
] as const)("%s identity through IMDS: every check passes", async (_name, kind) => {
  const t = tenantWithIdentity(kind);
  const r = await verifyImds(t.tenantId, kind === "user" ? t.mi.clientId : undefined);
  expect(r.stderr).toContain(kind === "user" ? `user-assigned managed identity ${t.mi.clientId}` : "system-assigned managed identity");
  expect(r.code).toBe(0);
  const out = json(r);
  expect(out).toMatchObject({ ok: true, credential: "managed-identity", tenantId: t.tenantId, clientId: kind === "user" ? t.mi.clientId : "" });
  expect(out.checks.map((c: any) => [c.id, c.level])).toEqual(
    ["token.acquired", "token.audience", "token.app-only", "token.role", "token.tenant", "token.client", "token.lifetime", "exchange.invoke"].map((id) => [id, "ok"]),
  );
  expect(out.checks[0].detail).toContain("the managed identity endpoint");
  // The token came from IMDS (GET, plain http on loopback), once, and nothing else was asked of Entra ID.
  expect(imdsRequests(t.tenantId).map((x) => [x.method, x.status])).toEqual([["GET", 200]]);
  expect(emu.requests.filter((x) => x.tenantId === t.tenantId && x.kind === "metadata")).toHaveLength(0);
  expectNothingSecret(r);
});

test("consent but no directory role: exit 1, exchange.invoke says 403 / no directory role, and the remedy notes the 24 h token cache", async () => {
  const t = tenantWithIdentity("user", { role: false });
  const r = await verifyImds(t.tenantId, t.mi.clientId, ["--timeout", "2s"]);
  expect(r.code).toBe(1);
  const out = json(r);
  expect(out.ok).toBe(false);
  const invoke = out.checks.find((c: any) => c.id === "exchange.invoke");
  expect(invoke).toMatchObject({ ok: false, level: "fail" });
  expect(invoke.detail).toMatch(/answered 403 Forbidden.*no directory role Exchange accepts/);
  expect(invoke.remedy).toMatch(/^Assign the service principal a directory role such as Exchange Administrator/);
  expect(invoke.remedy).toContain(MANAGED_IDENTITY_CACHE_NOTE);
  expect(out.checks.find((c: any) => c.id === "token.role")).toMatchObject({ ok: true });
  expectNothingSecret(r);
});

test("no consent: token.role fails with the consent fix and the token-cache note; text output shows it too", async () => {
  const t = tenantWithIdentity("system", { consent: false });
  const r = await runCli(["verify", "--tenant-id", t.tenantId, "--managed-identity", "--exchange-endpoint", emu.url, "--timeout", "2s"], {
    env: { NODE_EXTRA_CA_CERTS: emu.caFile, ...emu.imdsEnvironment(t.tenantId) },
  });
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/token\.role/);
  expect(r.stdout).toContain("admin consent");
  expect(r.stdout).toContain("cached by its platform (IMDS, App Service) for up to 24 hours");
});

test("no identity on the machine for that client id: IMDS's 400 'Identity not found' is the diagnosis, at once", async () => {
  const t = tenantWithIdentity("system");
  const other = "6f1c2a3b-4d5e-4f60-8a7b-0000000000aa";
  const r = await verifyImds(t.tenantId, other, ["--timeout", "5s"]);
  expect(r.code).toBe(1);
  const out = json(r);
  expect(out.checks[0]).toMatchObject({ id: "token.acquired", ok: false });
  expect(out.checks[0].detail).toMatch(/managed identity endpoint refused.*Identity not found/);
  expect(out.checks[0].remedy).not.toContain(MANAGED_IDENTITY_CACHE_NOTE);
});
