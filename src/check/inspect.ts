/**
 * `inspect-token`: can this access token drive Exchange Online (or, with `workload: compliance`, Security &
 * Compliance PowerShell) app-only? Pure: a string in, checks out.
 */
import type { Workload } from "../facts";
import { checkClaims, decodeToken, type TokenExpectations } from "./claims";
import { printable, printableJson } from "../text/terminalText";
import { checkLevel, isFailure, type CheckResult } from "./types";

export interface InspectResult {
  /** True when no check failed (a warning, such as a tenant that could not be compared, does not): the token is fit. */
  readonly fit: boolean;
  readonly checks: readonly CheckResult[];
  /** Claims worth showing (never the token itself). Absent when the token could not be read. */
  readonly claims?: Readonly<Record<string, unknown>>;
}

const SHOWN_CLAIMS = ["aud", "iss", "tid", "appid", "azp", "oid", "idtyp", "roles", "scp", "wids", "appidacr", "ver", "iat", "nbf", "exp"] as const;

export function inspectToken(token: string, expect: TokenExpectations): InspectResult {
  const decoded = decodeToken(token);
  if (!decoded.ok) {
    return {
      fit: false,
      checks: [
        {
          id: "token.format",
          ok: false,
          detail: `not a readable access token: ${decoded.problem}`,
          remedy: "Pass the whole access_token value (three base64url parts separated by dots), on stdin or with --token-env NAME.",
        },
      ],
    };
  }
  // A token from elsewhere: a tenant given as a domain is not resolved by any sign-in here, so it is not compared.
  const checks = checkClaims(decoded.claims, { ...expect, tenantFromAuthority: false }).map(({ id, ok, warning, detail, remedy }) => ({
    id,
    ok,
    ...(warning ? { warning } : {}),
    detail,
    remedy,
  }));
  const record = decoded.claims as Record<string, unknown>;
  const claims: Record<string, unknown> = {};
  for (const name of SHOWN_CLAIMS) if (record[name] !== undefined) claims[name] = record[name];
  return { fit: !checks.some(isFailure), checks: [{ id: "token.format", ok: true, detail: `a JWT (alg ${String(decoded.header.alg ?? "?")})`, remedy: null }, ...checks], claims };
}

const LABEL = { ok: "ok  ", warning: "WARN", fail: "FAIL" } as const;

/**
 * The result as `inspect-token` prints it: one line a check (its fix under a failure or warning) and the verdict,
 * or (`json`) the one `{ok, checks: [{id, ok, detail, remedy, level}], claims}` line. `redact` runs over every
 * detail first. Claims and the details quoting them come from whoever made the token: they are made printable here.
 */
export function renderInspection(result: InspectResult, o: { readonly workload: Workload; readonly json: boolean; readonly redact?: (text: string) => string }): string {
  const redact = o.redact ?? ((text: string) => text);
  const checks = result.checks.map(({ id, ok, detail, remedy, warning }) => ({ id, ok, detail: redact(detail), remedy, level: checkLevel({ ok, warning }) }));
  if (o.json) return `${printableJson({ ok: result.fit, checks, ...(result.claims ? { claims: result.claims } : {}) })}\n`;
  const lines = checks.flatMap((c) => [
    `  ${LABEL[c.level]} ${c.id.padEnd(15)} ${c.detail}`,
    ...(c.level !== "ok" && c.remedy ? [`       ${"".padEnd(15)} fix: ${c.remedy}`] : []),
  ]);
  const surface = o.workload === "compliance" ? "Security & Compliance PowerShell" : "Exchange Online";
  const warned = checks.filter((c) => c.level === "warning").map((c) => c.id);
  lines.push(
    result.fit
      ? `FIT: this token can drive ${surface} app-only${warned.length > 0 ? ` (not verified: ${warned.join(", ")}; see WARN above)` : ""}.`
      : `NOT FIT: ${surface} will refuse this token for app-only access.`,
  );
  return `${lines.map((line) => printable(line)).join("\n")}\n`;
}
