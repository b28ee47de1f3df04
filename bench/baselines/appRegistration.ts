/**
 * The dev stack (`Pulumi.dev.yaml`: an app registration with a certificate, a client secret, a GitHub federated
 * credential and the in-up check) written by hand: the bench's baseline for the program's own structure.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import * as time from "@pulumiverse/time";
import { ExchangeAccessCheck } from "../../components/exchangeCheck";
import { EXCHANGE_ONLINE_APP_ID, MANAGE_AS_APP_ROLE } from "../../src/facts";

/** The same resources as the dev stack, written flat with constants: no validation, no components. */
export async function handWritten(): Promise<Record<string, unknown>> {
  const provider = new azuread.Provider("exo-tenant", { tenantId: "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7", environment: "public" });
  const opts = { provider };
  const app = new azuread.Application("app", {
    displayName: "exchange-app-only",
    signInAudience: "AzureADMyOrg",
    requiredResourceAccesses: [{ resourceAppId: EXCHANGE_ONLINE_APP_ID, resourceAccesses: [{ id: MANAGE_AS_APP_ROLE.id, type: "Role" }] }],
  }, opts);
  const sp = new azuread.ServicePrincipal("sp", { clientId: app.clientId }, opts);
  const exchange = azuread.getServicePrincipalOutput({ clientId: EXCHANGE_ONLINE_APP_ID }, opts);
  const consent = new azuread.AppRoleAssignment("consent", { appRoleId: MANAGE_AS_APP_ROLE.id, principalObjectId: sp.objectId, resourceObjectId: exchange.objectId }, opts);
  const role = new azuread.DirectoryRoleAssignment("role", { roleId: "29232cdf-9323-42fd-ade2-1d097af3e4de", principalObjectId: sp.objectId, directoryScopeId: "/" }, opts);
  const key = new tls.PrivateKey("key", { algorithm: "RSA", rsaBits: 2048 });
  const cert = new tls.SelfSignedCert("cert", { privateKeyPem: key.privateKeyPem, subject: { commonName: "exchange-app-only" }, validityPeriodHours: 8760, allowedUses: ["digital_signature", "key_encipherment", "client_auth"] });
  const certificate = new azuread.ApplicationCertificate("certificate", { applicationId: app.id, type: "AsymmetricX509Cert", encoding: "pem", value: cert.certPem, startDate: cert.validityStartTime, endDate: cert.validityEndTime }, opts);
  const expiry = new time.Rotating("expiry", { rotationDays: 180 });
  const password = new azuread.ApplicationPassword("secret", { applicationId: app.id, displayName: "secret a", endDate: expiry.rotationRfc3339, rotateWhenChanged: { expiry: expiry.id } }, opts);
  new azuread.ApplicationFederatedIdentityCredential("github", { applicationId: app.id, displayName: "github", issuer: "https://token.actions.githubusercontent.com", subject: "repo:contoso/exchange-runbooks:ref:refs/heads/main", audiences: ["api://AzureADTokenExchange"] }, opts);
  new ExchangeAccessCheck("verify", {
    tenantId: "6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7",
    clientId: app.clientId,
    environment: "public",
    certificatePem: pulumi.all([key.privateKeyPem, cert.certPem]).apply(([k, c]) => `${k}\n${c}`),
    triggers: [consent.id, role.id, certificate.id],
  }, { dependsOn: [consent, role, certificate] });
  return { clientId: app.clientId, clientSecret: pulumi.secret(password.value), certificatePem: cert.certPem };
}
