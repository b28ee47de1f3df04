/**
 * A consumer's package-lock.json cut from this repository's own: the packed tarball at the root's dependency, and
 * every package it and the consumer need at exactly the version this repository installed. `npm ci --offline` then
 * installs it from npm's cache (filled by this repository's `npm ci`) with no network.
 */

/** One entry of a v3 lockfile's `packages`, keyed by its folder (`node_modules/a/node_modules/b`). */
export interface LockPackage {
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
  readonly [field: string]: unknown;
}

export interface Lockfile {
  readonly name?: string;
  readonly version?: string;
  readonly lockfileVersion: number;
  readonly requires?: boolean;
  readonly packages: Readonly<Record<string, LockPackage>>;
}

/** A package.json as far as the lock needs it. */
export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: Readonly<Record<string, { readonly optional?: boolean }>>;
  readonly [field: string]: unknown;
}

/** The folder Node loads `name` from, for the package in folder `from`: the nearest `node_modules` up the tree. */
export function resolveFrom(packages: Lockfile["packages"], from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ""}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const parent = base.lastIndexOf("/node_modules/");
    base = parent < 0 ? "" : base.slice(0, parent);
  }
}

/** The names a package needs installed: its dependencies, its optional ones, and its peers that are not optional. */
function needs(entry: LockPackage): { required: string[]; optional: string[] } {
  const optionalPeers = new Set(Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional).map(([n]) => n));
  const peers = Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeers.has(n));
  return { required: [...Object.keys(entry.dependencies ?? {}), ...peers], optional: Object.keys(entry.optionalDependencies ?? {}) };
}

/** Every folder reachable from `starts` (folder → its entry), in `packages`. Throws on a required package it lacks. */
function closure(packages: Lockfile["packages"], starts: readonly [string, LockPackage][]): Set<string> {
  const seen = new Set<string>();
  const queue = [...starts];
  while (queue.length > 0) {
    const [from, entry] = queue.pop()!;
    const { required, optional } = needs(entry);
    for (const [name, isRequired] of [...required.map((n) => [n, true] as const), ...optional.map((n) => [n, false] as const)]) {
      const found = resolveFrom(packages, from, name);
      if (!found) {
        if (isRequired) throw new Error(`${from || "the consumer"} needs ${name}, which this repository's lockfile does not hold`);
        continue;
      }
      if (seen.has(found)) continue;
      seen.add(found);
      queue.push([found, packages[found]!]);
    }
  }
  return seen;
}

/** The package.json fields a lock entry repeats. */
const LOCKED_FIELDS = ["license", "dependencies", "bin", "engines", "peerDependencies", "peerDependenciesMeta"] as const;

/** Lock fields that describe this repository's tree (dev-only, optional peer), not the consumer's: npm recomputes them. */
const TREE_FLAGS = ["dev", "devOptional", "peer", "optional"] as const;

/**
 * The consumer's lockfile: `consumer`'s dependencies (one of which is `tarball.spec`, a `file:` path to the packed
 * package) resolved to the versions in `repoLock`.
 */
export function consumerLock(repoLock: Lockfile, consumer: PackageManifest, tarball: { spec: string; manifest: PackageManifest; integrity: string }): Lockfile {
  const folder = `node_modules/${tarball.manifest.name}`;
  const { name, version } = tarball.manifest;
  // As npm writes a package's entry: `npm ci` links bins from the lock, not from the installed package.json.
  const described = Object.fromEntries(LOCKED_FIELDS.filter((f) => tarball.manifest[f] !== undefined).map((f) => [f, tarball.manifest[f]]));
  const packed: LockPackage = { version, resolved: tarball.spec, integrity: tarball.integrity, ...described };
  const root: LockPackage = { name: consumer.name, version: consumer.version, dependencies: consumer.dependencies ?? {}, devDependencies: consumer.devDependencies ?? {} };
  const rootNeeds: LockPackage = { dependencies: Object.fromEntries(Object.entries({ ...root.dependencies, ...(root.devDependencies as Record<string, string>) }).filter(([n]) => n !== name)) };
  const all = { ...repoLock.packages, [folder]: packed };
  const folders = closure(all, [["", rootNeeds], [folder, packed]]);
  folders.delete(folder);
  const packages: Record<string, LockPackage> = { "": root, [folder]: packed };
  for (const f of [...folders].sort()) {
    const entry: Record<string, unknown> = { ...repoLock.packages[f] };
    for (const flag of TREE_FLAGS) delete entry[flag];
    packages[f] = entry;
  }
  return { name: consumer.name, version: consumer.version, lockfileVersion: 3, requires: true, packages };
}
