/**
 * The schema's outputs are what the components expose, and `secret: true` sits exactly where they keep a secret: each
 * component runs under mocks with args that fill every output, and its `pulumi.Output` properties are listed and
 * asked whether they are secret. The secret args of `CustomerTenantAccess` (the home app's key or secret, passed in
 * plain) never reach a registration or an output in plain.
 */
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CustomerTenantAccess, ExchangeAppOnly, ExchangeManagedIdentity, type MultiTenantApp } from "../../components";
import { TYPE as T } from "../../src/facts/typeTokens";
import { offlineBackend } from "../../src/mocks/offline";
import { runProgram, SECRET_MARKER } from "../../src/mocks/run";
import { makeCertificate, TENANT_ID } from "../support/stackConfig";

interface Property {
  secret?: boolean;
}
const schema = JSON.parse(readFileSync(join(__dirname, "..", "..", "provider", "schema.json"), "utf8")) as {
  resources: Record<string, { inputProperties: Record<string, Property>; properties: Record<string, Property> }>;
  types: Record<string, { properties?: Record<string, Property> }>;
};
const resource = (name: string) => schema.resources[`exchange-app-only:index:${name}`]!;
const secretNames = (properties: Record<string, Property> = {}) => Object.keys(properties).filter((name) => properties[name]!.secret).sort();

const CUSTOMER_TENANT = "0c5e1f2a-3b4c-4d5e-8f60-718293a4b5c6";
const backend = offlineBackend({ now: new Date("2026-11-26T00:00:00Z") });

/** Runs `build` under mocks; what the component exposes as `pulumi.Output` properties, resolved, and which are secret. */
async function exposed(build: () => pulumi.ComponentResource) {
  const run = await runProgram(
    async () => {
      const component = build();
      // Own Output properties, as Construct hands them to the engine; `urn` is every resource's.
      return Object.fromEntries(Object.entries(component).filter(([key, value]) => key !== "urn" && pulumi.Output.isInstance(value)));
    },
    { config: {}, backend },
  );
  return { names: Object.keys(run.outputs).sort(), secrets: [...run.secretOutputs].sort(), outputs: run.outputs, resources: run.resources };
}

describe("the schema's component outputs", () => {
  it("ExchangeAppOnly: every output the class exposes, secret exactly where the component keeps one", async () => {
    // A generated certificate, a client secret and the compliance workload: every output has a value.
    const run = await exposed(
      () => new ExchangeAppOnly("exo", { tenantId: TENANT_ID, organization: "contoso.onmicrosoft.com", role: "Compliance Administrator", workloads: ["exchange", "compliance"], clientSecret: true }),
    );
    expect(run.names).toEqual(Object.keys(resource("ExchangeAppOnly").properties).sort());
    expect(run.names.filter((name) => run.outputs[name] === undefined)).toEqual([]);
    expect(run.secrets).toEqual(secretNames(resource("ExchangeAppOnly").properties));
    expect(run.secrets).toEqual(["certificatePfxBase64", "certificatePrivateKeyPem", "clientSecret"]);
    // A value known from the args comes out in plain.
    expect(run.outputs.roleName).toBe("Compliance Administrator");
  });

  it("ExchangeManagedIdentity: every output the class exposes, none secret (a managed identity has no credential)", async () => {
    const run = await exposed(
      () =>
        new ExchangeManagedIdentity("exo", {
          tenantId: TENANT_ID,
          organization: "contoso.onmicrosoft.com",
          managedIdentity: { kind: "automationAccount", name: "exo-automation", resourceGroup: "rg-exchange", location: "westeurope", moduleVersion: "3.7.1" },
        }),
    );
    expect(run.names).toEqual(Object.keys(resource("ExchangeManagedIdentity").properties).sort());
    expect(run.names.filter((name) => run.outputs[name] === undefined)).toEqual([]);
    expect(run.secrets).toEqual(secretNames(resource("ExchangeManagedIdentity").properties));
    expect(run.secrets).toEqual([]);
    expect(run.outputs.managedIdentity).toMatchObject({ kind: "automationAccount", principalId: expect.any(String) });
    expect(run.outputs.runbook).toMatchObject({ automationAccount: "exo-automation", resourceGroup: "rg-exchange" });
  });

  it("CustomerTenantAccess: every output the class exposes, none secret", async () => {
    const run = await exposed(() => customer({ clientSecret: "plain-client-secret-value" }));
    expect(run.names).toEqual(Object.keys(resource("CustomerTenantAccess").properties).sort());
    expect(run.names.filter((name) => run.outputs[name] === undefined)).toEqual([]);
    expect(run.secrets).toEqual(secretNames(resource("CustomerTenantAccess").properties));
    expect(run.secrets).toEqual([]);
  });
});

/** A customer tenant of a multi-tenant app given by its outputs (as Construct gets it from another language). */
function customer(credential: Partial<MultiTenantApp>): CustomerTenantAccess {
  const app: MultiTenantApp = { clientId: "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c", applicationObjectId: "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d", ...credential };
  return new CustomerTenantAccess("fabrikam", { tenantId: CUSTOMER_TENANT, organization: "fabrikam.onmicrosoft.com", role: "Exchange Recipient Administrator", app });
}

describe("the schema's secret args", () => {
  it("marks the home app's private key and client secret, and no other arg of any component", () => {
    expect(secretNames(schema.types["exchange-app-only:index:MultiTenantApp"]!.properties)).toEqual(["certificatePrivateKeyPem", "clientSecret"]);
    for (const name of ["ExchangeAppOnly", "ExchangeManagedIdentity", "CustomerTenantAccess"]) expect(secretNames(resource(name).inputProperties)).toEqual([]);
    const otherTypes = Object.entries(schema.types).filter(([token]) => !token.endsWith(":MultiTenantApp"));
    expect(otherTypes.flatMap(([token, type]) => secretNames(type.properties).map((name) => `${token}.${name}`))).toEqual([]);
  });

  it.each([
    ["certificatePrivateKeyPem", "-----BEGIN PRIVATE KEY-----\nknown-key-passed-in-plain\n-----END PRIVATE KEY-----", "certificatePem"],
    ["clientSecret", "known-client-secret-passed-in-plain", "clientSecret"],
  ] as const)("CustomerTenantAccess keeps %s secret though it arrives in plain: the check gets it as a secret, nothing shows it", async (field, value, checkInput) => {
    const certificatePem = makeCertificate();
    const run = await exposed(() => customer({ certificatePem, certificateThumbprint: "ABCDEF0123456789ABCDEF0123456789ABCDEF01", [field]: value }));
    const check = run.resources.find((r) => r.type === T.check)!;
    expect(check.inputs[checkInput]).toBe(SECRET_MARKER);
    const seen = JSON.stringify({ resources: run.resources, outputs: run.outputs });
    expect(seen).not.toContain(value.includes("\n") ? "known-key-passed-in-plain" : value);
    // The public parts stay plain: the thumbprint in the connect line.
    expect(JSON.stringify(run.outputs.connectExchangeOnline)).toContain("ABCDEF0123456789ABCDEF0123456789ABCDEF01");
  });
});
