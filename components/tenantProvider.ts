import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type { ProviderSignIn } from "../src/config/provider";
import type { TenantConfig } from "../src/config/stackConfig";

/**
 * The explicit azuread provider of one tenant: its tenant and cloud from the project's keys, how it signs in from
 * the stack's `azuread:*` settings (an explicit provider does not read them itself), secrets as Pulumi secrets.
 * With no settings it signs in the provider's usual way: `ARM_*` variables, OIDC, managed identity or Azure CLI.
 */
export function tenantProvider(name: string, tenant: TenantConfig, signIn: ProviderSignIn, opts?: pulumi.CustomResourceOptions): azuread.Provider {
  const secrets = Object.fromEntries(Object.entries(signIn.secrets).map(([key, value]) => [key, pulumi.secret(value)]));
  return new azuread.Provider(
    name,
    { ...signIn.settings, ...secrets, tenantId: tenant.tenantId, environment: tenant.cloud.azureadEnvironment },
    opts,
  );
}
