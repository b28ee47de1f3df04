/**
 * Construct's inputs as a component's args. The SDK hands Construct secret, unknown or dependency-carrying values as
 * Outputs and the rest plain; the components validate most args synchronously, as plain values (the stack config
 * keys), and take only a few as `pulumi.Input`s. So a plain arg's Output is resolved first: a known value is used
 * (a secret one stays secret only where the component keeps it so), an unknown one is refused by name.
 */
import * as pulumi from "@pulumi/pulumi";

/** Which args the component takes as `pulumi.Input`s (left as they arrive). */
export interface ComponentArgsShape {
  readonly inputKeys: readonly string[];
}

/** Resolves what an Output holds when it is known; `unknown` marks a value the engine does not know yet. */
async function settled(value: unknown): Promise<{ known: boolean; value: unknown }> {
  if (!pulumi.Output.isInstance(value)) return { known: true, value };
  const output = value as unknown as { isKnown: Promise<boolean>; promise(): Promise<unknown> };
  if (!(await output.isKnown)) return { known: false, value: undefined };
  return settled(await output.promise());
}

/** Deeply resolved: plain args may hold Outputs in lists and objects (a secret element, say). */
async function plain(value: unknown, path: string): Promise<unknown> {
  const { known, value: resolved } = await settled(value);
  if (!known) {
    throw new pulumi.InputPropertyError({ propertyPath: path, reason: `${path} must be known before the component is built (it decides which resources exist); pass a value, not another resource's output` });
  }
  if (Array.isArray(resolved)) return Promise.all(resolved.map((item, i) => plain(item, `${path}[${i}]`)));
  if (resolved && typeof resolved === "object" && !pulumi.Resource.isInstance(resolved)) {
    const entries = await Promise.all(Object.entries(resolved).map(async ([key, item]) => [key, await plain(item, `${path}.${key}`)] as const));
    return Object.fromEntries(entries);
  }
  return resolved;
}

export async function componentArgs(inputs: pulumi.Inputs, shape: ComponentArgsShape): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    Object.entries(inputs).map(async ([key, value]) => [key, shape.inputKeys.includes(key) ? value : await plain(value, key)] as const),
  );
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
}
