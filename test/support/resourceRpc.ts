/**
 * The engine's side of a custom resource's lifecycle, over gRPC: Configure, Check, Diff, Create, Read, Update and
 * Delete requests built with the SDK's own protobuf classes, property values as google.protobuf Structs (secrets in
 * the engine's signature form, since the plugin accepts secrets), answers turned back into plain values. A failed
 * call rejects with the gRPC error (`details` is the text the engine prints).
 */
import type * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import type { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { CheckRequest, ConfigureRequest, CreateRequest, DeleteRequest, DiffRequest, DiffResponse, ReadRequest, UpdateRequest, type CheckResponse, type ConfigureResponse, type CreateResponse, type ReadResponse, type UpdateResponse } from "@pulumi/pulumi/proto/provider_pb";

export type Props = Record<string, unknown>;

/** The engine's secret marker (the SDK's), as it sends a secret to a plugin that accepts secrets. */
export const SECRET_SIG = specialSigKey;
export const secret = (value: unknown): Props => ({ [SECRET_SIG]: specialSecretSig, value });

const struct = (value: Props | undefined) => Struct.fromJavaScript((value ?? {}) as never);
const plain = (value: Struct | undefined): Props => (value?.toJavaScript() ?? {}) as Props;

/** A type token's URN in a stack, as the engine names a resource. */
export function urnOf(type: string, name: string): string {
  return `urn:pulumi:dev::exchange-app-only::${type}::${name}`;
}

const typeOf = (urn: string) => urn.split("::")[2]!;
const nameOf = (urn: string) => urn.split("::")[3]!;

/** What the plugin answered one call with: the plain answer, or the gRPC error's code and text. */
export interface Seen {
  readonly method: string;
  readonly answer?: unknown;
  readonly error?: { readonly code: number; readonly details: string };
}

/** One unary call, promised; a failure also goes to `seen` (what the engine would see). */
function call<Res>(name: string, send: (cb: (error: grpc.ServiceError | null, res?: Res) => void) => unknown, seen: Seen[]): Promise<Res> {
  return new Promise((resolve, reject) =>
    send((error, res) => {
      if (error) {
        seen.push({ method: name, error: { code: error.code, details: error.details } });
        reject(error);
      } else resolve(res!);
    }),
  );
}

export interface DiffAnswer {
  readonly changes: "none" | "some" | "unknown";
  readonly replaces: string[];
  readonly deleteBeforeReplace: boolean;
}

/** The CRUD calls of one plugin, as the engine makes them. */
export class ResourceRpc {
  /** Every answer and error the plugin gave (for "the secret never comes out" assertions). */
  readonly seen: Seen[] = [];

  constructor(private readonly client: ResourceProviderClient) {}

  /** The engine's first call: it offers secrets, resources and outputs. */
  async configure(): Promise<{ acceptSecrets: boolean }> {
    const req = new ConfigureRequest().setArgs(struct({})).setAcceptsecrets(true).setAcceptresources(true).setSendsOldInputs(true).setSendsOldInputsToDelete(true);
    const res = await call<ConfigureResponse>("configure", (cb) => this.client.configure(req, cb), this.seen);
    return this.saw("configure", { acceptSecrets: res.getAcceptsecrets() });
  }

  async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const req = new CheckRequest().setUrn(urn).setName(nameOf(urn)).setType(typeOf(urn)).setOlds(struct(olds)).setNews(struct(news));
    const res = await call<CheckResponse>("check", (cb) => this.client.check(req, cb), this.seen);
    return this.saw("check", { inputs: plain(res.getInputs()), failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) });
  }

  async diff(id: string, urn: string, olds: Props, news: Props, oldInputs: Props = {}): Promise<DiffAnswer> {
    const req = new DiffRequest().setId(id).setUrn(urn).setName(nameOf(urn)).setType(typeOf(urn)).setOlds(struct(olds)).setNews(struct(news)).setOldInputs(struct(oldInputs));
    const res = await call<DiffResponse>("diff", (cb) => this.client.diff(req, cb), this.seen);
    const changes: Record<number, DiffAnswer["changes"]> = { [DiffResponse.DiffChanges.DIFF_NONE]: "none", [DiffResponse.DiffChanges.DIFF_SOME]: "some", [DiffResponse.DiffChanges.DIFF_UNKNOWN]: "unknown" };
    return this.saw("diff", { changes: changes[res.getChanges()]!, replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace() });
  }

  async create(urn: string, properties: Props): Promise<{ id: string; outs: Props }> {
    const req = new CreateRequest().setUrn(urn).setName(nameOf(urn)).setType(typeOf(urn)).setProperties(struct(properties)).setTimeout(300);
    const res = await call<CreateResponse>("create", (cb) => this.client.create(req, cb), this.seen);
    return this.saw("create", { id: res.getId(), outs: plain(res.getProperties()) });
  }

  /** Refresh (state and inputs given) or import (the id alone): the id (empty when gone), the state, the inputs if any. */
  async read(id: string, urn: string, properties: Props = {}, inputs: Props = {}): Promise<{ id: string; props: Props; inputs?: Props }> {
    const req = new ReadRequest().setId(id).setUrn(urn).setName(nameOf(urn)).setType(typeOf(urn)).setProperties(struct(properties)).setInputs(struct(inputs));
    const res = await call<ReadResponse>("read", (cb) => this.client.read(req, cb), this.seen);
    return this.saw("read", { id: res.getId(), props: plain(res.getProperties()), ...(res.hasInputs() ? { inputs: plain(res.getInputs()) } : {}) });
  }

  async update(id: string, urn: string, olds: Props, news: Props, oldInputs: Props = {}): Promise<{ outs: Props }> {
    const req = new UpdateRequest().setId(id).setUrn(urn).setName(nameOf(urn)).setType(typeOf(urn)).setOlds(struct(olds)).setNews(struct(news)).setOldInputs(struct(oldInputs)).setTimeout(300);
    const res = await call<UpdateResponse>("update", (cb) => this.client.update(req, cb), this.seen);
    return this.saw("update", { outs: plain(res.getProperties()) });
  }

  async delete(id: string, urn: string, properties: Props, oldInputs: Props = {}): Promise<void> {
    const req = new DeleteRequest().setId(id).setUrn(urn).setName(nameOf(urn)).setType(typeOf(urn)).setProperties(struct(properties)).setOldInputs(struct(oldInputs)).setTimeout(300);
    await call<Empty>("delete", (cb) => this.client.delete(req, cb), this.seen);
    this.saw("delete", {});
  }

  private saw<T>(method: string, answer: T): T {
    this.seen.push({ method, answer });
    return answer;
  }
}
