/**
 * The fleet runner: one command over many stacks, at most `concurrency` at a time. One stack's failure never stops
 * the others. An abort (Ctrl-C) starts nothing new and cancels what runs through the driver; every stack ends up
 * succeeded, failed, locked, cancelled or not-started. It talks to a FleetDriver only, never to Pulumi itself.
 *
 * Nothing a driver or a check says leaves here unredacted: each stack has a Redactor that learns the stack's secret
 * config and outputs from the driver (`onSecrets`) and also replaces whatever is shaped like a secret. The output
 * events (the per-stack logs), every error and every tenant's result pass through it, so the results file, the
 * table, the progress lines and `--json` hold only redacted text.
 */
import { setMaxListeners } from "node:events";
import { RedactingLines, Redactor } from "../text/redact";
import { verifies, type FleetCommand } from "./commands";
import type { DriverStack, FleetDriver, OperationResult, OutputValues } from "./driver";
import { classifyFailure } from "./failure";
import { forEachBounded } from "./pool";
import type { ResultError, StackResult, TenantResult } from "./results";

export interface RunnerEvents {
  /** A stack's operation starts. */
  readonly onStart?: (stack: string) => void;
  /** A stack's operation is done and its tenants are being checked. */
  readonly onVerify?: (stack: string) => void;
  /** Console output of a stack's operation, redacted, in whole lines. */
  readonly onOutput?: (stack: string, text: string) => void;
  /** A stack settled; `all` holds every stack's state in fleet order (`running`, `not-started` for the rest). */
  readonly onSettled?: (result: StackResult, all: readonly StackResult[]) => void;
}

export interface RunFleetOptions {
  readonly command: FleetCommand;
  readonly stacks: readonly DriverStack[];
  readonly driver: FleetDriver;
  /** At most this many stacks at once: a positive integer. */
  readonly concurrency: number;
  readonly signal?: AbortSignal;
  /** Checks a stack's tenants after `up` and for `verify`; absent = no check (`--no-verify`). */
  readonly verify?: (stack: string, outputs: OutputValues, signal: AbortSignal) => Promise<TenantResult[]>;
  readonly events?: RunnerEvents;
  /** Where a stack's full output is kept, for the remedy of a failed update. */
  readonly logFile?: (stack: string) => string | undefined;
  readonly now?: () => number;
}

const INTERNAL_REMEDY = "This is a bug in exo-app-only: please report it with the command you ran (not its secrets).";

/** The stack's error from its tenants' results: the one tenant's, or a count naming the failed ones. */
function verifyError(tenants: readonly TenantResult[]): ResultError {
  const failed = tenants.filter((t) => !t.ok);
  const first = failed[0]!.error ?? { code: "ERR_CHECK_FAILED", message: "the check failed", remedy: "Run `exo-app-only verify --stack NAME` for the full report." };
  if (tenants.length === 1) return first;
  const names = failed.map((t) => t.tenant);
  return {
    code: "ERR_VERIFY_FAILED",
    message: `${failed.length} of ${tenants.length} tenants failed the check (${names.slice(0, 5).join(", ")}${names.length > 5 ? ", …" : ""}); ${failed[0]!.tenant}: ${first.message}`,
    remedy: first.remedy,
  };
}

const redactError = (error: ResultError, redact: (text: string) => string): ResultError => ({ code: error.code, message: redact(error.message), remedy: redact(error.remedy) });

export async function runFleet(options: RunFleetOptions): Promise<StackResult[]> {
  const { command, stacks, driver, events = {} } = options;
  const now = options.now ?? Date.now;
  // One signal for every running stack (each driver call and check listens to it): as many listeners as stacks in
  // flight, so Node's default of 10 before a "possible leak" warning does not apply. The caller's signal gets one.
  const internal = new AbortController();
  setMaxListeners(0, internal.signal);
  if (options.signal?.aborted) internal.abort();
  else options.signal?.addEventListener("abort", () => internal.abort(), { once: true });
  const fleetSignal = internal.signal;
  const state: StackResult[] = stacks.map((s) => ({ stack: s.name, status: "not-started" }));

  const settle = (index: number, result: StackResult): void => {
    state[index] = result;
    events.onSettled?.(result, [...state]);
  };

  const checkTenants = async (stack: DriverStack, outputs: OutputValues | undefined, started: number, base: Partial<StackResult>, redactor: Redactor): Promise<StackResult> => {
    events.onVerify?.(stack.name);
    const redact = (text: string): string => redactor.redact(text);
    let values = outputs;
    try {
      values ??= await driver.outputs(stack, { signal: fleetSignal, onSecrets: (v) => redactor.addAll(v) });
    } catch (error) {
      const failure = classifyFailure(error, stack.name, "reading the outputs", fleetSignal.aborted, redact);
      return { stack: stack.name, status: failure.status, phase: "verify", durationMs: now() - started, ...base, error: failure.error };
    }
    // The check redacts its tenant's own credentials; Entra's or Exchange's text may echo more (the stack's config).
    const tenants = (await options.verify!(stack.name, values, fleetSignal)).map((t) => (t.error ? { ...t, error: redactError(t.error, redact) } : t));
    const ok = tenants.every((t) => t.ok);
    const cancelled = !ok && fleetSignal.aborted;
    return {
      stack: stack.name,
      status: ok ? "succeeded" : cancelled ? "cancelled" : "failed",
      ...(ok ? {} : { phase: "verify" as const }),
      durationMs: now() - started,
      ...base,
      ...(ok ? {} : { error: cancelled ? { code: "ERR_CANCELLED", message: "the check was cancelled", remedy: "Rerun with --only-failed." } : verifyError(tenants) }),
      tenants,
    };
  };

  const runOne = async (stack: DriverStack, index: number): Promise<void> => {
    const started = now();
    state[index] = { stack: stack.name, status: "running" };
    events.onStart?.(stack.name);
    const check = options.verify !== undefined && verifies(command);
    const redactor = new Redactor();
    const redact = (text: string): string => redactor.redact(text);
    try {
      if (command === "verify") {
        settle(index, await checkTenants(stack, undefined, started, {}, redactor));
        return;
      }
      let result: OperationResult;
      const output = new RedactingLines(redactor);
      const show = (text: string): void => {
        if (text.length > 0) events.onOutput?.(stack.name, text);
      };
      try {
        const operation = { signal: fleetSignal, onOutput: (text: string) => show(output.write(text)), onSecrets: (values: readonly string[]) => redactor.addAll(values) };
        try {
          result = await driver[command](stack, operation);
        } finally {
          show(output.end());
        }
      } catch (error) {
        const failure = classifyFailure(error, stack.name, command, fleetSignal.aborted, redact);
        const log = options.logFile?.(stack.name);
        const error_ = failure.error.code === "ERR_UPDATE_FAILED" && log ? { ...failure.error, remedy: `See ${log} for Pulumi's full output, or run \`pulumi ${command} --stack ${stack.name}\`.` } : failure.error;
        settle(index, { stack: stack.name, status: failure.status, phase: "update", durationMs: now() - started, error: error_ });
        return;
      }
      const base = { changes: result.changes };
      if (!check) {
        settle(index, { stack: stack.name, status: "succeeded", durationMs: now() - started, ...base });
        return;
      }
      if (fleetSignal.aborted) {
        settle(index, {
          stack: stack.name,
          status: "cancelled",
          phase: "verify",
          durationMs: now() - started,
          ...base,
          error: { code: "ERR_CANCELLED", message: `${command} finished; the check was cancelled before it started`, remedy: "Rerun with --only-failed (the update is idempotent) or run `exo-app-only fleet verify`." },
        });
        return;
      }
      settle(index, await checkTenants(stack, result.outputs, started, base, redactor));
    } catch (error) {
      // A bug (in a driver or here): this stack fails, the others go on.
      const message = redact(error instanceof Error ? error.message : String(error)).split("\n")[0]!;
      settle(index, { stack: stack.name, status: "failed", durationMs: now() - started, error: { code: "ERR_INTERNAL", message, remedy: INTERNAL_REMEDY } });
    }
  };

  await forEachBounded(stacks, options.concurrency, runOne, fleetSignal);
  return state;
}
