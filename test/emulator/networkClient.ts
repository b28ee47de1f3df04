/**
 * An msal-node `INetworkModule` that trusts the emulator's throwaway CA. msal-node 7 uses the global `fetch`, whose
 * trust store is fixed when the process starts (NODE_EXTRA_CA_CERTS), so a test that starts the emulator in-process
 * passes this as `system.networkClient`. Child processes set NODE_EXTRA_CA_CERTS = emulator.caFile instead.
 */
import https from "node:https";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";

export function emulatorNetworkClient(caPem: string): INetworkModule {
  const agent = new https.Agent({ ca: caPem, keepAlive: false });
  const send = <T>(method: "GET" | "POST", url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> =>
    new Promise((resolve, reject) => {
      const body = method === "POST" ? (options?.body ?? "") : undefined;
      const req = https.request(
        url,
        {
          method,
          agent,
          headers: { ...(options?.headers ?? {}), ...(body !== undefined ? { "content-length": String(Buffer.byteLength(body)) } : {}) },
          ...(timeout ? { timeout } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: unknown;
            try {
              parsed = JSON.parse(text);
            } catch (e) {
              reject(new Error(`Failed to parse response: ${(e as Error).message}`));
              return;
            }
            resolve({ headers, body: parsed as T, status: res.statusCode ?? 0 });
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error("Request timeout")));
      req.on("error", (e) => reject(new Error(`Network request failed: ${e.message}`)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) => send<T>("GET", url, options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>("POST", url, options),
  };
}
