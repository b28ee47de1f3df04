/**
 * `exo-app-only fleet audit`: `audit` over every tenant a fleet's stacks name. Every stack's outputs are read first
 * (the fleet's concurrency), so each tenant is judged against what every stack manages in it; then the fleet runner
 * audits each stack's tenants (its concurrency, its summary table, Ctrl-C and redaction as for `fleet verify`).
 * Exit codes: 0 every stack succeeded · 1 a finding at or above --fail-on, or a stack or tenant could not be audited ·
 * 2 usage or fleet file error · 130 interrupted.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command, Option } from "commander";
import { SEVERITIES, type Severity } from "../audit/judge";
import { countsText, renderMarkdown, severityCounts } from "../audit/report";
import { auditTenant, type AuditResult } from "../audit/run";
import type { DriverStack, FleetDriver, OutputValues } from "../fleet/driver";
import { FleetAudit } from "../fleet/auditTenants";
import { loadDriver } from "../fleet/loadDriver";
import { forEachBounded } from "../fleet/pool";
import { plainProgress } from "../fleet/progress";
import { runFleet } from "../fleet/runner";
import { countResults, describeCounts, isSuccess, renderTable, toJson, type RunSummary } from "../fleet/summary";
import { parseDuration } from "../text/duration";
import { printable, printableJson } from "../text/terminalText";
import { checkEndpoints, parseExpiryWarning, signInEnv } from "./audit";
import { withUsageExit } from "./commandSupport";
import { EXIT } from "./exit";
import { EXIT_INTERRUPTED, FLEET_ARGUMENTS, fleetOf, parseConcurrency, reportFleetError, withSourceOptions, type SourceFlags } from "./fleet";

interface FleetAuditFlags extends SourceFlags {
  readonly concurrency: string;
  readonly failOn?: Severity;
  readonly expiryWarning: string;
  readonly markdownDir?: string;
  readonly authorityHost?: string;
  readonly graphEndpoint?: string;
  readonly exchangeEndpoint?: string;
  readonly timeout: string;
}

/**
 * A driver that answers `outputs` from what was read before (telling the runner each stack's secret values, so its
 * redaction knows them), and is never asked to run Pulumi.
 */
function readOnce(read: ReadonlyMap<string, OutputValues | Error>, secrets: ReadonlyMap<string, readonly string[]>): FleetDriver {
  const refuse = async (): Promise<never> => {
    throw new Error("fleet audit runs no Pulumi operation");
  };
  return {
    preview: refuse,
    up: refuse,
    refresh: refuse,
    destroy: refuse,
    async outputs(stack, options) {
      options.onSecrets?.(secrets.get(stack.name) ?? []);
      const values = read.get(stack.name);
      if (values instanceof Error) throw values;
      return values ?? {};
    },
  };
}

/** `contoso-6f1d….md`: one evidence report a tenant. */
const reportName = (tenantId: string): string => `${tenantId.replace(/[^A-Za-z0-9_.-]/g, "_")}.md`;

async function fleetAudit(positional: string[], flags: FleetAuditFlags): Promise<number> {
  const json = flags.json === true;
  try {
    const fleet = fleetOf(positional, flags, "audit");
    const concurrency = parseConcurrency(flags.concurrency);
    checkEndpoints(flags);
    const expiryWarningDays = parseExpiryWarning(flags.expiryWarning);
    const timeoutMs = parseDuration(flags.timeout, "--timeout");
    const stacks: DriverStack[] = fleet.stacks.map((s) => ({ name: s.name, ...(s.explicitConfigFile ? { configFile: s.configFile } : {}) }));
    const driver = loadDriver(fleet.projectDir);
    const controller = new AbortController();
    const onSignal = (): void => controller.abort();
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
      // Every stack's outputs first: a tenant is judged against what every stack of the fleet manages there.
      const read = new Map<string, OutputValues | Error>();
      const secrets = new Map<string, string[]>();
      await forEachBounded(stacks, concurrency, async (stack) => {
        const known: string[] = [];
        secrets.set(stack.name, known);
        read.set(stack.name, await driver.outputs(stack, { signal: controller.signal, onSecrets: (values) => known.push(...values) }).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))));
      }, controller.signal);
      const outputs = new Map([...read].filter((e): e is [string, OutputValues] => !(e[1] instanceof Error)));
      const audited: { stack: string; tenant: string; tenantId: string; result: AuditResult }[] = [];
      const audit = new FleetAudit(outputs, {
        ...(flags.failOn ? { failOn: flags.failOn } : {}),
        options: {
          env: signInEnv(process.env, flags.authorityHost),
          ...(flags.graphEndpoint ? { graphEndpoint: flags.graphEndpoint } : {}),
          ...(flags.exchangeEndpoint ? { exchangeEndpoint: flags.exchangeEndpoint } : {}),
          expiryWarningDays,
        },
        timeoutMs,
        audit: (options) => auditTenant(options),
        onAudited: (stack, tenant, result) => {
          if (!audited.some((a) => a.tenantId === tenant.tenantId)) audited.push({ stack, tenant: tenant.key, tenantId: tenant.tenantId!, result });
        },
      });
      const progress = plainProgress(process.stderr, "verify", stacks.length);
      const results = await runFleet({
        command: "verify",
        stacks,
        driver: readOnce(read, secrets),
        concurrency,
        signal: controller.signal,
        verify: (stack, values) => audit.tenantsOf(stack, values),
        events: { onStart: (s) => progress.start(s), onVerify: (s) => progress.verify(s), onSettled: (r, all) => progress.settled(r, all) },
      });
      if (flags.markdownDir) {
        mkdirSync(flags.markdownDir, { recursive: true });
        for (const a of audited) writeFileSync(join(flags.markdownDir, reportName(a.tenantId)), renderMarkdown(a.result.reading, a.result.judgement, a.result.auditor));
      }
      const interrupted = controller.signal.aborted;
      const summary: RunSummary = { command: "verify", fleetId: fleet.id, resultsFile: "-", concurrency, results, interrupted };
      if (json) {
        const { resultsFile: _none, command: _verify, ...rest } = toJson(summary);
        const audits = audited.map((a) => ({ stack: a.stack, tenant: a.tenant, tenantId: a.tenantId, counts: severityCounts(a.result.judgement), findings: a.result.judgement.findings }));
        process.stdout.write(`${printableJson({ ...rest, command: "audit", audits })}\n`);
      } else {
        const perTenant = audited.map((a) => `  ${a.tenantId} (${a.stack}): ${countsText(a.result.judgement)}`).join("\n");
        process.stdout.write(`${renderTable(results)}${perTenant ? `findings by tenant:\n${printable(perTenant, { newlines: true })}\n` : ""}fleet audit: ${describeCounts(countResults(results))}${interrupted ? " (interrupted)" : ""}\n`);
      }
      return interrupted ? EXIT_INTERRUPTED : isSuccess(summary) ? EXIT.ok : EXIT.failed;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  } catch (error) {
    return reportFleetError(error, json);
  }
}

/** `fleet audit`, for `fleetCommand().addCommand(fleetAuditCommand())`. */
export function fleetAuditCommand(): Command {
  const command = withSourceOptions(new Command("audit").description("audit every tenant the fleet's stacks name: its Exchange app-only holders, judged against what the fleet's stacks manage (see exo-app-only audit)"))
    .option("--concurrency <n>", "how many stacks run at once", "4")
    .addOption(new Option("--fail-on <level>", "a stack fails when one of its tenants has a finding at or above this severity").choices([...SEVERITIES]))
    .option("--expiry-warning <DAYS>", "report credentials that end within DAYS days", "30")
    .option("--markdown-dir <DIR>", "write one evidence report a tenant into DIR (<tenant id>.md)")
    .option("--authority-host <URL>", "override the login host (https only)")
    .option("--graph-endpoint <URL>", "override where Graph requests are sent (https only)")
    .option("--exchange-endpoint <URL>", "override where Exchange requests are sent (https only)")
    .option("--timeout <duration>", "how long each tenant's reading may take, throttling included", "10m")
    .action(async (positional: string[], flags: FleetAuditFlags) => {
      process.exitCode = await fleetAudit(positional, flags);
    });
  return withUsageExit(command, FLEET_ARGUMENTS);
}
