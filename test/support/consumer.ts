/**
 * A consumer of the packed package, outside this repository: `npm pack`, a fresh folder with a program's own
 * package.json, `npm ci --offline` of the tarball (see consumerLock.ts), and runs of its programs under Pulumi
 * mocks through the installed package's own mocks runner, on the consumer's one `@pulumi/pulumi`.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ProgramRun } from "../../src/mocks/run";
import { consumerLock, type Lockfile, type PackageManifest } from "./consumerLock";

export const ROOT = join(__dirname, "..", "..");
export const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PackageManifest & { bin: Record<string, string> };

/** A child's output, for an assertion message. */
function said(child: SpawnSyncReturns<string>): string {
  return `exit ${child.status}\n${child.stdout}\n${child.stderr}`;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: "utf8", timeout: 180_000, env: { ...process.env, ...env } });
}

/** npm with no network, no audit, no scripts: every install here comes from npm's cache. */
function npm(args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  const child = run("npm", [...args, "--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], cwd, { npm_config_update_notifier: "false" });
  if (child.status !== 0) {
    throw new Error(`npm ${args.join(" ")} in ${cwd} failed (offline: npm's cache must hold what this repository's \`npm ci\` installed): ${said(child)}`);
  }
  return child;
}

export interface Packed {
  readonly file: string;
  /** Paths inside the tarball, without the `package/` prefix. */
  readonly files: string[];
}

/** `npm pack` of the built project (`npm test` built dist/) into `into`; no prepare script, so nothing rebuilds. */
export function packProject(into: string): Packed {
  const child = npm(["pack", "--json", "--pack-destination", into], ROOT);
  const [report] = JSON.parse(child.stdout) as { filename: string; files: { path: string }[] }[];
  return { file: join(into, report!.filename), files: report!.files.map((f) => f.path) };
}

/**
 * A consumer folder made from `programDir` (a Pulumi program with its package.json), the package's dependency
 * replaced by the packed tarball, installed with `npm ci --offline`. Returns the folder.
 */
export function installConsumer(folder: string, programDir: string, packed: Packed): string {
  mkdirSync(folder, { recursive: true });
  cpSync(programDir, folder, { recursive: true });
  mkdirSync(join(folder, "vendor"), { recursive: true });
  const tarball = join("vendor", packed.file.split("/").pop()!);
  cpSync(packed.file, join(folder, tarball));
  const manifest = JSON.parse(readFileSync(join(folder, "package.json"), "utf8")) as PackageManifest;
  const spec = `file:${tarball}`;
  const consumer = { ...manifest, dependencies: { ...manifest.dependencies, [PACKAGE.name]: spec } };
  const integrity = `sha512-${createHash("sha512").update(readFileSync(packed.file)).digest("base64")}`;
  const repoLock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as Lockfile;
  writeFileSync(join(folder, "package.json"), `${JSON.stringify(consumer, null, 2)}\n`);
  writeFileSync(join(folder, "package-lock.json"), `${JSON.stringify(consumerLock(repoLock, consumer, { spec, manifest: PACKAGE, integrity }), null, 2)}\n`);
  npm(["ci"], folder);
  return folder;
}

/** `tsc` with the consumer's own TypeScript, of its tsconfig.json unless `args` say otherwise; its diagnostics ("" when clean). */
export function compile(folder: string, args: readonly string[] = ["-p", folder]): { ok: boolean; output: string } {
  const child = run(process.execPath, [join(folder, "node_modules", "typescript", "bin", "tsc"), ...args], folder);
  return { ok: child.status === 0, output: `${child.stdout}${child.stderr}` };
}

export interface ConsumerRun {
  /** Set when the program failed: the error's message, as the engine would print it. */
  readonly error?: string;
  /** What the program registered and exported, when it ran to the end. */
  readonly run?: ProgramRun;
  /** Type tokens of the resources that registered, whether or not the program failed. */
  readonly registered: string[];
}

/**
 * Runs compiled program `programJs` (a path inside `folder`) under Pulumi mocks in a child process: the mocks are
 * the installed package's own runner and offline backend, on the consumer's `@pulumi/pulumi`. Every azuread
 * provider signs in to the tenant it was given, the default one to `signedIn.tenantId`, as `signedIn.objectId`.
 */
export function runUnderMocks(folder: string, programJs: string, signedIn: { tenantId: string; objectId: string }): ConsumerRun {
  const installed = join(folder, "node_modules", PACKAGE.name, "dist", "src", "mocks");
  const script = `
    const { runProgram } = require(${JSON.stringify(join(installed, "run.js"))});
    const signedIn = ${JSON.stringify(signedIn)};
    const registered = [];
    const providerTenants = {};
    const backend = {
      newResource: (a) => {
        registered.push(a.type);
        if (a.type === "pulumi:providers:azuread" && a.inputs.tenantId) providerTenants[a.name] = a.inputs.tenantId;
        return undefined;
      },
      call: (a) => {
        if (a.token !== "azuread:index/getClientConfig:getClientConfig") return undefined;
        // A provider reference is urn::id; the urn's fourth part is the provider's name.
        const tenantId = providerTenants[(a.provider || "").split("::")[3]] || signedIn.tenantId;
        return { id: tenantId, tenantId, objectId: signedIn.objectId, clientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46" };
      },
    };
    const done = (outcome) => { process.stdout.write(JSON.stringify({ ...outcome, registered })); process.exit(0); };
    const fail = (e) => done({ error: e instanceof Error ? e.message : String(e) });
    process.on("unhandledRejection", fail);
    runProgram(async () => require(${JSON.stringify(join(folder, programJs))}), { config: {}, project: "exchange-access", stack: "dev", backend })
      .then((run) => setTimeout(() => done({ run }), 200), fail);
  `;
  const child = run(process.execPath, ["-e", script], folder);
  if (child.status !== 0 || !child.stdout) throw new Error(`the program did not run: ${said(child)}`);
  return JSON.parse(child.stdout) as ConsumerRun;
}

/** Every copy of `name` installed in the consumer's tree (its package.json files). */
export function installedCopies(folder: string, name: string): string[] {
  const child = run("find", [join(folder, "node_modules"), "-path", `*/node_modules/${name}/package.json`], folder);
  return child.stdout.split("\n").filter(Boolean);
}
