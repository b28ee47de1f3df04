/**
 * The stack program's one mapping: a tenant's stack config values onto its component's args. Keys keep their names;
 * each value takes the type its key declares (src/config/keys.ts). Nothing is judged here: the component reads the
 * args with the same rules the stack config already passed.
 */
import { CONFIG_KEYS, type ConfigKeyName } from "../src/config/keys";
import type { RawConfig } from "../src/config/values";

/** `raw`'s values at `keys`, typed as the engine would type them in a program (`config.getObject`, `getNumber`, ...). */
export function argsFromConfig(raw: RawConfig, keys: readonly string[]): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const key of keys) {
    const value = raw[key];
    if (value === undefined) continue;
    const type = CONFIG_KEYS[key as ConfigKeyName].type;
    args[key] = type === "string" ? value : type === "integer" ? Number(value) : type === "boolean" ? value === "true" : JSON.parse(value);
  }
  return args;
}
