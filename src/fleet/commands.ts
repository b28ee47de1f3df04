/** The fleet's commands: the four Pulumi operations, and `verify` (the post-deploy check alone). */
import { OPERATIONS, type Operation } from "./driver";

export const FLEET_COMMANDS = [...OPERATIONS, "verify"] as const;
export type FleetCommand = Operation | "verify";

/** Whether the command checks each tenant afterwards (unless --no-verify). */
export const verifies = (command: FleetCommand): boolean => command === "up" || command === "verify";
