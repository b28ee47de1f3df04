/**
 * The Pulumi type tokens (and function tokens) the program registers, as the engine, mocks and recordings see
 * them: one table for the offline backend, the emulator's backend, the policy pack and the tests.
 */
export const TYPE = {
  provider: "pulumi:providers:azuread",
  application: "azuread:index/application:Application",
  servicePrincipal: "azuread:index/servicePrincipal:ServicePrincipal",
  appRoleAssignment: "azuread:index/appRoleAssignment:AppRoleAssignment",
  directoryRoleAssignment: "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment",
  password: "azuread:index/applicationPassword:ApplicationPassword",
  certificate: "azuread:index/applicationCertificate:ApplicationCertificate",
  federatedCredential: "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential",
  privateKey: "tls:index/privateKey:PrivateKey",
  selfSignedCert: "tls:index/selfSignedCert:SelfSignedCert",
  rotating: "time:index/rotating:Rotating",
  /** The plugin's custom resources (provider/resources.ts): the post-deploy check and Exchange's RBAC objects. */
  check: "exchange-app-only:index:ExchangeAccessCheck",
  exchangeServicePrincipal: "exchange-app-only:index:ExchangeServicePrincipal",
  exchangeRoleGroup: "exchange-app-only:index:ExchangeRoleGroup",
  exchangeRoleGroupMember: "exchange-app-only:index:ExchangeRoleGroupMember",
  /** Direct assignments of application roles; `exchangeRoles` makes none (earlier versions did, for admin roles). */
  exchangeRoleAssignment: "exchange-app-only:index:ExchangeManagementRoleAssignment",
  /** The plugin's default provider resource, which the custom resources' state points at. */
  pluginProvider: "pulumi:providers:exchange-app-only",
  azureProvider: "pulumi:providers:azure-native",
  userAssignedIdentity: "azure-native:managedidentity:UserAssignedIdentity",
  automationAccount: "azure-native:automation:AutomationAccount",
  powerShell72Module: "azure-native:automation:PowerShell72Module",
  runbook: "azure-native:automation:Runbook",
  schedule: "azure-native:automation:Schedule",
  jobSchedule: "azure-native:automation:JobSchedule",
  storageAccount: "azure-native:storage:StorageAccount",
  blobContainer: "azure-native:storage:BlobContainer",
  blob: "azure-native:storage:Blob",
  staticTime: "time:index/static:Static",
  keyVault: "azure-native:keyvault:Vault",
  keyVaultSecret: "azure-native:keyvault:Secret",
  azureRoleAssignment: "azure-native:authorization:RoleAssignment",
} as const;

/**
 * The same resources as dynamic resources wrote them to state before the plugin (the SDK's `pulumi-nodejs:dynamic/`
 * prefix and the module name the classes gave): what `exo-app-only migrate-state` rewrites.
 */
export const LEGACY_DYNAMIC_TYPE = {
  check: "pulumi-nodejs:dynamic/exchange-app-only:ExchangeAccessCheck",
  exchangeServicePrincipal: "pulumi-nodejs:dynamic/exchange-app-only:ExchangeServicePrincipal",
  exchangeRoleGroup: "pulumi-nodejs:dynamic/exchange-app-only:ExchangeRoleGroup",
  exchangeRoleGroupMember: "pulumi-nodejs:dynamic/exchange-app-only:ExchangeRoleGroupMember",
  exchangeRoleAssignment: "pulumi-nodejs:dynamic/exchange-app-only:ExchangeManagementRoleAssignment",
} as const;

export const FUNCTION = {
  getServicePrincipal: "azuread:index/getServicePrincipal:getServicePrincipal",
  getClientConfig: "azuread:index/getClientConfig:getClientConfig",
  listStorageAccountServiceSAS: "azure-native:storage:listStorageAccountServiceSAS",
} as const;
