/**
 * The package schema the plugin serves: what Pulumi's schema inference reads from the components, plus the custom
 * resources' part (provider/resourceSchema.ts) and what inference cannot say (the Registry's metadata, secrets).
 * Pure: provider/schema/generate.ts runs the inference and writes provider/schema.json.
 */
import type { PackageSpec } from "@pulumi/pulumi/provider/experimental/schema";
import type { ResourceSchema } from "../resourceSchema";

/** The components inference reads (ComponentResource subclasses exported by the package entry). */
export const INFERRED_COMPONENTS = ["ExchangeAppOnly", "ExchangeManagedIdentity", "CustomerTenantAccess"] as const;

/**
 * What the Registry shows (pulumi/docs publishing-packages.md: displayName, publisher, keywords kind/ and category/).
 * `publisher` and `repository` are placeholders until the repository is published: change them here, and only here
 * (docs/provider-plugin.md, "Publishing"); the Go examples' import path follows `repository`.
 */
export const METADATA = {
  displayName: "Exchange Online app-only access",
  publisher: "exchange-app-only",
  repository: "https://github.com/exchange-app-only/exchange-app-only",
  license: "Apache-2.0",
  keywords: ["pulumi", "exchange-online", "microsoft-365", "entra-id", "app-only", "kind/component", "category/infrastructure"],
} as const;

type Properties = Record<string, Record<string, unknown>>;

/** What the sources say beyond inference: each type's description, and which properties are secret. */
export interface SourceFacts {
  /** Descriptions of the types, by type name (inference reads them, its schema writer drops them). */
  readonly typeDescriptions: Record<string, string | undefined>;
  /** A component's, an args interface's or an object type's properties that hold a secret (`@secret`), by its name. */
  readonly secrets: (name: string) => ReadonlySet<string>;
  /** A component's args interface, by the component's name. */
  readonly argsOf: (component: string) => string | undefined;
}

function markSecrets(properties: Properties | undefined, names: ReadonlySet<string>): void {
  for (const name of names) {
    if (!properties?.[name]) throw new Error(`@secret on ${name}, which the schema does not have`);
    properties[name].secret = true;
  }
}

/** The type or component name of a token (`exchange-app-only:index:Name`). */
const nameOf = (token: string) => token.split(":").pop()!;

export function packageSchema(inferred: PackageSpec, customResources: Record<string, ResourceSchema>, description: string, facts: SourceFacts): Record<string, unknown> {
  const resources: Record<string, Record<string, unknown>> = {};
  for (const [token, resource] of Object.entries(inferred.resources ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const copy = JSON.parse(JSON.stringify(resource)) as Record<string, unknown> & { properties?: Properties; inputProperties?: Properties };
    copy.isComponent = true;
    markSecrets(copy.inputProperties, facts.secrets(facts.argsOf(nameOf(token)) ?? ""));
    markSecrets(copy.properties, facts.secrets(nameOf(token)));
    resources[token] = copy;
  }
  for (const [token, resource] of Object.entries(customResources)) {
    if (resources[token]) throw new Error(`${token} is both a component and a custom resource`);
    resources[token] = resource;
  }
  const types: Record<string, Record<string, unknown>> = {};
  for (const [token, type] of Object.entries(inferred.types ?? {})) {
    const copy = JSON.parse(JSON.stringify(type)) as Record<string, unknown> & { properties?: Properties };
    const typeDescription = facts.typeDescriptions[nameOf(token)];
    if (typeDescription) copy.description = typeDescription;
    if (copy.properties) markSecrets(copy.properties, facts.secrets(nameOf(token)));
    types[token] = copy;
  }
  const { resources: _inferredResources, types: _inferredTypes, ...rest } = inferred;
  void _inferredResources;
  void _inferredTypes;
  return { ...rest, description, ...METADATA, resources, types };
}
