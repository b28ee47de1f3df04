/**
 * Graph over HTTPS for the audit: `GET <graph>/v1.0/<path>` with the auditor's token, every page of a collection
 * (`@odata.nextLink`, followed only to the host the reading started at: the token goes with it), and throttling
 * (429 and 503, waiting as Retry-After says, within the reading's deadline). Failures keep Graph's status and code.
 */
import type { ExchangeTransport } from "../exchange/transport";
import { untilNotThrottled } from "../net/throttle";
import { GraphError, type GraphReader } from "./readGraph";

export interface GraphHttpOptions {
  /** Graph's base, `https://graph.microsoft.com` or a cloud's (or the emulator's, in tests). */
  readonly baseUrl: string;
  /** The auditor's Graph token, asked for the cloud's real Graph resource. */
  readonly token: () => Promise<string>;
  /** When the whole reading must end (epoch ms): throttling waits stop there. */
  readonly deadline: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Pages a collection may have before the reader stops: 999 items a page, so a million holders. */
const MAX_PAGES = 1000;

function graphError(status: number, bodyText: string, path: string): GraphError {
  let code = `HTTP${status}`;
  let message = `Graph answered ${status} for ${path}`;
  try {
    const error = (JSON.parse(bodyText) as { error?: { code?: unknown; message?: unknown } }).error;
    if (typeof error?.code === "string") code = error.code;
    if (typeof error?.message === "string") message = `Graph answered ${status} (${code}) for ${path}: ${error.message}`;
  } catch {
    // Not JSON: the status says enough.
  }
  return new GraphError(status, code, message);
}

export function httpGraphReader(transport: ExchangeTransport, options: GraphHttpOptions): GraphReader {
  const base = `${options.baseUrl.replace(/\/+$/, "")}/v1.0/`;
  const origin = new URL(base).origin;

  /** One GET, sent again while Graph throttles and the deadline allows. */
  async function fetchJson(url: string, path: string): Promise<Record<string, unknown>> {
    const send = async () => transport.request("GET", url, { authorization: `Bearer ${await options.token()}`, accept: "application/json" });
    const { answer, throttled } = await untilNotThrottled(send, (a) => a.headers["retry-after"], options);
    if (answer.status >= 200 && answer.status < 300) return JSON.parse(answer.bodyText) as Record<string, unknown>;
    throw graphError(answer.status, answer.bodyText, throttled ? `${path} (still throttled at the deadline)` : path);
  }

  return {
    get: (path) => fetchJson(base + path, path),
    async list(path) {
      const items: Record<string, unknown>[] = [];
      let url = base + path;
      for (let page = 1; ; page++) {
        const body = await fetchJson(url, path);
        if (Array.isArray(body.value)) items.push(...(body.value as Record<string, unknown>[]));
        const link = body["@odata.nextLink"];
        if (typeof link !== "string") return items;
        const next = new URL(link, url);
        if (next.origin !== origin) throw new GraphError(0, "ForeignNextLink", `Graph's next-page link for ${path} points to ${next.origin}, not ${origin}: not following it with the token`);
        if (page >= MAX_PAGES) throw new GraphError(0, "TooManyPages", `Graph kept answering with a next page after ${MAX_PAGES} pages of ${path}: stopped`);
        url = next.href;
      }
    },
  };
}
