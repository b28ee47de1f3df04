/**
 * Construct's inputs as a component's args. The SDK hands Construct secret, unknown or dependency-carrying values as
 * Outputs and the rest plain; the components validate most args synchronously, as plain values (the stack config
 * keys), and take only a few as `pulumi.Input`s. So a plain arg's Output is resolved first: a known value is used
 * (a secret one stays secret only where the component keeps it so), an unknown one is refused by name.
 *
 * Validation reads every known value plainly, input keys too, before anything registers: a component checks an
 * Output arg only when it resolves, inside an apply, where a bad value can no longer be refused by name (it would
 * surface as an unhandled error with a stack trace, after children registered). Args that arrived secret are named
 * so that messages hide their values.
 */
// The SDK's submodules, not its root: the plugin loads this before it prints its port (provider/main.ts).
import type * as pulumi from "@pulumi/pulumi";
import { InputPropertyError } from "@pulumi/pulumi/errors";
import { isUnknown, Output, output, secret } from "@pulumi/pulumi/output";
import { Resource } from "@pulumi/pulumi/resource";

/** Which args the component takes as `pulumi.Input`s (left as they arrive). */
export interface ComponentArgsShape {
  readonly inputKeys: readonly string[];
}

interface Revealed {
  readonly known: boolean;
  readonly value: unknown;
  readonly secret: boolean;
}

/** A value with every known Output inside it resolved; `known` false when any part is unknown. */
async function reveal(value: unknown): Promise<Revealed> {
  // An unknown with no dependencies arrives bare, not inside an Output.
  if (isUnknown(value)) return { known: false, value: undefined, secret: false };
  if (Output.isInstance(value)) {
    const output = value as unknown as { isKnown: Promise<boolean>; isSecret: Promise<boolean>; promise(): Promise<unknown> };
    const secret = await output.isSecret;
    if (!(await output.isKnown)) return { known: false, value: undefined, secret };
    const inner = await reveal(await output.promise());
    return { ...inner, secret: secret || inner.secret };
  }
  if (Array.isArray(value)) {
    const parts = await Promise.all(value.map(reveal));
    return { known: parts.every((p) => p.known), value: parts.map((p) => p.value), secret: parts.some((p) => p.secret) };
  }
  if (value && typeof value === "object" && !Resource.isInstance(value)) {
    const entries = await Promise.all(Object.entries(value).map(async ([key, item]) => [key, await reveal(item)] as const));
    return { known: entries.every(([, p]) => p.known), value: Object.fromEntries(entries.map(([k, p]) => [k, p.value])), secret: entries.some(([, p]) => p.secret) };
  }
  return { known: true, value, secret: false };
}

export interface ConstructArgs {
  /** What the component is built with: plain keys resolved, input keys as they arrived (secrets stay secret). */
  readonly args: Record<string, unknown>;
  /** Every known arg as a plain value, an unknown input key as it arrived: what validation reads first. */
  readonly known: Record<string, unknown>;
  /** Args that are, or hold, secrets. */
  readonly secretKeys: string[];
  /**
   * The text of secret args the component takes as plain values (resolved, so no longer marked): what the component
   * builds from them is marked secret again on the way out (see `keptSecret`).
   */
  readonly plainSecrets: string[];
}

/** Every string inside a value (a list's, an object's), for matching outputs against it. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return value.length > 0 ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

/**
 * An output of the component, secret when its value holds the text of an arg that arrived secret but was used plain
 * (a Python program's `Output.secret(organization)` reaches the Connect-ExchangeOnline lines); as it is otherwise.
 */
export function keptSecret(value: unknown, plainSecrets: readonly string[]): unknown {
  if (plainSecrets.length === 0 || value === undefined) return value;
  return output(value).apply((resolved) => {
    const text = JSON.stringify(resolved) ?? "";
    return plainSecrets.some((s) => text.includes(JSON.stringify(s).slice(1, -1))) ? secret(resolved) : resolved;
  });
}

export async function constructArgs(inputs: pulumi.Inputs, shape: ComponentArgsShape): Promise<ConstructArgs> {
  const args: Record<string, unknown> = {};
  const known: Record<string, unknown> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(inputs)) {
    const revealed = await reveal(value);
    if (revealed.secret) secretKeys.push(key);
    const input = shape.inputKeys.includes(key);
    if (!revealed.known && !input) {
      throw new InputPropertyError({ propertyPath: key, reason: `${key} must be known before the component is built (it decides which resources exist); pass a value, not another resource's output` });
    }
    if (revealed.known && revealed.value === undefined) continue;
    // An unknown arrives bare when nothing it depends on is known to Construct: the component wants an Output.
    const asInput = Output.isInstance(value) || revealed.known ? value : output(value);
    args[key] = input ? asInput : revealed.value;
    known[key] = revealed.known ? revealed.value : asInput;
  }
  const plainSecrets = secretKeys.filter((key) => !shape.inputKeys.includes(key)).flatMap((key) => strings(known[key]));
  return { args, known, secretKeys, plainSecrets };
}
