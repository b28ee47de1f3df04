import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import {
  EOP_MANAGE_AS_APP_ROLE,
  EXCHANGE_ONLINE_APP_ID,
  EXCHANGE_ONLINE_PROTECTION_APP_ID,
  MANAGE_AS_APP_ROLE,
  MANAGE_AS_APP_V2_ROLE_VALUE,
  resolveAppRoleId,
  type ExchangeRole,
} from "../src/facts";
import type { TenantSpec } from "./tenantSpec";
import { appRoleAssignmentImportId, directoryRoleAssignmentImportId } from "../src/importIds";

export interface ExchangeAccessGrantArgs {
  /** Object id of the service principal to grant: an app's, a managed identity's, or a multi-tenant app's. */
  readonly principalObjectId: pulumi.Input<string>;
  /**
   * A directory role Exchange Online accepts (validated by the config parser), or null for none: the principal's
   * rights then come from Exchange's own RBAC only, and no DirectoryRoleAssignment is declared.
   */
  readonly role: ExchangeRole | null;
  /**
   * Also consent `Exchange.ManageAsApp` on Microsoft Exchange Online Protection: Security & Compliance PowerShell in
   * GCC High and DoD needs it.
   */
  readonly exchangeOnlineProtection?: boolean;
  /** Also consent `Exchange.ManageAsAppV2` (the Exchange Online Admin API, preview), its id resolved by value. */
  readonly adminApi?: boolean;
  /** A consent and role assignment that already exist (an adopted app's): imported, not granted again. */
  readonly existing?: {
    readonly consent?: { readonly exchangeServicePrincipalObjectId: string; readonly assignmentId: string };
    readonly roleAssignmentId?: string;
  };
}

/**
 * What a tenant's config asks of the grant: its role (or none), Exchange Online Protection's consent where Security &
 * Compliance needs it (GCC High, DoD), and the Admin API's permission.
 */
export function grantFor(tenant: Pick<TenantSpec, "role" | "workloads" | "cloud" | "adminApi">): Pick<ExchangeAccessGrantArgs, "role" | "exchangeOnlineProtection" | "adminApi"> {
  return {
    role: tenant.role,
    exchangeOnlineProtection: tenant.workloads.includes("compliance") && tenant.cloud.compliance.needsExchangeOnlineProtection,
    adminApi: tenant.adminApi,
  };
}

/**
 * "Grant Exchange access" to any service principal: admin consent for `Exchange.ManageAsApp` (an app role
 * assignment to the tenant's Exchange Online principal) plus membership of a directory role Exchange accepts.
 *
 * The Exchange Online principal (and Exchange Online Protection's) is first-party and exists in every tenant with
 * Exchange: it is looked up by appId, never declared as a resource, so nothing this stack does can delete it. Each
 * role id granted is the one the looked-up principal publishes for the role's value, checked against the known id
 * where there is one: a difference fails the deployment instead of granting a wrong id.
 */
export class ExchangeAccessGrant extends pulumi.ComponentResource {
  /** Object id of the tenant's Office 365 Exchange Online service principal (looked up). */
  readonly exchangeServicePrincipalObjectId: pulumi.Output<string>;
  readonly consent: azuread.AppRoleAssignment;
  /** Absent for `role: none`. */
  readonly roleAssignment?: azuread.DirectoryRoleAssignment;
  /** Object id of the tenant's Microsoft Exchange Online Protection principal (looked up), when its consent is given. */
  readonly exchangeOnlineProtectionServicePrincipalObjectId?: pulumi.Output<string>;
  /** `Exchange.ManageAsApp` on Exchange Online Protection (GCC High and DoD with Security & Compliance). */
  readonly protectionConsent?: azuread.AppRoleAssignment;
  /** `Exchange.ManageAsAppV2` on Exchange Online (the Admin API, preview). */
  readonly adminApiConsent?: azuread.AppRoleAssignment;

  constructor(name: string, args: ExchangeAccessGrantArgs, opts?: pulumi.ComponentResourceOptions) {
    super("exchange-app-only:index:ExchangeAccessGrant", name, {}, opts);
    const consent = args.existing?.consent;
    const roleAssignmentId = args.existing?.roleAssignmentId;

    const exchange = azuread.getServicePrincipalOutput({ clientId: EXCHANGE_ONLINE_APP_ID }, { parent: this });
    this.exchangeServicePrincipalObjectId = exchange.objectId;

    this.consent = new azuread.AppRoleAssignment(
      `${name}-consent`,
      {
        appRoleId: exchange.appRoleIds.apply((ids) =>
          resolveAppRoleId(ids, { value: MANAGE_AS_APP_ROLE.value, knownId: MANAGE_AS_APP_ROLE.id, principal: "Office 365 Exchange Online", because: "app-only access" }),
        ),
        principalObjectId: args.principalObjectId,
        resourceObjectId: exchange.objectId,
      },
      { parent: this, ...(consent ? { import: appRoleAssignmentImportId(consent.exchangeServicePrincipalObjectId, consent.assignmentId) } : {}) },
    );

    // GCC High and DoD with Security & Compliance: Microsoft's manifest note (app-only article) lists Exchange Online
    // Protection's Exchange.ManageAsApp (455e5cd2-84e8-4751-8344-5672145dfa17 on 00000007-0000-0ff1-ce00-000000000000)
    // *in place of* Exchange Online's for apps that use Security & Compliance PowerShell only. The stack grants it
    // *beside* Exchange Online's, always granted above, because: one app here may serve both workloads (Exchange
    // Online needs its own); both are the same sign-in permission on two first-party principals, neither of which
    // gives any right by itself (the directory role or Exchange RBAC decides what the app may do), so the two together
    // are harmless; and an S&C-only app keeps working whichever of the two a cloud's S&C endpoint reads (CISA
    // ScubaGear's GCC High setup also grants both).
    if (args.exchangeOnlineProtection) {
      const protection = azuread.getServicePrincipalOutput({ clientId: EXCHANGE_ONLINE_PROTECTION_APP_ID }, { parent: this });
      this.exchangeOnlineProtectionServicePrincipalObjectId = protection.objectId;
      this.protectionConsent = new azuread.AppRoleAssignment(
        `${name}-protection-consent`,
        {
          appRoleId: protection.appRoleIds.apply((ids) =>
            resolveAppRoleId(ids, {
              value: EOP_MANAGE_AS_APP_ROLE.value,
              knownId: EOP_MANAGE_AS_APP_ROLE.id,
              principal: "Microsoft Exchange Online Protection",
              because: "workloads: compliance in this cloud",
            }),
          ),
          principalObjectId: args.principalObjectId,
          resourceObjectId: protection.objectId,
        },
        { parent: this },
      );
    }

    if (args.adminApi) {
      this.adminApiConsent = new azuread.AppRoleAssignment(
        `${name}-admin-api-consent`,
        {
          appRoleId: exchange.appRoleIds.apply((ids) =>
            resolveAppRoleId(ids, { value: MANAGE_AS_APP_V2_ROLE_VALUE, principal: "Office 365 Exchange Online", because: "adminApi: true" }),
          ),
          principalObjectId: args.principalObjectId,
          resourceObjectId: exchange.objectId,
        },
        { parent: this },
      );
    }

    if (args.role) {
      this.roleAssignment = new azuread.DirectoryRoleAssignment(
        `${name}-role`,
        {
          roleId: args.role.templateId,
          principalObjectId: args.principalObjectId,
          directoryScopeId: "/",
        },
        { parent: this, ...(roleAssignmentId ? { import: directoryRoleAssignmentImportId(roleAssignmentId) } : {}) },
      );
    }

    this.registerOutputs({
      exchangeServicePrincipalObjectId: this.exchangeServicePrincipalObjectId,
      roleTemplateId: args.role?.templateId ?? null,
    });
  }
}
