/**
 * Runs a Pulumi program in-process under `pulumi.runtime.setMocks`, with no CLI and no credentials, and records
 * every registration as the engine would see it: type token, name, parent, options and inputs, secrets marked.
 */
import * as pulumi from "@pulumi/pulumi";
import type { MockBackend, MockedResource } from "./backend";
import { offlineBackend } from "./offline";
import { registration, SECRET_MARKER, type RegisteredResource, type RegisterRequest } from "./registration";

export { SECRET_MARKER, type RegisteredResource } from "./registration";

export interface ProgramRun {
  readonly resources: RegisteredResource[];
  /** The program's outputs, resolved; secret values (at any depth) replaced by `[secret]` unless `revealSecrets`. */
  readonly outputs: Record<string, unknown>;
  /** Names of outputs that are, or hold, Pulumi secrets. */
  readonly secretOutputs: string[];
}

export interface RunOptions {
  /** Stack config by full key (`exchange-app-only:tenantId`), values as the engine passes them (strings). */
  readonly config: Record<string, string>;
  /** Full keys the engine would deliver as secrets (their stack file values are encrypted). */
  readonly secretKeys?: readonly string[];
  readonly project?: string;
  readonly stack?: string;
  /** Where resources "land"; the offline backend by default. */
  readonly backend?: MockBackend;
  /** Keep secret output values (for the emulator demo). Inputs are always masked. */
  readonly revealSecrets?: boolean;
  /** Record registrations (default true). The benchmark turns it off to time the program, not the recorder. */
  readonly record?: boolean;
}

/**
 * Resolves an output value as the engine stores it: secrecy stays where it was set, so a map of tenants whose
 * keys are secret shows the secret keys masked and everything else in plain. `secrets` is true when any part is.
 */
async function resolveOutput(value: unknown, reveal: boolean): Promise<{ resolved: unknown; secrets: boolean }> {
  if (pulumi.Output.isInstance(value)) {
    const secret = await pulumi.isSecret(value);
    const inner = await new Promise<unknown>((resolve) => value.apply((v) => resolve(v)));
    if (secret) return { resolved: reveal ? (await resolveOutput(inner, reveal)).resolved : SECRET_MARKER, secrets: true };
    return resolveOutput(inner, reveal);
  }
  if (value instanceof Promise) return resolveOutput(await value, reveal);
  if (Array.isArray(value)) {
    const parts = await Promise.all(value.map((v) => resolveOutput(v, reveal)));
    return { resolved: parts.map((p) => p.resolved), secrets: parts.some((p) => p.secrets) };
  }
  if (value !== null && typeof value === "object") {
    const entries = await Promise.all(Object.entries(value).filter(([, v]) => v !== undefined).map(async ([k, v]) => [k, await resolveOutput(v, reveal)] as const));
    return { resolved: Object.fromEntries(entries.map(([k, p]) => [k, p.resolved])), secrets: entries.some(([, p]) => p.secrets) };
  }
  return { resolved: value, secrets: false };
}

/** Evaluates `program` (the default export of index.ts) under mocks and returns what it registered. */
export async function runProgram(program: () => Promise<Record<string, unknown>>, options: RunOptions): Promise<ProgramRun> {
  const offline = offlineBackend();
  const backend = options.backend;
  const mocks: pulumi.runtime.Mocks = {
    newResource: async (args): Promise<MockedResource> => (await backend?.newResource(args)) ?? offline.newResource(args),
    call: async (args) => (await backend?.call(args)) ?? offline.call(args) ?? {},
  };
  pulumi.runtime.setAllConfig(options.config, [...(options.secretKeys ?? [])]);
  await pulumi.runtime.setMocks(mocks, options.project ?? "exchange-app-only", options.stack ?? "dev", false);

  const resources: RegisteredResource[] = [];
  // The mocks API hides parents and secretness; the monitor's request carries both.
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource(req: RegisterRequest, cb: unknown): unknown };
  const register = monitor.registerResource.bind(monitor);
  const project = options.project ?? "exchange-app-only";
  const stack = options.stack ?? "dev";
  if (options.record !== false) monitor.registerResource = (req, cb) => {
    resources.push(registration(req, project, stack));
    return register(req, cb);
  };

  const returned = await program();
  const outputs: Record<string, unknown> = {};
  const secretOutputs: string[] = [];
  for (const [key, value] of Object.entries(returned ?? {})) {
    if (value === undefined) continue;
    const { resolved, secrets } = await resolveOutput(value, options.revealSecrets === true);
    outputs[key] = resolved;
    if (secrets) secretOutputs.push(key);
  }
  // Some resources (the consent, the role) feed no output: let every registration finish.
  await (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }).waitForRPCs();
  return { resources, outputs, secretOutputs };
}
