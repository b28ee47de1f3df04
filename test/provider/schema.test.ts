/**
 * provider/schema.json, the schema the plugin serves: regenerated from the sources it is the same file (run
 * `npm run schema` after changing a component's args or outputs), it is a valid Pulumi package schema, and its
 * names are the components' TypeScript args and outputs.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { EXCHANGE_APP_ONLY_ARG_KEYS } from "../../components/exchangeAppOnly";
import { EXCHANGE_MANAGED_IDENTITY_ARG_KEYS } from "../../components/exchangeManagedIdentity";
import { outputProperties } from "../../components/outputProperties";
import { repositoryRoot, schemaText } from "../../provider/schema/generate";

const ROOT = repositoryRoot();
const committed = readFileSync(join(ROOT, "provider", "schema.json"), "utf8");
const schema = JSON.parse(committed) as {
  resources: Record<string, { isComponent?: boolean; description?: string; inputProperties: Record<string, { secret?: boolean }>; properties: Record<string, { secret?: boolean }> }>;
  [key: string]: unknown;
};
/** Pulumi's package metaschema, a copy in the repository (test/fixtures, from Pulumi's pkg/codegen/schema). */
function metaschemaPath(): string {
  return join(ROOT, "test", "fixtures", "pulumi-package.schema.json");
}

const APP = schema.resources["exchange-app-only:index:ExchangeAppOnly"]!;
const IDENTITY = schema.resources["exchange-app-only:index:ExchangeManagedIdentity"]!;

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

  it("names ExchangeManagedIdentity's inputs as its TypeScript args", () => {
    expect(Object.keys(IDENTITY.inputProperties).sort()).toEqual([...EXCHANGE_MANAGED_IDENTITY_ARG_KEYS].sort());
  });

  it("marks the components and every secret output, and carries the Registry's metadata", () => {
    expect([APP.isComponent, IDENTITY.isComponent]).toEqual([true, true]);
    const secrets = Object.entries(APP.properties).filter(([, p]) => p.secret).map(([name]) => name).sort();
    expect(secrets).toEqual(["certificatePfxBase64", "certificatePrivateKeyPem", "clientSecret"]);
    expect(APP.inputProperties.clientSecret!.secret).toBeUndefined(); // the arg is a boolean: create one
    for (const key of ["displayName", "description", "publisher", "repository", "license"]) expect(typeof schema[key]).toBe("string");
    const keywords = schema.keywords as string[];
    expect(keywords).toContain("kind/component");
    expect(keywords.some((k) => k.startsWith("category/"))).toBe(true);
    expect(APP.description).toBeTruthy();
  });
});
