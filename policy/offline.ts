/**
 * Runs the pack's policies over resources the way the engine's analyzer does, without the Pulumi CLI: each
 * resource policy against every resource (inputs as props), then each stack policy against all of them. This is
 * how `exo-app-only plan --policy` checks the offline plan, and how the tests exercise the policies.
 *
 * What it cannot give the policies: property dependencies and provider outputs (the offline plan has inputs only).
 * The policies treat what they cannot tell as "no violation".
 */
import type {
  EnforcementLevel,
  Policies,
  PolicyPackConfig,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { Resource } from "@pulumi/pulumi";

/** A resource as the offline plan records it (src/mocks/run.ts RegisteredResource has this shape). */
export interface OfflineResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Logical name and type of the parent. */
  readonly parent?: string;
  readonly parentType?: string;
  readonly inputs: Record<string, unknown>;
  readonly protect?: boolean;
  readonly ignoreChanges?: readonly string[];
  /** URN of the explicit provider. */
  readonly provider?: string;
  /** Engine-only detail tests may set: which resources each input came from, by URN. */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

export type ViolationLevel = Exclude<EnforcementLevel, "disabled" | "remediate">;

export interface Violation {
  readonly policy: string;
  readonly enforcement: ViolationLevel;
  /** The resource in violation; null when a stack policy blames the stack as a whole. */
  readonly resource: { readonly type: string; readonly name: string; readonly urn: string } | null;
  readonly message: string;
}

class NotApplicable extends Error {}

/**
 * The engine's view of props: @pulumi/policy wraps them so that reading a value unknown during preview throws
 * (its UnknownValueError). Exported by the package at run time, absent from its typings.
 */
const { unknownCheckingProxy } = require("@pulumi/policy") as { unknownCheckingProxy<T extends object>(props: T): T };

/** The pack's default level, as @pulumi/policy's. */
const PACK_DEFAULT: EnforcementLevel = "advisory";

function pulumiTypeOf(resourceClass: unknown): string | undefined {
  const type = (resourceClass as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof type === "string" && type.length > 0 ? type : undefined;
}

type ResourceClass = { new (...rest: never[]): Resource };

function toPolicyResources(resources: readonly OfflineResource[]): PolicyResource[] {
  const made = resources.map((r): PolicyResource => {
    const props = unknownCheckingProxy({ ...r.inputs });
    return {
      type: r.type,
      name: r.name,
      urn: r.urn,
      props,
      opts: {
        protect: r.protect ?? false,
        ignoreChanges: [...(r.ignoreChanges ?? [])],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
      },
      dependencies: [],
      propertyDependencies: {},
      isType: (resourceClass: ResourceClass) => pulumiTypeOf(resourceClass) === r.type,
      asType: ((resourceClass: ResourceClass) => (pulumiTypeOf(resourceClass) === r.type ? props : undefined)) as PolicyResource["asType"],
    };
  });
  const byUrn = new Map(made.map((resource) => [resource.urn, resource]));
  resources.forEach((r, i) => {
    const resource = made[i]!;
    const parent = r.parent ? made.find((p) => p.name === r.parent && p.type === r.parentType) : undefined;
    if (parent) {
      resource.parent = parent;
      resource.opts.parent = parent.urn;
    }
    const provider = r.provider ? byUrn.get(r.provider) : undefined;
    if (provider) resource.provider = { type: provider.type, name: provider.name, urn: provider.urn, props: provider.props };
    for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
      resource.propertyDependencies[key] = urns.map((urn) => byUrn.get(urn)).filter((d): d is PolicyResource => d !== undefined);
      resource.dependencies.push(...resource.propertyDependencies[key]!);
    }
  });
  return made;
}

function levelOf(policy: ResourceValidationPolicy | StackValidationPolicy, config: PolicyPackConfig): ViolationLevel | "disabled" {
  const configured = config[policy.name];
  const fromConfig = typeof configured === "string" ? configured : configured?.enforcementLevel;
  const level = fromConfig ?? policy.enforcementLevel ?? PACK_DEFAULT;
  // Nothing here remediates: a remediation policy's violation counts as mandatory, as the engine reports it.
  return level === "remediate" ? "mandatory" : level;
}

function configOf(policy: { name: string }, config: PolicyPackConfig): Record<string, unknown> {
  const configured = config[policy.name];
  if (!configured || typeof configured === "string") return {};
  const { enforcementLevel: _level, ...properties } = configured;
  return properties;
}

function isUnknownValueError(error: unknown): error is Error {
  return error instanceof Error && "unknownTypeSentinel" in error;
}

export interface RunOptions {
  /** Policy config, as `--policy-pack-config` gives it: `{ "client-secret-lifetime": { "maxDays": 90 } }`. */
  readonly config?: PolicyPackConfig;
}

/** Runs `policies` over `resources`; returns every violation, in policy order. A policy that throws is a bug: rethrown. */
export async function runPolicies(policies: Policies, resources: readonly OfflineResource[], options: RunOptions = {}): Promise<Violation[]> {
  const config = options.config ?? {};
  const stack = toPolicyResources(resources);
  const violations: Violation[] = [];
  const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
  };
  for (const policy of policies) {
    const level = levelOf(policy, config);
    if (level === "disabled") continue;
    const enforcement = level;
    const getConfig = <T extends object>() => configOf(policy, config) as T;
    const guarded = async (run: () => unknown) => {
      try {
        await run();
      } catch (error) {
        if (error instanceof NotApplicable) return;
        if (isUnknownValueError(error)) {
          violations.push({ policy: policy.name, enforcement: "advisory", resource: null, message: `can't run policy '${policy.name}' yet: ${error.message}` });
          return;
        }
        throw error;
      }
    };
    if ("validateStack" in policy) {
      const report = (message: string, urn?: string) => {
        const resource = urn ? stack.find((r) => r.urn === urn) : undefined;
        violations.push({ policy: policy.name, enforcement, resource: resource ? { type: resource.type, name: resource.name, urn: resource.urn } : null, message });
      };
      await guarded(() => policy.validateStack({ resources: stack, stackTags: new Map(), getConfig, notApplicable }, report));
      continue;
    }
    const validations = policy.validateResource === undefined ? [] : Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
    for (const resource of stack) {
      const args: ResourceValidationArgs = {
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        props: resource.props,
        opts: resource.opts,
        ...(resource.provider ? { provider: resource.provider } : {}),
        stackTags: new Map(),
        isType: resource.isType,
        asType: resource.asType as ResourceValidationArgs["asType"],
        getConfig,
        notApplicable,
      };
      const report = (message: string) =>
        violations.push({ policy: policy.name, enforcement, resource: { type: resource.type, name: resource.name, urn: resource.urn }, message });
      for (const validate of validations) await guarded(() => validate(args, report));
    }
  }
  return violations;
}
