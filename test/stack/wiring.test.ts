import * as pulumi from "@pulumi/pulumi";
import { certificateThumbprint } from "../../src/credentials/certificates";
import { ConfigError } from "../../src/errors";
import { CLOUDS, CLOUD_NAMES, EXCHANGE_ONLINE_APP_ID, MANAGE_AS_APP_ROLE } from "../../src/facts";
import { offlineBackend } from "../../src/mocks/offline";
import { SECRET_MARKER } from "../../src/mocks/run";
import { evaluate, T } from "../support/evaluate";
import { makeCertificate } from "../support/stackConfig";

const exchangePrincipal = offlineBackend().call({
  token: "azuread:index/getServicePrincipal:getServicePrincipal",
  inputs: { clientId: EXCHANGE_ONLINE_APP_ID },
}) as { objectId: string };

describe("the app registration, consent and role", () => {
  it("declares Exchange.ManageAsApp as an application permission on a single-tenant app", async () => {
    const run = await evaluate();
    const app = run.one(T.application);
    expect(app.inputs.signInAudience).toBe("AzureADMyOrg");
    expect(app.inputs.requiredResourceAccesses).toEqual([
      { resourceAppId: EXCHANGE_ONLINE_APP_ID, resourceAccesses: [{ id: MANAGE_AS_APP_ROLE.id, type: "Role" }] },
    ]);
  });

  it("creates the service principal of our app, from the app's client id", async () => {
    const run = await evaluate();
    expect(run.one(T.servicePrincipal).inputs.clientId).toBe(run.outputs.clientId);
  });

  it("grants consent: our service principal → the looked-up Exchange Online principal, role Exchange.ManageAsApp", async () => {
    const run = await evaluate();
    const consent = run.one(T.appRoleAssignment);
    expect(consent.inputs.appRoleId).toBe("dc50a0fb-09a3-484d-be87-e023b12c6440");
    expect(consent.inputs.principalObjectId).toBe(run.outputs.servicePrincipalObjectId);
    expect(consent.inputs.resourceObjectId).toBe(exchangePrincipal.objectId);
  });

  it("puts our service principal in Exchange Administrator, tenant-wide, by template id", async () => {
    const run = await evaluate();
    const role = run.one(T.directoryRoleAssignment);
    expect(role.inputs).toMatchObject({
      roleId: "29232cdf-9323-42fd-ade2-1d097af3e4de",
      principalObjectId: run.outputs.servicePrincipalObjectId,
      directoryScopeId: "/",
    });
    expect(run.outputs.roleName).toBe("Exchange Administrator");
  });

  it("uses the chosen narrower role's template id", async () => {
    const run = await evaluate({ role: "Exchange Recipient Administrator" });
    expect(run.one(T.directoryRoleAssignment).inputs.roleId).toBe("31392ffb-586c-42d1-9346-e59415a2cc4e");
  });

  it("never manages the first-party Exchange Online service principal", async () => {
    const run = await evaluate({ clientSecret: "true", federatedCredentials: [{ kind: "github", repository: "a/b", branch: "main" }] });
    const principals = run.ofType(T.servicePrincipal);
    expect(principals).toHaveLength(1);
    expect(principals[0].inputs.clientId).not.toBe(EXCHANGE_ONLINE_APP_ID);
    expect(JSON.stringify(run.resources)).not.toContain(`"clientId":"${EXCHANGE_ONLINE_APP_ID}"`);
  });

  it("protects the app registration only when the stack asks", async () => {
    expect((await evaluate()).one(T.application).protect).toBe(false);
    expect((await evaluate({ protect: "true" })).one(T.application).protect).toBe(true);
  });

  it("parents every resource under the tenant's component and uses the tenant's provider settings", async () => {
    const run = await evaluate();
    const provider = run.one(T.provider);
    expect(provider.inputs).toMatchObject({ tenantId: run.outputs.tenantId, environment: "public" });
    for (const r of run.resources.filter((x) => x.custom && x.type !== T.provider)) {
      expect(r.parent).toMatch(/^exo(-|$)/);
    }
  });
});

describe("the tenant's provider signs in as the stack's azuread:* settings say", () => {
  it("passes the settings through, the secret ones as secrets", async () => {
    const run = await evaluate({}, { "azuread:useOidc": "true", "azuread:clientId": "11111111-2222-4333-8444-555555555555", "azuread:clientSecret": "s3cr3t" });
    // Provider inputs travel as strings; the azuread SDK itself marks clientId secret.
    expect(run.one(T.provider).inputs).toMatchObject({ useOidc: "true", clientId: SECRET_MARKER, clientSecret: SECRET_MARKER });
    expect(JSON.stringify(run.resources)).not.toContain("s3cr3t");
  });

  it("keeps the stack's tenant and cloud", async () => {
    const run = await evaluate({ environment: "china", organization: "contoso.partner.onmschina.cn" }, { "azuread:useCli": "true" });
    expect(run.one(T.provider).inputs).toMatchObject({ tenantId: run.outputs.tenantId, environment: "china", useCli: "true" });
  });
});

describe("refusals register nothing", () => {
  it.each([
    ["Global Administrator without the opt-in", { role: "Global Administrator" }, {}],
    ["an unsupported role", { role: "User Administrator" }, {}],
    ["no credential", { certificate: "none" }, {}],
    ["a key in a mistyped namespace", {}, { "exchange-apponly:role": "Global Reader" }],
    ["an unknown azuread setting", {}, { "azuread:useOIDC": "true" }],
  ])("%s", async (_label, overrides, otherKeys) => {
    await expect(evaluate(overrides, otherKeys)).rejects.toBeInstanceOf(ConfigError);
    const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, unknown> };
    expect(monitor.getRegisteredResources().size).toBe(0);
  });
});

describe("credentials", () => {
  it("generates an RSA certificate and registers its public half on the app", async () => {
    const run = await evaluate({ certificateValidityDays: "90", certificateRsaBits: "3072" });
    expect(run.one(T.privateKey).inputs).toMatchObject({ algorithm: "RSA", rsaBits: 3072 });
    const cert = run.one(T.selfSignedCert);
    expect(cert.inputs).toMatchObject({ validityPeriodHours: 90 * 24, privateKeyPem: SECRET_MARKER });
    const credential = run.one(T.certificate);
    expect(credential.inputs).toMatchObject({
      applicationId: `/applications/${run.outputs.applicationObjectId}`,
      type: "AsymmetricX509Cert",
      encoding: "pem",
    });
    expect(run.outputs.certificateThumbprint).toBe(certificateThumbprint(run.outputs.certificatePem as string));
    expect(run.secretOutputs).toEqual(expect.arrayContaining(["certificatePrivateKeyPem", "certificatePfxBase64"]));
  });

  it("registers a supplied certificate with its own dates and no generated key", async () => {
    const pem = makeCertificate({ notAfter: new Date("2030-01-01T00:00:00Z") });
    const run = await evaluate({ certificate: pem });
    expect(run.ofType(T.privateKey)).toHaveLength(0);
    expect(run.one(T.certificate).inputs.endDate).toBe("2030-01-01T00:00:00.000Z");
    expect(run.outputs.certificateThumbprint).toBe(certificateThumbprint(pem));
    expect(run.outputs.certificatePrivateKeyPem).toBeUndefined();
    expect(run.outputs.connectExchangeOnline).not.toHaveProperty("certificateFile");
  });

  it("rotating the certificate adds the new one beside the previous: generation N and N - 1 are on the app", async () => {
    const at = async (rotation: number) => {
      const run = await evaluate({ certificateRotation: String(rotation) });
      return {
        run,
        keys: run.ofType(T.privateKey).map((k) => k.name),
        credentials: run.ofType(T.certificate).map((c) => c.name),
        certificates: run.outputs.certificates as Array<{ generation: number; thumbprint: string; endDate: string; current: boolean }>,
      };
    };
    // Generation 0 keeps the names a stack had before rotation existed: no replacement on upgrade.
    const g0 = await at(0);
    expect(g0.keys).toEqual(["exo-certificate-key"]);
    expect(g0.credentials).toEqual(["exo-certificate-credential"]);
    const g1 = await at(1);
    expect(g1.keys).toEqual(["exo-certificate-key", "exo-certificate-g1-key"]);
    expect(g1.credentials).toEqual(["exo-certificate-credential", "exo-certificate-g1-credential"]);
    // The previous certificate is the very same resource with the same thumbprint: rotating never touches it.
    expect(g1.certificates[0]).toEqual({ ...g0.certificates[0], current: false });
    expect(g1.certificates[1]).toMatchObject({ generation: 1, current: true });
    expect(g1.certificates[1]!.thumbprint).not.toBe(g1.certificates[0]!.thumbprint);
    // The outputs hand out the current one, and only its key.
    expect(g1.run.outputs.certificateThumbprint).toBe(g1.certificates[1]!.thumbprint);
    expect(g1.run.outputs.certificateEndDate).toBe(g1.certificates[1]!.endDate);
    expect(certificateThumbprint(g1.run.outputs.certificatePem as string)).toBe(g1.certificates[1]!.thumbprint);
    const g2 = await at(2);
    expect(g2.credentials).toEqual(["exo-certificate-g1-credential", "exo-certificate-g2-credential"]);
    expect(g2.certificates.map((c) => [c.generation, c.current])).toEqual([[1, false], [2, true]]);
  });

  it("pairs each certificate with its own credential, and the check re-runs on either", async () => {
    const run = await evaluate({ certificateRotation: "1" });
    const applicationId = `/applications/${run.outputs.applicationObjectId}`;
    const certs = run.ofType(T.selfSignedCert);
    const credentials = run.ofType(T.certificate);
    expect(credentials).toHaveLength(2);
    credentials.forEach((credential, i) => {
      expect(credential.inputs).toMatchObject({ applicationId, type: "AsymmetricX509Cert", encoding: "pem" });
      // The value is a secret input (the azuread SDK marks it so); the dates show which certificate it holds.
      expect(credential.inputs.endDate).toBe((run.outputs.certificates as Array<{ endDate: string }>)[i]!.endDate);
      expect(certs[i]!.name.replace(/-cert$/, "-credential")).toBe(credential.name);
    });
    const credentialIds = credentials.map((c) => offlineBackend().newResource({ type: T.certificate, name: c.name, inputs: { applicationId }, custom: true }).id);
    expect(run.one(T.check).inputs.triggers).toEqual(expect.arrayContaining(credentialIds));
  });

  it("makes one secret slot at rotation 0, with the configured lifetime", async () => {
    const run = await evaluate({ clientSecret: "true", clientSecretLifetimeDays: "30" });
    const [password] = run.ofType(T.password);
    expect(run.ofType(T.password)).toHaveLength(1);
    expect(password.inputs).toMatchObject({ applicationId: `/applications/${run.outputs.applicationObjectId}`, endDate: "2026-12-26T00:00:00Z" });
    expect(run.one(T.rotating).inputs.rotationDays).toBe(30);
    expect(run.secretOutputs).toContain("clientSecret");
    expect(run.outputs.clientSecretEndDate).toBe("2026-12-26T00:00:00Z");
  });

  it("rotating keeps the previous secret: rotation N lives in slot N % 2, N - 1 in the other", async () => {
    const names = async (rotation: number) =>
      (await evaluate({ clientSecret: "true", clientSecretRotation: String(rotation) }))
        .ofType(T.password)
        .map((p) => `${p.name} ${p.inputs.displayName}`);
    expect(await names(1)).toEqual(["exo-secret-a exchange-app-only secret a (rotation 0)", "exo-secret-b exchange-app-only secret b (rotation 1)"]);
    expect(await names(2)).toEqual(["exo-secret-a exchange-app-only secret a (rotation 2)", "exo-secret-b exchange-app-only secret b (rotation 1)"]);
  });

  it("adds one federated credential a source, with the platform's issuer, subject and audience", async () => {
    const run = await evaluate({
      federatedCredentials: [
        { kind: "github", repository: "contoso/ops", environment: "production" },
        { kind: "kubernetes", issuer: "https://oidc.prod.example", namespace: "ops", serviceAccount: "exo" },
      ],
    });
    const [github, k8s] = run.ofType(T.federatedCredential);
    expect(github.inputs).toMatchObject({
      applicationId: `/applications/${run.outputs.applicationObjectId}`,
      issuer: "https://token.actions.githubusercontent.com",
      subject: "repo:contoso/ops:environment:production",
      audiences: ["api://AzureADTokenExchange"],
    });
    expect(k8s.inputs).toMatchObject({ subject: "system:serviceaccount:ops:exo", issuer: "https://oidc.prod.example" });
  });
});

describe("verifyOnUp: the check inside pulumi up", () => {
  const idOf = (type: string, name: string, inputs: Record<string, unknown> = {}) =>
    offlineBackend().newResource({ type, name, inputs, custom: true }).id;

  it("checks with the generated certificate after consent, role and credential exist, re-running when they change", async () => {
    const run = await evaluate();
    const check = run.one(T.check);
    expect(check.inputs).toMatchObject({
      tenantId: run.outputs.tenantId,
      clientId: run.outputs.clientId,
      environment: "public",
      organization: "contoso.onmicrosoft.com",
      certificatePem: SECRET_MARKER,
    });
    expect(check.inputs).not.toHaveProperty("clientSecret");
    expect(check.inputs.triggers).toEqual([
      idOf(T.appRoleAssignment, "exo-exchange-consent"),
      idOf(T.directoryRoleAssignment, "exo-exchange-role"),
      idOf(T.certificate, "exo-certificate-credential", { applicationId: `/applications/${run.outputs.applicationObjectId}` }),
    ]);
  });

  it("waits as long as verifyTimeout says, 15 minutes by default", async () => {
    expect((await evaluate()).one(T.check).inputs.timeout).toBe("15m");
    expect((await evaluate({ verifyTimeout: "5m" })).one(T.check).inputs.timeout).toBe("5m");
  });

  it("checks with the client secret when there is no generated certificate", async () => {
    const run = await evaluate({ certificate: "none", clientSecret: "true", clientSecretRotation: "1" });
    const check = run.one(T.check);
    expect(check.inputs.clientSecret).toBe(SECRET_MARKER);
    const applicationId = `/applications/${run.outputs.applicationObjectId}`;
    expect(check.inputs.triggers).toEqual(
      expect.arrayContaining([idOf(T.password, "exo-secret-a", { applicationId }), idOf(T.password, "exo-secret-b", { applicationId })]),
    );
  });

  it.each([
    ["turned off", { verifyOnUp: "false" }],
    ["only federated credentials (checked where they run)", { certificate: "none", federatedCredentials: [{ kind: "github", repository: "a/b", branch: "main" }] }],
    ["only a supplied certificate (its key is elsewhere)", { certificate: makeCertificate() }],
  ])("is not declared when %s", async (_label, overrides) => {
    expect((await evaluate(overrides)).ofType(T.check)).toEqual([]);
  });
});

describe("outputs", () => {
  it("holds every output the check and runbooks read, secrets as Pulumi secrets", async () => {
    const run = await evaluate({ clientSecret: "true" });
    expect(Object.keys(run.outputs)).toEqual(
      expect.arrayContaining(["tenantId", "organization", "environment", "clientId", "applicationObjectId", "servicePrincipalObjectId", "roleName", "certificateThumbprint", "connectExchangeOnline"]),
    );
    expect(run.secretOutputs.sort()).toEqual(["certificatePfxBase64", "certificatePrivateKeyPem", "clientSecret"]);
    for (const key of run.secretOutputs) expect(run.outputs[key]).toBe(SECRET_MARKER);
    expect(JSON.stringify(run.resources)).not.toMatch(/offline-secret-|PRIVATE KEY/);
  });

  it("prints ready-to-paste Connect-ExchangeOnline lines for each credential kind", async () => {
    const run = await evaluate();
    const lines = run.outputs.connectExchangeOnline as Record<string, string>;
    expect(lines.certificateThumbprint).toBe(
      `Connect-ExchangeOnline -AppId ${run.outputs.clientId} -CertificateThumbprint ${run.outputs.certificateThumbprint} -Organization contoso.onmicrosoft.com`,
    );
    expect(lines.certificateFile).toContain("-CertificateFilePath ./exchange-app-only.pfx");
    expect(lines.accessToken).toContain("-AccessToken $token");
  });

  it.each(CLOUD_NAMES)("%s cloud: provider environment, endpoints and -ExchangeEnvironmentName", async (name) => {
    const cloud = CLOUDS[name];
    const run = await evaluate({ environment: name, organization: `contoso${cloud.initialDomainSuffixes[0]}` });
    expect(run.one(T.provider).inputs.environment).toBe(cloud.azureadEnvironment);
    expect(run.outputs).toMatchObject({ environment: name, authorityHost: cloud.authorityHost, exchangeResource: cloud.exchangeResource });
    const line = (run.outputs.connectExchangeOnline as Record<string, string>).certificateThumbprint;
    if (cloud.exchangeEnvironmentName) expect(line).toContain(`-ExchangeEnvironmentName ${cloud.exchangeEnvironmentName}`);
    else expect(line).not.toContain("-ExchangeEnvironmentName");
  });
});

describe("determinism", () => {
  it("two evaluations of the same config register identical resources", async () => {
    const config = { clientSecret: "true", clientSecretRotation: "1", federatedCredentials: [{ kind: "gitlab", project: "ops/exo", refType: "branch", ref: "main" }] };
    const sorted = (rs: { type: string; name: string }[]) => [...rs].sort((a, b) => `${a.type}${a.name}`.localeCompare(`${b.type}${b.name}`));
    const first = await evaluate(config);
    const second = await evaluate(config);
    expect(sorted(second.resources)).toEqual(sorted(first.resources));
    expect(first.resources.length).toBeGreaterThan(10);
  });
});
