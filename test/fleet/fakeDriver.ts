/**
 * A FleetDriver that never runs Pulumi: each stack answers after a configurable latency with changes and outputs,
 * or fails, or is locked (the Automation API's ConcurrentUpdateError, by name and message), or hangs until
 * cancelled. It records what it was asked, how many operations were in flight at most, and which were aborted.
 * Used by the runner tests, the CLI end-to-end tests (through fakeDriverModule.ts) and bench/fleet.ts.
 *
 * It speaks as the Automation API driver does: the stack's secrets go to onSecrets before any output (and the
 * secret outputs' values after `up` and `outputs`), the output arrives in pieces that cut lines and values in two,
 * and a failed command's error carries the whole output and stderr, as a CommandError's message does.
 */
import type { ChangeCounts, DriverStack, FleetDriver, Operation, OperationOptions, OperationResult, OutputValues } from "../../src/fleet/driver";
import { SECRET_OUTPUT_NAMES, secretOutputValues } from "../../src/fleet/secretValues";

export interface FakeBehavior {
  /** How long an operation takes (default 0). */
  readonly latencyMs?: number;
  /** Fails the operation with this Pulumi stderr line, as a CommandError. */
  readonly fail?: string;
  /** HTTP 409: another update holds the stack. */
  readonly locked?: boolean;
  /** Does not finish on its own (within an hour): only an abort ends it. */
  readonly hang?: boolean;
  /** Ignores an abort: finishes after its latency anyway (an update that will not stop). */
  readonly stubborn?: boolean;
  /** A driver bug: the operation never settles and holds nothing the process would wait on. */
  readonly lost?: boolean;
  /** Only these operations misbehave (default: all). */
  readonly only?: readonly (Operation | "outputs")[];
  readonly changes?: ChangeCounts;
  readonly outputs?: OutputValues;
  /** Text passed to onOutput while running, in pieces of `outputPiece` characters (default 16). */
  readonly output?: string;
  readonly outputPiece?: number;
  /** What the real driver reads before the operation: the stack's secret config and current secret outputs. */
  readonly secrets?: readonly string[];
}

export interface FakeCall {
  readonly op: Operation | "outputs";
  readonly stack: string;
  readonly configFile?: string;
  readonly outcome: "ok" | "failed" | "locked" | "aborted";
  readonly startedAt: number;
  readonly endedAt: number;
}

/** The error the Automation API throws for a failed command: a CommandError (or subclass) whose message is its CommandResult. */
export function commandError(name: "CommandError" | "ConcurrentUpdateError" | "StackNotFoundError", stderr: string, stdout = "Updating (stack)\n"): Error {
  const error = new Error(`code: 255\n stdout: ${stdout}\n stderr: ${stderr}\n err?: \n`);
  error.name = name;
  return error;
}

const LOCKED_STDERR = "error: [409] Conflict: Another update is currently in progress.";

export class FakeDriver implements FleetDriver {
  readonly calls: FakeCall[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Stacks whose operation was running when the abort came. */
  readonly aborted: string[] = [];

  constructor(
    private readonly behaviors: Readonly<Record<string, FakeBehavior>> = {},
    private readonly defaults: FakeBehavior = {},
  ) {}

  behaviorOf(stack: string): FakeBehavior {
    return { ...this.defaults, ...this.behaviors[stack] };
  }

  preview = (stack: DriverStack, o: OperationOptions) => this.run("preview", stack, o);
  up = (stack: DriverStack, o: OperationOptions) => this.run("up", stack, o);
  refresh = (stack: DriverStack, o: OperationOptions) => this.run("refresh", stack, o);
  destroy = (stack: DriverStack, o: OperationOptions) => this.run("destroy", stack, o);

  async outputs(stack: DriverStack, o: Pick<OperationOptions, "signal" | "onSecrets">): Promise<OutputValues> {
    const result = await this.run("outputs", stack, o);
    return result.outputs ?? {};
  }

  private async run(op: Operation | "outputs", stack: DriverStack, o: Pick<OperationOptions, "signal" | "onOutput" | "onSecrets">): Promise<OperationResult> {
    const b = this.behaviorOf(stack.name);
    const misbehaves = !b.only || b.only.includes(op);
    const startedAt = Date.now();
    const record = (outcome: FakeCall["outcome"]): void => {
      this.calls.push({ op, stack: stack.name, ...(stack.configFile ? { configFile: stack.configFile } : {}), outcome, startedAt, endedAt: Date.now() });
    };
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (op !== "outputs") o.onSecrets?.(b.secrets ?? []);
      const piece = b.outputPiece ?? 16;
      if (b.output && o.onOutput) for (let i = 0; i < b.output.length; i += piece) o.onOutput(b.output.slice(i, i + piece));
      if (misbehaves && b.lost) await new Promise<never>(() => undefined);
      const ms = misbehaves && b.hang ? Infinity : (b.latencyMs ?? 0);
      const aborted = await this.wait(ms, misbehaves && b.stubborn ? new AbortController().signal : o.signal);
      if (aborted) {
        this.aborted.push(stack.name);
        record("aborted");
        // As the Automation API does when SIGINT stops the pulumi process.
        throw commandError("CommandError", "error: update canceled");
      }
      if (misbehaves && b.locked) {
        record("locked");
        throw commandError("ConcurrentUpdateError", LOCKED_STDERR);
      }
      if (misbehaves && b.fail) {
        record("failed");
        throw commandError("CommandError", b.fail, b.output);
      }
      record("ok");
      if (op === "up" || op === "outputs") {
        const outputs = b.outputs ?? {};
        // As a real stack marks them: the contract's secret outputs are Pulumi secrets.
        o.onSecrets?.(secretOutputValues(Object.fromEntries(Object.entries(outputs).map(([name, value]) => [name, { value, secret: (SECRET_OUTPUT_NAMES as readonly string[]).includes(name) }]))));
        return { changes: b.changes ?? { same: 5 }, outputs };
      }
      return { changes: b.changes ?? { same: 5 } };
    } finally {
      this.inFlight -= 1;
    }
  }

  /** Resolves true when aborted first. */
  private wait(ms: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(true);
    return new Promise((resolve) => {
      // A hang holds a timer, as a real update holds its pulumi child: the process stays alive while it waits.
      const timer = setTimeout(() => done(false), ms === Infinity ? 3_600_000 : ms);
      const onAbort = (): void => done(true);
      const done = (aborted: boolean): void => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        resolve(aborted);
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}
