/**
 * "Did you mean" suggests the right concept, not the nearest spelling (issue 14). `kind: systemAssigned` is not a
 * misspelt userAssigned; `environment: AzureUSGovernment` is Azure's name for two Microsoft 365 clouds; `appMode:
 * singleTenant` is perTenant, though it is spelled like multiTenant. Known wrong concepts get their own advice;
 * anything else is suggested only when it abbreviates or misspells one value word for word.
 */
import { SCHEDULE_FREQUENCIES } from "../../src/automation/schedule";
import { CONCEPTS, type ConceptField, type WrongConcept } from "../../src/config/concepts";
import { FEDERATED_KINDS } from "../../src/config/federatedSchema";
import { READER_TYPES } from "../../src/config/keyVault";
import { IDENTITY_KINDS } from "../../src/config/managedIdentity";
import { APP_MODES } from "../../src/config/tenants";
import { CLOUD_NAMES, WORKLOADS } from "../../src/facts";
import { evaluate } from "../support/evaluate";
import { refusedAt } from "../support/refusal";

/** The values each field accepts: a concept's `meant` must be one, a typed wrong concept must not be. */
const VALID: Readonly<Record<ConceptField, readonly string[]>> = {
  environment: CLOUD_NAMES,
  managedIdentityKind: IDENTITY_KINDS,
  consent: ["automatic", "manual"],
  appMode: APP_MODES,
  certificate: ["generate", "none"],
  clientSecretRotation: [],
  certificateRotation: [],
  federatedKind: FEDERATED_KINDS,
  workload: WORKLOADS,
  readerType: READER_TYPES,
  scheduleFrequency: SCHEDULE_FREQUENCIES,
};

describe("the concept table", () => {
  it.each(Object.keys(CONCEPTS) as ConceptField[])("%s: every advice points at a valid value, and no wrong concept is one", (field) => {
    for (const concept of CONCEPTS[field] as readonly WrongConcept[]) {
      if (concept.meant !== undefined) expect(VALID[field]).toContain(concept.meant);
      if (Array.isArray(concept.typed)) for (const typed of concept.typed) expect(VALID[field]).not.toContain(typed);
      expect(concept.why.length).toBeGreaterThan(20);
    }
  });
});

const WHERE = { resourceGroup: "rg", location: "westeurope" };
const MANY = { tenantId: undefined, organization: undefined };
const CONTOSO = { key: "contoso", tenantId: "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7", organization: "contoso.onmicrosoft.com" };
const FABRIKAM = { key: "fabrikam", tenantId: "7a2e3d4c-5b6f-4a70-9b82-a3c4d5e6f708", organization: "fabrikam.onmicrosoft.com" };

describe("a managed identity's kind", () => {
  it.each(["systemAssigned", "SystemAssigned", "system-assigned", "vm", "functionApp", "appService"])("%s gets existing (a VM's or Function's identity) explained, not userAssigned", async (kind) => {
    const issue = await refusedAt({ managedIdentity: { kind } }, "managedIdentity.kind");
    expect(issue.value).toBe(JSON.stringify(kind));
    expect(issue.message).toMatch(/A system-assigned identity belongs to its Azure resource.*use kind: existing with its principalId.*kind: automationAccount/);
    expect(issue.message).not.toMatch(/Did you mean "userAssigned"/);
  });

  it.each<[string, RegExp]>([
    ["servicePrincipal", /A managed identity is not an app registration: to grant an app, remove managedIdentity/],
    ["msi", /Choose what the stack does: userAssigned .*automationAccount .*existing/],
    ["runbook", /Did you mean "automationAccount"\?/],
    ["uami", /Did you mean "userAssigned"\?/],
    ["user", /Did you mean "userAssigned"\?/],
    ["existng", /Did you mean "existing"\?/],
  ])("%s", async (kind, why) => {
    expect((await refusedAt({ managedIdentity: { kind } }, "managedIdentity.kind")).message).toMatch(why);
  });
});

describe("environment, given as Azure's or Microsoft 365's other names", () => {
  it.each<[string, RegExp]>([
    ["AzureUSGovernment", /That is Azure Government, which serves two Microsoft 365 clouds: GCC High \("usgovernment"\) and DoD \("dod"\)/],
    ["usgov", /serves two Microsoft 365 clouds/],
    ["GCC", /Did you mean "public"\? GCC .* runs on the worldwide Entra and Exchange endpoints/],
    ["GCC High", /Did you mean "usgovernment"\?/],
    ["O365USGovDoD", /Did you mean "dod"\?/],
    ["AzureCloud", /Did you mean "public"\?/],
    ["AzureChinaCloud", /Did you mean "china"\?/],
    ["21Vianet", /Did you mean "china"\?/],
    ["AzureGermanCloud", /Microsoft Cloud Deutschland closed/],
  ])("%s", async (environment, why) => {
    const issue = await refusedAt({ environment }, "environment");
    expect(issue.value).toBe(JSON.stringify(environment));
    expect(issue.message).toMatch(why);
    expect(issue.message).toMatch(/Use one of: public, usgovernment, dod, china/);
  });
});

describe("consent and appMode", () => {
  it.each<[string, RegExp]>([
    ["admin", /Did you mean "manual"\? consent: manual leaves the tenant to its own admin/],
    ["customer", /Did you mean "manual"\?/],
    ["true", /Did you mean "automatic"\?/],
    ["auto", /Did you mean "automatic"\?/],
  ])("consent: %s", async (consent, why) => {
    const issue = await refusedAt({ ...MANY, appMode: "multiTenant", tenants: [{ ...CONTOSO, home: true }, { ...FABRIKAM, consent }] }, "tenants[fabrikam].consent");
    expect(issue.message).toMatch(why);
  });

  it.each<[string, string]>([
    ["singleTenant", "perTenant"],
    ["single", "perTenant"],
    ["AzureADMyOrg", "perTenant"],
    ["msp", "multiTenant"],
    ["AzureADMultipleOrgs", "multiTenant"],
    ["multi", "multiTenant"],
  ])("appMode: %s means %s", async (appMode, meant) => {
    const issue = await refusedAt({ ...MANY, appMode, tenants: [CONTOSO] }, "appMode");
    expect(issue.message).toContain(`Did you mean "${meant}"?`);
    expect(issue.message).not.toContain(`Did you mean "${meant === "perTenant" ? "multiTenant" : "perTenant"}"`);
  });
});

describe("certificate and the rotation counters", () => {
  it.each<[string, RegExp]>([
    ["self-signed", /Did you mean "generate"\?/],
    ["false", /Did you mean "none"\?/],
    ["./certs/app.crt", /That names a file or a format: certificate takes the certificate's text, as PEM: pulumi config set certificate -- "\$\(cat app\.crt\)"/],
    ["C:\\certs\\app.cer", /That names a file or a format/],
    ["app.pfx", /That names a PFX, which holds the private key: .*openssl pkcs12 -in app\.pfx -clcerts -nokeys/],
    ["3F2A9C1B7D6E5F4A3B2C1D0E9F8A7B6C5D4E3F2A", /That is a thumbprint: .*certificateThumbprint/],
    ["keyVault", /Did you mean "generate"\? The stack stores a generated certificate in the vault/],
  ])("certificate: %s", async (certificate, why) => {
    const issue = await refusedAt({ certificate }, "certificate");
    // A word the key takes is shown; other text at a key named for a credential shows only its shape.
    expect(issue.value).toBe(/^[\w-]+$/.test(certificate) && !/^[0-9A-F]{40}$/.test(certificate) ? JSON.stringify(certificate) : `(not shown: ${certificate.length} characters)`);
    expect(issue.message).toMatch(why);
  });

  it.each<[string, string, RegExp]>([
    ["clientSecretRotation", "auto", /must be a whole number, 0 or more\. It is a generation counter, not a switch or a schedule.*see docs\/rotation\.md, "Rotating the client secret"/],
    ["clientSecretRotation", "true", /It is a generation counter/],
    ["clientSecretRotation", "90d", /How long each credential lasts is clientSecretLifetimeDays/],
    ["certificateRotation", "yearly", /It is a generation counter.*see docs\/rotation\.md, "Rotating the certificate"/],
    ["certificateRotation", "1y", /How long each credential lasts is certificateValidityDays/],
    ["certificateRotation", "2027-01-01", /certificateValidityDays, in days/],
  ])("%s: %s", async (key, value, why) => {
    const issue = await refusedAt({ clientSecret: "true", [key]: value }, key);
    expect(issue.value).toBe(JSON.stringify(value));
    expect(issue.message).toMatch(why);
  });

  it("a number that is only out of range keeps the plain message", async () => {
    expect((await refusedAt({ clientSecretRotation: "-1" }, "clientSecretRotation")).message).toMatch(/must be between 0 and/);
  });
});

describe("federated kinds, workloads, vault readers, schedules", () => {
  it.each<[string, RegExp]>([
    ["githubActions", /Did you mean "github"\?/],
    ["ado", /Did you mean "azureDevOps"\?/],
    ["aks", /Did you mean "kubernetes"\? .*oidcIssuerProfile\.issuerUrl/],
    ["terraformCloud", /Did you mean "custom"\?/],
    ["managedIdentity", /A managed identity is its own key, managedIdentity/],
  ])("federatedCredentials kind %s", async (kind, why) => {
    expect((await refusedAt({ federatedCredentials: [{ kind }] }, "federatedCredentials[0].kind")).message).toMatch(why);
  });

  it.each<[string, RegExp]>([
    ["exo", /Did you mean "exchange"\?/],
    ["scc", /Did you mean "compliance"\?/],
    ["Purview", /Did you mean "compliance"\?/],
    ["eDiscovery", /Purview eDiscovery cmdlets do not run app-only/],
    ["graph", /are not granted by this stack/],
  ])("workloads [%s]", async (workload, why) => {
    expect((await refusedAt({ workloads: [workload] }, "workloads")).message).toMatch(why);
  });

  it.each<[string, string]>([
    ["ManagedIdentity", "ServicePrincipal"],
    ["servicePrincipal", "ServicePrincipal"],
    ["SecurityGroup", "Group"],
    ["user", "User"],
  ])("a vault reader of type %s means %s", async (type, meant) => {
    const keyVault = { name: "contoso-exo-kv", ...WHERE, readers: [{ principalId: "3c4d5e6f-1111-4222-8333-444455556666", type }] };
    expect((await refusedAt({ clientSecret: true, keyVault }, "keyVault.readers[0].type")).message).toContain(`Did you mean "${meant}"?`);
  });

  it.each<[string, RegExp]>([
    ["Daily", /Did you mean "Day"\?/],
    ["hourly", /Did you mean "Hour"\?/],
    ["Minute", /run at most once an hour: use Hour/],
    ["OneTime", /recurring schedules only/],
    ["0 6 * * *", /not cron/],
  ])("a schedule every %s", async (frequency, why) => {
    const managedIdentity = { kind: "automationAccount", name: "exo-automation", moduleVersion: "3.7.1", ...WHERE, schedule: { frequency } };
    expect((await refusedAt({ managedIdentity }, "managedIdentity.schedule.frequency")).message).toMatch(why);
  });

  it("following the advice gives a stack that plans", async () => {
    const run = await evaluate({ environment: "usgovernment", organization: "contoso.onmicrosoft.us", workloads: ["exchange"], managedIdentity: { kind: "existing", principalId: "5a6b7c8d-1111-4222-8333-444455556666" } });
    expect(run.resources.length).toBeGreaterThan(0);
  });
});
