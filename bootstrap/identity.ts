/**
 * One GitHub Actions identity: an app registration and its service principal (owned by whoever runs the bootstrap),
 * federated credentials, and Graph application permissions granted by admin consent on Graph's own service principal.
 */
import * as azuread from "@pulumi/azuread";
import type * as pulumi from "@pulumi/pulumi";
import { EXCHANGE_ONLINE_APP_ID, MANAGE_AS_APP_ROLE, MICROSOFT_GRAPH_APP_ID } from "../src/facts";
import type { FederatedCredential } from "../src/credentials/federation";

export interface IdentityArgs {
  readonly displayName: string;
  /** Graph app role values, for example `Application.Read.All`. */
  readonly permissions: readonly string[];
  readonly credentials: readonly FederatedCredential[];
  /** Microsoft Graph's service principal in this tenant (looked up, never managed). */
  readonly graph: pulumi.Output<{ objectId: string; appRoleIds: Record<string, string> }>;
  /** Who runs the bootstrap: the owner of what it creates. */
  readonly ownerObjectId: pulumi.Input<string>;
  /** Office 365 Exchange Online's service principal (looked up, never managed): also grant `Exchange.ManageAsApp`. */
  readonly exchange?: pulumi.Output<{ objectId: string }>;
}

/** Graph's app role ids for `values`, by value; fails naming any value this tenant's Graph does not offer. */
export function roleIdsByValue(appRoleIds: Readonly<Record<string, string>>, values: readonly string[]): string[] {
  const missing = values.filter((value) => !appRoleIds[value]);
  if (missing.length > 0) {
    throw new Error(`Microsoft Graph's service principal in this tenant has no app role ${missing.join(", ")}: check that \`az login\` went to the right tenant and cloud.`);
  }
  return values.map((value) => appRoleIds[value]!);
}

/** `Application.ReadWrite.OwnedBy` → `application-readwrite-ownedby`: a resource name that stays when others change. */
function slug(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

export function githubIdentity(name: string, args: IdentityArgs) {
  const roleIds = args.graph.apply((graph) => roleIdsByValue(graph.appRoleIds, args.permissions));
  const app = new azuread.Application(name, {
    displayName: args.displayName,
    signInAudience: "AzureADMyOrg",
    owners: [args.ownerObjectId],
    // What the portal shows under "API permissions"; the assignments below are the consent.
    requiredResourceAccesses: [
      { resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccesses: roleIds.apply((ids) => ids.map((id) => ({ id, type: "Role" }))) },
      ...(args.exchange ? [{ resourceAppId: EXCHANGE_ONLINE_APP_ID, resourceAccesses: [{ id: MANAGE_AS_APP_ROLE.id, type: "Role" }] }] : []),
    ],
  });
  const servicePrincipal = new azuread.ServicePrincipal(name, { clientId: app.clientId, owners: [args.ownerObjectId] });
  for (const credential of args.credentials) {
    new azuread.ApplicationFederatedIdentityCredential(`${name}-${credential.name}`, {
      applicationId: app.id,
      displayName: credential.name,
      description: `GitHub Actions: ${credential.subject}`,
      issuer: credential.issuer,
      subject: credential.subject,
      audiences: [credential.audience],
    });
  }
  args.permissions.forEach((permission, i) => {
    new azuread.AppRoleAssignment(`${name}-graph-${slug(permission)}`, {
      appRoleId: roleIds.apply((ids) => ids[i]!),
      principalObjectId: servicePrincipal.objectId,
      resourceObjectId: args.graph.objectId,
    });
  });
  if (args.exchange) {
    new azuread.AppRoleAssignment(`${name}-exchange-manageasapp`, { appRoleId: MANAGE_AS_APP_ROLE.id, principalObjectId: servicePrincipal.objectId, resourceObjectId: args.exchange.objectId });
  }
  return { app, servicePrincipal };
}
