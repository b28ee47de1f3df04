/**
 * The SDK's dynamic provider host (`@pulumi/pulumi/cmd/dynamic-provider`) driven as the engine drives it: a runner's
 * checkout (the built project copied to its own folder, node_modules linked as `npm ci` would lay it), the provider
 * text the program sends (serialized by that runner's build, in a process of its own), the host started with
 * `node <host> <engine address>` in the project's folder, and the engine's gRPC calls.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";

export const ROOT = resolve(__dirname, "..", "..");

export type Props = Record<string, unknown>;

export function checkout(label: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), `exo-runner-${label}-`)), "project");
  cpSync(join(ROOT, "dist"), join(dir, "dist"), { recursive: true });
  cpSync(join(ROOT, "package.json"), join(dir, "package.json"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/**
 * The `__provider` text of the resource `construct` (JavaScript run in the checkout, `pulumi` in scope) registers,
 * serialized under mocks in a process of its own, as `pulumi up` would on that runner.
 */
export function serializedProvider(project: string, construct: string): string {
  const script = join(project, "serialize.js");
  writeFileSync(
    script,
    `const pulumi = require("@pulumi/pulumi");
pulumi.runtime.setMocks({
  newResource: (a) => { if (a.inputs.__provider) process.stdout.write(JSON.stringify(a.inputs.__provider)); return { id: "x", state: a.inputs }; },
  call: (a) => a.inputs,
}, "exchange-app-only", "dev", false);
${construct}
`,
  );
  const run = spawnSync(process.execPath, [script], { cwd: project, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`serializing on ${project} failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string;
}

const struct = (props: Props) => Struct.fromJavaScript(props as never);

/** The host of one runner, and the engine's calls for the resource `urn`. */
export class Host {
  private constructor(
    readonly process: ChildProcess,
    private readonly client: provrpc.ResourceProviderClient,
    private readonly stderr: () => string,
  ) {}

  /** Starts the host the way the engine's launcher does: `node <host> <engine address>` in the project's folder. */
  static async start(project: string, env: NodeJS.ProcessEnv = process.env): Promise<Host> {
    const host = join(project, "node_modules", "@pulumi", "pulumi", "cmd", "dynamic-provider", "index.js");
    const child = spawn(process.execPath, [host, "127.0.0.1:1"], { cwd: project, stdio: ["ignore", "pipe", "pipe"], env });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const port = await new Promise<string>((resolvePort, reject) => {
      child.stdout!.once("data", (d: Buffer) => resolvePort(d.toString().trim()));
      child.once("exit", (code) => reject(new Error(`the provider host exited (${code}): ${stderr}`)));
    });
    return new Host(child, new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()), () => stderr);
  }

  /** What the host wrote to stderr (the engine keeps it in its log). */
  get log(): string {
    return this.stderr();
  }

  async stop(): Promise<void> {
    this.client.close();
    this.process.kill();
    await new Promise((r) => this.process.once("exit", r));
  }

  private call<Req, Res>(method: string, request: Req): Promise<Res> {
    return new Promise((res, rej) => {
      (this.client as unknown as Record<string, (r: unknown, cb: (e: Error | null, v: unknown) => void) => void>)[method]!.call(this.client, request, (error, value) => (error ? rej(error) : res(value as never)));
    });
  }

  async configure(): Promise<provproto.ConfigureResponse> {
    const request = new provproto.ConfigureRequest();
    request.setArgs(struct({}));
    return this.call("configure", request);
  }

  async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
    const request = new provproto.CheckRequest();
    request.setUrn(urn);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const response = await this.call<provproto.CheckRequest, provproto.CheckResponse>("check", request);
    return { inputs: response.getInputs()!.toJavaScript() as Props, failures: response.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
  }

  async diff(urn: string, id: string, olds: Props, news: Props): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
    const request = new provproto.DiffRequest();
    request.setId(id);
    request.setUrn(urn);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const response = await this.call<provproto.DiffRequest, provproto.DiffResponse>("diff", request);
    return { changes: response.getChanges() === provproto.DiffResponse.DiffChanges.DIFF_SOME, replaces: response.getReplacesList(), deleteBeforeReplace: response.getDeletebeforereplace() };
  }

  async create(urn: string, props: Props): Promise<{ id: string; state: Props }> {
    const request = new provproto.CreateRequest();
    request.setUrn(urn);
    request.setProperties(struct(props));
    const response = await this.call<provproto.CreateRequest, provproto.CreateResponse>("create", request);
    return { id: response.getId(), state: response.getProperties()!.toJavaScript() as Props };
  }

  async update(urn: string, id: string, olds: Props, news: Props): Promise<Props> {
    const request = new provproto.UpdateRequest();
    request.setId(id);
    request.setUrn(urn);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const response = await this.call<provproto.UpdateRequest, provproto.UpdateResponse>("update", request);
    return response.getProperties()!.toJavaScript() as Props;
  }

  /** Read as refresh sends it (prior state and inputs), or as an import does (`state` empty: inputs only). */
  async read(urn: string, id: string, state: Props, inputs: Props): Promise<{ id: string; state: Props }> {
    const request = new provproto.ReadRequest();
    request.setId(id);
    request.setUrn(urn);
    request.setProperties(struct(state));
    request.setInputs(struct(inputs));
    const response = await this.call<provproto.ReadRequest, provproto.ReadResponse>("read", request);
    return { id: response.getId(), state: response.getProperties()!.toJavaScript() as Props };
  }

  async remove(urn: string, id: string, state: Props): Promise<void> {
    const request = new provproto.DeleteRequest();
    request.setId(id);
    request.setUrn(urn);
    request.setProperties(struct(state));
    await this.call("delete", request);
  }
}
