/**
 * Which driver the fleet command uses: the Automation API driver, always, for people and pipelines.
 *
 * TEST-ONLY: `EXO_FLEET_TEST_DRIVER=/abs/path/module.js` makes the command load that module instead and call its
 * `createFleetDriver({ projectDir })` export (a DriverFactory). The end-to-end tests use it to run the built CLI
 * against a fake driver (test/fleet/fakeDriverModule.ts) where the Pulumi CLI cannot be installed. It is not a
 * plug-in point: its name and contract may change with the tests.
 */
import { isAbsolute } from "node:path";
import { automationDriver } from "./automationDriver";
import type { DriverFactory, FleetDriver } from "./driver";

export const TEST_DRIVER_ENV = "EXO_FLEET_TEST_DRIVER";

export function loadDriver(projectDir: string, env: NodeJS.ProcessEnv = process.env): FleetDriver {
  const modulePath = env[TEST_DRIVER_ENV];
  if (!modulePath) return automationDriver({ projectDir });
  if (!isAbsolute(modulePath)) throw new Error(`${TEST_DRIVER_ENV} must be an absolute path to a module`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const factory = (require(modulePath) as { createFleetDriver?: DriverFactory }).createFleetDriver;
  if (typeof factory !== "function") throw new Error(`${TEST_DRIVER_ENV} module ${modulePath} exports no createFleetDriver`);
  return factory({ projectDir });
}
