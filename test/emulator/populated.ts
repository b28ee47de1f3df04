/**
 * A populated tenant for the audit: dozens of Exchange app-only holders of every kind issue 17 names, beside principals
 * that hold nothing, and two auditors (one Exchange lets read its RBAC, one it does not). Each kind is one named holder,
 * so a test asserts what the audit reads and judges about exactly that principal.
 *
 * ```ts
 * const emu = await startEmulator({ graphPageSize: 10 });   // small pages: the holders span several
 * const t = populateTenant(emu);
 * t.holders.globalAdministrator.servicePrincipalObjectId;     // …
 * t.deleteBetweenReads();                                     // `doomed` goes once Graph has listed its grant
 * ```
 */
import { EOP_MANAGE_AS_APP_ROLE, EXCHANGE_ROLES, MANAGE_AS_APP_ROLE, MANAGE_AS_APP_V2_ROLE_VALUE, type CloudName } from "../../src/facts";
import type { Tenant } from "./directory";
import type { TenantEmulator } from "./index";
import { createClientCertificate } from "./pki";

const role = (name: string) => EXCHANGE_ROLES.find((r) => r.name === name)!.templateId;
export const ROLE = {
  exchangeAdministrator: role("Exchange Administrator"),
  recipientAdministrator: role("Exchange Recipient Administrator"),
  globalReader: role("Global Reader"),
  securityReader: role("Security Reader"),
  complianceAdministrator: role("Compliance Administrator"),
  globalAdministrator: role("Global Administrator"),
} as const;

/** The Graph permissions the audit's least-privileged auditor holds (docs: the auditor's permissions). */
export const AUDITOR_GRAPH_PERMISSIONS = ["Application.Read.All", "RoleManagement.Read.Directory"] as const;

/** The holders, one of each kind; `fillers` are well-wired ones that make the tenant span pages. */
export const HOLDER_KINDS = [
  "exchangeAdministrator",
  "noRole",
  "eligibleOnly",
  "rbacOnly",
  "roleWithoutConsent",
  "globalAdministrator",
  "fullAccessUnscoped",
  "fullAccessScoped",
  "manageAsAppV2",
  "protection",
  "complianceWithoutProtection",
  "foreignWriter",
  "foreignReader",
  "managedIdentity",
  "expiredSecret",
  "expiringCertificate",
  "secretBesideCertificate",
  "threeSecrets",
  "githubNameSubject",
  "doomed",
] as const;
export type HolderKind = (typeof HOLDER_KINDS)[number];

export interface PopulatedHolder {
  readonly servicePrincipalObjectId: string;
  readonly clientId: string;
  /** The app registration, when it lives in this tenant. */
  readonly applicationObjectId?: string;
}

export interface Auditor {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly servicePrincipalObjectId: string;
}

export interface PopulatedTenant {
  readonly tenant: Tenant;
  readonly tenantId: string;
  /** The multi-tenant vendor's home tenant. */
  readonly vendorTenantId: string;
  readonly holders: Readonly<Record<HolderKind, PopulatedHolder>>;
  readonly fillers: readonly PopulatedHolder[];
  /** Graph: Application.Read.All, RoleManagement.Read.Directory; Exchange: Exchange.ManageAsApp and Global Reader. */
  readonly auditor: Auditor;
  /** Same Graph permissions; Exchange: Exchange.ManageAsApp and Security Reader, which reads no RBAC. */
  readonly auditorWithoutExchangeView: Auditor;
  /** The moment credential dates are set from (expired: 40 days before; expiring: in 10 days). */
  readonly now: number;
  /** From now on, `doomed` is deleted as soon as a page of Exchange Online's appRoleAssignedTo has listed it. */
  deleteBetweenReads(): void;
}

export interface PopulateOptions {
  readonly cloud?: CloudName;
  /** Well-wired holders besides the named ones (default 24): with a small graphPageSize, several pages. */
  readonly fillers?: number;
  /** Service principals that hold nothing (default 40): the rest of the tenant. */
  readonly bystanders?: number;
  readonly now?: number;
}

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const FULL_ACCESS_AS_APP = "full_access_as_app";

export function populateTenant(emu: TenantEmulator, o: PopulateOptions = {}): PopulatedTenant {
  const d = emu.directory;
  const now = o.now ?? Date.now();
  const tenant = d.addTenant({ cloud: o.cloud ?? "public" });
  const tid = tenant.tenantId;
  const exo = d.getServicePrincipal(tid, tenant.exchangeServicePrincipalObjectId!)!;
  const eop = d.ensureExchangeOnlineProtectionServicePrincipal(tid);
  const roleIdOf = (value: string) => exo.appRoles.find((r) => r.value === value)!.id;
  const graph = d.getServicePrincipal(tid, tenant.graphServicePrincipalObjectId)!;

  const consent = (principal: string, appRoleId: string = MANAGE_AS_APP_ROLE.id, resource: string = exo.objectId) => d.addAppRoleAssignment(tid, { principalObjectId: principal, resourceObjectId: resource, appRoleId });
  const assign = (principal: string, roleTemplateId: string) => d.addDirectoryRoleAssignment(tid, { principalObjectId: principal, roleTemplateId });
  const app = (displayName: string): PopulatedHolder => {
    const a = d.addApplication(tid, { displayName });
    const sp = d.addServicePrincipal(tid, a.clientId);
    return { servicePrincipalObjectId: sp.objectId, clientId: a.clientId, applicationObjectId: a.objectId };
  };
  const registerInExchange = (h: PopulatedHolder, displayName: string) => emu.exchangeRbac.addServicePrincipal(tid, { appId: h.clientId, objectId: h.servicePrincipalObjectId, displayName });

  for (let i = 0; i < (o.bystanders ?? 40); i++) {
    const a = d.addApplication(tid, { displayName: `bystander ${i}` });
    d.addServicePrincipal(tid, a.clientId);
  }

  const holders = {} as Record<HolderKind, PopulatedHolder>;
  const make = (kind: HolderKind, build: (h: PopulatedHolder) => void, h: PopulatedHolder = app(kind)) => {
    build(h);
    holders[kind] = h;
  };

  make("exchangeAdministrator", (h) => {
    consent(h.servicePrincipalObjectId);
    assign(h.servicePrincipalObjectId, ROLE.exchangeAdministrator);
    d.addApplicationOwner(tid, h.applicationObjectId!, { displayName: "Ada Admin", userPrincipalName: "ada@contoso.example" });
  });
  make("noRole", (h) => void consent(h.servicePrincipalObjectId));
  make("eligibleOnly", (h) => {
    consent(h.servicePrincipalObjectId);
    d.addRoleEligibility(tid, { principalObjectId: h.servicePrincipalObjectId, roleTemplateId: ROLE.exchangeAdministrator });
  });
  make("rbacOnly", (h) => {
    consent(h.servicePrincipalObjectId);
    registerInExchange(h, "rbacOnly");
    emu.exchangeRbac.grantRoles(tid, h.servicePrincipalObjectId, ["Mail Recipients"], "Recipient writers");
  });
  make("roleWithoutConsent", (h) => void assign(h.servicePrincipalObjectId, ROLE.recipientAdministrator));
  make("globalAdministrator", (h) => {
    consent(h.servicePrincipalObjectId);
    assign(h.servicePrincipalObjectId, ROLE.globalAdministrator);
  });
  make("fullAccessUnscoped", (h) => void consent(h.servicePrincipalObjectId, roleIdOf(FULL_ACCESS_AS_APP)));
  make("fullAccessScoped", (h) => {
    consent(h.servicePrincipalObjectId, roleIdOf(FULL_ACCESS_AS_APP));
    registerInExchange(h, "fullAccessScoped");
    emu.exchangeRbac.addManagementScope(tid, "Finance mailboxes");
    emu.exchangeRbac.addRoleAssignment(tid, { app: h.servicePrincipalObjectId, role: "Application EWS.AccessAsApp", customResourceScope: "Finance mailboxes" });
  });
  make("manageAsAppV2", (h) => {
    consent(h.servicePrincipalObjectId, roleIdOf(MANAGE_AS_APP_V2_ROLE_VALUE));
    registerInExchange(h, "manageAsAppV2");
    emu.exchangeRbac.grantRoles(tid, h.servicePrincipalObjectId, ["View-Only Configuration"], "Admin API readers");
  });
  make("protection", (h) => {
    consent(h.servicePrincipalObjectId);
    consent(h.servicePrincipalObjectId, EOP_MANAGE_AS_APP_ROLE.id, eop.objectId);
    assign(h.servicePrincipalObjectId, ROLE.complianceAdministrator);
  });
  make("complianceWithoutProtection", (h) => {
    consent(h.servicePrincipalObjectId);
    assign(h.servicePrincipalObjectId, ROLE.complianceAdministrator);
  });

  // A backup vendor's multi-tenant apps: registered in its own tenant, consented here.
  const vendor = d.addTenant({ cloud: o.cloud ?? "public" });
  const foreign = (kind: HolderKind, roleTemplateId: string) =>
    make(
      kind,
      (h) => {
        consent(h.servicePrincipalObjectId);
        assign(h.servicePrincipalObjectId, roleTemplateId);
      },
      (() => {
        const a = d.addApplication(vendor.tenantId, { displayName: `vendor ${kind}`, signInAudience: "AzureADMultipleOrgs" });
        return { servicePrincipalObjectId: d.addServicePrincipal(tid, a.clientId).objectId, clientId: a.clientId };
      })(),
    );
  foreign("foreignWriter", ROLE.recipientAdministrator);
  foreign("foreignReader", ROLE.globalReader);

  make(
    "managedIdentity",
    (h) => {
      consent(h.servicePrincipalObjectId);
      assign(h.servicePrincipalObjectId, ROLE.recipientAdministrator);
    },
    (() => {
      const mi = d.addManagedIdentity(tid, { kind: "user", displayName: "automation-identity" });
      return { servicePrincipalObjectId: mi.objectId, clientId: mi.clientId };
    })(),
  );

  // Credentials: one certificate's PEM serves every app (its end date is the directory's, as Graph reports it).
  const certificatePem = createClientCertificate().certPem;
  const wired = (h: PopulatedHolder) => {
    consent(h.servicePrincipalObjectId);
    assign(h.servicePrincipalObjectId, ROLE.recipientAdministrator);
  };
  make("expiredSecret", (h) => {
    wired(h);
    d.addPassword(tid, h.applicationObjectId!, { displayName: "2024 secret", endDate: iso(now - 40 * DAY) });
  });
  make("expiringCertificate", (h) => {
    wired(h);
    d.addCertificate(tid, h.applicationObjectId!, certificatePem, { endDate: iso(now + 10 * DAY) });
  });
  make("secretBesideCertificate", (h) => {
    wired(h);
    d.addCertificate(tid, h.applicationObjectId!, certificatePem, { endDate: iso(now + 300 * DAY) });
    d.addPassword(tid, h.applicationObjectId!, { displayName: "left over", endDate: iso(now + 200 * DAY) });
  });
  make("threeSecrets", (h) => {
    wired(h);
    for (const n of [1, 2, 3]) d.addPassword(tid, h.applicationObjectId!, { displayName: `secret ${n}`, endDate: iso(now + (100 + n) * DAY) });
  });
  make("githubNameSubject", (h) => {
    wired(h);
    const github = { issuer: "https://token.actions.githubusercontent.com", audiences: ["api://AzureADTokenExchange"] };
    d.addFederatedCredential(tid, h.applicationObjectId!, { ...github, name: "deploy-main", subject: "repo:contoso/exchange-infra:ref:refs/heads/main" });
    d.addFederatedCredential(tid, h.applicationObjectId!, { ...github, name: "deploy-main-immutable", subject: "repo:contoso@1234567/exchange-infra@89012345:ref:refs/heads/main" });
  });
  make("doomed", wired);

  const fillers = Array.from({ length: o.fillers ?? 24 }, (_, i) => {
    const h = app(`filler ${String(i).padStart(2, "0")}`);
    wired(h);
    return h;
  });

  const auditorWith = (displayName: string, exchangeRole: string): Auditor => {
    const h = app(displayName);
    for (const value of AUDITOR_GRAPH_PERMISSIONS) consent(h.servicePrincipalObjectId, graph.appRoles.find((r) => r.value === value)!.id, graph.objectId);
    consent(h.servicePrincipalObjectId);
    assign(h.servicePrincipalObjectId, exchangeRole);
    const { secretText } = d.addPassword(tid, h.applicationObjectId!, { endDate: iso(now + 90 * DAY) });
    return { tenantId: tid, clientId: h.clientId, clientSecret: secretText, servicePrincipalObjectId: h.servicePrincipalObjectId };
  };
  const auditor = auditorWith("auditor", ROLE.globalReader);
  const auditorWithoutExchangeView = auditorWith("auditor without Exchange view", ROLE.securityReader);

  let armed = false;
  return {
    tenant,
    tenantId: tid,
    vendorTenantId: vendor.tenantId,
    holders,
    fillers,
    auditor,
    auditorWithoutExchangeView,
    now,
    deleteBetweenReads() {
      if (armed) return;
      armed = true;
      const doomed = holders.doomed.servicePrincipalObjectId;
      emu.graph.afterAnswer((path, body) => {
        const rows = (body as { value?: { principalId?: string }[] }).value;
        if (!path.startsWith(`servicePrincipals/${exo.objectId}/appRoleAssignedTo`) || !rows?.some((r) => r.principalId === doomed)) return;
        if (d.getServicePrincipal(tid, doomed)) d.removeApplication(tid, holders.doomed.applicationObjectId!);
      });
    },
  };
}
