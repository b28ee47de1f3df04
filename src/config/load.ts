/** Reads the stack's config from the Pulumi engine and hands it to the pure parser. */
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, type StackConfig } from "./parseStack";

/** The stack's validated config. Throws `ConfigError` before any resource is registered. */
export function loadStackConfig(now: Date = new Date()): StackConfig {
  return parseStackConfig(pulumi.runtime.allConfig(), now);
}
