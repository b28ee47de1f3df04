/**
 * ONE client for Exchange's REST surfaces: a cmdlet in, a typed answer out. The check's probe, the Exchange RBAC
 * provider and the emulator's tests use it, so the URL, the headers, paging and error text are decided once.
 *
 * - `invokeCommand`: `POST {base}/adminapi/beta/{tenant}/InvokeCommand`, what Connect-ExchangeOnline (REST) and
 *   Connect-IPPSSession send; any cmdlet the caller's roles allow.
 * - `adminApiV2` (preview): `POST {base}/adminapi/v2.0/{tenant}/{Endpoint}`, one endpoint per cmdlet family
 *   (AcceptedDomain, Mailbox, ...); needs Exchange.ManageAsAppV2.
 *
 * Both take `{ CmdletInput: { CmdletName, Parameters } }` and page with `@odata.nextLink`: the next page is a POST of
 * the same body to that link (Microsoft's Admin API reference). The token goes in one header and nowhere else:
 * never in a URL, an error or a log line.
 */
import { APP_ANCHOR_MAILBOX, invokeCommandUrl } from "../facts";
import { exchangeErrorText } from "./errorText";
import type { ExchangeTransport } from "./transport";

export type ExchangeSurface = "invokeCommand" | "adminApiV2";

export interface CmdletCall {
  /** Exchange's resource host, e.g. https://outlook.office365.com, or the emulator's. */
  readonly baseUrl: string;
  readonly tenantId: string;
  readonly accessToken: string;
  readonly cmdlet: string;
  readonly parameters?: Record<string, unknown>;
  /** The tenant's initial domain: sent as `X-AnchorMailbox: APP:SystemMailbox{...}@org`, as the module does app-only. */
  readonly organization?: string;
  /** The whole X-AnchorMailbox value, when the caller is not an app (a delegated admin: `UPN:admin@contoso.com`). */
  readonly anchorMailbox?: string;
  readonly surface?: ExchangeSurface;
  /** The Admin API endpoint (`AcceptedDomain`, `Mailbox`, ...); required for `adminApiV2`. */
  readonly endpoint?: string;
}

export interface CmdletAnswer {
  /** The status of the last page fetched (the first failing one, if any failed). */
  readonly status: number;
  /** Every page's `value`, in order. */
  readonly value: readonly Record<string, unknown>[];
  /** `@adminapi.warnings` of every page. */
  readonly warnings: readonly string[];
  /** The human text of an error answer, when Exchange gave one. */
  readonly errorText?: string;
  /** The Retry-After header of a failing answer, as sent. */
  readonly retryAfter?: string;
}

/** A call that cannot be sent as asked (a bad endpoint name, a next link to another host, endless paging). */
export class ExchangeClientError extends Error {
  readonly code = "ERR_EXCHANGE_CLIENT";
  constructor(message: string) {
    super(message);
    this.name = "ExchangeClientError";
  }
}

/** More pages than this is a loop or a misbehaving server, not a tenant: 1,000 rows a page is a million rows. */
export const MAX_PAGES = 1000;

const ENDPOINT_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** The URL a call is POSTed to first. */
export function cmdletUrl(call: Pick<CmdletCall, "baseUrl" | "tenantId" | "surface" | "endpoint">): string {
  if ((call.surface ?? "invokeCommand") === "invokeCommand") return invokeCommandUrl(call.baseUrl, call.tenantId);
  if (!call.endpoint || !ENDPOINT_NAME.test(call.endpoint)) {
    throw new ExchangeClientError(`the Admin API needs an endpoint name such as AcceptedDomain (got ${JSON.stringify(call.endpoint ?? "")})`);
  }
  return `${call.baseUrl.replace(/\/+$/, "")}/adminapi/v2.0/${encodeURIComponent(call.tenantId)}/${call.endpoint}`;
}

/** The request headers of a call. The only place the token is used. */
export function cmdletHeaders(call: Pick<CmdletCall, "accessToken" | "organization" | "anchorMailbox">): Record<string, string> {
  const anchor = call.anchorMailbox ?? (call.organization ? `APP:${APP_ANCHOR_MAILBOX}@${call.organization}` : undefined);
  return {
    authorization: `Bearer ${call.accessToken}`,
    "content-type": "application/json",
    accept: "application/json",
    ...(anchor ? { "x-anchormailbox": anchor } : {}),
  };
}

export interface CmdletPage {
  readonly value: readonly Record<string, unknown>[];
  readonly warnings: readonly string[];
  readonly nextLink?: string;
}

/** One answer body read as a page; a body that is not JSON (an empty 200, an HTML error page) is an empty page. */
export function readCmdletPage(bodyText: string): CmdletPage {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return { value: [], warnings: [] };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { value: [], warnings: [] };
  const record = body as Record<string, unknown>;
  const value = Array.isArray(record.value) ? record.value.filter((v): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)) : [];
  const rawWarnings = record["@adminapi.warnings"];
  const warnings = Array.isArray(rawWarnings) ? rawWarnings.filter((w): w is string => typeof w === "string") : [];
  const next = record["@odata.nextLink"];
  return { value, warnings, ...(typeof next === "string" && next.length > 0 ? { nextLink: next } : {}) };
}

/**
 * Runs one cmdlet and gathers every page. A failing page ends the call with its status and error text (and the
 * rows of earlier pages). Transport failures (reset, timeout, TLS) are thrown as the transport throws them.
 */
export async function runCmdlet(call: CmdletCall, transport: ExchangeTransport): Promise<CmdletAnswer> {
  let url = cmdletUrl(call);
  const origin = new URL(url).origin;
  const headers = cmdletHeaders(call);
  const body = JSON.stringify({ CmdletInput: { CmdletName: call.cmdlet, Parameters: call.parameters ?? {} } });
  const value: Record<string, unknown>[] = [];
  const warnings: string[] = [];
  for (let page = 1; ; page += 1) {
    const answer = await transport.request("POST", url, headers, body);
    if (answer.status < 200 || answer.status >= 300) {
      const errorText = exchangeErrorText(answer.bodyText);
      const retryAfter = answer.headers["retry-after"];
      return { status: answer.status, value, warnings, ...(errorText !== undefined ? { errorText } : {}), ...(retryAfter !== undefined ? { retryAfter } : {}) };
    }
    const read = readCmdletPage(answer.bodyText);
    value.push(...read.value);
    warnings.push(...read.warnings);
    if (read.nextLink === undefined) return { status: answer.status, value, warnings };
    const next = new URL(read.nextLink, url);
    // The token follows the link: only to the host the call was addressed to.
    if (next.origin !== origin) throw new ExchangeClientError(`Exchange's next-page link points to ${next.origin}, not ${origin}: not following it`);
    if (page >= MAX_PAGES) throw new ExchangeClientError(`Exchange kept answering with a next page after ${MAX_PAGES} pages of ${call.cmdlet}: stopped`);
    url = next.href;
  }
}
