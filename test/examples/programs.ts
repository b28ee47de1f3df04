/**
 * What a program in another language says about ExchangeAppOnly, read simply (no Python, Go or .NET toolchain here):
 * the arg names it passes, the output names it reads, and the SDK names it imports. Pure functions over source text,
 * so the checks in examples.test.ts can run on the examples and on the docs' code blocks alike.
 *
 * SDK names follow Pulumi's code generators and `pulumi package add` (pulumi/pulumi 3.260 sources):
 * - where the SDK lands: `sdks/<namespace>-<name>` or `sdks/<name>` (pkg/cmd/pulumi/packages/packages.go);
 * - Python: `PyPack` = `<namespace or "pulumi">_<name with - as _>` (pkg/codegen/python/gen.go);
 * - Go: `ExtractImportBasePath` = `<root>/sdk/go/<name without ->`, root from the schema's repository, else
 *   `github.com/<namespace>/pulumi-<name>`, else `example.com/pulumi-<name>`, unless `language.go.importBasePath`
 *   (pkg/codegen/go/gen.go, sdk/go/pulumi-language-go/main.go `Link`);
 * - C#: `<Namespace or "Pulumi">.<Name>`, each `-`-separated part capitalised (tests/integration/package-add:
 *   `my-namespace` + `mypkg` gives `using MyNamespace.Mypkg;` and `MyNamespace.Mypkg.csproj`).
 */

/** The parts of a package schema the names derive from. */
export interface PackageNames {
  name: string;
  namespace?: string;
  repository?: string;
  language?: { go?: { importBasePath?: string }; python?: { packageName?: string }; csharp?: { rootNamespace?: string } };
}

/** What `pulumi package add` generates for a package, in each language. */
export interface SdkNames {
  sdkFolder: string;
  pythonModule: string;
  goModule: string;
  goImport: string;
  csharpNamespace: string;
}

const pascalParts = (s: string) => s.split("-").map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join("");

export function sdkNames(pkg: PackageNames): SdkNames {
  const ns = pkg.namespace || undefined;
  let root = ns ? `github.com/${ns}/pulumi-${pkg.name}` : `example.com/pulumi-${pkg.name}`;
  if (pkg.repository) {
    const url = new URL(pkg.repository);
    root = url.host + url.pathname.replace(/\/$/, "");
  }
  const importBase = pkg.language?.go?.importBasePath;
  const goImport = importBase ?? `${root}/sdk/go/${pkg.name.replace(/-/g, "")}`;
  return {
    sdkFolder: `sdks/${ns ? `${ns}-` : ""}${pkg.name}`,
    pythonModule: pkg.language?.python?.packageName ?? `${ns ? ns.replace(/-/g, "_") : "pulumi"}_${pkg.name.replace(/-/g, "_")}`,
    goModule: importBase ? importBase.slice(0, importBase.lastIndexOf("/")) : `${root}/sdk/go`,
    goImport,
    csharpNamespace: pkg.language?.csharp?.rootNamespace ? `${pkg.language.csharp.rootNamespace}.${pascalParts(pkg.name)}` : `${pascalParts(ns ?? "pulumi")}.${pascalParts(pkg.name)}`,
  };
}

/** Python's generated names: `tenantId` → `tenant_id` (Pulumi's PyName for plain camelCase). */
export const snakeCase = (camel: string) => camel.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z])([A-Z][a-z])/g, "$1_$2").toLowerCase();
/** Go's and C#'s generated names: `tenantId` → `TenantId`. */
export const pascalCase = (camel: string) => camel.charAt(0).toUpperCase() + camel.slice(1);

/**
 * The text between the bracket that opens at `open` and its match, skipping brackets inside string literals
 * ('…', "…", `…`), and the top-level segments of it split at commas (Python's keyword args, Go's and C#'s fields).
 */
export function bracketed(text: string, open: number): { body: string; segments: string[] } {
  const pairs: Record<string, string> = { "(": ")", "{": "}", "[": "]" };
  const stack: string[] = [];
  const segments: string[] = [];
  let quote: string | null = null;
  let start = open + 1;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (pairs[c]) stack.push(pairs[c]!);
    else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) {
        segments.push(text.slice(start, i));
        return { body: text.slice(open + 1, i), segments: segments.map((s) => s.trim()).filter(Boolean) };
      }
    } else if (c === "," && stack.length === 1) {
      segments.push(text.slice(start, i));
      start = i + 1;
    }
  }
  throw new Error(`no closing bracket for the one at ${open}: ${text.slice(open, open + 60)}`);
}

/** One use of the component in a program: the names of the args it passes and of the outputs it reads. */
export interface ComponentUse {
  args: string[];
  outputs: string[];
}

/** The names a variable's attribute accesses read (`exo.client_id` → `client_id`), in the order they appear. */
function attributes(text: string, variable: string): string[] {
  return [...text.matchAll(new RegExp(`\\b${variable}\\.(\\w+)`, "g"))].map((m) => m[1]!);
}

/** Python: `exo = <module>.ExchangeAppOnly("exo", tenant_id=..., ...)`; then `exo.client_id`. */
export function pythonUses(text: string): ComponentUse[] {
  return [...text.matchAll(/(\w+)\s*=\s*(?:[\w.]+\.)?ExchangeAppOnly\s*\(/g)].map((m) => {
    const call = bracketed(text, m.index! + m[0].length - 1);
    const args = call.segments.flatMap((s) => /^(\w+)\s*=(?!=)/.exec(s)?.[1] ?? []);
    return { args, outputs: attributes(text.slice(m.index! + m[0].length + call.body.length), m[1]!) };
  });
}

/** Go: `exo, err := pkg.NewExchangeAppOnly(ctx, "exo", &pkg.ExchangeAppOnlyArgs{ TenantId: ..., })`; then `exo.ClientId`. */
export function goUses(text: string): ComponentUse[] {
  return [...text.matchAll(/(\w+)\s*,\s*\w+\s*:?=\s*(?:\w+\.)?NewExchangeAppOnly\s*\(/g)].map((m) => {
    const call = bracketed(text, m.index! + m[0].length - 1);
    const literal = /ExchangeAppOnlyArgs\s*\{/.exec(call.body);
    const fields = literal ? bracketed(call.body, literal.index + literal[0].length - 1).segments.flatMap((s) => /^(\w+)\s*:/.exec(s)?.[1] ?? []) : [];
    return { args: fields, outputs: attributes(text.slice(m.index! + m[0].length + call.body.length), m[1]!) };
  });
}

/** C#: `var exo = new ExchangeAppOnly("exo", new ExchangeAppOnlyArgs { TenantId = ..., });`; then `exo.ClientId`. */
export function csharpUses(text: string): ComponentUse[] {
  return [...text.matchAll(/var\s+(\w+)\s*=\s*new\s+(?:[\w.]+\.)?ExchangeAppOnly\s*\(/g)].map((m) => {
    const call = bracketed(text, m.index! + m[0].length - 1);
    const init = /ExchangeAppOnlyArgs\s*(?:\(\s*\))?\s*\{/.exec(call.body);
    const fields = init ? bracketed(call.body, init.index + init[0].length - 1).segments.flatMap((s) => /^(\w+)\s*=(?!=)/.exec(s)?.[1] ?? []) : [];
    return { args: fields, outputs: attributes(text.slice(m.index! + m[0].length + call.body.length), m[1]!) };
  });
}

/** The component's type tokens a YAML program may use: the full token or Pulumi YAML's short form without `index`. */
export const YAML_TYPES = ["exchange-app-only:index:ExchangeAppOnly", "exchange-app-only:ExchangeAppOnly"];

/**
 * YAML: each resource of the component's type, its `properties` keys, and every `${<resource>.<output>}` reference to
 * it anywhere in the program (outputs, other resources' properties).
 */
export function yamlUses(program: { resources?: Record<string, { type?: string; properties?: Record<string, unknown> }> }, text: string): (ComponentUse & { name: string })[] {
  return Object.entries(program.resources ?? {})
    .filter(([, r]) => YAML_TYPES.includes(r.type ?? ""))
    .map(([name, r]) => ({
      name,
      args: Object.keys(r.properties ?? {}),
      outputs: [...text.matchAll(new RegExp(`\\$\\{${name.replace(/[-.]/g, "\\$&")}\\.(\\w+)`, "g"))].map((m) => m[1]!),
    }));
}

/** Names in `used` that are not in `known` after the language's casing rule: what the schema does not have. */
export function unknownNames(used: string[], known: string[], casing: (camel: string) => string): string[] {
  const cased = new Set(known.map(casing));
  return used.filter((n) => !cased.has(n));
}

/** The fenced code blocks of a Markdown text, with their language tag. */
export function codeBlocks(markdown: string): { lang: string; code: string }[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)].map((m) => ({ lang: m[1]!, code: m[2]! }));
}
