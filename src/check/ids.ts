/**
 * Tenant and client ids as people type them, judged before any request: a value that cannot name a tenant or an
 * app is a usage error, never a sign-in that fails (or, for a bare word, a DNS failure retried until the deadline).
 */
import { z } from "zod";
import { isDirectoryId, isGuid } from "../facts";
import { CheckSetupError } from "./errors";

const HOSTNAME = z.hostname();
const MULTI_TENANT_ALIASES = new Set(["common", "organizations", "consumers"]);

/** How a value is shown in a message: as typed, unless it may be a secret pasted in the wrong place. */
export function shownValue(value: string): string {
  if (value.length > 64 || value.includes("~") || /^eyJ/.test(value) || /PRIVATE KEY/.test(value)) {
    return `${JSON.stringify(value.slice(0, 3) + "…")} (${value.length} characters, not shown in full)`;
  }
  return JSON.stringify(value);
}

/** Why `value` cannot name a tenant in an authority URL, or undefined when it is a tenant GUID or a domain name. */
export function tenantProblem(value: string): string | undefined {
  if (value.trim().length === 0) return "is empty";
  if (isGuid(value)) return isDirectoryId(value) ? undefined : "is the nil GUID, which names no tenant";
  if (MULTI_TENANT_ALIASES.has(value.toLowerCase())) {
    return "is a multi-tenant alias, not a tenant: an app-only token comes from one tenant";
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return "is a URL, not a tenant";
  if (/^[{(]?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}[})]?$/i.test(value)) {
    return "is not a GUID in its plain 8-4-4-4-12 form";
  }
  if (!value.includes(".")) return "is neither a GUID nor a domain name (a domain has a dot, like contoso.onmicrosoft.com)";
  if (value.endsWith(".") || !HOSTNAME.safeParse(value).success) {
    return "is not a domain name (dot-separated labels of letters, digits and inner hyphens, at most 63 characters each)";
  }
  if (/^\d+$/.test(value.slice(value.lastIndexOf(".") + 1))) return "is an IP address, not a tenant";
  return undefined;
}

/** Why `value` cannot be an application (client) id, or undefined when it is a non-nil GUID. */
export function clientIdProblem(value: string): string | undefined {
  if (isDirectoryId(value)) return undefined;
  return isGuid(value) ? "is the nil GUID, which names no application" : "is not a GUID";
}

export const TENANT_REMEDY =
  "Pass the tenant's GUID (Entra admin center › Overview › Tenant ID, or `az account show --query tenantId`) or one of its domains, such as contoso.onmicrosoft.com.";
export const CLIENT_REMEDY =
  "Pass the application (client) id: a GUID like 11111111-2222-3333-4444-555555555555 (Entra admin center › App registrations › Overview).";

/** Throws a usage error (exit 2) naming `label` (a flag, or where the value came from) unless `value` is a tenant. */
export function requireTenant(value: string, label: string): void {
  const problem = tenantProblem(value);
  if (problem) throw new CheckSetupError("ERR_USAGE", `${label} ${shownValue(value)} ${problem}`, TENANT_REMEDY);
}

/** Throws a usage error (exit 2) naming `label` unless `value` is a non-nil GUID. */
export function requireClientId(value: string, label: string, remedy: string = CLIENT_REMEDY): void {
  const problem = clientIdProblem(value);
  if (problem) throw new CheckSetupError("ERR_USAGE", `${label} ${shownValue(value)} ${problem}`, remedy);
}
