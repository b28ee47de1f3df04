import { ExchangeClientError, cmdletUrl, runCmdlet } from "../exchange/client";
import { parseRetryAfter } from "./backoff";
import { classifyCmdletAnswer } from "./exchange";
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
  const call = {
    baseUrl: request.exchangeEndpoint,
    tenantId: request.tenantId,
    accessToken: request.accessToken,
    cmdlet: "Get-AcceptedDomain",
    ...(request.organization ? { organization: request.organization } : {}),
  };
  const url = cmdletUrl(call);
  try {
    const answer = await runCmdlet(call, request.transport);
    const retryAfterMs = parseRetryAfter(answer.retryAfter, request.now());
    return { check: classifyCmdletAnswer(answer), ...(retryAfterMs !== undefined && answer.status >= 400 ? { retryAfterMs } : {}) };
  } catch (error) {
    if (error instanceof ExchangeClientError) {
      return { check: { id: "exchange.invoke", ok: false, detail: error.message, remedy: "Check --exchange-endpoint: the host answered like no Exchange Online does.", healable: false } };
    }
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
