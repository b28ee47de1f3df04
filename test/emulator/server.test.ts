import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import { X509Certificate } from "node:crypto";
import { promisify } from "node:util";
import { startEmulator, type TenantEmulator } from "./index";
import { createIdentity, invoke, request, secretToken } from "./scenario";

const run = promisify(execFile);

function connect(host: string, port: number): Promise<"connected" | string> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.setTimeout(1000, () => {
      s.destroy();
      resolve("timeout");
    });
    s.once("connect", () => {
      s.destroy();
      resolve("connected");
    });
    s.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "error"));
  });
}

describe("the server", () => {
  let emu: TenantEmulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(async () => {
    await emu.close();
  });

  test("listens on 127.0.0.1 only: no other interface answers on its port", async () => {
    const { hostname, port } = new URL(emu.url);
    expect(hostname).toBe("127.0.0.1");
    expect(emu.host).toBe(`127.0.0.1:${port}`);
    expect(await connect("127.0.0.1", Number(port))).toBe("connected");
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((a): a is os.NetworkInterfaceInfo => !!a && a.address !== "127.0.0.1")
      .map((a) => a.address);
    for (const address of ["::1", ...others]) {
      expect([address, await connect(address, Number(port))]).not.toEqual([address, "connected"]);
    }
  });

  test("its certificate is signed by the throwaway CA and names 127.0.0.1 and localhost", async () => {
    const ca = new X509Certificate(emu.caPem);
    expect(ca.ca).toBe(true);
    const tls = await import("node:tls");
    const peer = await new Promise<X509Certificate>((resolve, reject) => {
      const s = tls.connect({ host: "127.0.0.1", port: Number(new URL(emu.url).port), ca: emu.caPem }, () => {
        const raw = s.getPeerX509Certificate();
        s.destroy();
        if (raw) resolve(raw);
        else reject(new Error("no peer certificate"));
      });
      s.once("error", reject);
    });
    expect(peer.verify(ca.publicKey)).toBe(true);
    expect(peer.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(peer.checkHost("localhost")).toBe("localhost");
  });

  test("a client that does not trust the CA is refused the TLS handshake", async () => {
    const https = await import("node:https");
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
      https.get(`${emu.url}/common/discovery/instance`, { agent: false }, () => resolve(new Error("connected") as NodeJS.ErrnoException)).on("error", (e) => resolve(e));
    });
    expect(err.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
  });

  test("the request log has kind, status and tenant, and never a body, secret or token", async () => {
    emu.clearRequests();
    const id = createIdentity(emu);
    const res = await secretToken(emu, id);
    const token = res.json<{ access_token: string }>().access_token;
    await invoke(emu, id.tenantId, token);
    await request(emu, "GET", `/${id.tenantId}/v2.0/.well-known/openid-configuration`);
    await request(emu, "GET", `/${id.tenantId}/discovery/v2.0/keys`);
    await request(emu, "GET", `/nothing/here`);
    expect(emu.requests.map((r) => [r.method, r.kind, r.status, r.tenantId])).toEqual([
      ["POST", "token", 200, id.tenantId],
      ["POST", "invoke", 200, id.tenantId],
      ["GET", "metadata", 200, id.tenantId],
      ["GET", "jwks", 200, id.tenantId],
      ["GET", "other", 404, undefined],
    ]);
    const log = JSON.stringify(emu.requests);
    expect(log).not.toContain(id.clientSecret!);
    expect(log).not.toContain(token);
    for (const r of emu.requests) expect(r.doneAt).toBeGreaterThanOrEqual(r.at);
  });

  test("a child process trusts the CA through NODE_EXTRA_CA_CERTS and msal-node's default network client works", async () => {
    const id = createIdentity(emu);
    const script = `
      const { ConfidentialClientApplication } = require(${JSON.stringify(require.resolve("@azure/msal-node"))});
      new ConfidentialClientApplication({ auth: { clientId: process.env.CID, authority: process.env.AUTHORITY, knownAuthorities: [process.env.KNOWN], clientSecret: process.env.SECRET } })
        .acquireTokenByClientCredential({ scopes: ["https://outlook.office365.com/.default"] })
        .then((r) => console.log(r && r.accessToken ? "token" : "none"), (e) => console.log("error " + e.errorCode));`;
    const env: NodeJS.ProcessEnv = { ...process.env, CID: id.clientId, AUTHORITY: emu.authority(id.tenantId), KNOWN: emu.host, SECRET: id.clientSecret! };
    const trusted = await run(process.execPath, ["-e", script], { env: { ...env, NODE_EXTRA_CA_CERTS: emu.caFile } });
    expect(trusted.stdout.trim()).toBe("token");
    // Without it msal cannot even fetch the metadata: the symptom is endpoints_resolution_error.
    const untrustedEnv = { ...env };
    delete untrustedEnv.NODE_EXTRA_CA_CERTS;
    const untrusted = await run(process.execPath, ["-e", script], { env: untrustedEnv });
    expect(untrusted.stdout.trim()).toBe("error endpoints_resolution_error");
  });
});

test("close() frees the port, removes the CA file and is idempotent", async () => {
  const emu = await startEmulator();
  const port = Number(new URL(emu.url).port);
  // An idle keep-alive connection must not hold close() up.
  const idle = net.connect({ host: "127.0.0.1", port });
  await new Promise((r) => idle.once("connect", r));
  expect(existsSync(emu.caFile)).toBe(true);
  await emu.close();
  await emu.close();
  expect(existsSync(emu.caFile)).toBe(false);
  expect(await connect("127.0.0.1", port)).toBe("ECONNREFUSED");
  const again = net.createServer();
  await new Promise<void>((resolve, reject) => {
    again.once("error", reject);
    again.listen(port, "127.0.0.1", () => resolve());
  });
  await new Promise((r) => again.close(r));
  idle.destroy();
});

test("two emulators run side by side with separate CAs, keys and directories", async () => {
  const [a, b] = await Promise.all([startEmulator(), startEmulator()]);
  try {
    expect(a.url).not.toBe(b.url);
    expect(a.caPem).not.toBe(b.caPem);
    const id = createIdentity(a);
    expect(b.directory.getTenant(id.tenantId)).toBeUndefined();
    const token = (await secretToken(a, id)).json<{ access_token: string }>().access_token;
    const idB = createIdentity(b, {});
    // a's token is not signed by b's key.
    expect((await invoke(b, idB.tenantId, token)).status).toBe(401);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});
