/**
 * The package schema the plugin serves: what Pulumi's schema inference reads from the components, plus the custom
 * resources' part (provider/resourceSchema.ts) and what inference cannot say (the Registry's metadata, secrets).
 * Pure: provider/schema/generate.ts runs the inference and writes provider/schema.json.
 */
import type { PackageSpec } from "@pulumi/pulumi/provider/experimental/schema";
import type { ResourceSchema } from "../resourceSchema";

/** The components inference reads (direct ComponentResource subclasses of the package entry). */
export const INFERRED_COMPONENTS = ["ExchangeAppOnly", "ExchangeManagedIdentity"] as const;

/** Output and input names that hold a secret, wherever they appear (the components mark them `pulumi.secret`). */
export const SECRET_PROPERTIES = ["certificatePrivateKeyPem", "certificatePfxBase64"] as const;

/** Secret outputs whose name is shared with a non-secret input (`clientSecret` is a boolean arg, a secret output). */
export const SECRET_OUTPUTS = ["clientSecret"] as const;

/** What the Registry shows (pulumi/docs publishing-packages.md: displayName, publisher, keywords kind/ and category/). */
export const METADATA = {
  displayName: "Exchange Online app-only access",
  publisher: "exchange-app-only",
  repository: "https://github.com/exchange-app-only/exchange-app-only",
  license: "Apache-2.0",
  keywords: ["pulumi", "exchange-online", "microsoft-365", "entra-id", "app-only", "kind/component", "category/infrastructure"],
} as const;

type Properties = Record<string, Record<string, unknown>>;

function markSecrets(properties: Properties | undefined, names: readonly string[]): void {
  for (const name of names) if (properties?.[name]) properties[name].secret = true;
}

export function packageSchema(inferred: PackageSpec, customResources: Record<string, ResourceSchema>, description: string): Record<string, unknown> {
  const resources: Record<string, Record<string, unknown>> = {};
  for (const [token, resource] of Object.entries(inferred.resources ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const copy = JSON.parse(JSON.stringify(resource)) as Record<string, unknown> & { properties?: Properties; inputProperties?: Properties };
    copy.isComponent = true;
    markSecrets(copy.inputProperties, SECRET_PROPERTIES);
    markSecrets(copy.properties, [...SECRET_PROPERTIES, ...SECRET_OUTPUTS]);
    resources[token] = copy;
  }
  for (const [token, resource] of Object.entries(customResources)) {
    if (resources[token]) throw new Error(`${token} is both a component and a custom resource`);
    resources[token] = resource;
  }
  const { resources: _inferredResources, ...rest } = inferred;
  void _inferredResources;
  return { ...rest, description, ...METADATA, resources };
}
