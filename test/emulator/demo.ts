/**
 * `npm run demo`: the dev stack's real program lands in an emulated tenant, then the post-deploy check runs against
 * it. `--break consent|role|secret|audience` breaks one link to show each diagnosis.
 *
 *   npm run demo                         # passes
 *   npm run demo -- --propagation 3s     # consent and role become visible after 3 s: the check waits, then passes
 *   npm run demo -- --break role         # no directory role: Exchange answers 403, the check says which role to add
 *   npm run demo -- --stack dev --timeout 20s
 *   npm run demo -- --config-file /elsewhere/Pulumi.contoso.yaml   # any stack file; the project is found from here up
 *
 * Everything runs offline on 127.0.0.1 with a throwaway CA. Secrets and tokens are never printed.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { CLOUDS, isCloudName, type CloudName } from "../../src/facts";
import { evaluateProgram } from "../../src/plan/evaluate";
import { locateStack, readStackConfig } from "../../src/plan/stackFile";
import { withUsageExit } from "../../src/cli/commandSupport";
import { formatDuration, inspectToken, parseDuration, renderText, runCheck, type CheckReport, type Credential, type InspectResult } from "../../src/check";
import type { StackOutputs } from "../../src/stackOutputs";
import { startEmulator, type TenantEmulator } from "./index";
import { emulatorBackend, type RecordedKind } from "./pulumiBackend";
import { secretToken } from "./scenario";

export const BREAKS = ["consent", "role", "secret", "audience"] as const;
export type Break = (typeof BREAKS)[number];

export interface DemoOptions {
  readonly stack?: string;
  /** A stack file kept anywhere, instead of Pulumi.<stack>.yaml beside Pulumi.yaml. */
  readonly configFile?: string;
  readonly break?: Break;
  /** Delay (ms) before the consent and the role become visible, as Entra's propagation would. */
  readonly propagationMs?: number;
  /** The check's deadline (ms). Default 20 s (15 min is the product default; the demo has no reason to wait that long). */
  readonly timeoutMs?: number;
  /** Where to start looking for Pulumi.yaml (and what a relative --config-file is relative to). */
  readonly cwd?: string;
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
}

export interface DemoResult {
  readonly exitCode: 0 | 1 | 2;
  readonly report?: CheckReport;
  readonly inspection?: InspectResult;
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
    .option("--propagation <duration>", "consent and role become visible this long after creation (e.g. 3s)", duration("--propagation"))
    .option("--timeout <duration>", "the check's deadline (default 20s)", duration("--timeout"))
    .addHelpText("after", "\nExamples:\n  npm run demo\n  npm run demo -- --break role\n  npm run demo -- --propagation 3s\n\nExit codes: 0 the check passed, 1 it failed (as a --break intends), 2 usage or config error.")
    .allowExcessArguments(false)
    .action(async (flags: { stack?: string; configFile?: string; break?: Break; propagation?: number; timeout?: number }) => {
      await run({
        ...(flags.stack !== undefined ? { stack: flags.stack } : {}),
        ...(flags.configFile !== undefined ? { configFile: flags.configFile } : {}),
        ...(flags.break ? { break: flags.break } : {}),
        ...(flags.propagation !== undefined ? { propagationMs: flags.propagation } : {}),
        ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout } : {}),
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
  const tenantId = config["exchange-app-only:tenantId"];
  const organization = config["exchange-app-only:organization"];
  if (!tenantId) {
    err(`${located.stackFile} sets no exchange-app-only:tenantId`);
    return { exitCode: 2 };
  }

  const emu = await startEmulator();
  try {
    emu.directory.addTenant({ tenantId, ...(organization ? { organization } : {}) });
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

    if (options.break === "audience") {
      const res = await secretToken(emu, { tenantId, clientId: outputs.clientId, clientSecret: outputs.clientSecret ?? "" }, "https://graph.microsoft.com/.default");
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

    out(`exo-app-only verify (${credential.kind}) against the emulator, deadline ${formatDuration(options.timeoutMs ?? 20_000)}:`);
    const report = await runCheck({
      tenantId,
      clientId: outputs.clientId,
      credential,
      environment,
      authorityHost: emu.url,
      exchangeEndpoint: emu.url,
      ca: emu.caPem,
      ...(organization ? { organization } : {}),
      timeoutMs: options.timeoutMs ?? 20_000,
      // The demo's wrong secret should be reported, not waited on for the product's 3-minute window.
      credentialWindowMs: Math.min(options.timeoutMs ?? 20_000, 5_000),
      onProgress: (e) => {
        if (e.type === "waiting") err(`  attempt ${e.attempt} blocked by ${e.blocking.id}; next try in ${formatDuration(e.nextInMs)} (elapsed ${formatDuration(e.elapsedMs)})`);
      },
    });
    out(renderText(report).trimEnd());
    out(`Emulator saw ${emu.requests.length} requests: ${countKinds(emu)}.`);
    out(`(${CLOUDS[environment].label}; Exchange resource ${CLOUDS[environment].exchangeResource})`);
    return { exitCode: report.ok ? 0 : 1, report };
  } finally {
    await emu.close();
  }
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
