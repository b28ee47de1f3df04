/**
 * The HTTP shape Exchange's client needs: the check's HttpTransport has it, and so can a test double or the
 * RBAC provider's own sender. It lives here, below src/check, so src/exchange never imports the check.
 */
export interface HttpAnswer {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyText: string;
}

export interface ExchangeTransport {
  request(method: "GET" | "POST", url: string, headers: Record<string, string>, body?: string): Promise<HttpAnswer>;
}
