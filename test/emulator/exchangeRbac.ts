/**
 * Exchange Online's own RBAC in the emulator: its service principals (Exchange's pointers to Entra principals), the
 * management role assignments given to them (optionally scoped) and their role group memberships. InvokeCommand
 * runs the RBAC cmdlets against this state and asks it which management roles an app holds.
 *
 * HOW A TEST DRIVES IT (the Exchange RBAC provider's tests, the check's, the demo's)
 * - The deploying identity: `createIdentity(emu, { roleTemplateId: EXCHANGE_ADMINISTRATOR })` (or GLOBAL_ADMINISTRATOR)
 *   from ./scenario: an app with Exchange.ManageAsApp and a directory role Exchange maps to Organization Management.
 *   Its client-credentials token for `{cloud's Exchange resource}/.default` (`secretToken(emu, id)`, or @azure/identity's
 *   ClientSecretCredential with `authorityHost: emu.url` and the emulator's CA trusted) may run every cmdlet below. A
 *   delegated admin: `emu.mintAccessToken({ aud: "https://outlook.office365.com", tid, oid, idtyp: "user", upn,
 *   scp: "Exchange.Manage", wids: [EXCHANGE_ADMINISTRATOR] })` (users are not modelled: their `wids` are trusted).
 *   Any other caller gets Exchange's real refusal: HTTP 401 "User is not allowed to call <cmdlet>".
 * - Send cmdlets with src/exchange's `runCmdlet({ baseUrl: emu.url, tenantId, accessToken, cmdlet, parameters }, t)`.
 * - Read the state: `emu.exchangeRbac.servicePrincipals(tenantId)`, `.roleAssignments(tenantId)`,
 *   `.roleGroupMembers(tenantId, "Organization Management")` (member ObjectIds).
 * - Seed or drift it behind a provider's back: `addServicePrincipal`, `removeServicePrincipal`, `addRoleAssignment`,
 *   `removeRoleAssignment`, `addRoleGroupMember`, `removeRoleGroupMember`; scopes an assignment may name first:
 *   `addManagementScope(tenantId, name)`, `addAdministrativeUnit(tenantId, id?)`.
 *
 * THE CMDLETS (parameters as Microsoft documents them; names matched case-insensitively)
 * - New-ServicePrincipal -AppId -ObjectId (or its older name -ServiceId) [-DisplayName]; Get-ServicePrincipal
 *   [-Identity]; Remove-ServicePrincipal -Identity. Identity: ObjectId, AppId or a unique DisplayName. Like Exchange,
 *   New- does not check the ids against Entra.
 * - New-ManagementRoleAssignment -App <SP identity> -Role <role> [-Name] [-CustomResourceScope <scope name> |
 *   -RecipientAdministrativeUnitScope <AU id>]; Get-ManagementRoleAssignment [-Identity] [-Role] [-RoleAssignee];
 *   Remove-ManagementRoleAssignment -Identity <name>. The default name is "<Role>-<SP display name or ObjectId>".
 * - Add-/Remove-RoleGroupMember -Identity <built-in role group> -Member <SP identity>; Get-RoleGroupMember -Identity.
 * Failures: 404 ManagementObjectNotFoundException ("The operation couldn't be performed because object 'x' couldn't
 * be found on '...'"), 400 for a duplicate (ADObjectAlreadyExistsException, MemberAlreadyExistsException), a
 * non-member, an ambiguous identity, both scopes at once, a missing parameter, or removing a service principal that
 * still has assignments (the emulator's choice: a delete in the wrong order shows up).
 * Modelled, not Microsoft's: the exact wording of the duplicate messages; Get-ManagementRoleAssignment lists the
 * assignments made to apps only (not the built-in role groups' own); scopes do not filter what cmdlets return.
 */
import { randomUUID } from "node:crypto";
import { EXCHANGE_MANAGEMENT_ROLES, EXCHANGE_ROLE_GROUPS } from "../../src/facts";
import { ROLE_GROUP_ROLES } from "../../src/facts/cmdletPermissions";
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
  /** The service principal's ObjectId. */
  readonly app: string;
  readonly customResourceScope?: string;
  readonly recipientAdministrativeUnitScope?: string;
  readonly guid: string;
  readonly whenCreated: string;
}

interface TenantRbac {
  readonly organization: string;
  readonly servicePrincipals: Map<string, ExoServicePrincipal>; // by ObjectId
  readonly assignments: Map<string, ExoRoleAssignment>; // by lower-case name
  readonly members: Map<string, Set<string>>; // role group → ObjectIds
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

  /** ObjectIds of the service principals in a role group. */
  roleGroupMembers(tenantId: string, group: string): string[] {
    const name = builtIn(EXCHANGE_ROLE_GROUPS, group);
    if (!name) throw new Error(`no built-in role group ${group}`);
    return [...(this.tenant(tenantId).members.get(name) ?? [])];
  }

  addServicePrincipal(tenantId: string, p: { appId: string; objectId: string; displayName?: string }): ExoServicePrincipal {
    return this.expect(this.run(tenantId, "New-ServicePrincipal", { AppId: p.appId, ObjectId: p.objectId, ...(p.displayName ? { DisplayName: p.displayName } : {}) }));
  }

  removeServicePrincipal(tenantId: string, identity: string): void {
    this.expect(this.run(tenantId, "Remove-ServicePrincipal", { Identity: identity }));
  }

  addRoleAssignment(tenantId: string, p: { app: string; role: string; name?: string; customResourceScope?: string; recipientAdministrativeUnitScope?: string }): ExoRoleAssignment {
    const parameters: Record<string, unknown> = { App: p.app, Role: p.role };
    if (p.name) parameters.Name = p.name;
    if (p.customResourceScope) parameters.CustomResourceScope = p.customResourceScope;
    if (p.recipientAdministrativeUnitScope) parameters.RecipientAdministrativeUnitScope = p.recipientAdministrativeUnitScope;
    const row = this.expect(this.run(tenantId, "New-ManagementRoleAssignment", parameters));
    return this.tenant(tenantId).assignments.get(String(row.Name).toLowerCase())!;
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

  /** The management roles a principal (by Entra ObjectId) holds through assignments and role groups. */
  managementRoles(tenantId: string, objectId: string): Set<string> {
    const t = this.tenant(tenantId);
    const roles = new Set<string>();
    if (!t.servicePrincipals.has(objectId.toLowerCase())) return roles;
    for (const a of t.assignments.values()) if (a.app === objectId.toLowerCase()) roles.add(a.role);
    for (const [group, members] of t.members) if (members.has(objectId.toLowerCase())) for (const role of ROLE_GROUP_ROLES[group] ?? []) roles.add(role);
    return roles;
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
      t = { organization: known.organization, servicePrincipals: new Map(), assignments: new Map(), members: new Map(), scopes: new Set(), administrativeUnits: new Set() };
      this.tenants.set(known.tenantId, t);
    }
    return t;
  }

  private expect(outcome: CmdletOutcome): ExoServicePrincipal & Record<string, unknown> {
    if (!outcome.ok) throw new Error(`${outcome.exception}: ${outcome.message}`);
    return (outcome.value[0] ?? {}) as ExoServicePrincipal & Record<string, unknown>;
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

function builtIn(names: readonly string[], value: string): string | undefined {
  return names.find((n) => n.toLowerCase() === value.toLowerCase());
}

/** One service principal by ObjectId, AppId or unique DisplayName. */
function findServicePrincipal(t: TenantRbac, identity: string): ExoServicePrincipal | CmdletOutcome {
  const id = identity.toLowerCase();
  const byId = t.servicePrincipals.get(id) ?? [...t.servicePrincipals.values()].find((sp) => sp.appId === id);
  if (byId) return byId;
  const named = [...t.servicePrincipals.values()].filter((sp) => sp.displayName.toLowerCase() === id);
  if (named.length > 1) return badRequest("Microsoft.Exchange.Configuration.Tasks.ManagementObjectAmbiguousException", `The operation couldn't be performed because '${identity}' matches multiple entries.`);
  return named[0] ?? notFound(identity);
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
  const sp = t.servicePrincipals.get(a.app);
  return {
    Name: a.name,
    Identity: a.name,
    Role: a.role,
    RoleAssignee: a.app,
    RoleAssigneeName: sp?.displayName || a.app,
    RoleAssigneeType: "ServicePrincipal",
    AssignmentMethod: "Direct",
    CustomResourceScope: a.customResourceScope ?? null,
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

function roleGroup(p: Record<string, unknown>, cmdlet: string): string | CmdletOutcome {
  const identity = text(p, "Identity");
  if (!identity) return missing(cmdlet, "Identity");
  return builtIn(EXCHANGE_ROLE_GROUPS, identity) ?? notFound(identity);
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
    "new-managementroleassignment",
    (rbac, t, p) => {
      const app = text(p, "App");
      const roleName = text(p, "Role");
      if (!app) {
        if (text(p, "User") || text(p, "SecurityGroup") || text(p, "Policy")) {
          return badRequest("System.NotSupportedException", "The emulator models role assignments to apps (-App) only.");
        }
        return missing("New-ManagementRoleAssignment", "App");
      }
      if (!roleName) return missing("New-ManagementRoleAssignment", "Role");
      const scope = text(p, "CustomResourceScope");
      const unit = text(p, "RecipientAdministrativeUnitScope");
      if (scope && unit) return badRequest("System.Management.Automation.ParameterBindingException", "Parameter set cannot be resolved using the specified named parameters.");
      const sp = findServicePrincipal(t, app);
      if (isOutcome(sp)) return sp;
      const role = builtIn(EXCHANGE_MANAGEMENT_ROLES, roleName);
      if (!role) return notFound(roleName);
      if (scope && !t.scopes.has(scope.toLowerCase())) return notFound(scope);
      if (unit && !t.administrativeUnits.has(unit.toLowerCase())) return notFound(unit);
      const name = (text(p, "Name") ?? `${role}-${sp.displayName || sp.objectId}`).slice(0, 64);
      if (t.assignments.has(name.toLowerCase())) {
        return badRequest("Microsoft.Exchange.Data.Directory.ADObjectAlreadyExistsException", `The role assignment "${name}" couldn't be created because an object with the same name already exists.`);
      }
      const assignment: ExoRoleAssignment = {
        name,
        role,
        app: sp.objectId,
        ...(scope ? { customResourceScope: scope } : {}),
        ...(unit ? { recipientAdministrativeUnitScope: unit.toLowerCase() } : {}),
        guid: randomUUID(),
        whenCreated: rbac.stamp(),
      };
      t.assignments.set(name.toLowerCase(), assignment);
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
        const known = builtIn(EXCHANGE_MANAGEMENT_ROLES, role);
        if (!known) return notFound(role);
        rows = rows.filter((a) => a.role === known);
      }
      const assignee = text(p, "RoleAssignee");
      if (assignee) {
        const sp = findServicePrincipal(t, assignee);
        if (isOutcome(sp)) return sp;
        rows = rows.filter((a) => a.app === sp.objectId);
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
      const group = roleGroup(p, "Add-RoleGroupMember");
      if (isOutcome(group)) return group;
      const member = text(p, "Member");
      if (!member) return missing("Add-RoleGroupMember", "Member");
      const sp = findServicePrincipal(t, member);
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
      const group = roleGroup(p, "Remove-RoleGroupMember");
      if (isOutcome(group)) return group;
      const member = text(p, "Member");
      if (!member) return missing("Remove-RoleGroupMember", "Member");
      const sp = findServicePrincipal(t, member);
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
      const group = roleGroup(p, "Get-RoleGroupMember");
      if (isOutcome(group)) return group;
      const rows = [...(t.members.get(group) ?? [])].map((id) => t.servicePrincipals.get(id)).filter((sp): sp is ExoServicePrincipal => sp !== undefined);
      return { ok: true, value: rows.map((sp) => memberRow(t, sp)) };
    },
  ],
]);
