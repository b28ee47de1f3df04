import type { Provider } from "@pulumi/azure-native/provider";
import type * as pulumi from "@pulumi/pulumi";
import type { TenantConfig } from "../src/config/stackConfig";
import { azureNative } from "./azureNative";

/**
 * The explicit azure-native provider of one tenant's Azure resources (a managed identity, an Automation account):
 * the tenant's own Azure cloud, so a GCC High tenant's identity lands in Azure Government. Sign-in is the
 * provider's usual (`ARM_*`, OIDC, managed identity, Azure CLI); the subscription is the stack's when it names one.
 */
export function tenantAzureProvider(name: string, tenant: TenantConfig, subscriptionId?: string, opts?: pulumi.CustomResourceOptions): Provider {
  const { Provider: AzureNativeProvider } = azureNative("provider", "The Azure resources of a managed identity or a Key Vault");
  return new AzureNativeProvider(name, { tenantId: tenant.tenantId, environment: tenant.cloud.azureEnvironment, ...(subscriptionId ? { subscriptionId } : {}) }, opts);
}
