/**
 * Exchange Online's `InvokeCommand` answers explained (FACTS.md): 200 = app role and directory role both work,
 * 401 = no Exchange.ManageAsApp (consent), 403 = no accepted directory role. Error text hides in
 * `error.innererror.internalexception.message` or `error.details[0].message`; a 403 body may be NUL bytes.
 */
import { readCmdletPage, type CmdletAnswer } from "../exchange/client";
import { exchangeErrorText } from "../exchange/errorText";
import { EXCHANGE_ROLES, MANAGE_AS_APP_ROLE } from "../facts";
import type { CheckResult } from "./types";

export { exchangeErrorText };

/** Accepted domains named in a 200 answer's `value`, when it lists them. */
function acceptedDomains(value: CmdletAnswer["value"]): string[] {
  return value.map((d) => d.DomainName ?? d.Name ?? d.Identity).filter((n): n is string => typeof n === "string");
}

const ACCEPTED_ROLE_NAMES = EXCHANGE_ROLES.filter((r) => !r.requiresOptIn).map((r) => r.name).join(", ");

/** Turns an `InvokeCommand Get-AcceptedDomain` answer (status and raw body) into the `exchange.invoke` check. */
export function classifyExchangeAnswer(status: number, bodyText: string): CheckResult & { readonly healable: boolean } {
  const text = exchangeErrorText(bodyText);
  const value = status >= 200 && status < 300 ? readCmdletPage(bodyText).value : [];
  return classifyCmdletAnswer({ status, value, warnings: [], ...(text !== undefined ? { errorText: text } : {}) });
}

/** Turns the client's answer to `Get-AcceptedDomain` into the `exchange.invoke` check. */
export function classifyCmdletAnswer(answer: CmdletAnswer): CheckResult & { readonly healable: boolean } {
  const { status } = answer;
  const text = answer.errorText;
  const said = text ? `: "${text.length > 300 ? `${text.slice(0, 300)}…` : text}"` : "";
  if (status >= 200 && status < 300) {
    const domains = acceptedDomains(answer.value);
    const list = domains.length > 0 ? ` (accepted domains: ${domains.slice(0, 5).join(", ")}${domains.length > 5 ? ", …" : ""})` : "";
    return { id: "exchange.invoke", ok: true, detail: `Get-AcceptedDomain answered ${status}${list}`, remedy: null, healable: false };
  }
  if (status === 401) {
    return {
      id: "exchange.invoke",
      ok: false,
      detail: `Exchange Online answered 401 Unauthorized${said}: the token does not carry ${MANAGE_AS_APP_ROLE.value} (consent missing or not propagated yet)`,
      remedy: `Grant admin consent for Office 365 Exchange Online › ${MANAGE_AS_APP_ROLE.value} to the app; Exchange can take minutes to accept a new grant.`,
      healable: true,
      grant: true,
    };
  }
  if (status === 403) {
    if (text && /isn't supported in this scenario|is not supported in this scenario/i.test(text)) {
      return {
        id: "exchange.invoke",
        ok: false,
        detail: `Exchange Online answered 403${said}: the app's directory role is not one Exchange accepts for app-only access`,
        remedy: `Assign one of: ${ACCEPTED_ROLE_NAMES} (Global Administrator only by explicit opt-in).`,
        healable: false,
      };
    }
    return {
      id: "exchange.invoke",
      ok: false,
      detail: `Exchange Online answered 403 Forbidden${said}: the app's service principal has no directory role Exchange accepts (missing or not propagated yet)`,
      remedy: `Assign the service principal a directory role such as Exchange Administrator (accepted: ${ACCEPTED_ROLE_NAMES}); role membership can take minutes to reach Exchange.`,
      healable: true,
      grant: true,
    };
  }
  if (status === 429) {
    return { id: "exchange.invoke", ok: false, detail: `Exchange Online is throttling (429)${said}`, remedy: "Wait; the check retries after the time Exchange asks for.", healable: true };
  }
  if (status >= 500) {
    return { id: "exchange.invoke", ok: false, detail: `Exchange Online answered ${status}${said}`, remedy: "A service-side problem: the check retries; if it persists, see https://status.cloud.microsoft.", healable: true };
  }
  if (status === 404) {
    return {
      id: "exchange.invoke",
      ok: false,
      detail: `Exchange Online answered 404${said}: the endpoint or tenant was not found`,
      remedy: "Check --environment, --exchange-endpoint and --tenant-id.",
      healable: false,
    };
  }
  return { id: "exchange.invoke", ok: false, detail: `Exchange Online answered ${status}${said}`, remedy: "Check the tenant id, the endpoint and the token.", healable: false };
}
