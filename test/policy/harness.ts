/** Fake resources and one-policy runs for the policy tests: the pack's own offline runner, as the CLI uses it. */
import type { Policies, PolicyPackConfig } from "@pulumi/policy";
import { runPolicies, type OfflineResource, type Violation } from "../../policy/offline";
import { TYPES } from "../../policy/types";

export { TYPES };

export const EXO = "00000002-0000-0ff1-ce00-000000000000";
export const MANAGE_AS_APP = "dc50a0fb-09a3-484d-be87-e023b12c6440";
export const EXCHANGE_ADMINISTRATOR = "29232cdf-9323-42fd-ade2-1d097af3e4de";
export const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";

/** What @pulumi/policy's proxy sees for a string the engine does not know yet during preview. */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::exchange-app-only::${type}::${name}`;
}

export function resource(type: string, name: string, inputs: Record<string, unknown> = {}, extra: Partial<OfflineResource> = {}): OfflineResource {
  return { urn: urnOf(type, name), type, name, inputs, ...extra };
}

/** Runs `policies` (one or more) over `resources`. */
export function check(policies: Policies[number] | Policies, resources: OfflineResource[], config?: PolicyPackConfig): Promise<Violation[]> {
  return runPolicies(Array.isArray(policies) ? policies : [policies], resources, { config });
}

/** An app that asks for Exchange.ManageAsApp, as the program declares it. */
export function exchangeApp(name = "app", extraAccess: unknown[] = []): OfflineResource {
  return resource(TYPES.application, name, {
    displayName: name,
    requiredResourceAccesses: [{ resourceAppId: EXO, resourceAccesses: [{ id: MANAGE_AS_APP, type: "Role" }] }, ...extraAccess],
  });
}
