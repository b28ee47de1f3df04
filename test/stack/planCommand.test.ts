/** `exo-app-only plan` end to end: the built command as a child process, as a pull-request job runs it. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "src", "cli", "main.js");

function plan(...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, "plan", ...args], { cwd: ROOT, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const folders: string[] = [];
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function stackFile(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "exo-plan-"));
  folders.push(dir);
  // The stack file sits in its own folder; its project is found at or above it, so copy Pulumi.yaml beside it.
  writeFileSync(join(dir, "Pulumi.yaml"), readFileSync(join(ROOT, "Pulumi.yaml")));
  writeFileSync(join(dir, "Pulumi.test.yaml"), yaml);
  return join(dir, "Pulumi.test.yaml");
}

describe("exo-app-only plan", () => {
  it("--json lists the dev stack's resources with type tokens, parents and inputs, secrets masked", () => {
    const { code, stdout, stderr } = plan("--stack", "dev", "--json");
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const { resources } = JSON.parse(stdout) as { resources: { type: string; name: string; parent: string | null; inputs: Record<string, unknown> }[] };
    const consent = resources.find((r) => r.type === "azuread:index/appRoleAssignment:AppRoleAssignment")!;
    expect(consent).toMatchObject({ name: "exo-exchange-consent", parent: "exo-exchange", inputs: { appRoleId: "dc50a0fb-09a3-484d-be87-e023b12c6440" } });
    const key = resources.find((r) => r.type === "tls:index/selfSignedCert:SelfSignedCert")!;
    expect(key.inputs.privateKeyPem).toBe("[secret]");
    expect(stdout).not.toMatch(/PRIVATE KEY|offline-secret-/);
  });

  it("prints a readable tree by default", () => {
    const { code, stdout } = plan("--stack", "dev");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Stack dev declares \(offline, no credentials used\): \d+ resources/);
    expect(stdout).toMatch(/\n  \+ exchange-app-only:index:ExchangeAccessGrant  exo-exchange\n/);
    expect(stdout).toContain("roleId: 29232cdf-9323-42fd-ade2-1d097af3e4de");
  });

  it("--config-file reads a stack file elsewhere", () => {
    const file = stackFile("config:\n  exchange-app-only:tenantId: 11111111-2222-4333-8444-555555555555\n  exchange-app-only:organization: fabrikam.onmicrosoft.com\n  exchange-app-only:role: Global Reader\n");
    const { code, stdout } = plan("--config-file", file, "--json");
    expect(code).toBe(0);
    const role = JSON.parse(stdout).resources.find((r: { type: string }) => r.type === "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment");
    expect(role.inputs.roleId).toBe("f2ef992c-3afb-46b9-b7cf-a126ee74c451");
  });

  it("exits 2 with the key, the value and the fix on invalid config, printing no plan", () => {
    const file = stackFile("config:\n  exchange-app-only:tenantId: contoso\n  exchange-app-only:organization: contoso.onmicrosoft.com\n  exchange-app-only:role: Exchange Admin\n");
    const { code, stdout, stderr } = plan("--config-file", file);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain('exchange-app-only:tenantId = "contoso": must be the tenant\'s id, a GUID');
    expect(stderr).toContain('exchange-app-only:role = "Exchange Admin"');
    expect(stderr).toContain('Did you mean "Exchange Administrator"?');
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("exits 2 on an unknown flag, like every other command", () => {
    expect(plan("--stack", "dev", "--bogus")).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown option '--bogus'") });
  });

  it("exits 2 for a stack that does not exist, and without --stack or --config-file", () => {
    expect(plan("--stack", "nope")).toMatchObject({ code: 2, stderr: expect.stringContaining("Pulumi.nope.yaml does not exist") });
    expect(plan()).toMatchObject({ code: 2, stderr: expect.stringContaining("Pass --stack NAME") });
  });
});
