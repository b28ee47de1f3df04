/**
 * A dynamic provider whose logic lives in a compiled library: the serialized text the engine stores with each
 * resource is only this shim (a few strings and `require`), and the library (create, read, update, delete, diff,
 * check) is plain code tested without Pulumi.
 *
 * Which build it loads: `dist/<relative>` under the folder the provider host runs in first (the engine starts the
 * host in the project's folder, so a state written on one runner refreshes and destroys from another runner's
 * checkout after `npm ci`), then the absolute path of the build that created the resource.
 */
import type * as pulumi from "@pulumi/pulumi";
import { providerErrorText } from "./errorText";
import { compiledLibraryPath, requireLibrary } from "./library";

export interface LibraryProviderRef {
  /** The compiled module, relative to the project's root without `dist/`: `src/exchangeRbac/provider.js`. */
  readonly relative: string;
  /** The export holding a `pulumi.dynamic.ResourceProvider`. */
  readonly exportName: string;
  /** What failures start with: `ExchangeManagementRoleAssignment`. */
  readonly prefix: string;
  /** What the library is, for the "not built" message: `the Exchange RBAC provider library`. */
  readonly what: string;
}

/** The serializable shim delegating every method to the library's provider; failures keep Exchange's text and a fix. */
export function libraryProvider<I, O>(ref: LibraryProviderRef): pulumi.dynamic.ResourceProvider<I, O> {
  const absolute = compiledLibraryPath(ref.relative);
  const relative = ref.relative;
  const exportName = ref.exportName;
  const prefix = ref.prefix;
  const what = ref.what;
  const load = (): pulumi.dynamic.ResourceProvider<I, O> => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodePath = require("node:path") as typeof import("node:path");
    const library = requireLibrary<Record<string, pulumi.dynamic.ResourceProvider<I, O>>>([nodePath.resolve(process.cwd(), "dist", relative), absolute], prefix, what);
    const provider = library[exportName];
    if (!provider) throw new Error(`${prefix}: ${what} has no ${exportName}. Run \`npm ci\` (or \`npm run build\`) in the project, then try again.`);
    return provider;
  };
  const fail = (error: unknown): never => {
    throw new Error(providerErrorText(prefix, error));
  };
  return {
    async check(olds, news) {
      const p = load();
      return p.check ? p.check(olds, news).catch(fail) : { inputs: news };
    },
    async diff(id, olds, news) {
      const p = load();
      return p.diff ? p.diff(id, olds, news).catch(fail) : {};
    },
    async create(inputs) {
      return load().create(inputs).catch(fail);
    },
    async read(id, props) {
      const p = load();
      return p.read ? p.read(id, props).catch(fail) : { id, props };
    },
    async update(id, olds, news) {
      const p = load();
      return p.update ? p.update(id, olds, news).catch(fail) : {};
    },
    async delete(id, props) {
      const p = load();
      if (p.delete) await p.delete(id, props).catch(fail);
    },
  };
}
