/**
 * The examples for every language (examples/<language>/) and the docs' code blocks (docs/languages.md) against the
 * package schema the plugin serves (provider/schema.json): every arg they pass is an input of ExchangeAppOnly, every
 * output they read is one of its outputs (with each language's casing), the required inputs are there, and the SDK
 * names they import are the ones `pulumi package add` generates from that schema. No Python, Go or .NET toolchain runs
 * here, so this is what keeps the examples from drifting from the API.
 */
import Ajv2020 from "ajv/dist/2020";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { readDoc } from "../support/docs";
import { codeBlocks, csharpUses, goUses, pascalCase, pythonUses, sdkNames, snakeCase, unknownNames, yamlUses, type ComponentUse, type PackageNames } from "./programs";

const ROOT = join(__dirname, "..", "..");
const SCHEMA_FILE = join(ROOT, "provider", "schema.json");
const TOKEN = "exchange-app-only:index:ExchangeAppOnly";

interface ResourceSchema {
  inputProperties: Record<string, unknown>;
  requiredInputs?: string[];
  properties: Record<string, unknown>;
}

function loadSchema(): PackageNames & { resources: Record<string, ResourceSchema> } {
  if (!existsSync(SCHEMA_FILE)) throw new Error(`${SCHEMA_FILE} is missing: the plugin's committed schema (provider/schema.json) is what the examples are checked against`);
  return JSON.parse(readFileSync(SCHEMA_FILE, "utf8"));
}

const schema = loadSchema();
const component = schema.resources[TOKEN]!;
const inputs = Object.keys(component.inputProperties);
const outputs = Object.keys(component.properties);
const required = component.requiredInputs ?? [];
const names = sdkNames(schema);

const read = (...path: string[]) => readFileSync(join(ROOT, "examples", ...path), "utf8");
const project = (language: string) => parse(read(language, "Pulumi.yaml"));

/** Every arg and output name of one use that the schema does not know, and every required input it leaves out. */
function problems(use: ComponentUse, casing: (camel: string) => string) {
  return {
    unknownArgs: unknownNames(use.args, inputs, casing),
    unknownOutputs: unknownNames(use.outputs, outputs, casing),
    missingRequired: required.map(casing).filter((r) => !use.args.includes(r)),
  };
}
const clean = { unknownArgs: [], unknownOutputs: [], missingRequired: [] };

describe("the schema the examples are checked against", () => {
  it("has ExchangeAppOnly with the component's TypeScript args and outputs", () => {
    expect(component).toBeDefined();
    expect(inputs).toEqual(expect.arrayContaining(["tenantId", "organization", "role", "displayName"]));
    expect(outputs).toEqual(expect.arrayContaining(["clientId", "connectExchangeOnline"]));
    expect(required).toEqual(expect.arrayContaining(["tenantId", "organization"]));
  });
});

describe("examples/<language>", () => {
  const languages = readdirSync(join(ROOT, "examples")).sort();

  it("exist for the five languages", () => {
    expect(languages).toEqual(["csharp", "go", "python", "typescript", "yaml"]);
  });

  it.each(languages)("%s: Pulumi.yaml is valid against the schema the Pulumi CLI checks", (language) => {
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(join(ROOT, "test", "fixtures", "pulumi-project.schema.json"), "utf8")));
    const file = project(language);
    expect(validate(file) ? [] : validate.errors).toEqual([]);
  });

  it.each(["python", "go", "csharp", "yaml"])("%s: Pulumi.yaml adds the plugin folder of this repository as the package exchange-app-only", (language) => {
    expect(project(language).packages).toEqual({ "exchange-app-only": "../../provider" });
    expect(existsSync(join(ROOT, "examples", language, "../../provider"))).toBe(true);
  });

  it("python: the args and outputs are the schema's, in snake_case; it imports the generated module and lists the SDK", () => {
    const source = read("python", "__main__.py");
    const uses = pythonUses(source);
    expect(uses).toHaveLength(1);
    expect(problems(uses[0]!, snakeCase)).toEqual(clean);
    expect(uses[0]!.outputs).toEqual(expect.arrayContaining(["client_id", "connect_exchange_online"]));
    expect(source).toMatch(new RegExp(`^import ${names.pythonModule}\\b`, "m"));
    expect(read("python", "requirements.txt").split("\n")).toContain(names.sdkFolder);
  });

  it("go: the struct fields and outputs are the schema's, in PascalCase; go.mod replaces the generated module", () => {
    const source = read("go", "main.go");
    const uses = goUses(source);
    expect(uses).toHaveLength(1);
    expect(problems(uses[0]!, pascalCase)).toEqual(clean);
    expect(uses[0]!.outputs).toEqual(expect.arrayContaining(["ClientId", "ConnectExchangeOnline"]));
    expect(source).toContain(`"${names.goImport}"`);
    const gomod = read("go", "go.mod");
    expect(gomod).toMatch(new RegExp(`^replace ${names.goModule.replace(/[.]/g, "\\.")} => \\./${names.sdkFolder}$`, "m"));
    expect(gomod).toContain(`\t${names.goModule} v`);
  });

  it("csharp: the initializer's properties and the outputs are the schema's, in PascalCase; the project references the SDK", () => {
    const source = read("csharp", "Program.cs");
    const uses = csharpUses(source);
    expect(uses).toHaveLength(1);
    expect(problems(uses[0]!, pascalCase)).toEqual(clean);
    expect(uses[0]!.outputs).toEqual(expect.arrayContaining(["ClientId", "ConnectExchangeOnline"]));
    expect(source).toContain(`using ${names.csharpNamespace};`);
    expect(read("csharp", "exchange-access-csharp.csproj")).toContain(`<ProjectReference Include="${names.sdkFolder}/${names.csharpNamespace}.csproj" />`);
  });

  it("yaml: the resource's properties and every ${exo.<output>} are the schema's, as they are (camelCase)", () => {
    const text = read("yaml", "Pulumi.yaml");
    const uses = yamlUses(parse(text), text);
    expect(uses.map((u) => u.name)).toEqual(["exo"]);
    expect(problems(uses[0]!, (n) => n)).toEqual(clean);
    expect(parse(text).outputs).toEqual({ clientId: "${exo.clientId}", connectExchangeOnline: "${exo.connectExchangeOnline}" });
  });

  it.each([
    ["python", "__main__.py", /pulumi\.export\("(\w+)"/g],
    ["go", "main.go", /ctx\.Export\("(\w+)"/g],
    ["csharp", "Program.cs", /\["(\w+)"\]\s*=/g],
  ] as const)("%s: exports clientId and connectExchangeOnline", (language, file, exportPattern) => {
    expect([...read(language, file).matchAll(exportPattern)].map((m) => m[1])).toEqual(["clientId", "connectExchangeOnline"]);
  });
});

describe("docs/languages.md's code, checked the same way", () => {
  const blocks = codeBlocks(readDoc("docs/languages.md"));
  const of = (lang: string) => blocks.filter((b) => b.lang === lang).map((b) => b.code);

  it("has a program for Python, Go, C# and YAML", () => {
    const programs = {
      python: of("python").flatMap(pythonUses).length,
      go: of("go").flatMap(goUses).length,
      csharp: of("csharp").flatMap(csharpUses).length,
      yaml: of("yaml").flatMap((code) => yamlUses(parse(code), code)).length,
    };
    expect(programs).toEqual({ python: 1, go: 1, csharp: 1, yaml: 1 });
  });

  it("uses only the schema's args and outputs, with each language's casing, and the required inputs", () => {
    const all = [
      ...of("python").flatMap(pythonUses).map((u) => ({ lang: "python", ...problems(u, snakeCase) })),
      ...of("go").flatMap(goUses).map((u) => ({ lang: "go", ...problems(u, pascalCase) })),
      ...of("csharp").flatMap(csharpUses).map((u) => ({ lang: "csharp", ...problems(u, pascalCase) })),
      ...of("yaml").flatMap((code) => yamlUses(parse(code), code)).map((u) => ({ lang: "yaml", ...problems(u, (n) => n) })),
    ];
    expect(all).toEqual(["python", "go", "csharp", "yaml"].map((lang) => ({ lang, ...clean })));
  });

  it("names the SDK that pulumi package add generates from a local path: its folder, the Python module, the Go import path, the C# namespace", () => {
    const text = readDoc("docs/languages.md");
    for (const name of [names.sdkFolder, names.pythonModule, names.goImport, names.csharpNamespace]) expect({ name, inDocs: text.includes(name) }).toEqual({ name, inDocs: true });
  });

  it("shows the examples' programs as they are", () => {
    const text = readDoc("docs/languages.md");
    for (const [language, file] of [["python", "__main__.py"], ["go", "main.go"], ["csharp", "Program.cs"], ["yaml", "Pulumi.yaml"]] as const) {
      expect({ language, shown: text.includes(read(language, file)) }).toEqual({ language, shown: true });
    }
  });
});

describe("the checks catch what they should", () => {
  it("a misspelt arg, an output the component lacks and a missing required input, in each language", () => {
    expect(problems(pythonUses(`exo = m.ExchangeAppOnly("exo", tenant_ID="t", role=x(1, 2))\nprint(exo.client_idd)`)[0]!, snakeCase)).toEqual({ unknownArgs: ["tenant_ID"], unknownOutputs: ["client_idd"], missingRequired: ["organization", "tenant_id"] });
    expect(problems(goUses(`exo, err := p.NewExchangeAppOnly(ctx, "exo", &p.ExchangeAppOnlyArgs{\n TenantID: pulumi.String("t"),\n Organization: "o",\n})\nctx.Export("x", exo.ClientID)`)[0]!, pascalCase)).toEqual({ unknownArgs: ["TenantID"], unknownOutputs: ["ClientID"], missingRequired: ["TenantId"] });
    expect(problems(csharpUses(`var exo = new ExchangeAppOnly("exo", new ExchangeAppOnlyArgs { TenantId = "t", Organisation = "o", Role = f("a, b") });\nvar x = exo.Thumbprint;`)[0]!, pascalCase)).toEqual({ unknownArgs: ["Organisation"], unknownOutputs: ["Thumbprint"], missingRequired: ["Organization"] });
    const yaml = "resources:\n  exo:\n    type: exchange-app-only:ExchangeAppOnly\n    properties:\n      tenantId: t\n      organisation: o\noutputs:\n  id: ${exo.appId}\n";
    expect(problems(yamlUses(parse(yaml), yaml)[0]!, (n) => n)).toEqual({ unknownArgs: ["organisation"], unknownOutputs: ["appId"], missingRequired: ["organization"] });
  });

  it("derives the SDK names from the schema's namespace, repository and language overrides as Pulumi does", () => {
    expect(sdkNames({ name: "mypkg", namespace: "my-namespace" })).toEqual({
      sdkFolder: "sdks/my-namespace-mypkg",
      pythonModule: "my_namespace_mypkg",
      goModule: "github.com/my-namespace/pulumi-mypkg/sdk/go",
      goImport: "github.com/my-namespace/pulumi-mypkg/sdk/go/mypkg",
      csharpNamespace: "MyNamespace.Mypkg",
    });
    expect(sdkNames({ name: "exchange-app-only", repository: "https://github.com/contoso/exchange-app-only" })).toMatchObject({
      sdkFolder: "sdks/exchange-app-only",
      pythonModule: "pulumi_exchange_app_only",
      goImport: "github.com/contoso/exchange-app-only/sdk/go/exchangeapponly",
      csharpNamespace: "Pulumi.ExchangeAppOnly",
    });
  });
});
