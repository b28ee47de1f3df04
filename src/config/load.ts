/** Reads the stack's config from the Pulumi engine and hands it to the pure parser. */
import * as pulumi from "@pulumi/pulumi";
import { engineSecretKeys } from "./engineSecrets";
import { parseStackConfig, resolveStackSignIn, type StackConfig } from "./parseStack";

/** Under mocks (plan, tests) nothing signs in, so sign-in settings from environment variables are not needed. */
function offline(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks") as { MockMonitor: new (...args: never[]) => unknown };
  return pulumi.runtime.getMonitor() instanceof MockMonitor;
}

/** The stack's validated config. Throws `ConfigError` before any resource is registered. */
export function loadStackConfig(now: Date = new Date(), env: NodeJS.ProcessEnv = process.env): StackConfig {
  const all = pulumi.runtime.allConfig();
  return resolveStackSignIn(parseStackConfig(all, now, engineSecretKeys(all)), env, offline());
}
