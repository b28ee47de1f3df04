/**
 * Which principals the given stacks manage in the audited tenant, read from their outputs by the stack-output
 * contract (src/outputs/stackOutputs.ts): a tenant's `clientId` and `servicePrincipalObjectId`, or a managed
 * identity's `principalId` and `clientId`. A stack of many tenants (`tenants: { <key>: … }`) is read a tenant at a
 * time. A stack whose outputs name no tenant the audit reads is refused: its principals cannot be compared.
 */
import { ExoAppOnlyError } from "../errors";
import { tenantsOfOutputs } from "../outputs/tenantsOfOutputs";
import type { ManagedPrincipal } from "./model";

export class AuditError extends ExoAppOnlyError {
  constructor(code: "ERR_USAGE" | "ERR_STACK" | "ERR_SIGN_IN" | "ERR_GRAPH_PERMISSION" | "ERR_GRAPH", message: string, remedy: string) {
    super(code, message, remedy);
  }
}

const isMap = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);

/** One tenant's outputs of a stack, with its key (a many-tenant stack's tenant key; else its tenant id, or the stack's name). */
export interface StackTenant {
  readonly key: string;
  readonly tenantId?: string;
  readonly organization?: string;
  readonly environment?: string;
  readonly principal: Omit<ManagedPrincipal, "stack">;
}

/** Every tenant a stack's outputs describe, in their order. */
export function stackTenants(stack: string, outputs: Readonly<Record<string, unknown>>): StackTenant[] {
  return tenantsOfOutputs(stack, outputs).map(([key, values]) => {
    const identity = isMap(values.managedIdentity) ? values.managedIdentity : undefined;
    const clientId = text(identity ? identity.clientId : values.clientId);
    const servicePrincipalObjectId = text(identity ? identity.principalId : values.servicePrincipalObjectId);
    return {
      key,
      ...(text(values.tenantId) ? { tenantId: text(values.tenantId) } : {}),
      ...(text(values.organization) ? { organization: text(values.organization) } : {}),
      ...(text(values.environment) ? { environment: text(values.environment) } : {}),
      principal: { ...(clientId ? { clientId } : {}), ...(servicePrincipalObjectId ? { servicePrincipalObjectId } : {}) },
    };
  });
}

/** Whether a stack's tenant is the audited one: by its tenant id or initial domain, against every name the tenant has. */
export function isTenant(tenant: StackTenant, names: readonly string[]): boolean {
  const known = new Set(names.map((n) => n.toLowerCase()));
  return [tenant.tenantId, tenant.organization].some((n) => n !== undefined && known.has(n.toLowerCase()));
}

/**
 * The principals `stack` manages in the tenant known by `names` (its GUID, the domain given, its initial domain).
 * Throws when the stack manages none of its tenants there: a stack file for another tenant.
 */
export function managedIn(stack: string, outputs: Readonly<Record<string, unknown>>, names: readonly string[]): ManagedPrincipal[] {
  const tenants = stackTenants(stack, outputs);
  const here = tenants.filter((t) => isTenant(t, names));
  if (here.length === 0) {
    const theirs = tenants.map((t) => t.tenantId ?? t.organization ?? "(none)").join(", ") || "none";
    throw new AuditError(
      "ERR_STACK",
      `stack ${stack} manages tenant ${theirs}, not the audited tenant ${names[0]}`,
      tenants.every((t) => t.tenantId === undefined && t.organization === undefined)
        ? "Its outputs name no tenant: run `pulumi up` for it first (it exports tenantId and clientId), or leave it out."
        : "Give the stacks of the tenant you audit (--stack NAME or --config-file PATH), or audit that stack's tenant with --tenant.",
    );
  }
  return here.filter((t) => t.principal.clientId || t.principal.servicePrincipalObjectId).map((t) => ({ stack: tenants.length > 1 ? `${stack} (${t.key})` : stack, ...t.principal }));
}
