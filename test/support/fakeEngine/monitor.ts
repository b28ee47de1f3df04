/**
 * The resource monitor of the tests' fake engine: the SDK's own generated ResourceMonitor service, answering a
 * plugin's registrations and invokes as the in-process mocks do (src/mocks/offline.ts answers both), so a Construct
 * over gRPC and the same component under mocks see the same ids and outputs. It records every registration as
 * src/mocks/registration.ts does, plus each input's dependencies.
 */
import * as grpc from "@grpc/grpc-js";
import * as emptyproto from "google-protobuf/google/protobuf/empty_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import type { MockBackend } from "../../../src/mocks/backend";
import { maskSecrets, parseUrn, registration, type RegisteredResource } from "../../../src/mocks/registration";

/** The root stack's type: the engine leaves it out of its children's URNs. */
const STACK_TYPE = "pulumi:pulumi:Stack";

/** One registration as the monitor saw it. */
export interface MonitoredResource extends RegisteredResource {
  /** Each input's dependencies (the request's propertyDependencies), by resource name. */
  readonly propertyDependencies: Record<string, string[]>;
  /** What `registerOutputs` reported (components), secrets marked. */
  outputs?: Record<string, unknown>;
}

export interface MonitoredInvoke {
  readonly token: string;
  readonly args: Record<string, unknown>;
}

/**
 * The features a current engine reports (the SDK asks GetDeploymentInfo, older SDKs SupportsFeature by id). Invoke
 * dependsOn and state migrations are left out: this engine resolves nothing for an invoke and keeps no state.
 */
const FEATURES: Readonly<Record<string, resproto.ResourceMonitorFeature>> = {
  secrets: resproto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_SECRETS,
  resourceReferences: resproto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES,
  outputValues: resproto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_OUTPUT_VALUES,
  deletedWith: resproto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_DELETED_WITH,
  replaceWith: resproto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_REPLACE_WITH,
  aliasSpecs: resproto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
  transforms: resproto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_TRANSFORMS,
  invokeTransforms: resproto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_INVOKE_TRANSFORMS,
  parameterization: resproto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_PARAMETERIZATION,
  resourceHooks: resproto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_RESOURCE_HOOKS,
  errorHooks: resproto.ResourceMonitorFeature.RESOURCE_MONITOR_FEATURE_ERROR_HOOKS,
};

type Unary<Req, Res> = (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => void;

/** Runs `answer` for a unary call; a thrown error becomes the call's error, as the engine reports a failed step. */
function unary<Req, Res>(answer: (request: Req) => Res | Promise<Res>): Unary<Req, Res> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => answer(call.request))
      .then(
        (response) => callback(null, response),
        (error: Error) => callback({ code: grpc.status.UNKNOWN, details: error.message }),
      );
  };
}

export interface FakeMonitor {
  readonly implementation: grpc.UntypedServiceImplementation;
  readonly resources: MonitoredResource[];
  readonly invokes: MonitoredInvoke[];
}

/** A monitor for stack `stack` of `project`, answering from `backend` (the offline backend, as runProgram's default). */
export function fakeMonitor(backend: MockBackend, project: string, stack: string): FakeMonitor {
  const resources: MonitoredResource[] = [];
  const invokes: MonitoredInvoke[] = [];
  const byUrn = new Map<string, MonitoredResource>();

  const urnOf = (parent: string, type: string, name: string) => {
    const parentType = parent ? parent.split("::")[2]! : "";
    const qualified = parentType && parentType !== STACK_TYPE ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
  };

  const answerCall = async (token: string, args: structproto.Struct | undefined, provider: string) => {
    const inputs = rpc.deserializeProperties(args ?? new structproto.Struct()) as Record<string, unknown>;
    invokes.push({ token, args: maskSecrets(inputs) as Record<string, unknown> });
    const result = (await backend.call({ token, inputs, provider })) ?? {};
    return structproto.Struct.fromJavaScript(await rpc.serializeProperties("", result));
  };

  const implementation: grpc.UntypedServiceImplementation = {
    getDeploymentInfo: unary<emptyproto.Empty, resproto.DeploymentInfo>(() => new resproto.DeploymentInfo().setSupportedfeaturesList(Object.values(FEATURES))),
    supportsFeature: unary<resproto.SupportsFeatureRequest, resproto.SupportsFeatureResponse>((req) =>
      new resproto.SupportsFeatureResponse().setHassupport(req.getId() in FEATURES),
    ),
    registerResource: unary<resproto.RegisterResourceRequest, resproto.RegisterResourceResponse>(async (req) => {
      const urn = urnOf(req.getParent(), req.getType(), req.getName());
      const inputs = rpc.deserializeProperties(req.getObject() ?? new structproto.Struct()) as Record<string, unknown>;
      const answer = await backend.newResource({ type: req.getType(), name: req.getName(), inputs, provider: req.getProvider(), custom: req.getCustom(), id: req.getImportid() });
      if (!answer) throw new Error(`the fake engine's backend has no answer for ${req.getType()}`);
      const propertyDependencies = Object.fromEntries(
        [...req.getPropertydependenciesMap().entries()].map(([key, deps]) => [key, deps.getUrnsList().map((dep) => parseUrn(dep).name)]),
      );
      const record: MonitoredResource = { ...registration(req, project, stack), urn, propertyDependencies };
      resources.push(record);
      byUrn.set(urn, record);
      const response = new resproto.RegisterResourceResponse();
      response.setUrn(urn);
      response.setId(answer.id ?? "");
      response.setObject(structproto.Struct.fromJavaScript(await rpc.serializeProperties("", answer.state)));
      return response;
    }),
    registerResourceOutputs: unary<resproto.RegisterResourceOutputsRequest, emptyproto.Empty>((req) => {
      const record = byUrn.get(req.getUrn());
      if (!record) throw new Error(`registerResourceOutputs for an unknown resource ${req.getUrn()}`);
      record.outputs = maskSecrets(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>;
      return new emptyproto.Empty();
    }),
    readResource: unary<resproto.ReadResourceRequest, resproto.ReadResourceResponse>(async (req) => {
      const inputs = rpc.deserializeProperties(req.getProperties() ?? new structproto.Struct()) as Record<string, unknown>;
      const answer = await backend.newResource({ type: req.getType(), name: req.getName(), inputs, provider: req.getProvider(), custom: true, id: req.getId() });
      const response = new resproto.ReadResourceResponse();
      response.setUrn(urnOf(req.getParent(), req.getType(), req.getName()));
      response.setProperties(structproto.Struct.fromJavaScript(await rpc.serializeProperties("", answer?.state ?? {})));
      return response;
    }),
    invoke: unary<resproto.ResourceInvokeRequest, resproto.ResourceInvokeResponse>(async (req) =>
      new resproto.ResourceInvokeResponse().setReturn(await answerCall(req.getTok(), req.getArgs(), req.getProvider())),
    ),
    call: unary<resproto.ResourceCallRequest, provproto.CallResponse>(async (req) =>
      new provproto.CallResponse().setReturn(await answerCall(req.getTok(), req.getArgs(), req.getProvider())),
    ),
    registerPackage: unary<resproto.RegisterPackageRequest, resproto.RegisterPackageResponse>((req) =>
      new resproto.RegisterPackageResponse().setRef(`${req.getName()}@${req.getVersion()}`),
    ),
    signalAndWaitForShutdown: unary<emptyproto.Empty, emptyproto.Empty>(() => new emptyproto.Empty()),
  };
  return { implementation, resources, invokes };
}
