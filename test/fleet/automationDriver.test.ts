/**
 * The Automation API driver against a stubbed `@pulumi/pulumi/automation`: which stacks it selects and how, the
 * options each operation gets, cancellation, outputs. The real module is only used for its error classes.
 */
import { automationDriver } from "../../src/fleet/automationDriver";
import { FleetInterrupt } from "../../src/fleet/driver";
import { classifyFailure, headline } from "../../src/fleet/failure";
import { Redactor } from "../../src/text/redact";

type Fn = jest.Mock<Promise<unknown>, any[]>;
interface StubStack {
  name: string;
  up: Fn;
  preview: Fn;
  refresh: Fn;
  destroy: Fn;
  outputs: Fn;
  getAllConfig: Fn;
  cancel: Fn;
}

const mockState = { loads: 0, stacks: new Map<string, StubStack>() };

function mockStack(name: string): StubStack {
  const existing = mockState.stacks.get(name);
  if (existing) return existing;
  const stack: StubStack = {
    name,
    up: jest.fn(async () => ({
      summary: { resourceChanges: { create: 4, same: 1 } },
      outputs: { tenantId: { value: "t-1", secret: false }, clientSecret: { value: "s3cr3t-value", secret: true } },
    })),
    preview: jest.fn(async () => ({ changeSummary: { create: 4 } })),
    refresh: jest.fn(async () => ({ summary: { resourceChanges: { same: 5 } } })),
    destroy: jest.fn(async () => ({ summary: { resourceChanges: { delete: 5 } } })),
    outputs: jest.fn(async () => ({ tenantId: { value: "t-1", secret: false }, clientSecret: { value: "s3cr3t-value", secret: true } })),
    getAllConfig: jest.fn(async () => ({ "exchange-app-only:tenantId": { value: "t-1", secret: false } })),
    cancel: jest.fn(async () => undefined),
  };
  mockState.stacks.set(name, stack);
  return stack;
}

jest.mock("@pulumi/pulumi/automation", () => {
  mockState.loads += 1;
  return {
    LocalWorkspace: {
      createOrSelectStack: jest.fn(async (args: { stackName: string }) => mockStack(args.stackName)),
      selectStack: jest.fn(async (args: { stackName: string }) => mockStack(args.stackName)),
    },
  };
});

// eslint-disable-next-line @typescript-eslint/no-require-imports
const automation = () => require("@pulumi/pulumi/automation") as { LocalWorkspace: { createOrSelectStack: jest.Mock; selectStack: jest.Mock } };

const PROJECT = "/work/project";
const plain = (text: string): string => text;
const live = () => new AbortController().signal;

beforeEach(() => {
  mockState.stacks.clear();
  if (mockState.loads > 0) {
    automation().LocalWorkspace.createOrSelectStack.mockClear();
    automation().LocalWorkspace.selectStack.mockClear();
  }
});

test("the Automation API is loaded on first use, not when the driver is made", async () => {
  const driver = automationDriver({ projectDir: PROJECT });
  expect(mockState.loads).toBe(0);
  await driver.preview({ name: "contoso" }, { signal: live() });
  expect(mockState.loads).toBe(1);
});

test("up: createOrSelectStack with the stack and the project folder; signal, onOutput and config file passed; changes and plain outputs back", async () => {
  const driver = automationDriver({ projectDir: PROJECT });
  const signal = live();
  const onOutput = jest.fn();
  const result = await driver.up({ name: "fabrikam", configFile: "/cfg/Pulumi.fabrikam.yaml" }, { signal, onOutput });
  expect(automation().LocalWorkspace.createOrSelectStack).toHaveBeenCalledTimes(1);
  expect(automation().LocalWorkspace.createOrSelectStack).toHaveBeenCalledWith({ stackName: "fabrikam", workDir: PROJECT });
  const stack = mockState.stacks.get("fabrikam")!;
  expect(stack.up).toHaveBeenCalledWith({ signal: expect.any(Object), onOutput, configFile: "/cfg/Pulumi.fabrikam.yaml" });
  expect(stack.up.mock.calls[0][0].signal.aborted).toBe(false);
  expect(result).toEqual({ changes: { create: 4, same: 1 }, outputs: { tenantId: "t-1", clientSecret: "s3cr3t-value" } });
});

test("preview creates or selects too; refresh, destroy and outputs only select an existing stack; each stack is selected once", async () => {
  const driver = automationDriver({ projectDir: PROJECT });
  const signal = live();
  expect(await driver.preview({ name: "a" }, { signal })).toEqual({ changes: { create: 4 } });
  expect(await driver.refresh({ name: "b" }, { signal })).toEqual({ changes: { same: 5 } });
  expect(await driver.destroy({ name: "c" }, { signal })).toEqual({ changes: { delete: 5 } });
  expect(await driver.outputs({ name: "d" }, { signal })).toEqual({ tenantId: "t-1", clientSecret: "s3cr3t-value" });
  await driver.up({ name: "a" }, { signal });
  expect(automation().LocalWorkspace.createOrSelectStack.mock.calls).toEqual([[{ stackName: "a", workDir: PROJECT }]]);
  expect(automation().LocalWorkspace.selectStack.mock.calls).toEqual([[{ stackName: "b", workDir: PROJECT }], [{ stackName: "c", workDir: PROJECT }], [{ stackName: "d", workDir: PROJECT }]]);
  // Without a config file of its own, no configFile option (Pulumi finds Pulumi.<stack>.yaml itself).
  expect(Object.keys(mockState.stacks.get("b")!.refresh.mock.calls[0][0])).toEqual(["signal"]);
  expect(Object.keys(mockState.stacks.get("c")!.destroy.mock.calls[0][0])).toEqual(["signal"]);
});

test("selects run one at a time (they rewrite the project's workspace.json); the updates themselves overlap", async () => {
  const driver = automationDriver({ projectDir: PROJECT });
  const { createOrSelectStack } = automation().LocalWorkspace;
  let releaseFirst!: () => void;
  createOrSelectStack.mockImplementationOnce((args: { stackName: string }) => new Promise((resolve) => (releaseFirst = () => resolve(mockStack(args.stackName)))));
  let releaseUp!: () => void;
  const upA = mockStack("a");
  upA.up.mockImplementationOnce(() => new Promise((resolve) => (releaseUp = () => resolve({ summary: { resourceChanges: {} }, outputs: {} }))));
  const a = driver.up({ name: "a" }, { signal: live() });
  const b = driver.up({ name: "b" }, { signal: live() });
  await new Promise((r) => setTimeout(r, 20));
  expect(createOrSelectStack).toHaveBeenCalledTimes(1); // b waits for a's select
  releaseFirst();
  await b; // b's select and update finish while a's update still runs
  expect(createOrSelectStack).toHaveBeenCalledTimes(2);
  expect(upA.up).toHaveBeenCalledTimes(1);
  releaseUp();
  await a;
});

test("abort: the signal reaches the operation; if it has not stopped after the grace period, stack.cancel()", async () => {
  const driver = automationDriver({ projectDir: PROJECT, cancelGraceMs: 30 });
  const stack = mockStack("stuck");
  // An update that ignores SIGINT and only ends when `pulumi cancel` stops it in the backend.
  stack.up.mockImplementationOnce(
    () => new Promise((_resolve, reject) => stack.cancel.mockImplementationOnce(async () => reject(Object.assign(new Error("code: 255\n stderr: error: update canceled"), { name: "CommandError" })))),
  );
  const controller = new AbortController();
  const running = driver.up({ name: "stuck" }, { signal: controller.signal });
  await new Promise((r) => setTimeout(r, 10));
  controller.abort();
  await new Promise((r) => setTimeout(r, 5));
  expect(stack.cancel).not.toHaveBeenCalled(); // Pulumi gets its grace period first
  await expect(running).rejects.toThrow(/update canceled/);
  expect(stack.up.mock.calls[0][0].signal.aborted).toBe(true);
  expect(stack.cancel).toHaveBeenCalledTimes(1);
});

test("abort: an operation that stops on the signal is not cancelled in the backend", async () => {
  const driver = automationDriver({ projectDir: PROJECT, cancelGraceMs: 30 });
  const stack = mockStack("clean");
  stack.up.mockImplementationOnce(({ signal }: { signal: AbortSignal }) => new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(new Error("update canceled")))));
  const controller = new AbortController();
  const running = driver.up({ name: "clean" }, { signal: controller.signal });
  await new Promise((r) => setTimeout(r, 10));
  controller.abort();
  await expect(running).rejects.toThrow("update canceled");
  await new Promise((r) => setTimeout(r, 60));
  expect(stack.cancel).not.toHaveBeenCalled();
});

test("Ctrl-C at a terminal already reached pulumi: no second SIGINT (Pulumi's 'terminate now'); stack.cancel() still after the grace", async () => {
  const driver = automationDriver({ projectDir: PROJECT, cancelGraceMs: 30 });
  const stack = mockStack("tty");
  let finish!: () => void;
  stack.up.mockImplementationOnce(() => new Promise((resolve) => (finish = () => resolve({ summary: { resourceChanges: {} }, outputs: {} }))));
  stack.cancel.mockImplementationOnce(async () => finish());
  const controller = new AbortController();
  const running = driver.up({ name: "tty" }, { signal: controller.signal });
  await new Promise((r) => setTimeout(r, 10));
  controller.abort(new FleetInterrupt("SIGINT", true));
  await running;
  expect(stack.up.mock.calls[0][0].signal.aborted).toBe(false);
  expect(stack.cancel).toHaveBeenCalledTimes(1);
});

test("an interrupt that did not reach pulumi (kill -INT to this process, CI) is passed on with its reason", async () => {
  const driver = automationDriver({ projectDir: PROJECT, cancelGraceMs: 1000 });
  const stack = mockStack("ci");
  stack.up.mockImplementationOnce(({ signal }: { signal: AbortSignal }) => new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason))));
  const controller = new AbortController();
  const running = driver.up({ name: "ci" }, { signal: controller.signal });
  await new Promise((r) => setTimeout(r, 10));
  controller.abort(new FleetInterrupt("SIGINT", false));
  await expect(running).rejects.toMatchObject({ name: "FleetInterrupt", signalName: "SIGINT" });
  expect(stack.cancel).not.toHaveBeenCalled();
});

test("already aborted: nothing is selected or run", async () => {
  const driver = automationDriver({ projectDir: PROJECT });
  const controller = new AbortController();
  controller.abort();
  await expect(driver.up({ name: "x" }, { signal: controller.signal })).rejects.toThrow();
  expect(automation().LocalWorkspace.createOrSelectStack).not.toHaveBeenCalled();
});

test("a failed select is not remembered: the next operation selects again", async () => {
  const driver = automationDriver({ projectDir: PROJECT });
  automation().LocalWorkspace.selectStack.mockImplementationOnce(async () => {
    throw Object.assign(new Error("no stack named 'x' found"), { name: "StackNotFoundError" });
  });
  await expect(driver.refresh({ name: "x" }, { signal: live() })).rejects.toMatchObject({ name: "StackNotFoundError" });
  await expect(driver.refresh({ name: "x" }, { signal: live() })).resolves.toEqual({ changes: { same: 5 } });
});

describe("the stack's secrets, reported to the runner before anything is printed", () => {
  const TENANT = "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7";

  test("before the operation: secret config (nested ones too) and current secret outputs; after up: the new outputs' secrets", async () => {
    const stack = mockStack("contoso");
    stack.getAllConfig.mockResolvedValueOnce({
      "azuread:clientSecret": { value: "deployer-secret-value", secret: true },
      "azuread:clientCertificatePassword": { value: "plain-text-but-a-password", secret: false },
      "exchange-app-only:tenantId": { value: TENANT, secret: false },
      "exchange-app-only:tenants": { value: JSON.stringify([{ tenantId: TENANT, azuread: { clientSecret: "customer-secret-value" } }]), secret: true },
    });
    stack.outputs.mockResolvedValueOnce({ tenantId: { value: TENANT, secret: false }, clientSecret: { value: "old-client-secret", secret: true } });
    const order: string[] = [];
    stack.up.mockImplementationOnce(async (o: { onOutput: (t: string) => void }) => {
      order.push("up");
      o.onOutput("Updating (contoso)\n");
      return { summary: { resourceChanges: {} }, outputs: { tenantId: { value: TENANT, secret: false }, clientSecret: { value: "new-client-secret", secret: true } } };
    });
    const reported: string[][] = [];
    await automationDriver({ projectDir: PROJECT }).up({ name: "contoso" }, { signal: live(), onOutput: () => order.push("output"), onSecrets: (v) => (order.push("secrets"), reported.push([...v])) });
    expect(order).toEqual(["secrets", "up", "output", "secrets"]);
    expect(reported[0]!.sort()).toEqual(["customer-secret-value", "deployer-secret-value", "old-client-secret", "plain-text-but-a-password"]);
    expect(reported[1]).toEqual(["new-client-secret"]);
    // Ids are never on the list: redacting them would leave failures nobody can read.
    expect(reported.flat()).not.toContain(TENANT);
  });

  test("a many-tenant stack's secret tenants output: its credentials, not its ids, domains or hosts", async () => {
    const stack = mockStack("fleet");
    const tenant = (secret: string) => ({ tenantId: TENANT, organization: "contoso.onmicrosoft.com", environment: "public", authorityHost: "https://login.microsoftonline.com", clientSecret: secret, certificatePrivateKeyPem: `${secret}-pem`, connectExchangeOnline: { certificateThumbprint: "Connect-ExchangeOnline -CertificateThumbprint ABC" } });
    stack.outputs.mockResolvedValueOnce({ tenants: { value: { a: tenant("secret-of-a"), b: tenant("secret-of-b") }, secret: true } });
    const reported: string[] = [];
    const values = await automationDriver({ projectDir: PROJECT }).outputs({ name: "fleet" }, { signal: live(), onSecrets: (v) => reported.push(...v) });
    expect(reported.sort()).toEqual(["secret-of-a", "secret-of-a-pem", "secret-of-b", "secret-of-b-pem"]);
    expect((values.tenants as Record<string, { clientSecret: string }>).a.clientSecret).toBe("secret-of-a");
  });

  test("a config or outputs read that fails never stops the operation", async () => {
    const stack = mockStack("fresh");
    stack.getAllConfig.mockRejectedValueOnce(new Error("no Pulumi.fresh.yaml"));
    stack.outputs.mockRejectedValueOnce(new Error("no deployment yet"));
    const onSecrets = jest.fn();
    expect(await automationDriver({ projectDir: PROJECT }).preview({ name: "fresh" }, { signal: live(), onSecrets })).toEqual({ changes: { create: 4 } });
    expect(onSecrets).toHaveBeenCalledWith([]);
  });

  test("without onSecrets nothing extra is read", async () => {
    await automationDriver({ projectDir: PROJECT }).refresh({ name: "quiet" }, { signal: live() });
    expect(mockStack("quiet").getAllConfig).not.toHaveBeenCalled();
    expect(mockStack("quiet").outputs).not.toHaveBeenCalled();
  });
});

describe("the Automation API's own errors, classified by the runner", () => {
  // The real classes and the real classifier of pulumi's stderr.
  const errors = jest.requireActual("@pulumi/pulumi/automation/errors") as { createCommandError(result: unknown): Error };
  const { CommandResult } = jest.requireActual("@pulumi/pulumi/automation/cmd") as { CommandResult: new (stdout: string, stderr: string, code: number) => unknown };

  test.each([
    ["Pulumi Cloud's 409", "error: [409] Conflict: Another update is currently in progress.\n"],
    ["a self-managed backend's lock", "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n"],
  ])("%s is a locked stack", (_label, stderr) => {
    const error = errors.createCommandError(new CommandResult("", stderr, 255));
    expect(error.name).toBe("ConcurrentUpdateError");
    expect(classifyFailure(error, "contoso", "up", false, plain)).toMatchObject({ status: "locked", error: { code: "ERR_STACK_LOCKED", message: "stack contoso is locked by another update" } });
  });

  test("a missing stack and a plain failure", () => {
    const missing = errors.createCommandError(new CommandResult("", "error: no stack named 'contoso' found\n", 255));
    expect(classifyFailure(missing, "contoso", "refresh", false, plain)).toMatchObject({ status: "failed", error: { code: "ERR_STACK_NOT_FOUND" } });
    const failed = errors.createCommandError(new CommandResult("Updating (contoso)\n  error: update failed\n", "error: Program failed with an unhandled exception:\nerror: invalid stack config\n", 255));
    expect(classifyFailure(failed, "contoso", "up", false, plain).error.message).toBe("up of stack contoso failed: error: Program failed with an unhandled exception: error: invalid stack config");
  });

  test("Pulumi's text is redacted whole before its headline is taken: a known value, and a key spanning lines", () => {
    const redactor = new Redactor();
    redactor.add("cfg-secret-from-the-stack");
    const stderr = "error: Program failed with an unhandled exception:\nerror: tenant entry 0: azuread.clientSecret \"cfg-secret-from-the-stack\" is invalid; key -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";
    const failed = errors.createCommandError(new CommandResult("Updating (contoso)\n", stderr, 255));
    const { error } = classifyFailure(failed, "contoso", "up", false, (t) => redactor.redact(t));
    expect(error.message).toBe('up of stack contoso failed: error: Program failed with an unhandled exception: error: tenant entry 0: azuread.clientSecret "[redacted]" is invalid; key [redacted private key]');
    expect(JSON.stringify(error)).not.toMatch(/cfg-secret|MIIEvQ/);
  });
});

test("headline: without an error: line, the first thing on stderr; never the exit code line", () => {
  expect(headline("code: 255\n stdout: \n stderr: pulumi: command not found\n err?: \n")).toBe("pulumi: command not found");
  expect(headline("plain words")).toBe("plain words");
  expect(headline("x".repeat(400))).toHaveLength(301);
});
