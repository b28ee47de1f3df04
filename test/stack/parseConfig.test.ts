import { ConfigError } from "../../src/errors";
import { CLOUDS, EXCHANGE_ROLES, SECRET_LIFETIME_DAYS } from "../../src/facts";
import { parseTenantConfig } from "../../src/config/parse";
import { MINIMAL, TENANT_ID, makeCertificate, rawConfig } from "../support/stackConfig";

const NOW = new Date();

function parse(overrides: Record<string, unknown>) {
  return parseTenantConfig(rawConfig({ ...MINIMAL, ...overrides }), NOW);
}

function configError(overrides: Record<string, unknown>): ConfigError {
  try {
    parse(overrides);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(overrides)}`);
}

describe("parseTenantConfig: defaults", () => {
  it("gives the least-privilege, certificate-only setup when only tenant and organization are set", () => {
    const config = parse({});
    expect(config.tenantId).toBe(TENANT_ID);
    expect(config.cloud).toBe(CLOUDS.public);
    expect(config.role?.name).toBe("Exchange Administrator");
    expect(config.role?.templateId).toBe("29232cdf-9323-42fd-ade2-1d097af3e4de");
    expect(config.certificate).toEqual({ kind: "generated", validityDays: 365, rsaBits: 2048, rotation: 0 });
    expect(config.clientSecret).toBeUndefined();
    expect(config.federatedCredentials).toEqual([]);
    expect(config.protect).toBe(false);
  });

  it("accepts every role Exchange accepts, by name or loosely typed", () => {
    for (const role of EXCHANGE_ROLES.filter((r) => !r.requiresOptIn)) {
      expect(parse({ role: role.name }).role).toBe(role);
      expect(parse({ role: role.name.toLowerCase().replace(/ /g, "-") }).role).toBe(role);
    }
  });

  it("allows Global Administrator only with the opt-in", () => {
    expect(parse({ role: "Global Administrator", allowGlobalAdministrator: "true" }).role?.templateId).toBe(
      "62e90394-69f5-4237-9190-012177145e10",
    );
  });

  it("takes each cloud with its initial domain", () => {
    expect(parse({ environment: "usgovernment", organization: "contoso.onmicrosoft.us" }).cloud).toBe(CLOUDS.usgovernment);
    expect(parse({ environment: "dod", organization: "contoso.onmicrosoft.us" }).cloud).toBe(CLOUDS.dod);
    expect(parse({ environment: "china", organization: "contoso.partner.onmschina.cn" }).cloud).toBe(CLOUDS.china);
  });

  it("takes a supplied public certificate and reads its thumbprint and dates", () => {
    const pem = makeCertificate();
    const config = parse({ certificate: pem });
    expect(config.certificate).toMatchObject({ kind: "supplied", pem: pem.trim() });
    expect(config.certificate?.kind === "supplied" && config.certificate.info.thumbprint).toMatch(/^[0-9A-F]{40}$/);
  });

  it("takes a client secret with its lifetime and rotation", () => {
    expect(parse({ clientSecret: "true", clientSecretLifetimeDays: "90", clientSecretRotation: "3" }).clientSecret).toEqual({
      lifetimeDays: 90,
      rotation: 3,
    });
    expect(parse({ clientSecret: "true" }).clientSecret?.lifetimeDays).toBe(SECRET_LIFETIME_DAYS.default);
  });

  it("allows federated credentials alone, with no certificate", () => {
    const config = parse({ certificate: "none", federatedCredentials: [{ kind: "github", repository: "contoso/ops", environment: "prod" }] });
    expect(config.certificate).toBeUndefined();
    expect(config.federatedCredentials).toHaveLength(1);
  });
});

// Each row: the bad value, the key the message must name, and words of the fix it must give.
const BAD_INPUT: ReadonlyArray<[string, Record<string, unknown>, string, RegExp]> = [
  ["tenant id that is a domain", { tenantId: "contoso.onmicrosoft.com" }, "exchange-app-only:tenantId", /is a domain name, and this takes the tenant's id, a GUID/],
  ["missing tenant id", { tenantId: undefined }, "exchange-app-only:tenantId", /is required: pulumi config set tenantId/],
  ["missing organization", { organization: undefined }, "exchange-app-only:organization", /is required/],
  ["organization that is not a domain", { organization: "contoso" }, "exchange-app-only:organization", /is not a domain name/],
  ["custom domain as organization", { organization: "contoso.com" }, "exchange-app-only:organization", /initial domain \(ending \.onmicrosoft\.com/],
  ["unknown role, near miss", { role: "Exchange Admin" }, "exchange-app-only:role", /Did you mean "Exchange Administrator"\?/],
  ["unsupported role", { role: "User Administrator" }, "exchange-app-only:role", /isn't supported in this scenario.*Accepted: Exchange Administrator/],
  ["Global Administrator without opt-in", { role: "Global Administrator" }, "exchange-app-only:role", /allowGlobalAdministrator: true/],
  ["unknown cloud, near miss", { environment: "usgovernmnet" }, "exchange-app-only:environment", /Did you mean "usgovernment"\?/],
  ["Azure's name for two clouds", { environment: "usgov" }, "exchange-app-only:environment", /Azure Government, which serves two Microsoft 365 clouds: GCC High \("usgovernment"\) and DoD \("dod"\)/],
  ["unknown cloud", { environment: "mars" }, "exchange-app-only:environment", /Use one of: public, usgovernment, dod, china/],
  ["no credential at all", { certificate: "none" }, "exchange-app-only:certificate", /no credential/],
  ["secret lifetime over 730 days", { clientSecret: "true", clientSecretLifetimeDays: "731" }, "exchange-app-only:clientSecretLifetimeDays", /between 1 and 730/],
  ["secret lifetime zero", { clientSecret: "true", clientSecretLifetimeDays: "0" }, "exchange-app-only:clientSecretLifetimeDays", /between 1 and 730/],
  ["secret lifetime negative", { clientSecretLifetimeDays: "-5" }, "exchange-app-only:clientSecretLifetimeDays", /between 1 and 730/],
  ["secret lifetime not a number", { clientSecretLifetimeDays: "half a year" }, "exchange-app-only:clientSecretLifetimeDays", /whole number/],
  ["boolean that is not one", { clientSecret: "yes" }, "exchange-app-only:clientSecret", /true or false/],
  ["malformed GitHub repository", { federatedCredentials: [{ kind: "github", repository: "contoso", branch: "main" }] }, "exchange-app-only:federatedCredentials[0].repository", /"owner\/repo"/],
  ["GitHub with two selectors", { federatedCredentials: [{ kind: "github", repository: "contoso/ops", branch: "main", tag: "v1" }] }, "exchange-app-only:federatedCredentials[0]", /exactly one of branch, tag, environment or pullRequest/],
  ["GitHub branch with a wildcard", { federatedCredentials: [{ kind: "github", repository: "contoso/ops", branch: "release/*" }] }, "exchange-app-only:federatedCredentials[0].branch", /no spaces or wildcards/],
  [
    "duplicate federated subject",
    { federatedCredentials: [{ kind: "github", repository: "contoso/ops", branch: "main" }, { kind: "github", repository: "contoso/ops", branch: "main", name: "again" }] },
    "exchange-app-only:federatedCredentials[1]",
    /duplicates federatedCredentials\[0\]/,
  ],
  ["unknown federated kind", { federatedCredentials: [{ kind: "githb", repository: "contoso/ops" }] }, "exchange-app-only:federatedCredentials[0].kind", /Did you mean "github"\?/],
  ["Kubernetes issuer over http", { federatedCredentials: [{ kind: "kubernetes", issuer: "http://oidc.example", namespace: "ops", serviceAccount: "exo" }] }, "exchange-app-only:federatedCredentials[0].issuer", /https:\/\//],
  ["Azure DevOps without organization GUID", { federatedCredentials: [{ kind: "azureDevOps", organization: "contoso", organizationId: "contoso", project: "ops", serviceConnection: "exo" }] }, "exchange-app-only:federatedCredentials[0].organizationId", /GUID/],
  ["certificate that does not parse", { certificate: "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----" }, "exchange-app-only:certificate", /does not parse/],
  ["expired certificate", { certificate: makeCertificate({ notBefore: new Date("2020-01-01"), notAfter: new Date("2021-01-01") }) }, "exchange-app-only:certificate", /expired on 2021-01-01/],
  ["ECDSA certificate", { certificate: makeCertificate({ ec: true }) }, "exchange-app-only:certificate", /needs an RSA certificate/],
  ["private key in config", { certificate: "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----" }, "exchange-app-only:certificate", /holds a private key/],
  ["typo in certificate mode", { certificate: "generated" }, "exchange-app-only:certificate", /Did you mean "generate"\?/],
  ["RSA key size not offered", { certificateRsaBits: "1024" }, "exchange-app-only:certificateRsaBits", /between 2048 and 4096/],
  ["owner that is not an object id", { owners: ["alice@contoso.com"] }, "exchange-app-only:owners", /object ids \(GUIDs\)/],
  ["unknown key, near miss", { tenantID: TENANT_ID }, "exchange-app-only:tenantID", /Did you mean "tenantId"\?/],
];

describe("parseTenantConfig: bad input gets one clear message naming key, value and fix", () => {
  it.each(BAD_INPUT)("%s", (_label, overrides, key, fix) => {
    const error = configError(overrides);
    const issue = error.issues.find((i) => i.key === key);
    expect(issue).toBeDefined();
    expect(issue!.message).toMatch(fix);
    expect(error.message).toContain(`${key} = ${issue!.value}`);
    expect(error.code).toBe("ERR_CONFIG_INVALID");
  });

  it("names a bad opt-in once, even with the role it guards", () => {
    const error = configError({ role: "Global Administrator", allowGlobalAdministrator: "yes" });
    expect(error.issues.filter((i) => i.key === "exchange-app-only:allowGlobalAdministrator")).toHaveLength(1);
  });

  it("shows the offending value, quoted", () => {
    expect(configError({ role: "Exchange Admin" }).message).toContain('exchange-app-only:role = "Exchange Admin"');
  });

  it("never echoes certificate or key material", () => {
    const key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
    const message = configError({ certificate: key }).message;
    expect(message).not.toContain("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC");
    expect(message).toMatch(/PEM text, \d+ characters/);
  });

  it("reports every bad key at once, so one run shows everything to fix", () => {
    const error = configError({ tenantId: "nope", environment: "mars", role: "Owner" });
    expect(error.issues.map((i) => i.key)).toEqual(
      expect.arrayContaining(["exchange-app-only:tenantId", "exchange-app-only:environment", "exchange-app-only:role"]),
    );
  });
});
