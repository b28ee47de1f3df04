/**
 * Adopting an app made by hand (issue 6): the application, its service principal, the consent and the role
 * assignment are imported with the ids the provider documents; nothing is created again, no credential changes.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../src/errors";
import { renderPlan, toPlan } from "../../src/cli/plan";
import { EXCHANGE_ONLINE_APP_ID } from "../../src/facts";
import { section } from "../support/docs";
import { evaluate, T } from "../support/evaluate";

const ADOPT = {
  clientId: "3f8a1b2c-4d5e-4f60-8a71-92b3c4d5e6f7",
  applicationObjectId: "a1b2c3d4-1111-4222-8333-444455556666",
  servicePrincipalObjectId: "b1b2c3d4-1111-4222-8333-444455556666",
  exchangeServicePrincipalObjectId: "c1b2c3d4-1111-4222-8333-444455556666",
  consentAssignmentId: "LQPyyKBfgUO4Dkw7aRcnm3x0mjXKs_FMhqn3JY5OXGk",
  roleAssignmentId: "ePROZI_iKE653D_d6aoLHyr-lKgHI8ZGiIdz8CLVcng-1",
};

describe("adopt: an app made by hand joins the stack by import", () => {
  it("imports the application, service principal, consent and role with the provider's id formats", async () => {
    const run = await evaluate({ adopt: ADOPT });
    expect(run.one(T.application).importId).toBe(`/applications/${ADOPT.applicationObjectId}`);
    expect(run.one(T.servicePrincipal).importId).toBe(`/servicePrincipals/${ADOPT.servicePrincipalObjectId}`);
    expect(run.one(T.appRoleAssignment).importId).toBe(`/servicePrincipals/${ADOPT.exchangeServicePrincipalObjectId}/appRoleAssignedTo/${ADOPT.consentAssignmentId}`);
    expect(run.one(T.directoryRoleAssignment).importId).toBe(ADOPT.roleAssignmentId);
  });

  it("wires the adopted ids: the service principal is the app's, consent and role go to that principal", async () => {
    const run = await evaluate({ adopt: ADOPT });
    expect(run.one(T.servicePrincipal).inputs.clientId).toBe(ADOPT.clientId);
    expect(run.one(T.appRoleAssignment).inputs.principalObjectId).toBe(ADOPT.servicePrincipalObjectId);
    expect(run.one(T.directoryRoleAssignment).inputs.principalObjectId).toBe(ADOPT.servicePrincipalObjectId);
    expect(run.one(T.certificate).inputs.applicationId).toBe(`/applications/${ADOPT.applicationObjectId}`);
    expect(run.outputs).toMatchObject({ clientId: ADOPT.clientId, applicationObjectId: ADOPT.applicationObjectId, servicePrincipalObjectId: ADOPT.servicePrincipalObjectId });
    expect(run.one(T.check).inputs.clientId).toBe(ADOPT.clientId);
  });

  it("leaves a hand-made app's API-permission list and owners as they are, so the import matches", async () => {
    const run = await evaluate({ adopt: ADOPT });
    expect(run.one(T.application).ignoreChanges).toEqual(["requiredResourceAccesses", "owners"]);
    expect(run.one(T.servicePrincipal).ignoreChanges).toEqual(["owners"]);
    const owned = await evaluate({ adopt: ADOPT, owners: ["11111111-2222-4333-8444-555555555555"] });
    expect(owned.one(T.application).ignoreChanges).toEqual(["requiredResourceAccesses"]);
    expect(owned.one(T.application).inputs.owners).toEqual(["11111111-2222-4333-8444-555555555555"]);
  });

  it("grants what the hand-made app lacks: no consent or role id means they are created", async () => {
    const { consentAssignmentId, exchangeServicePrincipalObjectId, roleAssignmentId, ...appOnly } = ADOPT;
    void consentAssignmentId, exchangeServicePrincipalObjectId, roleAssignmentId;
    const run = await evaluate({ adopt: appOnly });
    expect(run.one(T.application).importId).toBeDefined();
    expect(run.one(T.appRoleAssignment).importId).toBeUndefined();
    expect(run.one(T.directoryRoleAssignment).importId).toBeUndefined();
  });

  it("never imports or replaces a credential: the stack's credentials are the ones it declares anyway", async () => {
    const config = { clientSecret: "true", clientSecretRotation: "1", certificateRotation: "1" };
    const plain = await evaluate(config);
    const adopted = await evaluate({ ...config, adopt: ADOPT });
    const credentials = (run: typeof plain) =>
      run.resources.filter((r) => ([T.certificate, T.password, T.privateKey, T.selfSignedCert, T.rotating] as string[]).includes(r.type)).map((r) => ({ type: r.type, name: r.name, importId: r.importId }));
    expect(credentials(adopted)).toEqual(credentials(plain));
    expect(credentials(adopted).every((c) => c.importId === undefined)).toBe(true);
  });

  it("imports nothing without adopt, and never the first-party Exchange Online principal", async () => {
    const run = await evaluate();
    expect(run.resources.filter((r) => r.importId)).toEqual([]);
    const adopted = await evaluate({ adopt: ADOPT });
    expect(adopted.resources.filter((r) => r.type === T.servicePrincipal).map((r) => r.inputs.clientId)).not.toContain(EXCHANGE_ONLINE_APP_ID);
  });
});

describe("plan shows what is imported, and with which id", () => {
  it("marks each imported resource with its import id, in text and in JSON", async () => {
    const plan = toPlan((await evaluate({ adopt: ADOPT })).resources);
    expect(plan.filter((r) => r.importId).map((r) => [r.name, r.importId])).toEqual(
      expect.arrayContaining([
        ["exo-registration-app", `/applications/${ADOPT.applicationObjectId}`],
        ["exo-registration-sp", `/servicePrincipals/${ADOPT.servicePrincipalObjectId}`],
        ["exo-exchange-role", ADOPT.roleAssignmentId],
      ]),
    );
    const text = renderPlan(plan, "Stack contoso declares");
    expect(text).toMatch(/, 4 of them imported/);
    expect(text).toContain(`= azuread:index/application:Application  exo-registration-app  (import /applications/${ADOPT.applicationObjectId})`);
    expect(text).toMatch(/\+ azuread:index\/applicationCertificate:ApplicationCertificate  exo-certificate-credential/);
  });
});

describe("adopt: bad input is refused before anything registers", () => {
  it.each<[string, unknown, string, RegExp]>([
    ["not a map", "3f8a1b2c-4d5e-4f60-8a71-92b3c4d5e6f7", "adopt", /must be a map of the existing app's ids/],
    ["a missing object id", { clientId: ADOPT.clientId, applicationObjectId: ADOPT.applicationObjectId }, "adopt.servicePrincipalObjectId", /is required for adopt/],
    ["a client id that is not a GUID", { ...ADOPT, clientId: "exchange-app" }, "adopt.clientId", /is not a GUID; it takes the app's Application \(client\) ID/],
    ["the nil GUID", { ...ADOPT, applicationObjectId: "00000000-0000-0000-0000-000000000000" }, "adopt.applicationObjectId", /is the nil GUID, which names nothing; it takes the app registration/],
    ["a misspelt field", { ...ADOPT, roleAsignmentId: "x" }, "adopt.roleAsignmentId", /Did you mean "roleAssignmentId"\?/],
    ["a consent id without the Exchange principal", { ...ADOPT, exchangeServicePrincipalObjectId: undefined }, "adopt", /go together/],
    ["an assignment id with a slash", { ...ADOPT, roleAssignmentId: "/roleManagement/x" }, "adopt.roleAssignmentId", /assignment id/],
  ])("%s", async (_label, adopt, key, wording) => {
    const error = await evaluate({ adopt }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const issue = (error as ConfigError).issues.find((i) => i.key === `exchange-app-only:${key}`);
    expect(issue?.message).toMatch(wording);
    const monitor = pulumi.runtime.getMonitor() as unknown as { getRegisteredResources(): Map<string, unknown> };
    expect(monitor.getRegisteredResources().size).toBe(0);
  });
});

describe("the adoption example (Adopting an app made by hand)", () => {
  it("is a stack file the program accepts, and it imports all four objects", async () => {
    const { parse } = await import("yaml");
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section("Adopting an app made by hand"))![1]!.replace(/^ {3}/gm, "");
    const config = (parse(yaml) as { config: Record<string, unknown> }).config;
    const short = Object.fromEntries(Object.entries(config).map(([k, v]) => [k.replace(/^exchange-app-only:/, ""), v]));
    const run = await evaluate(short);
    expect(run.resources.filter((r) => r.importId).map((r) => r.type).sort()).toEqual(
      [T.application, T.servicePrincipal, T.appRoleAssignment, T.directoryRoleAssignment].sort(),
    );
  });
});
