/**
 * What the fleet runner needs from Pulumi, and nothing more. The runner only ever talks to this interface: the
 * Automation API driver (./automationDriver) is one implementation, the tests' fake driver another.
 */

/** The Pulumi operations a fleet runs on each stack. */
export const OPERATIONS = ["preview", "up", "refresh", "destroy"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** One stack of the fleet, as the driver needs it. */
export interface DriverStack {
  /** The stack name, as `pulumi --stack` takes it (`contoso`, `org/contoso`). */
  readonly name: string;
  /** Absolute path of the stack's config file when it is not `Pulumi.<name>.yaml` beside `Pulumi.yaml`. */
  readonly configFile?: string;
}

export interface OperationOptions {
  /** Aborted when the fleet is cancelled (Ctrl-C): the driver stops the running update cleanly, then settles. */
  readonly signal: AbortSignal;
  /** The operation's console output as it comes, in pieces of any size (Pulumi prints secrets as [secret]). */
  readonly onOutput?: (text: string) => void;
  /**
   * The values no text may show: the stack's secret config and secret outputs. A driver reports those it knows
   * before any output that may hold them, and again when it learns more (an update's new outputs).
   */
  readonly onSecrets?: (values: readonly string[]) => void;
}

/** Resource changes by kind, as Pulumi counts them: `{ create: 3, same: 5 }`. */
export type ChangeCounts = Readonly<Partial<Record<string, number>>>;

/** Stack outputs as plain values (secrets in the clear: they are only ever handed to the check, never printed). */
export type OutputValues = Readonly<Record<string, unknown>>;

export interface OperationResult {
  readonly changes: ChangeCounts;
  /** The stack's outputs after `up`, when the driver has them at hand (saves a second call). */
  readonly outputs?: OutputValues;
}

export interface FleetDriver {
  preview(stack: DriverStack, options: OperationOptions): Promise<OperationResult>;
  up(stack: DriverStack, options: OperationOptions): Promise<OperationResult>;
  refresh(stack: DriverStack, options: OperationOptions): Promise<OperationResult>;
  destroy(stack: DriverStack, options: OperationOptions): Promise<OperationResult>;
  /** The stack's current outputs (`pulumi stack output --show-secrets`); their secret ones go to `onSecrets` first. */
  outputs(stack: DriverStack, options: Pick<OperationOptions, "signal" | "onSecrets">): Promise<OutputValues>;
}

/** What a driver module (EXO_FLEET_TEST_DRIVER, see ./loadDriver) exports. */
export interface DriverFactoryContext {
  /** The folder holding Pulumi.yaml. */
  readonly projectDir: string;
}
export type DriverFactory = (context: DriverFactoryContext) => FleetDriver;

/**
 * The name the Automation API gives the error for HTTP 409 "Another update is currently in progress" (and a
 * self-managed backend's "the stack is currently locked by"): `ConcurrentUpdateError` in
 * @pulumi/pulumi/automation/errors. Matched by name so the runner never loads that module.
 */
export const STACK_LOCKED_ERROR_NAME = "ConcurrentUpdateError";

/** The Automation API's error for a stack the backend does not have. */
export const STACK_NOT_FOUND_ERROR_NAME = "StackNotFoundError";

/**
 * The abort reason the fleet command gives when a signal stops the fleet. `reachedChildren`: the signal also went to
 * every process of the terminal's foreground job (Ctrl-C typed at a terminal), so Pulumi's own processes already
 * received it and are cancelling; a driver must not send them another SIGINT, which Pulumi reads as "terminate
 * now" (its second ^C), leaving the update unfinished and the stack locked.
 */
export class FleetInterrupt extends Error {
  readonly signalName: string;
  readonly reachedChildren: boolean;

  constructor(signalName: string, reachedChildren: boolean) {
    super(`${signalName} received`);
    this.name = "FleetInterrupt";
    this.signalName = signalName;
    this.reachedChildren = reachedChildren;
  }
}

/** Whether an aborted signal's reason says Pulumi's processes already got the interrupt themselves. */
export function interruptReachedChildren(signal: AbortSignal): boolean {
  const reason: unknown = signal.reason;
  return reason instanceof Error && reason.name === "FleetInterrupt" && (reason as FleetInterrupt).reachedChildren === true;
}
