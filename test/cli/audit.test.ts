/**
 * `exo-app-only audit`'s bad input, end to end: the built CLI as a child process against the tenant emulator, stacks'
 * outputs through the fake fleet driver. Each gets exit 2 and one clear message, never a stack trace or a secret.
 */
import { randomUUID } from "node:crypto";
import { startEmulator, type TenantEmulator } from "../emulator";
import { createIdentity, type Identity } from "../emulator/scenario";
import { fakeFleet } from "../fleet/cliRun";
import { tempProject, type TempProject } from "../fleet/project";
import { expectNothingSecret, runCli, type CliResult } from "./run";

let emu: TenantEmulator;
let project: TempProject;
let auditor: Identity;
beforeAll(async () => {
  emu = await startEmulator();
  project = tempProject();
  auditor = createIdentity(emu, { roleTemplateId: "none", consent: false, displayName: "auditor" });
});
afterAll(async () => {
  await emu.close();
  project.cleanup();
});

/** The auditor's sign-in as a pipeline gives it: ARM_* variables, the secret never on the command line. */
function signIn(id: Identity = auditor): NodeJS.ProcessEnv {
  return { ARM_TENANT_ID: id.tenantId, ARM_CLIENT_ID: id.clientId, ARM_CLIENT_SECRET: id.clientSecret!, NODE_EXTRA_CA_CERTS: emu.caFile };
}

function audit(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runCli(["audit", "--authority-host", emu.url, "--graph-endpoint", emu.url, "--exchange-endpoint", emu.url, "--timeout", "20s", ...args], { cwd: project.dir, env: { ...signIn(), ...env } });
}

function expectUsage(r: CliResult, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expectNothingSecret(r, [auditor.clientSecret!]);
}

describe("bad input", () => {
  test("--fail-on with an unknown level: exit 2 naming the levels, nothing sent", async () => {
    emu.clearRequests();
    const r = await audit(["--tenant", auditor.tenantId, "--fail-on", "critical"]);
    expectUsage(r, /--fail-on <level>' argument 'critical' is invalid\. Allowed choices are high, medium, low/);
    expect(r.stdout).toBe("");
    expect(emu.requests).toHaveLength(0);
  });

  test("--fail-on unknown with --json: one error object on stdout", async () => {
    const r = await audit(["--tenant", auditor.tenantId, "--fail-on", "critical", "--json"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: "ERR_USAGE" } });
  });

  test("a tenant that does not exist: exit 2, the tenant named, AADSTS90002, no Graph request", async () => {
    const nowhere = randomUUID();
    emu.clearRequests();
    const r = await audit(["--tenant", nowhere]);
    expectUsage(r, new RegExp(`error: tenant ${nowhere} does not exist in Microsoft 365 public cloud \\(and GCC\\) \\(Entra answered AADSTS90002\\)`));
    expect(r.stderr).toMatch(/Check --tenant/);
    expect(emu.requests.filter((q) => q.path.startsWith("/v1.0/"))).toHaveLength(0);
  });

  test.each([
    ["not_a_domain!.com", /is not a domain name/],
    ["common", /multi-tenant alias/],
    ["https://login.microsoftonline.com/contoso", /is a URL, not a tenant/],
    ["contoso", /neither a GUID nor a domain name/],
  ])("--tenant %s that names no tenant: exit 2 before any sign-in or request", async (tenant, said) => {
    emu.clearRequests();
    const r = await audit(["--tenant", tenant]);
    expectUsage(r, said);
    expect(r.stderr).toMatch(/--tenant /);
    expect(emu.requests).toHaveLength(0);
  });

  test("an endpoint that is not https: exit 2 before any request", async () => {
    emu.clearRequests();
    const r = await audit(["--tenant", auditor.tenantId, "--graph-endpoint", "http://127.0.0.1:1"]);
    expectUsage(r, /--graph-endpoint http:\/\/127\.0\.0\.1:1 is not https/);
    expect(emu.requests).toHaveLength(0);
  });

  test("--expiry-warning that is not a number of days: exit 2", async () => {
    const r = await audit(["--tenant", auditor.tenantId, "--expiry-warning", "soon"]);
    expectUsage(r, /--expiry-warning "soon" is not a whole number of days/);
  });

  test("a secret pasted as an argument is refused by its shape and never echoed", async () => {
    const r = await audit(["--tenant", auditor.tenantId, auditor.clientSecret!]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/never taken on the command line/);
    expectNothingSecret(r, [auditor.clientSecret!]);
  });

  test("no tenant and no stack: exit 2 saying what to pass", async () => {
    const r = await audit([]);
    expectUsage(r, /no tenant to audit/);
    expect(r.stderr).toMatch(/--tenant TENANT/);
  });

  test("a stack file whose config names another tenant: exit 2 before any request", async () => {
    const other = randomUUID();
    const file = project.write("stacks/Pulumi.elsewhere.yaml", `config:\n  exchange-app-only:tenantId: ${other}\n`);
    const fake = fakeFleet(project.dir, { elsewhere: { outputs: { tenantId: other, clientId: randomUUID() } } }, {}, "elsewhere");
    emu.clearRequests();
    const r = await audit(["--tenant", auditor.tenantId, "--config-file", file], fake.env);
    expectUsage(r, new RegExp(`stack elsewhere \\(.*Pulumi\\.elsewhere\\.yaml\\) is for tenant ${other}, not the audited tenant ${auditor.tenantId}`));
    expect(emu.requests).toHaveLength(0);
    expect(fake.log().filter((l) => l.event === "start")).toHaveLength(0);
  });

  test("a stack whose outputs are another tenant's: exit 2 after sign-in, before Graph is read", async () => {
    project.write("Pulumi.fabrikam.yaml", "config: {}\n");
    const other = randomUUID();
    const fake = fakeFleet(project.dir, { fabrikam: { outputs: { tenantId: other, organization: "fabrikam.onmicrosoft.com", clientId: randomUUID() } } }, {}, "fabrikam");
    emu.clearRequests();
    const r = await audit(["--tenant", auditor.tenantId, "--stack", "fabrikam"], fake.env);
    expectUsage(r, new RegExp(`stack fabrikam manages tenant ${other}, not the audited tenant ${auditor.tenantId}`));
    expect(r.stderr).toMatch(/Give the stacks of the tenant you audit/);
    expect(emu.requests.filter((q) => q.path.startsWith("/v1.0/"))).toHaveLength(0);
  });

  test("--stack that does not exist in the project: exit 2 naming it", async () => {
    const r = await audit(["--tenant", auditor.tenantId, "--stack", "nosuch"]);
    expectUsage(r, /stack nosuch does not exist: no Pulumi\.nosuch\.yaml/);
  });
});

test("--help: every flag, the exit codes, the sign-in, the auditor's permissions and examples", async () => {
  const r = await runCli(["audit", "--help"]);
  expect(r.code).toBe(0);
  for (const flag of ["--tenant", "--environment", "--stack", "--config-file", "--json", "--markdown", "--fail-on", "--expiry-warning", "--authority-host", "--graph-endpoint", "--exchange-endpoint", "--timeout"]) {
    expect({ flag, shown: r.stdout.includes(flag) }).toEqual({ flag, shown: true });
  }
  expect(r.stdout).toMatch(/Exit codes:\n  0 .*\n  1 .*--fail-on\n  2 /);
  expect(r.stdout).toMatch(/Application\.Read\.All and RoleManagement\.Read\.Directory/);
  expect(r.stdout).toMatch(/ARM_CLIENT_ID \+ ARM_TENANT_ID with ARM_CLIENT_SECRET or ARM_USE_OIDC=true/);
  expect(r.stdout).toContain("$ exo-app-only audit --stack contoso --markdown audit.md --fail-on medium");
});

test("the cloud comes from the stack that deployed the tenant when --environment does not say", async () => {
  project.write("Pulumi.gov.yaml", "config: {}\n");
  const fake = fakeFleet(project.dir, { gov: { outputs: { tenantId: auditor.tenantId, environment: "usgovernment", clientId: randomUUID() } } }, {}, "gov");
  const r = await audit(["--tenant", auditor.tenantId, "--stack", "gov"], fake.env);
  expect(r.stderr).toContain(`Auditing Exchange app-only access in tenant ${auditor.tenantId} (usgovernment) against 1 stack(s): gov`);
  const given = await audit(["--tenant", auditor.tenantId, "--stack", "gov", "--environment", "public"], fake.env);
  expect(given.stderr).toContain(`Auditing Exchange app-only access in tenant ${auditor.tenantId} (public) against 1 stack(s): gov`);
});
