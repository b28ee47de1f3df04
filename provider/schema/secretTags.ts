/**
 * Which component outputs, args and type fields hold a secret, read from the sources: the declaration's TSDoc says
 * `@secret` (beside its description, where a TypeScript reader sees it too). Schema inference keeps a TSDoc's text
 * and drops its tags, so provider/schema/generate.ts reads them here. test/provider/componentOutputs.test.ts runs the
 * components and checks that what is tagged is exactly what they keep secret.
 */
import * as fs from "fs";
import * as path from "path";
import type * as TS from "typescript";

/** A class or interface: its properties tagged `@secret`, what it extends, and (a class) its constructor's args type. */
export interface Declaration {
  readonly secret: readonly string[];
  readonly extends: readonly string[];
  readonly args?: string;
}

/** Every class and interface declared in the `.ts` files of `dir`, by name. */
export function declarationsIn(dir: string): Record<string, Declaration> {
  const ts = require("typescript") as typeof TS;
  const declarations: Record<string, Declaration> = {};
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts")).sort()) {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(dir, file), "utf8"), ts.ScriptTarget.ES2022, true);
    for (const node of source.statements) {
      if (!(ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node)) || !node.name) continue;
      const members = node.members as TS.NodeArray<TS.ClassElement | TS.TypeElement>;
      const secret = members
        .filter((m) => (ts.isPropertyDeclaration(m) || ts.isPropertySignature(m)) && ts.getJSDocTags(m).some((t) => t.tagName.text === "secret"))
        .map((m) => (m.name as TS.Identifier).text);
      const heritage = (node.heritageClauses ?? []).filter((c) => c.token === ts.SyntaxKind.ExtendsKeyword).flatMap((c) => c.types.map((t) => t.expression.getText(source)));
      const constructor = ts.isClassDeclaration(node) ? node.members.find(ts.isConstructorDeclaration) : undefined;
      const argsType = constructor?.parameters.find((p) => p.name.getText(source) === "args")?.type;
      declarations[node.name.text] = {
        secret,
        extends: heritage,
        ...(argsType && ts.isTypeReferenceNode(argsType) ? { args: argsType.typeName.getText(source) } : {}),
      };
    }
  }
  return declarations;
}

/** The properties of `name` tagged `@secret`, its own and those of the interfaces it extends. */
export function secretProperties(declarations: Record<string, Declaration>, name: string | undefined): Set<string> {
  const declaration = name === undefined ? undefined : declarations[name];
  if (!declaration) return new Set();
  return new Set([...declaration.secret, ...declaration.extends.flatMap((parent) => [...secretProperties(declarations, parent)])]);
}
