/** Runs bootstrap/index.ts under Pulumi mocks, with a tenant whose Graph offers made-up app role ids. */
import type * as pulumi from "@pulumi/pulumi";
import { runProgram } from "../../src/mocks/run";
import { FUNCTION } from "../../src/facts/typeTokens";

export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
export const GRAPH_SP_OBJECT_ID = "9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
export const TENANT_ID = "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7";
export const EXCHANGE_APP_ID = "00000002-0000-0ff1-ce00-000000000000";
export const EXCHANGE_SP_OBJECT_ID = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b";
export const CALLER_OBJECT_ID = "1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9";

/** Not Graph's real ids: the program must take whatever the tenant's Graph says, by value. */
export const GRAPH_APP_ROLE_IDS: Record<string, string> = {
  "Application.ReadWrite.OwnedBy": "aaaaaaaa-0000-4000-8000-000000000001",
  "Application.ReadWrite.All": "aaaaaaaa-0000-4000-8000-000000000002",
  "Application.Read.All": "aaaaaaaa-0000-4000-8000-000000000003",
  "AppRoleAssignment.ReadWrite.All": "aaaaaaaa-0000-4000-8000-000000000004",
  "RoleManagement.ReadWrite.Directory": "aaaaaaaa-0000-4000-8000-000000000005",
  "User.Read.All": "aaaaaaaa-0000-4000-8000-000000000006",
  "RoleManagement.Read.Directory": "aaaaaaaa-0000-4000-8000-000000000007",
};

export const PROJECT = "exchange-app-only-bootstrap";

/** `{ repository: "o/r" }` → the engine's form: full keys, strings, lists as JSON. */
export function bootstrapConfig(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${PROJECT}:${k}`, typeof v === "string" ? v : JSON.stringify(v)]));
}

export async function runBootstrap(values: Record<string, unknown>, appRoleIds: Record<string, string> = GRAPH_APP_ROLE_IDS) {
  const created: string[] = [];
  const calls: pulumi.runtime.MockCallArgs[] = [];
  const backend = {
    newResource(args: pulumi.runtime.MockResourceArgs) {
      created.push(args.type);
      return undefined; // the offline backend's ids
    },
    call(args: pulumi.runtime.MockCallArgs) {
      calls.push(args);
      if (args.token === FUNCTION.getServicePrincipal && args.inputs.clientId === GRAPH_APP_ID) {
        return { id: `/servicePrincipals/${GRAPH_SP_OBJECT_ID}`, objectId: GRAPH_SP_OBJECT_ID, clientId: GRAPH_APP_ID, appRoleIds };
      }
      if (args.token === FUNCTION.getServicePrincipal && args.inputs.clientId === EXCHANGE_APP_ID) {
        return { id: `/servicePrincipals/${EXCHANGE_SP_OBJECT_ID}`, objectId: EXCHANGE_SP_OBJECT_ID, clientId: EXCHANGE_APP_ID, appRoleIds: {} };
      }
      if (args.token === FUNCTION.getClientConfig) return { tenantId: TENANT_ID, objectId: CALLER_OBJECT_ID, clientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46" };
      return undefined;
    },
  };
  const program = require("../../bootstrap/index") as () => Promise<Record<string, unknown>>;
  const run = await runProgram(program, { config: bootstrapConfig(values), project: PROJECT, stack: "tenant", backend });
  const ofType = (type: string) => run.resources.filter((r) => r.type === type);
  return { ...run, ofType, created, calls };
}

/** Runs the program expecting it to refuse its config; returns the error and what was created. */
export async function refused(values: Record<string, unknown>) {
  const created: string[] = [];
  const backend = { newResource: (args: pulumi.runtime.MockResourceArgs) => void created.push(args.type), call: () => undefined };
  const program = require("../../bootstrap/index") as () => Promise<Record<string, unknown>>;
  const error = await runProgram(program, { config: bootstrapConfig(values), project: PROJECT, stack: "tenant", backend }).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, created };
}
