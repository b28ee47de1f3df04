/**
 * A fake Pulumi engine for the plugin's Construct tests: the engine's Engine service and a resource monitor on one
 * loopback gRPC server, built from the SDK's own generated services. The plugin gets its address as the engine
 * address and as ConstructRequest's monitor endpoint; the monitor answers as the in-process mocks do.
 */
import * as grpc from "@grpc/grpc-js";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";
import { ResourceMonitorService } from "@pulumi/pulumi/proto/resource_grpc_pb";
import type { MockBackend } from "../../../src/mocks/backend";
import { fakeEngineService, type EngineLog } from "./engine";
import { fakeMonitor, type MonitoredInvoke, type MonitoredResource } from "./monitor";

export type { EngineLog } from "./engine";
export type { MonitoredInvoke, MonitoredResource } from "./monitor";

export interface FakeEngine {
  /** `127.0.0.1:<port>`: the engine address and the monitor endpoint. */
  readonly address: string;
  readonly project: string;
  readonly stack: string;
  /** The root stack resource's URN (what the engine passes as a top-level component's parent). */
  readonly stackUrn: string;
  readonly resources: MonitoredResource[];
  readonly invokes: MonitoredInvoke[];
  readonly logs: EngineLog[];
  /** How many times each RPC was called, by method (`registerResource`, `log`, `invoke`, …). */
  readonly calls: Record<string, number>;
  /** Forgets what was recorded (between two Constructs). */
  reset(): void;
  close(): Promise<void>;
}

/** `implementation` with every method counting its calls into `calls`. */
function counted(implementation: grpc.UntypedServiceImplementation, calls: Record<string, number>): grpc.UntypedServiceImplementation {
  return Object.fromEntries(
    Object.entries(implementation).map(([method, handler]) => [
      method,
      (...args: unknown[]) => {
        calls[method] = (calls[method] ?? 0) + 1;
        return (handler as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as grpc.UntypedServiceImplementation;
}

export async function startFakeEngine(backend: MockBackend, project: string, stack: string): Promise<FakeEngine> {
  const stackUrn = `urn:pulumi:${stack}::${project}::pulumi:pulumi:Stack::${project}-${stack}`;
  const monitor = fakeMonitor(backend, project, stack);
  const engine = fakeEngineService(stackUrn);
  const calls: Record<string, number> = {};
  const server = new grpc.Server();
  server.addService(ResourceMonitorService, counted(monitor.implementation, calls));
  server.addService(EngineService, counted(engine.implementation, calls));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    address: `127.0.0.1:${port}`,
    project,
    stack,
    stackUrn,
    resources: monitor.resources,
    invokes: monitor.invokes,
    logs: engine.logs,
    calls,
    reset() {
      for (const method of Object.keys(calls)) delete calls[method];
      monitor.resources.length = 0;
      monitor.invokes.length = 0;
      engine.logs.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
