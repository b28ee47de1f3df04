import * as automation from "@pulumi/azure-native/automation";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import type { ManagedIdentityConfig, TenantConfig } from "../src/config/stackConfig";
import { connectWithManagedIdentity } from "../src/outputs/connectCommands";
import type { ManagedIdentityOutputs } from "../src/outputs/stackOutputs";
import { ExchangeAccessGrant } from "./exchangeAccessGrant";

export interface ExchangeManagedIdentityArgs {
  /** One tenant's validated config, with its `managedIdentity`. */
  readonly tenant: TenantConfig & { readonly managedIdentity: ManagedIdentityConfig };
}

/** The stack outputs of a managed-identity tenant: known values as they are, the rest as Pulumi outputs. */
export type ManagedIdentityTenantOutputs = { readonly [K in keyof ManagedIdentityOutputs]: pulumi.Input<ManagedIdentityOutputs[K]> };

/** The identity's ids: from the resource the stack creates, or from config for one that exists. */
interface Identity {
  readonly principalId: pulumi.Input<string>;
  readonly clientId?: pulumi.Input<string>;
  readonly resourceId?: pulumi.Input<string>;
}

/** `ExchangeOnlineManagement` from the PowerShell Gallery, at the version the stack pins. */
export function galleryPackageUri(version: string): string {
  return `https://www.powershellgallery.com/api/v2/package/ExchangeOnlineManagement/${version}`;
}

/**
 * Exchange Online app-only access for a managed identity, in one tenant: no app registration and no secret. The
 * identity is a user-assigned one or an Automation account's system-assigned one, made here in the tenant's Azure
 * cloud, or one that exists; the same grant an app gets (consent for `Exchange.ManageAsApp` and the directory role)
 * goes to its service principal. Pass the tenant's `azuread` and `azure-native` providers in `opts.providers`.
 */
export class ExchangeManagedIdentity extends pulumi.ComponentResource {
  readonly identity: Identity;
  readonly grant: ExchangeAccessGrant;
  readonly outputs: ManagedIdentityTenantOutputs;

  constructor(name: string, args: ExchangeManagedIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("exchange-app-only:index:ExchangeManagedIdentity", name, {}, opts);
    const { tenant } = args;
    const config = tenant.managedIdentity;

    this.identity = this.declareIdentity(name, config);
    this.grant = new ExchangeAccessGrant(`${name}-exchange`, { principalObjectId: this.identity.principalId, role: tenant.role }, { parent: this });

    this.outputs = {
      tenantId: tenant.tenantId,
      organization: tenant.organization,
      environment: tenant.cloud.name,
      managedIdentity: pulumi.output(this.identity).apply((identity) => ({ kind: config.kind, ...identity })),
      roleName: tenant.role.name,
      roleTemplateId: tenant.role.templateId,
      authorityHost: tenant.cloud.authorityHost,
      exchangeResource: tenant.cloud.exchangeResource,
      connectExchangeOnline: pulumi
        .output(this.identity.clientId)
        .apply((clientId) => ({ managedIdentity: connectWithManagedIdentity({ organization: tenant.organization, cloud: tenant.cloud }, clientId) })),
    };
    this.registerOutputs({ principalId: this.identity.principalId });
  }

  private declareIdentity(name: string, config: ManagedIdentityConfig): Identity {
    if (config.kind === "existing") return { principalId: config.principalId, ...(config.clientId ? { clientId: config.clientId } : {}) };
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
    new automation.PowerShell72Module(
      `${name}-exchange-module`,
      {
        resourceGroupName: config.resourceGroup,
        automationAccountName: account.name,
        moduleName: "ExchangeOnlineManagement",
        contentLink: { uri: galleryPackageUri(config.moduleVersion) },
      },
      { parent: this },
    );
    // A system-assigned identity has no client id: Connect-ExchangeOnline -ManagedIdentity finds it on its own.
    return { principalId: account.identity.apply((i) => i?.principalId ?? ""), resourceId: account.id };
  }
}
