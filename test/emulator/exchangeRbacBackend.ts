/**
 * The Exchange RBAC custom resources (components/exchangeRbac.ts, served by the plugin) under the emulator's mock backend: what their
 * provider would run through InvokeCommand, run against the emulated Exchange directly (mocks run no provider), with
 * the ids and outputs the provider gives them. So a stack with `role: none` and `exchangeRoles` deploys into the
 * emulator and the check then meets Exchange's RBAC as it would after a real `pulumi up`.
 */
import { TYPE } from "../../src/facts/typeTokens";
import type { MockedResource } from "../../src/mocks/backend";
import { assignmentName } from "../../src/exchangeRbac/provider";
import { roleAssignmentId, roleGroupId, roleGroupMemberId, servicePrincipalId } from "../../src/exchangeRbac/ids";
import type { TenantEmulator } from "./index";

const EXCHANGE_RBAC_TYPES: readonly string[] = [TYPE.exchangeServicePrincipal, TYPE.exchangeRoleGroup, TYPE.exchangeRoleGroupMember, TYPE.exchangeRoleAssignment];

const text = (inputs: Record<string, unknown>, key: string): string | undefined => (typeof inputs[key] === "string" && inputs[key] !== "" ? (inputs[key] as string) : undefined);

/** Runs one cmdlet in the emulated Exchange; its error fails the mocked deployment, as the provider's would. */
function run(emu: TenantEmulator, tenantId: string, cmdlet: string, parameters: Record<string, unknown>): Record<string, unknown>[] {
  const outcome = emu.exchangeRbac.run(tenantId, cmdlet, parameters);
  if (!outcome.ok) throw new Error(`emulatorBackend: ${cmdlet} failed: ${outcome.message}`);
  return [...outcome.value];
}

/** Lands one Exchange RBAC resource in the emulated Exchange; undefined for any other type. */
export function landExchangeRbac(emu: TenantEmulator, type: string, inputs: Record<string, unknown>): MockedResource | undefined {
  if (!EXCHANGE_RBAC_TYPES.includes(type)) return undefined;
  const tenantId = text(inputs, "tenantId");
  if (!tenantId) throw new Error(`emulatorBackend: ${type} without tenantId`);
  const state = { ...inputs };
  if (type === TYPE.exchangeRoleGroup) {
    // As roleGroup.ts does it: New-RoleGroup with the roles, or (an administrative unit) empty, then each role assigned.
    const name = text(inputs, "name") ?? "";
    const roles = Array.isArray(inputs.roles) ? inputs.roles.map(String) : [];
    const unit = text(inputs, "recipientAdministrativeUnitScope");
    const scope = text(inputs, "customRecipientWriteScope");
    run(emu, tenantId, "New-RoleGroup", { Name: name, Description: text(inputs, "description") ?? "", ...(unit ? {} : { Roles: roles }), ...(scope ? { CustomRecipientWriteScope: scope } : {}) });
    for (const role of unit ? roles : []) run(emu, tenantId, "New-ManagementRoleAssignment", { SecurityGroup: name, Role: role, RecipientAdministrativeUnitScope: unit });
    return { id: roleGroupId(tenantId, name), state: { ...state, identity: name } };
  }
  const appId = text(inputs, "appId");
  if (!appId) throw new Error(`emulatorBackend: ${type} without appId`);
  switch (type) {
    case TYPE.exchangeServicePrincipal: {
      const [sp] = run(emu, tenantId, "New-ServicePrincipal", { AppId: appId, ObjectId: text(inputs, "objectId") ?? "", ...(text(inputs, "displayName") ? { DisplayName: text(inputs, "displayName") } : {}) });
      return { id: servicePrincipalId(tenantId, appId), state: { ...state, identity: String(sp!.Identity) } };
    }
    case TYPE.exchangeRoleGroupMember: {
      const roleGroup = text(inputs, "roleGroup") ?? "";
      run(emu, tenantId, "Add-RoleGroupMember", { Identity: roleGroup, Member: text(inputs, "servicePrincipalObjectId") ?? "" });
      return { id: roleGroupMemberId(tenantId, appId, roleGroup), state };
    }
    default: {
      const scope = { customResourceScope: text(inputs, "customResourceScope"), recipientAdministrativeUnitScope: text(inputs, "recipientAdministrativeUnitScope") };
      const role = text(inputs, "role") ?? "";
      const name = assignmentName({ appId, role, ...(scope.customResourceScope ? { customResourceScope: scope.customResourceScope } : {}), ...(scope.recipientAdministrativeUnitScope ? { recipientAdministrativeUnitScope: scope.recipientAdministrativeUnitScope } : {}) });
      const [made] = run(emu, tenantId, "New-ManagementRoleAssignment", {
        App: text(inputs, "servicePrincipalObjectId") ?? "",
        Role: role,
        Name: name,
        ...(scope.customResourceScope ? { CustomResourceScope: scope.customResourceScope } : {}),
        ...(scope.recipientAdministrativeUnitScope ? { RecipientAdministrativeUnitScope: scope.recipientAdministrativeUnitScope } : {}),
      });
      return { id: roleAssignmentId(tenantId, String(made!.Name)), state: { ...state, identity: String(made!.Name), servicePrincipalObjectId: String(made!.RoleAssignee) } };
    }
  }
}
