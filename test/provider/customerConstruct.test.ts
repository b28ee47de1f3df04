/**
 * CustomerTenantAccess as another language calls it: Construct gets `app` as an object of the home app's outputs
 * (the key a secret output), not a TypeScript component. The provider builds the same children as a TypeScript
 * program that passes the same values, and the outputs the schema lists.
 */
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CustomerTenantAccess, type MultiTenantApp } from "../../components";
import { TYPE as T } from "../../src/facts/typeTokens";
import { offlineBackend } from "../../src/mocks/offline";
import { runProgram, SECRET_MARKER, type RegisteredResource } from "../../src/mocks/run";
import { ExchangeAppOnlyProvider, schemaOutputs } from "../../provider/main";
import { makeCertificate } from "../support/stackConfig";
import { readDoc } from "../support/docs";
import { bracketed, codeBlocks, snakeCase } from "../examples/programs";

const SCHEMA = readFileSync(join(__dirname, "..", "..", "provider", "schema.json"), "utf8");
const TYPE = "exchange-app-only:index:CustomerTenantAccess";
const KEY = "-----BEGIN PRIVATE KEY-----\nhome-app-key-known-to-the-test\n-----END PRIVATE KEY-----";
const CERTIFICATE = makeCertificate();
const KEYS = { tenantId: "0c5e1f2a-3b4c-4d5e-8f60-718293a4b5c6", organization: "fabrikam.onmicrosoft.com", role: "Exchange Recipient Administrator" } as const;
const APP = {
  clientId: "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c",
  applicationObjectId: "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d",
  displayName: "contoso-msp",
  certificateThumbprint: "ABCDEF0123456789ABCDEF0123456789ABCDEF01",
  certificatePem: CERTIFICATE,
} as const;

const backend = offlineBackend({ now: new Date("2026-11-26T00:00:00Z") });
const shape = (resources: RegisteredResource[]) => resources.map(({ type, name, parent, inputs }) => ({ type, name, parent, inputs }));

describe("CustomerTenantAccess over Construct", () => {
  it("builds from the home app's outputs what a TypeScript program builds from the same values, and returns the schema's outputs", async () => {
    const typescript = await runProgram(
      async () => {
        const customer = new CustomerTenantAccess("fabrikam", { ...KEYS, app: { ...APP, certificatePrivateKeyPem: KEY } });
        return { connectExchangeOnline: customer.connectExchangeOnline };
      },
      { config: {}, backend },
    );
    let state: Record<string, unknown> = {};
    const construct = await runProgram(
      async () => {
        // As the SDK's server hands Construct its inputs: output values as Outputs, a secret one secret.
        const app: Record<keyof MultiTenantApp, unknown> = {
          ...Object.fromEntries(Object.entries(APP).map(([key, value]) => [key, pulumi.output(value)])),
          certificatePrivateKeyPem: pulumi.secret(KEY),
        } as Record<keyof MultiTenantApp, unknown>;
        const result = await new ExchangeAppOnlyProvider("0.1.0", SCHEMA, {}).construct("fabrikam", TYPE, { ...KEYS, app } as pulumi.Inputs, {});
        state = result.state as Record<string, unknown>;
        return { connectExchangeOnline: state.connectExchangeOnline };
      },
      { config: {}, backend },
    );
    expect(shape(construct.resources)).toEqual(shape(typescript.resources));
    expect(Object.keys(state).sort()).toEqual(schemaOutputs(SCHEMA, TYPE).sort());
    expect(construct.outputs.connectExchangeOnline).toEqual(typescript.outputs.connectExchangeOnline);
    // The home app's key reaches the customer's check as a secret, and nothing shows it.
    expect(construct.resources.find((r) => r.type === T.check)!.inputs.certificatePem).toBe(SECRET_MARKER);
    expect(JSON.stringify(construct)).not.toContain("home-app-key-known-to-the-test");
    // The customer tenant gets a service principal of the app given.
    expect(construct.resources.find((r) => r.type === T.servicePrincipal)!.inputs.clientId).toBe(APP.clientId);
  });
});

describe("CustomerTenantAccess with a bad app, over Construct", () => {
  it("is refused naming app's missing and stray fields, no value shown and nothing registered", async () => {
    let error: unknown;
    const run = await runProgram(
      async () => {
        const app = { applicationObjectId: pulumi.output(APP.applicationObjectId), certificatePrivateKey: pulumi.secret(KEY) };
        error = await new ExchangeAppOnlyProvider("0.1.0", SCHEMA, {}).construct("fabrikam", TYPE, { ...KEYS, app } as pulumi.Inputs, {}).catch((e: unknown) => e);
        return {};
      },
      { config: {}, backend },
    );
    expect(pulumi.InputPropertiesError.isInstance(error)).toBe(true);
    const { errors } = error as pulumi.InputPropertiesError;
    expect(errors).toEqual([
      { propertyPath: "app.clientId", reason: "(not set): is required: pass the home app's clientId (its output of that name)" },
      { propertyPath: "app.certificatePrivateKey", reason: expect.stringContaining(': is not a field of app. Did you mean "certificatePrivateKeyPem"?') },
    ]);
    expect(JSON.stringify(errors)).not.toContain("home-app-key-known-to-the-test");
    expect(run.resources).toEqual([]);
  });
});

describe("docs/component.md's Python program for a customer tenant", () => {
  const schema = JSON.parse(SCHEMA) as {
    resources: Record<string, { inputProperties: Record<string, unknown>; requiredInputs?: string[]; properties: Record<string, unknown> }>;
    types: Record<string, { properties: Record<string, unknown>; required?: string[] }>;
  };
  const code = codeBlocks(readDoc("docs/component.md")).find((b) => b.lang === "python" && b.code.includes("CustomerTenantAccess("))!.code;
  /** The keyword args of the first call of `callee(`, and the names the variable it is assigned to reads. */
  const call = (callee: string) => {
    const at = code.indexOf(`${callee}(`);
    const args = bracketed(code, at + callee.length).segments.flatMap((s) => /^(\w+)\s*=(?!=)/.exec(s)?.[1] ?? []);
    const variable = /(\w+)\s*=\s*$/.exec(code.slice(0, at).replace(/[\w.]+$/, ""))?.[1];
    const unquoted = code.replace(/"[^"\n]*"/g, '""');
    return { args, reads: variable ? [...unquoted.matchAll(new RegExp(`\\b${variable}\\.(\\w+)`, "g"))].map((m) => m[1]!) : [] };
  };
  const snake = (names: string[]) => names.map(snakeCase).sort();

  it("passes CustomerTenantAccess's args and MultiTenantApp's fields by the schema's names, the required ones included", () => {
    const customer = schema.resources[TYPE]!;
    const { args, reads } = call("exchange_app_only.CustomerTenantAccess");
    expect(args.filter((a) => a !== "opts" && !snake(Object.keys(customer.inputProperties)).includes(a))).toEqual([]);
    expect(snake(customer.requiredInputs ?? []).filter((a) => !args.includes(a))).toEqual([]);
    expect(reads.filter((r) => !snake(Object.keys(customer.properties)).includes(r))).toEqual([]);
    const app = schema.types["exchange-app-only:index:MultiTenantApp"]!;
    const fields = call("exchange_app_only.MultiTenantAppArgs").args;
    expect(fields.filter((f) => !snake(Object.keys(app.properties)).includes(f))).toEqual([]);
    expect(snake(app.required ?? []).filter((f) => !fields.includes(f))).toEqual([]);
  });

  it("reads only outputs ExchangeAppOnly has", () => {
    const { reads } = call("exchange_app_only.ExchangeAppOnly");
    expect(reads.length).toBeGreaterThan(3);
    expect(reads.filter((r) => !snake(Object.keys(schema.resources["exchange-app-only:index:ExchangeAppOnly"]!.properties)).includes(r))).toEqual([]);
  });
});
