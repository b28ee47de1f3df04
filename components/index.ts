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
// The type files before the components: schema inference reads a type's description only from a file it has
// read before the component that uses the type (provider/schema/generate.ts).
export type {
  AccessCheckResult,
  ConnectExchangeOnlineLines,
  ConnectIPPSSessionAlternative,
  ConnectIPPSSessionLines,
  ExchangeAppOnlyOutputs,
  ExchangeManagedIdentityOutputs,
  ManagedIdentityConnectLines,
  ManagedIdentityIds,
  SampleRunbookInfo,
} from "./outputProperties";
export { CustomerTenantAccess, type CustomerTenantAccessArgs, type MultiTenantApp } from "./customerTenantAccess";
export { ExchangeAppOnly } from "./exchangeAppOnly";
export { ExchangeManagedIdentity } from "./exchangeManagedIdentity";
export { ConfigError } from "../src/errors";
