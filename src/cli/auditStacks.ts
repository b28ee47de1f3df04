/**
 * The stacks `audit` compares the tenant with (`--stack NAME`, `--config-file PATH`): their outputs, read through the
 * fleet's driver (the Automation API; the fake driver in tests), so `audit` and `fleet audit` read stacks one way.
 * A stack file whose own config names another tenant (both GUIDs) is refused before anything is read.
 */
import { statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { isGuid } from "../facts";
import { fullKey } from "../config/keys";
import { UsageError } from "../errors";
import type { DriverStack, FleetDriver, OutputValues } from "../fleet/driver";
import { resolveFleet } from "../fleet/fleet";
import { loadDriver } from "../fleet/loadDriver";
import { AuditError, stackTenants } from "../audit/managed";
import { findProjectFile, readStackConfig } from "../plan/stackFile";
import { Redactor } from "../text/redact";

export interface StackOutputsRead {
  readonly stack: string;
  readonly outputs: OutputValues;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** `--config-file Pulumi.contoso.yaml` → the stack `contoso` with that file. */
function configFileStack(path: string, cwd: string): DriverStack {
  const file = resolve(cwd, path);
  const name = /^Pulumi\.(.+)\.ya?ml$/.exec(basename(file))?.[1];
  if (!name) throw new UsageError(`--config-file ${JSON.stringify(path)} is not named Pulumi.<stack>.yaml`, "Pass the stack's own file (Pulumi.<stack>.yaml): its name says which stack's outputs to read.");
  if (!isFile(file)) throw new UsageError(`--config-file ${JSON.stringify(path)} does not exist`, "Pass the path of the stack's Pulumi.<stack>.yaml, relative to the current folder.");
  return { name, configFile: file };
}

/** The stack's own `exchange-app-only:tenantId`, when its file sets one a reader can see; else undefined. */
function configuredTenant(projectFile: string, stack: DriverStack): string | undefined {
  if (!stack.configFile) return undefined;
  try {
    return readStackConfig(projectFile, stack.configFile)[fullKey("tenantId")];
  } catch {
    // A file the offline reader cannot read (an encrypted value it would need): its outputs still say.
    return undefined;
  }
}

/** Reads every stack's outputs, one after the other. Refuses a stack file for another tenant first. */
export async function readAuditStacks(
  flags: { readonly stacks: readonly string[]; readonly configFiles: readonly string[]; readonly tenant?: string },
  options: { readonly cwd?: string; readonly driver?: FleetDriver; readonly signal?: AbortSignal } = {},
): Promise<StackOutputsRead[]> {
  if (flags.stacks.length === 0 && flags.configFiles.length === 0) return [];
  const cwd = options.cwd ?? process.cwd();
  const projectFile = findProjectFile(cwd);
  const named = flags.stacks.length > 0 ? resolveFleet({ names: flags.stacks, cwd }).stacks.map((s): DriverStack => ({ name: s.name, configFile: s.configFile })) : [];
  const stacks = [...named, ...flags.configFiles.map((f) => configFileStack(f, cwd))];
  for (const stack of stacks) {
    const theirs = configuredTenant(projectFile, stack);
    if (flags.tenant && theirs && isGuid(flags.tenant) && isGuid(theirs) && theirs.toLowerCase() !== flags.tenant.toLowerCase()) {
      throw new AuditError("ERR_STACK", `stack ${stack.name} (${stack.configFile}) is for tenant ${theirs}, not the audited tenant ${flags.tenant}`, "Give the stacks of the tenant you audit, or audit that stack's tenant with --tenant.");
    }
  }
  const driver = options.driver ?? loadDriver(dirname(projectFile));
  const signal = options.signal ?? new AbortController().signal;
  const read: StackOutputsRead[] = [];
  for (const stack of stacks) {
    // Only the ids are read; the stack's secret values serve only to keep them out of an error's words.
    const redactor = new Redactor();
    const outputs = await driver.outputs(named.includes(stack) ? { name: stack.name } : stack, { signal, onSecrets: (values) => redactor.addAll(values) }).catch((error: unknown) => {
      const said = redactor.redact(error instanceof Error ? error.message : String(error)).split("\n")[0];
      throw new AuditError("ERR_STACK", `cannot read the outputs of stack ${stack.name}: ${said}`, "Check the stack name and that you are logged in to its backend (pulumi login); run `pulumi up` for it first.");
    });
    read.push({ stack: stack.name, outputs });
  }
  return read;
}

/** The tenant the stacks name, when --tenant is not given: exactly one, or a usage error. */
export function tenantOfStacks(read: readonly StackOutputsRead[]): { tenant: string; environment?: string } {
  const tenants = read.flatMap((r) => stackTenants(r.stack, r.outputs));
  const ids = [...new Set(tenants.map((t) => t.tenantId).filter((t): t is string => t !== undefined))];
  if (ids.length !== 1) {
    throw new UsageError(
      ids.length === 0 ? "no tenant to audit: --tenant is not given and the stacks' outputs name none" : `the stacks manage ${ids.length} tenants (${ids.join(", ")}): which one to audit?`,
      ids.length === 0 ? "Pass --tenant TENANT (its GUID or one of its domains)." : "Pass --tenant TENANT, or audit them all with `exo-app-only fleet audit`.",
    );
  }
  const first = tenants.find((t) => t.tenantId === ids[0])!;
  return { tenant: ids[0]!, ...(first.environment ? { environment: first.environment } : {}) };
}
