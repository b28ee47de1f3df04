/** What the Exchange RBAC providers share: their common inputs, input checks, and how Exchange's rows are read. */
import { parseDuration } from "../text/duration";
import { isCloudName, isGuid, type CloudName } from "../facts";
import type { ExchangeTarget } from "./session";

export interface Common extends ExchangeTarget {
  /** How long to wait for Exchange to see a fresh principal, e.g. `15m` (the default). Not kept in state. */
  readonly propagationTimeout?: string;
}

/** An input problem the engine shows under the property before anything runs. */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/**
 * One RBAC resource's CRUD over its typed inputs and state, without the engine's urn: the plugin's custom resources
 * (provider/resources.ts) call these. Read answers "gone" with an empty id.
 */
export interface Provider<I, O> {
  check(olds: Partial<I>, news: I): Promise<{ readonly inputs: I; readonly failures: CheckFailure[] }>;
  diff(id: string, olds: O, news: I): Promise<{ readonly changes: boolean; readonly replaces: string[]; readonly deleteBeforeReplace: boolean }>;
  create(inputs: I): Promise<{ readonly id: string; readonly outs: O }>;
  read(id: string, props?: Partial<O>): Promise<{ readonly id: string; readonly props?: O }>;
  update?(id: string, olds: O, news: I): Promise<{ readonly outs: O }>;
  delete(id: string, props?: Partial<O>): Promise<void>;
}

const DEFAULT_PROPAGATION = "15m";

/** Names and GUIDs compare as Exchange compares them: case-insensitively; absent equals empty. */
export function sameName(a: string | undefined | null, b: string | undefined | null): boolean {
  return (a ?? "").trim().toLowerCase() === (b ?? "").trim().toLowerCase();
}

/** The fresh value from Exchange, in the spelling already in state when only the case differs (a quiet refresh). */
export function keep(prior: string | undefined, fresh: unknown): string | undefined {
  const value = typeof fresh === "string" && fresh.length > 0 ? fresh : undefined;
  return value !== undefined && prior !== undefined && sameName(prior, value) ? prior : value;
}

/** The first non-empty string among a row's keys. */
export function str(row: Record<string, unknown> | undefined, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = row?.[key];
    if (typeof value === "string" && value.length > 0) return value;
  }
  return undefined;
}

export function environmentOf(props: { environment?: unknown } | undefined): CloudName {
  const value = props?.environment;
  return typeof value === "string" && isCloudName(value) ? value : "public";
}

export function propagationMs(inputs: Common): number {
  return parseDuration(inputs.propagationTimeout ?? DEFAULT_PROPAGATION, "propagationTimeout");
}

/** Which inputs differ (each replaces). */
export function changed<T extends object>(olds: Partial<T>, news: T, keys: readonly (keyof T)[]): string[] {
  return keys.filter((k) => !sameName(olds[k] as string | undefined, news[k] as string | undefined)).map(String);
}

/** Input problems the engine shows per property before anything runs: the tenant, the cloud, the timeout. */
export function checkTarget(inputs: Common): CheckFailure[] {
  const failures: CheckFailure[] = [];
  if (!isGuid(inputs.tenantId ?? "")) failures.push({ property: "tenantId", reason: `tenantId ${JSON.stringify(inputs.tenantId)} is not a GUID: give the tenant's id.` });
  if (!isCloudName(inputs.environment ?? "")) failures.push({ property: "environment", reason: `environment ${JSON.stringify(inputs.environment)} is not public, usgovernment, dod or china.` });
  if (inputs.propagationTimeout !== undefined) {
    try {
      propagationMs(inputs);
    } catch (error) {
      failures.push({ property: "propagationTimeout", reason: (error as Error).message });
    }
  }
  return failures;
}

/** checkTarget, and the app's client id. */
export function checkCommon(inputs: Common & { appId: string }): CheckFailure[] {
  const failures = checkTarget(inputs);
  if (!isGuid(inputs.appId ?? "")) failures.push({ property: "appId", reason: `appId ${JSON.stringify(inputs.appId)} is not a GUID: give the app's client id.` });
  return failures;
}

/** A service principal's ObjectId input: required and a GUID. */
export function checkObjectId(value: string | undefined, property: string): CheckFailure[] {
  return isGuid(value ?? "") ? [] : [{ property, reason: `${property} ${JSON.stringify(value)} is not a GUID: give the app's service principal's object id (Get-ServicePrincipal shows it as ObjectId).` }];
}
