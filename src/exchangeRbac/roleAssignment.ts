/**
 * A management role assignment made straight to the app's service principal: `New-ManagementRoleAssignment -App
 * <ObjectId> -Role <role> [-CustomResourceScope <scope> | -RecipientAdministrativeUnitScope <unit id>]`.
 *
 * Kept for what Microsoft documents only: the reference's App parameter takes "the ObjectId GUID value from the output
 * of the Get-ServicePrincipal cmdlet", and "if you use the App parameter, you can't specify admin or user roles; you
 * can only specify application roles (for example, "Application Mail.Read")" (New-ManagementRoleAssignment,
 * learn.microsoft.com/powershell/module/exchangepowershell/new-managementroleassignment): RBAC for Applications. So
 * a new assignment takes an `Application …` role and the ObjectId; `exchangeRoles` (admin roles) goes through a custom
 * role group instead (roleGroup.ts, roleGroupMember.ts).
 *
 * State written by earlier versions (admin roles assigned this way, the app id passed as -App) still reads and
 * deletes: both go by the assignment's name, its Identity in Exchange.
 */
import { createHash } from "node:crypto";
import { APPLICATION_ROLE_PREFIX } from "../facts";
import { changed, checkCommon, checkObjectId, environmentOf, keep, propagationMs, str, type Common, type Provider } from "./common";
import type { CmdletContext } from "./explain";
import { parseRoleAssignmentId, roleAssignmentId } from "./ids";
import type { ExchangeTarget, RbacSession } from "./session";

export interface RoleAssignmentInputs extends Common {
  /** The app's client id: the assignment's name derives from it. */
  readonly appId: string;
  /** The app's service principal's ObjectId, as Get-ServicePrincipal shows it: what -App takes. */
  readonly servicePrincipalObjectId: string;
  /** An application role (`Application Mail.Read`, …). */
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

/**
 * The name a new assignment gets: the role and a short hash of app, role and scope, so two scopes of one role are
 * two assignments (Exchange's default, "<Role>-<app name>", would collide) and the name fits Exchange's 64.
 */
export function assignmentName(inputs: Pick<RoleAssignmentInputs, "appId" | "role" | "customResourceScope" | "recipientAdministrativeUnitScope">): string {
  const key = [inputs.appId, inputs.role, inputs.customResourceScope ?? "", inputs.recipientAdministrativeUnitScope ?? ""].map((s) => s.toLowerCase()).join("\n");
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 8);
  return `${inputs.role.slice(0, 50)}-${hash}`;
}

export function roleAssignmentProviderOver(session: RbacSession): Provider<RoleAssignmentInputs, RoleAssignmentState> {
  return {
    async check(_olds, news) {
      const failures = [...checkCommon(news), ...checkObjectId(news.servicePrincipalObjectId, "servicePrincipalObjectId")];
      if (!news.role?.trim()) {
        failures.push({ property: "role", reason: 'role is empty: name an application role, for example "Application Mail.Read".' });
      } else if (!news.role.trim().startsWith(APPLICATION_ROLE_PREFIX)) {
        failures.push({
          property: "role",
          reason: `"${news.role}" is not an application role: New-ManagementRoleAssignment -App takes application roles only (its reference). Give an admin role to the app through a custom role group: an ExchangeRoleGroup holding it and an ExchangeRoleGroupMember for the app.`,
        });
      }
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
      const principal = inputs.servicePrincipalObjectId.toLowerCase();
      const { answer } = await session.run(inputs, context, { App: inputs.servicePrincipalObjectId, Role: inputs.role, Name: name, ...scope }, {
        // Only the app's principal can be "not yet"; an unknown role or scope is not healed by waiting.
        heal: { budgetMs: propagationMs(inputs), when: (text) => text.toLowerCase().includes(principal), waitingFor: `Exchange to see the service principal of app ${inputs.appId}` },
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
          servicePrincipalObjectId: str(row, "RoleAssignee") ?? inputs.servicePrincipalObjectId,
        },
      };
    },
    async read(id, props) {
      const { tenantId, identity } = parseRoleAssignmentId(id);
      const environment = environmentOf(props);
      const target: ExchangeTarget = { tenantId, environment };
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
}
