/**
 * provider/schema.json, the schema the plugin serves: regenerated from the sources it is the same file (run
 * `npm run schema` after changing a component's args or outputs), it is a valid Pulumi package schema, and its
 * names are the components' TypeScript args and outputs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { EXCHANGE_APP_ONLY_ARG_KEYS } from "../../components/exchangeAppOnly";
import { CUSTOMER_TENANT_ARG_KEYS } from "../../components/customerTenantAccess";
import { EXCHANGE_MANAGED_IDENTITY_ARG_KEYS } from "../../components/exchangeManagedIdentity";
import { outputProperties } from "../../components/outputProperties";
import { repositoryRoot, schemaText } from "../../provider/schema/generate";

const ROOT = repositoryRoot();
const committed = readFileSync(join(ROOT, "provider", "schema.json"), "utf8");
interface Property {
  description?: string;
  secret?: boolean;
}
const schema = JSON.parse(committed) as {
  resources: Record<string, { isComponent?: boolean; description?: string; inputProperties: Record<string, Property>; properties: Record<string, Property> }>;
  types: Record<string, { description?: string; properties?: Record<string, Property> }>;
  [key: string]: unknown;
};
/** Pulumi's package metaschema, a copy in the repository (test/fixtures, from Pulumi's pkg/codegen/schema). */
function metaschemaPath(): string {
  return join(ROOT, "test", "fixtures", "pulumi-package.schema.json");
}

const APP = schema.resources["exchange-app-only:index:ExchangeAppOnly"]!;
const IDENTITY = schema.resources["exchange-app-only:index:ExchangeManagedIdentity"]!;
const CUSTOMER = schema.resources["exchange-app-only:index:CustomerTenantAccess"]!;

describe("provider/schema.json", () => {
  it("is what `npm run schema` writes from the sources today", () => {
    expect(schemaText(ROOT)).toBe(committed);
  }, 60_000);

  it("validates against Pulumi's package metaschema", () => {
    const metaschema = JSON.parse(readFileSync(metaschemaPath(), "utf8"));
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(metaschema);
    expect(validate(schema) ? [] : validate.errors).toEqual([]);
  });

  it("names ExchangeAppOnly's inputs as its TypeScript args and its outputs as its output properties", () => {
    expect(Object.keys(APP.inputProperties).sort()).toEqual([...EXCHANGE_APP_ONLY_ARG_KEYS, "multiTenant"].sort());
    expect(Object.keys(APP.properties).sort()).toEqual(Object.keys(outputProperties({} as never, undefined)).sort());
  });

  it("names ExchangeManagedIdentity's and CustomerTenantAccess's inputs as their TypeScript args (outputs: componentOutputs.test.ts)", () => {
    expect(Object.keys(IDENTITY.inputProperties).sort()).toEqual([...EXCHANGE_MANAGED_IDENTITY_ARG_KEYS].sort());
    expect(Object.keys(CUSTOMER.inputProperties).sort()).toEqual([...CUSTOMER_TENANT_ARG_KEYS, "app"].sort());
    // The home app goes by its ids and credential outputs: a plain object every language can build.
    expect(CUSTOMER.inputProperties.app).toMatchObject({ $ref: "#/types/exchange-app-only:index:MultiTenantApp" });
  });

  it("describes every resource, input, output, object type and property (what the Registry and the SDKs' docs show)", () => {
    const undescribed: string[] = [];
    const check = (where: string, thing: { description?: string } | undefined) => {
      if (!thing?.description?.trim()) undescribed.push(where);
    };
    for (const [token, resource] of Object.entries(schema.resources)) {
      check(token, resource);
      for (const [name, property] of Object.entries(resource.inputProperties ?? {})) check(`${token} input ${name}`, property);
      for (const [name, property] of Object.entries(resource.properties ?? {})) check(`${token} output ${name}`, property);
    }
    for (const [token, type] of Object.entries(schema.types)) {
      check(token, type);
      for (const [name, property] of Object.entries(type.properties ?? {})) check(`${token}.${name}`, property);
    }
    expect(undescribed).toEqual([]);
    expect(Object.keys(schema.resources)).toHaveLength(8);
  });

  it("marks the components and carries the Registry's metadata", () => {
    expect([APP.isComponent, IDENTITY.isComponent, CUSTOMER.isComponent]).toEqual([true, true, true]);
    for (const key of ["displayName", "description", "publisher", "repository", "license"]) expect(typeof schema[key]).toBe("string");
    const keywords = schema.keywords as string[];
    expect(keywords).toContain("kind/component");
    expect(keywords.some((k) => k.startsWith("category/"))).toBe(true);
  });
});
