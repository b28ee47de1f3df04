/** Runs the built CLI (`dist/src/cli/main.js`, built by `npm test`) as a child process, the way users do. */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export const MAIN = path.resolve(__dirname, "../../dist/src/cli/main.js");

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** The parent's environment without anything that would change what the CLI picks on its own. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(GITHUB_|ACTIONS_|AZURE_|ARM_|EXO_|NODE_EXTRA_CA_CERTS$|NODE_OPTIONS$)/.test(key)) continue;
    env[key] = value;
  }
  return env;
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly stdin?: string | Buffer;
  readonly timeoutMs?: number;
  /** The folder the command runs in (the project is found from there). */
  readonly cwd?: string;
  /** Called once the child runs: to signal it, for example. */
  readonly whileRunning?: (child: ChildProcess) => void;
  /** The command that runs the CLI, `node dist/src/cli/main.js` unless given (`npx --no exo-app-only` in a consumer). */
  readonly command?: readonly [string, ...string[]];
}

export function runCli(args: readonly string[], o: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const [command, ...leading] = o.command ?? [process.execPath, MAIN];
    const child = spawn(command, [...leading, ...args], { ...(o.cwd ? { cwd: o.cwd } : {}), env: { ...baseEnv(), ...o.env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    const timer = setTimeout(() => child.kill("SIGKILL"), o.timeoutMs ?? 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.on("error", () => undefined); // the CLI may exit before reading everything
    if (o.stdin !== undefined) child.stdin.end(o.stdin);
    else child.stdin.end();
    o.whileRunning?.(child);
  });
}

/** No secret, no token, no private key, no stack trace in what the CLI printed. */
export function expectNothingSecret(result: CliResult, secrets: readonly string[] = []): void {
  const all = `${result.stdout}\n${result.stderr}`;
  for (const secret of secrets) if (secret) expect(all).not.toContain(secret);
  expect(all).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}/);
  expect(all).not.toMatch(/PRIVATE KEY-----/);
  expect(all).not.toMatch(/^\s+at .+\(.+:\d+:\d+\)$/m);
}

/**
 * Text a hostile token, tenant, Exchange or Pulumi could put in front of the terminal: a screen clear (ESC[2J), a
 * retitle (OSC 0 ; title BEL), a line overwritten by CR, and a right-to-left override (U+202E).
 */
export const HOSTILE_TEXT = "x\u001b[2J\u001b]0;pwned\u0007\rok: all fine \u202Egnp.exe";
/** The same as printed: every control a visible escape, the words still there. */
export const HOSTILE_SHOWN = "x\\x1b[2J\\x1b]0;pwned\\x07\\rok: all fine \\u202egnp.exe";

/** No character a terminal would act on (newlines aside) anywhere in what the CLI printed. */
export function expectNoRawControls(result: CliResult): void {
  for (const stream of [result.stdout, result.stderr]) {
    expect(stream).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
  }
}

/** A tenant emulator as far as the usage-error helper needs it: its URL, its CA, and the requests it saw. */
interface RequestCounter {
  readonly url: string;
  readonly caFile: string;
  readonly requests: readonly unknown[];
  clearRequests(): void;
}

/**
 * `verify` with placeholder ids and `extra` exits 2 with `message` and `fix` on stderr, before any request reaches
 * the emulator: a usage error is judged from the command line alone.
 */
export async function expectVerifyUsageError(emu: RequestCounter, extra: readonly string[], message: RegExp, fix: RegExp): Promise<void> {
  const variable = "EXO_TEST_CLIENT_SECRET";
  const ids = ["--tenant-id", "11111111-2222-3333-4444-555555555555", "--client-id", "11111111-2222-3333-4444-666666666666", "--client-secret-env", variable];
  emu.clearRequests();
  const r = await runCli(["verify", ...ids, "--authority-host", emu.url, ...extra], { env: { [variable]: "x", NODE_EXTRA_CA_CERTS: emu.caFile } });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toMatch(fix);
  expect(r.stdout).toBe("");
  expect(emu.requests).toHaveLength(0);
}
