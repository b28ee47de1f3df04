/**
 * exchange-app-only: the package's public API. Components whose args are the stack config keys and whose outputs
 * are the stack output names (docs/component.md). Nothing else is exported: the stack program, the CLI, the
 * emulator and the tests are not part of the package's API.
 */
export {
  type AdoptArgs,
  DirectoryRole,
  Environment,
  type ExchangeAppOnlyArgs,
  type ExchangeManagedIdentityArgs,
  type ExchangeRoleArgs,
  type FederatedCredentialArgs,
  FederatedCredentialKind,
  GitLabRefType,
  type ManagedIdentityArgs,
  ManagedIdentityKind,
  type RunbookScheduleArgs,
  ScheduleFrequency,
  type TenantAccessArgs,
  Workload,
} from "./args";
export { CustomerTenantAccess, type CustomerTenantAccessArgs } from "./customerTenantAccess";
export { ExchangeAppOnly } from "./exchangeAppOnly";
export { ExchangeManagedIdentity } from "./exchangeManagedIdentity";
export type { AccessCheckResult, ConnectExchangeOnlineLines, ConnectIPPSSessionAlternative, ConnectIPPSSessionLines, ExchangeAppOnlyOutputs } from "./outputProperties";
export { ConfigError } from "../src/errors";
