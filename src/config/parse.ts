/**
 * Stack config → one typed `TenantConfig`, or a `ConfigError` listing every bad value with its key and fix.
 * Pure: the caller passes the raw values (strings, as the Pulumi engine hands them over) and the clock.
 *
 * Every key the stack sets is read and validated on its own first, even where another key makes it unused; the
 * checks that join keys ("no credential at all") run only on keys that were valid, so one mistake gives one message.
 */
import { z } from "zod";
import { CLOUDS, CLOUD_NAMES, SECRET_LIFETIME_DAYS, isCloudName, isDirectoryId, type Cloud } from "../facts";
import { DURATION_REMEDY, readDuration } from "../text/duration";
import { tenantGuidProblem } from "../check/ids";
import { parseAdopt } from "./adopt";
import { parseCertificate } from "./certificate";
import { parseExchangeRoles } from "./exchangeRoles";
import { checkIdMeanings } from "./idMeanings";
import { nothingToStore, parseKeyVault } from "./keyVault";
import { parseManagedIdentity } from "./managedIdentity";
import { adviceFor } from "./concepts";
import { ignoredKeys, modesOf, shownValue, type Place } from "./modes";
import { regionProblem } from "./region";
import { parseFederated } from "./federated";
import { rotationCounter } from "./rotation";
import { CONFIG_KEY_NAMES, fullKey } from "./keys";
import { keyAfterProjectName } from "./namespaces";
import { NO_ROLE, parseRole } from "./role";
import type { CertificateConfig, TenantConfig } from "./stackConfig";
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

/**
 * `how` is the value to write. A one-tenant stack sets the key with `pulumi config set`; a `tenants` entry (`entry`
 * names it) writes it into that entry, never at the stack level, where every tenant would share it; a component
 * (`component` names it) takes it as an arg.
 */
function required(raw: RawConfig, key: "tenantId" | "organization", issues: IssueList, how: string, where: Where): string | undefined {
  const fix =
    where.component !== undefined
      ? `pass ${key}: ${how} to ${where.component}`
      : where.entry === undefined
        ? `pulumi config set ${key} ${how}`
        : `add ${key}: ${how} to ${where.entry}, the entry this key is missing from`;
  if (raw[key] === undefined) return issues.add(key, undefined, `is required: ${fix}`);
  const value = text(raw, key, issues);
  return value === "" ? issues.add(key, raw[key], `is required: ${fix}`) : value;
}

/** Where the values come from, for a fix that says where to write one. */
type Where = Pick<ReadOptions, "entry" | "component">;

function parseTenantId(raw: RawConfig, issues: IssueList, where: Where): string | undefined {
  const value = required(raw, "tenantId", issues, "<the tenant's id, a GUID: Entra admin center → Overview → Tenant ID>", where);
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
  return issues.add("environment", value, `is not a cloud this project knows.${adviceFor("environment", value, CLOUD_NAMES)} Use one of: ${CLOUD_NAMES.join(", ")}.`);
}

function parseOrganization(raw: RawConfig, cloud: Cloud | undefined, issues: IssueList, where: Where): string | undefined {
  // The example fits the stack's cloud, so following it gives a value this parser accepts.
  const suffix = (cloud ?? CLOUDS.public).initialDomainSuffixes[0]!;
  const value = required(raw, "organization", issues, `<tenant>${suffix} (the tenant's initial domain)`, where);
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
export interface ReadOptions {
  /** A customer tenant of a multi-tenant app: it holds no app of its own. */
  readonly appless?: boolean;
  /** The `tenants` entry being read, as messages name it (`tenants[2]`); undefined for a one-tenant stack. */
  readonly entry?: string;
  /** The component whose args these are (`ExchangeAppOnly`); undefined for stack config. */
  readonly component?: string;
  /** Where the entry stands (customer, manual consent, perTenant), for the keys its mode ignores. */
  readonly place?: Place;
  /**
   * The keys written for this tenant (a one-tenant stack: all of `raw`; an entry: its own keys, entry-only ones
   * included). A key a mode ignores is refused where it is written; one inherited from the stack level only when
   * the mode must not inherit it.
   */
  readonly written?: Readonly<Record<string, string | undefined>>;
  /**
   * Keys whose values arrive later: a component arg given as another resource's output. Their own checks wait for
   * the value (the caller reads the config again once it resolves); rules joining keys count them as set. The
   * config returned holds placeholders for them, which the caller replaces.
   */
  readonly later?: ReadonlySet<LaterKey>;
}

/** The keys a component takes as another resource's output (`pulumi.Input`). */
export const LATER_KEYS = ["tenantId", "displayName", "owners", "certificate"] as const;
export type LaterKey = (typeof LATER_KEYS)[number];

/** What a later `certificate` stands for until it resolves: a supplied PEM (an output is never a mode's name). */
const LATER_CERTIFICATE: CertificateConfig = {
  kind: "supplied",
  pem: "",
  info: { thumbprint: "", subject: "", notBefore: new Date(0), notAfter: new Date(0), keyType: "rsa" },
};

/** Validates the certificate's generation keys; the certificate itself is read when it resolves. */
function laterCertificate(raw: RawConfig, issues: IssueList, now: Date): CertificateConfig | undefined {
  const before = issues.count;
  parseCertificate({ ...raw, certificate: "none" }, issues, now);
  return issues.count > before ? undefined : LATER_CERTIFICATE;
}

/** The keys this tenant's modes ignore: refused where written, and where inherited when the mode says so. */
function refuseIgnored(raw: RawConfig, written: Readonly<Record<string, string | undefined>> | undefined, place: Place | undefined, issues: IssueList): void {
  const modes = modesOf(raw, place);
  // A one-tenant stack's values may be Pulumi.yaml defaults, which nobody wrote; an entry's own were written.
  const own = written ?? raw;
  for (const ignored of ignoredKeys(modes, own, written === undefined)) issues.add(ignored.key, shownValue(own[ignored.key]!), ignored.why);
  if (written === undefined) return;
  const inherited = Object.fromEntries(Object.entries(raw).filter(([key]) => written[key] === undefined));
  for (const ignored of ignoredKeys(modes, inherited).filter((i) => i.evenInherited)) issues.add(ignored.key, shownValue(inherited[ignored.key]!), ignored.why);
}

/** The field of a structured key as the stack wrote it, for a message. */
function writtenField(json: string | undefined, field: string): unknown {
  try {
    return (JSON.parse(json ?? "null") as Record<string, unknown> | null)?.[field];
  } catch {
    return undefined;
  }
}

export function readTenantConfig(raw: RawConfig, issues: IssueList, now: Date, options: ReadOptions = {}): TenantConfig | undefined {
  const before = issues.count;
  unknownKeys(raw, issues);
  refuseIgnored(raw, options.written, options.place, issues);

  const later = options.later ?? new Set<LaterKey>();
  const tenantId = later.has("tenantId") ? "" : parseTenantId(raw, issues, options);
  const cloud = parseCloud(raw, issues);
  const organization = parseOrganization(raw, cloud, issues, options);
  const role = parseRole(raw, issues);
  const workloads = parseWorkloads(raw, issues);
  const exchangeRoles = parseExchangeRoles(raw, issues);
  const adminApi = boolean(raw, "adminApi", issues);
  const displayName = later.has("displayName") ? "" : parseDisplayName(raw, issues);
  const owners = later.has("owners") ? [] : parseOwners(raw, issues);
  const protect = boolean(raw, "protect", issues);
  const certificate = later.has("certificate") ? laterCertificate(raw, issues, now) : parseCertificate(raw, issues, now);
  const wantsSecret = boolean(raw, "clientSecret", issues);
  const lifetimeDays = integer(raw, "clientSecretLifetimeDays", issues, 1, SECRET_LIFETIME_DAYS.max, `secrets live ${SECRET_LIFETIME_DAYS.default} days by default and ${SECRET_LIFETIME_DAYS.max} at most; prefer a certificate for longer`);
  const rotation = rotationCounter(raw, "clientSecretRotation", issues);
  const federatedCredentials = parseFederated(raw, issues);
  const verifyOnUp = boolean(raw, "verifyOnUp", issues);
  const verifyTimeout = parseVerifyTimeout(raw, issues);
  const adopt = parseAdopt(raw, issues);
  const managedIdentity = parseManagedIdentity(raw, issues);
  const keyVault = parseKeyVault(raw, issues);
  // A managed identity with a vault is a key its mode ignores (refuseIgnored); here, an app with nothing to store.
  const storeless = keyVault && managedIdentity === null && certificate !== undefined && wantsSecret !== undefined
    ? nothingToStore({ certificateKind: certificate?.kind, clientSecret: wantsSecret })
    : undefined;
  if (storeless) issues.add("keyVault", keyVault!.name, storeless);

  // Regions the tenant's Azure cloud has (ARM refuses others at deploy time, after other resources exist).
  if (managedIdentity && managedIdentity.kind !== "existing") {
    const problem = regionProblem(managedIdentity.location, cloud);
    if (problem) issues.add("managedIdentity.location", writtenField(raw.managedIdentity, "location"), problem);
  }
  if (keyVault) {
    const problem = regionProblem(keyVault.location, cloud);
    if (problem) issues.add("keyVault.location", writtenField(raw.keyVault, "location"), problem);
  }
  if (role === null && adopt?.roleAssignmentId !== undefined) {
    issues.add(
      "adopt.roleAssignmentId",
      adopt.roleAssignmentId,
      "names a directory role assignment to import, and role: none declares none: it would stay in Entra unmanaged, and the app would keep that role. " +
        "Set role to the role it assigns (the assignment's roleDefinitionId), or remove roleAssignmentId and delete the assignment in Entra (Entra admin center → Roles and administrators → the role → remove the app)",
    );
  }

  checkIdMeanings(
    {
      tenantId: later.has("tenantId") ? undefined : tenantId,
      ...(owners && !later.has("owners") ? { owners } : {}),
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
