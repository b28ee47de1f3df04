/**
 * Mandatory: a stack must never manage a first-party Microsoft principal. With `useExisting: true` the provider
 * adopts the tenant's existing one, and `pulumi destroy` then deletes it, breaking that service for everyone.
 */
import * as azuread from "@pulumi/azuread";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { firstPartyApp } from "../src/facts";
import { known, knownString } from "./known";

export const noFirstPartyPrincipal: ResourceValidationPolicy = {
  name: "no-first-party-principal",
  description: "A stack must look up first-party Microsoft service principals (Exchange Online, Graph, EOP, SharePoint, ...), never manage them.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(azuread.ServicePrincipal, (principal, args, reportViolation) => {
    // One list with the config's adopt check: src/facts/firstPartyApps.ts, Microsoft's published first-party ids.
    const clientId = knownString(() => principal.clientId)?.trim().toLowerCase();
    const app = clientId === undefined ? undefined : firstPartyApp(clientId);
    if (!app) return;
    const adopted = known(() => principal.useExisting) === true ? " (useExisting: true adopts it)" : "";
    reportViolation(
      `ServicePrincipal "${args.name}" manages ${app}'s own service principal (clientId ${clientId})${adopted}: ` +
        `\`pulumi destroy\` would delete it and break ${app} for the whole tenant. Look it up instead: ` +
        `azuread.getServicePrincipal({ clientId: "${clientId}" }), and use its objectId.`,
    );
  }),
};
