/**
 * The pack as the Pulumi CLI runs it, without the CLI: `pulumi-analyzer-policy` resolves
 * @pulumi/pulumi/cmd/run-policy-pack from the pack's folder (Node looks upward, so the repository's node_modules
 * serves) and starts it there with the engine's address and `.`; the CLI passes the stack in PULUMI_NODEJS_STACK.
 * The pack compiles itself (ts-node, type-checked), prints its gRPC port, and answers the analyzer calls.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { EXCHANGE_ADMINISTRATOR, EXO, GLOBAL_ADMINISTRATOR, MANAGE_AS_APP, TYPES, UNKNOWN_STRING, urnOf } from "./harness";

const POLICY_DIR = join(__dirname, "..", "..", "policy");
const rpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");

interface Diagnostic {
  policy: string;
  level: number;
  urn: string;
  message: string;
}
const MANDATORY = 1;
const ADVISORY = 0;

let pack: ChildProcess;
let client: grpc.Client & Record<string, (req: unknown, cb: (err: Error | null, res: any) => void) => void>;

beforeAll(async () => {
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [POLICY_DIR] });
  pack = spawn(process.execPath, [runner, "127.0.0.1:1", "."], {
    cwd: POLICY_DIR,
    env: { ...process.env, PULUMI_NODEJS_STACK: "contoso-prod", PULUMI_NODEJS_PROJECT: "exchange-app-only", PULUMI_NODEJS_DRY_RUN: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  pack.stderr!.on("data", (chunk) => (stderr += chunk));
  const port = await new Promise<string>((resolve, reject) => {
    pack.stdout!.once("data", (chunk) => resolve(String(chunk).trim()));
    pack.once("exit", (code) => reject(new Error(`the pack exited ${code} before serving:\n${stderr}`)));
  });
  client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}, 60_000);

afterAll(() => {
  client?.close();
  pack?.kill();
});

function call<T>(method: string, request: unknown): Promise<T> {
  return new Promise((resolve, reject) => client[method]!(request, (err, res) => (err ? reject(err) : resolve(res))));
}

function diagnostics(response: { getDiagnosticsList(): any[] }): Diagnostic[] {
  return response.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), level: d.getEnforcementlevel(), urn: d.getUrn(), message: d.getMessage() }));
}

function analyzeRequest(type: string, name: string, props: Record<string, unknown>) {
  const request = new pb.AnalyzeRequest();
  request.setType(type);
  request.setName(name);
  request.setUrn(urnOf(type, name));
  request.setProperties(Struct.fromJavaScript(props));
  request.setOptions(new pb.AnalyzerResourceOptions());
  return request;
}

function stackResource(type: string, name: string, props: Record<string, unknown>, dependencies: Record<string, string[]> = {}) {
  const resource = new pb.AnalyzerResource();
  resource.setType(type);
  resource.setName(name);
  resource.setUrn(urnOf(type, name));
  resource.setProperties(Struct.fromJavaScript(props));
  resource.setOptions(new pb.AnalyzerResourceOptions());
  for (const [key, urns] of Object.entries(dependencies)) {
    resource.getPropertydependenciesMap().set(key, new pb.AnalyzerPropertyDependencies().setUrnsList(urns));
  }
  return resource;
}

describe("the policy pack, started as the Pulumi CLI starts it", () => {
  it("describes itself: name, version from package.json, the eight policies with their levels", async () => {
    const info = await call<any>("getAnalyzerInfo", new Empty());
    expect(info.getName()).toBe("exchange-app-only");
    expect(info.getVersion()).toBe("0.1.0");
    const policies = info.getPoliciesList().map((p: any) => [p.getName(), p.getEnforcementlevel()]);
    expect(policies).toEqual([
      ["exchange-role-accepted", MANDATORY],
      ["no-global-administrator", MANDATORY],
      ["no-first-party-principal", MANDATORY],
      ["exchange-permission-granted", MANDATORY],
      ["client-secret-lifetime", ADVISORY],
      ["no-client-secret-in-production", ADVISORY],
      ["verify-on-up", ADVISORY],
      ["exchange-roles-would-do", ADVISORY],
    ]);
  });

  it("Analyze: Global Administrator is mandatory, even while the principal's id is unknown (preview)", async () => {
    const response = await call<any>("analyze", analyzeRequest(TYPES.directoryRoleAssignment, "exo-exchange-role", { roleId: GLOBAL_ADMINISTRATOR, principalObjectId: UNKNOWN_STRING }));
    expect(diagnostics(response)).toEqual([expect.objectContaining({ policy: "no-global-administrator", level: MANDATORY, message: expect.stringContaining('DirectoryRoleAssignment "exo-exchange-role"') })]);
  });

  it("Analyze: a client secret in the stack the CLI named (contoso-prod) is advisory", async () => {
    const response = await call<any>("analyze", analyzeRequest(TYPES.password, "exo-secret-a", { applicationId: "/applications/x", endDate: UNKNOWN_STRING }));
    expect(diagnostics(response)).toEqual([expect.objectContaining({ policy: "no-client-secret-in-production", level: ADVISORY, message: expect.stringContaining('stack "contoso-prod"') })]);
  });

  it("AnalyzeStack: the consent goes to another principal (property dependencies say so): mandatory, on the app", async () => {
    const app = stackResource(TYPES.application, "app", { requiredResourceAccesses: [{ resourceAppId: EXO, resourceAccesses: [{ id: MANAGE_AS_APP, type: "Role" }] }] });
    const sp = stackResource(TYPES.servicePrincipal, "sp", { clientId: UNKNOWN_STRING }, { clientId: [urnOf(TYPES.application, "app")] });
    const other = stackResource(TYPES.servicePrincipal, "other", { clientId: "11111111-2222-4333-8444-555555555555" });
    const consent = stackResource(TYPES.appRoleAssignment, "consent", { appRoleId: MANAGE_AS_APP, principalObjectId: "x" }, { principalObjectId: [urnOf(TYPES.servicePrincipal, "other")] });
    const role = stackResource(TYPES.directoryRoleAssignment, "role", { roleId: EXCHANGE_ADMINISTRATOR, principalObjectId: UNKNOWN_STRING }, { principalObjectId: [urnOf(TYPES.servicePrincipal, "sp")] });
    const request = new pb.AnalyzeStackRequest();
    request.setResourcesList([app, sp, other, consent, role]);
    const found = diagnostics(await call<any>("analyzeStack", request));
    expect(found).toEqual([expect.objectContaining({ policy: "exchange-permission-granted", level: MANDATORY, urn: urnOf(TYPES.application, "app"), message: expect.stringContaining("no admin consent") })]);
  });
});
