/**
 * `@pulumi/azure-native` is an optional peer dependency: 136 MB that only a managed identity made here, an
 * Automation account and a Key Vault need. Its modules are loaded through here, when one of those is declared and
 * never when the package's entry loads; a missing package is named, with the command that installs it.
 */
import type * as authorization from "@pulumi/azure-native/authorization";
import type * as automation from "@pulumi/azure-native/automation";
import type * as keyvault from "@pulumi/azure-native/keyvault";
import type * as managedidentity from "@pulumi/azure-native/managedidentity";
import type * as provider from "@pulumi/azure-native/provider";
import type * as storage from "@pulumi/azure-native/storage";
import { MissingPackageError } from "../src/errors";

/** The azure-native modules the components use, by submodule (the whole package takes seconds to load). */
export interface AzureNativeModules {
  authorization: typeof authorization;
  automation: typeof automation;
  keyvault: typeof keyvault;
  managedidentity: typeof managedidentity;
  provider: typeof provider;
  storage: typeof storage;
}

export const AZURE_NATIVE_PACKAGE = "@pulumi/azure-native";
/** The range of `peerDependencies` in package.json (a test keeps them equal). */
export const AZURE_NATIVE_RANGE = "^3.28.0";

/** Whether `error` says that azure-native itself is not installed (not one of its own dependencies). */
function isAzureNativeMissing(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === "MODULE_NOT_FOUND" && typeof message === "string" && message.includes(`'${AZURE_NATIVE_PACKAGE}/`);
}

/**
 * The azure-native submodule `name`, for `usedFor` (what needs it, as the user wrote it: `ExchangeManagedIdentity`,
 * `keyVault`). Throws MissingPackageError when the package is not installed.
 */
export function azureNative<K extends keyof AzureNativeModules>(name: K, usedFor: string): AzureNativeModules[K] {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`${AZURE_NATIVE_PACKAGE}/${name}`) as AzureNativeModules[K];
  } catch (error) {
    if (!isAzureNativeMissing(error)) throw error;
    throw new MissingPackageError(
      AZURE_NATIVE_PACKAGE,
      AZURE_NATIVE_RANGE,
      `${usedFor} needs ${AZURE_NATIVE_PACKAGE}, which is not installed: it is an optional peer dependency of exchange-app-only, used only for managed identities, Automation accounts and Key Vault.`,
      `Install it in your program's folder: npm install ${AZURE_NATIVE_PACKAGE}@${AZURE_NATIVE_RANGE}`,
    );
  }
}
