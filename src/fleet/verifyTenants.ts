/**
 * The post-deploy check for every tenant of a stack, in process, from the stack's outputs. A stack exports either
 * one tenant's StackOutputs or `{ tenants: { <key>: StackOutputs } }` (src/outputs/stackOutputs.ts); each tenant is
 * checked. Outputs become check options exactly as `exo-app-only verify --stack` makes them: through
 * parseStackOutputs (src/verify/readStack.ts) and resolveVerifyOptions (src/verify/options.ts), with the outputs the
 * driver already has instead of a `pulumi stack output` child.
 */
import { CheckSetupError, ExoAppOnlyError } from "../errors";
import { Redactor } from "../text/redact";
import { runCheck } from "../check/run";
import { isFailure, type CheckReport } from "../check/types";
import { parseStackOutputs } from "../verify/readStack";
import { isManyTenantOutputs, tenantsOfOutputs } from "../outputs/tenantsOfOutputs";
import { resolveVerifyOptions } from "../verify/options";
import type { OutputValues } from "./driver";
import { forEachBounded } from "./pool";
import { SECRET_OUTPUT_NAMES } from "./secretValues";
import type { ResultError, TenantResult } from "./results";

export interface VerifySettings {
  /** The check's deadline per tenant (`--verify-timeout`). */
  readonly timeoutMs: number;
  /** Send the Exchange probe (default true). */
  readonly probe?: boolean;
  /** Where InvokeCommand is sent (`--exchange-endpoint`; the emulator in tests). */
  readonly exchangeEndpoint?: string;
  /** Extra trusted CA (PEM): the emulator's, in-process tests only. */
  readonly ca?: string;
  /** Read for GitHub Actions OIDC when a stack holds no secret or certificate, as `verify` does. */
  readonly env?: NodeJS.ProcessEnv;
  /** Tenants of one stack checked at once (default 8). */
  readonly concurrency?: number;
}


function failureOf(report: CheckReport, redactor: Redactor): ResultError {
  const failed = report.checks.find(isFailure);
  if (report.stoppedBy === "aborted") return { code: "ERR_CANCELLED", message: "the check was cancelled", remedy: "Rerun with --only-failed." };
  const why = report.stoppedBy === "deadline" ? " (gave up at the --verify-timeout deadline)" : "";
  return {
    code: "ERR_CHECK_FAILED",
    message: redactor.redact(failed ? `${failed.id}: ${failed.detail}${why}` : `the check failed${why}`),
    remedy: redactor.redact(failed?.remedy ?? "Run `exo-app-only verify --stack NAME` for the full report."),
  };
}

async function verifyTenant(stack: string, key: string, values: Record<string, unknown>, single: boolean, settings: VerifySettings, signal: AbortSignal): Promise<TenantResult> {
  const started = Date.now();
  const label = single ? stack : `${stack} tenant ${key}`;
  const redactor = new Redactor();
  for (const name of SECRET_OUTPUT_NAMES) if (typeof values[name] === "string") redactor.add(values[name] as string);
  const ids = {
    ...(typeof values.tenantId === "string" ? { tenantId: values.tenantId } : {}),
    ...(typeof values.clientId === "string" ? { clientId: values.clientId } : {}),
  };
  try {
    const inputs = parseStackOutputs(label, JSON.stringify(values));
    const options = await resolveVerifyOptions(
      { stack: label, probe: settings.probe ?? true, timeout: `${settings.timeoutMs}ms`, ...(settings.exchangeEndpoint ? { exchangeEndpoint: settings.exchangeEndpoint } : {}) },
      settings.env ?? process.env,
      async () => inputs,
    );
    const report = await runCheck({ ...options, ...(settings.ca ? { ca: settings.ca } : {}), signal });
    return { tenant: key, ...ids, ok: report.ok, durationMs: Date.now() - started, ...(report.ok ? {} : { error: failureOf(report, redactor) }) };
  } catch (error) {
    const known = error instanceof ExoAppOnlyError;
    const remedy =
      error instanceof CheckSetupError && error.code === "ERR_STACK"
        ? "Run `exo-app-only fleet up` for this stack first: it exports tenantId, clientId, environment and a credential."
        : known
          ? error.remedy
          : "This is a bug in exo-app-only: please report it with the command you ran (not its secrets).";
    // Redacted whole, then cut to its first line: a private key spans lines.
    const message = redactor.redact(error instanceof Error ? error.message : String(error)).split("\n")[0]!;
    return { tenant: key, ...ids, ok: false, durationMs: Date.now() - started, error: { code: known ? error.code : "ERR_INTERNAL", message, remedy: redactor.redact(remedy) } };
  }
}

/** Checks every tenant of the stack; one result a tenant, in the outputs' order. Never rejects. */
export async function verifyTenants(stack: string, outputs: OutputValues, settings: VerifySettings, signal: AbortSignal): Promise<TenantResult[]> {
  const tenants = tenantsOfOutputs(stack, outputs);
  const single = !isManyTenantOutputs(outputs);
  if (tenants.length === 0) {
    return [{ tenant: "-", ok: false, durationMs: 0, error: { code: "ERR_STACK", message: `stack ${stack} exports tenants: {} with no tenant in it`, remedy: "Declare at least one tenant in the stack's exchange-app-only:tenants, then `fleet up`." } }];
  }
  const results: TenantResult[] = new Array(tenants.length);
  await forEachBounded(tenants, settings.concurrency ?? 8, async ([key, values], index) => {
    results[index] = await verifyTenant(stack, key, values, single, settings, signal);
  });
  // Tenants never reached because of a cancellation.
  return tenants.map(([key], i) => results[i] ?? { tenant: key, ok: false, durationMs: 0, error: { code: "ERR_CANCELLED", message: "the check was cancelled before it started", remedy: "Rerun with --only-failed." } });
}
