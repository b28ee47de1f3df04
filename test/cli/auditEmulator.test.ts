/**
 * `exo-app-only audit` and `fleet audit` end to end: the built CLI as a child process against the emulated populated
 * tenant (Graph, Exchange's RBAC), the auditor signed in from ARM_* variables, stacks' outputs through the fake fleet
 * driver. Managed vs unmanaged by a stack's outputs; the adopt block it prints, fed to `plan`, imports the app with
 * no replacement; --json, --markdown, --fail-on; an auditor without Graph permissions; the docs' worked example;
 * three tenants through `fleet audit`.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { MANAGE_AS_APP_ROLE } from "../../src/facts";
import { TYPE } from "../../src/facts/typeTokens";
import { startEmulator, type TenantEmulator } from "../emulator";
import { AUDITOR_GRAPH_PERMISSIONS, populateTenant, ROLE, type Auditor, type PopulatedTenant } from "../emulator/populated";
import { createIdentity } from "../emulator/scenario";
import { fakeFleet } from "../fleet/cliRun";
import { tempProject, type TempProject } from "../fleet/project";
import { readDoc, ROOT } from "../support/docs";
import { expectNothingSecret, expectNoRawControls, runCli, type CliResult } from "./run";

let emu: TenantEmulator;
let project: TempProject;
let t: PopulatedTenant;
let dir: string;
beforeAll(async () => {
  emu = await startEmulator({ graphPageSize: 10 });
  project = tempProject(["contoso"]);
  t = populateTenant(emu, { fillers: 6, bystanders: 20 });
  project.write("Pulumi.contoso.yaml", `config:\n  exchange-app-only:tenantId: ${t.tenantId}\n`);
  dir = mkdtempSync(path.join(os.tmpdir(), "exo-audit-"));
});
afterAll(async () => {
  await emu.close();
  project.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const signIn = (a: Pick<Auditor, "tenantId" | "clientId" | "clientSecret">): NodeJS.ProcessEnv => ({ ARM_TENANT_ID: a.tenantId, ARM_CLIENT_ID: a.clientId, ARM_CLIENT_SECRET: a.clientSecret, NODE_EXTRA_CA_CERTS: emu.caFile });
const ENDPOINTS = (): string[] => ["--authority-host", emu.url, "--graph-endpoint", emu.url, "--exchange-endpoint", emu.url];

function audit(args: readonly string[], env: NodeJS.ProcessEnv = {}, auditor: Auditor = t.auditor, cwd = project.dir): Promise<CliResult> {
  return runCli(["audit", ...ENDPOINTS(), "--timeout", "60s", ...args], { cwd, env: { ...signIn(auditor), ...env }, timeoutMs: 90_000 });
}

/** The contoso stack's outputs: it manages the Exchange Administrator holder. */
function contosoStack(): { env: NodeJS.ProcessEnv } {
  const managed = t.holders.exchangeAdministrator;
  return fakeFleet(project.dir, { contoso: { outputs: { tenantId: t.tenantId, organization: t.tenant.organization, environment: "public", clientId: managed.clientId, servicePrincipalObjectId: managed.servicePrincipalObjectId } } }, {}, "contoso");
}

function onlyJson(r: CliResult): Record<string, any> {
  const lines = r.stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!);
}

describe("audit with a stack's outputs", () => {
  let r: CliResult;
  let out: Record<string, any>;
  beforeAll(async () => {
    r = await audit(["--stack", "contoso", "--json"], contosoStack().env);
    out = r.code === 0 ? onlyJson(r) : {};
  });

  test("exit 0; the tenant comes from the stack's outputs; the auditor is who its token says", () => {
    expect({ code: r.code, stderr: r.code === 0 ? "" : r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(out).toMatchObject({ tenantId: t.tenantId, environment: "public", auditor: { clientId: t.auditor.clientId } });
    expect([...out.auditor.roles].sort()).toEqual([...AUDITOR_GRAPH_PERMISSIONS].sort());
    expect(r.stderr).toContain(`Auditing Exchange app-only access in tenant ${t.tenantId} (public) against 1 stack(s): contoso`);
    expectNothingSecret(r, [t.auditor.clientSecret]);
    expectNoRawControls(r);
  });

  test("managed: the holder the stack's outputs name; every other holder of this tenant's own is unmanaged", () => {
    const managed = t.holders.exchangeAdministrator.servicePrincipalObjectId;
    const holder = out.holders.find((h: any) => h.servicePrincipalObjectId === managed);
    expect(holder.managedBy).toBe("contoso");
    const unmanaged = out.findings.filter((f: any) => f.rule === "unmanaged").map((f: any) => f.principal.servicePrincipalObjectId);
    expect(unmanaged).not.toContain(managed);
    for (const kind of ["noRole", "globalAdministrator", "fullAccessUnscoped", "foreignWriter", "managedIdentity"] as const) {
      expect({ kind, unmanaged: unmanaged.includes(t.holders[kind].servicePrincipalObjectId) }).toEqual({ kind, unmanaged: true });
    }
    expect(out.holders.filter((h: any) => h.managedBy).map((h: any) => h.servicePrincipalObjectId)).toEqual([managed]);
  });

  test("findings as the judge makes them, read over Graph and Exchange: Global Administrator high, no role high, Exchange's RBAC read", () => {
    const rulesOf = (kind: keyof PopulatedTenant["holders"]) => out.findings.filter((f: any) => f.principal.servicePrincipalObjectId === t.holders[kind].servicePrincipalObjectId).map((f: any) => `${f.severity} ${f.rule}`);
    expect(rulesOf("globalAdministrator")).toContain("high privilege.global-administrator");
    expect(rulesOf("noRole")).toContain("high wiring.no-role");
    expect(rulesOf("rbacOnly")).not.toContain("high wiring.no-role");
    expect(out.unread.map((u: any) => u.part)).not.toContain("exchangeRbac");
    expect(r.stderr).toMatch(/^SEVERITY\s+RULE\s+PRINCIPAL\s+APP ID\s+EVIDENCE$/m);
    expect(r.stderr).toMatch(/findings: [1-9]\d* high, \d+ medium, \d+ low/);
  });

  test("adopt blocks for the unmanaged holders wired as a stack wires them; none for the managed one, another tenant's app or a managed identity", () => {
    const adopt = out.adopt as Record<string, string>;
    for (const filler of t.fillers) expect(Object.keys(adopt)).toContain(filler.servicePrincipalObjectId);
    for (const kind of ["exchangeAdministrator", "foreignWriter", "managedIdentity", "noRole", "globalAdministrator"] as const) {
      expect({ kind, adopted: t.holders[kind].servicePrincipalObjectId in adopt }).toEqual({ kind, adopted: false });
    }
    const block = YAML.parse(adopt[t.fillers[0]!.servicePrincipalObjectId]!).config;
    expect(block["exchange-app-only:adopt"]).toMatchObject({ clientId: t.fillers[0]!.clientId, applicationObjectId: t.fillers[0]!.applicationObjectId, servicePrincipalObjectId: t.fillers[0]!.servicePrincipalObjectId, exchangeServicePrincipalObjectId: t.tenant.exchangeServicePrincipalObjectId });
    expect(block).toMatchObject({ "exchange-app-only:tenantId": t.tenantId, "exchange-app-only:role": "Exchange Recipient Administrator", "exchange-app-only:protect": true });
  });
});

describe("the adopt block it prints, fed to plan", () => {
  test("without --json the blocks are on stdout; plan imports the app, its principal, consent and role, and replaces nothing", async () => {
    const r = await audit(["--tenant", t.tenantId, "--stack", "contoso"], contosoStack().env);
    expect(r.code).toBe(0);
    const filler = t.fillers[1]!;
    // Each block follows its comment line; take the filler's.
    const blocks = r.stdout.split(/^# /m).filter(Boolean);
    const mine = blocks.find((b) => b.includes(`(${filler.clientId})`))!;
    expect(mine).toMatch(/^filler 01 \(.*\): to bring it under a stack, put this in Pulumi\.<stack>\.yaml/);
    const file = path.join(dir, "Pulumi.adopted.yaml");
    writeFileSync(file, mine.slice(mine.indexOf("\n") + 1));

    const plan = await runCli(["plan", "--config-file", file, "--json"], { cwd: ROOT, timeoutMs: 90_000 });
    expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: "" });
    const resources = JSON.parse(plan.stdout).resources as { type: string; importId?: string; inputs: Record<string, any> }[];
    const one = (type: string) => {
      const found = resources.filter((x) => x.type === type);
      expect({ type, count: found.length }).toEqual({ type, count: 1 });
      return found[0]!;
    };
    expect(one(TYPE.application).importId).toBe(`/applications/${filler.applicationObjectId}`);
    expect(one(TYPE.application).inputs.displayName).toBe("filler 01");
    expect(one(TYPE.servicePrincipal).importId).toBe(`/servicePrincipals/${filler.servicePrincipalObjectId}`);
    expect(one(TYPE.appRoleAssignment).importId).toMatch(new RegExp(`^/servicePrincipals/${t.tenant.exchangeServicePrincipalObjectId}/appRoleAssignedTo/`));
    expect(one(TYPE.appRoleAssignment).inputs.appRoleId).toBe(MANAGE_AS_APP_ROLE.id);
    // The role as it is: the import matches, so nothing is replaced.
    expect(one(TYPE.directoryRoleAssignment).importId).toBeDefined();
    expect(one(TYPE.directoryRoleAssignment).inputs.roleId).toBe(ROLE.recipientAdministrator);
    // Imported with the inputs it has in the tenant (its name, its role): the import matches, nothing is created.
    expect(one(TYPE.application).inputs.displayName).toBe(emu.directory.getServicePrincipal(t.tenantId, filler.servicePrincipalObjectId)!.displayName);
    for (const type of [TYPE.application, TYPE.servicePrincipal, TYPE.appRoleAssignment, TYPE.directoryRoleAssignment]) expect(one(type).importId).toBeTruthy();
  });
});

describe("--fail-on and --markdown", () => {
  test("--fail-on high exits 1 on a tenant with a high finding", async () => {
    const r = await audit(["--tenant", t.tenantId, "--fail-on", "high"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/HIGH\s+privilege\.global-administrator/);
  });

  test("--fail-on high exits 0 on a tenant whose worst is medium; --fail-on medium exits 1 there", async () => {
    const clean = populateClean();
    const high = await audit(["--tenant", clean.tenantId, "--fail-on", "high", "--json"], {}, clean.auditor);
    expect(high.code).toBe(0);
    expect(onlyJson(high).findings.map((f: any) => `${f.severity} ${f.rule} ${f.principal.displayName}`)).toEqual(["medium credential.expiring clean app"]);
    const medium = await audit(["--tenant", clean.tenantId, "--fail-on", "medium"], {}, clean.auditor);
    expect(medium.code).toBe(1);
  });

  test("--markdown FILE: the tenant, the time, who read it, every holder, the findings", async () => {
    const file = path.join(dir, "audit.md");
    const r = await audit(["--tenant", t.tenantId, "--markdown", file]);
    expect(r.code).toBe(0);
    const md = readFileSync(file, "utf8");
    expect(md).toContain(`# Exchange app-only access in tenant ${t.tenantId}`);
    expect(md).toMatch(/- Read at: \d{4}-\d\d-\d\dT/);
    expect(md).toContain(`- Read by: client \`${t.auditor.clientId}\` with `);
    expect(md).toContain("### globalAdministrator");
    expect(md).toMatch(/\| high \| `privilege\.global-administrator` \| globalAdministrator/);
    expect(md).not.toContain(t.auditor.clientSecret);
    expect(r.stderr).toContain(`evidence report written to ${file}`);
  });
});

/** A tenant with one well-wired app whose certificate ends within a day (medium) and its auditor: nothing high. */
function populateClean(): { tenantId: string; auditor: Auditor } {
  const d = emu.directory;
  const wired = createIdentity(emu, { roleTemplateId: ROLE.recipientAdministrator, secret: false, certificate: true, displayName: "clean app" });
  const graph = d.getServicePrincipal(wired.tenantId, wired.tenant.graphServicePrincipalObjectId)!;
  const auditorApp = createIdentity(emu, { tenantId: wired.tenantId, roleTemplateId: ROLE.globalReader, displayName: "clean auditor" });
  for (const value of AUDITOR_GRAPH_PERMISSIONS) {
    d.addAppRoleAssignment(wired.tenantId, { principalObjectId: auditorApp.servicePrincipalObjectId, resourceObjectId: graph.objectId, appRoleId: graph.appRoles.find((x) => x.value === value)!.id });
  }
  return { tenantId: wired.tenantId, auditor: { tenantId: wired.tenantId, clientId: auditorApp.clientId, clientSecret: auditorApp.clientSecret!, servicePrincipalObjectId: auditorApp.servicePrincipalObjectId } };
}

describe("an auditor without Graph permissions", () => {
  test("exit 2, naming the auditor and Application.Read.All and RoleManagement.Read.Directory; nothing on stdout", async () => {
    const bare = createIdentity(emu, { tenantId: t.tenantId, roleTemplateId: "none", consent: false, displayName: "bare auditor" });
    const r = await audit(["--tenant", t.tenantId], {}, { tenantId: t.tenantId, clientId: bare.clientId, clientSecret: bare.clientSecret!, servicePrincipalObjectId: bare.servicePrincipalObjectId });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`error: the auditor ${bare.clientId} may not read tenant ${t.tenantId} through Microsoft Graph (HTTP 403 Authorization_RequestDenied); its token carries no application permission`);
    expect(r.stderr).toMatch(/Grant the auditor Microsoft Graph's Application\.Read\.All and RoleManagement\.Read\.Directory application permissions/);
    expect(r.stdout).toBe("");
    expectNothingSecret(r, [bare.clientSecret!]);
  });
});

test("the docs' worked example against a test tenant runs as written (the emulator's address and tenant put in)", async () => {
  const text = readDoc("docs/audit.md");
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(text.indexOf("## A worked example")))![1]!;
  const line = block.replace(/\\\n\s*/g, "").split("\n").find((l) => l.includes("--graph-endpoint"))!;
  const args = line.trim().split(/\s+/).slice(1).map((a) => (a === "<tenant>" ? t.tenantId : a.replace("https://127.0.0.1:8443", emu.url)));
  expect(args[0]).toBe("audit");
  const r = await runCli(args, { cwd: project.dir, env: signIn(t.auditor), timeoutMs: 90_000 });
  expect({ code: r.code, stderr: r.code === 0 ? "" : r.stderr }).toEqual({ code: 0, stderr: "" });
  expect(r.stderr).toMatch(/findings: \d+ high/);
});

describe("fleet audit over three emulated tenants", () => {
  test("each tenant audited against its stack, --fail-on high fails the stacks, --markdown-dir one report a tenant, --json the counts", async () => {
    const tenants = [0, 1, 2].map(() => populateTenant(emu, { fillers: 2, bystanders: 5 }));
    const auditor = multiTenantAuditor(tenants);
    const names = ["tenant-a", "tenant-b", "tenant-c"];
    const fleetProject = tempProject(names);
    try {
      const stacks = Object.fromEntries(
        tenants.map((x, i) => [names[i]!, { outputs: { tenantId: x.tenantId, organization: x.tenant.organization, environment: "public", clientId: x.holders.exchangeAdministrator.clientId, servicePrincipalObjectId: x.holders.exchangeAdministrator.servicePrincipalObjectId } }]),
      );
      const fake = fakeFleet(fleetProject.dir, stacks, {}, "audit");
      fleetProject.write("fleet.yaml", `stacks:\n${names.map((n) => `  - name: ${n}\n`).join("")}`);
      const reports = path.join(fleetProject.dir, "reports");
      const r = await runCli(["fleet", "audit", "--fleet", "fleet.yaml", "--concurrency", "2", "--fail-on", "high", "--markdown-dir", reports, "--json", ...ENDPOINTS(), "--timeout", "60s"], {
        cwd: fleetProject.dir,
        env: { ...signIn(auditor), ...fake.env },
        timeoutMs: 120_000,
      });
      expect(r.code).toBe(1);
      const out = onlyJson(r);
      expect(out).toMatchObject({ ok: false, command: "audit", concurrency: 2 });
      expect(out.stacks.map((s: any) => [s.stack, s.status, s.tenants.map((x: any) => x.tenantId)])).toEqual(names.map((n, i) => [n, "failed", [tenants[i]!.tenantId]]));
      for (const s of out.stacks) expect(s.tenants[0].error.code).toBe("ERR_AUDIT_FINDINGS");
      expect(out.audits.map((a: any) => a.tenantId).sort()).toEqual(tenants.map((x) => x.tenantId).sort());
      for (const a of out.audits) {
        expect(a.counts.high).toBeGreaterThan(0);
        const managed = tenants.find((x) => x.tenantId === a.tenantId)!.holders.exchangeAdministrator.servicePrincipalObjectId;
        expect(a.findings.some((f: any) => f.rule === "unmanaged" && f.principal.servicePrincipalObjectId === managed)).toBe(false);
      }
      expect(readdirSync(reports).sort()).toEqual(tenants.map((x) => `${x.tenantId}.md`).sort());
      // Each stack's outputs read once, before any tenant was audited; no Pulumi operation ran.
      expect(fake.log().filter((l) => l.event === "start").map((l) => l.op)).toEqual(["outputs", "outputs", "outputs"]);
      expectNothingSecret(r, [auditor.clientSecret]);

      const table = await runCli(["fleet", "audit", "--fleet", "fleet.yaml", ...ENDPOINTS(), "--timeout", "60s"], { cwd: fleetProject.dir, env: { ...signIn(auditor), ...fake.env }, timeoutMs: 120_000 });
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(/^STACK\s+TENANT\s+RESULT\s+DURATION/m);
      for (const x of tenants) expect(table.stdout).toMatch(new RegExp(`${x.tenantId} \\(tenant-[abc]\\): [1-9]\\d* high, \\d+ medium, \\d+ low`));
      expect(table.stdout).toContain("fleet audit: 3 succeeded");
      expect(existsSync(path.join(fleetProject.dir, ".exo-fleet"))).toBe(false);
    } finally {
      fleetProject.cleanup();
    }
  });
});

test("fleet audit: a stack whose outputs cannot be read fails alone, its error in the table; the other is audited", async () => {
  const clean = populateClean();
  const fleetProject = tempProject(["good", "gone"]);
  try {
    const fake = fakeFleet(fleetProject.dir, { good: { outputs: { tenantId: clean.tenantId, environment: "public" } }, gone: { fail: "error: no stack named 'gone' found", only: ["outputs"] } }, {}, "partial");
    const r = await runCli(["fleet", "audit", "good", "gone", ...ENDPOINTS(), "--timeout", "60s"], { cwd: fleetProject.dir, env: { ...signIn(clean.auditor), ...fake.env }, timeoutMs: 90_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^good\s+\S+\s+ok\s/m);
    expect(r.stdout).toMatch(/^gone\s+-\s+FAILED\s.*no stack named 'gone' found/m);
    expect(r.stdout).toContain(`${clean.tenantId} (good): 0 high, 1 medium, `);
    expect(r.stdout).toContain("fleet audit: 1 succeeded, 1 failed");
  } finally {
    fleetProject.cleanup();
  }
});

/** One multi-tenant auditor app (home tenant of its own) consented in each tenant with the auditor's permissions. */
function multiTenantAuditor(tenants: readonly PopulatedTenant[]): Auditor {
  const d = emu.directory;
  const home = d.addTenant();
  const app = d.addApplication(home.tenantId, { displayName: "fleet auditor", signInAudience: "AzureADMultipleOrgs" });
  const { secretText } = d.addPassword(home.tenantId, app.objectId);
  for (const x of tenants) {
    const sp = d.addServicePrincipal(x.tenantId, app.clientId);
    const graph = d.getServicePrincipal(x.tenantId, x.tenant.graphServicePrincipalObjectId)!;
    for (const value of AUDITOR_GRAPH_PERMISSIONS) d.addAppRoleAssignment(x.tenantId, { principalObjectId: sp.objectId, resourceObjectId: graph.objectId, appRoleId: graph.appRoles.find((r) => r.value === value)!.id });
    d.addAppRoleAssignment(x.tenantId, { principalObjectId: sp.objectId, resourceObjectId: x.tenant.exchangeServicePrincipalObjectId!, appRoleId: MANAGE_AS_APP_ROLE.id });
    d.addDirectoryRoleAssignment(x.tenantId, { principalObjectId: sp.objectId, roleTemplateId: ROLE.globalReader });
  }
  return { tenantId: home.tenantId, clientId: app.clientId, clientSecret: secretText, servicePrincipalObjectId: "" };
}
