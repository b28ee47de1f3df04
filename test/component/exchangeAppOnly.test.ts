/**
 * The public component, used the way another program uses it: args are the config keys (Inputs where another
 * resource's output fits), validated by the stack config's own rules; outputs are the stack output names.
 */
import * as pulumi from "@pulumi/pulumi";
import { X509Certificate } from "node:crypto";
import { ConfigError, ExchangeAppOnly, type ExchangeAppOnlyArgs } from "../../components";
import { EXCHANGE_ONLINE_APP_ID, MANAGE_AS_APP_ROLE } from "../../src/facts";
import { TYPE as T } from "../../src/facts/typeTokens";
import type { MockBackend } from "../../src/mocks/backend";
import { offlineBackend } from "../../src/mocks/offline";
import { runProgram, SECRET_MARKER } from "../../src/mocks/run";
import { makeCertificate, stackConfigMessage, TENANT_ID } from "../support/stackConfig";

const ORGANIZATION = "contoso.onmicrosoft.com";
const backend = offlineBackend({ now: new Date("2026-11-26T00:00:00Z") });

/** Runs a program that declares one `ExchangeAppOnly` and exports the named outputs. */
async function declare(args: ExchangeAppOnlyArgs, exported: readonly (keyof ExchangeAppOnly)[] = ["clientId", "servicePrincipalObjectId"], using: MockBackend = backend) {
  let component: ExchangeAppOnly | undefined;
  const run = await runProgram(
    async () => {
      component = new ExchangeAppOnly("exo", args);
      return Object.fromEntries(exported.map((name) => [name, component![name]]));
    },
    { config: {}, backend: using },
  );
  return { ...run, component: component!, ofType: (type: string) => run.resources.filter((r) => r.type === type) };
}

describe("ExchangeAppOnly, from another program", () => {
  it("registers the app, its service principal, the Exchange.ManageAsApp consent and the role, wired to each other", async () => {
    const run = await declare({ tenantId: TENANT_ID, organization: ORGANIZATION, role: "Exchange Recipient Administrator" });
    const [app] = run.ofType(T.application);
    const [sp] = run.ofType(T.servicePrincipal);
    const [consent] = run.ofType(T.appRoleAssignment);
    const [role] = run.ofType(T.directoryRoleAssignment);
    expect(app!.inputs.requiredResourceAccesses).toEqual([{ resourceAppId: EXCHANGE_ONLINE_APP_ID, resourceAccesses: [{ id: MANAGE_AS_APP_ROLE.id, type: "Role" }] }]);
    expect(sp!.inputs.clientId).toBe(run.outputs.clientId);
    expect(consent!.inputs).toMatchObject({ appRoleId: MANAGE_AS_APP_ROLE.id, principalObjectId: run.outputs.servicePrincipalObjectId });
    expect(role!.inputs).toMatchObject({ roleId: "31392ffb-586c-42d1-9346-e59415a2cc4e", principalObjectId: run.outputs.servicePrincipalObjectId, directoryScopeId: "/" });
    // Children hang under the component, as the stack program's do.
    expect(app!.parent).toBe("exo-registration");
    expect(run.resources.find((r) => r.name === "exo-registration")!.parent).toBe("exo");
  });

  it("refuses a bad arg with the stack config's message, naming the arg, before anything registers", async () => {
    let registered = 0;
    const counting: MockBackend = { newResource: (a) => (registered++, backend.newResource(a)), call: (a) => backend.call(a) };
    for (const [key, value] of [["role", "Exchange Admin"], ["organization", "contoso.com"], ["certificateRsaBits", 1024], ["verifyTimeout", "forever"]] as const) {
      const error = await declare({ tenantId: TENANT_ID, organization: ORGANIZATION, [key]: value } as ExchangeAppOnlyArgs, [], counting).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message.startsWith(`${key} = `)).toBe(true);
      expect(message.replace(/^[^=]*= /, "")).toBe(stackConfigMessage(key, value));
      expect((error as ConfigError).remedy).toContain("ExchangeAppOnly arg");
    }
    expect(registered).toBe(0);
  });

  it("refuses an arg it does not take, and a missing tenantId, saying what to pass", async () => {
    const error = await declare({ tenantId: TENANT_ID, organization: ORGANIZATION, rol: "Global Reader" } as unknown as ExchangeAppOnlyArgs, []).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^rol = "Global Reader": is not an arg of ExchangeAppOnly\. Did you mean "role"\?/);
    // Said once, as an arg: not again as a stack config key.
    expect((error as ConfigError).issues.map((issue) => issue.key)).toEqual(["rol"]);
    expect((error as Error).message).not.toContain("key of this project");
    const missing = await declare({ organization: ORGANIZATION } as ExchangeAppOnlyArgs, []).catch((e: unknown) => e);
    expect((missing as Error).message).toContain("tenantId = (not set): is required: pass tenantId: <the tenant's id");
  });

  it("takes another resource's outputs for tenantId, displayName and owners, and wires their values", async () => {
    const owner = "0b8f6a1e-3c2d-4e5f-8a9b-1c2d3e4f5a6b";
    const run = await declare(
      {
        tenantId: pulumi.output(TENANT_ID),
        organization: ORGANIZATION,
        displayName: pulumi.interpolate`exo-${pulumi.output("prod")}`,
        owners: [pulumi.output(owner)],
        clientSecret: true,
        adminApi: true,
      },
      ["clientId", "connectExchangeOnline"],
    );
    const [app] = run.ofType(T.application);
    expect(app!.inputs).toMatchObject({ displayName: "exo-prod", owners: [owner] });
    const [secret] = run.ofType(T.password);
    expect(secret!.inputs.displayName).toBe("exo-prod secret a (rotation 0)");
    const [check] = run.ofType(T.check);
    expect(check!.inputs.tenantId).toBe(TENANT_ID);
    expect(await new Promise((r) => pulumi.output(run.component.outputs.adminApi).apply(r))).toMatchObject({ baseUrl: expect.stringContaining(TENANT_ID) });
  });

  it("takes a PEM certificate as an output and puts it on the app", async () => {
    const pem = makeCertificate();
    const run = await declare({ tenantId: TENANT_ID, organization: ORGANIZATION, certificate: pulumi.output(pem) }, ["certificatePem", "certificateThumbprint"]);
    // The PEM block alone, as the stack config keeps it (text around the block is dropped).
    expect(run.outputs.certificatePem).toBe(pem.trim());
    // The credential on the app carries the certificate's own validity (its value the provider keeps secret).
    expect(run.ofType(T.certificate)[0]!.inputs.endDate).toBe(new Date(new X509Certificate(pem).validTo).toISOString());
    expect(run.outputs.certificateThumbprint).toMatch(/^[0-9A-F]{40}$/);
  });

  it("exports the credentials as secrets, and the rest in plain", async () => {
    const run = await declare({ tenantId: TENANT_ID, organization: ORGANIZATION, clientSecret: true }, [
      "clientSecret",
      "certificatePrivateKeyPem",
      "certificatePfxBase64",
      "certificateThumbprint",
      "roleName",
      "exchangeResource",
    ]);
    expect(run.secretOutputs.sort()).toEqual(["certificatePfxBase64", "certificatePrivateKeyPem", "clientSecret"]);
    expect(run.outputs.clientSecret).toBe(SECRET_MARKER);
    expect(run.outputs.roleName).toBe("Exchange Administrator");
    expect(run.outputs.exchangeResource).toBe("https://outlook.office365.com");
  });
});
