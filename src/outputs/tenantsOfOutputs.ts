/**
 * A stack's outputs a tenant at a time, by the stack-output contract (stackOutputs.ts): one tenant's outputs, or a
 * stack of many tenants' `{ tenants: { <key>: … } }` (ManyTenantStackOutputs). What the fleet's check and the audit
 * both read a stack's tenants by.
 */

const isMap = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * The tenants a stack's outputs describe, as `[key, outputs]` pairs in their order: a many-tenant stack's tenant keys,
 * else one pair keyed by the tenant id the outputs name (the stack's name when they name none).
 */
export function tenantsOfOutputs(stack: string, outputs: Readonly<Record<string, unknown>>): [string, Record<string, unknown>][] {
  if (isMap(outputs.tenants)) return Object.entries(outputs.tenants).map(([key, value]) => [key, isMap(value) ? value : {}]);
  return [[typeof outputs.tenantId === "string" && outputs.tenantId ? outputs.tenantId : stack, { ...outputs }]];
}

/** Whether a stack's outputs are a many-tenant stack's (`tenants: { … }`). */
export function isManyTenantOutputs(outputs: Readonly<Record<string, unknown>>): boolean {
  return isMap(outputs.tenants);
}
