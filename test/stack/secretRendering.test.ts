/**
 * Config errors never print a value that is, or may be, a secret. The engine decrypts `secure:` values before the
 * program runs, so a quoted value would reach `pulumi up`'s output, CI logs, the fleet's results and the drift
 * issue. Each test feeds a known secret into one path and asserts that it never comes out, while the message still
 * names the key and the fix.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseBootstrapConfig } from "../../bootstrap/config";
import { PROJECT as BOOTSTRAP } from "../../bootstrap/settings";
import { errorObject } from "../../src/cli/commandSupport";
import { parseStackConfig, resolveStackSignIn } from "../../src/config/parseStack";
import { describeHidden, mayHoldSecret } from "../../src/config/secretValues";
import { IssueList } from "../../src/config/values";
import { ConfigError } from "../../src/errors";
import { evaluateProgram } from "../../src/cli/evaluate";
import { MINIMAL, TENANT_ID, engineConfig } from "../support/stackConfig";

const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "src", "cli", "main.js");

/** Shaped like an Entra client secret (40 characters, a `~`). */
const ENTRA_LIKE = "Zq8Q~leakCanary.4f2b9c7e1d0a3b5c6d8e9fAB";
/** Lower-case letters only: nothing about it looks secret, so only the key's name can hide it. */
const PLAIN = "leakcanaryplainword";
const SECRETS = [ENTRA_LIKE, PLAIN];

const CONTOSO = { key: "contoso", tenantId: TENANT_ID, organization: "contoso.onmicrosoft.com" };
const NOW = new Date("2026-11-26T00:00:00Z");

/** The error a stack's config gets, `otherKeys` by full key (`azuread:clientsecret`). */
function stackError(overrides: Record<string, unknown>, otherKeys: Record<string, string> = {}, engineSecrets: string[] = []): ConfigError {
  try {
    parseStackConfig({ ...engineConfig({ ...MINIMAL, ...overrides }), ...otherKeys }, NOW, engineSecrets);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

/** Everything a user or a pipeline sees of an error: the text, the remedy, the --json object. */
function everywhere(error: ConfigError): string {
  return `${error.message}\n${error.remedy}\n${JSON.stringify(errorObject(error))}`;
}

function issueAt(error: ConfigError, key: string) {
  const issue = error.issues.find((i) => i.key === key);
  if (!issue) throw new Error(`no issue at ${key}: ${error.message}`);
  return issue;
}

describe.each(SECRETS)("a secret (%s) in each kind of key never comes out; the key and the fix do", (secret) => {
  it.each([
    ["a misspelt azuread secret key", {}, { "azuread:clientsecret": secret }, "azuread:clientsecret", /Did you mean "clientSecret"\?/],
    ["an azuread key in a misspelt namespace", {}, { "AzureAD:clientSecret": secret }, "AzureAD:clientSecret", /Did you mean "azuread:clientSecret"\?/],
    ["a sign-in switch given the secret", {}, { "azuread:useOidc": secret }, "azuread:useOidc", /must be true or false/],
    ["a misspelt project key for a secret", { clientSecert: secret }, {}, "exchange-app-only:clientSecert", /Did you mean "clientSecret"\?/],
    ["the project's clientSecret given the secret instead of true", { clientSecret: secret }, {}, "exchange-app-only:clientSecret", /must be true or false.*azuread:clientSecret/],
    ["a secret's lifetime given the secret", { clientSecret: "true", clientSecretLifetimeDays: secret }, {}, "exchange-app-only:clientSecretLifetimeDays", /whole number/],
    ["a certificate given the secret", { certificate: secret }, {}, "exchange-app-only:certificate", /./],
    ["a secret field inside a structured key", { managedIdentity: { kind: "userAssigned", name: "exo", resourceGroup: "rg", password: secret } }, {}, "exchange-app-only:managedIdentity.password", /./],
    ["a tenants list given the secret itself", { tenantId: undefined, organization: undefined, tenants: secret }, {}, "exchange-app-only:tenants", /must be a list/],
    ["a tenant entry that is the secret itself", { tenantId: undefined, organization: undefined, tenants: [CONTOSO, secret] }, {}, "exchange-app-only:tenants[1]", /must be a map with tenantId and organization/],
    ["a tenant entry's key given the secret", { tenantId: undefined, organization: undefined, tenants: [{ ...CONTOSO, key: `${secret}_` }] }, {}, `exchange-app-only:tenants[${TENANT_ID}].key`, /lower-case letters, digits and hyphens/],
    ["a tenant entry's azuread block given the secret", { tenantId: undefined, organization: undefined, tenants: [{ ...CONTOSO, azuread: secret }] }, {}, "exchange-app-only:tenants[contoso].azuread", /must be a map of the azuread provider's settings/],
    ["a tenant entry's clientSecret switch given the secret", { tenantId: undefined, organization: undefined, tenants: [{ ...CONTOSO, clientSecret: secret }] }, {}, "exchange-app-only:tenants[contoso].clientSecret", /must be true or false/],
    [
      "an ARM_* variable written as a setting in a tenant's block",
      { tenantId: undefined, organization: undefined, tenants: [{ ...CONTOSO, azuread: { ARM_CLIENT_SECRET: secret } }] },
      {},
      "exchange-app-only:tenants[contoso].azuread.ARM_CLIENT_SECRET",
      /the setting is exchange-app-only:tenants\[contoso\]\.azuread\.clientSecret .*clientSecretEnv/,
    ],
    ["an unknown setting in a tenant's block", { tenantId: undefined, organization: undefined, tenants: [{ ...CONTOSO, azuread: { clientScret: secret } }] }, {}, "exchange-app-only:tenants[contoso].azuread.clientScret", /Did you mean "clientSecret"\?/],
  ])("%s", (_, overrides, otherKeys, key, fix) => {
    const error = stackError(overrides, otherKeys);
    expect(issueAt(error, key).message).toMatch(fix);
    expect(everywhere(error)).not.toContain(secret);
  });

  it("a variable-name field given the secret: refused offline when it cannot be a name, never printed when its variable is missing", () => {
    // A name-shaped secret passes as a name; `pulumi up` then finds no such variable, and says so without the name.
    const config = (() => {
      try {
        return parseStackConfig({ ...engineConfig(MINIMAL), "azuread:clientSecretEnv": secret }, NOW);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        expect(issueAt(error, "azuread:clientSecretEnv").message).toMatch(/NAME of an environment variable.*looks like the secret itself/);
        expect(everywhere(error)).not.toContain(secret);
        return undefined;
      }
    })();
    if (config === undefined) return;
    let error: unknown;
    try {
      resolveStackSignIn(config, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(issueAt(error as ConfigError, "azuread:clientSecretEnv").message).toMatch(/names an environment variable \(not shown: .*\), which is not set: the stack cannot sign in/);
    expect(everywhere(error as ConfigError)).not.toContain(secret);
  });

  it("a tenant's variable-name field given the secret", () => {
    const error = stackError({ tenantId: undefined, organization: undefined, tenants: [{ ...CONTOSO, azuread: { clientSecretEnv: `${secret}!` } }] });
    expect(issueAt(error, "exchange-app-only:tenants[contoso].azuread.clientSecretEnv").message).toMatch(/NAME of an environment variable/);
    expect(everywhere(error)).not.toContain(secret);
  });

  it("a key the engine delivered as a secret is not shown, whatever its name; unmarked, the same value is", () => {
    const role = `Exchange ${secret}`;
    expect(issueAt(stackError({ role }), "exchange-app-only:role").value).toContain(secret); // the test can fail
    const error = stackError({ role }, {}, ["exchange-app-only:role"]);
    expect(issueAt(error, "exchange-app-only:role").message).toMatch(/is not a directory role/);
    expect(everywhere(error)).not.toContain(secret);
  });

  it("a secret-marked tenants list: no value of any entry is shown", () => {
    const error = stackError({ tenantId: undefined, organization: undefined, tenants: [{ ...CONTOSO, role: `Exchange ${secret}` }] }, {}, ["exchange-app-only:tenants"]);
    expect(issueAt(error, "exchange-app-only:tenants[contoso].role").message).toMatch(/is not a directory role/);
    expect(everywhere(error)).not.toContain(secret);
  });

  it("the bootstrap stack's config: a secret-named key, and a key the engine marked secret", () => {
    const refuse = (raw: Record<string, string>, secrets: string[] = []) => {
      try {
        parseBootstrapConfig(raw, new Set(secrets));
      } catch (error) {
        if (error instanceof ConfigError) return error;
        throw error;
      }
      throw new Error("expected a ConfigError");
    };
    const unknown = refuse({ repository: "contoso/exo", clientSecret: secret });
    expect(issueAt(unknown, `${BOOTSTRAP}:clientSecret`).message).toMatch(/is not a key of this project/);
    expect(everywhere(unknown)).not.toContain(secret);
    expect(issueAt(refuse({ repository: `x${secret}` }), `${BOOTSTRAP}:repository`).value).toContain(secret); // the test can fail
    const marked = refuse({ repository: `x${secret}` }, [`${BOOTSTRAP}:repository`]);
    expect(issueAt(marked, `${BOOTSTRAP}:repository`).message).toMatch(/must be "owner\/repo"/);
    expect(everywhere(marked)).not.toContain(secret);
  });
});

describe("the engine's secret marks reach the program (pulumi.runtime config secret keys)", () => {
  const config = engineConfig({ ...MINIMAL, role: `Exchange ${PLAIN}` });

  it("a secret-marked key's value stays out of the program's ConfigError; unmarked, it is shown", async () => {
    const shown = await evaluateProgram({ config }).catch((e: unknown) => e);
    expect((shown as ConfigError).message).toContain(PLAIN);
    const hidden = await evaluateProgram({ config, secretKeys: ["exchange-app-only:role"] }).catch((e: unknown) => e);
    expect(hidden).toBeInstanceOf(ConfigError);
    expect((hidden as ConfigError).message).toContain("exchange-app-only:role = (not shown: ");
    expect(everywhere(hidden as ConfigError)).not.toContain(PLAIN);
  });
});

describe("exo-app-only plan: a stack file holding secrets in the wrong places", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "exo-leak-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([[[]], [["--json"]]])("never prints them on stdout or stderr (%j), and names every key", (flags) => {
    const file = join(dir, "Pulumi.leak.yaml");
    writeFileSync(
      file,
      [
        "config:",
        `  exchange-app-only:tenantId: ${TENANT_ID}`,
        "  exchange-app-only:organization: contoso.onmicrosoft.com",
        `  exchange-app-only:clientSecret: "${ENTRA_LIKE}"`,
        `  azuread:clientsecret: "${PLAIN}"`,
        `  azuread:clientSecretEnv: "${ENTRA_LIKE}"`,
        "",
      ].join("\n"),
    );
    const run = spawnSync(process.execPath, [CLI, "plan", "--config-file", file, ...flags], { cwd: ROOT, encoding: "utf8" });
    expect(run.status).toBe(2);
    for (const secret of SECRETS) expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
    for (const key of ["exchange-app-only:clientSecret", "azuread:clientsecret", "azuread:clientSecretEnv"]) expect(run.stderr).toContain(`${key} = (not shown: `);
    if (flags.length) {
      const { error } = JSON.parse(run.stdout) as { error: { issues: { key: string }[] } };
      expect(error.issues.map((i) => i.key).sort()).toEqual(["azuread:clientSecretEnv", "azuread:clientsecret", "exchange-app-only:clientSecret"]);
    }
  });
});

describe("the rule: which keys may hold a secret (literals, so a change of the rule is deliberate)", () => {
  it.each([
    "azuread:clientId", // a provider's namespace: credentials live there
    "azuread:useOidc",
    "azure-native:clientSecret",
    "AzureAD:clientSecret",
    "exchange-app-only:clientSecret",
    "exchange-app-only:clientsecret",
    "exchange-app-only:clientSecert",
    "exchange-app-only:clientSecretLifetimeDays",
    "exchange-app-only:certificate",
    "exchange-app-only:certificateRsaBits",
    "exchange-app-only:dbPasword",
    "exchange-app-only:apiToken",
    "exchange-app-only:privateKey",
    "exchange-app-only:managedIdentity.password",
    "exchange-app-only:tenants",
    "exchange-app-only:tenants[3]",
    "exchange-app-only:tenants[contoso]",
    "exchange-app-only:tenants[contoso].azuread",
    "exchange-app-only:tenants[contoso].azuread.clientId",
    "exchange-app-only:tenants[contoso].azuread.clientSecretEnv",
    "exchange-app-only:tenants[contoso].clientSecret",
    "exchange-app-only-bootstrap:clientSecret",
    "exchange-app-only:sasTokenEnvVar",
  ])("%s may hold a secret", (key) => {
    expect(mayHoldSecret(key)).toBe(true);
  });

  it.each([
    "exchange-app-only:tenantId",
    "exchange-app-only:organization",
    "exchange-app-only:environment",
    "exchange-app-only:role",
    "exchange-app-only:workloads",
    "exchange-app-only:exchangeRoles[0].scope",
    "exchange-app-only:adminApi",
    "exchange-app-only:allowGlobalAdministrator",
    "exchange-app-only:displayName",
    "exchange-app-only:owners",
    "exchange-app-only:protect",
    "exchange-app-only:verifyOnUp",
    "exchange-app-only:verifyTimeout",
    "exchange-app-only:federatedCredentials[0].repository",
    "exchange-app-only:managedIdentity.resourceGroup",
    "exchange-app-only:keyVault.name",
    "exchange-app-only:keyVault.readers[0].principalId",
    "exchange-app-only:adopt.clientId",
    "exchange-app-only:appMode",
    "exchange-app-only:tenants[contoso].role",
    "exchange-app-only:tenants[contoso].organization",
    "exchange-apponly:role", // the project's own namespace, misspelt
    "exchange-app-only-bootstrap:repository",
    "exchange-app-only-bootstrap:branches",
  ])("%s is shown", (key) => {
    expect(mayHoldSecret(key)).toBe(false);
  });

  it("a hidden value keeps only its shape", () => {
    expect(describeHidden(ENTRA_LIKE)).toBe("(not shown: 40 characters, looks like a secret)");
    expect(describeHidden(PLAIN)).toBe("(not shown: 19 characters)");
    expect(describeHidden('{"clientSecret":"x","clientId":"y"}')).toBe("(not shown: a map of 2 fields)");
    expect(describeHidden([1, 2, 3])).toBe("(not shown: a list of 3 items)");
    expect(describeHidden("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----")).toBe("(not shown: PEM text, 58 characters)");
    expect(describeHidden(undefined)).toBe("(not set)");
  });

  it("inside a value that is shown, secret-named fields and azuread blocks are hidden", () => {
    const issues = new IssueList();
    issues.add("keyVault", { azuread: { clientId: PLAIN }, name: "kv", apiKey: PLAIN }, "is wrong");
    expect(issues.issues[0]!.value).toMatch(/^\{"azuread":"\(not shown: a map of 1 field\)","name":"kv","apiKey":"\(not shown: /);
    expect(issues.issues[0]!.value).not.toContain(PLAIN);
  });

  it("a secret-looking text of a hidden value is scrubbed from every message, whichever parser wrote it", () => {
    const issues = new IssueList();
    issues.addAt("azuread:clientSecretEnv", ENTRA_LIKE, "is wrong");
    issues.addAt("exchange-app-only:role", "x", `a careless message quoting ${ENTRA_LIKE}`);
    expect(JSON.stringify(issues.issues)).not.toContain(ENTRA_LIKE);
  });

  it("ConfigError hides a value at such a key however the issue was built", () => {
    const error = new ConfigError([{ key: "azuread:clientSecret", value: JSON.stringify(ENTRA_LIKE), message: "is wrong" }]);
    expect(everywhere(error)).not.toContain(ENTRA_LIKE);
    expect(error.issues[0]!.value).toBe("(not shown: 40 characters, looks like a secret)");
    expect(new ConfigError([{ key: "exchange-app-only:role", value: '"Exchange Admin"', message: "x" }]).issues[0]!.value).toBe('"Exchange Admin"');
  });
});

describe("an unknown setting in a tenant's azuread block lists every documented setting, the environment-variable forms included", () => {
  const message = issueAt(stackError({ tenantId: undefined, organization: undefined, tenants: [{ ...CONTOSO, azuread: { signInWith: "x" } }] }), "exchange-app-only:tenants[contoso].azuread.signInWith").message;

  it.each([
    // The list of settings in docs/installation-configuration.md (Signing in to the tenant), and the …Env forms (docs/many-tenants.md).
    ...["useCli", "useMsi", "useOidc", "useAksWorkloadIdentity", "clientId", "clientIdFilePath", "clientSecret", "clientSecretFilePath", "clientCertificate", "clientCertificatePassword", "clientCertificatePath"],
    ...["msiEndpoint", "oidcRequestToken", "oidcRequestUrl", "oidcToken", "oidcTokenFilePath", "adoPipelineServiceConnectionId", "metadataHost", "partnerId", "disableTerraformPartnerId"],
    ...["clientIdEnv", "clientSecretEnv", "clientCertificateEnv", "clientCertificatePasswordEnv", "oidcTokenEnv", "oidcRequestTokenEnv"],
  ])("%s", (setting) => {
    expect(message).toMatch(new RegExp(`[ ,]${setting}[,.;]`));
  });

  it.each([
    ["ARM_CLIENT_SECRET", "clientSecret"],
    ["ARM_CLIENT_ID", "clientId"],
    ["ARM_USE_OIDC", "useOidc"],
    ["ARM_METADATA_HOSTNAME", "metadataHost"],
  ])("%s, the provider's own variable, points to the setting %s", (variable, setting) => {
    const error = stackError({ tenantId: undefined, organization: undefined, tenants: [{ ...CONTOSO, azuread: { [variable]: "x" } }] });
    expect(issueAt(error, `exchange-app-only:tenants[contoso].azuread.${variable}`).message).toContain(`the setting is exchange-app-only:tenants[contoso].azuread.${setting}`);
  });
});
