/**
 * `fleet audit`: every tenant a fleet's stacks name, audited once (src/audit/run.ts) and judged against the
 * principals every stack of the fleet manages in it, so an app one stack manages is not "unmanaged" in the audit of a
 * tenant another stack also deploys to. Each stack's tenants become its TenantResults: ok unless a finding is at or
 * above `--fail-on`, or the tenant could not be audited.
 */
import { ExoAppOnlyError } from "../errors";
import type { CloudName } from "../facts";
import { isCloudName } from "../facts";
import type { Severity } from "../audit/judge";
import { managedIn, stackTenants, type StackTenant } from "../audit/managed";
import type { ManagedPrincipal } from "../audit/model";
import { atOrAbove, countsText } from "../audit/report";
import type { AuditOptions, AuditResult } from "../audit/run";
import type { OutputValues } from "./driver";
import type { TenantResult } from "./results";

export interface FleetAuditSettings {
  readonly failOn?: Severity;
  /** Everything but the tenant, its cloud and its managed principals. */
  readonly options: Omit<AuditOptions, "tenant" | "environment" | "managed" | "deadline">;
  /** Each tenant's reading may take this long (ms). */
  readonly timeoutMs: number;
  readonly audit: (options: AuditOptions) => Promise<AuditResult>;
  /** Every audit that finished, by the tenant's id (for --json and --markdown-dir). */
  readonly onAudited?: (stack: string, tenant: StackTenant, result: AuditResult) => void;
}

/** One audit a tenant, whichever stack asks first; the others wait for it. */
export class FleetAudit {
  private readonly audits = new Map<string, Promise<AuditResult>>();

  /** `outputs`: every stack's outputs the fleet read, for the principals each manages in a tenant. */
  constructor(
    private readonly outputs: ReadonlyMap<string, OutputValues>,
    private readonly settings: FleetAuditSettings,
  ) {}

  private managed(names: readonly string[]): ManagedPrincipal[] {
    const all: ManagedPrincipal[] = [];
    for (const [stack, values] of this.outputs) {
      try {
        all.push(...managedIn(stack, values, names));
      } catch {
        // A stack of other tenants manages nothing here.
      }
    }
    return all;
  }

  private auditOf(tenant: StackTenant): Promise<AuditResult> {
    const key = tenant.tenantId!.toLowerCase();
    let audit = this.audits.get(key);
    if (!audit) {
      const environment: CloudName = tenant.environment && isCloudName(tenant.environment) ? tenant.environment : "public";
      audit = this.settings.audit({
        ...this.settings.options,
        tenant: tenant.tenantId!,
        environment,
        managed: (names) => this.managed([...names, ...(tenant.organization ? [tenant.organization] : [])]),
        deadline: Date.now() + this.settings.timeoutMs,
      });
      this.audits.set(key, audit);
    }
    return audit;
  }

  /** The runner's `verify` for `fleet audit`: one result a tenant of the stack, in the outputs' order. Never rejects. */
  async tenantsOf(stack: string, values: OutputValues): Promise<TenantResult[]> {
    const tenants = stackTenants(stack, values);
    return Promise.all(
      tenants.map(async (tenant): Promise<TenantResult> => {
        const started = Date.now();
        const label = { tenant: tenants.length > 1 ? tenant.key : (tenant.tenantId ?? stack), ...(tenant.tenantId ? { tenantId: tenant.tenantId } : {}) };
        if (!tenant.tenantId) {
          return { ...label, ok: false, durationMs: 0, error: { code: "ERR_STACK", message: `stack ${stack} exports no tenantId`, remedy: "Run `exo-app-only fleet up` for this stack first: it exports tenantId and clientId." } };
        }
        try {
          const result = await this.auditOf(tenant);
          this.settings.onAudited?.(stack, tenant, result);
          const over = this.settings.failOn === undefined ? [] : atOrAbove(this.settings.failOn, result.judgement);
          if (over.length === 0) return { ...label, ok: true, durationMs: Date.now() - started };
          const worst = over[0]!;
          return {
            ...label,
            ok: false,
            durationMs: Date.now() - started,
            error: {
              code: "ERR_AUDIT_FINDINGS",
              message: `${over.length} finding(s) at or above ${this.settings.failOn} (${countsText(result.judgement)}); worst: ${worst.rule} on ${worst.principal.displayName} (${worst.principal.appId})`,
              remedy: `Run \`exo-app-only audit --tenant ${tenant.tenantId} --stack ${stack}\` for every finding, its evidence and its fix.`,
            },
          };
        } catch (error) {
          const known = error instanceof ExoAppOnlyError;
          return {
            ...label,
            ok: false,
            durationMs: Date.now() - started,
            error: {
              code: known ? error.code : "ERR_INTERNAL",
              message: (error instanceof Error ? error.message : String(error)).split("\n")[0]!,
              remedy: known ? error.remedy : "This is a bug in exo-app-only: please report it with the command you ran (not its secrets).",
            },
          };
        }
      }),
    );
  }
}
