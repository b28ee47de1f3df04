/**
 * `verifyOnUp` as a custom resource's logic (the plugin's ExchangeAccessCheck, provider/resources.ts): run the check
 * on create and whenever what identifies it or a trigger changes; fail with the check's report, which is what makes
 * `pulumi up` fail. Plain code over runCheck, tested without Pulumi. Outputs hold no secret.
 * Federated and managed identities can only be checked where they run: `exo-app-only verify` in that pipeline.
 */
import { isCloudName, isGuid, type CloudName } from "../facts";
import { parseDuration } from "../text/duration";
import { renderText } from "./report";
import { runCheck } from "./run";

/** What the resource receives: the ExchangeAccessCheck's args, resolved. */
export interface ExchangeCheckInputs {
  readonly tenantId: string;
  readonly clientId: string;
  readonly environment: CloudName;
  /** Secret input: never in outputs, errors or logs. */
  readonly clientSecret?: string;
  /** Secret input (PEM with the private key): never in outputs, errors or logs. */
  readonly certificatePem?: string;
  readonly triggers: string[];
  readonly timeout?: string;
  readonly organization?: string;
  readonly authorityHost?: string;
  readonly exchangeEndpoint?: string;
  readonly trustedCaPem?: string;
  readonly probe?: boolean;
}

/** What the resource keeps in state: what was checked and how it went. No secret. */
export interface ExchangeCheckOutputs {
  readonly tenantId: string;
  readonly clientId: string;
  readonly environment: CloudName;
  readonly triggers: string[];
  readonly ok: boolean;
  readonly attempts: number;
  readonly elapsedMs: number;
  /** How long propagation took, when the check had to wait. */
  readonly propagationMs?: number;
  /** One line per check: `ok token.role roles contains Exchange.ManageAsApp` (`WARN` for a warning, `FAIL`). */
  readonly checks: string[];
  readonly checkedAt: string;
}

/** An input problem, named by property, as the engine shows it before anything runs. */
export interface PropertyFailure {
  readonly property: string;
  readonly reason: string;
}

const PREFIX = "verifyOnUp";

/** The error text a failure carries: what went wrong and, when the library gave one, the fix on its own line. */
export function failureText(prefix: string, error: unknown): string {
  const e = (typeof error === "object" && error !== null ? error : {}) as { message?: unknown; remedy?: unknown };
  const message = typeof e.message === "string" ? e.message : String(error);
  const remedy = typeof e.remedy === "string" && e.remedy.length > 0 ? `\n${e.remedy}` : "";
  return `${prefix}: ${message}${remedy}`;
}

/** Input problems per property (never quoting a secret's value). */
export function checkExchangeCheckInputs(inputs: Partial<ExchangeCheckInputs>): PropertyFailure[] {
  const failures: PropertyFailure[] = [];
  if (!isGuid(inputs.tenantId ?? "")) failures.push({ property: "tenantId", reason: `tenantId ${JSON.stringify(inputs.tenantId)} is not a GUID: give the tenant's id.` });
  if (!isGuid(inputs.clientId ?? "")) failures.push({ property: "clientId", reason: `clientId ${JSON.stringify(inputs.clientId)} is not a GUID: give the app's client id.` });
  if (typeof inputs.environment !== "string" || !isCloudName(inputs.environment)) {
    failures.push({ property: "environment", reason: `environment ${JSON.stringify(inputs.environment)} is not public, usgovernment, dod or china.` });
  }
  if (inputs.triggers !== undefined && (!Array.isArray(inputs.triggers) || inputs.triggers.some((t) => typeof t !== "string"))) {
    failures.push({ property: "triggers", reason: "triggers must be a list of strings (ids of the resources whose change re-runs the check)." });
  }
  if (inputs.timeout !== undefined) {
    try {
      parseDuration(inputs.timeout, "timeout");
    } catch (error) {
      failures.push({ property: "timeout", reason: (error as Error).message });
    }
  }
  for (const key of ["clientSecret", "certificatePem"] as const) {
    if (inputs[key] !== undefined && typeof inputs[key] !== "string") failures.push({ property: key, reason: `${key} must be a string.` });
  }
  for (const key of ["authorityHost", "exchangeEndpoint"] as const) {
    const value = inputs[key];
    if (value !== undefined && (typeof value !== "string" || !/^https:\/\//i.test(value))) failures.push({ property: key, reason: `${key} ${JSON.stringify(value)} must be an https:// URL.` });
  }
  if (inputs.probe !== undefined && typeof inputs.probe !== "boolean") failures.push({ property: "probe", reason: `probe ${JSON.stringify(inputs.probe)} must be true or false.` });
  return failures;
}

/**
 * Runs the check. Throws an Error holding the check's report when it fails (what makes `pulumi up` fail); its text
 * never holds the secret or the key.
 */
export async function runExchangeCheck(inputs: ExchangeCheckInputs): Promise<ExchangeCheckOutputs> {
  const credential = inputs.certificatePem
    ? ({ kind: "certificate", pem: inputs.certificatePem } as const)
    : inputs.clientSecret
      ? ({ kind: "secret", secret: inputs.clientSecret } as const)
      : undefined;
  if (!credential) {
    throw new Error(`${PREFIX}: no client secret or certificate to check with. Federated and managed identities are checked where they run: \`exo-app-only verify\` in that pipeline.`);
  }
  let report;
  try {
    report = await runCheck({
      tenantId: inputs.tenantId,
      clientId: inputs.clientId,
      environment: inputs.environment,
      credential,
      ...(inputs.timeout ? { timeoutMs: parseDuration(inputs.timeout, "timeout") } : {}),
      ...(inputs.organization ? { organization: inputs.organization } : {}),
      ...(inputs.authorityHost ? { authorityHost: inputs.authorityHost } : {}),
      ...(inputs.exchangeEndpoint ? { exchangeEndpoint: inputs.exchangeEndpoint } : {}),
      ...(inputs.trustedCaPem ? { ca: inputs.trustedCaPem } : {}),
      ...(inputs.probe === false ? { probe: false } : {}),
    });
  } catch (error) {
    throw new Error(failureText(PREFIX, error));
  }
  if (!report.ok) {
    throw new Error(`${PREFIX}: the identity does not work yet.\n${renderText(report)}Re-run \`pulumi up\` after the fix, or \`exo-app-only verify --stack <stack>\` to check again without deploying.`);
  }
  return {
    tenantId: inputs.tenantId,
    clientId: inputs.clientId,
    environment: inputs.environment,
    triggers: [...(inputs.triggers ?? [])],
    ok: true,
    attempts: report.attempts,
    elapsedMs: Math.round(report.elapsedMs),
    ...(report.propagation ? { propagationMs: Math.round(report.propagation.waitedMs) } : {}),
    checks: report.checks.map((c) => `${c.warning ? "WARN" : c.ok ? "ok" : "FAIL"} ${c.id} ${c.detail}`),
    checkedAt: new Date().toISOString(),
  };
}

/** Re-run when what identifies the check or a trigger changes; secrets are compared through the triggers. */
export function exchangeCheckChanged(olds: Partial<ExchangeCheckOutputs>, news: ExchangeCheckInputs): boolean {
  return (
    olds.tenantId !== news.tenantId ||
    olds.clientId !== news.clientId ||
    olds.environment !== news.environment ||
    JSON.stringify(olds.triggers ?? []) !== JSON.stringify(news.triggers ?? [])
  );
}
