/**
 * `npm ci` (every workflow's first step, and .ci/run's) prints no install-scripts warning: npm 11 warns about each
 * locked package with an install script that package.json's `allowScripts` does not cover (npm's docs, "npm
 * install-scripts": "Install commands silently skip lifecycle scripts for any dependency that does not have a
 * matching entry in allowScripts, and end with a list of the packages whose scripts were skipped"). Read from the
 * lockfile, as npm reads it: a new dependency with an install script fails here until someone decides about it and
 * says why in the docs (Development). .ci/run checks the real `npm ci` output too.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { section } from "../support/docs";
import { ROOT } from "./workflows";

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { allowScripts?: Record<string, boolean | string> };
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string; hasInstallScript?: boolean }> };

/** `node_modules/a/node_modules/@scope/b` → `@scope/b`. */
const nameOf = (path: string): string => path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
/** An allowScripts key, `name` or `name@range`, → its package name. */
const keyName = (key: string): string => key.replace(/^(@?[^@]+)@.*$/, "$1");

const withScripts = Object.entries(lock.packages)
  .filter(([path, p]) => path !== "" && p.hasInstallScript === true)
  .map(([path, p]) => ({ name: nameOf(path), version: p.version }));
const entries = Object.entries(pkg.allowScripts ?? {});

describe("allowScripts covers every locked install script (npm ci stays quiet)", () => {
  it("finds the packages with install scripts in the lockfile", () => {
    expect(withScripts.map((p) => `${p.name}@${p.version}`).sort()).toEqual(["@parcel/watcher@2.6.0", "protobufjs@7.6.6"]);
  });

  it("each has an entry, name-only (a pinned entry never matches a lockfile written without resolved URLs)", () => {
    for (const { name } of withScripts) expect({ name, entry: entries.filter(([key]) => keyName(key) === name).map(([key]) => key) }).toEqual({ name, entry: [name] });
  });

  it("denies both: neither script does anything this project needs", () => {
    // @parcel/watcher's install only builds from source when npm_config_build_from_source=true (prebuilt binaries come
    // as optional dependencies; jest loads it in watch mode only); protobufjs's postinstall only warns about a
    // version-scheme mismatch in the package that depends on it.
    expect(pkg.allowScripts).toEqual({ "@parcel/watcher": false, protobufjs: false });
  });

  it("has no stale entry, and Development says why for each", () => {
    const development = section("Development");
    for (const [key] of entries) {
      expect({ key, locked: withScripts.some((p) => p.name === keyName(key)) }).toEqual({ key, locked: true });
      expect({ key, explained: development.includes(`\`${keyName(key)}\``) }).toEqual({ key, explained: true });
    }
  });
});
