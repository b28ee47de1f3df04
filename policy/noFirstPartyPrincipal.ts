/**
 * Mandatory: a stack must never manage a first-party Microsoft principal. With `useExisting: true` the provider
 * adopts the tenant's existing one, and `pulumi destroy` then deletes it, breaking that service for everyone.
 */
import * as azuread from "@pulumi/azuread";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { EXCHANGE_ONLINE_APP_ID, EXCHANGE_ONLINE_PROTECTION_APP_ID, MICROSOFT_GRAPH_APP_ID } from "../src/facts";
import { known, knownString } from "./known";

/** The first-party applications this project touches, by appId. */
export const FIRST_PARTY_APPS: Readonly<Record<string, string>> = {
  [EXCHANGE_ONLINE_APP_ID]: "Office 365 Exchange Online",
  [MICROSOFT_GRAPH_APP_ID]: "Microsoft Graph",
  [EXCHANGE_ONLINE_PROTECTION_APP_ID]: "Microsoft Exchange Online Protection",
};

export const noFirstPartyPrincipal: ResourceValidationPolicy = {
  name: "no-first-party-principal",
  description: "A stack must look up first-party Microsoft service principals (Exchange Online, Graph, EOP), never manage them.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(azuread.ServicePrincipal, (principal, args, reportViolation) => {
    const clientId = knownString(() => principal.clientId)?.trim().toLowerCase();
    const app = clientId === undefined ? undefined : FIRST_PARTY_APPS[clientId];
    if (!app) return;
    const adopted = known(() => principal.useExisting) === true ? " (useExisting: true adopts it)" : "";
    reportViolation(
      `ServicePrincipal "${args.name}" manages ${app}'s own service principal (clientId ${clientId})${adopted}: ` +
        `\`pulumi destroy\` would delete it and break ${app} for the whole tenant. Look it up instead: ` +
        `azuread.getServicePrincipal({ clientId: "${clientId}" }), and use its objectId.`,
    );
  }),
};
