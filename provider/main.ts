/**
 * The provider plugin's entry (issue 16): one `pulumi.provider.Provider` that serves the committed package schema,
 * Construct for the public components and CRUD for the project's own custom resources (provider/resources.ts), by
 * type token. provider/index.js starts it the way cmd/run-plugin expects: a module exporting a function.
 */
import * as fs from "fs";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import { InputPropertiesError } from "@pulumi/pulumi/errors";
import * as provider from "@pulumi/pulumi/provider";
import type { ArgRules } from "../components/validateArgs";
import type { TenantSpec } from "../components/tenantSpec";
import { ConfigError, MissingPackageError } from "../src/errors";
import { constructArgs, keptSecret, type ComponentArgsShape } from "./componentArgs";
import type { CustomResourceProvider } from "./resources";

/**
 * What Construct and CRUD run, loaded on first use rather than at start: the plugin prints its port (which the
 * engine waits for on every command) about 0.4 s sooner, and a plugin that only serves CRUD never loads the
 * components (`npm run bench:plugin`).
 */
const load = {
  appOnly: () => require("../components/exchangeAppOnly") as typeof import("../components/exchangeAppOnly"),
  customer: () => require("../components/customerTenantAccess") as typeof import("../components/customerTenantAccess"),
  managedIdentity: () => require("../components/exchangeManagedIdentity") as typeof import("../components/exchangeManagedIdentity"),
  validateArgs: () => require("../components/validateArgs") as typeof import("../components/validateArgs"),
  providerTenant: () => require("../components/providerTenant") as typeof import("../components/providerTenant"),
  azuread: () => require("@pulumi/azuread") as typeof import("@pulumi/azuread"),
  resources: () => require("./resources") as typeof import("./resources"),
};

/**
 * A public component as Construct builds it: its args' shape (which keys stay Inputs), the rules it validates its
 * args by and the args those rules leave aside (they are no config keys).
 */
interface ConstructedComponent {
  readonly build: (name: string, args: never, opts: pulumi.ComponentResourceOptions) => pulumi.ComponentResource;
  readonly args: ComponentArgsShape;
  readonly rules: () => ArgRules;
  readonly notConfigKeys: readonly string[];
}

export const COMPONENTS: Readonly<Record<string, ConstructedComponent>> = {
  "exchange-app-only:index:ExchangeAppOnly": {
    build: (name, args, opts) => new (load.appOnly().ExchangeAppOnly)(name, args, opts),
    args: { inputKeys: ["tenantId", "displayName", "owners", "certificate"] },
    rules: () => load.appOnly().EXCHANGE_APP_ONLY_RULES,
    notConfigKeys: ["multiTenant"],
  },
  "exchange-app-only:index:CustomerTenantAccess": {
    build: (name, args, opts) => new (load.customer().CustomerTenantAccess)(name, args, opts),
    args: { inputKeys: ["tenantId", "app"] },
    rules: () => load.customer().CUSTOMER_TENANT_RULES,
    notConfigKeys: ["app"],
  },
  "exchange-app-only:index:ExchangeManagedIdentity": {
    build: (name, args, opts) => new (load.managedIdentity().ExchangeManagedIdentity)(name, args, opts),
    args: { inputKeys: ["tenantId", "displayName"] },
    rules: () => load.managedIdentity().EXCHANGE_MANAGED_IDENTITY_RULES,
    notConfigKeys: [],
  },
};

/**
 * Checks the known args by the component's own rules before it is built: the component would check an Output arg
 * (a secret, say) only inside an apply, too late to refuse it by name. Secret args' values stay out of the message.
 */
function validate(component: ConstructedComponent, known: Record<string, unknown>, secretKeys: readonly string[]): TenantSpec {
  const configKeys = Object.fromEntries(Object.entries(known).filter(([key]) => !component.notConfigKeys.includes(key)));
  return load.validateArgs().tenantSpecFromArgs(configKeys, { ...component.rules(), secretKeys });
}

/**
 * The component's azuread provider must sign in to the tenant its args name. The component asks inside an apply,
 * where a mismatch surfaces as an unhandled error with a stack trace after children registered; Construct asks
 * first, so a mismatch is refused by property with the component's own message. A provider that cannot answer is
 * left to the component's own call to report.
 */
async function checkProviderTenant(component: ConstructedComponent, tenant: TenantSpec, options: pulumi.ComponentResourceOptions): Promise<void> {
  if (typeof tenant.tenantId !== "string") return;
  const providers = options.providers as Record<string, pulumi.ProviderResource> | undefined;
  const signedIn = await load.azuread().getClientConfig({ provider: providers?.azuread }).catch(() => undefined);
  const mismatch = load.providerTenant().tenantMismatch(component.rules().component, tenant.tenantId, signedIn?.tenantId);
  if (mismatch) throw mismatch;
}

/** A component's output names, as the served schema lists them (what other languages see). */
export function schemaOutputs(schema: string, type: string): string[] {
  const resources = (JSON.parse(schema) as { resources?: Record<string, { properties?: Record<string, unknown> }> }).resources ?? {};
  return Object.keys(resources[type]?.properties ?? {});
}

/** The type token of a custom resource's URN (`urn:pulumi:stack::project::parent$type::name`). */
export function typeOfUrn(urn: string): string {
  const qualifiedType = urn.split("::")[2] ?? "";
  return qualifiedType.split("$").pop() ?? "";
}

/** A component's bad args, as the engine shows a property error: the same message TypeScript gets, no stack trace. */
export function constructError(error: unknown, pluginFolder: string): unknown {
  if (error instanceof MissingPackageError) {
    // From Python, Go, C# or YAML the component runs in the plugin's process: the package goes beside the plugin, not
    // into the user's program. No stack: the text is all the user needs.
    const said = new Error(`${error.what} Install it in the plugin's folder, once: cd ${pluginFolder} && npm install ${error.packageName}@${error.range}`);
    said.stack = "";
    return said;
  }
  if (!(error instanceof ConfigError)) return error;
  return new InputPropertiesError({
    message: error.message,
    errors: error.issues.map((issue) => ({ propertyPath: issue.key, reason: `${issue.value}: ${issue.message}` })),
  });
}

export class ExchangeAppOnlyProvider implements provider.Provider {
  private customResources?: Record<string, CustomResourceProvider>;
  /** Each component's output names, read from the schema once (not on every Construct). */
  private readonly outputNames = new Map<string, string[]>();

  constructor(
    readonly version: string,
    private readonly schemaText: string,
    resources?: Record<string, CustomResourceProvider>,
    /** Where the plugin was started from (its PulumiPlugin.yaml): where a missing optional package is installed. */
    private readonly pluginFolder: string = path.join(__dirname, "..", "..", "provider"),
  ) {
    this.customResources = resources;
  }

  private get resources(): Record<string, CustomResourceProvider> {
    return (this.customResources ??= load.resources().customResourceProviders());
  }

  async getSchema(): Promise<string> {
    return this.schemaText;
  }

  async construct(name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<provider.ConstructResult> {
    const component = COMPONENTS[type];
    if (!component) throw new Error(`unknown component type ${type}: this plugin constructs ${Object.keys(COMPONENTS).join(", ")}`);
    try {
      const { args, known, secretKeys, plainSecrets } = await constructArgs(inputs, component.args);
      await checkProviderTenant(component, validate(component, known, secretKeys), options);
      const resource = component.build(name, args as never, options);
      const self = resource as unknown as Record<string, unknown>;
      return { urn: resource.urn, state: Object.fromEntries(this.outputsOf(type).map((key) => [key, keptSecret(self[key], plainSecrets)])) };
    } catch (error) {
      throw constructError(error, this.pluginFolder);
    }
  }

  async check(urn: string, olds: any, news: any): Promise<provider.CheckResult> {
    const resource = this.resourceFor(urn);
    return resource.check ? resource.check(urn, olds, news) : { inputs: news };
  }

  async diff(id: string, urn: string, olds: any, news: any): Promise<provider.DiffResult> {
    const resource = this.resourceFor(urn);
    return resource.diff ? resource.diff(id, urn, olds, news) : {};
  }

  async create(urn: string, inputs: any): Promise<provider.CreateResult> {
    return this.resourceFor(urn).create(urn, inputs);
  }

  async read(id: string, urn: string, props?: any): Promise<provider.ReadResult> {
    const resource = this.resourceFor(urn);
    return resource.read ? resource.read(id, urn, props) : { id, props };
  }

  async update(id: string, urn: string, olds: any, news: any): Promise<provider.UpdateResult> {
    const resource = this.resourceFor(urn);
    if (!resource.update) throw new Error(`${typeOfUrn(urn)} cannot be updated in place`);
    return resource.update(id, urn, olds, news);
  }

  async delete(id: string, urn: string, props: any): Promise<void> {
    const resource = this.resourceFor(urn);
    if (resource.delete) await resource.delete(id, urn, props);
  }

  private outputsOf(type: string): string[] {
    let names = this.outputNames.get(type);
    if (!names) this.outputNames.set(type, (names = schemaOutputs(this.schemaText, type)));
    return names;
  }

  private resourceFor(urn: string): CustomResourceProvider {
    const type = typeOfUrn(urn);
    const resource = this.resources[type];
    if (!resource) throw new Error(`unknown resource type ${type}: this plugin manages ${Object.keys(this.resources).join(", ") || "no custom resource"}`);
    return resource;
  }
}

/** Why the plugin cannot start, or undefined. */
export function startProblem(args: readonly string[], schemaPath: string): string | undefined {
  if (args.length === 0 || !args[0]) return "exchange-app-only plugin: missing the engine address (the Pulumi engine starts this plugin with it as its argument)";
  try {
    JSON.parse(fs.readFileSync(schemaPath, "utf8"));
  } catch (error) {
    return `exchange-app-only plugin: cannot read its schema ${schemaPath}: ${(error as Error).message}`;
  }
  return undefined;
}

/** Starts the plugin (args: the engine address); says why and exits non-zero when it cannot. */
export async function serve(args: readonly string[], schemaPath: string): Promise<void> {
  const problem = startProblem(args, schemaPath);
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exit(1);
  }
  const schema = fs.readFileSync(schemaPath, "utf8");
  const version = (JSON.parse(schema) as { version?: string }).version ?? "0.0.0";
  await provider.main(new ExchangeAppOnlyProvider(version.replace(/^v/, ""), schema, undefined, path.dirname(schemaPath)), [...args]);
  // provider.main installs source-map-support, which maps every stack trace through source maps. The SDK takes one
  // for every resource a Construct registers (its source position), and the mapping doubled Construct's time
  // (`npm run bench:plugin`). This package ships no source maps, so Node's own stack traces lose nothing.
  delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
}
