/**
 * The Exchange RBAC dynamic resources (components/exchangeRbac.ts) under the emulator's mock backend: what their
 * provider would create through InvokeCommand, landed in the emulated Exchange directly (mocks run no provider), with
 * the ids and outputs the provider gives them. So a stack with `role: none` and `exchangeRoles` deploys into the
 * emulator and the check then meets Exchange's RBAC as it would after a real `pulumi up`.
 */
import { TYPE } from "../../src/facts/typeTokens";
import type { MockedResource } from "../../src/mocks/backend";
import { assignmentName } from "../../src/exchangeRbac/provider";
import { roleAssignmentId, roleGroupMemberId, servicePrincipalId } from "../../src/exchangeRbac/ids";
import type { TenantEmulator } from "./index";

const EXCHANGE_RBAC_TYPES: readonly string[] = [TYPE.exchangeServicePrincipal, TYPE.exchangeRoleAssignment, TYPE.exchangeRoleGroupMember];

const text = (inputs: Record<string, unknown>, key: string): string | undefined => (typeof inputs[key] === "string" && inputs[key] !== "" ? (inputs[key] as string) : undefined);

/** Lands one Exchange RBAC resource in the emulated Exchange; undefined for any other type. */
export function landExchangeRbac(emu: TenantEmulator, type: string, inputs: Record<string, unknown>): MockedResource | undefined {
  if (!EXCHANGE_RBAC_TYPES.includes(type)) return undefined;
  const tenantId = text(inputs, "tenantId");
  const appId = text(inputs, "appId");
  if (!tenantId || !appId) throw new Error(`emulatorBackend: ${type} without tenantId or appId`);
  const state = { ...inputs };
  switch (type) {
    case TYPE.exchangeServicePrincipal: {
      const sp = emu.exchangeRbac.addServicePrincipal(tenantId, { appId, objectId: text(inputs, "objectId") ?? "", ...(text(inputs, "displayName") ? { displayName: text(inputs, "displayName")! } : {}) });
      return { id: servicePrincipalId(tenantId, appId), state: { ...state, identity: sp.objectId } };
    }
    case TYPE.exchangeRoleAssignment: {
      const scope = { customResourceScope: text(inputs, "customResourceScope"), recipientAdministrativeUnitScope: text(inputs, "recipientAdministrativeUnitScope") };
      const name = assignmentName({ appId, role: text(inputs, "role") ?? "", ...(scope.customResourceScope ? { customResourceScope: scope.customResourceScope } : {}), ...(scope.recipientAdministrativeUnitScope ? { recipientAdministrativeUnitScope: scope.recipientAdministrativeUnitScope } : {}) });
      const made = emu.exchangeRbac.addRoleAssignment(tenantId, {
        app: appId,
        role: text(inputs, "role") ?? "",
        name,
        ...(scope.customResourceScope ? { customResourceScope: scope.customResourceScope } : {}),
        ...(scope.recipientAdministrativeUnitScope ? { recipientAdministrativeUnitScope: scope.recipientAdministrativeUnitScope } : {}),
      });
      return { id: roleAssignmentId(tenantId, made.name), state: { ...state, identity: made.name, servicePrincipalObjectId: made.app } };
    }
    default: {
      const roleGroup = text(inputs, "roleGroup") ?? "";
      emu.exchangeRbac.addRoleGroupMember(tenantId, roleGroup, appId);
      return { id: roleGroupMemberId(tenantId, appId, roleGroup), state };
    }
  }
}
