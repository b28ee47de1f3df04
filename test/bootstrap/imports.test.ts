/** The bootstrap program's modules import one another one way only (arrows point down: no two files in a circle). */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const FOLDER = join(__dirname, "..", "..", "bootstrap");

/** Each module's imports of its siblings (`./config`), type-only imports included: a circle of types is still a circle. */
function siblingImports(): Map<string, string[]> {
  const modules = readdirSync(FOLDER).filter((f) => f.endsWith(".ts")).map((f) => f.replace(/\.ts$/, ""));
  return new Map(
    modules.map((name) => {
      const text = readFileSync(join(FOLDER, `${name}.ts`), "utf8");
      const targets = [...text.matchAll(/\bfrom\s+"\.\/([^"]+)"/g)].map((m) => m[1]!);
      return [name, targets.filter((t) => modules.includes(t))];
    }),
  );
}

/** The first circle found, as a path `a → b → a`, or undefined. */
function findCircle(graph: Map<string, string[]>): string[] | undefined {
  const done = new Set<string>();
  const visit = (node: string, path: string[]): string[] | undefined => {
    if (path.includes(node)) return [...path.slice(path.indexOf(node)), node];
    if (done.has(node)) return undefined;
    for (const next of graph.get(node) ?? []) {
      const circle = visit(next, [...path, node]);
      if (circle) return circle;
    }
    done.add(node);
    return undefined;
  };
  for (const node of graph.keys()) {
    const circle = visit(node, []);
    if (circle) return circle;
  }
  return undefined;
}

test("bootstrap/*.ts import each other without a circle", () => {
  const graph = siblingImports();
  expect(graph.get("config")).toContain("subjects"); // the scan sees the imports it should
  expect(findCircle(graph)).toBeUndefined();
});

test("the scan finds a circle when there is one", () => {
  expect(findCircle(new Map([["config", ["subjects"]], ["subjects", ["settings", "config"]], ["settings", []]]))).toEqual(["config", "subjects", "config"]);
});
