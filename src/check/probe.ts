import { APP_ANCHOR_MAILBOX, invokeCommandUrl } from "../facts";
import { parseRetryAfter } from "./backoff";
import { classifyExchangeAnswer } from "./exchange";
import type { HttpTransport } from "./http";
import type { CheckResult } from "./types";

export interface ProbeRequest {
  readonly exchangeEndpoint: string;
  readonly tenantId: string;
  /** The tenant's initial domain, when known: used for the X-AnchorMailbox header Connect-ExchangeOnline sends. */
  readonly organization?: string;
  readonly accessToken: string;
  readonly transport: HttpTransport;
  readonly now: () => number;
}

export interface ProbeOutcome {
  readonly check: CheckResult & { readonly healable: boolean };
  readonly retryAfterMs?: number;
}

/** `InvokeCommand Get-AcceptedDomain`: the cheapest cmdlet every accepted role may run. */
export async function probeExchange(request: ProbeRequest): Promise<ProbeOutcome> {
  const url = invokeCommandUrl(request.exchangeEndpoint, request.tenantId);
  const headers: Record<string, string> = {
    authorization: `Bearer ${request.accessToken}`,
    "content-type": "application/json",
    accept: "application/json",
    ...(request.organization ? { "x-anchormailbox": `APP:${APP_ANCHOR_MAILBOX}@${request.organization}` } : {}),
  };
  try {
    const answer = await request.transport.request("POST", url, headers, JSON.stringify({ CmdletInput: { CmdletName: "Get-AcceptedDomain", Parameters: {} } }));
    const retryAfterMs = parseRetryAfter(answer.headers["retry-after"], request.now());
    return { check: classifyExchangeAnswer(answer.status, answer.bodyText), ...(retryAfterMs !== undefined && answer.status >= 400 ? { retryAfterMs } : {}) };
  } catch (error) {
    const e = error as { code?: string; message?: string };
    const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(e.code ?? "");
    return {
      check: {
        id: "exchange.invoke",
        ok: false,
        detail: tls ? `the TLS certificate of ${new URL(url).origin} is not trusted (${e.code})` : `no answer from Exchange Online: ${e.message ?? "network error"}`,
        remedy: tls
          ? "Point --exchange-endpoint at the real Exchange host, or trust its CA with NODE_EXTRA_CA_CERTS."
          : "A network problem or an outage: the check retries; check the proxy and firewall if it persists.",
        healable: !tls && e.code !== "ERR_NOT_HTTPS",
      },
    };
  }
}
