/**
 * Exchange Online's `InvokeCommand` answers explained (FACTS.md): 200 = app role and directory role both work,
 * 401 = no Exchange.ManageAsApp (consent), 403 = no accepted directory role. Error text hides in
 * `error.innererror.internalexception.message` or `error.details[0].message`; a 403 body may be NUL bytes.
 */
import { ADMIN_API_ROLE_GROUPS, adminApiEndpointFor } from "../exchange/adminApi";
import { readCmdletPage, type CmdletAnswer } from "../exchange/client";
import { exchangeErrorText } from "../exchange/errorText";
import { EOP_MANAGE_AS_APP_ROLE, EXCHANGE_ROLES, MANAGE_AS_APP_ROLE, MANAGE_AS_APP_V2_ROLE_VALUE, rolesForWorkloads, type Workload } from "../facts";
import { cmdletFix } from "./cmdletFix";
import type { CheckResult } from "./types";

/** What the probe ran: which cmdlet, for which workload, through which API. */
export interface ProbeTarget {
  readonly cmdlet: string;
  readonly workload: Workload;
  readonly api: "invoke-command" | "admin-v2";
}

export const DEFAULT_PROBE_TARGET: ProbeTarget = { cmdlet: "Get-AcceptedDomain", workload: "exchange", api: "invoke-command" };

/**
 * The probe's cmdlet when none is named: one every accepted role may run. Security & Compliance has no
 * Get-AcceptedDomain; Get-Label (sensitivity labels) is read by every role that works there.
 */
export function defaultProbeCmdlet(workload: Workload): string {
  return workload === "compliance" ? "Get-Label" : DEFAULT_PROBE_TARGET.cmdlet;
}

export { exchangeErrorText };

/** Accepted domains named in a 200 answer's `value`, when it lists them. */
function acceptedDomains(value: CmdletAnswer["value"]): string[] {
  return value.map((d) => d.DomainName ?? d.Name ?? d.Identity).filter((n): n is string => typeof n === "string");
}

const ACCEPTED_ROLE_NAMES = EXCHANGE_ROLES.filter((r) => !r.requiresOptIn).map((r) => r.name).join(", ");
const COMPLIANCE_ROLE_NAMES = rolesForWorkloads(["compliance"]).filter((r) => !r.requiresOptIn).map((r) => r.name).join(", ");

/**
 * For the Admin API: the role group Microsoft names for the cmdlet's endpoint, added to a remedy about Exchange RBAC
 * (empty for InvokeCommand and Security & Compliance, and for a cmdlet of no endpoint).
 */
function adminApiRbac(target: ProbeTarget): string {
  const endpoint = target.api === "admin-v2" ? adminApiEndpointFor(target.cmdlet) : undefined;
  if (!endpoint) return "";
  const group = ADMIN_API_ROLE_GROUPS[endpoint];
  return ` For the Admin API's ${endpoint} endpoint, the roles of the Exchange role group "${group}" suffice (Microsoft's Admin API authentication article): give the app those roles (exchange-app-only:exchangeRoles) or a directory role (exchange-app-only:role).`;
}

/** Turns an `InvokeCommand Get-AcceptedDomain` answer (status and raw body) into the `exchange.invoke` check. */
export function classifyExchangeAnswer(status: number, bodyText: string): CheckResult & { readonly healable: boolean } {
  const text = exchangeErrorText(bodyText);
  const value = status >= 200 && status < 300 ? readCmdletPage(bodyText).value : [];
  return classifyCmdletAnswer({ status, value, warnings: [], ...(text !== undefined ? { errorText: text } : {}) });
}

/**
 * Turns the client's answer to the probe's cmdlet into the `exchange.invoke` check: "the app may (not) run <cmdlet>",
 * with the fix (the consent, the directory role, or the Exchange role that allows the cmdlet).
 */
export function classifyCmdletAnswer(answer: CmdletAnswer, target: ProbeTarget = DEFAULT_PROBE_TARGET): CheckResult & { readonly healable: boolean } {
  const { status } = answer;
  const { cmdlet } = target;
  const text = answer.errorText;
  const said = text ? `: "${text.length > 300 ? `${text.slice(0, 300)}…` : text}"` : "";
  const compliance = target.workload === "compliance";
  const service = target.api === "admin-v2" ? "The Exchange Online Admin API (preview)" : compliance ? "Security & Compliance" : "Exchange Online";
  const via = target.api === "admin-v2" ? " through the Admin API (preview)" : compliance ? " in Security & Compliance" : "";
  if (status >= 200 && status < 300) {
    const domains = cmdlet === "Get-AcceptedDomain" ? acceptedDomains(answer.value) : [];
    const list = domains.length > 0 ? ` (accepted domains: ${domains.slice(0, 5).join(", ")}${domains.length > 5 ? ", …" : ""})` : "";
    return { id: "exchange.invoke", ok: true, detail: `${cmdlet} answered ${status}${via}${list}: the app may run ${cmdlet}`, remedy: null, healable: false };
  }
  if (status === 401 && text && /is not allowed to call/i.test(text)) {
    return {
      id: "exchange.invoke",
      ok: false,
      detail: `${service} answered 401${said}: the app may not run ${cmdlet}`,
      remedy: `${cmdletFix(cmdlet)}${adminApiRbac(target)}`,
      healable: false,
      grant: true,
    };
  }
  // Exchange compares the token's aud with the host it was sent to ("InvalidAudienceForResource"): waiting cannot fix
  // it. In DoD and China the audiences are inferred (src/facts/clouds.ts), so the fix is the override.
  if (status === 401 && text && /\baudience\b|InvalidAudience/i.test(text)) {
    return {
      id: "exchange.invoke",
      ok: false,
      detail: `${service} answered 401${said}: it refuses the token's audience for this host`,
      remedy: compliance
        ? "The token's audience and the host called disagree. Security & Compliance's audiences are inferred from its connection URI's host (no Microsoft page states them; see docs/clouds.md, \"Clouds\"); in DoD, Microsoft's docs give a second URI (the connectIPPSSession output's alternative)."
        : "The token's audience and the host called disagree. Where the cloud's Exchange audience is inferred rather than documented (DoD, China: see docs/clouds.md, \"Clouds\"), " +
          "pass the host Exchange answers on as --exchange-resource (the probe follows it), for example --exchange-resource https://webmail.apps.mil in DoD; with --exchange-endpoint, pass both.",
      healable: false,
    };
  }
  if (status === 401 && text && /Exchange Online Protection/i.test(text)) {
    return {
      id: "exchange.invoke",
      ok: false,
      detail: `Security & Compliance answered 401${said}`,
      remedy:
        `Grant admin consent for Microsoft Exchange Online Protection › ${EOP_MANAGE_AS_APP_ROLE.value} (appRoleId ${EOP_MANAGE_AS_APP_ROLE.id}): ` +
        "in GCC High and DoD, Microsoft's manifest note lists it for Security & Compliance PowerShell, and exchange-app-only:workloads [compliance] grants it there beside Office 365 Exchange Online's (the two together are harmless); a new grant can take minutes to apply.",
      healable: true,
      grant: true,
    };
  }
  if (status === 401 && target.api === "admin-v2") {
    return {
      id: "exchange.invoke",
      ok: false,
      detail: `${service} answered 401 Unauthorized${said}: the token does not carry ${MANAGE_AS_APP_V2_ROLE_VALUE} (consent missing or not propagated yet)`,
      remedy: `Grant admin consent for Office 365 Exchange Online › ${MANAGE_AS_APP_V2_ROLE_VALUE} (exchange-app-only:adminApi: true); Exchange can take minutes to accept a new grant.`,
      healable: true,
      grant: true,
    };
  }
  if (status === 403 && compliance) {
    const unsupported = text !== undefined && /isn't supported in this scenario|is not supported in this scenario/i.test(text);
    return {
      id: "exchange.invoke",
      ok: false,
      detail: `Security & Compliance answered 403${said}: ${unsupported ? "the app's directory role does not work for Security & Compliance" : "the app holds no directory role Security & Compliance accepts (missing or not propagated yet)"}`,
      remedy: `Assign one of: ${COMPLIANCE_ROLE_NAMES} (Exchange Administrator, Exchange Recipient Administrator and Helpdesk Administrator work for Exchange Online only; Exchange Online's role groups do not reach Security & Compliance, which has role groups of its own; this project does not create those yet).`,
      healable: !unsupported,
      grant: true,
    };
  }
  if (status === 401) {
    return {
      id: "exchange.invoke",
      ok: false,
      detail: `${service} answered 401 Unauthorized${said}: the token does not carry ${MANAGE_AS_APP_ROLE.value} (consent missing or not propagated yet)`,
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
        detail: `${service} answered 403${said}: the app's directory role is not one Exchange accepts for app-only access`,
        remedy: `Assign one of: ${ACCEPTED_ROLE_NAMES} (Global Administrator only by explicit opt-in).${adminApiRbac(target)}`,
        healable: false,
      };
    }
    return {
      id: "exchange.invoke",
      ok: false,
      detail: `${service} answered 403 Forbidden${said}: the app's service principal has no directory role Exchange accepts (missing or not propagated yet)`,
      remedy: `Assign the service principal a directory role such as Exchange Administrator (accepted: ${ACCEPTED_ROLE_NAMES}); role membership can take minutes to reach Exchange.${adminApiRbac(target)}`,
      healable: true,
      grant: true,
    };
  }
  if (status === 429) {
    return { id: "exchange.invoke", ok: false, detail: `${service} is throttling (429)${said}`, remedy: "Wait; the check retries after the time Exchange asks for.", healable: true };
  }
  if (status >= 500) {
    return { id: "exchange.invoke", ok: false, detail: `${service} answered ${status}${said}`, remedy: "A service-side problem: the check retries; if it persists, see https://status.cloud.microsoft.", healable: true };
  }
  if (status === 404) {
    return {
      id: "exchange.invoke",
      ok: false,
      detail: `${service} answered 404${said}: the endpoint or tenant was not found`,
      remedy: "Check --environment, --exchange-endpoint and --tenant-id.",
      healable: false,
    };
  }
  return { id: "exchange.invoke", ok: false, detail: `${service} answered ${status}${said}`, remedy: "Check the tenant id, the endpoint and the token.", healable: false };
}
