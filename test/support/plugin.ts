/**
 * The provider plugin started as the engine starts it: `node <sdk>/cmd/run-plugin <plugin folder> <engine address>`,
 * from a folder that holds provider/'s files and its own install of the packed package, the working directory
 * elsewhere. It prints its port first; tests talk to it over gRPC with the SDK's clients.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { GetSchemaRequest } from "@pulumi/pulumi/proto/provider_pb";

/** The engine's launcher: the SDK's run-plugin from the plugin folder's own install. */
export function runPlugin(folder: string): string {
  return join(folder, "node_modules", "@pulumi", "pulumi", "cmd", "run-plugin");
}

export interface StartedPlugin {
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything it printed so far, stdout then stderr (the engine shows both to the user). */
  readonly output: () => string;
}

/** Starts the plugin in `cwd` and resolves its port (the first line it prints); the caller kills the process. */
export function startPlugin(folder: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<StartedPlugin> {
  const child = spawn(process.execPath, [runPlugin(folder), folder, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const port = /^(\d+)\s*$/m.exec(out);
      if (port) resolve({ port: Number(port[1]), child, output: () => `${out}${err}` });
    });
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`plugin exited ${code} before printing its port:\n${out}\n${err}`)));
  });
}

/** A client of the plugin's ResourceProvider service; close it when done. */
export function providerClient(port: number): ResourceProviderClient {
  return new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

export function getSchema(port: number): Promise<string> {
  const client = providerClient(port);
  return new Promise((resolve, reject) =>
    client.getSchema(new GetSchemaRequest(), (error, response) => {
      client.close();
      if (error) reject(error);
      else resolve(response!.getSchema());
    }),
  );
}
