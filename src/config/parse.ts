/**
 * Stack config → one typed `TenantConfig`, or a `ConfigError` listing every bad value with its key and fix.
 * Pure: the caller passes the raw values (strings, as the Pulumi engine hands them over) and the clock.
 */
import { z } from "zod";
import { ConfigError, type ConfigIssue } from "../errors";
import {
  CERTIFICATE_RSA_BITS,
  CERTIFICATE_VALIDITY_DAYS,
  CLOUDS,
  CLOUD_NAMES,
  EXCHANGE_ROLES,
  SECRET_LIFETIME_DAYS,
  findExchangeRole,
  isCloudName,
  isGuid,
  type Cloud,
  type ExchangeRole,
} from "../facts";
import { inspectCertificate } from "../certificates";
import { federatedCredential, type FederatedCredential } from "../federation";
import { FEDERATED_KINDS, MAX_FEDERATED_CREDENTIALS, federatedCredentialSchema } from "./federatedSchema";
import { CONFIG_KEYS, CONFIG_KEY_NAMES, fullKey, type ConfigKeyName } from "./keys";
import type { CertificateConfig, TenantConfig } from "./stackConfig";
import { didYouMean } from "./suggest";

/** Raw values by short key name (`tenantId`), as strings; structured keys hold JSON. */
export type RawConfig = Readonly<Record<string, string | undefined>>;

const OWNERS = z.array(z.string().refine(isGuid));
const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Renders a value for an error message: short, one line, and never a key or certificate body. */
export function renderValue(value: unknown): string {
  if (value === undefined) return "(not set)";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (/-----BEGIN/.test(text)) return `(PEM text, ${text.length} characters)`;
  const short = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  // Strings are quoted so spaces and empty values show; lists and objects already read as JSON.
  return typeof value === "string" ? JSON.stringify(short) : short;
}

class IssueList {
  readonly issues: ConfigIssue[] = [];
  add(key: string, value: unknown, message: string): undefined {
    this.issues.push({ key: fullKey(key), value: renderValue(value), message });
    return undefined;
  }
}

function withDefault(raw: RawConfig, key: ConfigKeyName): string | undefined {
  const value = raw[key];
  if (value !== undefined) return value;
  const spec = CONFIG_KEYS[key];
  if (!("default" in spec)) return undefined;
  return typeof spec.default === "string" ? spec.default : JSON.stringify(spec.default);
}

function integer(raw: RawConfig, key: ConfigKeyName, issues: IssueList, min: number, max: number, why: string): number | undefined {
  const text = withDefault(raw, key) ?? "";
  const value = /^-?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value)) return issues.add(key, text, `must be a whole number; ${why}`);
  if (value < min || value > max) return issues.add(key, text, `must be between ${min} and ${max}; ${why}`);
  return value;
}

function boolean(raw: RawConfig, key: ConfigKeyName, issues: IssueList): boolean | undefined {
  const text = (withDefault(raw, key) ?? "").trim().toLowerCase();
  if (text === "true") return true;
  if (text === "false") return false;
  return issues.add(key, raw[key], "must be true or false");
}

function json(raw: RawConfig, key: ConfigKeyName, issues: IssueList): unknown {
  const text = withDefault(raw, key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return issues.add(key, text, "must be a YAML list (in the stack file) or JSON (with `pulumi config set --path` or `--json`)");
  }
}

function required(raw: RawConfig, key: ConfigKeyName, issues: IssueList, example: string): string | undefined {
  const value = raw[key]?.trim();
  if (!value) return issues.add(key, raw[key], `is required: pulumi config set ${key} ${example}`);
  return value;
}

function parseCloud(raw: RawConfig, issues: IssueList): Cloud | undefined {
  const value = withDefault(raw, "environment")!.trim();
  if (isCloudName(value)) return CLOUDS[value];
  const lowered = value.toLowerCase();
  if (isCloudName(lowered)) return CLOUDS[lowered];
  return issues.add("environment", value, `is not a cloud this project knows.${didYouMean(value, CLOUD_NAMES)} Use one of: ${CLOUD_NAMES.join(", ")}.`);
}

function parseRole(raw: RawConfig, issues: IssueList, globalAdministratorAllowed: boolean | undefined): ExchangeRole | undefined {
  const value = withDefault(raw, "role")!.trim();
  const names = EXCHANGE_ROLES.map((r) => r.name);
  const role = findExchangeRole(value);
  if (!role) {
    return issues.add(
      "role",
      value,
      `is not a directory role Exchange Online accepts for app-only access (Exchange would answer "The role assigned to application ... isn't supported in this scenario").${didYouMean(value, names)} Accepted: ${names.join(", ")}.`,
    );
  }
  if (role.requiresOptIn && globalAdministratorAllowed !== true) {
    return issues.add(
      "role",
      value,
      `grants every permission in the tenant, so it is refused unless the stack opts in with allowGlobalAdministrator: true. Prefer "Exchange Administrator" (or a narrower role).`,
    );
  }
  return role;
}

function parseOrganization(raw: RawConfig, cloud: Cloud | undefined, issues: IssueList): string | undefined {
  const value = required(raw, "organization", issues, "contoso.onmicrosoft.com");
  if (value === undefined) return undefined;
  const domain = value.toLowerCase();
  if (!DOMAIN.test(domain)) {
    return issues.add("organization", value, "is not a domain name: use the tenant's initial domain, for example contoso.onmicrosoft.com");
  }
  if (cloud && !cloud.initialDomainSuffixes.some((suffix) => domain.endsWith(suffix))) {
    return issues.add(
      "organization",
      value,
      `must be the tenant's initial domain (ending ${cloud.initialDomainSuffixes.join(" or ")} in the ${cloud.name} cloud): Connect-ExchangeOnline -Organization takes that one for app-only access, not a custom domain`,
    );
  }
  return domain;
}

function parseCertificate(raw: RawConfig, issues: IssueList, now: Date): CertificateConfig | undefined | null {
  const value = withDefault(raw, "certificate")!.trim();
  if (value === "none") return null;
  if (value === "generate") {
    const validityDays = integer(raw, "certificateValidityDays", issues, 1, CERTIFICATE_VALIDITY_DAYS.max, `the default is ${CERTIFICATE_VALIDITY_DAYS.default}`);
    const rsaBits = integer(raw, "certificateRsaBits", issues, 2048, 4096, "use 2048, 3072 or 4096");
    if (rsaBits !== undefined && !(CERTIFICATE_RSA_BITS as readonly number[]).includes(rsaBits)) {
      issues.add("certificateRsaBits", rsaBits, "must be 2048, 3072 or 4096");
      return undefined;
    }
    return validityDays && rsaBits ? { kind: "generated", validityDays, rsaBits } : undefined;
  }
  if (/PRIVATE KEY/.test(value)) {
    return issues.add("certificate", value, "holds a private key: stack config takes the public certificate only (-----BEGIN CERTIFICATE-----). Keep the key where the app runs.");
  }
  if (!value.startsWith("-----BEGIN CERTIFICATE-----")) {
    return issues.add("certificate", value, `must be "generate", "none" or a PEM public certificate (pulumi config set certificate -- "$(cat app.crt)").${didYouMean(value, ["generate", "none"])}`);
  }
  let info;
  try {
    info = inspectCertificate(value);
  } catch {
    return issues.add("certificate", value, "does not parse as an X.509 certificate: supply the PEM exactly as exported (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)");
  }
  if (info.notAfter.getTime() <= now.getTime()) {
    return issues.add("certificate", value, `expired on ${info.notAfter.toISOString()}: issue a new certificate or set certificate: generate`);
  }
  if (info.keyType !== "rsa") {
    return issues.add("certificate", value, `has a ${info.keyType ?? "unknown"} key: Exchange Online app-only needs an RSA certificate`);
  }
  return { kind: "supplied", pem: value, info };
}

function parseFederated(raw: RawConfig, issues: IssueList): FederatedCredential[] | undefined {
  const list = raw.federatedCredentials === undefined ? [] : json(raw, "federatedCredentials", issues);
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) return issues.add("federatedCredentials", list, "must be a list of credentials, each with a kind");
  if (list.length > MAX_FEDERATED_CREDENTIALS) {
    return issues.add("federatedCredentials", `${list.length} entries`, `Entra allows at most ${MAX_FEDERATED_CREDENTIALS} federated credentials on one application`);
  }
  const credentials: FederatedCredential[] = [];
  const seen = new Map<string, number>();
  list.forEach((entry: unknown, index) => {
    const key = `federatedCredentials[${index}]`;
    const kind = (entry as { kind?: unknown } | null)?.kind;
    if (typeof kind !== "string" || !(FEDERATED_KINDS as readonly string[]).includes(kind)) {
      issues.add(`${key}.kind`, kind, `must be one of ${FEDERATED_KINDS.join(", ")}.${typeof kind === "string" ? didYouMean(kind, FEDERATED_KINDS) : ""}`);
      return;
    }
    const parsed = federatedCredentialSchema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map(String);
        const field = path.length ? `${key}.${path.join(".")}` : key;
        const value = path.reduce<unknown>((v, p) => (v as Record<string, unknown> | undefined)?.[p], entry);
        issues.add(field, issue.code === "unrecognized_keys" ? issue.keys.join(", ") : value, issue.code === "unrecognized_keys" ? `unknown field for kind ${kind}` : issue.message);
      }
      return;
    }
    const credential = federatedCredential(parsed.data);
    const identity = `${credential.issuer} ${credential.subject}`;
    const earlier = seen.get(identity) ?? seen.get(`name ${credential.name}`);
    if (earlier !== undefined) {
      issues.add(key, credential.subject, `duplicates federatedCredentials[${earlier}] (same issuer and subject, or same name): Entra refuses duplicates; remove one`);
      return;
    }
    seen.set(identity, index);
    seen.set(`name ${credential.name}`, index);
    credentials.push(credential);
  });
  return credentials;
}

function parseOwners(raw: RawConfig, issues: IssueList): string[] | undefined {
  const owners = json(raw, "owners", issues);
  if (owners === undefined) return undefined;
  if (!OWNERS.safeParse(owners).success) {
    return issues.add("owners", owners, "must be a list of object ids (GUIDs) of users or service principals");
  }
  return owners as string[];
}

function unknownKeys(raw: RawConfig, issues: IssueList): void {
  for (const key of Object.keys(raw)) {
    if (!(CONFIG_KEY_NAMES as string[]).includes(key)) {
      issues.add(key, raw[key], `is not a key of this project.${didYouMean(key, CONFIG_KEY_NAMES)} Keys: ${CONFIG_KEY_NAMES.join(", ")}.`);
    }
  }
}

/** Validates everything, then returns the typed config or throws one `ConfigError` naming each bad key. */
export function parseTenantConfig(raw: RawConfig, now: Date = new Date()): TenantConfig {
  const issues = new IssueList();
  unknownKeys(raw, issues);

  const tenantIdText = required(raw, "tenantId", issues, "00000000-0000-0000-0000-000000000000");
  const tenantId = tenantIdText !== undefined && !isGuid(tenantIdText)
    ? issues.add("tenantId", tenantIdText, "must be the tenant's id, a GUID (Entra admin center → Overview → Tenant ID), not a domain name")
    : tenantIdText?.toLowerCase();
  const cloud = parseCloud(raw, issues);
  const organization = parseOrganization(raw, cloud, issues);
  const role = parseRole(raw, issues, boolean(raw, "allowGlobalAdministrator", issues));
  const displayName = withDefault(raw, "displayName")!.trim();
  if (displayName.length === 0 || displayName.length > 120) issues.add("displayName", displayName, "must be 1 to 120 characters");
  const owners = parseOwners(raw, issues);
  const protect = boolean(raw, "protect", issues);
  const certificate = parseCertificate(raw, issues, now);
  const wantsSecret = boolean(raw, "clientSecret", issues);
  const lifetimeDays = integer(raw, "clientSecretLifetimeDays", issues, 1, SECRET_LIFETIME_DAYS.max, `secrets live ${SECRET_LIFETIME_DAYS.default} days by default and ${SECRET_LIFETIME_DAYS.max} at most; prefer a certificate for longer`);
  const rotation = integer(raw, "clientSecretRotation", issues, 0, Number.MAX_SAFE_INTEGER, "start at 0 and add 1 to rotate");
  const federatedCredentials = parseFederated(raw, issues);
  const verifyOnUp = boolean(raw, "verifyOnUp", issues);

  if (certificate === null && wantsSecret === false && federatedCredentials?.length === 0) {
    issues.add("certificate", "none", "leaves the app with no credential: keep certificate: generate (recommended), set clientSecret: true, or add federatedCredentials");
  }
  if (issues.issues.length > 0) throw new ConfigError(issues.issues);

  return {
    tenantId: tenantId!,
    organization: organization!,
    cloud: cloud!,
    role: role!,
    displayName,
    owners: owners!,
    protect: protect!,
    certificate: certificate ?? undefined,
    clientSecret: wantsSecret ? { lifetimeDays: lifetimeDays!, rotation: rotation! } : undefined,
    federatedCredentials: federatedCredentials!,
    verifyOnUp: verifyOnUp! && (wantsSecret! || certificate?.kind === "generated"),
  };
}
