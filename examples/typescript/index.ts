import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { ExchangeAppOnly } from "exchange-app-only";

// What your program already declares: here, the tenant it signs in to and a security group.
const client = azuread.getClientConfigOutput();
const env = pulumi.getStack();
const admins = new azuread.Group("automation-admins", { displayName: `automation-admins-${env}`, securityEnabled: true });

// Exchange Online app-only access for the same tenant: the app, consent, role and a generated certificate.
const exo = new ExchangeAppOnly("exo", {
  tenantId: client.tenantId,
  organization: "contoso.onmicrosoft.com",
  role: "Exchange Recipient Administrator",
  displayName: pulumi.interpolate`exchange-automation-${env}`,
  owners: [client.objectId],
});

export const adminsGroupId = admins.objectId;
export const clientId = exo.clientId;
export const connectExchangeOnline = exo.connectExchangeOnline;
export const certificatePfxBase64 = exo.certificatePfxBase64; // a secret
