/**
 * A component's args through the stack config's own rules (src/config/parse.ts): one rule set, one message per bad
 * value, naming the arg as the caller wrote it. Known values are checked synchronously, before the component
 * registers anything; a value that is another resource's output is checked when it resolves, with the same message,
 * and the resources that take it wait for that check.
 */
import * as pulumi from "@pulumi/pulumi";
import { LATER_KEYS, readTenantConfig, type LaterKey, type ReadOptions } from "../src/config/parse";
import type { CertificateConfig, TenantConfig } from "../src/config/stackConfig";
import { didYouMean } from "../src/config/suggest";
import { IssueList, engineString, type RawConfig } from "../src/config/values";
import { specOf, suppliedSpec, type SuppliedCertificateSpec, type TenantSpec } from "./tenantSpec";

/** How a component's validation reads its args: which it takes, and where the tenant stands. */
export interface ArgRules {
  /** The component, as messages name it (`ExchangeAppOnly`). */
  readonly component: string;
  /** The config keys the component takes as args. */
  readonly keys: readonly string[];
  /** Read options: a multi-tenant app's customer (`appless`, `place`). */
  readonly read?: Pick<ReadOptions, "appless" | "place">;
  /** Keys the component cannot do without, beyond `tenantId` and `organization`, and what each holds. */
  readonly required?: Readonly<Record<string, string>>;
  /** Args that arrived as secrets (a Construct's secret inputs): messages never show their values. */
  readonly secretKeys?: readonly string[];
}

function remedy(component: string): string {
  return `Fix the ${component} arg named above and run again; its values follow the stack config keys of the same name (docs/configuration.md).`;
}

function isLater(value: unknown): boolean {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) return true;
  return Array.isArray(value) && value.some(isLater);
}

/** Args as the engine would hand the same stack config over: strings as they are, the rest as JSON. */
function rawOf(args: Readonly<Record<string, unknown>>, skip: ReadonlySet<string>): RawConfig {
  return Object.fromEntries(Object.entries(args).filter(([key, value]) => value !== undefined && !skip.has(key)).map(([key, value]) => [key, engineString(value)]));
}

/** Reads `raw` into a config, or throws one `ConfigError` naming each bad arg. */
function read(raw: RawConfig, rules: ArgRules, now: Date, later: ReadonlySet<LaterKey>, extra: (issues: IssueList) => void = () => undefined): TenantConfig {
  const issues = IssueList.forStack(rules.secretKeys).renamed((key) => key);
  extra(issues);
  for (const [key, what] of Object.entries(rules.required ?? {})) {
    if (raw[key] === undefined && !later.has(key as LaterKey)) issues.add(key, undefined, `is required: pass ${key}: ${what} to ${rules.component}`);
  }
  const config = readTenantConfig(raw, issues, now, { ...rules.read, later, component: rules.component });
  issues.throwIfAny(remedy(rules.component));
  return config!;
}

/**
 * The tenant a component's args describe, validated. Throws a `ConfigError` for any bad known value; an arg that is
 * an output resolves to its validated value (or to that same error).
 */
export function tenantSpecFromArgs(args: object, rules: ArgRules, now: Date = new Date()): TenantSpec {
  const given = args as Readonly<Record<string, unknown>>;
  const later = new Set(LATER_KEYS.filter((key) => rules.keys.includes(key) && isLater(given[key])));
  const unknown = Object.keys(given).filter((k) => given[k] !== undefined && !rules.keys.includes(k));
  // An arg the component does not take is said once, as an arg: the stack config's reader would call it a config key.
  const raw = rawOf(given, new Set([...later, ...unknown]));
  const strangers = (issues: IssueList) => {
    for (const key of unknown) issues.add(key, given[key], `is not an arg of ${rules.component}.${didYouMean(key, rules.keys)} Args: ${rules.keys.join(", ")}.`);
  };
  const known = read(raw, rules, now, later, strangers);
  if (later.size === 0) return specOf(known);

  // Every later value resolves, then the whole config is read again, as the stack would read it.
  const values = pulumi.output(Object.fromEntries([...later].map((key) => [key, given[key]])) as Record<string, unknown>);
  const resolved = values.apply((v) => read({ ...raw, ...rawOf(v, new Set()) }, rules, now, new Set(), (issues) => modeAsOutput(v.certificate, issues)));
  return {
    ...specOf(known),
    ...(later.has("tenantId") ? { tenantId: resolved.apply((c) => c.tenantId) } : {}),
    ...(later.has("displayName") ? { displayName: resolved.apply((c) => c.displayName) } : {}),
    ...(later.has("owners") ? { owners: resolved.apply((c) => [...c.owners]) } : {}),
    ...(later.has("certificate") ? { certificate: laterCertificate(resolved) } : {}),
  };
}

/**
 * Whether a certificate is generated, supplied or absent decides which resources exist, so it must be known before
 * any registers: an output may only be a PEM.
 */
function modeAsOutput(certificate: unknown, issues: IssueList): void {
  if (certificate === "generate" || certificate === "none") {
    issues.add("certificate", certificate, `is an output here, and an output may only be a PEM public certificate: pass "${certificate}" as a plain value`);
  }
}

/** A certificate given as an output: each field waits for the PEM and its check (which reads it as supplied). */
function laterCertificate(resolved: pulumi.Output<TenantConfig>): SuppliedCertificateSpec {
  const supplied = pulumi.output(resolved.apply((c) => suppliedSpec(c.certificate as Extract<CertificateConfig, { kind: "supplied" }>)));
  return {
    kind: "supplied",
    pem: supplied.apply((c) => c.pem),
    thumbprint: supplied.apply((c) => c.thumbprint),
    startDate: supplied.apply((c) => c.startDate),
    endDate: supplied.apply((c) => c.endDate),
  };
}
