/**
 * The HTTP shape Exchange's client needs: src/net's HttpTransport has it, and so can a test double or the
 * RBAC provider's own sender. The answer's type lives in src/net, below src/exchange and src/check.
 */
import type { HttpAnswer } from "../net/http";

export type { HttpAnswer };

export interface ExchangeTransport {
  request(method: "GET" | "POST", url: string, headers: Record<string, string>, body?: string): Promise<HttpAnswer>;
}
