/**
 * Exchange's own RBAC for the app (least privilege below a directory role): the app's service principal registered
 * in Exchange (`New-ServicePrincipal`), then one management role assignment (`New-ManagementRoleAssignment -App`,
 * optionally scoped) or role group membership (`Add-RoleGroupMember`) per `exchangeRoles` entry.
 *
 * Dynamic resources: their provider logic is the compiled library src/exchangeRbac, loaded by path in the engine's
 * provider host (components/dynamic), which signs in as the deploying identity (the azuread provider's ARM_* /
 * OIDC / Azure CLI sign-in) for the tenant's Exchange. Inputs, outputs and state hold names and ids only.
 * Every `pulumi` command (destroy and refresh too) runs them from the project folder: `npm ci` there first.
 *
 * Import ids (README, "Exchange RBAC resources"): `<tenantId>/<appId>` (service principal),
 * `<tenantId>/<assignment name>` (role assignment), `<tenantId>/<appId>/<role group>` (membership).
 */
import * as pulumi from "@pulumi/pulumi";
import type { ExchangeRoleEntry, TenantConfig } from "../src/config/stackConfig";
import type { CloudName } from "../src/facts";
import { libraryProvider } from "./dynamic";
import type { RoleAssignmentInputs, RoleAssignmentState, RoleGroupMemberInputs, RoleGroupMemberState, ServicePrincipalInputs, ServicePrincipalState } from "../src/exchangeRbac/provider";

const LIBRARY = "src/exchangeRbac/provider.js";
const WHAT = "the Exchange RBAC library";

type Args<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

const servicePrincipalProvider = libraryProvider<ServicePrincipalInputs, ServicePrincipalState>({ relative: LIBRARY, exportName: "servicePrincipalProvider", prefix: "ExchangeServicePrincipal", what: WHAT });
const roleAssignmentProvider = libraryProvider<RoleAssignmentInputs, RoleAssignmentState>({ relative: LIBRARY, exportName: "managementRoleAssignmentProvider", prefix: "ExchangeManagementRoleAssignment", what: WHAT });
const roleGroupMemberProvider = libraryProvider<RoleGroupMemberInputs, RoleGroupMemberState>({ relative: LIBRARY, exportName: "roleGroupMemberProvider", prefix: "ExchangeRoleGroupMember", what: WHAT });

/** The app's service principal in Exchange. Import id: `<tenantId>/<appId>`. */
export class ExchangeServicePrincipal extends pulumi.dynamic.Resource {
  declare readonly appId: pulumi.Output<string>;
  declare readonly objectId: pulumi.Output<string>;
  /** Exchange's Identity of the principal. */
  declare readonly identity: pulumi.Output<string>;

  constructor(name: string, args: Args<ServicePrincipalInputs>, opts?: pulumi.CustomResourceOptions) {
    super(servicePrincipalProvider, name, { ...args, identity: undefined }, opts, "exchange-app-only", "ExchangeServicePrincipal");
  }
}

/** A management role assignment to the app. Import id: `<tenantId>/<assignment name>`. */
export class ExchangeManagementRoleAssignment extends pulumi.dynamic.Resource {
  /** The assignment's name, its Identity in Exchange. */
  declare readonly identity: pulumi.Output<string>;
  declare readonly servicePrincipalObjectId: pulumi.Output<string | undefined>;

  constructor(name: string, args: Args<RoleAssignmentInputs>, opts?: pulumi.CustomResourceOptions) {
    super(roleAssignmentProvider, name, { ...args, identity: undefined, servicePrincipalObjectId: undefined }, opts, "exchange-app-only", "ExchangeManagementRoleAssignment");
  }
}

/** The app as a member of an Exchange role group. Import id: `<tenantId>/<appId>/<role group>`. */
export class ExchangeRoleGroupMember extends pulumi.dynamic.Resource {
  declare readonly roleGroup: pulumi.Output<string>;

  constructor(name: string, args: Args<RoleGroupMemberInputs>, opts?: pulumi.CustomResourceOptions) {
    super(roleGroupMemberProvider, name, args, opts, "exchange-app-only", "ExchangeRoleGroupMember");
  }
}

export interface ExchangeRbacArgs {
  readonly tenantId: string;
  readonly environment: CloudName;
  /** The app's client id. */
  readonly appId: pulumi.Input<string>;
  /** The app's service principal's object id in Entra (Exchange's pointer names it). */
  readonly servicePrincipalObjectId: pulumi.Input<string>;
  readonly displayName: string;
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
 * The child's name suffix for an entry: keyed by role and scope or by role group, never by position, so reordering
 * `exchangeRoles` changes nothing.
 */
export function entryKey(entry: ExchangeRoleEntry): string {
  if ("roleGroup" in entry) return `group-${slug(entry.roleGroup)}`;
  const scope = entry.scope ? (entry.scope.kind === "managementScope" ? `-scope-${slug(entry.scope.name)}` : `-au-${slug(entry.scope.id)}`) : "";
  return `role-${slug(entry.role)}${scope}`;
}

/** Whose Exchange RBAC it is: the principal Exchange registers (an app's, a managed identity's). */
export type ExchangeRbacPrincipal = Pick<ExchangeRbacArgs, "appId" | "servicePrincipalObjectId" | "displayName">;

/** The principal's Exchange RBAC for a tenant's `exchangeRoles`; none when the tenant lists none. */
export function exchangeRbacFor(name: string, tenant: TenantConfig, principal: ExchangeRbacPrincipal, opts: pulumi.ComponentResourceOptions): ExchangeRbac | undefined {
  if (tenant.exchangeRoles.length === 0) return undefined;
  const target = { tenantId: tenant.tenantId, environment: tenant.cloud.name, entries: tenant.exchangeRoles, propagationTimeout: tenant.verifyTimeout };
  return new ExchangeRbac(name, { ...target, ...principal }, opts);
}

/**
 * The app's Exchange RBAC in one tenant. The assignments and memberships take the principal's outputs, so they are
 * created after it and deleted before it (Exchange refuses to remove a principal that still holds assignments).
 */
export class ExchangeRbac extends pulumi.ComponentResource {
  readonly servicePrincipal: ExchangeServicePrincipal;
  readonly roleAssignments: readonly ExchangeManagementRoleAssignment[];
  readonly roleGroupMemberships: readonly ExchangeRoleGroupMember[];

  /** Every grant, role assignments first: what a check of the app's access waits for. */
  get grants(): readonly pulumi.CustomResource[] {
    return [...this.roleAssignments, ...this.roleGroupMemberships];
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
    const appId = this.servicePrincipal.appId;
    const assignments: ExchangeManagementRoleAssignment[] = [];
    const memberships: ExchangeRoleGroupMember[] = [];
    for (const entry of args.entries) {
      const childName = `${name}-${entryKey(entry)}`;
      if ("roleGroup" in entry) {
        memberships.push(new ExchangeRoleGroupMember(childName, { ...target, appId, roleGroup: entry.roleGroup }, child));
      } else {
        const scope = entry.scope?.kind === "managementScope" ? { customResourceScope: entry.scope.name } : entry.scope ? { recipientAdministrativeUnitScope: entry.scope.id } : {};
        assignments.push(new ExchangeManagementRoleAssignment(childName, { ...target, appId, role: entry.role, ...scope }, child));
      }
    }
    this.roleAssignments = assignments;
    this.roleGroupMemberships = memberships;
    this.registerOutputs({ servicePrincipalIdentity: this.servicePrincipal.identity });
  }
}
