/**
 * The resource type tokens the pack looks at, as the engine reports them. The pack imports nothing of the program
 * (only src/facts), so it keeps its own table; a test holds it equal to the program's.
 */
export const TYPES = {
  application: "azuread:index/application:Application",
  servicePrincipal: "azuread:index/servicePrincipal:ServicePrincipal",
  appRoleAssignment: "azuread:index/appRoleAssignment:AppRoleAssignment",
  directoryRoleAssignment: "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment",
  password: "azuread:index/applicationPassword:ApplicationPassword",
  certificate: "azuread:index/applicationCertificate:ApplicationCertificate",
  rotating: "time:index/rotating:Rotating",
  selfSignedCert: "tls:index/selfSignedCert:SelfSignedCert",
  check: "pulumi-nodejs:dynamic/exchange-app-only:ExchangeAccessCheck",
} as const;
