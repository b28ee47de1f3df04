/**
 * `exo-app-only audit`: every principal that can reach Exchange app-only in one tenant, judged (src/audit). A thin
 * shell: flags and stacks in; the table on stderr, one JSON object (--json) or the adopt blocks on stdout, an
 * evidence report (--markdown FILE); exit 0, 1 (a finding at or above --fail-on) or 2 (usage, sign-in, permission).
 */
import { writeFileSync } from "node:fs";
import { Command, Option } from "commander";
import { CLOUD_NAMES, isCloudName, type CloudName } from "../facts";
import { MAX_EXPIRY_DAYS } from "../check/expiry";
import { UsageError } from "../errors";
import { parseDuration } from "../text/duration";
import { shownValue, tenantProblem, TENANT_REMEDY } from "../check/ids";
import { httpsEndpointProblem } from "../net/httpsEndpoint";
import { printable } from "../text/terminalText";
import { adoptBlock } from "../audit/adoptBlock";
import { SEVERITIES, type Severity } from "../audit/judge";
import { isTenant, managedIn, stackTenants } from "../audit/managed";
import { failsOn, renderJson, renderMarkdown, renderTable } from "../audit/report";
import { auditTenant, type AuditResult } from "../audit/run";
import { readAuditStacks, tenantOfStacks, type StackOutputsRead } from "./auditStacks";
import { reportError, withUsageExit } from "./commandSupport";
import type { ArgumentAdvice } from "./extraArguments";
import { EXIT } from "./exit";

export interface AuditFlags {
  readonly tenant?: string;
  readonly environment?: CloudName;
  readonly stack: string[];
  readonly configFile: string[];
  readonly json?: boolean;
  readonly markdown?: string;
  readonly failOn?: Severity;
  readonly expiryWarning: string;
  readonly authorityHost?: string;
  readonly exchangeEndpoint?: string;
  readonly graphEndpoint?: string;
  readonly timeout: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `--expiry-warning 30`: a whole number of days. */
export function parseExpiryWarning(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) > MAX_EXPIRY_DAYS) {
    throw new UsageError(`--expiry-warning ${JSON.stringify(text)} is not a whole number of days from 0 to ${MAX_EXPIRY_DAYS}`, "Pass --expiry-warning DAYS, for example 30 (the default): credentials that end within DAYS days are reported.");
  }
  return Number(text);
}

/** `--authority-host`, `--graph-endpoint`, `--exchange-endpoint`: https URLs only (tokens travel there). */
export function checkEndpoints(flags: Pick<AuditFlags, "authorityHost" | "exchangeEndpoint" | "graphEndpoint">): void {
  for (const [name, value] of [
    ["--authority-host", flags.authorityHost],
    ["--graph-endpoint", flags.graphEndpoint],
    ["--exchange-endpoint", flags.exchangeEndpoint],
  ] as const) {
    const problem = value === undefined ? undefined : httpsEndpointProblem(name, value, "https://graph.microsoft.com");
    if (problem) throw new UsageError(...problem);
  }
}

/** The environment the sign-in reads: --authority-host moves the login host as AZURE_AUTHORITY_HOST does. */
export function signInEnv(env: NodeJS.ProcessEnv, authorityHost: string | undefined): NodeJS.ProcessEnv {
  return authorityHost ? { ...env, AZURE_AUTHORITY_HOST: authorityHost } : env;
}

/** Findings that say the wiring is not one a stack should take over as it is. */
const NOT_WELL_WIRED = /^wiring\.|^privilege\.global-administrator$/;

/**
 * The adopt block of every holder no given stack manages whose wiring a stack can take over as it is: not for one
 * wired wrong, nor for Global Administrator (the stack's own rules refuse it).
 */
export function adoptBlocks(result: AuditResult): Record<string, string> {
  const blocks: Record<string, string> = {};
  const unfit = new Set(result.judgement.findings.filter((f) => NOT_WELL_WIRED.test(f.rule)).map((f) => f.principal.servicePrincipalObjectId));
  for (const holder of result.reading.holders) {
    if (result.judgement.managedBy[holder.servicePrincipalObjectId] || unfit.has(holder.servicePrincipalObjectId)) continue;
    const block = adoptBlock(holder, result.reading);
    if (block) blocks[holder.servicePrincipalObjectId] = block;
  }
  return blocks;
}

/** Stdout without --json: each adopt block, headed by a comment naming the holder and what to do with it. */
export function renderAdoptBlocks(result: AuditResult, blocks: Readonly<Record<string, string>>): string {
  return result.reading.holders
    .filter((h) => blocks[h.servicePrincipalObjectId])
    .map((h) => `# ${printable(h.displayName)} (${h.appId}): to bring it under a stack, put this in Pulumi.<stack>.yaml, then \`exo-app-only plan --stack <stack>\` shows imports and no replacement\n${blocks[h.servicePrincipalObjectId]}`)
    .join("\n");
}

async function audit(flags: AuditFlags): Promise<number> {
  const json = flags.json === true;
  try {
    checkEndpoints(flags);
    // The same rule as verify's --tenant-id: a GUID or a domain name, said before any sign-in is tried.
    const tenantFlagProblem = flags.tenant === undefined ? undefined : tenantProblem(flags.tenant);
    if (tenantFlagProblem) throw new UsageError(`--tenant ${shownValue(flags.tenant!)} ${tenantFlagProblem}`, TENANT_REMEDY);
    const expiryWarningDays = parseExpiryWarning(flags.expiryWarning);
    const timeoutMs = parseDuration(flags.timeout, "--timeout");
    const stacks: StackOutputsRead[] = await readAuditStacks({ stacks: flags.stack, configFiles: flags.configFile, ...(flags.tenant ? { tenant: flags.tenant } : {}) });
    const fromStacks = flags.tenant === undefined ? (stacks.length > 0 ? tenantOfStacks(stacks) : undefined) : undefined;
    const tenant = flags.tenant ?? fromStacks?.tenant;
    if (!tenant) throw new UsageError("no tenant to audit", "Pass --tenant TENANT (its GUID or one of its domains, such as contoso.onmicrosoft.com), or --stack NAME to take it from a stack's outputs.");
    // The cloud the stacks deployed this tenant to, when --environment does not say.
    const named = fromStacks?.environment ?? stacks.flatMap((st) => stackTenants(st.stack, st.outputs)).find((x) => isTenant(x, [tenant]))?.environment;
    const stackEnvironment = named && isCloudName(named) ? named : undefined;
    const environment: CloudName = flags.environment ?? stackEnvironment ?? "public";
    process.stderr.write(`${printable(`Auditing Exchange app-only access in tenant ${tenant} (${environment})${stacks.length > 0 ? ` against ${stacks.length} stack(s): ${stacks.map((s) => s.stack).join(", ")}` : ""}`)}\n`);
    const result = await auditTenant({
      tenant,
      environment,
      env: signInEnv(process.env, flags.authorityHost),
      ...(flags.graphEndpoint ? { graphEndpoint: flags.graphEndpoint } : {}),
      ...(flags.exchangeEndpoint ? { exchangeEndpoint: flags.exchangeEndpoint } : {}),
      ...(stacks.length > 0 ? { managed: (names: readonly string[]) => stacks.flatMap((s) => managedIn(s.stack, s.outputs, names)) } : {}),
      expiryWarningDays,
      deadline: Date.now() + timeoutMs,
    });
    process.stderr.write(renderTable(result.reading, result.judgement));
    const blocks = adoptBlocks(result);
    if (json) process.stdout.write(renderJson(result.reading, result.judgement, result.auditor, blocks));
    else if (Object.keys(blocks).length > 0) process.stdout.write(renderAdoptBlocks(result, blocks));
    if (flags.markdown) {
      writeFileSync(flags.markdown, renderMarkdown(result.reading, result.judgement, result.auditor));
      process.stderr.write(`${printable(`evidence report written to ${flags.markdown}`)}\n`);
    }
    return flags.failOn && failsOn(flags.failOn, result.judgement) ? EXIT.failed : EXIT.ok;
  } catch (error) {
    return reportError(error, json);
  }
}

const EXAMPLES = `
Exit codes:
  0  read and judged; no finding at or above --fail-on (or no --fail-on)
  1  a finding at or above --fail-on
  2  usage error, a stack of another tenant, a sign-in failure, or an auditor without the Graph permissions
Secrets come from the environment (the sign-in chain), never from flags.

Sign-in (as the Exchange RBAC resources): ARM_CLIENT_ID + ARM_TENANT_ID with ARM_CLIENT_SECRET or ARM_USE_OIDC=true,
ARM_USE_MSI=true, else DefaultAzureCredential (AZURE_* variables, workload identity, managed identity, az login).
The auditor needs Graph's Application.Read.All and RoleManagement.Read.Directory, Exchange.ManageAsApp, and a
view-only Exchange role (a custom role group holding View-Only Configuration, or Global Reader) to read Exchange's
RBAC: see docs/audit.md.

Examples:
  # every holder, judged; the table on stderr
  $ exo-app-only audit --tenant contoso.onmicrosoft.com

  # which of them the stacks manage; adopt blocks for the rest on stdout
  $ exo-app-only audit --stack contoso --config-file stacks/Pulumi.contoso-reporting.yaml

  # a scheduled pipeline: an evidence report, and exit 1 on a medium or high finding
  $ exo-app-only audit --stack contoso --markdown audit.md --fail-on medium

  # one JSON object for a script
  $ exo-app-only audit --tenant <tenant GUID> --json | jq '.findings[] | select(.severity == "high")'
`;

const ARGUMENTS: ArgumentAdvice = {
  secret: "Secrets and tokens are never taken on the command line: the auditor signs in from the environment (ARM_* variables, OIDC, a managed identity or az login).",
  guid: "Pass the tenant as --tenant GUID.",
  domain: "Pass the tenant as --tenant DOMAIN (or its GUID).",
  path: "Pass a stack file as --config-file PATH, or the evidence report's file as --markdown FILE.",
  url: "Pass an endpoint as --authority-host URL, --graph-endpoint URL or --exchange-endpoint URL.",
  stackName: "Compare with a stack's outputs with --stack NAME.",
  other: "audit takes everything as flags: --tenant TENANT and/or --stack NAME (see --help).",
};

/** The `audit` command, for `program.addCommand(auditCommand())`. */
export function auditCommand(): Command {
  const command = new Command("audit")
    .description(
      "Read every principal that holds an Exchange Online (or EOP) app role or a directory role Exchange accepts, with its roles, credentials and Exchange RBAC, and judge it: broken wiring, over-privilege, credentials, and which no given stack manages.",
    )
    .option("--tenant <TENANT>", "the tenant to audit: its GUID or one of its domains (default: the one the stacks' outputs name)")
    .addOption(new Option("--environment <cloud>", "Microsoft cloud (default: the stacks', else public)").choices([...CLOUD_NAMES]))
    .option("--stack <NAME>", "a stack whose outputs say which principals it manages (repeatable)", collect, [])
    .option("--config-file <PATH>", "a stack's Pulumi.<stack>.yaml kept anywhere: that stack's outputs (repeatable)", collect, [])
    .option("--json", "print one JSON object on stdout: what was read, the findings, the adopt blocks (the table stays on stderr)")
    .option("--markdown <FILE>", "write an evidence report for an auditor: the tenant, the time, who read it, every holder, the findings")
    .addOption(new Option("--fail-on <level>", "exit 1 when a finding at or above this severity exists").choices([...SEVERITIES]))
    .option("--expiry-warning <DAYS>", "report credentials that end within DAYS days", "30")
    .option("--authority-host <URL>", "override the login host (https only)")
    .option("--graph-endpoint <URL>", "override where Graph requests are sent (https only); tokens are still asked for the cloud's Graph")
    .option("--exchange-endpoint <URL>", "override where Exchange requests are sent (https only); tokens are still asked for the cloud's Exchange")
    .option("--timeout <duration>", "how long the whole reading may take, throttling included: 90s, 5m, 1h", "10m")
    .addHelpText("after", EXAMPLES)
    .action(async (flags: AuditFlags) => {
      process.exitCode = await audit(flags);
    });
  return withUsageExit(command, ARGUMENTS);
}
