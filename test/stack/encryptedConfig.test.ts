/**
 * Encrypted (`secure:`) values in a stack file, as `pulumi config set --secret` writes them. The engine decrypts
 * them and marks their keys secret; the offline plan cannot decrypt, so it plans what the program only passes on
 * (the azuread provider's credentials) as [secret] and names the key, and why, where the program must read it.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StackFileError, UNDECRYPTED, readEngineConfig } from "../../src/plan/stackFile";

const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "src", "cli", "main.js");
const PROJECT_FILE = join(ROOT, "Pulumi.yaml");
/** What `pulumi config set --secret` leaves in the file: ciphertext, which nothing offline can read. */
const CIPHER = "AAABAMWO68C8qxo2dfXy4UHPUjIeXx76vbwuawqzWj1BBDYDZO3aMI39S9nWzoUQQw==";
const TENANT = "  exchange-app-only:tenantId: 11111111-2222-4333-8444-555555555555\n  exchange-app-only:organization: fabrikam.onmicrosoft.com\n";
const secure = (indent: string) => `\n${indent}secure: ${CIPHER}\n`;

const folders: string[] = [];
afterAll(() => folders.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function stackFile(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "exo-secure-"));
  folders.push(dir);
  writeFileSync(join(dir, "Pulumi.enc.yaml"), yaml);
  return join(dir, "Pulumi.enc.yaml");
}

function read(yaml: string) {
  return readEngineConfig(PROJECT_FILE, stackFile(yaml));
}

function refusal(yaml: string): StackFileError {
  try {
    read(yaml);
  } catch (error) {
    if (error instanceof StackFileError) return error;
    throw error;
  }
  throw new Error("expected a StackFileError");
}

function plan(file: string, ...flags: string[]) {
  const run = spawnSync(process.execPath, [CLI, "plan", "--config-file", file, "--json", ...flags], { cwd: ROOT, encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

type Planned = { type: string; name: string; inputs: Record<string, unknown> };
const providers = (stdout: string) => (JSON.parse(stdout) as { resources: Planned[] }).resources.filter((r) => r.type === "pulumi:providers:azuread");

/** Advice to store a secret unencrypted, in any words. */
const PLAIN_TEXT_ADVICE = /plain ?text|unencrypted|without --secret|decrypt(ed)? it (yourself|first)/i;

describe("what the offline plan hands the program for an encrypted value", () => {
  it("a credential the program passes on: the plan's secret mark, and the key marked secret as the engine marks it", () => {
    const { config, secretKeys } = read(`config:\n${TENANT}  azuread:clientSecret:${secure("    ")}  azuread:clientCertificatePassword:${secure("    ")}`);
    expect(config["azuread:clientSecret"]).toBe(UNDECRYPTED);
    expect(config["azuread:clientCertificatePassword"]).toBe(UNDECRYPTED);
    expect(config).not.toHaveProperty("azuread:clientSecret", CIPHER);
    expect(secretKeys.sort()).toEqual(["azuread:clientCertificatePassword", "azuread:clientSecret"]);
  });

  it("a clientSecret inside a tenant entry's azuread block: the placeholder in place, the whole tenants key secret", () => {
    const yaml = `config:\n  exchange-app-only:tenants:\n    - tenantId: 11111111-2222-4333-8444-555555555555\n      organization: fabrikam.onmicrosoft.com\n      azuread:\n        clientSecret:${secure("          ")}`;
    const { config, secretKeys } = read(yaml);
    expect(JSON.parse(config["exchange-app-only:tenants"]!)).toEqual([{ tenantId: "11111111-2222-4333-8444-555555555555", organization: "fabrikam.onmicrosoft.com", azuread: { clientSecret: UNDECRYPTED } }]);
    expect(secretKeys).toEqual(["exchange-app-only:tenants"]);
  });

  it("a namespace the program never reads (another provider's credentials) plans as [secret] too", () => {
    expect(read(`config:\n${TENANT}  azure-native:clientSecret:${secure("    ")}`).config["azure-native:clientSecret"]).toBe(UNDECRYPTED);
  });

  it("plain values are untouched and no key is marked secret", () => {
    expect(read(`config:\n${TENANT}  azuread:useOidc: true\n`).secretKeys).toEqual([]);
  });
});

describe("an encrypted value the program must read is refused: the key, the reason, never advice to store it in plain text", () => {
  it.each([
    ["the project's clientSecret switch", `  exchange-app-only:clientSecret:${secure("    ")}`, "exchange-app-only:clientSecret", /true or false .*never a secret's value.*azuread:clientSecret/],
    ["a supplied certificate", `  exchange-app-only:certificate:${secure("    ")}`, "exchange-app-only:certificate", /parses it .*public certificate only/],
    ["a role", `  exchange-app-only:role:${secure("    ")}`, "exchange-app-only:role", /reads it to validate/],
    ["a tenant entry's own key", `  exchange-app-only:tenants:\n    - tenantId: 11111111-2222-4333-8444-555555555555\n      organization:${secure("        ")}`, "exchange-app-only:tenants[0].organization", /reads it to validate/],
    ["a sign-in switch", `  azuread:useOidc:${secure("    ")}`, "azuread:useOidc", /true or false, which the program checks/],
    ["a variable's name", `  azuread:clientSecretEnv:${secure("    ")}`, "azuread:clientSecretEnv", /NAME of an environment variable/],
    [
      "a variable's name in a tenant's block",
      `  exchange-app-only:tenants:\n    - tenantId: 11111111-2222-4333-8444-555555555555\n      organization: fabrikam.onmicrosoft.com\n      azuread:\n        clientSecretEnv:${secure("          ")}`,
      "exchange-app-only:tenants[0].azuread.clientSecretEnv",
      /NAME of an environment variable/,
    ],
    ["the tenant, compared with the stack's", `  azuread:tenantId:${secure("    ")}`, "azuread:tenantId", /compares it with the stack's own tenant/],
  ])("%s", (_, lines, where, why) => {
    const error = refusal(`config:\n${TENANT}${lines}`);
    expect(error.code).toBe("ERR_STACK_FILE");
    expect(error.message).toContain(`${where} holds an encrypted (secure:) value, which an offline plan cannot decrypt`);
    expect(error.message).toMatch(why);
    expect(error.remedy).toContain("pulumi preview");
    expect(error.remedy).toContain("azuread:clientSecret");
    expect(`${error.message} ${error.remedy}`).not.toMatch(PLAIN_TEXT_ADVICE);
    expect(`${error.message} ${error.remedy}`).not.toContain(CIPHER);
  });

  it("a project file's encrypted default is refused, pointing to the stack's file and --secret", () => {
    const dir = mkdtempSync(join(tmpdir(), "exo-secure-project-"));
    folders.push(dir);
    writeFileSync(join(dir, "Pulumi.yaml"), `name: exchange-app-only\nruntime: nodejs\nconfig:\n  role:\n    default:${secure("      ")}`);
    writeFileSync(join(dir, "Pulumi.s.yaml"), `config:\n${TENANT}`);
    let error: unknown;
    try {
      readEngineConfig(join(dir, "Pulumi.yaml"), join(dir, "Pulumi.s.yaml"));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StackFileError);
    expect((error as StackFileError).message).toContain("the default of role holds an encrypted (secure:) value");
    expect((error as StackFileError).remedy).toContain("pulumi config set --secret exchange-app-only:role");
    expect((error as StackFileError).remedy).not.toMatch(PLAIN_TEXT_ADVICE);
  });
});

describe("exo-app-only plan with encrypted sign-in settings (Signing in to the tenant's pulumi config set --secret, the pull-request workflow's plan)", () => {
  it("azuread:clientSecret and clientCertificatePassword plan, as [secret] provider inputs", () => {
    const { code, stdout, stderr } = plan(stackFile(`config:\n${TENANT}  azuread:clientSecret:${secure("    ")}  azuread:clientCertificatePassword:${secure("    ")}`));
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const [provider] = providers(stdout);
    expect(provider!.inputs).toMatchObject({ clientSecret: "[secret]", clientCertificatePassword: "[secret]", tenantId: "11111111-2222-4333-8444-555555555555" });
    expect(stdout).not.toContain(CIPHER);
  });

  it("a setting that is no credential by kind stays secret when it was encrypted (the engine marks its key secret)", () => {
    const plain = providers(plan(stackFile(`config:\n${TENANT}  azuread:partnerId: 00000000-1111-4222-8333-444444444444\n`)).stdout);
    expect(plain[0]!.inputs.partnerId).toBe("00000000-1111-4222-8333-444444444444");
    const { code, stdout } = plan(stackFile(`config:\n${TENANT}  azuread:partnerId:${secure("    ")}`));
    expect(code).toBe(0);
    expect(providers(stdout)[0]!.inputs.partnerId).toBe("[secret]");
  });

  it("a clientSecret inside a tenant entry's azuread block plans, with --policy as the pull-request workflow runs it", () => {
    const yaml =
      "config:\n  exchange-app-only:tenants:\n" +
      "    - key: contoso\n      tenantId: 11111111-2222-4333-8444-555555555555\n      organization: contoso.onmicrosoft.com\n" +
      `      azuread:\n        clientId: 22222222-3333-4444-8555-666666666666\n        clientSecret:${secure("          ")}` +
      "    - key: fabrikam\n      tenantId: 33333333-4444-4555-8666-777777777777\n      organization: fabrikam.onmicrosoft.com\n";
    const { code, stdout } = plan(stackFile(yaml), "--policy");
    expect(code).toBe(0);
    const byName = Object.fromEntries(providers(stdout).map((p) => [p.name, p.inputs]));
    expect(byName["exo-contoso-tenant"]).toMatchObject({ clientSecret: "[secret]", tenantId: "11111111-2222-4333-8444-555555555555" });
    expect(byName["exo-fabrikam-tenant"]).not.toHaveProperty("clientSecret");
    expect(stdout).not.toContain(CIPHER);
  });

  it("a refused one exits 2 with one JSON error naming the key, and no advice to store it in plain text", () => {
    const { code, stdout, stderr } = plan(stackFile(`config:\n${TENANT}  exchange-app-only:clientSecret:${secure("    ")}`));
    expect(code).toBe(2);
    const { error } = JSON.parse(stdout) as { error: { code: string; message: string; remedy: string } };
    expect(error.code).toBe("ERR_STACK_FILE");
    expect(error.message).toContain("exchange-app-only:clientSecret holds an encrypted (secure:) value");
    expect(`${stdout}${stderr}`).not.toMatch(PLAIN_TEXT_ADVICE);
  });
});

describe("a stack file of the wrong shape: the error says what it found, never a secret", () => {
  it("config: given a secret-shaped text", () => {
    const secret = "Zq8Q~leakCanary.4f2b9c7e1d0a3b5c6d8e9fAB";
    const error = refusal(`config: "${secret}"\n`);
    expect(error.message).toContain("config: must be a map of key: value, found text that looks like a secret (40 characters, not shown)");
    expect(`${error.message} ${error.remedy}`).not.toContain(secret);
  });
});
