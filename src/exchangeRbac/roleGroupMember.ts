/**
 * The app's service principal as a member of a custom role group: `Add-RoleGroupMember -Identity <role group>
 * -Member <service principal ObjectId>`, as Microsoft's app-only article does it ("-Member <$SP.Identity |
 * $SP.ObjectId | $SP.Id>", after New-ServicePrincipal; "Assign custom role groups to the application using service
 * principals"). The group is the stack's own (roleGroup.ts) or one the tenant made (`custom: true`).
 *
 * A built-in role group is refused: Microsoft documents custom role groups for a service principal, and the groups
 * synchronized from Entra (Security Administrator, Security Reader, Security Operator) cannot be managed in Exchange
 * at all. The stack puts a built-in group's roles in its own group instead.
 *
 * State written before the stack kept the principal's ObjectId holds the app id only: read and delete then look the
 * ObjectId up (Get-ServicePrincipal), so such memberships, built-in groups' included, refresh and delete as before.
 */
import { findBuiltInRoleGroup } from "../facts";
import { changed, checkCommon, checkObjectId, environmentOf, keep, propagationMs, sameName, str, type Common, type Provider } from "./common";
import type { CmdletContext } from "./explain";
import { parseRoleGroupMemberId, roleGroupMemberId } from "./ids";
import { principalObjectId } from "./servicePrincipal";
import type { ExchangeTarget, RbacSession } from "./session";

export interface RoleGroupMemberInputs extends Common {
  /** The app's client id: the membership's id names it. */
  readonly appId: string;
  /** The app's service principal's ObjectId, as Get-ServicePrincipal shows it: what -Member takes. */
  readonly servicePrincipalObjectId: string;
  readonly roleGroup: string;
}
export type RoleGroupMemberState = ExchangeTarget & { readonly appId: string; readonly roleGroup: string; readonly servicePrincipalObjectId?: string };

const BYPASS = { BypassSecurityGroupManagerCheck: true };

/** A Get-RoleGroupMember row is the principal when any of its ids is the ObjectId, or its AppId the app id. */
function isPrincipal(row: Record<string, unknown>, objectId: string | undefined, appId: string): boolean {
  if (sameName(str(row, "AppId"), appId)) return true;
  return objectId !== undefined && ["ExternalDirectoryObjectId", "ObjectId", "Identity", "Id", "Name"].some((key) => sameName(str(row, key), objectId));
}

export function roleGroupMemberProviderOver(session: RbacSession): Provider<RoleGroupMemberInputs, RoleGroupMemberState> {
  return {
    async check(_olds, news) {
      const failures = [...checkCommon(news), ...checkObjectId(news.servicePrincipalObjectId, "servicePrincipalObjectId")];
      const builtIn = news.roleGroup ? findBuiltInRoleGroup(news.roleGroup) : undefined;
      if (!news.roleGroup?.trim()) {
        failures.push({ property: "roleGroup", reason: "roleGroup is empty: name a custom role group (an ExchangeRoleGroup's name, or one the tenant made)." });
      } else if (builtIn) {
        failures.push({
          property: "roleGroup",
          reason:
            `"${builtIn.name}" is a built-in role group: Microsoft documents adding an app's service principal to custom role groups (the app-only article)` +
            `${builtIn.managedCentrally ? ", and this one's membership is synchronized from Entra, not managed in Exchange" : ""}. Put its roles (${builtIn.roles.join(", ")}) in an ExchangeRoleGroup and add the app to that.`,
        });
      }
      return { inputs: news, failures };
    },
    async diff(_id, olds, news) {
      // The ObjectId is how -Member names the same principal, not another grant: it never replaces.
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
      const principal = inputs.servicePrincipalObjectId.toLowerCase();
      await session.run(inputs, context, { Identity: inputs.roleGroup, Member: inputs.servicePrincipalObjectId, ...BYPASS }, {
        // Only the app's principal can be "not yet"; an unknown role group is not healed by waiting.
        heal: { budgetMs: propagationMs(inputs), when: (text) => text.toLowerCase().includes(principal), waitingFor: `Exchange to see the service principal of app ${inputs.appId}` },
      });
      return { id, outs: { tenantId: inputs.tenantId, environment: inputs.environment, appId: inputs.appId, roleGroup: inputs.roleGroup, servicePrincipalObjectId: inputs.servicePrincipalObjectId } };
    },
    async read(id, props) {
      const { tenantId, appId, roleGroup } = parseRoleGroupMemberId(id);
      const target = { tenantId, environment: environmentOf(props) };
      const context: CmdletContext = { cmdlet: "Get-RoleGroupMember", tenantId, what: `role group "${roleGroup}"` };
      const { answer, failure } = await session.run(target, context, { Identity: roleGroup }, { accept: ["notFound"] });
      if (failure) return { id: "" };
      const objectId = await principalObjectId(session, target, appId, props?.servicePrincipalObjectId);
      const member = answer.value.find((r) => isPrincipal(r, objectId, appId));
      if (!member) return { id: "" };
      return {
        id,
        props: {
          tenantId: keep(props?.tenantId, tenantId)!,
          environment: target.environment,
          appId: keep(props?.appId, appId)!,
          roleGroup: keep(props?.roleGroup, roleGroup)!,
          ...(objectId ? { servicePrincipalObjectId: keep(props?.servicePrincipalObjectId, objectId)! } : {}),
        },
      };
    },
    async delete(id, props) {
      const { tenantId, appId, roleGroup } = parseRoleGroupMemberId(id);
      const target = { tenantId, environment: environmentOf(props) };
      const objectId = await principalObjectId(session, target, appId, props?.servicePrincipalObjectId);
      // No principal in Exchange: no membership either.
      if (!objectId) return;
      const context: CmdletContext = { cmdlet: "Remove-RoleGroupMember", tenantId, what: `membership of app ${appId} in role group "${roleGroup}"` };
      // "isn't a member" and an unknown group both mean it is gone already.
      await session.run(target, context, { Identity: roleGroup, Member: objectId, Confirm: false, ...BYPASS }, { accept: ["notFound"] });
    },
  };
}
