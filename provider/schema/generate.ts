/**
 * `npm run schema`: regenerates provider/schema.json from the components' TypeScript (Pulumi's schema inference,
 * the Analyzer of @pulumi/pulumi/provider/experimental) and provider/resourceSchema.ts. test/provider/schema.test.ts
 * fails when the committed file differs from what this writes.
 */
import * as fs from "fs";
import * as path from "path";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import { generateSchema } from "@pulumi/pulumi/provider/experimental/schema";
import { customResourceSchemas } from "../resourceSchema";
import { INFERRED_COMPONENTS, packageSchema } from "./packageSchema";
import { declarationsIn, secretProperties } from "./secretTags";

/** The package name every type token starts with. */
const PACKAGE = "exchange-app-only";

/**
 * The Analyzer `require`s the TypeScript files that hold enums (`as const` objects) to read their values; outside
 * jest nothing compiles .ts on require, so a transpile-only hook does (the sources are type-checked by the build).
 */
function requireTypeScript(): void {
  if (require.extensions[".ts"]) return;
  const ts = require("typescript") as typeof import("typescript");
  require.extensions[".ts"] = (module, filename) => {
    const source = fs.readFileSync(filename, "utf8");
    const output = ts.transpileModule(source, { fileName: filename, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
    (module as unknown as { _compile(code: string, file: string): void })._compile(output.outputText, filename);
  };
}

/** The schema, as JSON text, for the sources under `root` (the repository). */
export function schemaText(root: string): string {
  requireTypeScript();
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string; description: string };
  // The package entry is dist/components/index.js; inference reads its TypeScript source.
  const analyzer = new Analyzer(root, PACKAGE, { name: PACKAGE, version: manifest.version, main: "components/index.js" }, new Set(INFERRED_COMPONENTS));
  const { components, typeDefinitions, dependencies } = analyzer.analyze();
  const inferred = generateSchema(PACKAGE, manifest.version, manifest.description, components, typeDefinitions, dependencies);
  const declarations = declarationsIn(path.join(root, "components"));
  const facts = {
    typeDescriptions: Object.fromEntries(Object.entries(typeDefinitions).map(([name, type]) => [name, type.description])),
    secrets: (name: string) => secretProperties(declarations, name),
    argsOf: (component: string) => declarations[component]?.args,
  };
  return `${JSON.stringify(packageSchema(inferred, customResourceSchemas(), manifest.description, facts), null, 2)}\n`;
}

/** The repository's root, from the compiled script (dist/provider/schema) or the source (provider/schema). */
export function repositoryRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, "tsconfig.json"))) dir = path.dirname(dir);
  return dir;
}

if (require.main === module) {
  const root = repositoryRoot();
  const target = path.join(root, "provider", "schema.json");
  fs.writeFileSync(target, schemaText(root));
  process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
}
