/**
 * The custom resources' part of the package schema (provider/resourceSchema.ts): valid under Pulumi's package
 * metaschema, a description on every resource, input and output, `secret: true` on the secret inputs, and the same
 * property names as the resource classes register (so the schema cannot drift from the TypeScript API).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import * as pulumi from "@pulumi/pulumi";
import { customResourceSchemas } from "../../provider/resourceSchema";
import { customResourceProviders } from "../../provider/resources";
import { TYPE } from "../../src/facts";

type Props = Record<string, { description?: string; secret?: boolean; type?: string }>;
const schemas = customResourceSchemas() as Record<string, { description: string; inputProperties: Props; properties: Props; required: string[]; requiredInputs: string[] }>;

let registered: pulumi.runtime.MockResourceArgs[] = [];
beforeAll(async () => {
  await pulumi.runtime.setMocks({ newResource: (a) => (registered.push(a), { id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, "project", "stack", false);
});

test("valid under Pulumi's package metaschema (JSON Schema 2020-12)", () => {
  const metaschema = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "pulumi-package.schema.json"), "utf8"));
  const validate = new Ajv2020({ strict: false, allErrors: true, validateFormats: false }).compile(metaschema);
  const ok = validate({ name: "exchange-app-only", version: "0.1.0", resources: schemas });
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
});

test("the same type tokens as the plugin serves", () => {
  expect(Object.keys(schemas).sort()).toEqual(Object.keys(customResourceProviders()).sort());
});

test("a description on every resource, input and output; required names exist", () => {
  for (const [token, r] of Object.entries(schemas)) {
    expect(r.description.length).toBeGreaterThan(40);
    for (const [name, p] of [...Object.entries(r.inputProperties), ...Object.entries(r.properties)]) expect([token, name, (p.description ?? "").length > 10]).toEqual([token, name, true]);
    for (const name of r.requiredInputs) expect(r.inputProperties).toHaveProperty(name);
    for (const name of r.required) expect(r.properties).toHaveProperty(name);
  }
});

test("secret: true on exactly the check's secret and key, and neither is an output", () => {
  const secrets = Object.entries(schemas).flatMap(([token, r]) => [
    ...Object.entries(r.inputProperties).filter(([, p]) => p.secret).map(([n]) => `${token}.${n}`),
    ...Object.entries(r.properties).filter(([, p]) => p.secret).map(([n]) => `${token} out ${n}`),
  ]);
  expect(secrets.sort()).toEqual([`${TYPE.check}.certificatePem`, `${TYPE.check}.clientSecret`]);
  expect(schemas[TYPE.check]!.properties).not.toHaveProperty("clientSecret");
  expect(schemas[TYPE.check]!.properties).not.toHaveProperty("certificatePem");
});

test("inputs and outputs are the names the classes register", async () => {
  const { ExchangeAccessCheck } = await import("../../components/exchangeCheck");
  const { ExchangeServicePrincipal, ExchangeRoleGroup, ExchangeRoleGroupMember, ExchangeManagementRoleAssignment } = await import("../../components/exchangeRbac");
  registered = [];
  const t = { tenantId: "t", environment: "public" as const, propagationTimeout: "1m" };
  const all = [
    new ExchangeAccessCheck("c", { tenantId: "t", clientId: "c", environment: "public", clientSecret: "s", certificatePem: "p", triggers: ["x"], timeout: "1m", organization: "o", authorityHost: "h", exchangeEndpoint: "e", trustedCaPem: "ca", probe: true }),
    new ExchangeServicePrincipal("sp", { ...t, appId: "a", objectId: "o", displayName: "d" }),
    new ExchangeRoleGroup("g", { ...t, name: "n", roles: ["r"], description: "d", customRecipientWriteScope: "s", recipientAdministrativeUnitScope: "u" }),
    new ExchangeRoleGroupMember("m", { ...t, appId: "a", servicePrincipalObjectId: "o", roleGroup: "g" }),
    new ExchangeManagementRoleAssignment("ra", { ...t, appId: "a", servicePrincipalObjectId: "o", role: "r", customResourceScope: "s", recipientAdministrativeUnitScope: "u" }),
  ];
  await Promise.all(all.map((r) => new Promise<void>((resolve) => r.urn.apply(() => resolve()))));
  await new Promise((resolve) => setTimeout(resolve, 50));
  for (const r of registered) {
    const schema = schemas[r.type]!;
    expect(schema).toBeDefined();
    // What the program sends (outputs-only keys register as undefined and do not travel) is the schema's inputs.
    expect([r.type, Object.keys(r.inputs).sort()]).toEqual([r.type, Object.keys(schema.inputProperties).sort()]);
  }
  expect(registered.map((r) => r.type).sort()).toEqual(Object.keys(schemas).sort());
});
