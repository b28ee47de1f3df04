/**
 * Exchange's own RBAC for the app (least privilege below a directory role), the way Microsoft documents it for an
 * app (the app-only article, "Assign custom role groups to the application using service principals"): the app's
 * service principal registered in Exchange (`New-ServicePrincipal`), a custom role group of the stack's own holding
 * the `exchangeRoles` roles (`New-RoleGroup -Roles`), one a write scope, and the principal a member of each
 * (`Add-RoleGroupMember -Member <ObjectId>`); a role group the tenant made (`custom: true`) is joined as it is. A
 * built-in role group in `exchangeRoles` stands for its roles, which go into the stack's own group: Microsoft
 * documents custom role groups for a service principal, not the built-in ones.
 *
 * Custom resources of this package's provider plugin (`exchange-app-only:index:…`): their CRUD is the library
 * src/exchangeRbac, run in the plugin's process (provider/resources.ts), which signs in as the deploying identity
 * (the azuread provider's ARM_* / OIDC / Azure CLI sign-in) for the tenant's Exchange. Inputs, outputs and state hold
 * names and ids only; no command needs the folder that created the stack.
 *
 * Import ids (docs/least-privilege.md, "Exchange RBAC resources"): `<tenantId>/<appId>` (service principal), `<tenantId>/<role group
 * name>` (role group), `<tenantId>/<appId>/<role group>` (membership), `<tenantId>/<assignment name>` (a direct
 * assignment of an application role; `exchangeRoles` makes none).
 */
import * as pulumi from "@pulumi/pulumi";
import type { ExchangeRoleEntry } from "../src/config/stackConfig";
import type { TenantSpec } from "./tenantSpec";
import { findBuiltInRoleGroup, TYPE, type CloudName } from "../src/facts";
import { ownRoleGroupDescription, ownRoleGroupName } from "../src/exchangeRbac/roleGroup";
import type { RoleAssignmentInputs, RoleGroupInputs, RoleGroupMemberInputs, RoleGroupScope, ServicePrincipalInputs } from "../src/exchangeRbac/provider";

type Args<T> = { readonly [K in keyof T]: T[K] extends readonly (infer E)[] ? pulumi.Input<pulumi.Input<E>[]> : pulumi.Input<T[K]> };

/** Whether `obj` is a custom resource registered under `type`, across copies of this package (as generated SDKs test it). */
function isOfType(obj: unknown, type: string): boolean {
  return pulumi.CustomResource.isInstance(obj) && (obj as unknown as { __pulumiType?: string }).__pulumiType === type;
}

/** The app's service principal in Exchange. Import id: `<tenantId>/<appId>`. */
export class ExchangeServicePrincipal extends pulumi.CustomResource {
  static readonly __pulumiType = TYPE.exchangeServicePrincipal;
  static isInstance(obj: unknown): obj is ExchangeServicePrincipal {
    return isOfType(obj, ExchangeServicePrincipal.__pulumiType);
  }

  declare readonly tenantId: pulumi.Output<string>;
  declare readonly environment: pulumi.Output<CloudName>;
  declare readonly appId: pulumi.Output<string>;
  declare readonly objectId: pulumi.Output<string>;
  declare readonly displayName: pulumi.Output<string>;
  /** Exchange's Identity of the principal. */
  declare readonly identity: pulumi.Output<string>;

  constructor(name: string, args: Args<ServicePrincipalInputs>, opts?: pulumi.CustomResourceOptions) {
    super(TYPE.exchangeServicePrincipal, name, { ...args, identity: undefined }, opts);
  }
}

/** A custom role group with its roles and write scope. Import id: `<tenantId>/<role group name>`. */
export class ExchangeRoleGroup extends pulumi.CustomResource {
  static readonly __pulumiType = TYPE.exchangeRoleGroup;
  static isInstance(obj: unknown): obj is ExchangeRoleGroup {
    return isOfType(obj, ExchangeRoleGroup.__pulumiType);
  }

  declare readonly tenantId: pulumi.Output<string>;
  declare readonly environment: pulumi.Output<CloudName>;
  /** The role group's name in Exchange: what a membership joins. */
  declare readonly name: pulumi.Output<string>;
  declare readonly roles: pulumi.Output<string[]>;
  declare readonly description: pulumi.Output<string>;
  declare readonly customRecipientWriteScope: pulumi.Output<string | undefined>;
  declare readonly recipientAdministrativeUnitScope: pulumi.Output<string | undefined>;
  declare readonly identity: pulumi.Output<string>;

  constructor(name: string, args: Args<RoleGroupInputs>, opts?: pulumi.CustomResourceOptions) {
    super(TYPE.exchangeRoleGroup, name, { ...args, identity: undefined }, opts);
  }
}

/** The app's service principal as a member of a custom role group. Import id: `<tenantId>/<appId>/<role group>`. */
export class ExchangeRoleGroupMember extends pulumi.CustomResource {
  static readonly __pulumiType = TYPE.exchangeRoleGroupMember;
  static isInstance(obj: unknown): obj is ExchangeRoleGroupMember {
    return isOfType(obj, ExchangeRoleGroupMember.__pulumiType);
  }

  declare readonly tenantId: pulumi.Output<string>;
  declare readonly environment: pulumi.Output<CloudName>;
  declare readonly appId: pulumi.Output<string>;
  declare readonly servicePrincipalObjectId: pulumi.Output<string | undefined>;
  declare readonly roleGroup: pulumi.Output<string>;

  constructor(name: string, args: Args<RoleGroupMemberInputs>, opts?: pulumi.CustomResourceOptions) {
    super(TYPE.exchangeRoleGroupMember, name, { ...args }, opts);
  }
}

/**
 * An application role (`Application Mail.Read`, …) assigned straight to the app's principal: the one use Microsoft
 * documents for `New-ManagementRoleAssignment -App`. `exchangeRoles` never makes one; earlier versions did, for admin
 * roles, and their state still refreshes and deletes. Import id: `<tenantId>/<assignment name>`.
 */
export class ExchangeManagementRoleAssignment extends pulumi.CustomResource {
  static readonly __pulumiType = TYPE.exchangeRoleAssignment;
  static isInstance(obj: unknown): obj is ExchangeManagementRoleAssignment {
    return isOfType(obj, ExchangeManagementRoleAssignment.__pulumiType);
  }

  declare readonly tenantId: pulumi.Output<string>;
  declare readonly environment: pulumi.Output<CloudName>;
  declare readonly appId: pulumi.Output<string>;
  declare readonly role: pulumi.Output<string>;
  declare readonly customResourceScope: pulumi.Output<string | undefined>;
  declare readonly recipientAdministrativeUnitScope: pulumi.Output<string | undefined>;
  declare readonly servicePrincipalObjectId: pulumi.Output<string | undefined>;
  /** The assignment's name, its Identity in Exchange. */
  declare readonly identity: pulumi.Output<string>;

  constructor(name: string, args: Args<RoleAssignmentInputs>, opts?: pulumi.CustomResourceOptions) {
    super(TYPE.exchangeRoleAssignment, name, { ...args, identity: undefined }, opts);
  }
}

export interface ExchangeRbacArgs {
  readonly tenantId: pulumi.Input<string>;
  readonly environment: CloudName;
  /** The app's client id. */
  readonly appId: pulumi.Input<string>;
  /** The app's service principal's object id in Entra (Exchange's pointer names it). */
  readonly servicePrincipalObjectId: pulumi.Input<string>;
  readonly displayName: pulumi.Input<string>;
  /** At least one: the config's `exchangeRoles`. */
  readonly entries: readonly ExchangeRoleEntry[];
  /** How long to wait for Exchange to see the fresh principal, e.g. `15m`. */
  readonly propagationTimeout?: string;
}

/** A name part from free text: lower case, runs of anything else than letters and digits become one `-`. */
function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

/**
 * An entry's identity for the duplicate check: keyed by role and scope or by role group, never by position, so
 * reordering `exchangeRoles` changes nothing.
 */
export function entryKey(entry: ExchangeRoleEntry): string {
  if ("roleGroup" in entry) return `group-${slug(entry.roleGroup)}`;
  const scope = entry.scope ? (entry.scope.kind === "managementScope" ? `-scope-${slug(entry.scope.name)}` : `-au-${slug(entry.scope.id)}`) : "";
  return `role-${slug(entry.role)}${scope}`;
}

/** One role group the stack makes: its roles (sorted, each once) and its write scope; `key` names its children. */
export interface OwnRoleGroupPlan {
  /** `""` for the organization, `-scope-<name>` or `-au-<id>`. */
  readonly key: string;
  readonly roles: readonly string[];
  readonly scope: RoleGroupScope;
}

/**
 * The role groups the stack makes for `exchangeRoles`: one per distinct write scope (a role group has one), holding
 * the roles of that scope; a built-in role group's roles join the organization-wide group. A tenant's own role group
 * (`custom: true`) is not among them: the app joins it as it is (`tenantRoleGroups`).
 */
export function ownRoleGroups(entries: readonly ExchangeRoleEntry[]): OwnRoleGroupPlan[] {
  const groups = new Map<string, { scope: RoleGroupScope; roles: Map<string, string> }>();
  const add = (key: string, scope: RoleGroupScope, roles: readonly string[]) => {
    const group = groups.get(key) ?? { scope, roles: new Map<string, string>() };
    for (const role of roles) if (!group.roles.has(role.toLowerCase())) group.roles.set(role.toLowerCase(), role);
    groups.set(key, group);
  };
  for (const entry of entries) {
    if ("roleGroup" in entry) {
      const builtIn = findBuiltInRoleGroup(entry.roleGroup);
      if (builtIn) add("", {}, builtIn.roles);
    } else if (entry.scope?.kind === "managementScope") {
      add(`-scope-${slug(entry.scope.name)}`, { customRecipientWriteScope: entry.scope.name }, [entry.role]);
    } else if (entry.scope?.kind === "administrativeUnit") {
      add(`-au-${slug(entry.scope.id)}`, { recipientAdministrativeUnitScope: entry.scope.id }, [entry.role]);
    } else {
      add("", {}, [entry.role]);
    }
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, group]) => ({ key, scope: group.scope, roles: [...group.roles.values()].sort((a, b) => a.localeCompare(b)) }));
}

/** The role groups the tenant made itself that `exchangeRoles` names (`{ roleGroup, custom: true }`). */
export function tenantRoleGroups(entries: readonly ExchangeRoleEntry[]): string[] {
  return entries.flatMap((entry) => ("roleGroup" in entry && !findBuiltInRoleGroup(entry.roleGroup) ? [entry.roleGroup] : []));
}

/** Whose Exchange RBAC it is: the principal Exchange registers (an app's, a managed identity's). */
export type ExchangeRbacPrincipal = Pick<ExchangeRbacArgs, "appId" | "servicePrincipalObjectId" | "displayName">;

/** The principal's Exchange RBAC for a tenant's `exchangeRoles`; none when the tenant lists none. */
export function exchangeRbacFor(name: string, tenant: TenantSpec, principal: ExchangeRbacPrincipal, opts: pulumi.ComponentResourceOptions): ExchangeRbac | undefined {
  if (tenant.exchangeRoles.length === 0) return undefined;
  const target = { tenantId: tenant.tenantId, environment: tenant.cloud.name, entries: tenant.exchangeRoles, propagationTimeout: tenant.verifyTimeout };
  return new ExchangeRbac(name, { ...target, ...principal }, opts);
}

/**
 * The app's Exchange RBAC in one tenant. Children are named by scope and group, never by position:
 * `<name>-sp`, `<name>-role-group[-scope-<scope>|-au-<id>]` and its `<name>-role-group-member[…]`, and
 * `<name>-group-<tenant's role group>`. Memberships take the principal's and the group's outputs, so they are
 * created after both and deleted before them (Exchange refuses to remove a principal that still holds grants).
 */
export class ExchangeRbac extends pulumi.ComponentResource {
  readonly servicePrincipal: ExchangeServicePrincipal;
  /** The stack's own role groups, one per write scope. */
  readonly roleGroups: readonly ExchangeRoleGroup[];
  /** The principal's memberships: in the stack's own groups, then in the tenant's. */
  readonly roleGroupMemberships: readonly ExchangeRoleGroupMember[];

  /** Every grant, role groups first: what a check of the app's access waits for. */
  get grants(): readonly pulumi.CustomResource[] {
    return [...this.roleGroups, ...this.roleGroupMemberships];
  }

  constructor(name: string, args: ExchangeRbacArgs, opts?: pulumi.ComponentResourceOptions) {
    super("exchange-app-only:index:ExchangeRbac", name, {}, opts);
    const keys = args.entries.map(entryKey);
    const twice = keys.find((k, i) => keys.indexOf(k) !== i);
    if (twice !== undefined) throw new Error(`exchangeRoles lists ${twice.replace(/-/g, " ")} twice: keep one entry.`);
    const child = { parent: this };
    const target = { tenantId: args.tenantId, environment: args.environment, ...(args.propagationTimeout ? { propagationTimeout: args.propagationTimeout } : {}) };

    this.servicePrincipal = new ExchangeServicePrincipal(
      `${name}-sp`,
      { ...target, appId: args.appId, objectId: args.servicePrincipalObjectId, displayName: args.displayName },
      child,
    );
    // Each membership takes the principal from Exchange's principal (its outputs): created after it, deleted first.
    const principal = { appId: this.servicePrincipal.appId, servicePrincipalObjectId: this.servicePrincipal.objectId };
    const appId = pulumi.output(args.appId);

    const plans = ownRoleGroups(args.entries);
    this.roleGroups = plans.map(
      (plan) =>
        new ExchangeRoleGroup(
          `${name}-role-group${plan.key}`,
          {
            ...target,
            name: appId.apply((id) => ownRoleGroupName(id, plan.scope)),
            roles: [...plan.roles],
            ...plan.scope,
            description: pulumi.all([args.displayName, appId]).apply(([displayName, id]) => ownRoleGroupDescription(displayName, id, plan.scope)),
          },
          child,
        ),
    );
    const own = plans.map((plan, i) => new ExchangeRoleGroupMember(`${name}-role-group-member${plan.key}`, { ...target, ...principal, roleGroup: this.roleGroups[i]!.name }, child));
    const tenants = tenantRoleGroups(args.entries).map((group) => new ExchangeRoleGroupMember(`${name}-group-${slug(group)}`, { ...target, ...principal, roleGroup: group }, child));
    this.roleGroupMemberships = [...own, ...tenants];
    this.registerOutputs({ servicePrincipalIdentity: this.servicePrincipal.identity });
  }
}
