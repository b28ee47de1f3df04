/**
 * The emulated directory: tenants, applications, service principals, credentials and role assignments, each with
 * its own propagation delay. Tokens and Exchange answers are derived from what is *visible* at the moment of the
 * request, so a wrongly wired program yields a wrong token, as in Azure.
 */
import { randomBytes, randomUUID, X509Certificate } from "node:crypto";
import {
  CLOUDS,
  EOP_MANAGE_AS_APP_ROLE,
  EXCHANGE_ONLINE_APP_ID,
  EXCHANGE_ONLINE_PROTECTION_APP_ID,
  MANAGE_AS_APP_ROLE,
  MANAGE_AS_APP_V2_ROLE_VALUE,
  MICROSOFT_GRAPH_APP_ID,
  type CloudName,
} from "../../src/facts";
import { thumbprints } from "./pki";

/** Per-object propagation delay: the object is invisible to the token and invoke endpoints until then. */
export interface Visibility {
  readonly visibleAfterMs?: number;
}

export interface AppRole {
  readonly id: string;
  readonly value: string;
  readonly displayName: string;
  readonly allowedMemberTypes: readonly string[];
  readonly enabled: boolean;
}

export interface RequiredResourceAccess {
  readonly resourceAppId: string;
  readonly resourceAccess: readonly { readonly id: string; readonly type: string }[];
}

export interface Tenant {
  readonly tenantId: string;
  /** Initial domain, for example `contoso.onmicrosoft.com`. */
  readonly organization: string;
  /** The cloud the tenant lives in: names its Exchange and Graph resources (token audiences). Default `public`. */
  readonly cloud: CloudName;
  /** Object id of the "Office 365 Exchange Online" service principal, when the tenant has one. */
  readonly exchangeServicePrincipalObjectId?: string;
  /** Object id of the Microsoft Graph service principal (every tenant has one). */
  readonly graphServicePrincipalObjectId: string;
}

interface Timed {
  readonly createdAt: number;
  visibleAt: number;
}

export interface PasswordRecord extends Timed {
  readonly keyId: string;
  readonly secretText: string;
  readonly endDate?: string;
  readonly displayName?: string;
}

export interface CertificateRecord extends Timed {
  readonly keyId: string;
  readonly certificatePem: string;
  /** base64url SHA-1 / SHA-256 of the DER, as they appear in a client assertion's `x5t` / `x5t#S256` header. */
  readonly x5t: string;
  readonly x5tS256: string;
  readonly endDate?: string;
}

/** An owner of an application (users are not modelled beyond what Graph's `owners` shows). */
export interface OwnerRecord {
  readonly id: string;
  readonly displayName: string;
  readonly userPrincipalName?: string;
}

export interface FederatedCredentialRecord extends Timed {
  readonly id: string;
  readonly name: string;
  readonly issuer: string;
  readonly subject: string;
  readonly audiences: readonly string[];
}

/**
 * Who may sign in to an app: `AzureADMyOrg` = its own tenant only; the others make it multi-tenant, so other
 * tenants (of the same cloud) may hold its service principal and get tokens for it.
 */
export type SignInAudience = "AzureADMyOrg" | "AzureADMultipleOrgs" | "AzureADandPersonalMicrosoftAccount" | "PersonalMicrosoftAccount";

export function isMultiTenantAudience(audience: SignInAudience): boolean {
  return audience === "AzureADMultipleOrgs" || audience === "AzureADandPersonalMicrosoftAccount";
}

export interface ApplicationRecord extends Timed {
  readonly objectId: string;
  readonly clientId: string;
  displayName: string;
  signInAudience: SignInAudience;
  /** The tenant the app is registered in (its home tenant). */
  readonly tenantId: string;
  requiredResourceAccess: readonly RequiredResourceAccess[];
  readonly passwords: PasswordRecord[];
  readonly certificates: CertificateRecord[];
  readonly federatedCredentials: FederatedCredentialRecord[];
  readonly owners: OwnerRecord[];
}

export interface ServicePrincipalRecord extends Timed {
  readonly objectId: string;
  readonly clientId: string;
  readonly displayName: string;
  /** The identifiers a token request may name as its resource (`{name}/.default`). */
  readonly servicePrincipalNames: readonly string[];
  readonly appRoles: readonly AppRole[];
  /** First-party principals (Exchange, Graph) come with the tenant. */
  readonly firstParty: boolean;
  /** Set for a managed identity's principal (it has no application registration in the tenant). */
  readonly managedIdentity?: { readonly kind: "system" | "user"; readonly resourceId: string };
  /** The tenant the principal's application is registered in, when it is another tenant (a multi-tenant app). */
  readonly appOwnerTenantId?: string;
}

export interface AppRoleAssignmentRecord extends Timed {
  readonly id: string;
  readonly principalObjectId: string;
  readonly resourceObjectId: string;
  readonly appRoleId: string;
}

export interface DirectoryRoleAssignmentRecord extends Timed {
  readonly id: string;
  readonly principalObjectId: string;
  readonly roleTemplateId: string;
  readonly directoryScopeId: string;
}

/** A PIM eligibility: the principal may activate the role (app-only sign-in never does); Graph lists it, tokens ignore it. */
export interface RoleEligibilityRecord extends Timed {
  readonly id: string;
  readonly principalObjectId: string;
  readonly roleTemplateId: string;
  readonly directoryScopeId: string;
}

export interface TenantRecord {
  readonly tenantId: string;
  readonly organization: string;
  readonly cloud: CloudName;
  /**
   * What this tenant's Exchange answers to where Microsoft's real audience differs from the facts' inferred one (the
   * DoD and China values are inferred: src/facts/clouds.ts). Tests of verify's overrides set it; absent = the facts.
   */
  readonly exchangeAnswersTo?: ExchangeAnswersTo;
  readonly applications: Map<string, ApplicationRecord>; // by objectId
  readonly servicePrincipals: Map<string, ServicePrincipalRecord>; // by objectId
  readonly appRoleAssignments: Map<string, AppRoleAssignmentRecord>;
  readonly directoryRoleAssignments: Map<string, DirectoryRoleAssignmentRecord>;
  readonly roleEligibilities: Map<string, RoleEligibilityRecord>;
}

/** The error a directory helper throws when asked about something that does not exist (a test bug, not a fault). */
export class DirectoryError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "DirectoryError";
    this.code = code;
  }
}

/** A tenant is in the public cloud unless it is created with another `cloud`. */
/** The first-party "Azure Key Vault" application. */
export const KEY_VAULT_APP_ID = "cfa8b339-82a2-471a-a3c9-0fc0be7a4093";
export const EXCHANGE_RESOURCE = CLOUDS.public.exchangeResource;
export const GRAPH_RESOURCE = CLOUDS.public.graphResource;

/** The Exchange Online surfaces whose audience a tenant may answer to differently from the facts. */
export type ExchangeAnswersTo = Partial<Record<"invokeCommand" | "adminApi", string>>;

/** The audience a tenant's Exchange accepts on a surface: the cloud's (src/facts/clouds.ts), or the tenant's own. */
export function exchangeAudienceOf(tenant: Pick<TenantRecord, "cloud" | "exchangeAnswersTo">, surface: "invokeCommand" | "adminApi"): string {
  return tenant.exchangeAnswersTo?.[surface] ?? CLOUDS[tenant.cloud][surface].resource;
}

/**
 * The names a token request may use for Exchange Online in a cloud: the audience of each of its surfaces
 * (InvokeCommand's, the Admin API's: two in China) with or without `/`, and Security & Compliance's resource, which
 * the same principal serves (Connect-IPPSSession asks for it; DoD's second documented URI too, since the docs disagree).
 */
export function exchangeResourceNames(cloud: CloudName, answersTo: ExchangeAnswersTo = {}): string[] {
  const tenant = { cloud, exchangeAnswersTo: answersTo };
  const resources = [...new Set([exchangeAudienceOf(tenant, "invokeCommand"), exchangeAudienceOf(tenant, "adminApi")])];
  const compliance = complianceResources(cloud);
  return [
    ...resources.flatMap((r) => [r, `${r}/`]),
    EXCHANGE_ONLINE_APP_ID,
    ...compliance.flatMap((c) => [c, `${c}/`]),
    ...(cloud === "public" ? ["https://outlook.office.com", "https://ps.outlook.com"] : []),
  ];
}

/** Security & Compliance's token resources in a cloud (DoD: both the docs name). */
export function complianceResources(cloud: CloudName): string[] {
  const c = CLOUDS[cloud].compliance;
  return [c.resource, ...(c.disputed ? [c.disputed.resource] : [])];
}

/**
 * Exchange.ManageAsAppV2 (the Admin API, preview) on the emulated Exchange principal. Microsoft's id is unconfirmed
 * and the program resolves it by value, so the emulator makes one up: a test that hard-codes an id fails here.
 */
export const EMULATED_MANAGE_AS_APP_V2_ROLE_ID = "6a1c2a3b-0e7d-4f4e-9c5b-1d2e3f4a5b6c";

/**
 * Microsoft Graph's application permissions the emulator knows: what the audit's reader needs (and User.Read.All,
 * which inspect-token tests use). Graph answers by the values a token's `roles` carries; the ids are the ones
 * Microsoft's Graph permissions reference lists, and nothing here depends on them.
 */
export const GRAPH_APP_ROLES: readonly AppRole[] = [
  ["df021288-bdef-4463-88db-98f22de89214", "User.Read.All", "Read all users' full profiles"],
  ["9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", "Application.Read.All", "Read all applications"],
  ["483bed4a-2ad3-4361-a73b-c83ccdbdc53c", "RoleManagement.Read.Directory", "Read all directory RBAC settings"],
  ["ff278e11-4a33-4d0c-83d2-d01dc58929a5", "RoleEligibilitySchedule.Read.Directory", "Read all eligible role assignments for your company's directory"],
  ["498476ce-e0fe-48b0-b801-37ba7e2685c6", "Organization.Read.All", "Read organization information"],
  ["7ab1d382-f21e-4acd-a863-ba3e13f7da61", "Directory.Read.All", "Read directory data"],
].map(([id, value, displayName]) => ({ id: id!, value: value!, displayName: displayName!, allowedMemberTypes: ["Application"], enabled: true }));

function generateSecret(): string {
  // Entra's generated secrets: 40 characters, a 3-character prefix, `~` among them. The shape is irrelevant to
  // the check; the length and charset are close enough to exercise redaction.
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789~._-";
  const bytes = randomBytes(40);
  let s = "";
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return s;
}

function randomOrganization(): string {
  return `contoso${randomBytes(3).toString("hex")}.onmicrosoft.com`;
}

export class Directory {
  private readonly tenants = new Map<string, TenantRecord>();
  private readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
  }

  // ---- tenants -------------------------------------------------------------------------------------------

  addTenant(p?: { tenantId?: string; organization?: string; withExchange?: boolean; cloud?: CloudName; exchangeAnswersTo?: ExchangeAnswersTo }): Tenant {
    const tenantId = (p?.tenantId ?? randomUUID()).toLowerCase();
    if (this.tenants.has(tenantId)) throw new DirectoryError("TENANT_EXISTS", `tenant ${tenantId} already exists`);
    const cloud = p?.cloud ?? "public";
    if (!(cloud in CLOUDS)) throw new DirectoryError("CLOUD_INVALID", `unknown cloud ${cloud}`);
    const graphResource = CLOUDS[cloud].graphResource;
    const record: TenantRecord = {
      tenantId,
      organization: p?.organization ?? randomOrganization(),
      cloud,
      ...(p?.exchangeAnswersTo ? { exchangeAnswersTo: p.exchangeAnswersTo } : {}),
      applications: new Map(),
      servicePrincipals: new Map(),
      appRoleAssignments: new Map(),
      directoryRoleAssignments: new Map(),
      roleEligibilities: new Map(),
    };
    this.tenants.set(tenantId, record);
    const graph = this.insertServicePrincipal(record, {
      clientId: MICROSOFT_GRAPH_APP_ID,
      displayName: "Microsoft Graph",
      servicePrincipalNames: [graphResource, `${graphResource}/`, MICROSOFT_GRAPH_APP_ID],
      appRoles: GRAPH_APP_ROLES,
      firstParty: true,
    });
    let exchange: ServicePrincipalRecord | undefined;
    if (p?.withExchange ?? true) exchange = this.addExchangeServicePrincipal(tenantId);
    return this.tenantView(record, exchange?.objectId, graph.objectId);
  }

  /** Adds the "Office 365 Exchange Online" principal to a tenant created without it (a tenant without Exchange). */
  addExchangeServicePrincipal(tenantId: string): ServicePrincipalRecord {
    const record = this.tenantRecord(tenantId);
    this.ensureExchangeOnlineProtectionServicePrincipal(tenantId);
    return this.insertServicePrincipal(record, {
      clientId: EXCHANGE_ONLINE_APP_ID,
      displayName: "Office 365 Exchange Online",
      servicePrincipalNames: exchangeResourceNames(record.cloud, record.exchangeAnswersTo),
      appRoles: [
        { id: MANAGE_AS_APP_ROLE.id, value: MANAGE_AS_APP_ROLE.value, displayName: "Manage Exchange As Application", allowedMemberTypes: ["Application"], enabled: true },
        { id: "dc890d15-9560-4a4c-9b7f-a736ec74ec40", value: "full_access_as_app", displayName: "Use Exchange Web Services with full access to all mailboxes", allowedMemberTypes: ["Application"], enabled: true },
        { id: EMULATED_MANAGE_AS_APP_V2_ROLE_ID, value: MANAGE_AS_APP_V2_ROLE_VALUE, displayName: "Manage Exchange As Application (Admin API)", allowedMemberTypes: ["Application"], enabled: true },
      ],
      firstParty: true,
    });
  }

  /**
   * "Microsoft Exchange Online Protection": Security & Compliance PowerShell in GCC High and DoD also wants its
   * Exchange.ManageAsApp. Every tenant with Exchange has it (looked up, never managed); idempotent.
   */
  ensureExchangeOnlineProtectionServicePrincipal(tenantId: string): ServicePrincipalRecord {
    const record = this.tenantRecord(tenantId);
    const existing = this.findServicePrincipalByClientId(record, EXCHANGE_ONLINE_PROTECTION_APP_ID, { visibleOnly: false });
    if (existing) return existing;
    return this.insertServicePrincipal(record, {
      clientId: EXCHANGE_ONLINE_PROTECTION_APP_ID,
      displayName: "Microsoft Exchange Online Protection",
      servicePrincipalNames: [EXCHANGE_ONLINE_PROTECTION_APP_ID],
      appRoles: [{ id: EOP_MANAGE_AS_APP_ROLE.id, value: EOP_MANAGE_AS_APP_ROLE.value, displayName: "Manage Exchange As Application", allowedMemberTypes: ["Application"], enabled: true }],
      firstParty: true,
    });
  }

  /**
   * The "Azure Key Vault" first-party principal (appId cfa8b339-82a2-471a-a3c9-0fc0be7a4093), answering to the
   * tenant cloud's vault resource (`https://vault.azure.net` in the public cloud), so tokens for it can be asked.
   * Idempotent: `emu.keyVaults.addVault` calls it.
   */
  ensureKeyVaultServicePrincipal(tenantId: string): ServicePrincipalRecord {
    const record = this.tenantRecord(tenantId);
    const existing = this.findServicePrincipalByClientId(record, KEY_VAULT_APP_ID, { visibleOnly: false });
    if (existing) return existing;
    const resource = `https://${CLOUDS[record.cloud].keyVaultDnsSuffix}`;
    return this.insertServicePrincipal(record, {
      clientId: KEY_VAULT_APP_ID,
      displayName: "Azure Key Vault",
      servicePrincipalNames: [resource, `${resource}/`, KEY_VAULT_APP_ID],
      appRoles: [],
      firstParty: true,
    });
  }

  getTenant(tenantIdOrDomain: string): Tenant | undefined {
    const record = this.findTenant(tenantIdOrDomain);
    if (!record) return undefined;
    const exchange = this.findServicePrincipalByClientId(record, EXCHANGE_ONLINE_APP_ID, { visibleOnly: false });
    const graph = this.findServicePrincipalByClientId(record, MICROSOFT_GRAPH_APP_ID, { visibleOnly: false });
    return this.tenantView(record, exchange?.objectId, graph!.objectId);
  }

  listTenants(): Tenant[] {
    return [...this.tenants.keys()].map((id) => this.getTenant(id)!);
  }

  removeTenant(tenantId: string): void {
    this.tenants.delete(this.tenantRecord(tenantId).tenantId);
  }

  // ---- applications and service principals ---------------------------------------------------------------

  addApplication(
    tenantId: string,
    p: { displayName: string; clientId?: string; objectId?: string; requiredResourceAccess?: readonly RequiredResourceAccess[]; signInAudience?: SignInAudience } & Visibility,
  ): { objectId: string; clientId: string } {
    const tenant = this.tenantRecord(tenantId);
    const clientId = p.clientId ?? randomUUID();
    // A client id is global in Entra: no two registrations share one, whichever tenants they live in.
    const taken = this.findApplicationAnywhere(clientId);
    if (taken) throw new DirectoryError("APPLICATION_EXISTS", `an application with clientId ${clientId} is already registered (tenant ${taken.tenantId})`);
    const app: ApplicationRecord = {
      ...this.timed(p),
      objectId: p.objectId ?? randomUUID(),
      clientId,
      tenantId: tenant.tenantId,
      displayName: p.displayName,
      signInAudience: p.signInAudience ?? "AzureADMyOrg",
      requiredResourceAccess: p.requiredResourceAccess ?? [],
      passwords: [],
      certificates: [],
      federatedCredentials: [],
      owners: [],
    };
    tenant.applications.set(app.objectId, app);
    return { objectId: app.objectId, clientId: app.clientId };
  }

  updateApplication(
    tenantId: string,
    applicationObjectId: string,
    p: { displayName?: string; requiredResourceAccess?: readonly RequiredResourceAccess[]; signInAudience?: SignInAudience },
  ): void {
    const app = this.application(tenantId, applicationObjectId);
    if (p.displayName !== undefined) app.displayName = p.displayName;
    if (p.signInAudience !== undefined) app.signInAudience = p.signInAudience;
    if (p.requiredResourceAccess !== undefined) app.requiredResourceAccess = p.requiredResourceAccess;
  }

  /**
   * Deletes an application and, as Entra does, its service principal in its own tenant and that principal's
   * assignments. Service principals of a multi-tenant app in other tenants stay (orphaned, unable to sign in).
   */
  removeApplication(tenantId: string, applicationObjectId: string): void {
    const tenant = this.tenantRecord(tenantId);
    const app = this.application(tenantId, applicationObjectId);
    tenant.applications.delete(app.objectId);
    for (const sp of [...tenant.servicePrincipals.values()]) {
      if (sp.clientId === app.clientId && !sp.firstParty) this.removeServicePrincipal(tenantId, sp.objectId);
    }
  }

  /** The application with this client id, in whichever tenant it is registered. */
  findApplicationAnywhere(clientId: string): ApplicationRecord | undefined {
    for (const t of this.tenants.values()) {
      const app = [...t.applications.values()].find((a) => a.clientId === clientId);
      if (app) return app;
    }
    return undefined;
  }

  /**
   * The application's service principal in `tenantId`. The app is registered there, or it is a multi-tenant app
   * (`AzureADMultipleOrgs`) registered in another tenant of the same cloud: its "enterprise application" in a
   * customer tenant. A single-tenant app's client id is refused in any other tenant, as Microsoft Graph refuses it.
   */
  addServicePrincipal(tenantId: string, clientId: string, o?: Visibility & { objectId?: string }): { objectId: string } {
    const tenant = this.tenantRecord(tenantId);
    const app = [...tenant.applications.values()].find((a) => a.clientId === clientId) ?? this.findApplicationAnywhere(clientId);
    if (!app) throw new DirectoryError("APPLICATION_NOT_FOUND", `no application with clientId ${clientId} in tenant ${tenant.tenantId}`);
    if (app.tenantId !== tenant.tenantId) {
      const home = this.tenantRecord(app.tenantId);
      if (!isMultiTenantAudience(app.signInAudience)) {
        throw new DirectoryError(
          "APPLICATION_NOT_MULTI_TENANT",
          `Request_BadRequest: The appId '${clientId}' of the service principal does not reference a valid application object in tenant ${tenant.tenantId}: ` +
            `the application is registered in tenant ${home.tenantId} with signInAudience ${app.signInAudience} (single tenant). ` +
            `Only a multi-tenant application (AzureADMultipleOrgs) can have a service principal in another tenant.`,
        );
      }
      if (home.cloud !== tenant.cloud) {
        throw new DirectoryError(
          "APPLICATION_OTHER_CLOUD",
          `Request_BadRequest: The appId '${clientId}' is registered in the ${home.cloud} cloud (tenant ${home.tenantId}); tenant ${tenant.tenantId} is in the ${tenant.cloud} cloud, and an application does not cross clouds.`,
        );
      }
    }
    if (this.findServicePrincipalByClientId(tenant, clientId, { visibleOnly: false })) {
      throw new DirectoryError("SERVICE_PRINCIPAL_EXISTS", `application ${clientId} already has a service principal`);
    }
    const sp = this.insertServicePrincipal(tenant, {
      clientId,
      displayName: app.displayName,
      servicePrincipalNames: [clientId, `api://${clientId}`],
      appRoles: [],
      firstParty: false,
      ...(app.tenantId !== tenant.tenantId ? { appOwnerTenantId: app.tenantId } : {}),
      ...(o?.objectId ? { objectId: o.objectId } : {}),
      ...(o?.visibleAfterMs !== undefined ? { visibleAfterMs: o.visibleAfterMs } : {}),
    });
    return { objectId: sp.objectId };
  }

  /**
   * A managed identity: a service principal with no application registration. `system` = the one identity of a
   * host (at most one a tenant here), `user` = a user-assigned identity, picked by client id, object id or resource id.
   */
  addManagedIdentity(
    tenantId: string,
    p: { kind: "system" | "user"; displayName?: string; clientId?: string; objectId?: string; resourceId?: string } & Visibility,
  ): { objectId: string; clientId: string; resourceId: string } {
    const tenant = this.tenantRecord(tenantId);
    if (p.kind === "system" && [...tenant.servicePrincipals.values()].some((s) => s.managedIdentity?.kind === "system")) {
      throw new DirectoryError("SERVICE_PRINCIPAL_EXISTS", `tenant ${tenant.tenantId} already has a system-assigned identity in the emulator`);
    }
    const clientId = p.clientId ?? randomUUID();
    const displayName = p.displayName ?? (p.kind === "system" ? "exo-host" : "exo-identity");
    const resourceId =
      p.resourceId ??
      (p.kind === "system"
        ? `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Web/sites/${displayName}`
        : `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${displayName}`);
    const sp = this.insertServicePrincipal(tenant, {
      clientId,
      displayName,
      servicePrincipalNames: [clientId, resourceId],
      appRoles: [],
      firstParty: false,
      managedIdentity: { kind: p.kind, resourceId },
      ...(p.objectId ? { objectId: p.objectId } : {}),
      ...(p.visibleAfterMs !== undefined ? { visibleAfterMs: p.visibleAfterMs } : {}),
    });
    return { objectId: sp.objectId, clientId, resourceId };
  }

  /** Deletes a service principal and every assignment it takes part in. */
  removeServicePrincipal(tenantId: string, objectId: string): void {
    const tenant = this.tenantRecord(tenantId);
    if (!tenant.servicePrincipals.delete(objectId)) throw new DirectoryError("SERVICE_PRINCIPAL_NOT_FOUND", `no service principal ${objectId}`);
    for (const [id, a] of tenant.appRoleAssignments) {
      if (a.principalObjectId === objectId || a.resourceObjectId === objectId) tenant.appRoleAssignments.delete(id);
    }
    for (const [id, a] of tenant.directoryRoleAssignments) {
      if (a.principalObjectId === objectId) tenant.directoryRoleAssignments.delete(id);
    }
    for (const [id, a] of tenant.roleEligibilities) {
      if (a.principalObjectId === objectId) tenant.roleEligibilities.delete(id);
    }
  }

  getServicePrincipalByClientId(tenantId: string, clientId: string): ServicePrincipalRecord | undefined {
    return this.findServicePrincipalByClientId(this.tenantRecord(tenantId), clientId, { visibleOnly: false });
  }

  listServicePrincipals(tenantId: string): ServicePrincipalRecord[] {
    return [...this.tenantRecord(tenantId).servicePrincipals.values()];
  }

  listApplications(tenantId: string): ApplicationRecord[] {
    return [...this.tenantRecord(tenantId).applications.values()];
  }

  /** App role and directory role assignments of a tenant (for tests that assert what a program wired). */
  listAssignments(tenantId: string): { appRoleAssignments: AppRoleAssignmentRecord[]; directoryRoleAssignments: DirectoryRoleAssignmentRecord[] } {
    const t = this.tenantRecord(tenantId);
    return { appRoleAssignments: [...t.appRoleAssignments.values()], directoryRoleAssignments: [...t.directoryRoleAssignments.values()] };
  }

  getServicePrincipal(tenantId: string, objectId: string): ServicePrincipalRecord | undefined {
    return this.tenantRecord(tenantId).servicePrincipals.get(objectId);
  }

  getApplication(tenantId: string, objectId: string): ApplicationRecord | undefined {
    return this.tenantRecord(tenantId).applications.get(objectId);
  }

  getApplicationByClientId(tenantId: string, clientId: string): ApplicationRecord | undefined {
    return [...this.tenantRecord(tenantId).applications.values()].find((a) => a.clientId === clientId);
  }

  // ---- credentials ---------------------------------------------------------------------------------------

  addPassword(
    tenantId: string,
    applicationObjectId: string,
    p?: { endDate?: string; displayName?: string; keyId?: string; secretText?: string } & Visibility,
  ): { keyId: string; secretText: string } {
    const app = this.application(tenantId, applicationObjectId);
    if (p?.endDate !== undefined) assertDate(p.endDate, "endDate");
    const record: PasswordRecord = {
      ...this.timed(p),
      keyId: p?.keyId ?? randomUUID(),
      secretText: p?.secretText ?? generateSecret(),
      ...(p?.endDate !== undefined ? { endDate: p.endDate } : {}),
      ...(p?.displayName !== undefined ? { displayName: p.displayName } : {}),
    };
    app.passwords.push(record);
    return { keyId: record.keyId, secretText: record.secretText };
  }

  removePassword(tenantId: string, applicationObjectId: string, keyId: string): void {
    removeWhere(this.application(tenantId, applicationObjectId).passwords, (x) => x.keyId === keyId, "PASSWORD_NOT_FOUND", keyId);
  }

  addCertificate(
    tenantId: string,
    applicationObjectId: string,
    certificatePem: string,
    o?: { endDate?: string; keyId?: string } & Visibility,
  ): { keyId: string } {
    const app = this.application(tenantId, applicationObjectId);
    let pem: string;
    try {
      pem = new X509Certificate(certificatePem).toString();
    } catch (e) {
      throw new DirectoryError("CERTIFICATE_INVALID", `not a PEM X.509 certificate: ${(e as Error).message}`);
    }
    if (o?.endDate !== undefined) assertDate(o.endDate, "endDate");
    const t = thumbprints(pem);
    const record: CertificateRecord = {
      ...this.timed(o),
      keyId: o?.keyId ?? randomUUID(),
      certificatePem: pem,
      x5t: t.x5t,
      x5tS256: t.x5tS256,
      ...(o?.endDate !== undefined ? { endDate: o.endDate } : {}),
    };
    app.certificates.push(record);
    return { keyId: record.keyId };
  }

  removeCertificate(tenantId: string, applicationObjectId: string, keyId: string): void {
    removeWhere(this.application(tenantId, applicationObjectId).certificates, (x) => x.keyId === keyId, "CERTIFICATE_NOT_FOUND", keyId);
  }

  addFederatedCredential(
    tenantId: string,
    applicationObjectId: string,
    p: { name: string; issuer: string; subject: string; audiences: readonly string[] } & Visibility,
  ): { id: string } {
    const app = this.application(tenantId, applicationObjectId);
    const record: FederatedCredentialRecord = {
      ...this.timed(p),
      id: randomUUID(),
      name: p.name,
      issuer: p.issuer,
      subject: p.subject,
      audiences: [...p.audiences],
    };
    app.federatedCredentials.push(record);
    return { id: record.id };
  }

  /** An owner of the application, as Graph's `applications/{id}/owners` lists it. */
  addApplicationOwner(tenantId: string, applicationObjectId: string, p: { displayName: string; userPrincipalName?: string; id?: string }): OwnerRecord {
    const owner: OwnerRecord = { id: p.id ?? randomUUID(), displayName: p.displayName, ...(p.userPrincipalName ? { userPrincipalName: p.userPrincipalName } : {}) };
    this.application(tenantId, applicationObjectId).owners.push(owner);
    return owner;
  }

  removeFederatedCredential(tenantId: string, applicationObjectId: string, idOrName: string): void {
    removeWhere(
      this.application(tenantId, applicationObjectId).federatedCredentials,
      (x) => x.id === idOrName || x.name === idOrName,
      "FEDERATED_CREDENTIAL_NOT_FOUND",
      idOrName,
    );
  }

  // ---- assignments ---------------------------------------------------------------------------------------

  addAppRoleAssignment(tenantId: string, p: { principalObjectId: string; resourceObjectId: string; appRoleId: string } & Visibility): { id: string } {
    const tenant = this.tenantRecord(tenantId);
    const principal = tenant.servicePrincipals.get(p.principalObjectId);
    if (!principal) throw new DirectoryError("SERVICE_PRINCIPAL_NOT_FOUND", `principal ${p.principalObjectId} is not a service principal in ${tenant.tenantId}`);
    const resource = tenant.servicePrincipals.get(p.resourceObjectId);
    if (!resource) throw new DirectoryError("SERVICE_PRINCIPAL_NOT_FOUND", `resource ${p.resourceObjectId} is not a service principal in ${tenant.tenantId}`);
    // Graph refuses an assignment of a role the resource does not define (Request_BadRequest "Permission being assigned was not found").
    if (!resource.appRoles.some((r) => r.id === p.appRoleId)) {
      throw new DirectoryError("APP_ROLE_NOT_FOUND", `resource ${resource.displayName} defines no app role ${p.appRoleId}`);
    }
    // Graph's shape: 43 base64url characters (32 bytes), as `adopt`'s consentAssignmentId is checked.
    const record: AppRoleAssignmentRecord = { ...this.timed(p), id: randomBytes(32).toString("base64url"), principalObjectId: p.principalObjectId, resourceObjectId: p.resourceObjectId, appRoleId: p.appRoleId };
    tenant.appRoleAssignments.set(record.id, record);
    return { id: record.id };
  }

  removeAppRoleAssignment(tenantId: string, id: string): void {
    if (!this.tenantRecord(tenantId).appRoleAssignments.delete(id)) throw new DirectoryError("ASSIGNMENT_NOT_FOUND", `no app role assignment ${id}`);
  }

  addDirectoryRoleAssignment(
    tenantId: string,
    p: { principalObjectId: string; roleTemplateId: string; directoryScopeId?: string } & Visibility,
  ): { id: string } {
    const tenant = this.tenantRecord(tenantId);
    if (!tenant.servicePrincipals.has(p.principalObjectId)) {
      throw new DirectoryError("SERVICE_PRINCIPAL_NOT_FOUND", `principal ${p.principalObjectId} is not a service principal in ${tenant.tenantId}`);
    }
    const record: DirectoryRoleAssignmentRecord = {
      ...this.timed(p),
      // Graph's shape: 43 base64url characters and a `-1` suffix, as `adopt`'s roleAssignmentId is checked.
      id: `${randomBytes(32).toString("base64url")}-1`,
      principalObjectId: p.principalObjectId,
      roleTemplateId: p.roleTemplateId.toLowerCase(),
      directoryScopeId: p.directoryScopeId ?? "/",
    };
    tenant.directoryRoleAssignments.set(record.id, record);
    return { id: record.id };
  }

  /** A PIM eligibility for a directory role (Graph's roleEligibilityScheduleInstances); it grants nothing until activated. */
  addRoleEligibility(tenantId: string, p: { principalObjectId: string; roleTemplateId: string; directoryScopeId?: string } & Visibility): { id: string } {
    const tenant = this.tenantRecord(tenantId);
    if (!tenant.servicePrincipals.has(p.principalObjectId)) throw new DirectoryError("SERVICE_PRINCIPAL_NOT_FOUND", `principal ${p.principalObjectId} is not a service principal in ${tenant.tenantId}`);
    const record: RoleEligibilityRecord = { ...this.timed(p), id: randomBytes(24).toString("base64url"), principalObjectId: p.principalObjectId, roleTemplateId: p.roleTemplateId.toLowerCase(), directoryScopeId: p.directoryScopeId ?? "/" };
    tenant.roleEligibilities.set(record.id, record);
    return { id: record.id };
  }

  removeDirectoryRoleAssignment(tenantId: string, id: string): void {
    if (!this.tenantRecord(tenantId).directoryRoleAssignments.delete(id)) throw new DirectoryError("ASSIGNMENT_NOT_FOUND", `no directory role assignment ${id}`);
  }

  /**
   * Changes when an object becomes visible (ms from now; 0 = now). Works for applications, service principals,
   * credentials (by keyId / federated credential id) and assignments. Lets a test or benchmark decide the moment
   * a tenant becomes ready after the fact.
   */
  setVisibleAfter(tenantId: string, objectIdOrKeyId: string, visibleAfterMs: number): void {
    const tenant = this.tenantRecord(tenantId);
    const at = this.now() + visibleAfterMs;
    const candidates: (Timed & { id?: string; objectId?: string; keyId?: string })[] = [
      ...tenant.applications.values(),
      ...tenant.servicePrincipals.values(),
      ...tenant.appRoleAssignments.values(),
      ...tenant.directoryRoleAssignments.values(),
      ...[...tenant.applications.values()].flatMap((a) => [...a.passwords, ...a.certificates, ...a.federatedCredentials]),
    ];
    const hit = candidates.find((c) => c.objectId === objectIdOrKeyId || c.keyId === objectIdOrKeyId || c.id === objectIdOrKeyId);
    if (!hit) throw new DirectoryError("OBJECT_NOT_FOUND", `nothing with id ${objectIdOrKeyId} in tenant ${tenant.tenantId}`);
    hit.visibleAt = at;
  }

  // ---- what the endpoints see ----------------------------------------------------------------------------

  /** The tenant by id or by one of its domains (case-insensitive), or undefined. */
  findTenant(tenantIdOrDomain: string): TenantRecord | undefined {
    const key = tenantIdOrDomain.toLowerCase();
    return this.tenants.get(key) ?? [...this.tenants.values()].find((t) => t.organization.toLowerCase() === key);
  }

  isVisible(o: Timed): boolean {
    return o.visibleAt <= this.now();
  }

  visibleApplicationByClientId(tenant: TenantRecord, clientId: string): ApplicationRecord | undefined {
    return [...tenant.applications.values()].find((a) => a.clientId === clientId && this.isVisible(a));
  }

  findServicePrincipalByClientId(tenant: TenantRecord, clientId: string, o: { visibleOnly: boolean }): ServicePrincipalRecord | undefined {
    return [...tenant.servicePrincipals.values()].find((s) => s.clientId === clientId && (!o.visibleOnly || this.isVisible(s)));
  }

  /** The visible service principal a token request's resource (`scope` minus `/.default`) names, case-insensitively. */
  visibleResourcePrincipal(tenant: TenantRecord, resource: string): ServicePrincipalRecord | undefined {
    const wanted = resource.toLowerCase();
    return [...tenant.servicePrincipals.values()].find(
      (s) => this.isVisible(s) && s.servicePrincipalNames.some((n) => n.toLowerCase() === wanted),
    );
  }

  /** Values of the app roles granted to `principal` on `resource` whose assignments are visible now. */
  visibleRoles(tenant: TenantRecord, principalObjectId: string, resource: ServicePrincipalRecord): string[] {
    const roles = new Set<string>();
    for (const a of tenant.appRoleAssignments.values()) {
      if (a.principalObjectId !== principalObjectId || a.resourceObjectId !== resource.objectId || !this.isVisible(a)) continue;
      const role = resource.appRoles.find((r) => r.id === a.appRoleId && r.enabled);
      if (role) roles.add(role.value);
    }
    return [...roles].sort();
  }

  /** Template ids of the directory roles `principal` holds (tenant-wide scope) that are visible now. */
  visibleDirectoryRoles(tenant: TenantRecord, principalObjectId: string): string[] {
    const ids = new Set<string>();
    for (const a of tenant.directoryRoleAssignments.values()) {
      if (a.principalObjectId === principalObjectId && a.directoryScopeId === "/" && this.isVisible(a)) ids.add(a.roleTemplateId);
    }
    return [...ids].sort();
  }

  // ---- internals -----------------------------------------------------------------------------------------

  private timed(v?: Visibility): Timed {
    const createdAt = this.now();
    const delay = v?.visibleAfterMs ?? 0;
    if (!Number.isFinite(delay) || delay < 0) throw new DirectoryError("VISIBILITY_INVALID", `visibleAfterMs must be a number >= 0, got ${delay}`);
    return { createdAt, visibleAt: createdAt + delay };
  }

  private tenantRecord(tenantIdOrDomain: string): TenantRecord {
    const t = this.findTenant(tenantIdOrDomain);
    if (!t) throw new DirectoryError("TENANT_NOT_FOUND", `no tenant ${tenantIdOrDomain} in the emulated directory`);
    return t;
  }

  private application(tenantId: string, objectId: string): ApplicationRecord {
    const app = this.tenantRecord(tenantId).applications.get(objectId.replace(/^\/applications\//, ""));
    if (!app) throw new DirectoryError("APPLICATION_NOT_FOUND", `no application with object id ${objectId} in tenant ${tenantId}`);
    return app;
  }

  private insertServicePrincipal(
    tenant: TenantRecord,
    p: Omit<ServicePrincipalRecord, "objectId" | "createdAt" | "visibleAt"> & { objectId?: string } & Visibility,
  ): ServicePrincipalRecord {
    const sp: ServicePrincipalRecord = {
      ...this.timed(p),
      objectId: p.objectId ?? randomUUID(),
      clientId: p.clientId,
      displayName: p.displayName,
      servicePrincipalNames: p.servicePrincipalNames,
      appRoles: p.appRoles,
      firstParty: p.firstParty,
      ...(p.managedIdentity ? { managedIdentity: p.managedIdentity } : {}),
      ...(p.appOwnerTenantId ? { appOwnerTenantId: p.appOwnerTenantId } : {}),
    };
    tenant.servicePrincipals.set(sp.objectId, sp);
    return sp;
  }

  private tenantView(record: TenantRecord, exchangeObjectId: string | undefined, graphObjectId: string): Tenant {
    return {
      tenantId: record.tenantId,
      organization: record.organization,
      cloud: record.cloud,
      graphServicePrincipalObjectId: graphObjectId,
      ...(exchangeObjectId ? { exchangeServicePrincipalObjectId: exchangeObjectId } : {}),
    };
  }
}

function assertDate(value: string, name: string): void {
  if (Number.isNaN(Date.parse(value))) throw new DirectoryError("DATE_INVALID", `${name} must be an RFC 3339 date, got ${value}`);
}

function removeWhere<T>(list: T[], pred: (x: T) => boolean, code: string, id: string): void {
  const i = list.findIndex(pred);
  if (i < 0) throw new DirectoryError(code, `nothing with id ${id}`);
  list.splice(i, 1);
}
