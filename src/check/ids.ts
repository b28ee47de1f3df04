/**
 * Ids and names as people type them, judged before any request: a value that cannot name a tenant, an app or an
 * environment variable is a usage error, never a sign-in that fails (or, for a bare word, a DNS failure retried
 * until the deadline). One rule each, used by the CLI's flags and the stack config's keys alike (src/config), so the
 * same mistake gets the same words wherever it is made.
 */
import { z } from "zod";
import { looksLikeSecret } from "../config/secretValues";
import { isDirectoryId, isGuid } from "../facts";
import { CheckSetupError } from "../errors";

const HOSTNAME = z.hostname();
const MULTI_TENANT_ALIASES = new Set(["common", "organizations", "consumers"]);

/**
 * What a value that may be a secret pasted in the wrong place looks like, in words, never any of its characters;
 * undefined when it can be shown as typed. A JWT (an access token), PEM text, a credential's shape (`looksLikeSecret`,
 * the rule config errors use too), or anything longer than an id.
 */
export function secretShape(value: string): string | undefined {
  const text = value.trim();
  if (/PRIVATE KEY/.test(text)) return "a PEM private key";
  if (/-----BEGIN/.test(text)) return "PEM text";
  if (/^eyJ[\w-]*\.[\w-]+\.?[\w-]*$/.test(text)) return "a JWT, such as an access token";
  if (/^eyJ/.test(text)) return "the start of what looks like a JWT";
  if (looksLikeSecret(text)) return "what looks like a client secret";
  if (value.length > 64) return "a long value";
  return undefined;
}

/** `a JWT, such as an access token (1180 characters, not shown)`, or undefined when `value` may be shown. */
export function hiddenValue(value: string): string | undefined {
  const shape = secretShape(value);
  return shape && `${shape} (${value.length} characters, not shown)`;
}

/** How a value is shown in a message: as typed (quoted), unless it may be a secret: then what it looks like. */
export function shownValue(value: string): string {
  return hiddenValue(value) ?? JSON.stringify(value);
}

/** A GUID in braces or parentheses, as a `urn:uuid:`, or without its hyphens. */
const WRAPPED_GUID = /^(?:\{[0-9a-f-]{32,36}\}|\([0-9a-f-]{32,36}\)|urn:uuid:[0-9a-f-]{32,36}|[0-9a-f]{32})$/i;
const NOT_PLAIN_GUID = "is not a GUID in its plain 8-4-4-4-12 form (write it without braces, urn:uuid: or missing hyphens)";

/**
 * Why `value` is not a GUID in the form Entra and Azure take (plain 8-4-4-4-12, not the nil GUID), or undefined.
 * `nilNames` says what the nil GUID fails to name: "no tenant", "no application".
 */
export function guidProblem(value: string, nilNames = "nothing"): string | undefined {
  if (value.trim().length === 0) return "is empty";
  if (isGuid(value)) return isDirectoryId(value) ? undefined : `is the nil GUID, which names ${nilNames}`;
  return WRAPPED_GUID.test(value.trim()) ? NOT_PLAIN_GUID : "is not a GUID";
}

/** Why `value` cannot name a tenant in an authority URL, or undefined when it is a tenant GUID or a domain name. */
export function tenantProblem(value: string): string | undefined {
  if (value.trim().length === 0) return "is empty";
  if (isGuid(value)) return guidProblem(value, "no tenant");
  if (MULTI_TENANT_ALIASES.has(value.toLowerCase())) {
    return "is a multi-tenant alias, not a tenant: an app-only token comes from one tenant";
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return "is a URL, not a tenant";
  if (WRAPPED_GUID.test(value.trim())) return NOT_PLAIN_GUID;
  if (!value.includes(".")) return "is neither a GUID nor a domain name (a domain has a dot, like contoso.onmicrosoft.com)";
  if (value.endsWith(".") || !HOSTNAME.safeParse(value).success) {
    return "is not a domain name (dot-separated labels of letters, digits and inner hyphens, at most 63 characters each)";
  }
  if (/^\d+$/.test(value.slice(value.lastIndexOf(".") + 1))) return "is an IP address, not a tenant";
  return undefined;
}

/**
 * Why `value` cannot be a tenant's id where a domain will not do (the stack's `tenantId`, which the grant and the
 * outputs compare with a token's tid), or undefined for a non-nil GUID.
 */
export function tenantGuidProblem(value: string): string | undefined {
  return tenantProblem(value) ?? (isGuid(value) ? undefined : "is a domain name, and this takes the tenant's id, a GUID");
}

/** Why `value` cannot be an application (client) id, or undefined when it is a non-nil GUID. */
export function clientIdProblem(value: string): string | undefined {
  return guidProblem(value, "no application");
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

/** An environment variable's name as shells and CI systems take it: letters, digits and _, not starting with a digit. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why `value` cannot name an environment variable, or undefined when it can. */
export function envVarNameProblem(value: string): string | undefined {
  if (ENV_NAME.test(value)) return undefined;
  if (value.length === 0) return "is empty";
  return looksLikeAName(value) ? "is not a variable's name (letters, digits and _, not starting with a digit)" : "is not a variable's name: it looks like a value, perhaps the secret itself";
}

/** A near-miss name (`EXO-SECRET`, `1PASSWORD`): safe to show. Anything else in a name's place may be the secret. */
const looksLikeAName = (value: string): boolean => /^[\w-]{1,40}$/.test(value) && secretShape(value) === undefined;

/** Throws a usage error (exit 2) naming `label` unless `value` names an environment variable. Never echoes a secret. */
export function requireEnvVarName(value: string, label: string, holds: string): void {
  const problem = envVarNameProblem(value);
  if (!problem) return;
  const shown = looksLikeAName(value) ? JSON.stringify(value) : `(${value.length} characters, not shown)`;
  throw new CheckSetupError("ERR_USAGE", `${label} ${shown} ${problem}`, `Pass the NAME of the environment variable that holds ${holds}, not ${holds}: ${label} NAME.`);
}
