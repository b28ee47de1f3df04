/**
 * Exchange's InvokeCommand for the audit: src/exchange's one client (URL, headers, paging), with the auditor's token
 * and throttling (429 and 503, waiting as Retry-After says, within the reading's deadline). Other answers go back to
 * the caller as they are: a refusal is something the audit reports (readExchange.ts), not a crash.
 */
import { runCmdlet, type CmdletAnswer, type ExchangeTransport } from "../exchange";
import { untilNotThrottled } from "../net/throttle";

/** What the audit asks of Exchange: one cmdlet, every page of its answer. */
export interface ExchangeReader {
  run(cmdlet: string, parameters?: Record<string, unknown>): Promise<CmdletAnswer>;
}

export interface ExchangeHttpOptions {
  /** Exchange's resource host (the cloud's, or the emulator's in tests). */
  readonly baseUrl: string;
  readonly tenantId: string;
  /** The auditor's Exchange token, asked for the cloud's real Exchange resource. */
  readonly token: () => Promise<string>;
  /** The tenant's initial domain, for X-AnchorMailbox, when known. */
  readonly organization?: string;
  /** When the whole reading must end (epoch ms): throttling waits stop there. */
  readonly deadline: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export function httpExchangeReader(transport: ExchangeTransport, options: ExchangeHttpOptions): ExchangeReader {
  return {
    async run(cmdlet, parameters = {}) {
      const send = async () =>
        runCmdlet({ baseUrl: options.baseUrl, tenantId: options.tenantId, accessToken: await options.token(), cmdlet, parameters, ...(options.organization ? { organization: options.organization } : {}) }, transport);
      return (await untilNotThrottled(send, (answer) => answer.retryAfter, options)).answer;
    },
  };
}
