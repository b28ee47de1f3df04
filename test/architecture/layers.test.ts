/**
 * The house's arrows, read from the source itself. Every import between the program's own files counts: value and
 * type-only imports, `export … from`, `require(…)` and `import(…)`, as the TypeScript compiler's pre-processor
 * (`ts.preProcessFile`) lists them. The layout it keeps is DESIGN.md's: libraries under src/ below components/,
 * index.ts and the CLI; the fleet below the CLI; the shared primitives (src/net, src/text) below the check and the
 * Exchange libraries; and no circle anywhere.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");
/** The program's own source: what ships and what the stacks run (tests, bench and examples are not scanned). */
const SOURCE_ROOTS = ["index.ts", "components", "src", "bootstrap", "policy"];

/** A repository-relative path with forward slashes, such as `src/check/run.ts`. */
type File = string;
interface Arrow {
  readonly from: File;
  readonly to: File;
}

const isFile = (file: File): boolean => existsSync(path.join(ROOT, file)) && statSync(path.join(ROOT, file)).isFile();

function sourceFiles(relative: File): File[] {
  if (!existsSync(path.join(ROOT, relative))) return [];
  if (isFile(relative)) return relative.endsWith(".ts") && !relative.endsWith(".d.ts") ? [relative] : [];
  return readdirSync(path.join(ROOT, relative))
    .filter((name) => name !== "node_modules")
    .flatMap((name) => sourceFiles(`${relative}/${name}`));
}

/**
 * A relative specifier as tsc and Node resolve it here (`x.ts`, then `x/index.ts`); undefined for a file that is not
 * TypeScript (package.json), and `… (unresolved)` for one that does not exist.
 */
function resolveImport(from: File, specifier: string): File | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const found = [`${base}.ts`, `${base}/index.ts`].find(isFile);
  if (found) return found;
  return isFile(base) && !base.endsWith(".ts") ? undefined : `${base} (unresolved)`;
}

/** Each file's imports of the repository's own files; packages and data files are left out. */
function importGraph(): Map<File, File[]> {
  const graph = new Map<File, File[]>();
  for (const file of SOURCE_ROOTS.flatMap(sourceFiles)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(path.join(ROOT, file), "utf8"), true, true);
    const targets = importedFiles
      .map((reference) => reference.fileName)
      .filter((specifier) => specifier.startsWith("./") || specifier.startsWith("../"))
      .map((specifier) => resolveImport(file, specifier))
      .filter((target): target is File => target !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/**
 * Every import circle, one per tangle: the strongly connected components (Tarjan's algorithm), each shown as one
 * shortest path round it, `a → b → a`.
 */
function importCircles(graph: ReadonlyMap<File, readonly File[]>): File[][] {
  const order = new Map<File, number>();
  const low = new Map<File, number>();
  const stack: File[] = [];
  const tangles: File[][] = [];
  const visit = (file: File): void => {
    order.set(file, order.size);
    low.set(file, order.get(file)!);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!order.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(file, Math.min(low.get(file)!, order.get(next)!));
    }
    if (low.get(file) !== order.get(file)) return;
    const tangle = stack.splice(stack.indexOf(file));
    if (tangle.length > 1 || graph.get(file)?.includes(file)) tangles.push(tangle);
  };
  for (const file of [...graph.keys()].sort()) if (!order.has(file)) visit(file);
  return tangles.map((tangle) => {
    const start = [...tangle].sort()[0]!;
    const previous = new Map<File, File>([[start, start]]);
    const queue = [start];
    for (const file of queue) {
      for (const next of graph.get(file) ?? []) {
        if (next === start) {
          const circle = [file];
          while (circle[0] !== start) circle.unshift(previous.get(circle[0]!)!);
          return [...circle, start];
        }
        if (tangle.includes(next) && !previous.has(next)) {
          previous.set(next, file);
          queue.push(next);
        }
      }
    }
    throw new Error(`no path round ${tangle.join(", ")}`);
  });
}

const graph = importGraph();
const arrows: Arrow[] = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));
const under =
  (...folders: string[]) =>
  (file: File): boolean =>
    folders.some((folder) => file === folder || file.startsWith(`${folder}/`));
/** The arrows from one part to another, as `from → to` lines: the failure names each one. */
const arrowsBetween = (from: (file: File) => boolean, to: (file: File) => boolean): string[] =>
  arrows.filter((arrow) => from(arrow.from) && to(arrow.to)).map((arrow) => `${arrow.from} → ${arrow.to}`);

describe("the scan", () => {
  test("reads the program's files and their arrows, type-only imports, require and import() included", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get("index.ts")).toEqual(expect.arrayContaining([expect.stringMatching(/^components\//)]));
    expect(graph.get("src/cli/evaluate.ts")).toContain("index.ts"); // a lazy require()
    const source = 'import type { A } from "./a";\nexport type B = import("./b").B;\nconst c = require("./c");\nexport { d } from "./d";';
    expect(ts.preProcessFile(source, true, true).importedFiles.map((reference) => reference.fileName)).toEqual(["./a", "./b", "./c", "./d"]);
  });

  test("resolves every relative import to a file of the repository", () => {
    expect(arrows.filter((arrow) => arrow.to.endsWith("(unresolved)")).map((arrow) => `${arrow.from} → ${arrow.to}`)).toEqual([]);
  });

  test("finds a circle when there is one, and names its files in order", () => {
    const tangled = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts", "d.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", []],
      ["e.ts", ["e.ts"]],
    ]);
    expect(importCircles(tangled)).toEqual(expect.arrayContaining([["a.ts", "b.ts", "c.ts", "a.ts"], ["e.ts", "e.ts"]]));
    expect(importCircles(new Map([["a.ts", ["b.ts"]], ["b.ts", []]]))).toEqual([]);
  });
});

describe("the arrows point down", () => {
  test("the fleet is below the CLI: nothing in src/fleet imports src/cli", () => {
    expect(arrowsBetween(under("src/fleet"), under("src/cli"))).toEqual([]);
  });

  test("the Exchange libraries are below the check: nothing in src/exchange or src/exchangeRbac imports src/check", () => {
    expect(arrowsBetween(under("src/exchange", "src/exchangeRbac"), under("src/check"))).toEqual([]);
  });

  test("the shared primitives are below them all: src/net and src/text import none of the check, the Exchange libraries, the verify request, the fleet or the CLI", () => {
    expect(arrowsBetween(under("src/net", "src/text"), under("src/check", "src/exchange", "src/exchangeRbac", "src/verify", "src/fleet", "src/cli"))).toEqual([]);
  });

  test("no library under src/ imports the CLI, components/, index.ts or the tests", () => {
    const library = (file: File) => under("src")(file) && !under("src/cli")(file);
    expect(arrowsBetween(library, under("src/cli", "components", "index.ts", "test"))).toEqual([]);
  });

  test("no import circle anywhere", () => {
    expect(importCircles(graph).map((circle) => circle.join(" → "))).toEqual([]);
  });
});
