/**
 * What remains for a customer tenant whose admin grants the consent (`consent: manual`): the admin-consent link
 * for the tenant's cloud, and the role assignment that consent does not make. Pure: the stack outputs them.
 */
import type { Cloud, ExchangeRole } from "../facts";

/** The link a Global Administrator of the customer tenant opens to consent to the app's permissions. */
export function adminConsentUrl(cloud: Cloud, tenantId: string, clientId: string): string {
  return `${cloud.authorityHost}/${tenantId}/adminconsent?client_id=${clientId}&scope=${cloud.exchangeResource}/.default`;
}

/** The role assignment, as an `az rest` call (Microsoft Graph of the tenant's cloud) and as a PowerShell line. */
export function roleAssignmentCommands(cloud: Cloud, tenantId: string, clientId: string, role: ExchangeRole): { azRest: string; powershell: string } {
  const body = `{"principalId":"'"$SP"'","roleDefinitionId":"${role.templateId}","directoryScopeId":"/"}`;
  return {
    azRest:
      `az login --tenant ${tenantId} --allow-no-subscriptions && SP=$(az ad sp show --id ${clientId} --query id -o tsv) && ` +
      `az rest --method POST --url ${cloud.graphResource}/v1.0/roleManagement/directory/roleAssignments --body '${body}'`,
    powershell:
      `Connect-MgGraph -TenantId ${tenantId} -Scopes RoleManagement.ReadWrite.Directory -Environment ${graphEnvironment(cloud)}; ` +
      `New-MgRoleManagementDirectoryRoleAssignment -PrincipalId (Get-MgServicePrincipal -Filter "appId eq '${clientId}'").Id -RoleDefinitionId ${role.templateId} -DirectoryScopeId "/"`,
  };
}

/** Microsoft Graph PowerShell's `-Environment` name of each cloud. */
function graphEnvironment(cloud: Cloud): string {
  return { public: "Global", usgovernment: "USGov", dod: "USGovDoD", china: "China" }[cloud.name];
}
