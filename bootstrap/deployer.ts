/**
 * What the bootstrap creates: the deploying identity (the rights `pulumi up` needs) and, by default, a read-only
 * identity for pull-request previews. Microsoft Graph's service principal is looked up by appId, never managed.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { githubRepositoryName } from "../src/config/githubRepository";
import { MICROSOFT_GRAPH_APP_ID } from "../src/facts";
import type { BootstrapConfig } from "./settings";
import { githubIdentity } from "./identity";
import { graphPermissions, PREVIEW_PERMISSIONS } from "./permissions";
import { deployerCredentials, previewCredentials } from "./subjects";

export function declareDeployer(config: BootstrapConfig) {
  const caller = azuread.getClientConfigOutput();
  const found = azuread.getServicePrincipalOutput({ clientId: MICROSOFT_GRAPH_APP_ID });
  const graph = pulumi.output({ objectId: found.objectId, appRoleIds: found.appRoleIds });
  const permissions = graphPermissions(config.applicationPermission).map((p) => p.value);
  const deployer = githubIdentity("deployer", {
    displayName: config.displayName,
    permissions,
    credentials: deployerCredentials(config),
    graph,
    ownerObjectId: caller.objectId,
  });

  const pullRequests = previewCredentials(config);
  const preview =
    pullRequests.length > 0
      ? githubIdentity("preview", {
          displayName: `${config.displayName} (pull request previews)`,
          permissions: PREVIEW_PERMISSIONS.map((p) => p.value),
          credentials: pullRequests,
          graph,
          ownerObjectId: caller.objectId,
        })
      : undefined;

  // gh takes owner/repo, never the immutable form's ids.
  const repository = githubRepositoryName(config.repository);
  const variables = (name: string, value: pulumi.Input<string>) => pulumi.interpolate`gh variable set ${name} --repo ${repository} --body ${value}`;
  return {
    clientId: deployer.app.clientId,
    tenantId: caller.tenantId,
    servicePrincipalObjectId: deployer.servicePrincipal.objectId,
    graphPermissions: permissions,
    federatedSubjects: deployerCredentials(config).map((credential) => credential.subject),
    previewClientId: preview?.app.clientId,
    previewFederatedSubjects: preview ? pullRequests.map((credential) => credential.subject) : undefined,
    /** What the workflows read from the repository's variables (they set ARM_USE_OIDC=true themselves). */
    repositoryVariables: {
      ARM_CLIENT_ID: deployer.app.clientId,
      ARM_TENANT_ID: caller.tenantId,
      ...(preview ? { ARM_PREVIEW_CLIENT_ID: preview.app.clientId } : {}),
    },
    setRepositoryVariables: pulumi
      .all([
        variables("ARM_CLIENT_ID", deployer.app.clientId),
        variables("ARM_TENANT_ID", caller.tenantId),
        ...(preview ? [variables("ARM_PREVIEW_CLIENT_ID", preview.app.clientId)] : []),
      ])
      .apply((lines) => lines.join("\n")),
  };
}
