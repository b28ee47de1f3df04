/**
 * The one place the check talks HTTPS: msal-node's network client and the Exchange probe both go through it, so
 * every request is counted, bounded by the deadline, and its status and Retry-After are seen by the retry loop.
 */
import * as http from "node:http";
import * as https from "node:https";
import { createSecureContext, rootCertificates, type SecureContext } from "node:tls";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";

export type RequestKind = "metadata" | "token" | "exchange" | "other";

/** An HTTP answer as the callers read it: src/exchange's client takes this shape from any sender (ExchangeTransport). */
export interface HttpAnswer {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyText: string;
}

/** One request as the log keeps it: no headers, no bodies (they may hold secrets). */
export interface LoggedRequest {
  readonly kind: RequestKind;
  readonly at: number;
  readonly status?: number;
  readonly error?: string;
}

/** A failure below HTTP: reset, refused, timeout, DNS, TLS. */
export class TransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly url: string,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

export interface TransportOptions {
  /** Extra trusted CA certificates (PEM), added to Node's own. Tests pass the emulator's CA here. */
  readonly ca?: string;
  /** No request may run past this moment (ms since the epoch). */
  readonly deadline: number;
  /** Upper bound of one request. */
  readonly requestTimeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly now?: () => number;
  /**
   * Managed identity endpoints are plain http on the machine itself (App Service, Container Apps, Cloud Shell,
   * Arc: loopback; IMDS: 169.254.169.254). True allows http to exactly those hosts; everything else stays https.
   */
  readonly allowLocalIdentityHttp?: boolean;
}

const LOCAL_IDENTITY_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "169.254.169.254"]);

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Secure contexts by extra-CA PEM. Building one parses Node's ~140 root certificates (milliseconds of CPU each
 * time), which fifty concurrent runs would otherwise repeat per connection. Immutable and keyed by content, so
 * sharing it between runs shares no state.
 */
const secureContexts = new Map<string, SecureContext>();
function secureContextFor(ca: string): SecureContext {
  let context = secureContexts.get(ca);
  if (!context) {
    context = createSecureContext({ ca: [...rootCertificates, ca] });
    secureContexts.set(ca, context);
  }
  return context;
}

export function requestKind(url: string): RequestKind {
  if (/\/\.well-known\/openid-configuration|\/discovery\/instance/.test(url)) return "metadata";
  if (/\/oauth2\/(v2\.0\/)?token/.test(url)) return "token";
  if (/\/adminapi\//.test(url)) return "exchange";
  return "other";
}

/** Sends HTTPS requests within a deadline and logs them. One instance per check run; not shared between runs. */
export class HttpTransport {
  readonly log: LoggedRequest[] = [];
  /** The last HTTP answer and transport error seen, by kind: the retry loop reads them after msal throws. */
  readonly last: Partial<Record<RequestKind, { answer?: HttpAnswer; error?: TransportError; at: number }>> = {};
  private readonly agent: https.Agent;
  private readonly now: () => number;

  constructor(private readonly options: TransportOptions) {
    // No keep-alive: a fresh connection per request, so nothing lingers after a run and resets stay per request.
    this.agent = new https.Agent({ keepAlive: false, ...(options.ca ? { secureContext: secureContextFor(options.ca) } : {}) });
    this.now = options.now ?? Date.now;
  }

  counts(): { metadata: number; token: number; exchange: number; other: number } {
    const counts = { metadata: 0, token: 0, exchange: 0, other: 0 };
    for (const entry of this.log) counts[entry.kind] += 1;
    return counts;
  }

  forget(kind: RequestKind): void {
    delete this.last[kind];
  }

  async request(method: "GET" | "POST", url: string, headers: Record<string, string> = {}, body?: string): Promise<HttpAnswer> {
    const kind = requestKind(url);
    const at = this.now();
    let sent = false;
    try {
      const parsed = new URL(url);
      const localIdentity = this.options.allowLocalIdentityHttp === true && parsed.protocol === "http:" && LOCAL_IDENTITY_HOSTS.has(parsed.hostname);
      if (parsed.protocol !== "https:" && !localIdentity) {
        throw new TransportError("ERR_NOT_HTTPS", `refusing to send a request to ${parsed.origin}: only https is allowed`, url);
      }
      const remaining = this.options.deadline - at;
      if (remaining <= 0) throw new TransportError("ETIMEDOUT", "the deadline passed before the request could be sent", url);
      if (this.options.signal?.aborted) throw new TransportError("ABORT_ERR", "the check was aborted", url);
      const timeoutMs = Math.max(1, Math.min(this.options.requestTimeoutMs ?? 30_000, remaining));
      sent = true;
      const answer = await this.send(method, parsed, headers, body, timeoutMs);
      this.log.push({ kind, at, status: answer.status });
      this.last[kind] = { answer, at };
      return answer;
    } catch (error) {
      const transport =
        error instanceof TransportError ? error : new TransportError((error as NodeJS.ErrnoException).code ?? "ERR_NETWORK", (error as Error).message, url);
      if (sent) this.log.push({ kind, at, error: transport.code });
      this.last[kind] = { error: transport, at };
      throw transport;
    }
  }

  private send(method: string, url: URL, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<HttpAnswer> {
    return new Promise<HttpAnswer>((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(body, "utf8");
      const secure = url.protocol === "https:";
      const req = (secure ? https : http).request(
        url,
        {
          method,
          ...(secure ? { agent: this.agent } : {}),
          headers: { ...headers, ...(payload ? { "content-length": String(payload.length) } : {}) },
          signal: this.options.signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
              req.destroy(new TransportError("ERR_BODY_TOO_LARGE", `the answer from ${url.origin} is larger than ${MAX_BODY_BYTES} bytes`, url.href));
              return;
            }
            chunks.push(chunk);
          });
          res.on("end", () => {
            const flat: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers)) {
              if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
            }
            resolve({ status: res.statusCode ?? 0, headers: flat, bodyText: Buffer.concat(chunks).toString("utf8") });
          });
          res.on("error", reject);
          res.on("aborted", () => reject(new TransportError("ECONNRESET", `the connection to ${url.origin} was reset mid-answer`, url.href)));
        },
      );
      req.setTimeout(timeoutMs, () => {
        req.destroy(new TransportError("ETIMEDOUT", `no answer from ${url.origin} within ${timeoutMs} ms`, url.href));
      });
      req.on("error", (error: NodeJS.ErrnoException) => {
        if (error instanceof TransportError) reject(error);
        else if (error.name === "AbortError") reject(new TransportError("ABORT_ERR", "the check was aborted", url.href));
        else reject(new TransportError(error.code ?? "ERR_NETWORK", `${error.code ?? "network error"} talking to ${url.origin}: ${error.message}`, url.href));
      });
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** msal-node's network client, sending through this transport. */
  msalNetworkClient(): INetworkModule {
    const toMsal = <T>(answer: HttpAnswer): NetworkResponse<T> => {
      let body: unknown;
      try {
        body = JSON.parse(answer.bodyText);
      } catch {
        body = undefined;
      }
      if (typeof body !== "object" || body === null) {
        // msal needs an object; a non-JSON failure (an HTML 503 page) becomes an error body it will throw on.
        body = answer.status >= 200 && answer.status < 300 ? {} : { error: `http_${answer.status}`, error_description: `HTTP ${answer.status} without a JSON body` };
      }
      return { status: answer.status, headers: { ...answer.headers }, body: body as T };
    };
    return {
      sendGetRequestAsync: async <T>(url: string, options?: NetworkRequestOptions) => toMsal<T>(await this.request("GET", url, options?.headers ?? {})),
      sendPostRequestAsync: async <T>(url: string, options?: NetworkRequestOptions) =>
        toMsal<T>(await this.request("POST", url, options?.headers ?? {}, options?.body)),
    };
  }
}
