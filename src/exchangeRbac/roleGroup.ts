/**
 * A custom role group the stack owns: the documented way to give an app Exchange's management roles (Microsoft's
 * app-only article, "Assign custom role groups to the application using service principals": a custom role group
 * "can contain any combination of built-in and custom roles"; the principal then joins it, roleGroupMember.ts).
 *
 * - create: `New-RoleGroup -Name <name> -Description <text> -Roles <roles> [-CustomRecipientWriteScope <scope>]`
 *   (New-RoleGroup's reference: Name up to 64 characters; CustomRecipientWriteScope "applied to the management role
 *   assignments created when the role group is created"). New-RoleGroup documents no administrative-unit scope, so
 *   a group for an administrative unit is made empty and each role assigned to it with `New-ManagementRoleAssignment
 *   -SecurityGroup <group> -Role <role> -RecipientAdministrativeUnitScope <unit id>` (New-ManagementRoleAssignment's
 *   reference: SecurityGroup "specifies the name of the management role group"); if that fails the empty group is
 *   removed again, so a failed create leaves nothing behind.
 * - update, in place: a role added is `New-ManagementRoleAssignment -SecurityGroup` with the group's scope, a role
 *   removed is `Remove-ManagementRoleAssignment` of the group's assignment of it (Set-RoleGroup's reference: "to add
 *   or remove management role assignments to or from a role group, use the New-ManagementRoleAssignment or
 *   Remove-ManagementRoleAssignment cmdlets"), additions first; the description is `Set-RoleGroup -Description`.
 * - a name, tenant or scope change replaces it (a role group has one write scope: one group per scope).
 * - read: `Get-RoleGroup -Identity <name>` (gone = an empty id), then the group's assignments
 *   (`Get-ManagementRoleAssignment -RoleAssignee <name>`): their roles and their scope are the state, so a role
 *   removed or a scope changed by hand shows as drift.
 * - delete: `Remove-RoleGroup -Identity <name> -Confirm:$false` ("all the management role assignments ... are also
 *   removed"); one already gone is deleted.
 * Changes to a role group pass `-BypassSecurityGroupManagerCheck`: the references name Organization Management (what
 * the deploying identity holds) as the condition for it, and without it a group whose ManagedBy lists others refuses.
 */
import { createHash } from "node:crypto";
import { isGuid } from "../facts";
import { changed, checkTarget, environmentOf, keep, sameName, str, type Common, type Provider } from "./common";
import type { CmdletContext } from "./explain";
import { parseRoleGroupId, roleGroupId } from "./ids";
import type { ExchangeTarget, RbacSession } from "./session";

/** One write scope: a management scope's name or an administrative unit's id (never both), or none (the organization). */
export interface RoleGroupScope {
  readonly customRecipientWriteScope?: string;
  readonly recipientAdministrativeUnitScope?: string;
}

export interface RoleGroupInputs extends Common, RoleGroupScope {
  /** The role group's name in Exchange (up to 64 characters): ownRoleGroupName for the stack's own groups. */
  readonly name: string;
  /** The management roles it holds, built-in or custom (at least one). */
  readonly roles: readonly string[];
  /** What Get-RoleGroup shows beside it: whose it is and who keeps it. */
  readonly description: string;
}
export interface RoleGroupState extends ExchangeTarget, RoleGroupScope {
  readonly name: string;
  readonly roles: readonly string[];
  readonly description: string;
  /** Exchange's Identity of the role group. */
  readonly identity: string;
}

/** New-RoleGroup's limit for Name. */
export const ROLE_GROUP_NAME_MAX = 64;
const PREFIX = "exo-app-only";

/**
 * The name of the stack's own role group for an app and a scope: stable (the same inputs give the same name on every
 * run and machine), one per app and scope, within 64 characters: `exo-app-only <app id>` for the organization,
 * `exo-app-only <app id> scope-<hash>` for a management scope, `… au-<hash>` for an administrative unit.
 */
export function ownRoleGroupName(appId: string, scope: RoleGroupScope = {}): string {
  const base = `${PREFIX} ${appId.toLowerCase()}`;
  const [kind, value] = scope.customRecipientWriteScope ? ["scope", scope.customRecipientWriteScope] : scope.recipientAdministrativeUnitScope ? ["au", scope.recipientAdministrativeUnitScope] : [];
  if (!kind) return base;
  const hash = createHash("sha256").update(`${kind}\n${value!.trim().toLowerCase()}`).digest("hex").slice(0, 8);
  return `${base} ${kind}-${hash}`;
}

/**
 * The name of the group's assignment of a role: the role and a short hash of group and role, within the 64 characters
 * New-ManagementRoleAssignment's Name takes, and distinct between groups (an app's groups share a long prefix).
 */
export function groupAssignmentName(group: string, role: string): string {
  const hash = createHash("sha256").update(`${group.toLowerCase()}\n${role.toLowerCase()}`).digest("hex").slice(0, 8);
  return `${role.slice(0, 50)}-${hash}`;
}

/** The scope as a cmdlet parameter: New-RoleGroup takes the management scope only; assignments take either. */
function scopeParameter(scope: RoleGroupScope): Record<string, string> {
  if (scope.customRecipientWriteScope) return { CustomRecipientWriteScope: scope.customRecipientWriteScope };
  if (scope.recipientAdministrativeUnitScope) return { RecipientAdministrativeUnitScope: scope.recipientAdministrativeUnitScope };
  return {};
}

function scopeWords(scope: RoleGroupScope): string {
  if (scope.customRecipientWriteScope) return ` (recipients in management scope "${scope.customRecipientWriteScope}")`;
  if (scope.recipientAdministrativeUnitScope) return ` (recipients in administrative unit ${scope.recipientAdministrativeUnitScope})`;
  return "";
}

/** The scope an assignment row carries (Get-ManagementRoleAssignment), in the form of the inputs. */
function rowScope(row: Record<string, unknown>): RoleGroupScope {
  const unit = str(row, "RecipientAdministrativeUnitScope");
  if (unit) return { recipientAdministrativeUnitScope: unit };
  const scope = str(row, "CustomRecipientWriteScope");
  return scope ? { customRecipientWriteScope: scope } : {};
}

function sameScope(a: RoleGroupScope, b: RoleGroupScope): boolean {
  return sameName(a.customRecipientWriteScope, b.customRecipientWriteScope) && sameName(a.recipientAdministrativeUnitScope, b.recipientAdministrativeUnitScope);
}

/** The roles of `a` that `b` lacks, compared as Exchange compares names. */
function missingFrom(a: readonly string[], b: readonly string[]): string[] {
  return a.filter((role) => !b.some((other) => sameName(role, other)));
}

function sameRoles(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && missingFrom(a, b).length === 0 && missingFrom(b, a).length === 0;
}

const BYPASS = { BypassSecurityGroupManagerCheck: true };

export function roleGroupProviderOver(session: RbacSession): Provider<RoleGroupInputs, RoleGroupState> {
  const context = (cmdlet: string, inputs: Pick<RoleGroupInputs, "tenantId" | "name"> & RoleGroupScope & { roles?: readonly string[] }, role?: string): CmdletContext => ({
    cmdlet,
    tenantId: inputs.tenantId,
    what: `role group "${inputs.name}"${role ? ` and its role "${role}"` : ""}`,
    names: {
      roleGroup: inputs.name,
      ...(role ? { role } : inputs.roles ? { roles: inputs.roles } : {}),
      ...(inputs.customRecipientWriteScope ? { managementScope: inputs.customRecipientWriteScope } : {}),
      ...(inputs.recipientAdministrativeUnitScope ? { administrativeUnit: inputs.recipientAdministrativeUnitScope } : {}),
    },
    importId: roleGroupId(inputs.tenantId, inputs.name),
  });

  /** Gives the group one more role, in its scope, under a name of its own (Exchange's default could pass 64 characters). */
  const assign = (inputs: RoleGroupInputs, role: string) =>
    session.run(inputs, context("New-ManagementRoleAssignment", inputs, role), { Name: groupAssignmentName(inputs.name, role), SecurityGroup: inputs.name, Role: role, ...scopeParameter(inputs) });

  /** Takes a role from the group: every assignment of it to the group. */
  const unassign = async (inputs: RoleGroupInputs, role: string) => {
    const found = await session.run(inputs, context("Get-ManagementRoleAssignment", inputs, role), { RoleAssignee: inputs.name, Role: role }, { accept: ["notFound"] });
    for (const row of found.answer.value) {
      const identity = str(row, "Identity", "Name");
      if (identity) await session.run(inputs, context("Remove-ManagementRoleAssignment", inputs, role), { Identity: identity, Confirm: false }, { accept: ["notFound"] });
    }
  };

  const remove = (target: ExchangeTarget & { name: string }) =>
    session.run(target, context("Remove-RoleGroup", target), { Identity: target.name, Confirm: false, ...BYPASS }, { accept: ["notFound"] });

  const state = (inputs: RoleGroupInputs, identity: string): RoleGroupState => ({
    tenantId: inputs.tenantId,
    environment: inputs.environment,
    name: inputs.name,
    roles: [...inputs.roles],
    ...(inputs.customRecipientWriteScope ? { customRecipientWriteScope: inputs.customRecipientWriteScope } : {}),
    ...(inputs.recipientAdministrativeUnitScope ? { recipientAdministrativeUnitScope: inputs.recipientAdministrativeUnitScope } : {}),
    description: inputs.description,
    identity,
  });

  return {
    async check(_olds, news) {
      const failures = checkTarget(news);
      const name = news.name?.trim() ?? "";
      if (name.length === 0 || name.length > ROLE_GROUP_NAME_MAX) failures.push({ property: "name", reason: `name ${JSON.stringify(news.name)} must be 1 to ${ROLE_GROUP_NAME_MAX} characters (New-RoleGroup's limit).` });
      if (!Array.isArray(news.roles) || news.roles.length === 0 || news.roles.some((r) => typeof r !== "string" || r.trim() === "")) {
        failures.push({ property: "roles", reason: "roles must list at least one management role, for example View-Only Configuration." });
      }
      if (news.customRecipientWriteScope && news.recipientAdministrativeUnitScope) {
        failures.push({ property: "customRecipientWriteScope", reason: "give a management scope or an administrative unit, not both: a role group has one write scope." });
      }
      if (news.recipientAdministrativeUnitScope && !isGuid(news.recipientAdministrativeUnitScope)) {
        failures.push({ property: "recipientAdministrativeUnitScope", reason: `recipientAdministrativeUnitScope ${JSON.stringify(news.recipientAdministrativeUnitScope)} is not an administrative unit's Object ID (a GUID).` });
      }
      return { inputs: news, failures };
    },
    async diff(_id, olds, news) {
      const replaces = changed(olds, news, ["tenantId", "environment", "name", "customRecipientWriteScope", "recipientAdministrativeUnitScope"]);
      // Roles not known yet (a preview, the engine's unknown stand-in in place of the list) may change.
      const updates = !Array.isArray(news.roles) || !sameRoles(olds.roles, news.roles) || olds.description !== news.description;
      // The same name in the same tenant cannot exist twice: then the old group goes first.
      const deleteBeforeReplace = replaces.length > 0 && sameName(olds.name, news.name) && sameName(olds.tenantId, news.tenantId);
      return { changes: replaces.length > 0 || updates, replaces, deleteBeforeReplace };
    },
    async create(inputs) {
      const unit = inputs.recipientAdministrativeUnitScope;
      const made = await session.run(inputs, context("New-RoleGroup", inputs), {
        Name: inputs.name,
        Description: inputs.description,
        ...(unit ? {} : { Roles: [...inputs.roles] }),
        ...(inputs.customRecipientWriteScope ? { CustomRecipientWriteScope: inputs.customRecipientWriteScope } : {}),
      });
      if (unit) {
        try {
          for (const role of inputs.roles) await assign(inputs, role);
        } catch (error) {
          // Leave nothing half-made: the group without its roles would block the next create as "already exists".
          await remove(inputs).catch(() => undefined);
          throw error;
        }
      }
      const identity = str(made.answer.value[0], "Identity", "Name") ?? inputs.name;
      return { id: roleGroupId(inputs.tenantId, inputs.name), outs: state(inputs, identity) };
    },
    async update(_id, olds, news) {
      for (const role of missingFrom(news.roles, olds.roles ?? [])) await assign(news, role);
      for (const role of missingFrom(olds.roles ?? [], news.roles)) await unassign(news, role);
      if (olds.description !== news.description) {
        await session.run(news, context("Set-RoleGroup", news), { Identity: news.name, Description: news.description, ...BYPASS });
      }
      return { outs: state(news, olds.identity || news.name) };
    },
    async read(id, props) {
      const { tenantId, name } = parseRoleGroupId(id);
      const target = { tenantId, environment: environmentOf(props) };
      const group = await session.run(target, context("Get-RoleGroup", { tenantId, name }), { Identity: name }, { accept: ["notFound"] });
      const row = group.answer.value[0];
      if (group.failure || !row) return { id: "" };
      const assignments = await session.run(target, context("Get-ManagementRoleAssignment", { tenantId, name }), { RoleAssignee: name }, { accept: ["notFound"] });
      const rows = assignments.answer.value;
      const roles = rows.map((r) => str(r, "Role")).filter((r): r is string => r !== undefined);
      const expected: RoleGroupScope = props ?? {};
      // One assignment scoped otherwise than the stack says is drift of the whole group: report that scope.
      const scope = rows.map(rowScope).find((s) => !sameScope(s, expected)) ?? expected;
      return {
        id,
        props: {
          tenantId: keep(props?.tenantId, tenantId)!,
          environment: target.environment,
          name: keep(props?.name, str(row, "Name")) ?? name,
          // The stack's order and spelling for the roles it still holds; Exchange's for the rest.
          roles: [...(props?.roles ?? []).filter((r) => roles.some((x) => sameName(x, r))), ...missingFrom(roles, props?.roles ?? [])],
          ...(scope.customRecipientWriteScope ? { customRecipientWriteScope: keep(expected.customRecipientWriteScope, scope.customRecipientWriteScope)! } : {}),
          ...(scope.recipientAdministrativeUnitScope ? { recipientAdministrativeUnitScope: keep(expected.recipientAdministrativeUnitScope, scope.recipientAdministrativeUnitScope)! } : {}),
          description: str(row, "Description") ?? "",
          identity: keep(props?.identity, str(row, "Identity", "Name")) ?? name,
        },
      };
    },
    async delete(id, props) {
      const { tenantId, name } = parseRoleGroupId(id);
      await remove({ tenantId, environment: environmentOf(props), name });
    },
  };
}

/** The description of the stack's own group: whose it is, its scope, and who keeps it (Get-RoleGroup shows it). */
export function ownRoleGroupDescription(displayName: string, appId: string, scope: RoleGroupScope = {}): string {
  return `Exchange RBAC of ${displayName} (app ${appId})${scopeWords(scope)}, kept by exchange-app-only (Pulumi): change it in the stack, not here.`;
}
