/**
 * Construct over gRPC as the engine sends it for a Python or YAML program: a ConstructRequest with the args as a
 * protobuf Struct (secrets in the wire's secret form), the fake engine as monitor, the stack as parent. Answers
 * the component's URN and state (secrets marked), or the error as the engine reads it: the message and the
 * property errors carried in the status details.
 */
import type * as grpc from "@grpc/grpc-js";
import * as anyproto from "google-protobuf/google/protobuf/any_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as errorproto from "@pulumi/pulumi/proto/errors_pb";
import { ConstructRequest, type ConstructResponse } from "@pulumi/pulumi/proto/provider_pb";
import * as statusproto from "@pulumi/pulumi/proto/status_pb";
import { specialOutputValueSig, specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type { FakeEngine } from "./fakeEngine";
import { providerClient } from "./plugin";

export interface ConstructCall {
  readonly type: string;
  readonly name: string;
  readonly args: Record<string, unknown>;
  /** Args sent as secrets (as `pulumi.Output.secret` in Python). */
  readonly secretArgs?: readonly string[];
  /** Args the engine does not know yet (another resource's output during a preview); a preview then. */
  readonly unknownArgs?: readonly string[];
}

export interface Constructed {
  readonly urn: string;
  /** The state's values, secrets unwrapped. */
  readonly state: Record<string, unknown>;
  /** Names of the state's outputs that are, or hold, secrets. */
  readonly secretOutputs: string[];
}

export interface ConstructFailure {
  readonly code: number;
  /** The error's message, as the engine prints it. */
  readonly message: string;
  /** The InputPropertiesError details: which property, and why. */
  readonly propertyErrors: { propertyPath: string; reason: string }[];
}

const secretWire = (value: unknown) => ({ [specialSigKey]: specialSecretSig, value });

/** A wire value → its plain value and whether any part of it is secret (secret and output-value forms). */
function unwire(value: unknown): { value: unknown; secret: boolean } {
  if (Array.isArray(value)) {
    const parts = value.map(unwire);
    return { value: parts.map((p) => p.value), secret: parts.some((p) => p.secret) };
  }
  if (value === null || typeof value !== "object") return { value, secret: false };
  const record = value as Record<string, unknown>;
  if (record[specialSigKey] === specialSecretSig) return { value: unwire(record.value).value, secret: true };
  if (record[specialSigKey] === specialOutputValueSig) {
    const inner = unwire(record.value);
    return { value: inner.value, secret: record.secret === true || inner.secret };
  }
  const entries = Object.entries(record).map(([k, v]) => [k, unwire(v)] as const);
  return { value: Object.fromEntries(entries.map(([k, p]) => [k, p.value])), secret: entries.some(([, p]) => p.secret) };
}

function request(engine: FakeEngine, call: ConstructCall): ConstructRequest {
  const secret = new Set(call.secretArgs ?? []);
  const unknown = new Set(call.unknownArgs ?? []);
  const args = Object.fromEntries(
    Object.entries(call.args).map(([key, value]) => [key, unknown.has(key) ? unknownValue : secret.has(key) ? secretWire(value) : value]),
  );
  const req = new ConstructRequest();
  req.setProject(engine.project);
  req.setStack(engine.stack);
  req.setParallel(16);
  req.setDryrun(unknown.size > 0);
  req.setMonitorendpoint(engine.address);
  req.setType(call.type);
  req.setName(call.name);
  req.setParent(engine.stackUrn);
  req.setInputs(structproto.Struct.fromJavaScript(args as Record<string, structproto.JavaScriptValue>));
  req.setAcceptsOutputValues(true);
  return req;
}

function failure(error: grpc.ServiceError): ConstructFailure {
  const propertyErrors: ConstructFailure["propertyErrors"] = [];
  for (const bytes of error.metadata?.get("grpc-status-details-bin") ?? []) {
    const status = statusproto.Status.deserializeBinary(new Uint8Array(bytes as Buffer));
    for (const detail of status.getDetailsList() as anyproto.Any[]) {
      if (detail.getTypeName() !== "pulumirpc.InputPropertiesError") continue;
      const details = errorproto.InputPropertiesError.deserializeBinary(detail.getValue_asU8());
      for (const e of details.getErrorsList()) propertyErrors.push({ propertyPath: e.getPropertyPath(), reason: e.getReason() });
    }
  }
  return { code: error.code, message: error.details, propertyErrors };
}

/** Sends one Construct to the plugin on `port`; resolves with what it built or how it failed. */
export function construct(port: number, engine: FakeEngine, call: ConstructCall): Promise<Constructed | ConstructFailure> {
  const client = providerClient(port);
  return new Promise((resolve) =>
    client.construct(request(engine, call), (error: grpc.ServiceError | null, response?: ConstructResponse) => {
      client.close();
      if (error) return resolve(failure(error));
      const state: Record<string, unknown> = {};
      const secretOutputs: string[] = [];
      for (const [key, wire] of Object.entries(response!.getState()?.toJavaScript() ?? {})) {
        const { value, secret } = unwire(wire);
        state[key] = value;
        if (secret) secretOutputs.push(key);
      }
      resolve({ urn: response!.getUrn(), state, secretOutputs });
    }),
  );
}

export function isFailure(outcome: Constructed | ConstructFailure): outcome is ConstructFailure {
  return "propertyErrors" in outcome;
}
