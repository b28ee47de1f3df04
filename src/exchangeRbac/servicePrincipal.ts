/**
 * The app's service principal in Exchange: `New-ServicePrincipal -AppId <client id> -ObjectId <Entra object id>
 * -DisplayName`, the first step of Microsoft's app-only article ("Assign custom role groups to the application using
 * service principals"). Exchange holds one per app, so a replacement deletes first. The display name is a label kept
 * from creation: replacing the principal for it would take its memberships down with it.
 */
import { isGuid } from "../facts";
import { changed, checkCommon, environmentOf, keep, propagationMs, sameName, str, type Common, type Provider } from "./common";
import type { CmdletContext } from "./explain";
import { parseServicePrincipalId, servicePrincipalId } from "./ids";
import type { ExchangeTarget, RbacSession } from "./session";

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

export function servicePrincipalProviderOver(session: RbacSession): Provider<ServicePrincipalInputs, ServicePrincipalState> {
  return {
    async check(_olds, news) {
      const failures = checkCommon(news);
      if (!isGuid(news.objectId ?? "")) failures.push({ property: "objectId", reason: `objectId ${JSON.stringify(news.objectId)} is not a GUID: give the app's service principal's object id.` });
      return { inputs: news, failures };
    },
    async diff(_id, olds, news) {
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
}

/**
 * The principal's ObjectId (what Add-RoleGroupMember and New-ManagementRoleAssignment -App take) from state, else
 * looked up by app id (Get-ServicePrincipal): state written before the stack kept it holds the app id only.
 * Undefined when Exchange has no principal for the app.
 */
export async function principalObjectId(session: RbacSession, target: ExchangeTarget, appId: string, known: string | undefined): Promise<string | undefined> {
  if (known && isGuid(known)) return known;
  const context: CmdletContext = { cmdlet: "Get-ServicePrincipal", tenantId: target.tenantId, what: `service principal of app ${appId}` };
  const { answer, failure } = await session.run(target, context, { Identity: appId }, { accept: ["notFound"] });
  if (failure) return undefined;
  return str(answer.value.find((r) => sameName(str(r, "AppId"), appId)), "ObjectId", "Identity");
}
