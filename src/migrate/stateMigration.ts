/**
 * Carries a stack's state from the dynamic resources earlier versions wrote (`pulumi-nodejs:dynamic/exchange-app-only:*`,
 * served by the SDK's dynamic provider host from a serialized `__provider`) to the plugin's custom resources
 * (`exchange-app-only:index:*`, served by the `exchange-app-only` provider plugin). A pure function over the document
 * `pulumi stack export` writes; `pulumi stack import` takes the result back (docs/migration.md).
 *
 * For each old resource: the new type token; its URN rewritten, and with it every reference to that URN (parent,
 * dependencies, propertyDependencies, deletedWith); `__provider` dropped from inputs and outputs; its provider reference
 * pointed at a default `pulumi:providers:exchange-app-only` provider resource, added once. The dynamic provider's own
 * default provider goes when nothing references it any more. Everything else, secrets (ciphertext objects) included,
 * passes through untouched. What it does not understand, it refuses, naming it: the export stays as it was.
 *
 * The export's shape: Pulumi's `apitype.UntypedDeployment` (`{version: 3, deployment: {manifest, secrets_providers,
 * resources: [ResourceV3], pending_operations}}`) in pulumi/pulumi's sdk/go/common/apitype/core.go; a resource's
 * `provider` is `<provider URN>::<provider id>`; a URN is `urn:pulumi:<stack>::<project>::<parent types$type>::<name>`.
 */
import { ExoAppOnlyError } from "../errors";
import { LEGACY_DYNAMIC_TYPE, TYPE } from "../facts/typeTokens";

/** A refusal: the export is not one this migration understands. Nothing is written. */
export class StateMigrationError extends ExoAppOnlyError {
  constructor(message: string, remedy: string) {
    super("ERR_STATE_MIGRATION", message, remedy);
  }
}

/** One resource of the export, as far as the migration reads it; every other field passes through. */
interface StateResource {
  urn: string;
  type: string;
  custom?: boolean;
  id?: string;
  parent?: string;
  provider?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  deletedWith?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface MigrationResult {
  /** The document to give `pulumi stack import`. */
  readonly document: Record<string, unknown>;
  /** One line per migrated resource: `<old URN> -> <new URN>`. */
  readonly migrated: readonly string[];
  /** The plugin's default provider resource the migrated resources now point at. */
  readonly provider: string;
  /** Whether that provider was added (false: the export already held it). */
  readonly providerAdded: boolean;
  /** The dynamic provider's default provider, removed because nothing references it any more. */
  readonly removed: readonly string[];
}

export interface MigrationOptions {
  /** The id the added provider resource gets (default: a random UUID, as the engine gives default providers). */
  readonly newProviderId?: () => string;
}

const OLD_TO_NEW: ReadonlyMap<string, string> = new Map(
  (Object.keys(LEGACY_DYNAMIC_TYPE) as (keyof typeof LEGACY_DYNAMIC_TYPE)[]).map((key) => [LEGACY_DYNAMIC_TYPE[key], TYPE[key]]),
);
/** The prefix of every type this project's dynamic resources ever wrote. */
const OLD_PREFIX = "pulumi-nodejs:dynamic/exchange-app-only:";
const DYNAMIC_PROVIDER_TYPE = "pulumi:providers:pulumi-nodejs";
const REMEDY_EXPORT = "Give the file `pulumi stack export --file before.json` wrote, unedited (docs/migration.md).";

function refuse(message: string, remedy: string = REMEDY_EXPORT): never {
  throw new StateMigrationError(message, remedy);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>` split into its parts; undefined when it is not one. */
function parseUrn(urn: string): { stack: string; project: string; qualifiedType: string; name: string } | undefined {
  // Stack, project and type hold no `::`; a name may.
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0]!.startsWith("urn:pulumi:")) return undefined;
  return { stack: parts[0]!.slice("urn:pulumi:".length), project: parts[1]!, qualifiedType: parts[2]!, name: parts.slice(3).join("::") };
}

/** A URN with each old type in its qualified type (the resource's own, or a parent's) replaced by the new one. */
function renamedUrn(urn: string): string {
  const parts = parseUrn(urn);
  if (!parts) return urn;
  const types = parts.qualifiedType.split("$").map((t) => OLD_TO_NEW.get(t) ?? t);
  return `urn:pulumi:${parts.stack}::${parts.project}::${types.join("$")}::${parts.name}`;
}

/** `<provider URN>::<id>`: the provider URN and its id (the id is the part after the last `::`). */
function splitProviderRef(ref: string): { urn: string; id: string } | undefined {
  const at = ref.lastIndexOf("::");
  if (at <= 0) return undefined;
  return { urn: ref.slice(0, at), id: ref.slice(at + 2) };
}

function withoutProviderText(properties: unknown, where: string, urn: string): Record<string, unknown> | undefined {
  if (properties === undefined) return undefined;
  if (!isRecord(properties)) refuse(`the ${where} of ${urn} are not an object`);
  const { __provider: _serialized, ...rest } = properties;
  return rest;
}

/**
 * The export migrated. Throws StateMigrationError, naming what it does not understand, for: a document that is not a
 * version 3 export, pending operations, a resource of this project's dynamic kind it does not know, an old resource
 * whose provider is not the dynamic provider, a new URN that already exists, and an export with nothing to migrate.
 */
export function migrateDynamicState(exported: unknown, options: MigrationOptions = {}): MigrationResult {
  if (!isRecord(exported)) refuse("the file is not a JSON object (a `pulumi stack export` document)");
  if (exported.version !== 3) {
    refuse(`the export's version is ${JSON.stringify(exported.version)}, not 3`, "Export with a current Pulumi CLI (`pulumi stack export --file before.json` writes version 3), then run migrate-state on that file.");
  }
  const deployment = exported.deployment;
  if (!isRecord(deployment)) refuse("the export has no deployment object");
  const pending = deployment.pending_operations;
  if (Array.isArray(pending) && pending.length > 0) {
    refuse(
      `the export has ${pending.length} pending operation(s): an update was interrupted`,
      "Run `pulumi refresh` (or `pulumi cancel` if an update is still running) until the stack has no pending operations, then export again.",
    );
  }
  if (deployment.resources !== undefined && !Array.isArray(deployment.resources)) refuse("the deployment's resources are not a list");
  const resources = (deployment.resources ?? []) as unknown[];
  for (const [i, r] of resources.entries()) {
    if (!isRecord(r) || typeof r.urn !== "string" || typeof r.type !== "string") refuse(`resource #${i + 1} of the export has no urn or type`);
  }
  const all = resources as StateResource[];

  const unknownKind = all.find((r) => r.type.startsWith(OLD_PREFIX) && !OLD_TO_NEW.has(r.type));
  if (unknownKind) {
    refuse(
      `${unknownKind.urn} is of type ${unknownKind.type}, which this migration does not know`,
      `It knows ${[...OLD_TO_NEW.keys()].join(", ")}. Use the exo-app-only version that wrote this state's resources, or remove it with \`pulumi state delete '${unknownKind.urn}'\` first.`,
    );
  }
  const old = all.filter((r) => OLD_TO_NEW.has(r.type));
  if (old.length === 0) {
    refuse(
      `nothing to migrate: no resource of type ${OLD_PREFIX}* in the export`,
      "This stack holds no dynamic resources of exchange-app-only (already migrated, or made with the plugin): import nothing and run `pulumi up` as usual.",
    );
  }
  for (const r of old) {
    if (r.custom === false) refuse(`${r.urn} is of a custom resource's type but is not marked custom`);
    const ref = r.provider === undefined ? undefined : splitProviderRef(r.provider);
    const providerType = ref ? parseUrn(ref.urn)?.qualifiedType : undefined;
    if (!ref || providerType !== DYNAMIC_PROVIDER_TYPE) {
      refuse(`${r.urn} has provider ${JSON.stringify(r.provider)}, not the dynamic provider (${DYNAMIC_PROVIDER_TYPE})`, "Export the stack again without editing it; a resource with another provider cannot be carried over by this command.");
    }
  }

  const renames = new Map(old.map((r) => [r.urn, renamedUrn(r.urn)]));
  // Children of an old resource (none today, but a URN names its parents' types) are renamed too.
  for (const r of all) if (!renames.has(r.urn) && renamedUrn(r.urn) !== r.urn) renames.set(r.urn, renamedUrn(r.urn));
  const taken = new Set(all.map((r) => r.urn));
  for (const [from, to] of renames) {
    if (taken.has(to)) refuse(`${from} would become ${to}, which the export already holds`, `Remove one of the two first (\`pulumi state delete '${to}'\`), then export again.`);
  }
  const rename = (urn: string): string => renames.get(urn) ?? urn;

  // The plugin's default provider: the one the export holds, else a new one beside the dynamic provider's.
  const first = parseUrn(old[0]!.urn)!;
  const providerUrn = `urn:pulumi:${first.stack}::${first.project}::${TYPE.pluginProvider}::default`;
  const existing = all.find((r) => r.urn === providerUrn);
  const providerId = existing?.id ?? (options.newProviderId ?? (() => globalThis.crypto.randomUUID()))();
  if (existing && typeof existing.id !== "string") refuse(`${providerUrn} has no id`);
  const providerRef = `${providerUrn}::${providerId}`;

  const migrated: string[] = [];
  const out: StateResource[] = [];
  for (const r of all) {
    const next: StateResource = { ...r, urn: rename(r.urn) };
    if (r.parent !== undefined) next.parent = rename(r.parent);
    if (r.deletedWith !== undefined) next.deletedWith = rename(r.deletedWith);
    if (Array.isArray(r.dependencies)) next.dependencies = r.dependencies.map(rename);
    if (isRecord(r.propertyDependencies)) {
      next.propertyDependencies = Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, urns]) => [k, Array.isArray(urns) ? urns.map(rename) : urns]));
    }
    if (OLD_TO_NEW.has(r.type)) {
      next.type = OLD_TO_NEW.get(r.type)!;
      next.provider = providerRef;
      const inputs = withoutProviderText(r.inputs, "inputs", r.urn);
      const outputs = withoutProviderText(r.outputs, "outputs", r.urn);
      if (inputs !== undefined) next.inputs = inputs;
      if (outputs !== undefined) next.outputs = outputs;
      migrated.push(`${r.urn} -> ${next.urn}`);
      // The provider comes before the first resource that uses it: state is in dependency order.
      if (!existing && !out.some((o) => o.urn === providerUrn)) out.push({ urn: providerUrn, custom: true, id: providerId, type: TYPE.pluginProvider, inputs: {}, outputs: {} });
    }
    out.push(next);
  }

  // The dynamic provider's default provider goes when no resource uses it any more.
  const stillUsed = new Set(out.map((r) => (r.provider ? splitProviderRef(r.provider)?.urn : undefined)).filter((u): u is string => u !== undefined));
  const removed = out.filter((r) => r.type === DYNAMIC_PROVIDER_TYPE && !stillUsed.has(r.urn)).map((r) => r.urn);
  const kept = out.filter((r) => !removed.includes(r.urn));

  return {
    document: { ...exported, deployment: { ...deployment, resources: kept } },
    migrated,
    provider: providerUrn,
    providerAdded: !existing,
    removed,
  };
}
