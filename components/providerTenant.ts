/**
 * The azuread provider a component uses must sign in to the tenant its args name: a provider of another tenant would
 * put the app, its consent and its role in the wrong directory. The provider's inputs cannot be read from a
 * program, so the component asks the provider itself (`getClientConfig`) and compares.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../src/errors";

/**
 * `tenantId`, once the component's provider has answered with the same tenant; fails with the fix otherwise.
 * Resources that must not be made in the wrong tenant take their inputs through it, so they wait for the answer.
 */
export function confirmedTenant(component: string, tenantId: pulumi.Input<string>, parent: pulumi.Resource): pulumi.Output<string> {
  const signedIn = azuread.getClientConfigOutput({ parent });
  return pulumi.all([tenantId, signedIn.tenantId]).apply(([wanted, actual]) => {
    const mismatch = tenantMismatch(component, wanted, actual);
    if (mismatch) throw mismatch;
    return wanted;
  });
}

/**
 * The error for a provider signed in to tenant `actual` when the component's args name `wanted`; undefined when they
 * agree. An answer without a tenant (a mock, an offline plan) confirms nothing and refuses nothing.
 */
export function tenantMismatch(component: string, wanted: string, actual: unknown): ConfigError | undefined {
  if (typeof actual !== "string" || actual === "" || actual.toLowerCase() === wanted.toLowerCase()) return undefined;
  return new ConfigError(
    [{ key: "tenantId", value: JSON.stringify(wanted), message: `is not the tenant the ${component}'s azuread provider signs in to (${actual}): give the component that tenant's provider in opts.providers (new azuread.Provider(..., { tenantId: "${wanted}" })), or pass the provider's tenant as tenantId` }],
    `Make ${component}'s tenantId and its azuread provider name the same tenant, and run again.`,
  );
}
