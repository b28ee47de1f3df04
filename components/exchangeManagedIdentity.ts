import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type { ManagedIdentityConfig } from "../src/config/stackConfig";
import { TENANT_ACCESS_ARG_KEYS, type ExchangeManagedIdentityArgs } from "./args";
import type { TenantSpec } from "./tenantSpec";
import { confirmedTenant } from "./providerTenant";
import { tenantSpecFromArgs, type ArgRules } from "./validateArgs";
import { connectWithManagedIdentity } from "../src/outputs/connectCommands";
import { roleOutputs, type ManagedIdentityOutputs } from "../src/outputs/stackOutputs";
import { ExchangeAccessGrant, grantFor } from "./exchangeAccessGrant";
import { exchangeRbacFor, type ExchangeRbac } from "./exchangeRbac";
import { SampleRunbook } from "./sampleRunbook";
import { azureNative, type AzureNativeModules } from "./azureNative";
import { childHandles } from "./childHandles";
import {
  managedIdentityOutputProperties,
  type ExchangeManagedIdentityOutputs,
  type ManagedIdentityConnectLines,
  type ManagedIdentityIds,
  type ManagedIdentityTenantOutputs,
  type SampleRunbookInfo,
} from "./outputProperties";

/** The config keys `ExchangeManagedIdentity` takes as args. */
export const EXCHANGE_MANAGED_IDENTITY_ARG_KEYS = [...TENANT_ACCESS_ARG_KEYS, "managedIdentity", "displayName"] as const satisfies readonly (keyof ExchangeManagedIdentityArgs)[];

/** How `ExchangeManagedIdentity` validates its args; the plugin's Construct checks by the same rules. */
export const EXCHANGE_MANAGED_IDENTITY_RULES: ArgRules = {
  component: "ExchangeManagedIdentity",
  keys: EXCHANGE_MANAGED_IDENTITY_ARG_KEYS,
  required: { managedIdentity: "{ kind: userAssigned | automationAccount | existing, ... }" },
};

export type { ManagedIdentityTenantOutputs };

/** The identity's ids: from the resource the stack creates, or from config for one that exists. */
interface Identity {
  readonly principalId: pulumi.Input<string>;
  readonly clientId?: pulumi.Input<string>;
  readonly resourceId?: pulumi.Input<string>;
}

/** An identity the component makes: a user-assigned identity or an Automation account. */
type MadeIdentityConfig = Exclude<ManagedIdentityConfig, { kind: "existing" }>;

/** The azure-native modules an identity made here needs. */
type IdentityModules = Pick<AzureNativeModules, "automation" | "managedidentity">;

function identityModules(): IdentityModules {
  return { automation: azureNative("automation", "ExchangeManagedIdentity"), managedidentity: azureNative("managedidentity", "ExchangeManagedIdentity") };
}

/** An identity that exists: its ids from the args. */
function existingIdentity(config: Extract<ManagedIdentityConfig, { kind: "existing" }>): Identity {
  return { principalId: config.principalId, ...(config.clientId ? { clientId: config.clientId } : {}) };
}

/** `ExchangeOnlineManagement` from the PowerShell Gallery, at the version the stack pins. */
function galleryPackageUri(version: string): string {
  return `https://www.powershellgallery.com/api/v2/package/ExchangeOnlineManagement/${version}`;
}

/**
 * Exchange Online app-only access for a managed identity, in one tenant: no app registration and no secret. The
 * identity is a user-assigned one or an Automation account's system-assigned one, made here in the tenant's Azure
 * cloud, or one that exists; the same grant an app gets (consent for `Exchange.ManageAsApp` and the directory role)
 * goes to its service principal. Pass the tenant's `azuread` and `azure-native` providers in `opts.providers`.
 */
export class ExchangeManagedIdentity extends pulumi.ComponentResource implements ExchangeManagedIdentityOutputs {
  // The children live outside the instance (`PARTS`, components/childHandles.ts), behind getters: Pulumi's schema
  // inference reads every class property as an output, and these are TypeScript-only handles (provider/schema).
  get identity(): Identity {
    return partsOf(this).identity;
  }
  get grant(): ExchangeAccessGrant {
    return partsOf(this).grant;
  }
  /** The identity's Exchange RBAC (`exchangeRoles`): its principal in Exchange and one grant an entry. */
  get exchangeRbac(): ExchangeRbac | undefined {
    return partsOf(this).exchangeRbac;
  }
  /** The Automation account's sample runbook, when it has one. */
  get sampleRunbook(): SampleRunbook | undefined {
    return partsOf(this).runbook;
  }
  /** The stack outputs of this tenant (what the stack program exports). */
  get outputs(): ManagedIdentityTenantOutputs {
    return partsOf(this).outputs;
  }

  /** The identity granted: its kind, its service principal's object id and, where it has them, its client id and ARM id. */
  declare readonly managedIdentity: pulumi.Output<ManagedIdentityIds>;
  /** The directory role assigned, or `none` (`role: none`: the identity's rights are its `exchangeRoles`). */
  declare readonly roleName: pulumi.Output<string>;
  /** The directory role's template id; absent with `role: none`. */
  declare readonly roleTemplateId: pulumi.Output<string | undefined>;
  /** Entra ID login host of the tenant's cloud, for example `https://login.microsoftonline.com`. */
  declare readonly authorityHost: pulumi.Output<string>;
  /** Exchange Online resource (the token audience) of the tenant's cloud, for example `https://outlook.office365.com`. */
  declare readonly exchangeResource: pulumi.Output<string>;
  /** The ready-to-paste `Connect-ExchangeOnline -ManagedIdentity` line, with the client id of a user-assigned identity. */
  declare readonly connectExchangeOnline: pulumi.Output<ManagedIdentityConnectLines>;
  /** An Automation account's sample runbook: where it is and how to start it; absent for other identities. */
  declare readonly runbook: pulumi.Output<SampleRunbookInfo | undefined>;

  constructor(name: string, args: ExchangeManagedIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    const tenant = tenantSpecFromArgs(args ?? {}, EXCHANGE_MANAGED_IDENTITY_RULES);
    // The rules require managedIdentity for this component's keys (tenantSpecFromArgs read it).
    const config = tenant.managedIdentity!;
    // azure-native, an optional peer, only for an identity made here; loaded before anything registers, so a
    // missing package creates nothing.
    const azure = config.kind === "existing" ? undefined : identityModules();
    super("exchange-app-only:index:ExchangeManagedIdentity", name, {}, opts);
    const parts = PARTS.start(this, {});

    parts.identity = config.kind === "existing" ? existingIdentity(config) : this.declareIdentity(name, tenant, config, azure!);
    // The grant is made through the azuread provider: it waits until that provider's tenant is confirmed.
    const tenantConfirmed = confirmedTenant("ExchangeManagedIdentity", tenant.tenantId, this);
    const principalObjectId = pulumi.all([this.identity.principalId, tenantConfirmed]).apply(([id]) => id);
    parts.grant = new ExchangeAccessGrant(`${name}-exchange`, { principalObjectId, ...grantFor(tenant) }, { parent: this });
    if (tenant.exchangeRoles.length > 0) parts.exchangeRbac = this.declareExchangeRbac(name, tenant, config);

    parts.outputs = {
      tenantId: tenant.tenantId,
      organization: tenant.organization,
      environment: tenant.cloud.name,
      managedIdentity: pulumi.output(this.identity).apply((identity) => ({ kind: config.kind, ...identity })),
      ...roleOutputs(tenant.role),
      ...(tenant.exchangeRoles.length > 0 ? { exchangeRoles: tenant.exchangeRoles } : {}),
      authorityHost: tenant.cloud.authorityHost,
      exchangeResource: tenant.cloud.exchangeResource,
      connectExchangeOnline: pulumi
        .output(this.identity.clientId)
        .apply((clientId) => ({ managedIdentity: connectWithManagedIdentity({ organization: tenant.organization, cloud: tenant.cloud }, clientId) })),
      ...(this.sampleRunbook && config.kind === "automationAccount" ? { runbook: runbookOutputs(config, this.sampleRunbook) } : {}),
    };
    Object.assign(this, managedIdentityOutputProperties(this.outputs));
    this.registerOutputs({ principalId: this.identity.principalId });
  }

  /**
   * Exchange's own RBAC for the identity's service principal. Exchange registers it by app id: a user-assigned
   * identity's client id is that; a system-assigned identity's is read from its service principal in the tenant.
   */
  private declareExchangeRbac(name: string, tenant: TenantSpec, config: ManagedIdentityConfig): ExchangeRbac | undefined {
    const appId = this.identity.clientId ?? azuread.getServicePrincipalOutput({ objectId: this.identity.principalId }, { parent: this }).clientId;
    const displayName = config.kind === "existing" ? tenant.displayName : config.name;
    return exchangeRbacFor(`${name}-exchange-rbac`, tenant, { appId, servicePrincipalObjectId: this.identity.principalId, displayName }, { parent: this });
  }

  private declareIdentity(name: string, tenant: TenantSpec, config: MadeIdentityConfig, { automation, managedidentity }: IdentityModules): Identity {
    const where = { resourceGroupName: config.resourceGroup, location: config.location };
    if (config.kind === "userAssigned") {
      const identity = new managedidentity.UserAssignedIdentity(`${name}-identity`, { ...where, resourceName: config.name }, { parent: this });
      return { principalId: identity.principalId, clientId: identity.clientId, resourceId: identity.id };
    }
    const account = new automation.AutomationAccount(
      `${name}-automation`,
      { ...where, automationAccountName: config.name, identity: { type: "SystemAssigned" }, sku: { name: "Basic" }, publicNetworkAccess: true },
      { parent: this },
    );
    const module = new automation.PowerShell72Module(
      `${name}-exchange-module`,
      {
        resourceGroupName: config.resourceGroup,
        automationAccountName: account.name,
        moduleName: "ExchangeOnlineManagement",
        contentLink: { uri: galleryPackageUri(config.moduleVersion) },
      },
      { parent: this },
    );
    if (config.runbook) {
      partsOf(this).runbook = new SampleRunbook(
        `${name}-runbook`,
        {
          tenantId: tenant.tenantId,
          organization: tenant.organization,
          cloud: tenant.cloud,
          resourceGroup: config.resourceGroup,
          location: config.location,
          ...(config.subscriptionId ? { subscriptionId: config.subscriptionId } : {}),
          automationAccountName: account.name,
          automationAccountConfigName: config.name,
          ...(config.schedule ? { schedule: config.schedule } : {}),
          module,
        },
        { parent: this },
      );
    }
    // A system-assigned identity has no client id: Connect-ExchangeOnline -ManagedIdentity finds it on its own.
    return { principalId: account.identity.apply((i) => i?.principalId ?? ""), resourceId: account.id };
  }
}

/** The children of one `ExchangeManagedIdentity`, kept off the instance (see the getters). */
interface Parts {
  identity: Identity;
  grant: ExchangeAccessGrant;
  exchangeRbac?: ExchangeRbac;
  runbook?: SampleRunbook;
  outputs: ManagedIdentityTenantOutputs;
}
const PARTS = childHandles<ExchangeManagedIdentity, Parts>();
const partsOf = PARTS.of;

/** Where the sample runbook is and the one command that runs it now. */
function runbookOutputs(config: Extract<ManagedIdentityConfig, { kind: "automationAccount" }>, runbook: SampleRunbook): pulumi.Output<NonNullable<ManagedIdentityOutputs["runbook"]>> {
  const schedule = config.schedule;
  return runbook.runbookName.apply((name) => ({
    name,
    automationAccount: config.name,
    resourceGroup: config.resourceGroup,
    ...(schedule ? { schedule: `every ${schedule.interval} ${schedule.frequency.toLowerCase()}${schedule.interval === 1 ? "" : "s"} at ${schedule.at} ${schedule.timeZone}` } : {}),
    start: `az automation runbook start --automation-account-name ${config.name} --resource-group ${config.resourceGroup} --name ${name}`,
  }));
}
