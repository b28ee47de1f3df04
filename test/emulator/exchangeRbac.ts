/**
 * Exchange Online's own RBAC in the emulator: its service principals (Exchange's pointers to Entra principals), role
 * groups (the built-in ones of src/facts/exchangeRbac.ts and custom ones made with New-RoleGroup), the management role
 * assignments given to role groups and to service principals (optionally scoped) and role group memberships.
 * InvokeCommand runs the RBAC cmdlets against this state and asks it which management roles an app holds.
 *
 * HOW A TEST DRIVES IT (the Exchange RBAC provider's tests, the check's, the demo's)
 * - The deploying identity: `createIdentity(emu, { roleTemplateId: EXCHANGE_ADMINISTRATOR })` (or GLOBAL_ADMINISTRATOR)
 *   from ./scenario: an app with Exchange.ManageAsApp and a directory role Exchange maps to Organization Management.
 *   Its client-credentials token for `{cloud's Exchange resource}/.default` (`secretToken(emu, id)`, or @azure/identity's
 *   ClientSecretCredential with `authorityHost: emu.url` and the emulator's CA trusted) may run every cmdlet below. A
 *   delegated admin: `emu.mintAccessToken({ aud: "https://outlook.office365.com", tid, oid, idtyp: "user", upn,
 *   scp: "Exchange.Manage", wids: [EXCHANGE_ADMINISTRATOR] })` (users are not modelled: their `wids` are trusted).
 *   The read cmdlets (Get-*) also run for Global Reader or the "View-Only Configuration" role (the audit's auditor).
 *   Any other caller gets Exchange's real refusal: HTTP 401 "User is not allowed to call <cmdlet>".
 * - Send cmdlets with src/exchange's `runCmdlet({ baseUrl: emu.url, tenantId, accessToken, cmdlet, parameters }, t)`.
 * - Read the state: `emu.exchangeRbac.servicePrincipals(tenantId)`, `.roleGroups(tenantId)` (custom ones, with their
 *   roles and scope), `.roleAssignments(tenantId)` (to apps and to role groups), `.roleGroupMembers(tenantId, group)`
 *   (member ObjectIds), `.grantsOf(tenantId, objectId)` (the roles a principal holds and through what).
 * - Seed or drift it behind a provider's back: `addServicePrincipal`, `removeServicePrincipal`, `addRoleGroup`,
 *   `removeRoleGroup`, `grantRoles` (a custom role group with the principal in it: the documented way),
 *   `addRoleAssignment` (a direct assignment to an app, as earlier versions of this project made them: admin roles
 *   included, which New-ManagementRoleAssignment -App refuses), `removeRoleAssignment`, `addRoleGroupMember`,
 *   `removeRoleGroupMember`; scopes first: `addManagementScope(tenantId, name)`, `addAdministrativeUnit(tenantId, id?)`.
 *
 * THE CMDLETS (parameters as Microsoft documents them; names matched case-insensitively)
 * - New-ServicePrincipal -AppId -ObjectId (or its older name -ServiceId) [-DisplayName]; Get-ServicePrincipal
 *   [-Identity]; Remove-ServicePrincipal -Identity. Identity: ObjectId, AppId or a unique DisplayName. Like Exchange,
 *   New- does not check the ids against Entra.
 * - New-RoleGroup -Name [-Roles] [-CustomRecipientWriteScope] [-Description] [-DisplayName]: one assignment per role,
 *   named "<Role>-<Group>" (New-RoleGroup's Example 6); no administrative-unit parameter, as its reference; Name up
 *   to 64. Get-RoleGroup [-Identity] (built-in and custom, with Roles and Members); Set-RoleGroup -Identity
 *   [-Description] [-DisplayName] (custom only); Remove-RoleGroup -Identity (custom only: "You can't remove built-in
 *   role groups"; removes its assignments, its reference says).
 * - New-ManagementRoleAssignment -SecurityGroup <role group> -Role [-Name] [-CustomRecipientWriteScope |
 *   -RecipientAdministrativeUnitScope]; -App <service principal ObjectId> -Role <application role> [-Name]
 *   [-CustomResourceScope | -RecipientAdministrativeUnitScope] (the reference: -App takes the ObjectId Get-ServicePrincipal
 *   shows and application roles only; an admin role is refused). Get-ManagementRoleAssignment [-Identity] [-Role]
 *   [-RoleAssignee <principal or role group>]; Remove-ManagementRoleAssignment -Identity <name>.
 * - Add-/Remove-RoleGroupMember -Identity <role group> -Member <service principal ObjectId> (the app-only article's
 *   `$SP.Identity | $SP.ObjectId | $SP.Id`, all the ObjectId here); Get-RoleGroupMember -Identity. A group synchronized
 *   from Entra (Security Administrator, Security Reader, Security Operator) refuses members.
 * Failures: 404 ManagementObjectNotFoundException ("The operation couldn't be performed because object 'x' couldn't
 * be found on '...'"), 400 for a duplicate (ADObjectAlreadyExistsException, MemberAlreadyExistsException), a
 * non-member, an ambiguous identity, both scopes at once, a missing or unknown parameter, or removing a service
 * principal that still has assignments (the emulator's choice: a delete in the wrong order shows up).
 * Modelled, not Microsoft's: the exact wording of the duplicate, -App and built-in-group refusals; whether Exchange
 * also resolves an app id as -Member or -App (the emulator does not: the project passes what the documents name);
 * Get-ManagementRoleAssignment lists the assignments made here only (not the built-in role groups' own); scopes do not
 * filter what cmdlets return or change.
 */
import { randomUUID } from "node:crypto";
import { APPLICATION_ROLE_PREFIX, EXCHANGE_MANAGEMENT_ROLES, EXCHANGE_ROLE_GROUPS, findBuiltInRoleGroup } from "../../src/facts";
import type { Directory } from "./directory";

export interface ExoServicePrincipal {
  readonly appId: string;
  readonly objectId: string;
  readonly displayName: string;
  readonly whenCreated: string;
}

export interface ExoRoleAssignment {
  readonly name: string;
  readonly role: string;
  /** The service principal's ObjectId, for an assignment to an app. */
  readonly app?: string;
  /** The role group's name, for an assignment to a role group. */
  readonly roleGroup?: string;
  /** A management scope: CustomResourceScope (to an app) or CustomRecipientWriteScope (to a group). */
  readonly customResourceScope?: string;
  readonly recipientAdministrativeUnitScope?: string;
  readonly guid: string;
  readonly whenCreated: string;
}

export interface ExoRoleGroup {
  readonly name: string;
  readonly description: string;
  readonly guid: string;
  readonly whenCreated: string;
}

/** A role a principal holds, and through what. */
export interface ExoGrant {
  readonly role: string;
  /** The role group it comes through; absent for a direct assignment. */
  readonly roleGroup?: string;
  readonly customResourceScope?: string;
  readonly recipientAdministrativeUnitScope?: string;
}

interface TenantRbac {
  readonly organization: string;
  readonly servicePrincipals: Map<string, ExoServicePrincipal>; // by ObjectId
  readonly assignments: Map<string, ExoRoleAssignment>; // by lower-case name
  readonly roleGroups: Map<string, ExoRoleGroup>; // custom ones, by lower-case name
  readonly members: Map<string, Set<string>>; // role group name (as spelled) → ObjectIds
  readonly scopes: Set<string>; // lower-case names
  readonly administrativeUnits: Set<string>; // lower-case ids
}

/** A cmdlet's outcome: rows, or Exchange's error (HTTP status, exception type, text). */
export type CmdletOutcome =
  | { readonly ok: true; readonly value: readonly Record<string, unknown>[] }
  | { readonly ok: false; readonly status: number; readonly exception: string; readonly message: string };

/** The server name Exchange puts in "couldn't be found on" messages. */
const SERVER = "BN8PR11A001DC01.NAMPR11A001.PROD.OUTLOOK.COM";

const notFound = (what: string): CmdletOutcome => ({
  ok: false,
  status: 404,
  exception: "Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException",
  message: `The operation couldn't be performed because object '${what}' couldn't be found on '${SERVER}'.`,
});
const badRequest = (exception: string, message: string): CmdletOutcome => ({ ok: false, status: 400, exception, message });
const missing = (cmdlet: string, parameter: string): CmdletOutcome =>
  badRequest("System.Management.Automation.ParameterBindingException", `${cmdlet}: missing an argument for parameter '${parameter}'.`);
/** PowerShell's own words for a parameter the cmdlet does not have. */
const noSuchParameter = (parameter: string): CmdletOutcome =>
  badRequest("System.Management.Automation.ParameterBindingException", `A parameter cannot be found that matches parameter name '${parameter}'.`);

/** New-RoleGroup's and New-ManagementRoleAssignment's limit for Name. */
const NAME_MAX = 64;

export class ExchangeRbac {
  private readonly tenants = new Map<string, TenantRbac>();

  constructor(
    private readonly directory: Directory,
    private readonly now: () => number = Date.now,
  ) {}

  // ---- seeding and reading (tests) ----

  addManagementScope(tenantId: string, name: string): void {
    this.tenant(tenantId).scopes.add(name.toLowerCase());
  }

  addAdministrativeUnit(tenantId: string, id: string = randomUUID()): string {
    this.tenant(tenantId).administrativeUnits.add(id.toLowerCase());
    return id;
  }

  servicePrincipals(tenantId: string): ExoServicePrincipal[] {
    return [...this.tenant(tenantId).servicePrincipals.values()];
  }

  roleAssignments(tenantId: string): ExoRoleAssignment[] {
    return [...this.tenant(tenantId).assignments.values()];
  }

  /** The custom role groups, each with its roles and the scope of its assignments. */
  roleGroups(tenantId: string): (ExoRoleGroup & { roles: string[]; customRecipientWriteScope?: string; recipientAdministrativeUnitScope?: string })[] {
    const t = this.tenant(tenantId);
    return [...t.roleGroups.values()].map((g) => {
      const assigned = [...t.assignments.values()].filter((a) => a.roleGroup === g.name);
      const scoped = assigned.find((a) => a.customResourceScope || a.recipientAdministrativeUnitScope);
      return {
        ...g,
        roles: assigned.map((a) => a.role),
        ...(scoped?.customResourceScope ? { customRecipientWriteScope: scoped.customResourceScope } : {}),
        ...(scoped?.recipientAdministrativeUnitScope ? { recipientAdministrativeUnitScope: scoped.recipientAdministrativeUnitScope } : {}),
      };
    });
  }

  /** ObjectIds of the service principals in a role group (built-in or custom). */
  roleGroupMembers(tenantId: string, group: string): string[] {
    const name = groupName(this.tenant(tenantId), group);
    if (!name) throw new Error(`no role group ${group}`);
    return [...(this.tenant(tenantId).members.get(name) ?? [])];
  }

  addServicePrincipal(tenantId: string, p: { appId: string; objectId: string; displayName?: string }): ExoServicePrincipal {
    return this.expect(this.run(tenantId, "New-ServicePrincipal", { AppId: p.appId, ObjectId: p.objectId, ...(p.displayName ? { DisplayName: p.displayName } : {}) })) as unknown as ExoServicePrincipal;
  }

  removeServicePrincipal(tenantId: string, identity: string): void {
    this.expect(this.run(tenantId, "Remove-ServicePrincipal", { Identity: identity }));
  }

  addRoleGroup(tenantId: string, p: { name: string; roles: string[]; customRecipientWriteScope?: string; description?: string }): void {
    this.expect(this.run(tenantId, "New-RoleGroup", { Name: p.name, Roles: p.roles, ...(p.customRecipientWriteScope ? { CustomRecipientWriteScope: p.customRecipientWriteScope } : {}), ...(p.description ? { Description: p.description } : {}) }));
  }

  removeRoleGroup(tenantId: string, name: string): void {
    this.expect(this.run(tenantId, "Remove-RoleGroup", { Identity: name }));
  }

  /** The documented way, in one call: a custom role group holding `roles` and the principal (by ObjectId) in it. */
  grantRoles(tenantId: string, objectId: string, roles: string[], name = `granted ${objectId}`): void {
    this.addRoleGroup(tenantId, { name, roles });
    this.addRoleGroupMember(tenantId, name, objectId);
  }

  /** A direct assignment to a principal (by ObjectId), admin roles included: what earlier versions of this project made. */
  addRoleAssignment(tenantId: string, p: { app: string; role: string; name?: string; customResourceScope?: string; recipientAdministrativeUnitScope?: string }): ExoRoleAssignment {
    const t = this.tenant(tenantId);
    const sp = t.servicePrincipals.get(p.app.toLowerCase());
    if (!sp) throw new Error(`no service principal with ObjectId ${p.app} in Exchange`);
    const role = builtIn(EXCHANGE_MANAGEMENT_ROLES, p.role) ?? (isApplicationRole(p.role) ? p.role : undefined);
    if (!role) throw new Error(`no role ${p.role}`);
    const assignment = newAssignment(this, { name: p.name ?? `${role}-${sp.displayName || sp.objectId}`, role, app: sp.objectId, customResourceScope: p.customResourceScope, recipientAdministrativeUnitScope: p.recipientAdministrativeUnitScope?.toLowerCase() });
    t.assignments.set(assignment.name.toLowerCase(), assignment);
    return assignment;
  }

  removeRoleAssignment(tenantId: string, name: string): void {
    this.expect(this.run(tenantId, "Remove-ManagementRoleAssignment", { Identity: name }));
  }

  addRoleGroupMember(tenantId: string, group: string, member: string): void {
    this.expect(this.run(tenantId, "Add-RoleGroupMember", { Identity: group, Member: member }));
  }

  removeRoleGroupMember(tenantId: string, group: string, member: string): void {
    this.expect(this.run(tenantId, "Remove-RoleGroupMember", { Identity: group, Member: member }));
  }

  /** The roles a principal (by Entra ObjectId) holds: direct assignments, then each role group it is in. */
  grantsOf(tenantId: string, objectId: string): ExoGrant[] {
    const t = this.tenant(tenantId);
    const id = objectId.toLowerCase();
    if (!t.servicePrincipals.has(id)) return [];
    const scope = (a: ExoRoleAssignment) => ({
      ...(a.customResourceScope ? { customResourceScope: a.customResourceScope } : {}),
      ...(a.recipientAdministrativeUnitScope ? { recipientAdministrativeUnitScope: a.recipientAdministrativeUnitScope } : {}),
    });
    const grants: ExoGrant[] = [...t.assignments.values()].filter((a) => a.app === id).map((a) => ({ role: a.role, ...scope(a) }));
    for (const [group, members] of t.members) {
      if (!members.has(id)) continue;
      for (const role of findBuiltInRoleGroup(group)?.roles ?? []) grants.push({ role, roleGroup: group });
      for (const a of t.assignments.values()) if (a.roleGroup === group) grants.push({ role: a.role, roleGroup: group, ...scope(a) });
    }
    return grants;
  }

  /** The management roles a principal (by Entra ObjectId) holds through assignments and role groups. */
  managementRoles(tenantId: string, objectId: string): Set<string> {
    return new Set(this.grantsOf(tenantId, objectId).map((g) => g.role));
  }

  /** True for the cmdlets this model answers. */
  static handles(cmdlet: string): boolean {
    return HANDLERS.has(cmdlet.toLowerCase());
  }

  // ---- the cmdlets ----

  run(tenantId: string, cmdlet: string, parameters: Record<string, unknown>): CmdletOutcome {
    const handler = HANDLERS.get(cmdlet.toLowerCase());
    if (!handler) return badRequest("System.Management.Automation.CommandNotFoundException", `The term '${cmdlet}' is not recognized as a name of a cmdlet.`);
    return handler(this, this.tenant(tenantId), lowerKeys(parameters));
  }

  /** A tenant's Exchange RBAC state, by tenant id or domain; created empty on first use. */
  private tenant(tenantIdOrDomain: string): TenantRbac {
    const known = this.directory.getTenant(tenantIdOrDomain);
    if (!known) throw new Error(`no tenant ${tenantIdOrDomain} in the emulated directory`);
    let t = this.tenants.get(known.tenantId);
    if (!t) {
      t = { organization: known.organization, servicePrincipals: new Map(), assignments: new Map(), roleGroups: new Map(), members: new Map(), scopes: new Set(), administrativeUnits: new Set() };
      this.tenants.set(known.tenantId, t);
    }
    return t;
  }

  private expect(outcome: CmdletOutcome): Record<string, unknown> {
    if (!outcome.ok) throw new Error(`${outcome.exception}: ${outcome.message}`);
    return outcome.value[0] ?? {};
  }

  /** @internal */ stamp(): string {
    return new Date(this.now()).toISOString();
  }
}

type Handler = (rbac: ExchangeRbac, t: TenantRbac, p: Record<string, unknown>) => CmdletOutcome;

function lowerKeys(parameters: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k.toLowerCase(), v]));
}

function text(p: Record<string, unknown>, key: string): string | undefined {
  const v = p[key.toLowerCase()];
  return typeof v === "string" && v.trim().length > 0 ? v.trim() : undefined;
}

/** A multi-valued parameter: an array, or one value (or PowerShell's comma-separated string). */
function list(p: Record<string, unknown>, key: string): string[] | undefined {
  const v = p[key.toLowerCase()];
  if (v === undefined || v === null) return undefined;
  const values = Array.isArray(v) ? v.map(String) : String(v).split(",");
  return values.map((s) => s.trim()).filter(Boolean);
}

/** A role group's name as spelled (built-in or custom), or undefined. */
function groupName(t: TenantRbac, value: string): string | undefined {
  return builtIn(EXCHANGE_ROLE_GROUPS, value) ?? t.roleGroups.get(value.toLowerCase())?.name;
}

function builtIn(names: readonly string[], value: string): string | undefined {
  return names.find((n) => n.toLowerCase() === value.toLowerCase());
}

const isApplicationRole = (role: string): boolean => role.startsWith(APPLICATION_ROLE_PREFIX) && role.length > APPLICATION_ROLE_PREFIX.length;

function newAssignment(rbac: ExchangeRbac, a: Omit<ExoRoleAssignment, "guid" | "whenCreated" | "customResourceScope" | "recipientAdministrativeUnitScope"> & { customResourceScope?: string | undefined; recipientAdministrativeUnitScope?: string | undefined }): ExoRoleAssignment {
  return {
    name: a.name.slice(0, NAME_MAX),
    role: a.role,
    ...(a.app ? { app: a.app } : {}),
    ...(a.roleGroup ? { roleGroup: a.roleGroup } : {}),
    ...(a.customResourceScope ? { customResourceScope: a.customResourceScope } : {}),
    ...(a.recipientAdministrativeUnitScope ? { recipientAdministrativeUnitScope: a.recipientAdministrativeUnitScope } : {}),
    guid: randomUUID(),
    whenCreated: rbac.stamp(),
  };
}

/** One service principal by ObjectId, AppId or unique DisplayName (the -Identity of the *-ServicePrincipal cmdlets). */
function findServicePrincipal(t: TenantRbac, identity: string): ExoServicePrincipal | CmdletOutcome {
  const id = identity.toLowerCase();
  const byId = t.servicePrincipals.get(id) ?? [...t.servicePrincipals.values()].find((sp) => sp.appId === id);
  if (byId) return byId;
  const named = [...t.servicePrincipals.values()].filter((sp) => sp.displayName.toLowerCase() === id);
  if (named.length > 1) return badRequest("Microsoft.Exchange.Configuration.Tasks.ManagementObjectAmbiguousException", `The operation couldn't be performed because '${identity}' matches multiple entries.`);
  return named[0] ?? notFound(identity);
}

/** A service principal named the way -App and -Member are documented to take it: its ObjectId (= Identity = Id here). */
function servicePrincipalByObjectId(t: TenantRbac, value: string): ExoServicePrincipal | CmdletOutcome {
  return t.servicePrincipals.get(value.toLowerCase()) ?? notFound(value);
}

const isOutcome = (x: unknown): x is CmdletOutcome => typeof x === "object" && x !== null && "ok" in x;

function servicePrincipalRow(t: TenantRbac, sp: ExoServicePrincipal): Record<string, unknown> {
  return {
    DisplayName: sp.displayName,
    AppId: sp.appId,
    ObjectId: sp.objectId,
    ServiceId: sp.objectId,
    Identity: sp.objectId,
    Id: sp.objectId,
    Name: sp.objectId,
    Organization: t.organization,
    RecipientType: "User",
    RecipientTypeDetails: "ServicePrinciple",
    WhenCreated: sp.whenCreated,
    IsValid: true,
    ObjectState: "Unchanged",
  };
}

function assignmentRow(t: TenantRbac, a: ExoRoleAssignment): Record<string, unknown> {
  const sp = a.app ? t.servicePrincipals.get(a.app) : undefined;
  const toGroup = a.roleGroup !== undefined;
  return {
    Name: a.name,
    Identity: a.name,
    Role: a.role,
    RoleAssignee: toGroup ? a.roleGroup : a.app,
    RoleAssigneeName: toGroup ? a.roleGroup : sp?.displayName || a.app,
    RoleAssigneeType: toGroup ? "RoleGroup" : "ServicePrincipal",
    AssignmentMethod: "Direct",
    ...(toGroup ? { CustomRecipientWriteScope: a.customResourceScope ?? null } : { CustomResourceScope: a.customResourceScope ?? null }),
    RecipientAdministrativeUnitScope: a.recipientAdministrativeUnitScope ?? null,
    RecipientWriteScope: a.customResourceScope ? "CustomRecipientScope" : a.recipientAdministrativeUnitScope ? "AdministrativeUnit" : "Organization",
    RecipientReadScope: "Organization",
    ConfigWriteScope: "OrganizationConfig",
    ConfigReadScope: "OrganizationConfig",
    RoleAssignmentDelegationType: "Regular",
    Enabled: true,
    Guid: a.guid,
    WhenCreated: a.whenCreated,
    Organization: t.organization,
    IsValid: true,
    ObjectState: "Unchanged",
  };
}

function roleGroupRow(t: TenantRbac, name: string): Record<string, unknown> {
  const custom = t.roleGroups.get(name.toLowerCase());
  const builtInGroup = findBuiltInRoleGroup(name);
  const roles = [...(builtInGroup?.roles ?? []), ...[...t.assignments.values()].filter((a) => a.roleGroup === name).map((a) => a.role)];
  const members = [...(t.members.get(name) ?? [])];
  return {
    Name: name,
    Identity: name,
    DisplayName: name,
    Description: custom?.description ?? "",
    Roles: roles,
    Members: members,
    ManagedBy: [],
    RoleGroupType: "Standard",
    IsBuiltIn: builtInGroup !== undefined,
    Guid: custom?.guid ?? null,
    WhenCreated: custom?.whenCreated ?? null,
    Organization: t.organization,
    IsValid: true,
    ObjectState: "Unchanged",
  };
}

function memberRow(t: TenantRbac, sp: ExoServicePrincipal): Record<string, unknown> {
  return {
    Name: sp.objectId,
    Identity: sp.objectId,
    DisplayName: sp.displayName,
    ExternalDirectoryObjectId: sp.objectId,
    AppId: sp.appId,
    RecipientType: "User",
    RecipientTypeDetails: "ServicePrinciple",
    Organization: t.organization,
  };
}

/** The role group -Identity names (built-in or custom), or Exchange's "couldn't be found". */
function roleGroup(t: TenantRbac, p: Record<string, unknown>, cmdlet: string): string | CmdletOutcome {
  const identity = text(p, "Identity");
  if (!identity) return missing(cmdlet, "Identity");
  return groupName(t, identity) ?? notFound(identity);
}

/** A group synchronized from Entra: Exchange does not manage its membership (modelled wording). */
function centrallyManaged(group: string): CmdletOutcome | undefined {
  if (!findBuiltInRoleGroup(group)?.managedCentrally) return undefined;
  return badRequest(
    "Microsoft.Exchange.Management.RbacTasks.CannotModifyCentrallyManagedRoleGroupException",
    `Membership in the role group "${group}" is synchronized across services and managed centrally. You can't manage this role group in Exchange Online.`,
  );
}

/** The scope parameters of an assignment to a role group: one of them, naming an object that exists. */
function groupScope(t: TenantRbac, p: Record<string, unknown>): { customResourceScope?: string; recipientAdministrativeUnitScope?: string } | CmdletOutcome {
  const scope = text(p, "CustomRecipientWriteScope");
  const unit = text(p, "RecipientAdministrativeUnitScope");
  if (scope && unit) return badRequest("System.Management.Automation.ParameterBindingException", "Parameter set cannot be resolved using the specified named parameters.");
  if (scope && !t.scopes.has(scope.toLowerCase())) return notFound(scope);
  if (unit && !t.administrativeUnits.has(unit.toLowerCase())) return notFound(unit);
  return { ...(scope ? { customResourceScope: scope } : {}), ...(unit ? { recipientAdministrativeUnitScope: unit.toLowerCase() } : {}) };
}

/** A new assignment's name: as asked, else "<Role>-<assignee>"; a taken one is Exchange's duplicate error. */
function assignmentName(t: TenantRbac, p: Record<string, unknown>, fallback: string): string | CmdletOutcome {
  const name = (text(p, "Name") ?? fallback).slice(0, NAME_MAX);
  if (t.assignments.has(name.toLowerCase())) {
    return badRequest("Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException", `The role assignment "${name}" couldn't be created because an object with the same name already exists.`);
  }
  return name;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const HANDLERS = new Map<string, Handler>([
  [
    "new-serviceprincipal",
    (rbac, t, p) => {
      const appId = text(p, "AppId");
      const objectId = text(p, "ObjectId") ?? text(p, "ServiceId");
      if (!appId) return missing("New-ServicePrincipal", "AppId");
      if (!objectId) return missing("New-ServicePrincipal", "ObjectId");
      for (const [name, value] of [["AppId", appId], ["ObjectId", objectId]] as const) {
        if (!GUID.test(value)) return badRequest("System.Management.Automation.ParameterBindingException", `Cannot process argument transformation on parameter '${name}'. '${value}' is not a valid GUID.`);
      }
      const existing = [...t.servicePrincipals.values()].find((sp) => sp.objectId === objectId.toLowerCase() || sp.appId === appId.toLowerCase());
      if (existing) {
        return badRequest("Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException", `A service principal with AppId '${existing.appId}' and ObjectId '${existing.objectId}' already exists in this organization.`);
      }
      const sp: ExoServicePrincipal = { appId: appId.toLowerCase(), objectId: objectId.toLowerCase(), displayName: text(p, "DisplayName") ?? "", whenCreated: rbac.stamp() };
      t.servicePrincipals.set(sp.objectId, sp);
      return { ok: true, value: [servicePrincipalRow(t, sp)] };
    },
  ],
  [
    "get-serviceprincipal",
    (_rbac, t, p) => {
      const identity = text(p, "Identity");
      if (!identity) return { ok: true, value: [...t.servicePrincipals.values()].map((sp) => servicePrincipalRow(t, sp)) };
      const sp = findServicePrincipal(t, identity);
      return isOutcome(sp) ? sp : { ok: true, value: [servicePrincipalRow(t, sp)] };
    },
  ],
  [
    "remove-serviceprincipal",
    (_rbac, t, p) => {
      const identity = text(p, "Identity");
      if (!identity) return missing("Remove-ServicePrincipal", "Identity");
      const sp = findServicePrincipal(t, identity);
      if (isOutcome(sp)) return sp;
      const held = [...t.assignments.values()].filter((a) => a.app === sp.objectId).map((a) => a.name);
      if (held.length > 0) {
        return badRequest(
          "Microsoft.Exchange.Management.RbacTasks.RoleAssignmentsExistException",
          `The service principal '${sp.objectId}' can't be removed while it has management role assignments (${held.join(", ")}). Remove them first.`,
        );
      }
      t.servicePrincipals.delete(sp.objectId);
      for (const members of t.members.values()) members.delete(sp.objectId);
      return { ok: true, value: [] };
    },
  ],
  [
    "new-rolegroup",
    (rbac, t, p) => {
      const name = text(p, "Name");
      if (!name) return missing("New-RoleGroup", "Name");
      // New-RoleGroup documents no administrative-unit scope (its reference): PowerShell's own refusal.
      if (p.recipientadministrativeunitscope !== undefined) return noSuchParameter("RecipientAdministrativeUnitScope");
      if (name.length > NAME_MAX) return badRequest("System.Management.Automation.ParameterBindingValidationException", `Cannot validate argument on parameter 'Name'. The length of the argument is too long (maximum ${NAME_MAX}).`);
      if (groupName(t, name)) {
        return badRequest("Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException", `The role group "${name}" couldn't be created because an object with the same name already exists.`);
      }
      const roles: string[] = [];
      for (const asked of list(p, "Roles") ?? []) {
        const role = builtIn(EXCHANGE_MANAGEMENT_ROLES, asked);
        if (!role) return notFound(asked);
        if (!roles.includes(role)) roles.push(role);
      }
      const scope = groupScope(t, p);
      if (isOutcome(scope)) return scope;
      const group: ExoRoleGroup = { name, description: text(p, "Description") ?? "", guid: randomUUID(), whenCreated: rbac.stamp() };
      t.roleGroups.set(name.toLowerCase(), group);
      for (const role of roles) {
        // "<Role>-<Group>" (New-RoleGroup's Example 6), made unique when cut to 64 (modelled: Exchange's rule is not documented).
        const base = `${role}-${name}`.slice(0, NAME_MAX);
        let unique = base;
        for (let n = 2; t.assignments.has(unique.toLowerCase()); n += 1) unique = `${base.slice(0, NAME_MAX - String(n).length)}${n}`;
        const assignment = newAssignment(rbac, { name: unique, role, roleGroup: name, ...scope });
        t.assignments.set(assignment.name.toLowerCase(), assignment);
      }
      return { ok: true, value: [roleGroupRow(t, name)] };
    },
  ],
  [
    "get-rolegroup",
    (_rbac, t, p) => {
      const identity = text(p, "Identity");
      if (!identity) return { ok: true, value: [...EXCHANGE_ROLE_GROUPS, ...[...t.roleGroups.values()].map((g) => g.name)].map((name) => roleGroupRow(t, name)) };
      const name = groupName(t, identity);
      return name ? { ok: true, value: [roleGroupRow(t, name)] } : notFound(identity);
    },
  ],
  [
    "set-rolegroup",
    (_rbac, t, p) => {
      const name = roleGroup(t, p, "Set-RoleGroup");
      if (isOutcome(name)) return name;
      const group = t.roleGroups.get(name.toLowerCase());
      if (!group) return badRequest("System.InvalidOperationException", `The built-in role group "${name}" can't be changed here (the emulator changes custom role groups only).`);
      const description = p.description === undefined ? group.description : String(p.description ?? "");
      t.roleGroups.set(name.toLowerCase(), { ...group, description });
      return { ok: true, value: [] };
    },
  ],
  [
    "remove-rolegroup",
    (_rbac, t, p) => {
      const name = roleGroup(t, p, "Remove-RoleGroup");
      if (isOutcome(name)) return name;
      if (!t.roleGroups.has(name.toLowerCase())) {
        return badRequest("Microsoft.Exchange.Management.RbacTasks.CannotRemoveBuiltInRoleGroupException", `You can't remove built-in role groups: "${name}" is one.`);
      }
      t.roleGroups.delete(name.toLowerCase());
      t.members.delete(name);
      // "When you remove a role group, all the management role assignments ... are also removed" (its reference).
      for (const [key, a] of t.assignments) if (a.roleGroup === name) t.assignments.delete(key);
      return { ok: true, value: [] };
    },
  ],
  [
    "new-managementroleassignment",
    (rbac, t, p) => {
      const app = text(p, "App");
      const group = text(p, "SecurityGroup");
      const roleName = text(p, "Role");
      if (!app && !group) {
        if (text(p, "User") || text(p, "Policy")) return badRequest("System.NotSupportedException", "The emulator models role assignments to apps (-App) and role groups (-SecurityGroup) only.");
        return missing("New-ManagementRoleAssignment", "SecurityGroup");
      }
      if (!roleName) return missing("New-ManagementRoleAssignment", "Role");
      if (group) {
        const name = groupName(t, group);
        if (!name) return notFound(group);
        const role = builtIn(EXCHANGE_MANAGEMENT_ROLES, roleName);
        if (!role) return notFound(roleName);
        const scope = groupScope(t, p);
        if (isOutcome(scope)) return scope;
        const assignmentNameOrError = assignmentName(t, p, `${role}-${name}`);
        if (isOutcome(assignmentNameOrError)) return assignmentNameOrError;
        const assignment = newAssignment(rbac, { name: assignmentNameOrError, role, roleGroup: name, ...scope });
        t.assignments.set(assignment.name.toLowerCase(), assignment);
        return { ok: true, value: [assignmentRow(t, assignment)] };
      }
      const scope = text(p, "CustomResourceScope");
      const unit = text(p, "RecipientAdministrativeUnitScope");
      if (scope && unit) return badRequest("System.Management.Automation.ParameterBindingException", "Parameter set cannot be resolved using the specified named parameters.");
      const sp = servicePrincipalByObjectId(t, app!);
      if (isOutcome(sp)) return sp;
      if (!isApplicationRole(roleName)) {
        if (!builtIn(EXCHANGE_MANAGEMENT_ROLES, roleName)) return notFound(roleName);
        // The reference: "If you use the App parameter, you can't specify admin or user roles" (modelled wording).
        return badRequest("System.ArgumentException", `The role "${roleName}" can't be assigned with the App parameter: you can only specify application roles (for example, "Application Mail.Read").`);
      }
      if (scope && !t.scopes.has(scope.toLowerCase())) return notFound(scope);
      if (unit && !t.administrativeUnits.has(unit.toLowerCase())) return notFound(unit);
      const name = assignmentName(t, p, `${roleName}-${sp.displayName || sp.objectId}`);
      if (isOutcome(name)) return name;
      const assignment = newAssignment(rbac, { name, role: roleName, app: sp.objectId, customResourceScope: scope, recipientAdministrativeUnitScope: unit?.toLowerCase() });
      t.assignments.set(assignment.name.toLowerCase(), assignment);
      return { ok: true, value: [assignmentRow(t, assignment)] };
    },
  ],
  [
    "get-managementroleassignment",
    (_rbac, t, p) => {
      const identity = text(p, "Identity");
      if (identity) {
        const a = t.assignments.get(identity.toLowerCase());
        return a ? { ok: true, value: [assignmentRow(t, a)] } : notFound(identity);
      }
      let rows = [...t.assignments.values()];
      const role = text(p, "Role");
      if (role) {
        const known = builtIn(EXCHANGE_MANAGEMENT_ROLES, role) ?? (isApplicationRole(role) ? role : undefined);
        if (!known) return notFound(role);
        rows = rows.filter((a) => a.role.toLowerCase() === known.toLowerCase());
      }
      const assignee = text(p, "RoleAssignee");
      if (assignee) {
        const group = groupName(t, assignee);
        if (group) {
          rows = rows.filter((a) => a.roleGroup === group);
        } else {
          const sp = findServicePrincipal(t, assignee);
          if (isOutcome(sp)) return sp;
          rows = rows.filter((a) => a.app === sp.objectId);
        }
      }
      return { ok: true, value: rows.map((a) => assignmentRow(t, a)) };
    },
  ],
  [
    "remove-managementroleassignment",
    (_rbac, t, p) => {
      const identity = text(p, "Identity");
      if (!identity) return missing("Remove-ManagementRoleAssignment", "Identity");
      if (!t.assignments.delete(identity.toLowerCase())) return notFound(identity);
      return { ok: true, value: [] };
    },
  ],
  [
    "add-rolegroupmember",
    (_rbac, t, p) => {
      const group = roleGroup(t, p, "Add-RoleGroupMember");
      if (isOutcome(group)) return group;
      const member = text(p, "Member");
      if (!member) return missing("Add-RoleGroupMember", "Member");
      const central = centrallyManaged(group);
      if (central) return central;
      const sp = servicePrincipalByObjectId(t, member);
      if (isOutcome(sp)) return sp;
      const members = t.members.get(group) ?? new Set<string>();
      if (members.has(sp.objectId)) {
        return badRequest("Microsoft.Exchange.Management.Tasks.MemberAlreadyExistsException", `The recipient "${member}" is already a member of the group "${group}".`);
      }
      members.add(sp.objectId);
      t.members.set(group, members);
      return { ok: true, value: [] };
    },
  ],
  [
    "remove-rolegroupmember",
    (_rbac, t, p) => {
      const group = roleGroup(t, p, "Remove-RoleGroupMember");
      if (isOutcome(group)) return group;
      const member = text(p, "Member");
      if (!member) return missing("Remove-RoleGroupMember", "Member");
      const sp = servicePrincipalByObjectId(t, member);
      if (isOutcome(sp)) return sp;
      if (!t.members.get(group)?.delete(sp.objectId)) {
        return badRequest("Microsoft.Exchange.Management.Tasks.MemberNotFoundException", `The recipient "${member}" isn't a member of the group "${group}".`);
      }
      return { ok: true, value: [] };
    },
  ],
  [
    "get-rolegroupmember",
    (_rbac, t, p) => {
      const group = roleGroup(t, p, "Get-RoleGroupMember");
      if (isOutcome(group)) return group;
      const rows = [...(t.members.get(group) ?? [])].map((id) => t.servicePrincipals.get(id)).filter((sp): sp is ExoServicePrincipal => sp !== undefined);
      return { ok: true, value: rows.map((sp) => memberRow(t, sp)) };
    },
  ],
]);
