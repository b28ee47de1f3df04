/** Reads this project's keys from the Pulumi engine's config and hands them to the pure parser. */
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "./keys";
import { parseTenantConfig, type RawConfig } from "./parse";
import type { TenantConfig } from "./stackConfig";

/** Every `exchange-app-only:*` value the engine holds, by short key: the parser also flags keys it doesn't know. */
export function readRawConfig(all: Record<string, string> = pulumi.runtime.allConfig()): RawConfig {
  const prefix = `${PROJECT}:`;
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(all)) {
    if (key.startsWith(prefix)) raw[key.slice(prefix.length)] = value;
  }
  return raw;
}

/** The stack's validated config. Throws `ConfigError` before any resource is registered. */
export function loadTenantConfig(now: Date = new Date()): TenantConfig {
  return parseTenantConfig(readRawConfig(), now);
}
