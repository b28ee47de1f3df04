/**
 * One RegisterResource request as the engine sees it, as a plain record: type token, name, parent, options and
 * inputs, secrets marked. The in-process runner (run.ts) and the tests' fake engine over gRPC record alike, so a run
 * under mocks and a Construct through the plugin compare field by field.
 */
import { isSecretWire } from "./secretWire";

/** What `plan` prints in place of a secret value. */
export const SECRET_MARKER = "[secret]";

export interface RegisteredResource {
  /** The resource's URN: what the engine keys state by, so a changed URN is a replaced resource. */
  readonly urn: string;
  /** Pulumi type token, for example `azuread:index/appRoleAssignment:AppRoleAssignment`. */
  readonly type: string;
  readonly name: string;
  /** Logical name of the parent resource, absent for the root. */
  readonly parent?: string;
  /** Type token of the parent resource (names alone are not unique across types). */
  readonly parentType?: string;
  readonly custom: boolean;
  readonly protect: boolean;
  /** Inputs as sent to the engine; secret values replaced by `[secret]`. */
  readonly inputs: Record<string, unknown>;
  /** The id an existing resource is imported with (the `import` option), when it is adopted rather than created. */
  readonly importId?: string;
  /** URN of the explicit provider the resource uses, when it has one. */
  readonly provider?: string;
  /** Properties whose differences the engine ignores (`ignoreChanges`). */
  readonly ignoreChanges?: string[];
  /** Names of the resources it waits for (`dependsOn` and the resources its inputs come from). */
  readonly dependsOn?: string[];
}

/** Replaces secret-wrapped values in wire form with the marker, recursively. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (isSecretWire(record)) return SECRET_MARKER;
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, maskSecrets(v)]));
  }
  return value;
}

/** `urn:pulumi:stack::project::qualified$type::name` → the type (last of the qualified chain) and the name. */
export function parseUrn(urn: string): { type: string; name: string } {
  const [, , qualifiedType, name] = urn.split("::");
  return { type: qualifiedType.split("$").pop()!, name };
}

/** The parts of a RegisterResourceRequest the record reads. */
export interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProtect(): boolean | undefined;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getImportid(): string;
  getProvider(): string;
  getIgnorechangesList(): string[];
  getDependenciesList(): string[];
}

/** The record of one registration in stack `stack` of project `project`. */
export function registration(req: RegisterRequest, project: string, stack: string): RegisteredResource {
  // A child's URN qualifies its type with its parents' types: `parent$child`.
  const parentChain = req.getParent() ? `${req.getParent().split("::")[2]}$` : "";
  return {
    urn: `urn:pulumi:${stack}::${project}::${parentChain}${req.getType()}::${req.getName()}`,
    type: req.getType(),
    name: req.getName(),
    parent: req.getParent() ? parseUrn(req.getParent()).name : undefined,
    parentType: req.getParent() ? parseUrn(req.getParent()).type : undefined,
    custom: req.getCustom(),
    protect: req.getProtect() as boolean,
    inputs: maskSecrets(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
    ...(req.getImportid() ? { importId: req.getImportid() } : {}),
    // A provider reference is `urn::id`.
    ...(req.getProvider() ? { provider: req.getProvider().split("::").slice(0, -1).join("::") } : {}),
    ...(req.getIgnorechangesList().length ? { ignoreChanges: req.getIgnorechangesList() } : {}),
    ...(req.getDependenciesList().length ? { dependsOn: req.getDependenciesList().map((urn) => parseUrn(urn).name) } : {}),
  };
}
