/**
 * The Engine service of the tests' fake engine (the SDK's generated EngineService): what a plugin's `pulumi.log`
 * calls reach, and the root resource a program without a parent hangs under. Log messages are kept, so a test can
 * assert what the plugin told the engine (no secret, no stack trace).
 */
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as engproto from "@pulumi/pulumi/proto/engine_pb";

export interface EngineLog {
  readonly severity: "debug" | "info" | "warning" | "error";
  readonly message: string;
  readonly urn: string;
}

const SEVERITY: Record<engproto.LogSeverity, EngineLog["severity"]> = {
  [engproto.LogSeverity.DEBUG]: "debug",
  [engproto.LogSeverity.INFO]: "info",
  [engproto.LogSeverity.WARNING]: "warning",
  [engproto.LogSeverity.ERROR]: "error",
};

export interface FakeEngineService {
  readonly implementation: grpc.UntypedServiceImplementation;
  readonly logs: EngineLog[];
}

/** The engine's side for a stack whose root resource is `rootUrn`. */
export function fakeEngineService(rootUrn: string): FakeEngineService {
  const logs: EngineLog[] = [];
  let root = rootUrn;
  const implementation: grpc.UntypedServiceImplementation = {
    log: (call: grpc.ServerUnaryCall<engproto.LogRequest, emptyproto.Empty>, callback: grpc.sendUnaryData<emptyproto.Empty>) => {
      logs.push({ severity: SEVERITY[call.request.getSeverity()], message: call.request.getMessage(), urn: call.request.getUrn() });
      callback(null, new emptyproto.Empty());
    },
    getRootResource: (_call: grpc.ServerUnaryCall<engproto.GetRootResourceRequest, engproto.GetRootResourceResponse>, callback: grpc.sendUnaryData<engproto.GetRootResourceResponse>) =>
      callback(null, new engproto.GetRootResourceResponse().setUrn(root)),
    setRootResource: (call: grpc.ServerUnaryCall<engproto.SetRootResourceRequest, engproto.SetRootResourceResponse>, callback: grpc.sendUnaryData<engproto.SetRootResourceResponse>) => {
      root = call.request.getUrn();
      callback(null, new engproto.SetRootResourceResponse());
    },
    requirePulumiVersion: (_call: grpc.ServerUnaryCall<engproto.RequirePulumiVersionRequest, engproto.RequirePulumiVersionResponse>, callback: grpc.sendUnaryData<engproto.RequirePulumiVersionResponse>) =>
      callback(null, new engproto.RequirePulumiVersionResponse()),
  };
  return { implementation, logs };
}
