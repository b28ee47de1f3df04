/**
 * The Exchange RBAC resources' provider logic: create, read, diff, delete for the app's service principal in
 * Exchange, its management role assignments and its role group memberships. Plain code over RbacSession (tested
 * against the tenant emulator); components/exchangeRbac.ts serializes only a shim that loads this module's
 * compiled form by path in the engine's provider host (components/dynamic/libraryProvider.ts).
 *
 * - Every change replaces (Exchange has no in-place update this project needs); a service principal is deleted
 *   before its replacement (Exchange holds one per app), assignments and memberships are created first (no gap).
 *   A principal's display name is not compared: it is a label, kept as created.
 * - read finds the object from the id alone (ids.ts) and answers "gone" (an empty id) when Exchange no longer has
 *   it: `pulumi refresh` drops it from state and the next `pulumi up` creates it again.
 * - delete removes exactly the object created (by its Identity); one already gone is deleted.
 * - State holds names and ids only: no token, no secret.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { parseDuration } from "../check/duration";
import { isCloudName, isGuid, type CloudName } from "../facts";
import type { CmdletContext } from "./explain";
import {
  parseRoleAssignmentId,
  parseRoleGroupMemberId,
  parseServicePrincipalId,
  roleAssignmentId,
  roleGroupMemberId,
  servicePrincipalId,
} from "./ids";
import { RbacSession, type ExchangeTarget, type SessionDeps } from "./session";

interface Common extends ExchangeTarget {
  /** How long to wait for Exchange to see a fresh principal, e.g. `15m` (the default). Not kept in state. */
  readonly propagationTimeout?: string;
}

export interface ServicePrincipalInputs extends Common {
  /** The app's client id. */
  readonly appId: string;
  /** The app's service principal's object id in Entra. */
  readonly objectId: string;
  readonly displayName: string;
}
export interface ServicePrincipalState extends ExchangeTarget {
  readonly appId: string;
  readonly objectId: string;
  readonly displayName: string;
  /** Exchange's Identity of the service principal. */
  readonly identity: string;
}

export interface RoleAssignmentInputs extends Common {
  /** The app's client id (Exchange's `-App` accepts it). */
  readonly appId: string;
  readonly role: string;
  readonly customResourceScope?: string;
  readonly recipientAdministrativeUnitScope?: string;
}
export interface RoleAssignmentState extends ExchangeTarget {
  readonly appId: string;
  readonly role: string;
  readonly customResourceScope?: string;
  readonly recipientAdministrativeUnitScope?: string;
  /** The assignment's name, its Identity in Exchange. */
  readonly identity: string;
  /** The service principal's ObjectId as Exchange names the assignee. */
  readonly servicePrincipalObjectId?: string;
}

export interface RoleGroupMemberInputs extends Common {
  readonly appId: string;
  readonly roleGroup: string;
}
export type RoleGroupMemberState = ExchangeTarget & { readonly appId: string; readonly roleGroup: string };

type Provider<I, O> = pulumi.dynamic.ResourceProvider<I, O>;

export interface ExchangeRbacProviders {
  readonly servicePrincipal: Provider<ServicePrincipalInputs, ServicePrincipalState>;
  readonly managementRoleAssignment: Provider<RoleAssignmentInputs, RoleAssignmentState>;
  readonly roleGroupMember: Provider<RoleGroupMemberInputs, RoleGroupMemberState>;
}

const DEFAULT_PROPAGATION = "15m";

/** Names and GUIDs compare as Exchange compares them: case-insensitively; absent equals empty. */
export function sameName(a: string | undefined | null, b: string | undefined | null): boolean {
  return (a ?? "").trim().toLowerCase() === (b ?? "").trim().toLowerCase();
}

/** The fresh value from Exchange, in the spelling already in state when only the case differs (a quiet refresh). */
function keep(prior: string | undefined, fresh: unknown): string | undefined {
  const value = typeof fresh === "string" && fresh.length > 0 ? fresh : undefined;
  return value !== undefined && prior !== undefined && sameName(prior, value) ? prior : value;
}

function str(row: Record<string, unknown> | undefined, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = row?.[key];
    if (typeof value === "string" && value.length > 0) return value;
  }
  return undefined;
}

function environmentOf(props: { environment?: unknown } | undefined): CloudName {
  const value = props?.environment;
  return typeof value === "string" && isCloudName(value) ? value : "public";
}

function propagationMs(inputs: Common): number {
  return parseDuration(inputs.propagationTimeout ?? DEFAULT_PROPAGATION, "propagationTimeout");
}

/**
 * The name a new assignment gets: the role and a short hash of app, role and scope, so two scopes of one role are
 * two assignments (Exchange's default, "<Role>-<app name>", would collide) and the name fits Exchange's 64.
 */
export function assignmentName(inputs: Pick<RoleAssignmentInputs, "appId" | "role" | "customResourceScope" | "recipientAdministrativeUnitScope">): string {
  const key = [inputs.appId, inputs.role, inputs.customResourceScope ?? "", inputs.recipientAdministrativeUnitScope ?? ""].map((s) => s.toLowerCase()).join("\n");
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 8);
  return `${inputs.role.slice(0, 50)}-${hash}`;
}

/** Which inputs differ (each replaces). */
function changed<T extends object>(olds: Partial<T>, news: T, keys: readonly (keyof T)[]): string[] {
  return keys.filter((k) => !sameName(olds[k] as string | undefined, news[k] as string | undefined)).map(String);
}

/** Input problems the engine shows per property before anything runs. */
function checkCommon(inputs: Common & { appId: string }): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  if (!isGuid(inputs.tenantId ?? "")) failures.push({ property: "tenantId", reason: `tenantId ${JSON.stringify(inputs.tenantId)} is not a GUID: give the tenant's id.` });
  if (!isGuid(inputs.appId ?? "")) failures.push({ property: "appId", reason: `appId ${JSON.stringify(inputs.appId)} is not a GUID: give the app's client id.` });
  if (!isCloudName(inputs.environment ?? "")) failures.push({ property: "environment", reason: `environment ${JSON.stringify(inputs.environment)} is not public, usgovernment, dod or china.` });
  if (inputs.propagationTimeout !== undefined) {
    try {
      propagationMs(inputs);
    } catch (error) {
      failures.push({ property: "propagationTimeout", reason: (error as Error).message });
    }
  }
  return failures;
}

/** The three providers over one session (one sign-in per tenant and cloud for the host's lifetime). */
export function makeExchangeRbacProviders(deps: SessionDeps = {}): ExchangeRbacProviders {
  const session = new RbacSession(deps);

  const servicePrincipal: Provider<ServicePrincipalInputs, ServicePrincipalState> = {
    async check(_olds, news) {
      const failures = checkCommon(news);
      if (!isGuid(news.objectId ?? "")) failures.push({ property: "objectId", reason: `objectId ${JSON.stringify(news.objectId)} is not a GUID: give the app's service principal's object id.` });
      return { inputs: news, failures };
    },
    async diff(_id, olds, news) {
      // The display name is Exchange's label only, kept from creation: replacing the principal for it would take
      // its assignments down with it (Exchange refuses to remove a principal that holds any).
      const replaces = changed(olds, news, ["tenantId", "environment", "appId", "objectId"]);
      return { changes: replaces.length > 0, replaces, deleteBeforeReplace: true };
    },
    async create(inputs) {
      const importId = servicePrincipalId(inputs.tenantId, inputs.appId);
      const context: CmdletContext = { cmdlet: "New-ServicePrincipal", tenantId: inputs.tenantId, what: `service principal of app ${inputs.appId}`, names: { appId: inputs.appId }, importId };
      const { answer } = await session.run(inputs, context, { AppId: inputs.appId, ObjectId: inputs.objectId, DisplayName: inputs.displayName }, {
        // Exchange may not see a principal Entra created a moment ago: "not found" heals.
        heal: { budgetMs: propagationMs(inputs), when: () => true, waitingFor: `Exchange to see service principal ${inputs.objectId}` },
      });
      const row = answer.value[0];
      return { id: importId, outs: { tenantId: inputs.tenantId, environment: inputs.environment, appId: inputs.appId, objectId: inputs.objectId, displayName: inputs.displayName, identity: str(row, "Identity", "ObjectId") ?? inputs.objectId } };
    },
    async read(id, props) {
      const { tenantId, appId } = parseServicePrincipalId(id);
      const environment = environmentOf(props);
      const context: CmdletContext = { cmdlet: "Get-ServicePrincipal", tenantId, what: `service principal of app ${appId}` };
      const { answer, failure } = await session.run({ tenantId, environment }, context, { Identity: appId }, { accept: ["notFound"] });
      const row = answer.value.find((r) => sameName(str(r, "AppId"), appId));
      if (failure || !row) return { id: "" };
      return {
        id,
        props: {
          tenantId: keep(props?.tenantId, tenantId)!,
          environment,
          appId: keep(props?.appId, str(row, "AppId"))!,
          objectId: keep(props?.objectId, str(row, "ObjectId", "ServiceId")) ?? "",
          displayName: str(row, "DisplayName") ?? "",
          identity: keep(props?.identity, str(row, "Identity", "ObjectId")) ?? "",
        },
      };
    },
    async delete(id, props) {
      const { tenantId, appId } = parseServicePrincipalId(id);
      const context: CmdletContext = { cmdlet: "Remove-ServicePrincipal", tenantId, what: `service principal of app ${appId}` };
      // By the Identity Exchange gave it (its ObjectId), falling back to the app id of an imported state.
      await session.run({ tenantId, environment: environmentOf(props) }, context, { Identity: props?.identity || appId, Confirm: false }, { accept: ["notFound"] });
    },
  };

  const managementRoleAssignment: Provider<RoleAssignmentInputs, RoleAssignmentState> = {
    async check(_olds, news) {
      const failures = checkCommon(news);
      if (!news.role?.trim()) failures.push({ property: "role", reason: "role is empty: name an Exchange management role, for example View-Only Configuration." });
      if (news.customResourceScope && news.recipientAdministrativeUnitScope) {
        failures.push({ property: "customResourceScope", reason: "give a management scope or an administrative unit, not both: Exchange takes one scope an assignment." });
      }
      return { inputs: news, failures };
    },
    async diff(_id, olds, news) {
      const replaces = changed(olds, news, ["tenantId", "environment", "appId", "role", "customResourceScope", "recipientAdministrativeUnitScope"]);
      return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
    },
    async create(inputs) {
      const name = assignmentName(inputs);
      const scope = inputs.customResourceScope ? { CustomResourceScope: inputs.customResourceScope } : inputs.recipientAdministrativeUnitScope ? { RecipientAdministrativeUnitScope: inputs.recipientAdministrativeUnitScope } : {};
      const context: CmdletContext = {
        cmdlet: "New-ManagementRoleAssignment",
        tenantId: inputs.tenantId,
        what: `management role assignment of "${inputs.role}" to app ${inputs.appId}`,
        names: {
          role: inputs.role,
          appId: inputs.appId,
          ...(inputs.customResourceScope ? { managementScope: inputs.customResourceScope } : {}),
          ...(inputs.recipientAdministrativeUnitScope ? { administrativeUnit: inputs.recipientAdministrativeUnitScope } : {}),
        },
        importId: roleAssignmentId(inputs.tenantId, name),
      };
      const { answer } = await session.run(inputs, context, { App: inputs.appId, Role: inputs.role, Name: name, ...scope }, {
        // Only the app's principal can be "not yet"; an unknown role or scope is not healed by waiting.
        heal: { budgetMs: propagationMs(inputs), when: (text) => text.toLowerCase().includes(inputs.appId.toLowerCase()), waitingFor: `Exchange to see the service principal of app ${inputs.appId}` },
      });
      const row = answer.value[0];
      const identity = str(row, "Identity", "Name") ?? name;
      return {
        id: roleAssignmentId(inputs.tenantId, identity),
        outs: {
          tenantId: inputs.tenantId,
          environment: inputs.environment,
          appId: inputs.appId,
          role: inputs.role,
          ...(inputs.customResourceScope ? { customResourceScope: inputs.customResourceScope } : {}),
          ...(inputs.recipientAdministrativeUnitScope ? { recipientAdministrativeUnitScope: inputs.recipientAdministrativeUnitScope } : {}),
          identity,
          ...(str(row, "RoleAssignee") ? { servicePrincipalObjectId: str(row, "RoleAssignee")! } : {}),
        },
      };
    },
    async read(id, props) {
      const { tenantId, identity } = parseRoleAssignmentId(id);
      const environment = environmentOf(props);
      const target = { tenantId, environment };
      const context: CmdletContext = { cmdlet: "Get-ManagementRoleAssignment", tenantId, what: `management role assignment ${JSON.stringify(identity)}` };
      const { answer, failure } = await session.run(target, context, { Identity: identity }, { accept: ["notFound"] });
      const row = answer.value[0];
      if (failure || !row) return { id: "" };
      const assignee = str(row, "RoleAssignee");
      let appId = props?.appId;
      if (!appId && assignee) {
        // Imported from the id alone: Exchange names the assignee by ObjectId; its AppId is the stack's key.
        const sp = await session.run(target, { cmdlet: "Get-ServicePrincipal", tenantId, what: `service principal ${assignee}` }, { Identity: assignee }, { accept: ["notFound"] });
        appId = str(sp.answer.value[0], "AppId");
      }
      return {
        id,
        props: {
          tenantId: keep(props?.tenantId, tenantId)!,
          environment,
          appId: appId ?? "",
          role: keep(props?.role, str(row, "Role")) ?? "",
          ...(str(row, "CustomResourceScope") ? { customResourceScope: keep(props?.customResourceScope, str(row, "CustomResourceScope"))! } : {}),
          ...(str(row, "RecipientAdministrativeUnitScope") ? { recipientAdministrativeUnitScope: keep(props?.recipientAdministrativeUnitScope, str(row, "RecipientAdministrativeUnitScope"))! } : {}),
          identity: keep(props?.identity, str(row, "Identity", "Name")) ?? identity,
          ...(assignee ? { servicePrincipalObjectId: keep(props?.servicePrincipalObjectId, assignee)! } : {}),
        },
      };
    },
    async delete(id, props) {
      const { tenantId, identity } = parseRoleAssignmentId(id);
      const context: CmdletContext = { cmdlet: "Remove-ManagementRoleAssignment", tenantId, what: `management role assignment ${JSON.stringify(identity)}` };
      await session.run({ tenantId, environment: environmentOf(props) }, context, { Identity: identity, Confirm: false }, { accept: ["notFound"] });
    },
  };

  const roleGroupMember: Provider<RoleGroupMemberInputs, RoleGroupMemberState> = {
    async check(_olds, news) {
      const failures = checkCommon(news);
      if (!news.roleGroup?.trim()) failures.push({ property: "roleGroup", reason: "roleGroup is empty: name an Exchange role group, for example View-Only Organization Management." });
      return { inputs: news, failures };
    },
    async diff(_id, olds, news) {
      const replaces = changed(olds, news, ["tenantId", "environment", "appId", "roleGroup"]);
      return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
    },
    async create(inputs) {
      const id = roleGroupMemberId(inputs.tenantId, inputs.appId, inputs.roleGroup);
      const context: CmdletContext = {
        cmdlet: "Add-RoleGroupMember",
        tenantId: inputs.tenantId,
        what: `membership of app ${inputs.appId} in role group "${inputs.roleGroup}"`,
        names: { roleGroup: inputs.roleGroup, appId: inputs.appId },
        importId: id,
      };
      await session.run(inputs, context, { Identity: inputs.roleGroup, Member: inputs.appId }, {
        heal: { budgetMs: propagationMs(inputs), when: (text) => text.toLowerCase().includes(inputs.appId.toLowerCase()), waitingFor: `Exchange to see the service principal of app ${inputs.appId}` },
      });
      return { id, outs: { tenantId: inputs.tenantId, environment: inputs.environment, appId: inputs.appId, roleGroup: inputs.roleGroup } };
    },
    async read(id, props) {
      const { tenantId, appId, roleGroup } = parseRoleGroupMemberId(id);
      const environment = environmentOf(props);
      const context: CmdletContext = { cmdlet: "Get-RoleGroupMember", tenantId, what: `role group "${roleGroup}"` };
      const { answer, failure } = await session.run({ tenantId, environment }, context, { Identity: roleGroup }, { accept: ["notFound"] });
      const member = answer.value.find((r) => sameName(str(r, "AppId"), appId));
      if (failure || !member) return { id: "" };
      return { id, props: { tenantId: keep(props?.tenantId, tenantId)!, environment, appId: keep(props?.appId, appId)!, roleGroup: keep(props?.roleGroup, roleGroup)! } };
    },
    async delete(id, props) {
      const { tenantId, appId, roleGroup } = parseRoleGroupMemberId(id);
      const context: CmdletContext = { cmdlet: "Remove-RoleGroupMember", tenantId, what: `membership of app ${appId} in role group "${roleGroup}"` };
      // "isn't a member" and an unknown group both mean it is gone already.
      await session.run({ tenantId, environment: environmentOf(props) }, context, { Identity: roleGroup, Member: appId, Confirm: false }, { accept: ["notFound"] });
    },
  };

  return { servicePrincipal, managementRoleAssignment, roleGroupMember };
}

/** What the provider host loads (components/exchangeRbac.ts names these exports): signed in from process.env. */
const defaults = makeExchangeRbacProviders();
export const servicePrincipalProvider = defaults.servicePrincipal;
export const managementRoleAssignmentProvider = defaults.managementRoleAssignment;
export const roleGroupMemberProvider = defaults.roleGroupMember;

