/** `exo-app-only plan` end to end: the built command as a child process, as a pull-request job runs it. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "src", "cli", "main.js");

function planIn(cwd: string, args: string[], nodeOptions: string[] = []) {
  const result = spawnSync(process.execPath, [...nodeOptions, CLI, "plan", ...args], { cwd, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function plan(...args: string[]) {
  return planIn(ROOT, args);
}

const folders: string[] = [];
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "exo-plan-"));
  folders.push(dir);
  return dir;
}

/** A stack file in a folder of its own, outside the project: no Pulumi.yaml beside it or above it. */
function stackFile(yaml: string, name = "Pulumi.test.yaml"): string {
  const dir = tempFolder();
  writeFileSync(join(dir, name), yaml);
  return join(dir, name);
}

const VALID = "config:\n  exchange-app-only:tenantId: 11111111-2222-4333-8444-555555555555\n  exchange-app-only:organization: fabrikam.onmicrosoft.com\n";

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
    expect(stderr).toContain('exchange-app-only:tenantId = "contoso": is neither a GUID nor a domain name (a domain has a dot, like contoso.onmicrosoft.com): copy the Tenant ID from Entra admin center → Overview');
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

describe("the project is found from the current folder upward, as the Pulumi CLI finds it", () => {
  it("a stack file kept anywhere works when plan runs inside the project, also from a folder below it", () => {
    const file = stackFile(VALID, "Pulumi.contoso.yaml");
    const fromBelow = planIn(join(ROOT, "src", "cli"), ["--config-file", relative(join(ROOT, "src", "cli"), file)]);
    expect({ code: fromBelow.code, stderr: fromBelow.stderr }).toEqual({ code: 0, stderr: "" });
    expect(fromBelow.stdout).toMatch(/^Stack contoso declares/);
  });

  it("a Pulumi.yaml beside the stack file is not the project: the one where the command runs is", () => {
    const dir = tempFolder();
    writeFileSync(join(dir, "Pulumi.yaml"), "name: decoy\nruntime: nodejs\n");
    // Bare keys belong to the project's namespace: exchange-app-only's, not decoy's.
    writeFileSync(join(dir, "Pulumi.contoso.yaml"), "config:\n  tenantId: 11111111-2222-4333-8444-555555555555\n  organization: fabrikam.onmicrosoft.com\n");
    const r = plan("--config-file", join(dir, "Pulumi.contoso.yaml"), "--json");
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
  });

  it("--stack from a folder below the project reads Pulumi.<stack>.yaml beside Pulumi.yaml", () => {
    expect(planIn(join(ROOT, "components"), ["--stack", "dev"])).toMatchObject({ code: 0, stderr: "" });
  });

  it.each([[["--stack", "dev"]], [["--config-file", "Pulumi.test.yaml"]]])("outside any project %j exits 2 naming the folder and the fix", (args) => {
    const dir = tempFolder();
    writeFileSync(join(dir, "Pulumi.test.yaml"), VALID);
    const r = planIn(dir, args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: no Pulumi.yaml in ${dir} or any folder above it\nRun the command inside the project (the folder holding Pulumi.yaml, or one below it); --config-file may point anywhere.\n`);
    expect(r.stdout).toBe("");
  });
});

describe("a display name the certificate subject must carry (any Unicode)", () => {
  it.each(["Łódź", "東京", "Contoso – Exchange", "🚀 launch", "Café Zürich", "exchange_app&only*"])("%s: plans, exit 0", (displayName) => {
    const file = stackFile(`${VALID}  exchange-app-only:displayName: ${JSON.stringify(displayName)}\n`);
    const { code, stdout, stderr } = plan("--config-file", file, "--json");
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const { resources } = JSON.parse(stdout) as { resources: { type: string; inputs: Record<string, unknown> }[] };
    const cert = resources.find((r) => r.type === "tls:index/selfSignedCert:SelfSignedCert")!;
    expect(cert.inputs.subject).toEqual({ commonName: displayName });
    expect(resources.find((r) => r.type === "azuread:index/application:Application")!.inputs.displayName).toBe(displayName);
  });
});

describe("exo-app-only --version", () => {
  it.each(["--version", "-V"])("%s prints package.json's version and exits 0", (flag) => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const r = spawnSync(process.execPath, [CLI, flag], { cwd: tmpdir(), encoding: "utf8" });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: `${version}\n`, stderr: "" });
  });
});

describe("plan --json prints exactly one JSON object on stdout, whatever happens", () => {
  interface Failure {
    ok: false;
    error: { code: string; message: string; remedy: string; issues?: { key: string; value: string; message: string }[] };
  }
  /** JSON.parse refuses two objects, a banner or a stack trace: stdout must be the one object and nothing else. */
  const failure = (r: { stdout: string }) => JSON.parse(r.stdout) as Failure;

  it("success: ok and the resources", () => {
    const r = plan("--stack", "dev", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { ok: boolean; resources: unknown[] };
    expect(out.ok).toBe(true);
    expect(out.resources.length).toBeGreaterThan(5);
  });

  it("invalid config: exit 2, each bad key as an issue with its value and fix; the text still on stderr", () => {
    const file = stackFile("config:\n  exchange-app-only:tenantId: contoso\n  exchange-app-only:organization: contoso.onmicrosoft.com\n  exchange-app-only:role: Exchange Admin\n");
    const r = plan("--config-file", file, "--json");
    expect(r.code).toBe(2);
    const { ok, error } = failure(r);
    expect(ok).toBe(false);
    expect(error).toMatchObject({ code: "ERR_CONFIG_INVALID", remedy: expect.stringContaining("Fix the key") });
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { key: "exchange-app-only:tenantId", value: expect.stringContaining("contoso"), message: expect.stringContaining("GUID") },
        { key: "exchange-app-only:role", value: expect.stringContaining("Exchange Admin"), message: expect.stringContaining('Did you mean "Exchange Administrator"?') },
      ]),
    );
    expect(error.message).toContain("exchange-app-only:role");
    expect(r.stderr).toContain("error: invalid stack config\n");
  });

  it.each([
    ["a top level that is a list", "- exchange-app-only:tenantId: x\n", /must be a map with a config: key at the top level, found a list/],
    ["a config: that is a list", "config:\n  - exchange-app-only:tenantId: x\n", /config: must be a map of key: value, found a list/],
    ["broken YAML", "config:\n  a: [1, 2\n", /is not valid YAML/],
  ])("a bad stack file (%s): exit 2, ERR_STACK_FILE naming the file", (_, yaml, message) => {
    const file = stackFile(yaml);
    const r = plan("--config-file", file, "--json");
    expect(r.code).toBe(2);
    const { error } = failure(r);
    expect(error.code).toBe("ERR_STACK_FILE");
    expect(error.message).toContain(file);
    expect(error.message).toMatch(message);
    expect(r.stderr).toContain(`error: ${error.message}`);
  });

  it("a stack file that does not exist: exit 2, ERR_STACK_FILE", () => {
    const r = plan("--stack", "nope", "--json");
    expect(r.code).toBe(2);
    expect(failure(r).error).toMatchObject({ code: "ERR_STACK_FILE", message: expect.stringContaining("Pulumi.nope.yaml does not exist") });
  });

  it.each([
    [["--json"], "plan needs a stack"],
    [["--stack", "dev", "--json", "--bogus"], "unknown option '--bogus'"],
    [["--json", "--stack"], "option '--stack <name>' argument missing"],
    [["--json", "--config-file"], "option '--config-file <path>' argument missing"],
    [["--stack", "--json"], `--stack "--json" is not a stack name`],
  ])("a usage error %j: exit 2, ERR_USAGE naming the flag", (args, message) => {
    const r = plan(...args);
    expect(r.code).toBe(2);
    const { ok, error } = failure(r);
    expect(ok).toBe(false);
    expect(error.code).toBe("ERR_USAGE");
    expect(error.message).toContain(message);
    expect(error.remedy.length).toBeGreaterThan(0);
    expect(r.stderr).toContain(message);
  });

  it("an internal error, thrown inside an apply as a bug would be: exit 1, ERR_INTERNAL, no stack trace", () => {
    // The PFX is made inside an apply: a failure there rejects the program's outputs and, separately, reaches
    // Node as an unhandled rejection. Both must end as the one report.
    const preload = join(tempFolder(), "break-pfx.js");
    writeFileSync(preload, `require(${JSON.stringify(join(ROOT, "dist", "src", "credentials", "certificates.js"))}).toPfxBase64 = () => { throw new TypeError("pfx exploded"); };\n`);
    const r = planIn(ROOT, ["--stack", "dev", "--json"], ["--require", preload]);
    expect(r.code).toBe(1);
    expect(failure(r)).toEqual({ ok: false, error: { code: "ERR_INTERNAL", message: "pfx exploded", remedy: expect.stringContaining("This is a bug") } });
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("plan --policy: the policy pack over the offline plan, no Pulumi CLI", () => {
  interface Violation {
    policy: string;
    enforcement: "mandatory" | "advisory";
    resource: { type: string; name: string; urn: string } | null;
    message: string;
  }
  const violationsOf = (stdout: string) => (JSON.parse(stdout) as { ok: true; resources: unknown[]; policy: { violations: Violation[] } }).policy.violations;

  it("role: Global Administrator with allowGlobalAdministrator: true is a mandatory violation: exit 1, named in text and JSON", () => {
    const file = stackFile(`${VALID}  exchange-app-only:role: Global Administrator\n  exchange-app-only:allowGlobalAdministrator: true\n`);
    const text = plan("--config-file", file, "--policy");
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^Stack test declares/);
    expect(text.stdout).toContain("\n\nPolicy pack exchange-app-only: 1 violation (1 mandatory, 0 advisory)\n");
    expect(text.stdout).toContain("  mandatory  no-global-administrator  exo-exchange-role (azuread:index/directoryRoleAssignment:DirectoryRoleAssignment)\n");
    expect(text.stdout).toContain('DirectoryRoleAssignment "exo-exchange-role": roleId 62e90394-69f5-4237-9190-012177145e10 is Global Administrator');

    const json = plan("--config-file", file, "--policy", "--json");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).ok).toBe(true); // planned; the policy verdict is in policy and the exit code
    expect(violationsOf(json.stdout)).toEqual([
      {
        policy: "no-global-administrator",
        enforcement: "mandatory",
        resource: { type: "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment", name: "exo-exchange-role", urn: expect.stringMatching(/^urn:pulumi:test::exchange-app-only::.*::exo-exchange-role$/) },
        message: expect.stringContaining("Set exchange-app-only:role to \"Exchange Administrator\""),
      },
    ]);
    expect(json.stderr).toContain("mandatory  no-global-administrator");
  });

  it("the dev stack: no violation, exit 0; --json adds an empty list and nothing on stderr", () => {
    const text = plan("--stack", "dev", "--policy");
    expect(text).toMatchObject({ code: 0, stderr: "" });
    expect(text.stdout).toMatch(/\n\nPolicy pack exchange-app-only: no violations\n$/);
    const json = plan("--stack", "dev", "--policy", "--json");
    expect({ code: json.code, stderr: json.stderr }).toEqual({ code: 0, stderr: "" });
    expect(violationsOf(json.stdout)).toEqual([]);
  });

  it("a client secret in a stack named prod is advisory only: exit 0, the violation still reported", () => {
    const file = stackFile(`${VALID}  exchange-app-only:clientSecret: true\n`, "Pulumi.prod.yaml");
    const r = plan("--config-file", file, "--policy", "--json");
    expect(r.code).toBe(0);
    expect(violationsOf(r.stdout).map((v) => [v.enforcement, v.policy, v.resource?.name])).toEqual([["advisory", "no-client-secret-in-production", "exo-secret-a"]]);
    expect(violationsOf(r.stdout)[0]!.message).toContain('stack "prod"');
    expect(r.stderr).toContain("Policy pack exchange-app-only: 1 violation (0 mandatory, 1 advisory)");
  });

  it("without --policy, the JSON has no policy key (the one-object contract is unchanged)", () => {
    expect(JSON.parse(plan("--stack", "dev", "--json").stdout)).not.toHaveProperty("policy");
  });

  it("invalid config still exits 2 before any policy runs", () => {
    const file = stackFile("config:\n  exchange-app-only:tenantId: contoso\n  exchange-app-only:organization: contoso.onmicrosoft.com\n");
    const r = plan("--config-file", file, "--policy", "--json");
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: "ERR_CONFIG_INVALID" } });
  });

  it("--help documents the flag and the exit codes", () => {
    const help = plan("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--policy");
    expect(help.stdout).toContain("1 a mandatory policy is violated (--policy)");
  });
});
