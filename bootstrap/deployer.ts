/**
 * The deploying identity: an app registration and its service principal, federated credentials for the
 * repository's workflows, and the Graph application permissions granted by admin consent. Microsoft Graph's own
 * service principal is looked up by appId and never managed; its app role ids are resolved by value.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { MICROSOFT_GRAPH_APP_ID } from "../src/facts";
import type { BootstrapConfig } from "./config";
import { graphPermissions } from "./permissions";
import { deployerCredentials } from "./subjects";

const NAME = "deployer";

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

export function declareDeployer(config: BootstrapConfig) {
  const caller = azuread.getClientConfigOutput();
  const graph = azuread.getServicePrincipalOutput({ clientId: MICROSOFT_GRAPH_APP_ID });
  const permissions = graphPermissions(config.applicationPermission).map((p) => p.value);
  const roleIds = graph.appRoleIds.apply((ids) => roleIdsByValue(ids, permissions));

  const app = new azuread.Application(NAME, {
    displayName: config.displayName,
    signInAudience: "AzureADMyOrg",
    // The person who runs the bootstrap keeps ownership of the identity it creates.
    owners: [caller.objectId],
    // What the portal shows under "API permissions"; the assignments below are the consent.
    requiredResourceAccesses: [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccesses: roleIds.apply((ids) => ids.map((id) => ({ id, type: "Role" }))) }],
  });
  const sp = new azuread.ServicePrincipal(NAME, { clientId: app.clientId, owners: [caller.objectId] });

  const credentials = deployerCredentials(config);
  for (const credential of credentials) {
    new azuread.ApplicationFederatedIdentityCredential(`${NAME}-${credential.name}`, {
      applicationId: app.id,
      displayName: credential.name,
      description: `GitHub Actions: ${credential.subject}`,
      issuer: credential.issuer,
      subject: credential.subject,
      audiences: [credential.audience],
    });
  }

  permissions.forEach((permission, i) => {
    new azuread.AppRoleAssignment(`${NAME}-graph-${slug(permission)}`, {
      appRoleId: roleIds.apply((ids) => ids[i]!),
      principalObjectId: sp.objectId,
      resourceObjectId: graph.objectId,
    });
  });

  return {
    clientId: app.clientId,
    tenantId: caller.tenantId,
    servicePrincipalObjectId: sp.objectId,
    graphPermissions: permissions,
    federatedSubjects: credentials.map((credential) => credential.subject),
    /** What the workflows read from the repository's variables (they set ARM_USE_OIDC=true themselves). */
    repositoryVariables: { ARM_CLIENT_ID: app.clientId, ARM_TENANT_ID: caller.tenantId },
    setRepositoryVariables: pulumi.interpolate`gh variable set ARM_CLIENT_ID --repo ${config.repository} --body ${app.clientId} && gh variable set ARM_TENANT_ID --repo ${config.repository} --body ${caller.tenantId}`,
  };
}
