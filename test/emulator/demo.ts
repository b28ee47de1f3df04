/**
 * `npm run demo`: the dev stack's real program lands in an emulated tenant, then the post-deploy check runs against
 * it. `--break consent|role|secret|audience` breaks one link to show each diagnosis.
 *
 *   npm run demo                         # passes
 *   npm run demo -- --propagation 3s     # consent and role become visible after 3 s: the check waits, then passes
 *   npm run demo -- --break role         # no directory role: Exchange answers 403, the check says which role to add
 *   npm run demo -- --stack dev --timeout 20s
 *
 * Everything runs offline on 127.0.0.1 with a throwaway CA. Secrets and tokens are never printed.
 */
import path from "node:path";
import { CLOUDS, isCloudName, type CloudName } from "../../src/facts";
import { evaluateProgram } from "../../src/plan/evaluate";
import { findProjectFile, readStackConfig } from "../../src/plan/stackFile";
import { formatDuration, inspectToken, parseDuration, renderText, runCheck, type CheckReport, type Credential, type InspectResult } from "../../src/check";
import type { StackOutputs } from "../../src/stackOutputs";
import { startEmulator, type TenantEmulator } from "./index";
import { emulatorBackend, type RecordedKind } from "./pulumiBackend";
import { secretToken } from "./scenario";

export const BREAKS = ["consent", "role", "secret", "audience"] as const;
export type Break = (typeof BREAKS)[number];

export interface DemoOptions {
  readonly stack?: string;
  readonly break?: Break;
  /** Delay (ms) before the consent and the role become visible, as Entra's propagation would. */
  readonly propagationMs?: number;
  /** The check's deadline (ms). Default 20 s (15 min is the product default; the demo has no reason to wait that long). */
  readonly timeoutMs?: number;
  /** Where to start looking for Pulumi.yaml. */
  readonly cwd?: string;
  readonly out?: (line: string) => void;
  readonly err?: (line: string) => void;
}

export interface DemoResult {
  readonly exitCode: 0 | 1 | 2;
  readonly report?: CheckReport;
  readonly inspection?: InspectResult;
}

const USAGE = "usage: npm run demo -- [--stack NAME] [--break consent|role|secret|audience] [--propagation DURATION] [--timeout DURATION]";

export function parseDemoArgs(argv: readonly string[]): DemoOptions {
  const o: { stack?: string; break?: Break; propagationMs?: number; timeoutMs?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value. ${USAGE}`);
      return v;
    };
    if (flag === "--stack") o.stack = value();
    else if (flag === "--break") {
      const b = value();
      if (!(BREAKS as readonly string[]).includes(b)) throw new Error(`--break must be one of ${BREAKS.join(", ")}, got '${b}'. ${USAGE}`);
      o.break = b as Break;
    } else if (flag === "--propagation") o.propagationMs = parseDuration(value(), "--propagation");
    else if (flag === "--timeout") o.timeoutMs = parseDuration(value(), "--timeout");
    else if (flag === "--help" || flag === "-h") throw new Error(USAGE);
    else throw new Error(`unknown argument '${flag}'. ${USAGE}`);
  }
  return o;
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
  const stack = options.stack ?? "dev";
  const projectFile = findProjectFile(options.cwd ?? process.cwd());
  const config = readStackConfig(projectFile, path.join(path.dirname(projectFile), `Pulumi.${stack}.yaml`));
  const tenantId = config["exchange-app-only:tenantId"];
  const organization = config["exchange-app-only:organization"];
  if (!tenantId) {
    err(`Pulumi.${stack}.yaml sets no exchange-app-only:tenantId`);
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
  let options: DemoOptions;
  try {
    options = parseDemoArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  runDemo(options).then(
    (r) => process.exit(r.exitCode),
    (e: unknown) => {
      const code = (e as { code?: string }).code;
      process.stderr.write(`demo failed${code ? ` (${code})` : ""}: ${(e as Error).message}\n`);
      process.exit(2);
    },
  );
}
