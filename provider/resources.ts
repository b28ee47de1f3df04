/**
 * The plugin's custom resources (the post-deploy check and Exchange's RBAC objects): their CRUD, by type token, as
 * the plugin serves it. Contract between the plugin's entry (provider/main.ts, which dispatches to these) and the
 * resources' code (the libraries in src/check, src/exchangeRbac, src/exchange).
 */
import type * as provider from "@pulumi/pulumi/provider";

/** One custom resource type's methods, as `pulumi.provider.Provider` names them: create is required. */
export type CustomResourceProvider = Required<Pick<provider.Provider, "create">> & Pick<provider.Provider, "check" | "diff" | "read" | "update" | "delete">;

/** The custom resources by type token (`exchange-app-only:index:ExchangeAccessCheck`, ...). */
export function customResourceProviders(): Record<string, CustomResourceProvider> {
  return {};
}
