/**
 * Stack config → one typed `TenantConfig`, or a `ConfigError` listing every bad value with its key and fix.
 * Pure: the caller passes the raw values (strings, as the Pulumi engine hands them over) and the clock.
 *
 * Every key the stack sets is read and validated on its own first, even where another key makes it unused; the
 * checks that join keys ("no credential at all") run only on keys that were valid, so one mistake gives one message.
 */
import { z } from "zod";
import { CLOUDS, CLOUD_NAMES, SECRET_LIFETIME_DAYS, isCloudName, isDirectoryId, type Cloud } from "../facts";
import { DURATION_REMEDY, readDuration } from "../check/duration";
import { tenantGuidProblem } from "../check/ids";
import { parseAdopt } from "./adopt";
import { parseCertificate } from "./certificate";
import { parseExchangeRoles } from "./exchangeRoles";
import { checkIdMeanings } from "./idMeanings";
import { nothingToStore, parseKeyVault } from "./keyVault";
import { parseManagedIdentity } from "./managedIdentity";
import { parseFederated } from "./federated";
import { CONFIG_KEY_NAMES, fullKey } from "./keys";
import { keyAfterProjectName } from "./namespaces";
import { NO_ROLE, parseRole } from "./role";
import type { TenantConfig } from "./stackConfig";
import { didYouMean, suggest } from "./suggest";
import { IssueList, boolean, integer, json, text, type RawConfig } from "./values";
import { parseWorkloads, roleWorkloadMismatch } from "./workloads";

export { renderValue, type RawConfig } from "./values";

const DOMAIN = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const DISPLAY_NAME_MAX = 120;
/**
 * Characters a display name must not hold: controls (newline, escape, ...), line and paragraph separators, lone
 * surrogates, and the bidirectional overrides that make a name read differently from what it is.
 */
const UNPRINTABLE = /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}\u202A-\u202E\u2066-\u2069]/u;

function required(raw: RawConfig, key: "tenantId" | "organization", issues: IssueList, how: string): string | undefined {
  if (raw[key] === undefined) return issues.add(key, undefined, `is required: ${how}`);
  const value = text(raw, key, issues);
  return value === "" ? issues.add(key, raw[key], `is required: ${how}`) : value;
}

function parseTenantId(raw: RawConfig, issues: IssueList): string | undefined {
  const how = "pulumi config set tenantId <the tenant's id, a GUID: Entra admin center → Overview → Tenant ID>";
  const value = required(raw, "tenantId", issues, how);
  if (value === undefined) return undefined;
  const problem = tenantGuidProblem(value);
  if (problem) return issues.add("tenantId", value, `${problem}: copy the Tenant ID from Entra admin center → Overview`);
  return value.toLowerCase();
}

function parseCloud(raw: RawConfig, issues: IssueList): Cloud | undefined {
  const value = text(raw, "environment", issues);
  if (value === undefined) return undefined;
  const lowered = value.toLowerCase();
  if (isCloudName(lowered)) return CLOUDS[lowered];
  return issues.add("environment", value, `is not a cloud this project knows.${didYouMean(value, CLOUD_NAMES)} Use one of: ${CLOUD_NAMES.join(", ")}.`);
}

function parseOrganization(raw: RawConfig, cloud: Cloud | undefined, issues: IssueList): string | undefined {
  // The example fits the stack's cloud, so following it gives a value this parser accepts.
  const suffix = (cloud ?? CLOUDS.public).initialDomainSuffixes[0]!;
  const value = required(raw, "organization", issues, `pulumi config set organization <tenant>${suffix} (the tenant's initial domain)`);
  if (value === undefined) return undefined;
  const domain = value.toLowerCase();
  if (!DOMAIN.test(domain)) {
    return issues.add("organization", value, `is not a domain name: use the tenant's initial domain, <tenant>${suffix}`);
  }
  if (cloud && !cloud.initialDomainSuffixes.some((s) => domain.endsWith(s))) {
    return issues.add(
      "organization",
      value,
      `must be the tenant's initial domain (ending ${cloud.initialDomainSuffixes.join(" or ")} in the ${cloud.name} cloud): Connect-ExchangeOnline -Organization takes that one for app-only access, not a custom domain`,
    );
  }
  return domain;
}

function parseDisplayName(raw: RawConfig, issues: IssueList): string | undefined {
  const value = text(raw, "displayName", issues);
  if (value === undefined) return undefined;
  const length = [...value].length;
  if (length === 0 || length > DISPLAY_NAME_MAX) return issues.add("displayName", value, `must be 1 to ${DISPLAY_NAME_MAX} characters`);
  if (UNPRINTABLE.test(value)) {
    return issues.add("displayName", value, "holds a control character (a newline, tab, escape or direction override): use printable text; any language and emoji are welcome");
  }
  return value;
}

const OWNERS = z.array(z.string().refine(isDirectoryId));

function parseOwners(raw: RawConfig, issues: IssueList): string[] | undefined {
  const owners = json(raw, "owners", issues, "a list of object ids");
  if (owners === undefined) return undefined;
  if (!OWNERS.safeParse(owners).success) {
    return issues.add("owners", owners, "must be a list of object ids (GUIDs) of users or service principals (Entra admin center → the user → Object ID)");
  }
  const list = (owners as string[]).map((o) => o.toLowerCase());
  const repeated = list.find((o, i) => list.indexOf(o) !== i);
  if (repeated) return issues.add("owners", owners, `lists ${repeated} twice: name each owner once`);
  return list;
}

function parseVerifyTimeout(raw: RawConfig, issues: IssueList): string | undefined {
  const value = text(raw, "verifyTimeout", issues);
  if (value === undefined) return undefined;
  const read = readDuration(value);
  return "problem" in read ? issues.add("verifyTimeout", value, `${read.problem}. ${DURATION_REMEDY}`) : value;
}

function unknownKeys(raw: RawConfig, issues: IssueList): void {
  for (const key of Object.keys(raw)) {
    if ((CONFIG_KEY_NAMES as string[]).includes(key)) continue;
    // `exchange-app-only.role` is `role` with the wrong separator: suggest the key in its namespace.
    const meant = keyAfterProjectName(key);
    const hint = meant !== undefined ? ` Did you mean "${fullKey((CONFIG_KEY_NAMES as string[]).includes(meant) ? meant : (suggest(meant, CONFIG_KEY_NAMES) ?? meant))}"?` : didYouMean(key, CONFIG_KEY_NAMES);
    issues.add(key, raw[key], `is not a key of this project.${hint} Keys: ${CONFIG_KEY_NAMES.join(", ")}.`);
  }
}

/**
 * Validates every key into `issues` and returns the typed config, or undefined when any key is bad. The caller
 * decides when to throw, so other checks (namespaces, provider settings) land in the same error.
 */
export function readTenantConfig(raw: RawConfig, issues: IssueList, now: Date, options: { appless?: boolean } = {}): TenantConfig | undefined {
  const before = issues.count;
  unknownKeys(raw, issues);

  const tenantId = parseTenantId(raw, issues);
  const cloud = parseCloud(raw, issues);
  const organization = parseOrganization(raw, cloud, issues);
  const role = parseRole(raw, issues);
  const workloads = parseWorkloads(raw, issues);
  const exchangeRoles = parseExchangeRoles(raw, issues);
  const adminApi = boolean(raw, "adminApi", issues);
  const displayName = parseDisplayName(raw, issues);
  const owners = parseOwners(raw, issues);
  const protect = boolean(raw, "protect", issues);
  const certificate = parseCertificate(raw, issues, now);
  const wantsSecret = boolean(raw, "clientSecret", issues);
  const lifetimeDays = integer(raw, "clientSecretLifetimeDays", issues, 1, SECRET_LIFETIME_DAYS.max, `secrets live ${SECRET_LIFETIME_DAYS.default} days by default and ${SECRET_LIFETIME_DAYS.max} at most; prefer a certificate for longer`);
  const rotation = integer(raw, "clientSecretRotation", issues, 0, Number.MAX_SAFE_INTEGER, "start at 0 and add 1 to rotate");
  const federatedCredentials = parseFederated(raw, issues);
  const verifyOnUp = boolean(raw, "verifyOnUp", issues);
  const verifyTimeout = parseVerifyTimeout(raw, issues);
  const adopt = parseAdopt(raw, issues);
  const managedIdentity = parseManagedIdentity(raw, issues);
  if (managedIdentity && adopt) issues.add("managedIdentity", raw.managedIdentity, "and adopt both name the identity to grant: a managed identity has no app registration to adopt; keep one of them");
  const keyVault = parseKeyVault(raw, issues);
  const storeless = keyVault && managedIdentity !== undefined && certificate !== undefined && wantsSecret !== undefined
    ? nothingToStore({ managedIdentity, certificateKind: certificate?.kind, clientSecret: wantsSecret })
    : undefined;
  if (storeless) issues.add("keyVault", keyVault!.name, storeless);

  checkIdMeanings(
    {
      tenantId,
      ...(owners ? { owners } : {}),
      ...(adopt ? { adopt } : {}),
      ...(managedIdentity ? { managedIdentity } : {}),
      ...(keyVault ? { keyVault } : {}),
      ...(exchangeRoles ? { exchangeRoles } : {}),
    },
    issues,
  );

  // Judged only on valid keys, like the credential rule below.
  if (role === null && exchangeRoles?.length === 0) {
    issues.add("role", NO_ROLE, 'leaves the app with no rights at all: with role: none, list what it needs in exchangeRoles (for example [{ role: "View-Only Configuration" }]), or set a directory role');
  }
  const mismatch = role !== undefined && workloads !== undefined ? roleWorkloadMismatch(role, workloads) : undefined;
  if (mismatch) issues.add("role", raw.role ?? role?.name, mismatch);

  // Judged only on valid keys: a broken credential entry is reported once, as itself. A tenant that only holds
  // another tenant's app (`appless`, a multi-tenant app's customer) or a managed identity has no credential to hold.
  if (!options.appless && managedIdentity === null && certificate === null && wantsSecret === false && federatedCredentials?.length === 0) {
    issues.add("certificate", "none", "leaves the app with no credential: keep certificate: generate (recommended), set clientSecret: true, or add federatedCredentials");
  }
  if (issues.count > before) return undefined;

  if (options.appless) {
    return { tenantId: tenantId!, organization: organization!, cloud: cloud!, role: role!, workloads: workloads!, exchangeRoles: exchangeRoles!, adminApi: adminApi!, displayName: displayName!, owners: [], protect: false, federatedCredentials: [], verifyOnUp: verifyOnUp!, verifyTimeout: verifyTimeout! };
  }
  return {
    tenantId: tenantId!,
    organization: organization!,
    cloud: cloud!,
    role: role!,
    workloads: workloads!,
    exchangeRoles: exchangeRoles!,
    adminApi: adminApi!,
    displayName: displayName!,
    owners: owners!,
    protect: protect!,
    certificate: certificate ?? undefined,
    clientSecret: wantsSecret ? { lifetimeDays: lifetimeDays!, rotation: rotation! } : undefined,
    federatedCredentials: federatedCredentials!,
    ...(adopt ? { adopt } : {}),
    ...(managedIdentity ? { managedIdentity } : {}),
    ...(keyVault ? { keyVault } : {}),
    // A managed identity signs in only where it lives: `verify --managed-identity` there, not inside `up`.
    verifyOnUp: verifyOnUp! && !managedIdentity && (wantsSecret! || certificate?.kind === "generated"),
    verifyTimeout: verifyTimeout!,
  };
}

/** Validates everything, then returns the typed config or throws one `ConfigError` naming each bad key. */
export function parseTenantConfig(raw: RawConfig, now: Date = new Date()): TenantConfig {
  const issues = new IssueList();
  const tenant = readTenantConfig(raw, issues, now);
  issues.throwIfAny();
  return tenant!;
}
