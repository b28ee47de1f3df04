/** The pack's policies, mandatory first. A function, so the CLI and the tests can give their own stack and clock. */
import type { Policies } from "@pulumi/policy";
import { clientSecretLifetime } from "./clientSecretLifetime";
import { defaultContext, type PackContext } from "./context";
import { exchangePermissionGranted } from "./exchangePermissionGranted";
import { exchangeRoleAccepted } from "./exchangeRoleAccepted";
import { exchangeRolesWouldDo } from "./exchangeRolesWouldDo";
import { noFirstPartyPrincipal } from "./noFirstPartyPrincipal";
import { noGlobalAdministrator } from "./noGlobalAdministrator";
import { noClientSecretInProduction } from "./productionSecret";
import { verifyOnUp } from "./verifyOnUp";

export const PACK_NAME = "exchange-app-only";

export function exchangeAppOnlyPolicies(context: PackContext = defaultContext()): Policies {
  return [
    exchangeRoleAccepted,
    noGlobalAdministrator,
    noFirstPartyPrincipal,
    exchangePermissionGranted,
    clientSecretLifetime(context),
    noClientSecretInProduction(context),
    verifyOnUp,
    exchangeRolesWouldDo,
  ];
}
