/**
 * The FleetDriver over Pulumi's Automation API (`@pulumi/pulumi/automation`, a local program: the project folder).
 * Thin on purpose: select the stack, run the operation with the fleet's abort signal, hand back changes and outputs.
 *
 * Concurrency (pulumi/pulumi#8186): every operation of a Stack passes `--stack NAME` to the CLI, so stacks of one
 * project update in parallel. Only creating or selecting a stack (`pulumi stack select` / `stack init`) still makes
 * it the project's *current* stack, a write to one `workspace.json` under PULUMI_HOME keyed by the project's path;
 * concurrent selects corrupt it. The options the API offers:
 * - a PULUMI_HOME per stack (`LocalWorkspaceOptions.pulumiHome`): isolates the file, but also the backend login,
 *   the plugins and their cache, so every stack would download plugins and lose `pulumi login`. Refused.
 * - a workDir per stack (a copy of Pulumi.yaml plus `projectSettings`/`stackSettings`): a local program runs from
 *   its workDir, so the copy would need the program and node_modules; `stackSettings` would write config (and a
 *   secrets salt) into the copy instead of the stack's real Pulumi.<stack>.yaml. Refused.
 * - selects one at a time: each stack still gets its own LocalWorkspace (createOrSelectStack makes one per call),
 *   all on the real project folder; only the select step (one short CLI call) waits for the one before it, and
 *   the updates themselves run concurrently. Chosen.
 *
 * Cancellation: the fleet's abort goes to the operation, and the Automation API sends the pulumi process SIGINT,
 * Pulumi's own clean cancel (in-flight resource operations finish, the lock is released). When the interrupt was a
 * Ctrl-C at a terminal, the pulumi processes got that SIGINT themselves (same foreground job), so it is not sent
 * again: Pulumi reads a second ^C as "terminate now". If the operation has not ended `cancelGraceMs` after the
 * abort, `stack.cancel()` (`pulumi cancel`) stops the update in the backend.
 *
 * Secrets: before an operation the driver reads the stack's config (`pulumi config --show-secrets --json`) and its
 * current outputs, and reports their secret values through `onSecrets`, so the runner redacts them out of the
 * output and errors; after `up`, the new outputs' secret values too. Reading them never stops the operation: a
 * stack with no outputs yet, or a config file the Automation API cannot be pointed at (a fleet file's `configFile`:
 * `getAllConfig` takes no config file in this SDK), leaves the redaction with what it has and the shapes.
 *
 * The module is loaded on first use: the CLI starts without it.
 */
import type * as Automation from "@pulumi/pulumi/automation";
import { interruptReachedChildren, type DriverStack, type FleetDriver, type Operation, type OperationOptions, type OperationResult, type OutputValues } from "./driver";
import { secretConfigValues, secretOutputValues } from "./secretValues";

export interface AutomationDriverOptions {
  /** The folder holding Pulumi.yaml: the program and its stack files. */
  readonly projectDir: string;
  /** After an abort, how long the operation may take to stop on its own before `stack.cancel()` (default 30 s). */
  readonly cancelGraceMs?: number;
  /** Loads the Automation API (tests pass a stub). */
  readonly load?: () => Promise<typeof Automation>;
}

const DEFAULT_CANCEL_GRACE_MS = 30_000;

/** `pulumi stack output --json --show-secrets` values, as plain values. */
function plain(outputs: Automation.OutputMap): OutputValues {
  return Object.fromEntries(Object.entries(outputs).map(([key, output]) => [key, output.value]));
}

export function automationDriver(options: AutomationDriverOptions): FleetDriver {
  const load = options.load ?? (() => import("@pulumi/pulumi/automation"));
  const grace = options.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS;
  /** The tail of the select queue (see above): each select starts when the one before it has settled. */
  let selecting: Promise<unknown> = Promise.resolve();
  const stacks = new Map<string, Promise<Automation.Stack>>();

  /** `create`: `up` and `preview` may make a new stack; refresh, destroy and outputs need an existing one. */
  const stackFor = (stack: DriverStack, create: boolean): Promise<Automation.Stack> => {
    const known = stacks.get(stack.name);
    if (known) return known;
    const selected = selecting.then(async () => {
      const auto = await load();
      const args = { stackName: stack.name, workDir: options.projectDir };
      return create ? auto.LocalWorkspace.createOrSelectStack(args) : auto.LocalWorkspace.selectStack(args);
    });
    selecting = selected.catch(() => undefined);
    stacks.set(stack.name, selected);
    // A failed select is not remembered: the next command tries again.
    selected.catch(() => stacks.delete(stack.name));
    return selected;
  };

  /** Reports the stack's secret config and current secret outputs; one after the other (pulumi/pulumi#6050). */
  const reportSecrets = async (selected: Automation.Stack, o: OperationOptions): Promise<void> => {
    if (!o.onSecrets) return;
    const config = await selected.getAllConfig().catch(() => ({}));
    const outputs = await selected.outputs().catch(() => ({}));
    o.onSecrets([...secretConfigValues(config), ...secretOutputValues(outputs)]);
  };

  const run = async (operation: Operation, stack: DriverStack, o: OperationOptions): Promise<OperationResult> => {
    o.signal.throwIfAborted();
    const selected = await stackFor(stack, operation === "up" || operation === "preview");
    o.signal.throwIfAborted();
    await reportSecrets(selected, o);
    o.signal.throwIfAborted();
    let timer: NodeJS.Timeout | undefined;
    /** What the Automation API gets: aborted (SIGINT to pulumi) unless pulumi already has the interrupt. */
    const toPulumi = new AbortController();
    const onAbort = (): void => {
      if (!interruptReachedChildren(o.signal)) toPulumi.abort(o.signal.reason);
      timer = setTimeout(() => void selected.cancel().catch(() => undefined), grace);
    };
    o.signal.addEventListener("abort", onAbort, { once: true });
    const common = {
      signal: toPulumi.signal,
      ...(o.onOutput ? { onOutput: o.onOutput } : {}),
      ...(stack.configFile ? { configFile: stack.configFile } : {}),
    };
    try {
      switch (operation) {
        case "preview": {
          const result = await selected.preview(common);
          return { changes: result.changeSummary };
        }
        case "up": {
          const result = await selected.up(common);
          o.onSecrets?.(secretOutputValues(result.outputs));
          return { changes: result.summary.resourceChanges ?? {}, outputs: plain(result.outputs) };
        }
        case "refresh":
          return { changes: (await selected.refresh(common)).summary.resourceChanges ?? {} };
        case "destroy":
          return { changes: (await selected.destroy(common)).summary.resourceChanges ?? {} };
      }
    } finally {
      clearTimeout(timer);
      o.signal.removeEventListener("abort", onAbort);
    }
  };

  return {
    preview: (stack, o) => run("preview", stack, o),
    up: (stack, o) => run("up", stack, o),
    refresh: (stack, o) => run("refresh", stack, o),
    destroy: (stack, o) => run("destroy", stack, o),
    async outputs(stack, o) {
      o.signal.throwIfAborted();
      const outputs = await (await stackFor(stack, false)).outputs();
      o.onSecrets?.(secretOutputValues(outputs));
      return plain(outputs);
    },
  };
}
