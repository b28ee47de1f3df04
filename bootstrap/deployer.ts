/**
 * What the bootstrap creates: the deploying identity (the rights `pulumi up` needs) and, by default, a read-only
 * identity for pull-request previews. Microsoft Graph's service principal is looked up by appId, never managed.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { githubRepositoryName } from "../src/config/githubRepository";
import { EXCHANGE_ONLINE_APP_ID, MICROSOFT_GRAPH_APP_ID } from "../src/facts";
import type { BootstrapConfig } from "./settings";
import { githubIdentity } from "./identity";
import { ExchangeRoleGroup, ExchangeRoleGroupMember, ExchangeServicePrincipal } from "../components/exchangeRbac";
import { AUDITOR_PERMISSIONS, graphPermissions, PREVIEW_PERMISSIONS } from "./permissions";
import { auditorCredentials, deployerCredentials, previewCredentials } from "./subjects";

/** The Exchange role group the auditor joins: View-Only Configuration, the read cmdlets the audit runs. */
export const AUDITOR_ROLE_GROUP = "exo-app-only auditor (view-only)";

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

  // The auditor: reads only. Its view-only Exchange role is Exchange RBAC (the plugin's custom resources, run as
  // whoever runs the bootstrap), as Microsoft documents it for a service principal: a custom role group.
  const auditor = config.auditor ? declareAuditor(config, graph, caller) : undefined;

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
    auditorClientId: auditor?.app.clientId,
    auditorServicePrincipalObjectId: auditor?.servicePrincipal.objectId,
    auditorGraphPermissions: auditor ? AUDITOR_PERMISSIONS.map((p) => p.value) : undefined,
    auditorFederatedSubjects: auditor ? auditorCredentials(config).map((credential) => credential.subject) : undefined,
    auditorExchangeRoleGroup: auditor ? AUDITOR_ROLE_GROUP : undefined,
    /** What the workflows read from the repository's variables (they set ARM_USE_OIDC=true themselves). */
    repositoryVariables: {
      ARM_CLIENT_ID: deployer.app.clientId,
      ARM_TENANT_ID: caller.tenantId,
      ...(preview ? { ARM_PREVIEW_CLIENT_ID: preview.app.clientId } : {}),
      ...(auditor ? { EXO_AUDITOR_CLIENT_ID: auditor.app.clientId } : {}),
    },
    setRepositoryVariables: pulumi
      .all([
        variables("ARM_CLIENT_ID", deployer.app.clientId),
        variables("ARM_TENANT_ID", caller.tenantId),
        ...(preview ? [variables("ARM_PREVIEW_CLIENT_ID", preview.app.clientId)] : []),
        ...(auditor ? [variables("EXO_AUDITOR_CLIENT_ID", auditor.app.clientId)] : []),
      ])
      .apply((lines) => lines.join("\n")),
  };
}

/**
 * The auditor (docs/audit.md, "The auditor's permissions"): Graph's read permissions, Exchange.ManageAsApp, and a
 * custom Exchange role group holding View-Only Configuration with its service principal in it. No directory role.
 */
function declareAuditor(config: BootstrapConfig, graph: pulumi.Output<{ objectId: string; appRoleIds: Record<string, string> }>, caller: pulumi.Output<azuread.GetClientConfigResult>) {
  const displayName = `${config.displayName} (auditor)`;
  const identity = githubIdentity("auditor", {
    displayName,
    permissions: AUDITOR_PERMISSIONS.map((p) => p.value),
    credentials: auditorCredentials(config),
    graph,
    ownerObjectId: caller.objectId,
    exchange: azuread.getServicePrincipalOutput({ clientId: EXCHANGE_ONLINE_APP_ID }).apply((sp) => ({ objectId: sp.objectId })),
  });
  const target = { tenantId: caller.tenantId, environment: "public" as const };
  const principal = new ExchangeServicePrincipal("auditor-exchange", { ...target, appId: identity.app.clientId, objectId: identity.servicePrincipal.objectId, displayName });
  const group = new ExchangeRoleGroup("auditor-view-only", {
    ...target,
    name: AUDITOR_ROLE_GROUP,
    roles: ["View-Only Configuration"],
    description: "exchange-app-only bootstrap: the auditor reads Exchange's RBAC (exo-app-only audit). Kept by the bootstrap stack.",
  });
  new ExchangeRoleGroupMember("auditor-view-only-member", { ...target, appId: identity.app.clientId, servicePrincipalObjectId: principal.objectId, roleGroup: group.name });
  return identity;
}
