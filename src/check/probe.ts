import { adminApiEndpointFor } from "../exchange/adminApi";
import { APP_ANCHOR_MAILBOX } from "../facts";
import { ExchangeClientError, runCmdlet, type CmdletCall } from "../exchange/client";
import { parseRetryAfter } from "../net/backoff";
import { DEFAULT_PROBE_TARGET, classifyCmdletAnswer, type ProbeTarget } from "./exchange";
import type { HttpTransport } from "../net/http";
import type { CheckResult } from "./types";

export interface ProbeRequest {
  /** Where the cmdlet is sent: Exchange's (or S&C's, or the Admin API's) base, e.g. https://outlook.office365.com. */
  readonly exchangeEndpoint: string;
  /** The cmdlet, workload and API (default: Get-AcceptedDomain in Exchange Online through InvokeCommand). */
  readonly target?: ProbeTarget;
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

/**
 * Runs the probe's cmdlet with no parameters (default `Get-AcceptedDomain`: the cheapest cmdlet every accepted role
 * may run): proves the app may run what it exists for, not only that it can connect.
 */
export async function probeExchange(request: ProbeRequest): Promise<ProbeOutcome> {
  const target = request.target ?? DEFAULT_PROBE_TARGET;
  const endpoint = target.api === "admin-v2" ? adminApiEndpointFor(target.cmdlet) : undefined;
  const call: CmdletCall = {
    baseUrl: request.exchangeEndpoint,
    tenantId: request.tenantId,
    accessToken: request.accessToken,
    cmdlet: target.cmdlet,
    ...(request.organization ? { organization: request.organization } : {}),
    // Connect-IPPSSession anchors on the same system mailbox, spelled as a UPN.
    ...(request.organization && target.workload === "compliance" ? { anchorMailbox: `UPN:${APP_ANCHOR_MAILBOX}@${request.organization}` } : {}),
    ...(target.api === "admin-v2" ? { surface: "adminApiV2" as const, ...(endpoint ? { endpoint } : {}) } : {}),
  };
  const origin = new URL(request.exchangeEndpoint).origin;
  try {
    const answer = await runCmdlet(call, request.transport);
    const retryAfterMs = parseRetryAfter(answer.retryAfter, request.now());
    return { check: classifyCmdletAnswer(answer, target), ...(retryAfterMs !== undefined && answer.status >= 400 ? { retryAfterMs } : {}) };
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
        detail: tls ? `the TLS certificate of ${origin} is not trusted (${e.code})` : `no answer from Exchange Online: ${e.message ?? "network error"}`,
        remedy: tls
          ? "Point --exchange-endpoint at the real Exchange host, or trust its CA with NODE_EXTRA_CA_CERTS."
          : "A network problem or an outage: the check retries; check the proxy and firewall if it persists.",
        healable: !tls && e.code !== "ERR_NOT_HTTPS",
      },
    };
  }
}
