/**
 * The classes of stack config a new user got wrong and the program let through (issue 6): engine type rules,
 * keys that are set but unused, namespaces one typo away, certificates Entra refuses at sign-in, display names,
 * role suggestions, and messages that must use the project's words and suggest only values that work.
 */
import { ConfigError } from "../../src/errors";
import { CLOUDS, EXCHANGE_ROLES } from "../../src/facts";
import { parseTenantConfig } from "../../src/config/parse";
import { parseStackConfig } from "../../src/config/parseStack";
import { MINIMAL, TENANT_ID, engineConfig, makeCertificate, rawConfig } from "../support/stackConfig";

const NOW = new Date();

function parse(overrides: Record<string, unknown>) {
  return parseTenantConfig(rawConfig({ ...MINIMAL, ...overrides }), NOW);
}

function issuesOf(run: () => unknown): ConfigError["issues"] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const issues = (overrides: Record<string, unknown>) => issuesOf(() => parse(overrides));
const stackIssues = (extra: Record<string, string>, overrides: Record<string, unknown> = {}) =>
  issuesOf(() => parseStackConfig({ ...engineConfig({ ...MINIMAL, ...overrides }), ...extra }, NOW));
const keysOf = (list: ConfigError["issues"]) => list.map((i) => i.key);

describe("booleans follow the engine: exactly true or false", () => {
  it.each(["TRUE", "True", "FALSE", "yes", "no", "on", "1", "0", " true", "true ", ""])("refuses %j", (value) => {
    const found = issues({ clientSecret: value });
    expect(keysOf(found)).toEqual(["exchange-app-only:clientSecret"]);
    expect(found[0]!.message).toMatch(/must be true or false/);
  });

  it("says how to write a boolean that only differs in case", () => {
    expect(issues({ protect: "TRUE" })[0]!.message).toMatch(/lower case, unquoted: true/);
  });

  it.each(["true", "false"])("accepts %s", (value) => {
    expect(parse({ clientSecret: value }).clientSecret !== undefined).toBe(value === "true");
  });

  it.each(["allowGlobalAdministrator", "protect", "clientSecret", "verifyOnUp"])("applies to %s", (key) => {
    expect(keysOf(issues({ [key]: "Yes" }))).toContain(`exchange-app-only:${key}`);
  });
});

describe("every key the stack sets is validated, even when another key makes it unused", () => {
  const cases: ReadonlyArray<[string, Record<string, unknown>, string]> = [
    ["certificateValidityDays with certificate: none", { certificate: "none", clientSecret: "true", certificateValidityDays: "forever" }, "certificateValidityDays"],
    ["certificateRsaBits with certificate: none", { certificate: "none", clientSecret: "true", certificateRsaBits: "1024" }, "certificateRsaBits"],
    ["certificateRsaBits with a supplied certificate", { certificate: makeCertificate(), certificateRsaBits: "2500" }, "certificateRsaBits"],
    ["certificateRotation with a supplied certificate", { certificate: makeCertificate(), certificateRotation: "next" }, "certificateRotation"],
    ["clientSecretLifetimeDays without a secret", { clientSecret: "false", clientSecretLifetimeDays: "0" }, "clientSecretLifetimeDays"],
    ["clientSecretRotation without a secret", { clientSecretRotation: "-1" }, "clientSecretRotation"],
    ["allowGlobalAdministrator with another role", { role: "Global Reader", allowGlobalAdministrator: "maybe" }, "allowGlobalAdministrator"],
    ["verifyOnUp with federated credentials only", { certificate: "none", verifyOnUp: "sometimes", federatedCredentials: [{ kind: "github", repository: "contoso/ops", branch: "main" }] }, "verifyOnUp"],
  ];
  it.each(cases)("%s", (_label, overrides, key) => {
    expect(keysOf(issues(overrides))).toEqual([`exchange-app-only:${key}`]);
  });

  it.each(["tenantId", "organization", "role", "environment", "displayName", "certificate"])("refuses a list where %s takes one value", (key) => {
    const found = issues({ [key]: ["a", "b"] });
    expect(found.find((i) => i.key === `exchange-app-only:${key}`)?.message).toMatch(/must be a single value, not a list/);
  });
});

describe("a namespace one typo away from the project's is refused, not ignored", () => {
  it.each(["exchange-apponly", "exchange_app_only", "Exchange-App-Only", "exchange-app-onyl", "exchangeapponly", "exo-app-only", "exchange-app-onl"])(
    "%s:role",
    (namespace) => {
      const found = stackIssues({ [`${namespace}:role`]: "Global Reader" });
      expect(found).toHaveLength(1);
      expect(found[0]!.key).toBe(`${namespace}:role`);
      expect(found[0]!.message).toMatch(/Did you mean "exchange-app-only:role"\?/);
    },
  );

  it.each(["exchange-app-only.role", "exchange-app-only/role", "exchange-app-only::role", "exchange-apponly.role", "exchange-app-only.rol"])(
    "the project's name with another separator, %s, is refused with the key it was meant to be",
    (key) => {
      // The engine, like the CLI, puts a key without a namespace in the project's.
      const found = stackIssues({ [key.includes(":") ? key : `exchange-app-only:${key}`]: "Global Reader" });
      expect(found).toHaveLength(1);
      expect(found[0]!.message).toMatch(/Did you mean "exchange-app-only:role"\?/);
    },
  );

  it.each(["AzureAD", "azure-ad", "azure_ad", "AZUREAD"])("the azuread namespace spelt %s is refused, and a secret there is not echoed", (namespace) => {
    const found = stackIssues({ [`${namespace}:clientSecret`]: "s3cr3t-value" });
    expect(found.map((i) => i.key)).toEqual([`${namespace}:clientSecret`]);
    expect(found[0]!.message).toMatch(/Did you mean "azuread:clientSecret"\?/);
    expect(JSON.stringify(found)).not.toContain("s3cr3t-value");
  });

  it.each(["pulumi:template", "azure-native:location", "azure:location", "aws:region", "tls:proxy", "time:anything"])(
    "leaves other projects' namespaces alone: %s",
    (key) => {
      expect(() => parseStackConfig({ ...engineConfig(MINIMAL), [key]: "x" }, NOW)).not.toThrow();
    },
  );
});

describe("verifyTimeout: how long the check inside up may wait", () => {
  it.each(["5m", "90s", "1h30m", "24h"])("accepts %s", (value) => {
    expect(parse({ verifyTimeout: value }).verifyTimeout).toBe(value);
  });

  it.each(["5", "five minutes", "0s", "-5m", "25h", "500ms"])("refuses %j with the form it takes", (value) => {
    const found = issues({ verifyTimeout: value });
    expect(keysOf(found)).toEqual(["exchange-app-only:verifyTimeout"]);
    expect(found[0]!.message).toMatch(/Write a duration from 1s to 24h with its unit/);
  });
});

describe("tenant and object ids", () => {
  it("refuses the nil GUID as a tenant", () => {
    const found = issues({ tenantId: "00000000-0000-0000-0000-000000000000" });
    expect(found[0]!.message).toMatch(/nil GUID, which names no tenant/);
  });

  it("refuses the nil GUID and repeats among owners", () => {
    expect(issues({ owners: ["00000000-0000-0000-0000-000000000000"] })[0]!.key).toBe("exchange-app-only:owners");
    const owner = "11111111-2222-4333-8444-555555555555";
    expect(issues({ owners: [owner, owner.toUpperCase()] })[0]!.message).toMatch(/twice/);
  });
});

describe("messages suggest only values the validator accepts", () => {
  const corpus: Record<string, unknown>[] = [
    { tenantId: undefined },
    { tenantId: "" },
    { tenantId: "contoso" },
    { tenantId: "00000000-0000-0000-0000-000000000000" },
    { organization: undefined },
    { organization: "contoso" },
    { organization: "contoso.com" },
    ...Object.values(CLOUDS).flatMap((cloud) => [
      { environment: cloud.name, organization: undefined },
      { environment: cloud.name, organization: "contoso" },
      { environment: cloud.name, organization: "contoso.example" },
    ]),
    { role: "Exchange Admin" },
    { environment: "usgov" },
    { environment: "GCC High" },
    { environment: "AzureChinaCloud" },
    { certificate: "generated" },
    { certificate: "self-signed" },
    { tenantID: TENANT_ID },
  ];

  it("never shows the nil GUID", () => {
    for (const overrides of corpus) {
      for (const issue of issues(overrides)) expect(issue.message).not.toContain("00000000-0000-0000-0000-000000000000");
    }
  });

  it("every `pulumi config set KEY VALUE` and every 'did you mean' fix is accepted when followed", () => {
    let followed = 0;
    for (const overrides of corpus) {
      for (const issue of issues(overrides)) {
        const key = issue.key.replace(/^exchange-app-only:/, "");
        const set = /pulumi config set (\w+) ([^\s(]+)/.exec(issue.message);
        const mean = /Did you mean "([^"]+)"\?/.exec(issue.message);
        // A placeholder (<tenant>) stands for the user's own value: follow it with a real one.
        const fixes: Array<[string, string]> = [];
        if (set && set[1] !== "certificate") fixes.push([set[1]!, set[2]!.replace("<tenant>", "contoso")]);
        if (mean && key in { role: 1, environment: 1, certificate: 1 }) fixes.push([key, mean[1]!]);
        if (mean && key === "tenantID") fixes.push([mean[1]!, TENANT_ID]);
        for (const [fixKey, fixValue] of fixes) {
          if (fixValue.startsWith("<")) continue;
          const fixed: Record<string, unknown> = { ...overrides, [fixKey]: fixValue };
          if (key !== fixKey) delete fixed[key];
          const remaining = issuesOrNone(fixed).filter((i) => i.key === `exchange-app-only:${fixKey}`);
          expect({ issue: issue.message, remaining }).toEqual({ issue: issue.message, remaining: [] });
          followed++;
        }
      }
    }
    // Missing organization in each cloud and by default, role, environment (a cloud's other names), certificate mode, a key's case.
    expect(followed).toBeGreaterThanOrEqual(11);
  });

  function issuesOrNone(overrides: Record<string, unknown>) {
    try {
      parse(overrides);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return [...error.issues];
      throw error;
    }
  }
});

describe("supplied certificates Entra would refuse at sign-in", () => {
  it("refuses an RSA key under 2048 bits (AADSTS50032)", () => {
    const found = issues({ certificate: makeCertificate({ bits: 1024 }) });
    expect(found[0]!.key).toBe("exchange-app-only:certificate");
    expect(found[0]!.message).toMatch(/1024-bit RSA key.*AADSTS50032/);
  });

  it("refuses a PEM with more than one certificate and names the one to pass", () => {
    const leaf = makeCertificate({ commonName: "exo-app" });
    const ca = makeCertificate({ commonName: "Contoso Issuing CA", ca: true });
    for (const bundle of [`${leaf}${ca}`, `${ca}\n${leaf}`]) {
      const message = issues({ certificate: bundle })[0]!.message;
      expect(message).toMatch(/holds 2 certificates/);
      expect(message).toMatch(/Pass #\d "CN=exo-app" \(thumbprint [0-9A-F]{40}\) alone/);
    }
    expect(issues({ certificate: `${leaf}${leaf}` })[0]!.message).toMatch(/Pass only the app's own certificate/);
  });

  it("accepts a certificate with openssl's text around it, and registers only the block", () => {
    const pem = makeCertificate();
    const config = parse({ certificate: `Bag Attributes\n    localKeyID: 01 00 00 00\nsubject=CN = supplied\n${pem}` });
    expect(config.certificate).toMatchObject({ kind: "supplied", pem: pem.trim() });
  });
});

describe("display names", () => {
  it.each(["Łódź mail ops", "東京 Exchange", "Exchange – reporting", "Mail bot 🚀", "مكتب البريد"])("welcomes %s", (name) => {
    expect(parse({ displayName: name }).displayName).toBe(name);
  });

  it.each([
    ["a newline", "ops\nadmin"],
    ["an escape", "ops\u001b[31m"],
    ["a tab", "ops\tadmin"],
    ["a NEL", "ops\u0085admin"],
    ["a right-to-left override", "ops\u202Egnp.exe"],
    ["a line separator", "ops\u2028admin"],
  ])("refuses %s", (_label, name) => {
    const found = issues({ displayName: name });
    expect(found[0]!.key).toBe("exchange-app-only:displayName");
    expect(found[0]!.message).toMatch(/control character/);
  });

  it("counts characters, not UTF-16 units", () => {
    expect(parse({ displayName: "🚀".repeat(120) }).displayName).toHaveLength(240);
    expect(keysOf(issues({ displayName: "🚀".repeat(121) }))).toEqual(["exchange-app-only:displayName"]);
  });
});

describe("roles", () => {
  it.each(EXCHANGE_ROLES.filter((r) => !r.requiresOptIn))("accepts the template id of $name", (role) => {
    expect(parse({ role: role.templateId }).role).toBe(role);
    expect(parse({ role: role.templateId.toUpperCase() }).role).toBe(role);
  });

  it("still asks for the opt-in when Global Administrator is given by template id", () => {
    expect(issues({ role: "62e90394-69f5-4237-9190-012177145e10" })[0]!.message).toMatch(/allowGlobalAdministrator: true/);
  });

  it.each([
    ["Exchange Admin", "Exchange Administrator"],
    ["Exchnage Administrator", "Exchange Administrator"],
    ["security admin", "Security Administrator"],
    ["Compliance Admin", "Compliance Administrator"],
    ["Exchange Recipient Admin", "Exchange Recipient Administrator"],
    ["Global Readers", "Global Reader"],
  ])("suggests the role %j misspells", (typed, meant) => {
    expect(issues({ role: typed })[0]!.message).toContain(`Did you mean "${meant}"?`);
  });

  it.each(["User Administrator", "Exchange", "Security Operator", "Privileged Role Administrator", "Application Administrator", "Reader", "Global", "Exchange Reader", "Teams Administrator", "Billing Administrator"])(
    "suggests no other role for %j",
    (typed) => {
      const message = issues({ role: typed })[0]!.message;
      expect(message).not.toMatch(/Did you mean/);
      expect(message).toMatch(/Accepted: Exchange Administrator/);
    },
  );
});

describe("federated credential errors", () => {
  it("one bad entry gives its own message, not also 'no credential'", () => {
    const found = issues({ certificate: "none", federatedCredentials: [{ kind: "github", repository: "contoso", branch: "main" }] });
    expect(keysOf(found)).toEqual(["exchange-app-only:federatedCredentials[0].repository"]);
  });

  it.each<[string, unknown, string, RegExp]>([
    ["a missing field", { kind: "github", branch: "main" }, "federatedCredentials[0].repository", /is required for kind github/],
    ["a number for text", { kind: "custom", issuer: "https://idp.example", subject: 42 }, "federatedCredentials[0].subject", /must be text, not number 42/],
    ["an empty subject", { kind: "custom", issuer: "https://idp.example", subject: "" }, "federatedCredentials[0].subject", /must not be empty/],
    ["an empty audience", { kind: "github", repository: "contoso/ops", branch: "main", audience: "" }, "federatedCredentials[0].audience", /must not be empty/],
    ["a bad refType", { kind: "gitlab", project: "g/p", refType: "commit", ref: "main" }, "federatedCredentials[0].refType", /"branch" or "tag"/],
    ["a misspelt field", { kind: "github", repository: "contoso/ops", brnach: "main" }, "federatedCredentials[0].brnach", /not a field of kind github\. Did you mean "branch"\?/],
    ["an entry that is not a map", "github", "federatedCredentials[0]", /must be a map with a kind/],
  ])("%s is worded in the project's words", (_label, entry, key, wording) => {
    const found = issues({ federatedCredentials: [entry] });
    const issue = found.find((i) => i.key === `exchange-app-only:${key}`);
    expect(issue?.message).toMatch(wording);
    for (const i of found) expect(i.message).not.toMatch(/Invalid input|Too small|Unrecognized key|expected string|received/);
  });
});

describe("the azuread provider's sign-in settings (azuread:*)", () => {
  it("takes the provider's own settings", () => {
    const config = parseStackConfig({ ...engineConfig(MINIMAL), "azuread:useOidc": "true", "azuread:clientId": "11111111-2222-4333-8444-555555555555", "azuread:clientSecret": "s3cr3t-value" }, NOW);
    expect(config.tenants[0]!.signIn.settings).toEqual({ useOidc: true, clientId: "11111111-2222-4333-8444-555555555555" });
    expect(config.tenants[0]!.signIn.secrets).toEqual({ clientSecret: "s3cr3t-value" });
  });

  it.each<[string, string, RegExp]>([
    ["azuread:useOIDC", "true", /Did you mean "useOidc"\?/],
    ["azuread:useOidc", "TRUE", /must be true or false/],
    ["azuread:tenantId", "11111111-2222-4333-8444-555555555555", /another tenant/],
    ["azuread:environment", "china", /disagrees with the stack's cloud/],
  ])("refuses %s = %s", (key, value, wording) => {
    const found = stackIssues({ [key]: value });
    expect(found.map((i) => i.key)).toEqual([key]);
    expect(found[0]!.message).toMatch(wording);
  });

  it("accepts azuread:tenantId and environment that agree with the stack", () => {
    expect(() => parseStackConfig({ ...engineConfig(MINIMAL), "azuread:tenantId": TENANT_ID.toUpperCase(), "azuread:environment": "public" }, NOW)).not.toThrow();
  });

  it("never echoes a sign-in secret in an error", () => {
    const found = stackIssues({ "azuread:clientSecret": "s3cr3t-value", "azuread:bogus": "x" }, { role: "nope" });
    expect(JSON.stringify(found)).not.toContain("s3cr3t-value");
  });
});
