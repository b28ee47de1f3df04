/**
 * The token's `wids` (the directory roles Entra ID put in it) against the workload: Security & Compliance accepts
 * fewer roles than Exchange Online (FACTS.md), and an app holding only Exchange Administrator connects to Exchange
 * but is refused by Connect-IPPSSession. Read from the token, so it is said before the probe, with the fix.
 */
import type { JWTPayload } from "jose";
import { EXCHANGE_ROLES, rolesForWorkloads, type Workload } from "../facts";
import type { CheckResult } from "./types";

const WORKLOAD_LABEL: Readonly<Record<Workload, string>> = { exchange: "Exchange Online", compliance: "Security & Compliance" };

/** The directory roles Exchange knows among the token's `wids`, by name. */
function heldExchangeRoles(claims: JWTPayload): string[] {
  const raw = (claims as Record<string, unknown>).wids;
  const wids = Array.isArray(raw) ? raw.filter((w): w is string => typeof w === "string").map((w) => w.toLowerCase()) : [];
  return EXCHANGE_ROLES.filter((r) => wids.includes(r.templateId)).map((r) => r.name);
}

/**
 * `token.workload`, for the compliance workload: passes when a role in `wids` works for it, fails (a person must
 * change the role) when the token holds only roles that do not. Undefined when there is nothing to judge: the
 * exchange workload (every accepted role works there), or no accepted role in `wids` (missing or not propagated:
 * the probe says so), or no `wids` claim at all.
 */
export function checkWorkloadRole(claims: JWTPayload, workload: Workload): CheckResult | undefined {
  if (workload === "exchange") return undefined;
  const held = heldExchangeRoles(claims);
  if (held.length === 0) return undefined;
  const fitting = rolesForWorkloads([workload]);
  const working = held.filter((name) => fitting.some((r) => r.name === name));
  if (working.length > 0) {
    return { id: "token.workload", ok: true, detail: `wids holds ${working.join(", ")}, which works for ${WORKLOAD_LABEL[workload]}`, remedy: null };
  }
  const names = fitting.filter((r) => !r.requiresOptIn).map((r) => r.name);
  return {
    id: "token.workload",
    ok: false,
    detail: `the app holds ${held.join(", ")}, which works for Exchange Online but not for ${WORKLOAD_LABEL[workload]}: Connect-IPPSSession refuses it`,
    remedy: `Give the app a directory role that works for both: ${names.join(", ")} (exchange-app-only:role; Global Administrator only by explicit opt-in).`,
    healable: false,
  };
}
