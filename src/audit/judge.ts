/**
 * The audit's judgement: each rule reads one holder (and the stacks that manage principals) and says what is wrong,
 * with the evidence and the fix. Pure: the same reading and options give the same findings, in the same order.
 */
import {
  EOP_MANAGE_AS_APP_ROLE,
  EXCHANGE_ONLINE_PROTECTION_APP_ID,
  findExchangeRole,
  MANAGE_AS_APP_ROLE,
  MANAGE_AS_APP_V2_ROLE_VALUE,
  MICROSOFT_TENANTS,
  APPLICATION_ROLE_PREFIX,
  type CloudName,
} from "../facts";
import { parseGitHubSubject } from "../facts/github";
import type { AuditReading, DirectoryRoleHolding, Holder, ManagedPrincipal } from "./model";

export const SEVERITIES = ["high", "medium", "low"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The rules, by stable id: what each finds. The id never changes once released; scripts match on it. */
export const RULES = {
  "wiring.no-role": "Exchange.ManageAsApp without a directory role Exchange accepts and without Exchange RBAC",
  "wiring.no-consent": "a directory role Exchange accepts without Exchange.ManageAsApp",
  "wiring.no-protection-permission": "Security & Compliance work in GCC High or DoD without Exchange Online Protection's Exchange.ManageAsApp",
  "privilege.global-administrator": "Global Administrator",
  "privilege.exchange-administrator": "Exchange Administrator where Exchange RBAC or a narrower role would do",
  "privilege.full-access-unscoped": "full_access_as_app (every mailbox over EWS) with no RBAC for Applications scope",
  "privilege.foreign-write": "a multi-tenant app from another tenant holding Exchange.ManageAsApp with a write role",
  "credential.expired": "an expired credential",
  "credential.expiring": "a credential that expires soon",
  "credential.secret-beside-certificate": "a client secret beside a certificate",
  "credential.too-many-secrets": "more than two client secrets",
  "credential.github-name-subject": "a GitHub subject in the old name-based form beside the immutable form of the same repository",
  "unmanaged": "not managed by any stack given",
} as const;
export type RuleId = keyof typeof RULES;

export interface Finding {
  readonly rule: RuleId;
  /** Stable for the same rule, principal and credential across runs: `<rule>:<servicePrincipalObjectId>[:<keyId>]`. */
  readonly id: string;
  readonly severity: Severity;
  readonly principal: { readonly displayName: string; readonly appId: string; readonly servicePrincipalObjectId: string };
  readonly evidence: string;
  readonly fix: string;
}

export interface JudgeOptions {
  /** Credentials that end within this many days are reported (30 by default). */
  readonly expiryWarningDays?: number;
  /** Principals the given stacks manage; without it, nothing is judged unmanaged. */
  readonly managed?: readonly ManagedPrincipal[];
}

const GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";
const EXCHANGE_ADMINISTRATOR = "29232cdf-9323-42fd-ade2-1d097af3e4de";
/** Accepted roles that change nothing: read-only in Exchange. */
const READ_ONLY_ROLES = new Set(["f2ef992c-3afb-46b9-b7cf-a126ee74c451", "5d6b6bb7-de71-4623-b4af-96380a352509"]);
const FULL_ACCESS_AS_APP = "full_access_as_app";
const DAY_MS = 86_400_000;

const holdsValue = (h: Holder, resource: "exchange" | "protection", value: string) => h.grants.some((g) => g.resource === resource && g.value === value);
const holdsManageAsApp = (h: Holder) => h.grants.some((g) => g.resource === "exchange" && (g.value === MANAGE_AS_APP_ROLE.value || g.appRoleId === MANAGE_AS_APP_ROLE.id));
/** Directory roles Exchange accepts for app-only access, active only: app-only sign-in never activates an eligible one. */
const acceptedActive = (h: Holder) => h.directoryRoles.filter((r) => r.kind === "active" && findExchangeRole(r.roleTemplateId));
const rbacGrants = (h: Holder) => (h.exchangeRbac?.registered ? h.exchangeRbac.roleAssignments.length + h.exchangeRbac.roleGroups.length : 0);
const roleList = (roles: readonly DirectoryRoleHolding[]) => roles.map((r) => `${r.roleName}${r.kind === "eligible" ? " (eligible, PIM)" : ""}`).join(", ");

/** What a rule finds; `keyId` names the credential when it is about one (the finding's id then includes it). */
type Found = Omit<Finding, "principal" | "id"> & { readonly keyId?: string };

/** One rule over one holder: its findings (none, one, or one a credential). */
type Rule = (h: Holder, context: Context) => Found[];

interface Context {
  readonly tenantId: string;
  readonly environment: CloudName;
  readonly now: number;
  readonly warningDays: number;
}

const RULE_CHECKS: Rule[] = [
  function noRole(h) {
    if (!holdsManageAsApp(h) || acceptedActive(h).length > 0 || rbacGrants(h) > 0) return [];
    const eligible = h.directoryRoles.filter((r) => r.kind === "eligible" && findExchangeRole(r.roleTemplateId));
    const rbacUnknown = h.exchangeRbac === undefined;
    return [
      {
        rule: "wiring.no-role",
        severity: rbacUnknown ? "medium" : "high",
        evidence:
          `holds Exchange.ManageAsApp but no active directory role Exchange accepts` +
          (eligible.length > 0 ? ` (only eligible: ${roleList(eligible)}; app-only sign-in never activates one)` : "") +
          (rbacUnknown ? ", and Exchange's RBAC could not be read, so an RBAC grant may exist" : ", and no Exchange RBAC (no role group membership, no management role assignment)"),
        fix: "Assign it a directory role Exchange accepts (Exchange Recipient Administrator or narrower), or add its service principal to an Exchange role group (New-ServicePrincipal, Add-RoleGroupMember); or remove the consent if it is unused.",
      },
    ];
  },
  function noConsent(h) {
    const roles = acceptedActive(h);
    if (roles.length === 0 || holdsManageAsApp(h) || holdsValue(h, "exchange", MANAGE_AS_APP_V2_ROLE_VALUE)) return [];
    return [
      {
        rule: "wiring.no-consent",
        severity: "medium",
        evidence: `holds ${roleList(roles)} but no admin consent for Office 365 Exchange Online's Exchange.ManageAsApp: Exchange refuses its app-only tokens`,
        fix: `Grant admin consent for Exchange.ManageAsApp (${MANAGE_AS_APP_ROLE.id}) to the app, or remove the role if it does not use Exchange app-only.`,
      },
    ];
  },
  function noProtectionPermission(h, c) {
    if (c.environment !== "usgovernment" && c.environment !== "dod") return [];
    const compliance = acceptedActive(h).filter((r) => findExchangeRole(r.roleTemplateId)!.workloads.includes("compliance"));
    if (!holdsManageAsApp(h) || compliance.length === 0 || holdsValue(h, "protection", EOP_MANAGE_AS_APP_ROLE.value)) return [];
    return [
      {
        rule: "wiring.no-protection-permission",
        severity: "medium",
        evidence: `holds ${roleList(compliance)} (a Security & Compliance role) in ${c.environment === "dod" ? "DoD" : "GCC High"} without Exchange Online Protection's Exchange.ManageAsApp`,
        fix: `If the app runs Connect-IPPSSession, grant Exchange Online Protection's Exchange.ManageAsApp (${EOP_MANAGE_AS_APP_ROLE.id} on ${EXCHANGE_ONLINE_PROTECTION_APP_ID}), as Microsoft's note for GCC High and DoD says.`,
      },
    ];
  },
  function globalAdministrator(h) {
    const held = h.directoryRoles.filter((r) => r.roleTemplateId === GLOBAL_ADMINISTRATOR);
    if (held.length === 0) return [];
    return [
      {
        rule: "privilege.global-administrator",
        severity: "high",
        evidence: `holds ${roleList(held)}: everything in the tenant, not only Exchange`,
        fix: "Replace it with Exchange Administrator, a narrower accepted role, or Exchange RBAC (docs/least-privilege.md).",
      },
    ];
  },
  function exchangeAdministrator(h) {
    if (!h.directoryRoles.some((r) => r.kind === "active" && r.roleTemplateId === EXCHANGE_ADMINISTRATOR)) return [];
    const rbac = rbacGrants(h);
    return [
      {
        rule: "privilege.exchange-administrator",
        severity: rbac > 0 ? "medium" : "low",
        evidence:
          rbac > 0
            ? `holds Exchange Administrator (every Exchange cmdlet) beside ${rbac} Exchange RBAC grant(s) that already say what it may do`
            : "holds Exchange Administrator: every Exchange cmdlet, where a narrower role or Exchange RBAC often does",
        fix:
          rbac > 0
            ? "Remove the directory role: Exchange RBAC alone grants what its role groups hold (role: none with exchangeRoles)."
            : "Use Exchange Recipient Administrator or Global Reader if they cover the work, or Exchange RBAC scoped to what it touches (exchangeRoles).",
      },
    ];
  },
  function fullAccessUnscoped(h) {
    if (!holdsValue(h, "exchange", FULL_ACCESS_AS_APP)) return [];
    const scoped = h.exchangeRbac?.roleAssignments.some((a) => a.role.startsWith(APPLICATION_ROLE_PREFIX) && a.scope);
    if (scoped) return [];
    return [
      {
        rule: "privilege.full-access-unscoped",
        severity: h.exchangeRbac === undefined ? "medium" : "high",
        evidence:
          h.exchangeRbac === undefined
            ? "holds full_access_as_app (every mailbox over EWS); Exchange's RBAC could not be read to find a scope"
            : "holds full_access_as_app (every mailbox over EWS) and no RBAC for Applications assignment with a scope",
        fix: 'Scope it with RBAC for Applications (New-ManagementScope, New-ManagementRoleAssignment -App <ObjectId> -Role "Application EWS.AccessAsApp" -CustomResourceScope <scope>), then remove the full_access_as_app consent.',
      },
    ];
  },
  function foreignWrite(h, c) {
    const owner = h.appOwnerOrganizationId?.toLowerCase();
    if (!owner || owner === c.tenantId.toLowerCase() || MICROSOFT_TENANTS.has(owner) || !holdsManageAsApp(h)) return [];
    const writes = acceptedActive(h).filter((r) => !READ_ONLY_ROLES.has(r.roleTemplateId));
    if (writes.length === 0) return [];
    return [
      {
        rule: "privilege.foreign-write",
        severity: "medium",
        evidence: `an app of tenant ${owner} holds Exchange.ManageAsApp with ${roleList(writes)}: its owner can change this tenant's Exchange`,
        fix: "Confirm the vendor needs to write; give it Global Reader, or Exchange RBAC scoped to what it touches, else remove the role and the consent.",
      },
    ];
  },
  function credentialExpiry(h, c) {
    const app = h.application;
    if (!app) return [];
    const live = app.credentials.filter((k) => Date.parse(k.endDateTime) >= c.now);
    return app.credentials.flatMap((k): Found[] => {
      const end = Date.parse(k.endDateTime);
      const label = `${k.kind === "secret" ? "client secret" : "certificate"} ${k.displayName ? `"${k.displayName}" ` : ""}(key ${k.keyId})`;
      if (end < c.now) {
        const stranded = live.length === 0 && app.federatedCredentials.length === 0;
        return [
          {
            rule: "credential.expired",
            severity: stranded ? "high" : "low",
            evidence: `${label} expired on ${k.endDateTime}${stranded ? ": the app has no credential that works" : ""}`,
            fix: stranded ? "Add a certificate (certificate: generate, or certificateRotation), then remove the expired one." : "Remove the expired credential: it only clutters the app.",
            keyId: k.keyId,
          },
        ];
      }
      if (end - c.now > c.warningDays * DAY_MS) return [];
      return [
        {
          rule: "credential.expiring",
          severity: "medium",
          evidence: `${label} expires on ${k.endDateTime}, in ${Math.floor((end - c.now) / DAY_MS)} days`,
          fix: "Rotate it now (certificateRotation / clientSecretRotation add 1): the previous one stays valid until the next rotation.",
          keyId: k.keyId,
        },
      ];
    });
  },
  function secretBesideCertificate(h, c) {
    const live = (h.application?.credentials ?? []).filter((k) => Date.parse(k.endDateTime) >= c.now);
    if (!live.some((k) => k.kind === "secret") || !live.some((k) => k.kind === "certificate")) return [];
    return [{ rule: "credential.secret-beside-certificate", severity: "low", evidence: "has a client secret beside a certificate: the secret is the weaker way in", fix: "Remove the client secret if nothing signs in with it (clientSecret: false)." }];
  },
  function tooManySecrets(h) {
    const secrets = (h.application?.credentials ?? []).filter((k) => k.kind === "secret");
    if (secrets.length <= 2) return [];
    return [{ rule: "credential.too-many-secrets", severity: "low", evidence: `has ${secrets.length} client secrets; overlapping rotation needs two at most`, fix: "Remove the secrets nothing uses; keep the current one and the previous one." }];
  },
  function githubNameSubject(h) {
    const subjects = (h.application?.federatedCredentials ?? []).map((f) => ({ f, parsed: parseGitHubSubject(f.subject) }));
    const immutable = subjects.filter((s) => s.parsed?.repository.ids).map((s) => `${s.parsed!.repository.owner}/${s.parsed!.repository.name}`.toLowerCase());
    return subjects.flatMap(({ f, parsed }): Found[] => {
      if (!parsed || parsed.repository.ids) return [];
      const repository = `${parsed.repository.owner}/${parsed.repository.name}`;
      if (!immutable.includes(repository.toLowerCase())) return [];
      return [
        {
          rule: "credential.github-name-subject",
          severity: "low",
          evidence: `federated credential "${f.name}" has the name-based subject ${f.subject}, and the same app trusts ${repository} in the immutable form`,
          fix: "Finish the migration: once the workflow signs in with the immutable subject, remove the name-based credential (docs/federated-credentials.md).",
          keyId: f.name,
        },
      ];
    });
  },
];

/** Whether `managed` names the holder: by its client id or its service principal's object id. */
function managedBy(h: Holder, managed: readonly ManagedPrincipal[]): ManagedPrincipal | undefined {
  const same = (a?: string, b?: string) => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
  return managed.find((m) => same(m.clientId, h.appId) || same(m.servicePrincipalObjectId, h.servicePrincipalObjectId));
}

/** Microsoft's own principals (first-party apps) are never ours to manage. */
const isMicrosoft = (h: Holder) => h.appOwnerOrganizationId !== undefined && MICROSOFT_TENANTS.has(h.appOwnerOrganizationId.toLowerCase());

export interface Judgement {
  readonly findings: Finding[];
  /** The stack managing each holder that one does, by service principal object id. */
  readonly managedBy: Record<string, string>;
}

const rank = (s: Severity) => SEVERITIES.indexOf(s);

export function judge(reading: AuditReading, options: JudgeOptions = {}): Judgement {
  const context: Context = { tenantId: reading.tenantId, environment: reading.environment, now: Date.parse(reading.readAt), warningDays: options.expiryWarningDays ?? 30 };
  const findings: Finding[] = [];
  const managedByStack: Record<string, string> = {};
  for (const h of reading.holders) {
    const principal = { displayName: h.displayName, appId: h.appId, servicePrincipalObjectId: h.servicePrincipalObjectId };
    for (const check of RULE_CHECKS) {
      for (const found of check(h, context)) {
        const { keyId, ...rest } = found;
        findings.push({ ...rest, id: `${found.rule}:${h.servicePrincipalObjectId}${keyId ? `:${keyId}` : ""}`, principal });
      }
    }
    if (options.managed === undefined) continue;
    const manager = managedBy(h, options.managed);
    if (manager) managedByStack[h.servicePrincipalObjectId] = manager.stack;
    else if (!isMicrosoft(h)) {
      findings.push({
        rule: "unmanaged",
        id: `unmanaged:${h.servicePrincipalObjectId}`,
        severity: "low",
        principal,
        evidence: "no stack given manages it (none of their outputs names its client id or service principal)",
        fix: h.application ? "Bring it under a stack with the adopt block the report prints, or remove its Exchange access if nothing uses it." : "It is not an app of this tenant: review its access with its owner, or remove it.",
      });
    }
  }
  findings.sort((a, b) => rank(a.severity) - rank(b.severity) || a.principal.displayName.localeCompare(b.principal.displayName) || a.id.localeCompare(b.id));
  return { findings, managedBy: managedByStack };
}
