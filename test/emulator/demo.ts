/**
 * `npm run demo`: the dev stack's real program lands in an emulated tenant, then the post-deploy check runs against
 * it. `--break consent|role|secret|audience` breaks one link to show each diagnosis.
 *
 *   npm run demo                         # passes
 *   npm run demo -- --propagation 3s     # consent and role become visible after 3 s: the check waits, then passes
 *   npm run demo -- --break role         # no directory role: Exchange answers 403, the check says which role to add
 *   npm run demo -- --stack dev --timeout 20s
 *   npm run demo -- --config-file /elsewhere/Pulumi.contoso.yaml   # any stack file; the project is found from here up
 *   npm run demo -- --stack fleet-example                     # many tenants: every tenant is created and checked
 *   npm run demo -- --stack msp-example --break role --tenant fabrikam   # one multi-tenant app; one customer broken
 *   npm run demo -- --stack reporting-example   # role: none + Exchange RBAC: Get-AcceptedDomain passes, Get-Mailbox is refused
 *   npm run demo -- --probe-cmdlet Get-Mailbox  # the check's probe runs this cmdlet
 *
 * A stack with `role: none` (Exchange RBAC only) is checked twice: `--probe-cmdlet Get-AcceptedDomain` must pass and
 * `--probe-cmdlet Get-Mailbox` must be refused with its fix; exit 0 when both do, which is what least privilege means.
 *
 * A stack with `exchange-app-only:tenants` lands every tenant (each its own emulated tenant, in its cloud) and checks
 * each; a tenant with `consent: manual` is reported as waiting for its admin, not as a failure.
 *
 * Everything runs offline on 127.0.0.1 with a throwaway CA. Secrets and tokens are never printed.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { CLOUDS, isCloudName, type CloudName } from "../../src/facts";
import { evaluateProgram } from "../../src/cli/evaluate";
import { locateStack, readStackConfig } from "../../src/plan/stackFile";
import { withUsageExit } from "../../src/cli/commandSupport";
import { formatDuration, inspectToken, isFailure, parseDuration, renderText, runCheck, type CheckReport, type Credential, type InspectResult } from "../../src/check";
import { parseStackConfig, type TenantEntry } from "../../src/config/parseStack";
import type { PendingConsentOutputs, StackOutputs } from "../../src/outputs/stackOutputs";
import { startEmulator, type TenantEmulator } from "./index";
import { emulatorBackend, type RecordedKind, type TenantBackendOptions } from "./pulumiBackend";
import { secretToken } from "./scenario";

export const BREAKS = ["consent", "role", "secret", "audience"] as const;
export type Break = (typeof BREAKS)[number];

export interface DemoOptions {
  readonly stack?: string;
  /** A stack file kept anywhere, instead of Pulumi.<stack>.yaml beside Pulumi.yaml. */
  readonly configFile?: string;
  readonly break?: Break;
  /** A many-tenant stack: the key of the one tenant `--break` and `--propagation` apply to (default: every tenant). */
  readonly tenant?: string;
  /** Delay (ms) before the consent and the role become visible, as Entra's propagation would. */
  readonly propagationMs?: number;
  /** The check's deadline (ms). Default 20 s (15 min is the product default; the demo has no reason to wait that long). */
  readonly timeoutMs?: number;
  /** The cmdlet the check's probe runs (default Get-AcceptedDomain). */
  readonly probeCmdlet?: string;
  /** Where to start looking for Pulumi.yaml (and what a relative --config-file is relative to). */
  readonly cwd?: string;
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
}

/** One tenant of a many-tenant stack, as the demo found it. */
export interface TenantDemoResult {
  /** The tenant's key in the stack's `tenants` output. */
  readonly key: string;
  readonly tenantId: string;
  readonly organization: string;
  readonly environment: CloudName;
  /** `waiting-for-consent`: `consent: manual`, the stack created nothing there; not a failure. */
  readonly status: "pass" | "fail" | "waiting-for-consent";
  readonly report?: CheckReport;
  readonly adminConsentUrl?: string;
}

export interface DemoResult {
  /** 0: every check passed (tenants waiting for admin consent do not count); 1: a check failed; 2: usage or config. */
  readonly exitCode: 0 | 1 | 2;
  readonly report?: CheckReport;
  /** A `role: none` stack: the check of a cmdlet its Exchange role does not include (Get-Mailbox), expected to fail. */
  readonly refused?: CheckReport;
  readonly inspection?: InspectResult;
  /** A many-tenant stack: one result a tenant, in the order of the stack's `tenants` output. */
  readonly tenants?: readonly TenantDemoResult[];
}

/** A duration flag's parser: commander reports a bad value as "option '--timeout <duration>' argument 'x' is invalid. …". */
function duration(flag: string): (text: string) => number {
  return (text) => {
    try {
      return parseDuration(text, flag);
    } catch (e) {
      throw new InvalidArgumentError(`${(e as Error).message}. ${(e as { remedy?: string }).remedy ?? ""}`.trim());
    }
  };
}

/** The demo's command line; `run` gets the parsed options. */
export function demoCommand(run: (options: DemoOptions) => void | Promise<void>): Command {
  return new Command("npm run demo --")
    .usage("[options]")
    .description("Land the dev stack's real program in a local tenant emulator (under Pulumi mocks) and run the post-deploy check against it.")
    .option("--stack <name>", "read Pulumi.<name>.yaml beside Pulumi.yaml (default: dev)")
    .option("--config-file <path>", "read this stack file instead, kept anywhere (the project is the Pulumi.yaml in the current folder or above)")
    .addOption(new Option("--break <link>", "break one link to show its diagnosis").choices(BREAKS))
    .option("--tenant <key>", "a many-tenant stack: break or delay only this tenant (its key in tenants; default every tenant)")
    .option("--propagation <duration>", "consent and role become visible this long after creation (e.g. 3s)", duration("--propagation"))
    .option("--timeout <duration>", "the check's deadline (default 20s)", duration("--timeout"))
    .option("--probe-cmdlet <Cmdlet>", "the cmdlet the check's probe runs (default Get-AcceptedDomain)")
    .addHelpText(
      "after",
      "\nExamples:\n  npm run demo\n  npm run demo -- --break role\n  npm run demo -- --propagation 3s\n  npm run demo -- --stack fleet-example\n  npm run demo -- --stack msp-example --break role --tenant fabrikam\n  npm run demo -- --stack reporting-example\n\n" +
        "Exit codes: 0 the check passed (many tenants: in every tenant the stack deploys to; a tenant with consent: manual\n" +
        "waits for its admin and is not a failure), 1 it failed (as a --break intends), 2 usage or config error.",
    )
    .allowExcessArguments(false)
    .action(async (flags: { stack?: string; configFile?: string; break?: Break; tenant?: string; propagation?: number; timeout?: number; probeCmdlet?: string }) => {
      await run({
        ...(flags.stack !== undefined ? { stack: flags.stack } : {}),
        ...(flags.configFile !== undefined ? { configFile: flags.configFile } : {}),
        ...(flags.break ? { break: flags.break } : {}),
        ...(flags.tenant !== undefined ? { tenant: flags.tenant } : {}),
        ...(flags.propagation !== undefined ? { propagationMs: flags.propagation } : {}),
        ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout } : {}),
        ...(flags.probeCmdlet !== undefined ? { probeCmdlet: flags.probeCmdlet } : {}),
      });
    });
}

/** Parses the demo's arguments without exiting: a usage error (or --help) throws commander's error. */
export function parseDemoArgs(argv: readonly string[]): DemoOptions {
  let parsed: DemoOptions | undefined;
  demoCommand((o) => {
    parsed = o;
  })
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} })
    .parse([...argv], { from: "user" });
  return parsed!;
}

/** What each break does to the emulated tenant, in words the demo prints. */
const BREAK_STORY: Record<Break, string> = {
  consent: "the admin consent (app role assignment Exchange.ManageAsApp) never lands in the tenant",
  role: "the directory role assignment never lands in the tenant",
  secret: "the client secret the stack output holds was never accepted by the tenant",
  audience: "a script asks for a Microsoft Graph token instead of an Exchange Online one",
};

const DROPS: Record<Break, RecordedKind[]> = {
  consent: ["appRoleAssignment"],
  role: ["directoryRoleAssignment"],
  secret: ["password"],
  audience: [],
};

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const out = options.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const err = options.err ?? ((l: string) => process.stderr.write(`${l}\n`));
  // As `plan` and the Pulumi CLI: the project from the current directory upward, the stack file wherever it is.
  const located = locateStack({ stack: options.configFile ? options.stack : (options.stack ?? "dev"), configFile: options.configFile, cwd: options.cwd });
  const stack = located.stackName;
  const config = readStackConfig(located.projectFile, located.stackFile);
  if (config["exchange-app-only:tenants"] !== undefined) return runManyTenants(options, stack, config, out, err);
  if (options.tenant !== undefined) {
    err(`--tenant ${options.tenant}: ${located.stackFile} declares one tenant (no exchange-app-only:tenants); --tenant picks a tenant of a many-tenant stack`);
    return { exitCode: 2 };
  }
  const tenantId = config["exchange-app-only:tenantId"];
  const organization = config["exchange-app-only:organization"];
  if (!tenantId) {
    err(`${located.stackFile} sets no exchange-app-only:tenantId`);
    return { exitCode: 2 };
  }

  const cloud = config["exchange-app-only:environment"];
  const emu = await startEmulator();
  try {
    // In the stack's cloud, as its provider signs in there (a tenant of another cloud would refuse the resources).
    emu.directory.addTenant({ tenantId, ...(organization ? { organization } : {}), ...(cloud && isCloudName(cloud) ? { cloud } : {}) });
    out(`Emulated tenant ${tenantId} (${organization ?? "no organization set"}) at ${emu.url}`);
    if (options.break) out(`Breaking one link: ${BREAK_STORY[options.break]}.`);

    const propagation = options.propagationMs ?? 0;
    const backend = emulatorBackend(emu, tenantId, {
      drop: options.break ? DROPS[options.break] : [],
      visibleAfterMs: propagation > 0 ? { appRoleAssignment: propagation, directoryRoleAssignment: propagation } : {},
    });
    const run = await evaluateProgram({ config, stack, backend, revealSecrets: true });
    const outputs = run.outputs as unknown as StackOutputs;
    out(`pulumi up (under mocks): ${run.resources.length} resources registered; ${summarizeDirectory(emu, tenantId)}`);
    if (propagation > 0) out(`Consent and role become visible ${formatDuration(propagation)} after creation.`);

    const environment: CloudName = isCloudName(String(outputs.environment)) ? outputs.environment : "public";
    const credential = pickCredential(outputs, options.break);
    if (!credential) {
      err("The stack declares neither a certificate nor a client secret: nothing the check can sign in with here.");
      return { exitCode: 2 };
    }

    if (options.break === "audience") return await graphTokenDemo(emu, outputs, environment, out, err);

    const landed = { ...outputs, tenantId, environment, ...(organization ? { organization } : { organization: "" }) };
    if (config["exchange-app-only:role"] === "none" && options.probeCmdlet === undefined && !options.break) return await leastPrivilegeDemo(emu, landed, credential, options, out, err);
    out(`exo-app-only verify (${credential.kind})${options.probeCmdlet ? ` --probe-cmdlet ${options.probeCmdlet}` : ""} against the emulator, deadline ${formatDuration(options.timeoutMs ?? 20_000)}:`);
    const report = await checkTenant(emu, landed, credential, options, (l) => err(`  ${l}`));
    out(renderText(report).trimEnd());
    out(`Emulator saw ${emu.requests.length} requests: ${countKinds(emu)}.`);
    out(`(${CLOUDS[environment].label}; Exchange resource ${CLOUDS[environment].exchangeResource})`);
    return { exitCode: report.ok ? 0 : 1, report };
  } finally {
    await emu.close();
  }
}

/**
 * A `role: none` stack: the app holds no directory role, only the Exchange roles of `exchangeRoles`. The check runs
 * the cmdlet a reporting app exists for (Get-AcceptedDomain: must pass) and one its roles do not include (Get-Mailbox:
 * must be refused, with the role that would allow it). Exit 0 when both do.
 */
async function leastPrivilegeDemo(emu: TenantEmulator, outputs: StackOutputs, credential: Credential, options: DemoOptions, out: (l: string) => void, err: (l: string) => void): Promise<DemoResult> {
  const grants = emu.exchangeRbac.grantsOf(outputs.tenantId, outputs.servicePrincipalObjectId);
  const roles = grants.map((g) => `"${g.role}"${g.customResourceScope ? ` (scope ${g.customResourceScope})` : g.recipientAdministrativeUnitScope ? ` (administrative unit ${g.recipientAdministrativeUnitScope})` : ""}`);
  const groups = [...new Set(grants.flatMap((g) => (g.roleGroup ? [`"${g.roleGroup}"`] : [])))];
  const directoryRoles = emu.directory.listAssignments(outputs.tenantId).directoryRoleAssignments.length;
  out(`Least privilege: the app holds ${directoryRoles} directory role(s); in Exchange: ${roles.join(", ") || "no management role"}${groups.length > 0 ? `, as a member of the role group ${groups.join(", ")}` : ""}.`);
  const runs: CheckReport[] = [];
  for (const cmdlet of ["Get-AcceptedDomain", "Get-Mailbox"]) {
    out("");
    out(`exo-app-only verify (${credential.kind}) --probe-cmdlet ${cmdlet} against the emulator:`);
    const report = await checkTenant(emu, outputs, credential, { ...options, probeCmdlet: cmdlet }, (l) => err(`  ${l}`));
    out(renderText(report).trimEnd());
    runs.push(report);
  }
  const [allowed, refused] = runs as [CheckReport, CheckReport];
  const refusedAsExpected = !refused.ok && refused.checks.filter(isFailure).every((c) => c.id === "exchange.invoke" && /may not run Get-Mailbox/.test(c.detail));
  out("");
  out(
    allowed.ok && refusedAsExpected
      ? "As least privilege intends: the app may run Get-AcceptedDomain and may not run Get-Mailbox (the fix above names the Exchange role that would allow it)."
      : `NOT as least privilege intends: Get-AcceptedDomain ${allowed.ok ? "passed" : "failed"}, Get-Mailbox ${refused.ok ? "passed" : refusedAsExpected ? "was refused" : "failed for another reason"}.`,
  );
  out(`Emulator saw ${emu.requests.length} requests: ${countKinds(emu)}.`);
  return { exitCode: allowed.ok && refusedAsExpected ? 0 : 1, report: allowed, refused };
}

/** `--break audience`: a script asks for a Graph token with the stack's secret; inspect-token says why it cannot drive Exchange. */
async function graphTokenDemo(emu: TenantEmulator, outputs: StackOutputs, environment: CloudName, out: (l: string) => void, err: (l: string) => void): Promise<DemoResult> {
  const tenantId = outputs.tenantId;
  const res = await secretToken(emu, { tenantId, clientId: outputs.clientId, clientSecret: outputs.clientSecret ?? "" }, `${CLOUDS[environment].graphResource}/.default`);
  if (res.status !== 200) {
    err(`The emulated tenant refused the Graph token request (HTTP ${res.status}).`);
    return { exitCode: 1 };
  }
  const token = res.json<{ access_token: string }>().access_token;
  const inspection = inspectToken(token, { environment, tenantId, clientId: outputs.clientId, now: Date.now() });
  out("exo-app-only inspect-token on that token:");
  for (const c of inspection.checks) {
    out(`  ${c.ok ? "ok  " : "FAIL"} ${c.id.padEnd(16)} ${c.detail}`);
    if (!c.ok && c.remedy) out(`       ${"".padEnd(16)} fix: ${c.remedy}`);
  }
  out(inspection.fit ? "FIT: usable for Exchange Online app-only" : "NOT FIT for Exchange Online app-only");
  return { exitCode: inspection.fit ? 0 : 1, inspection };
}

/** The post-deploy check for one tenant's outputs, against the emulator; waits are reported through `progress`. */
function checkTenant(emu: TenantEmulator, outputs: StackOutputs, credential: Credential, options: DemoOptions, progress: (line: string) => void): Promise<CheckReport> {
  return runCheck({
    tenantId: outputs.tenantId,
    clientId: outputs.clientId,
    credential,
    environment: isCloudName(String(outputs.environment)) ? outputs.environment : "public",
    authorityHost: emu.url,
    exchangeEndpoint: emu.url,
    ca: emu.caPem,
    ...(outputs.organization ? { organization: outputs.organization } : {}),
    ...(options.probeCmdlet ? { probeCmdlet: options.probeCmdlet } : {}),
    timeoutMs: options.timeoutMs ?? 20_000,
    // The demo's wrong secret should be reported, not waited on for the product's 3-minute window.
    credentialWindowMs: Math.min(options.timeoutMs ?? 20_000, 5_000),
    onProgress: (e) => {
      if (e.type === "waiting") progress(`attempt ${e.attempt} blocked by ${e.blocking.id}; next try in ${formatDuration(e.nextInMs)} (elapsed ${formatDuration(e.elapsedMs)})`);
    },
  });
}

const isPending = (o: StackOutputs | PendingConsentOutputs): o is PendingConsentOutputs => (o as PendingConsentOutputs).consent === "manual";

/**
 * A stack with `exchange-app-only:tenants` (perTenant or multiTenant): every tenant becomes an emulated tenant in
 * its cloud, the program lands each tenant's resources through that tenant's provider, and the check runs for every
 * tenant of the `tenants` output at once. `--break` and `--propagation` apply to `--tenant` only, or to every tenant.
 */
async function runManyTenants(options: DemoOptions, stack: string, config: Record<string, string>, out: (l: string) => void, err: (l: string) => void): Promise<DemoResult> {
  const parsed = parseStackConfig(config);
  const entries = parsed.tenants;
  const keyOf = (e: TenantEntry) => e.key ?? e.tenant.tenantId;
  const keys = entries.map(keyOf);
  const target = options.tenant !== undefined ? entries.find((e) => keyOf(e) === options.tenant) : undefined;
  if (options.tenant !== undefined && !target) {
    err(`--tenant ${options.tenant}: stack ${stack} has no tenant with that key. Its tenants: ${keys.join(", ")}.`);
    return { exitCode: 2 };
  }
  if (options.break === "audience" && !target) {
    err(`--break audience inspects one tenant's token: add --tenant KEY (one of ${keys.join(", ")}).`);
    return { exitCode: 2 };
  }
  if (target?.consent === "manual" && (options.break || options.propagationMs)) {
    err(`--tenant ${options.tenant}: the tenant has consent: manual, so the stack creates nothing there: there is nothing to break or delay.`);
    return { exitCode: 2 };
  }
  const home = parsed.appMode === "multiTenant" ? entries.find((e) => e.home) : undefined;
  const width = Math.max(6, ...keys.map((k) => k.length));

  const emu = await startEmulator();
  try {
    for (const e of entries) emu.directory.addTenant({ tenantId: e.tenant.tenantId, organization: e.tenant.organization, cloud: e.tenant.cloud.name });
    out(`Stack ${stack}: ${entries.length} tenants, appMode ${parsed.appMode}, each an emulated tenant at ${emu.url}`);
    for (const e of entries) {
      const notes = [e.home ? "home of the multi-tenant app" : "", e.consent === "manual" ? "consent: manual" : ""].filter(Boolean).join("; ");
      out(`  ${keyOf(e).padEnd(width)} ${e.tenant.tenantId} ${e.tenant.organization} (${e.tenant.cloud.name})${notes ? ` · ${notes}` : ""}`);
    }

    // What --break and --propagation do, tenant by tenant. A multi-tenant app's credentials live in its home tenant.
    const affected = (target ? [target] : entries).filter((e) => e.consent !== "manual");
    const perTenant: Record<string, { drop: RecordedKind[]; visibleAfterMs: Partial<Record<RecordedKind, number>> }> = {};
    const at = (tid: string) => (perTenant[tid] ??= { drop: [], visibleAfterMs: {} });
    const propagation = options.propagationMs ?? 0;
    for (const e of affected) {
      for (const kind of options.break ? DROPS[options.break] : []) {
        const credentialKind = kind === "password" || kind === "certificate";
        at(credentialKind && home ? home.tenant.tenantId : e.tenant.tenantId).drop.push(kind);
      }
      if (propagation > 0) at(e.tenant.tenantId).visibleAfterMs = { appRoleAssignment: propagation, directoryRoleAssignment: propagation };
    }
    if (options.break) out(`Breaking one link in ${target ? `tenant ${keyOf(target)}` : "every tenant"}: ${BREAK_STORY[options.break]}.`);
    if (propagation > 0) out(`Consent and role become visible ${formatDuration(propagation)} after creation in ${target ? `tenant ${keyOf(target)}` : "every tenant"}.`);

    const backend = emulatorBackend(emu, undefined, { tenants: perTenant as Record<string, TenantBackendOptions> });
    const run = await evaluateProgram({ config, stack, backend, revealSecrets: true });
    const outputs = (run.outputs.tenants ?? {}) as Record<string, StackOutputs | PendingConsentOutputs>;
    out(`pulumi up (under mocks): ${run.resources.length} resources registered, each through its tenant's provider:`);
    for (const e of entries) out(`  ${keyOf(e).padEnd(width)} ${e.consent === "manual" ? "nothing (consent: manual)" : tenantContents(emu, e.tenant.tenantId)}`);

    if (options.break === "audience") {
      const o = outputs[keyOf(target!)];
      if (!o || isPending(o) || !o.clientSecret) {
        err(`--break audience asks a Graph token with the client secret: tenant ${keyOf(target!)}'s outputs hold none (set clientSecret: true for it).`);
        return { exitCode: 2 };
      }
      return await graphTokenDemo(emu, o, o.environment, out, err);
    }

    const brokenKeys = new Set(affected.map(keyOf));
    const checked = Object.entries(outputs).filter((x): x is [string, StackOutputs] => !isPending(x[1]));
    const credentials = new Map(checked.map(([key, o]) => [key, pickCredential(o, brokenKeys.has(key) ? options.break : undefined)]));
    const without = checked.filter(([key]) => !credentials.get(key)).map(([key]) => key);
    if (without.length > 0) {
      err(
        options.break === "secret"
          ? `--break secret needs a client secret, and tenant(s) ${without.join(", ")} declare none: pick a tenant with one (--tenant KEY) or set clientSecret: true.`
          : `Tenant(s) ${without.join(", ")} declare neither a certificate nor a client secret: nothing the check can sign in with here.`,
      );
      return { exitCode: 2 };
    }

    out(`exo-app-only verify for every tenant against the emulator, at once, deadline ${formatDuration(options.timeoutMs ?? 20_000)}:`);
    const results: TenantDemoResult[] = await Promise.all(
      Object.entries(outputs).map(async ([key, o]): Promise<TenantDemoResult> => {
        const base = { key, tenantId: o.tenantId, organization: o.organization, environment: o.environment };
        if (isPending(o)) return { ...base, status: "waiting-for-consent", adminConsentUrl: o.adminConsentUrl };
        const report = await checkTenant(emu, o, credentials.get(key)!, options, (l) => err(`  [${key}] ${l}`));
        return { ...base, status: report.ok ? "pass" : "fail", report };
      }),
    );

    out("");
    out(`${"tenant".padEnd(width)}  ${"tenant id".padEnd(36)}  ${"cloud".padEnd(12)}  result`);
    for (const r of results) out(`${r.key.padEnd(width)}  ${r.tenantId.padEnd(36)}  ${r.environment.padEnd(12)}  ${resultCell(r)}`);
    for (const r of results.filter((x) => x.status === "fail")) {
      out("");
      out(`${r.key}:`);
      out(renderText(r.report!).trimEnd().replace(/^/gm, "  "));
    }
    const waiting = results.filter((r) => r.status === "waiting-for-consent");
    for (const r of waiting) {
      out("");
      out(`${r.key} waits for its admin (consent: manual: the stack creates nothing in that tenant). A Global Administrator of ${r.organization} opens`);
      out(`  ${r.adminConsentUrl}`);
      out(`  then assigns the role with one of the commands in: pulumi stack output tenants --json | jq '.["${r.key}"].roleAssignment'`);
    }
    const failed = results.filter((r) => r.status === "fail");
    const passed = results.filter((r) => r.status === "pass");
    out("");
    out(
      failed.length > 0
        ? `FAIL: ${failed.length} of ${passed.length + failed.length} tenants the stack deploys to failed the check (${failed.map((r) => r.key).join(", ")}).`
        : `PASS: all ${passed.length} tenants the stack deploys to pass the check.`,
    );
    if (waiting.length > 0) out(`${waiting.length} tenant(s) wait for admin consent (${waiting.map((r) => r.key).join(", ")}): not a failure, and not checked until their admin has acted.`);
    out(`Emulator saw ${emu.requests.length} requests: ${countKinds(emu)}.`);
    return { exitCode: failed.length > 0 ? 1 : 0, tenants: results };
  } finally {
    await emu.close();
  }
}

function resultCell(r: TenantDemoResult): string {
  if (r.status === "waiting-for-consent") return "WAITING for admin consent (consent: manual)";
  const report = r.report!;
  const how = `${report.credential}, ${report.attempts} attempt${report.attempts === 1 ? "" : "s"}, ${formatDuration(report.elapsedMs)}`;
  if (r.status === "pass") return `PASS  (${how}${report.propagation ? `, waited ${formatDuration(report.propagation.waitedMs)} for propagation` : ""})`;
  const failed = report.checks.filter(isFailure).map((c) => c.id);
  return `FAIL  ${failed.join(", ") || "the check failed"} (${how})`;
}

function pickCredential(outputs: StackOutputs, brk: Break | undefined): Credential | undefined {
  // The secret break needs the secret; otherwise the recommended credential first.
  if (brk !== "secret" && outputs.certificatePem && outputs.certificatePrivateKeyPem) {
    return { kind: "certificate", pem: `${outputs.certificatePrivateKeyPem.trim()}\n${outputs.certificatePem.trim()}\n` };
  }
  if (outputs.clientSecret) return { kind: "secret", secret: outputs.clientSecret };
  return undefined;
}

function summarizeDirectory(emu: TenantEmulator, tenantId: string): string {
  const d = emu.directory;
  const apps = d.listApplications(tenantId);
  const a = d.listAssignments(tenantId);
  const creds = apps.reduce((n, app) => n + app.passwords.length + app.certificates.length + app.federatedCredentials.length, 0);
  return `the tenant now holds ${apps.length} application(s), ${creds} credential(s), ${a.appRoleAssignments.length} app role assignment(s), ${a.directoryRoleAssignments.length} directory role assignment(s)`;
}

/** What the program left in one tenant of a many-tenant stack, a customer's copy of the home app included. */
function tenantContents(emu: TenantEmulator, tenantId: string): string {
  const d = emu.directory;
  const apps = d.listApplications(tenantId);
  const a = d.listAssignments(tenantId);
  const creds = apps.reduce((n, app) => n + app.passwords.length + app.certificates.length + app.federatedCredentials.length, 0);
  const foreign = d.listServicePrincipals(tenantId).filter((sp) => sp.appOwnerTenantId);
  const parts = [
    ...(apps.length > 0 ? [`${apps.length} application(s) with ${creds} credential(s)`] : []),
    ...foreign.map((sp) => `the service principal of multi-tenant app ${sp.clientId} (registered in ${sp.appOwnerTenantId})`),
    `${a.appRoleAssignments.length} app role assignment(s)`,
    `${a.directoryRoleAssignments.length} directory role assignment(s)`,
  ];
  return parts.join(", ");
}

function countKinds(emu: TenantEmulator): string {
  const counts = new Map<string, number>();
  for (const r of emu.requests) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
}

if (require.main === module) {
  // Usage errors exit 2 and --help exits 0, as every exo-app-only command.
  const command = withUsageExit(
    demoCommand((options) =>
      runDemo(options).then(
        (r) => process.exit(r.exitCode),
        (e: unknown) => {
          const code = (e as { code?: string }).code;
          const remedy = (e as { remedy?: string }).remedy;
          process.stderr.write(`demo failed${code ? ` (${code})` : ""}: ${(e as Error).message}\n${remedy ? `${remedy}\n` : ""}`);
          process.exit(2);
        },
      ),
    ),
  );
  void command.parseAsync(process.argv);
}
