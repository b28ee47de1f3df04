/** The whole pack over an offline plan's resources: what `exo-app-only plan --policy` runs. */
import type { PolicyPackConfig } from "@pulumi/policy";
import { runPolicies, type OfflineResource, type Violation } from "./offline";
import { exchangeAppOnlyPolicies } from "./policies";

export interface PlanCheckOptions {
  /** The stack's name, for the policies that judge it (production-looking names). */
  readonly stack: string;
  readonly now?: Date;
  readonly config?: PolicyPackConfig;
}

export function checkPlan(resources: readonly OfflineResource[], options: PlanCheckOptions): Promise<Violation[]> {
  const now = options.now ?? new Date();
  const policies = exchangeAppOnlyPolicies({ stack: () => options.stack, now: () => now });
  return runPolicies(policies, resources, { config: options.config });
}

export type { OfflineResource, Violation } from "./offline";
export { PACK_NAME } from "./policies";
