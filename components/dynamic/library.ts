/**
 * Where a dynamic provider finds its compiled library. Dynamic providers are serialized by value and run in the
 * engine's provider host, a separate Node process started in the project's folder: they must not capture modules
 * (a captured msal or http module can fail to serialize), so they `require` the compiled library by path inside
 * their bodies. `npm ci` builds it (the `prepare` script); after changing the sources, `npm run build`.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";

/** The project's root: two folders up from here, in the sources (components/dynamic) and in dist/ alike. */
const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/**
 * The compiled module `relative` (for example `src/check/index.js`) next to this file's compiled form, else in
 * `dist/` (when the program runs from its TypeScript sources). A plain string the serialized provider captures.
 */
export function compiledLibraryPath(relative: string): string {
  const besideThis = path.resolve(PROJECT_ROOT, relative);
  if (existsSync(besideThis)) return besideThis;
  return path.resolve(PROJECT_ROOT, "dist", relative);
}

/**
 * Loads a compiled library inside a serialized provider function; captures nothing. The first of `modulePaths`
 * that exists wins. Throws `<prefix>: <what> is not built (<path> is missing). Run \`npm run build\`, ...`.
 */
export function requireLibrary<T>(modulePaths: readonly string[], prefix: string, what: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require("node:fs") as typeof import("node:fs");
  const found = modulePaths.find((p) => fs.existsSync(p));
  if (found === undefined) {
    throw new Error(`${prefix}: ${what} is not built (${modulePaths.join(" and ")} ${modulePaths.length > 1 ? "are" : "is"} missing). Run \`npm run build\`, then \`pulumi up\` again.`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(found) as T;
}
