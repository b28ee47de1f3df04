import * as pulumi from "@pulumi/pulumi";
import type { StackConfig, TenantEntry } from "../src/config/parseStack";
import type { TenantConfig } from "../src/config/stackConfig";
import { adminConsentUrl, roleAssignmentCommands } from "../src/outputs/consentInstructions";
import { roleOutputs, type PendingConsentOutputs } from "../src/outputs/stackOutputs";
import type { ExchangeAppOnlyArgs, ExchangeManagedIdentityArgs, TenantAccessArgs } from "./args";
import { CUSTOMER_TENANT_ARG_KEYS, CustomerTenantAccess } from "./customerTenantAccess";
import { EXCHANGE_APP_ONLY_ARG_KEYS, ExchangeAppOnly } from "./exchangeAppOnly";
import { argsFromConfig } from "./stackArgs";
import { tenantProvider } from "./tenantProvider";
import { azureNative } from "./azureNative";
import { tenantAzureProvider } from "./azureProvider";
import { EXCHANGE_MANAGED_IDENTITY_ARG_KEYS, ExchangeManagedIdentity, type ManagedIdentityTenantOutputs } from "./exchangeManagedIdentity";
import { KeyVaultStore } from "./keyVaultStore";
import type { TenantOutputs } from "./tenantOutputs";

/**
 * The stack's resources from its validated config: one component a tenant, each with its own provider.
 *
 * - A one-tenant stack keeps the names it always had (`exo-tenant`, `exo`): its URNs never change.
 * - Many tenants: each is named from its key (its `key`, else its tenant id), never from its place in the list,
 *   so adding, removing or reordering tenants touches only that tenant's resources.
 * - multiTenant: the home tenant holds the one app (`AzureADMultipleOrgs`) and its credentials; every other tenant
 *   gets the app's service principal, consent and role through its own provider, or, with `consent: manual`,
 *   nothing at all: its outputs say what its admin still has to do.
 */
export function declareStack(config: StackConfig): Record<string, unknown> {
  loadAzureNativeWhenUsed(config);
  if (config.layout === "single") return declareTenant("exo", config.tenants[0]!);
  const outputs: Record<string, unknown> = {};
  const name = (entry: TenantEntry) => `exo-${entry.key}`;
  if (config.appMode === "perTenant") {
    for (const entry of config.tenants) outputs[entry.key!] = declareTenant(name(entry), entry);
    return { tenants: outputs };
  }
  const home = config.tenants.find((e) => e.home)!;
  const homeApp = new ExchangeAppOnly(name(home), { ...appArgs(home), multiTenant: true }, { providers: [tenantProvider(`${name(home)}-tenant`, home.tenant, home.signIn)] });
  outputs[home.key!] = withKeyVault(name(home), home.tenant, homeApp);
  for (const entry of config.tenants.filter((e) => !e.home)) {
    if (entry.consent === "manual") {
      outputs[entry.key!] = pendingConsent(entry, homeApp.clientId);
      continue;
    }
    const provider = tenantProvider(`${name(entry)}-tenant`, entry.tenant, entry.signIn);
    const args = { ...(argsFromConfig(entry.raw, CUSTOMER_TENANT_ARG_KEYS) as unknown as TenantAccessArgs), app: homeApp };
    outputs[entry.key!] = new CustomerTenantAccess(name(entry), args, { providers: [provider] }).outputs;
  }
  return { tenants: outputs };
}

/** A tenant's config as `ExchangeAppOnly`'s args. */
function appArgs(entry: TenantEntry): ExchangeAppOnlyArgs {
  return argsFromConfig(entry.raw, EXCHANGE_APP_ONLY_ARG_KEYS) as unknown as ExchangeAppOnlyArgs;
}

/**
 * azure-native, a large optional package, is loaded only for a stack with Azure resources (a managed identity made
 * here, a Key Vault), and before anything registers: when it is missing, the stack creates nothing.
 */
function loadAzureNativeWhenUsed(config: StackConfig): void {
  const user = config.tenants.find(({ tenant }) => tenant.keyVault || (tenant.managedIdentity && tenant.managedIdentity.kind !== "existing"));
  if (user) azureNative("provider", user.tenant.keyVault ? "keyVault" : "managedIdentity");
}

/**
 * One tenant of its own: an app registration, or a managed identity (`managedIdentity`) with its Azure resources.
 * Providers are `<name>-tenant` (azuread) and `<name>-azure` (azure-native).
 */
function declareTenant(name: string, entry: TenantEntry): TenantOutputs | ManagedIdentityTenantOutputs {
  const { tenant, signIn } = entry;
  const provider = tenantProvider(`${name}-tenant`, tenant, signIn);
  const identity = tenant.managedIdentity;
  if (!identity) return withKeyVault(name, tenant, new ExchangeAppOnly(name, appArgs(entry), { providers: [provider] }));
  const providers = identity.kind === "existing" ? [provider] : [provider, tenantAzureProvider(`${name}-azure`, tenant, identity.subscriptionId)];
  const args = argsFromConfig(entry.raw, EXCHANGE_MANAGED_IDENTITY_ARG_KEYS) as unknown as ExchangeManagedIdentityArgs;
  return new ExchangeManagedIdentity(name, args, { providers }).outputs;
}

/**
 * With `keyVault`: the app's generated credentials stored in a vault of the tenant's Azure cloud, through the
 * provider `<name>-azure`, and the outputs saying where.
 */
function withKeyVault(name: string, tenant: TenantConfig, app: ExchangeAppOnly): TenantOutputs {
  if (!tenant.keyVault) return app.outputs;
  const provider = tenantAzureProvider(`${name}-azure`, tenant, tenant.keyVault.subscriptionId);
  const store = new KeyVaultStore(
    `${name}-keyvault`,
    {
      vault: tenant.keyVault,
      tenantId: tenant.tenantId,
      cloud: tenant.cloud,
      clientId: app.registration.clientId,
      clientSecret: app.secretCredential?.value,
      certificatePfxBase64: app.certificateCredential?.pfxBase64,
    },
    { providers: [provider] },
  );
  return { ...app.outputs, keyVault: store.outputs };
}

/** A customer tenant the stack cannot reach: the consent link and the role assignment its admin still has to make. */
function pendingConsent(entry: TenantEntry, clientId: pulumi.Input<string>): pulumi.Output<PendingConsentOutputs> {
  const { tenant } = entry;
  // The config refuses role: none here (it needs exchangeRoles, which cannot reach a manual-consent tenant).
  const role = tenant.role!;
  return pulumi.output(clientId).apply((id) => ({
    tenantId: tenant.tenantId,
    organization: tenant.organization,
    environment: tenant.cloud.name,
    clientId: id,
    consent: "manual" as const,
    ...roleOutputs(role),
    adminConsentUrl: adminConsentUrl(tenant.cloud, tenant.tenantId, id),
    roleAssignment: roleAssignmentCommands(tenant.cloud, tenant.tenantId, id, role),
  }));
}
