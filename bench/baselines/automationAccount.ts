/**
 * The automation-example stack (`Pulumi.automation-example.yaml`: an Automation account whose system-assigned
 * identity gets Exchange access, the module, the sample runbook and its schedule) written by hand with azure-native:
 * the bench's baseline for the program's structure when it declares Azure resources.
 */
import * as automation from "@pulumi/azure-native/automation";
import { Provider as AzureProvider } from "@pulumi/azure-native/provider";
import * as storage from "@pulumi/azure-native/storage";
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import * as time from "@pulumiverse/time";
import { EXCHANGE_ONLINE_APP_ID, MANAGE_AS_APP_ROLE } from "../../src/facts";

const TENANT = "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7";
const RG = "rg-exchange-automation";
const RUNBOOK = "$ErrorActionPreference = 'Stop'\nConnect-ExchangeOnline -ManagedIdentity -Organization contoso.onmicrosoft.com -ShowBanner:$false\nGet-AcceptedDomain\n";

export async function handWritten(): Promise<Record<string, unknown>> {
  const tenant = new azuread.Provider("exo-tenant", { tenantId: TENANT, environment: "public" });
  const azure = new AzureProvider("exo-azure", { tenantId: TENANT, environment: "public" });
  const opts = { provider: azure };
  const where = { resourceGroupName: RG, location: "westeurope" };
  const account = new automation.AutomationAccount("automation", { ...where, automationAccountName: "exo-automation", identity: { type: "SystemAssigned" }, sku: { name: "Basic" }, publicNetworkAccess: true }, opts);
  const module = new automation.PowerShell72Module("module", { resourceGroupName: RG, automationAccountName: account.name, moduleName: "ExchangeOnlineManagement", contentLink: { uri: "https://www.powershellgallery.com/api/v2/package/ExchangeOnlineManagement/3.7.1" } }, opts);
  const sa = new storage.StorageAccount("storage", { ...where, accountName: "exorb0123456789abcdef012", kind: "StorageV2", sku: { name: "Standard_LRS" }, allowBlobPublicAccess: false, enableHttpsTrafficOnly: true, minimumTlsVersion: "TLS1_2", allowSharedKeyAccess: true }, opts);
  const container = new storage.BlobContainer("container", { resourceGroupName: RG, accountName: sa.name, containerName: "runbooks", publicAccess: "None" }, opts);
  const blob = new storage.Blob("blob", { resourceGroupName: RG, accountName: sa.name, containerName: container.name, blobName: "Get-ExchangeAcceptedDomain.ps1", type: "Block", contentType: "text/plain; charset=utf-8", source: new pulumi.asset.StringAsset(RUNBOOK) }, opts);
  const published = new time.Static("published", { triggers: { hash: "0" } }, { dependsOn: [blob] });
  const sas = storage.listStorageAccountServiceSASOutput({ resourceGroupName: RG, accountName: sa.name, canonicalizedResource: pulumi.interpolate`/blob/${sa.name}/runbooks/${blob.name}`, resource: "b", permissions: "r", protocols: "https", sharedAccessExpiryTime: published.rfc3339 }, opts);
  const runbook = new automation.Runbook("runbook", { ...where, automationAccountName: account.name, runbookName: "Get-ExchangeAcceptedDomain", runbookType: "PowerShell72", publishContentLink: { uri: pulumi.secret(pulumi.interpolate`${blob.url}?${sas.serviceSasToken}`), contentHash: { algorithm: "SHA256", value: "0" } } }, opts);
  const created = new time.Static("schedule-created", { triggers: { schedule: "daily" } });
  const schedule = new automation.Schedule("schedule", { resourceGroupName: RG, automationAccountName: account.name, name: "exchange-app-only-sample", scheduleName: "exchange-app-only-sample", frequency: "Day", interval: 1, timeZone: "Europe/Berlin", startTime: created.rfc3339 }, opts);
  new automation.JobSchedule("job", { resourceGroupName: RG, automationAccountName: account.name, jobScheduleId: "00000000-0000-5000-8000-000000000000", runbook: { name: runbook.name }, schedule: { name: schedule.name } }, { ...opts, dependsOn: [module] });
  const principalId = account.identity.apply((i) => i?.principalId ?? "");
  const exchange = azuread.getServicePrincipalOutput({ clientId: EXCHANGE_ONLINE_APP_ID }, { provider: tenant });
  new azuread.AppRoleAssignment("consent", { appRoleId: MANAGE_AS_APP_ROLE.id, principalObjectId: principalId, resourceObjectId: exchange.objectId }, { provider: tenant });
  new azuread.DirectoryRoleAssignment("role", { roleId: "f2ef992c-3afb-46b9-b7cf-a126ee74c451", principalObjectId: principalId, directoryScopeId: "/" }, { provider: tenant });
  return { principalId, connect: "Connect-ExchangeOnline -ManagedIdentity -Organization contoso.onmicrosoft.com" };
}
