/** Wires an emulated tenant the way the stack does: app, service principal, consent, directory role, credential. */
import { EXCHANGE_ROLES, MANAGE_AS_APP_ROLE } from "../../src/facts";
import { createClientCertificate, type TenantEmulator } from "../emulator";

export const EXCHANGE_ADMIN = EXCHANGE_ROLES.find((r) => r.name === "Exchange Administrator")!.templateId;

export interface WiredTenant {
  readonly tenantId: string;
  readonly organization: string;
  readonly clientId: string;
  readonly appObjectId: string;
  readonly spObjectId: string;
  readonly secret: string;
  /** Key + certificate PEM of a certificate registered on the app; empty unless asked for (RSA keys take time). */
  readonly certificatePem: string;
}

export function wireTenant(
  emu: TenantEmulator,
  o: { certificate?: boolean; consent?: boolean; role?: string | "none"; consentAfterMs?: number; roleAfterMs?: number; secretAfterMs?: number } = {},
): WiredTenant {
  const d = emu.directory;
  const tenant = d.addTenant();
  const app = d.addApplication(tenant.tenantId, { displayName: "exo-app-only" });
  const sp = d.addServicePrincipal(tenant.tenantId, app.clientId);
  if (o.consent ?? true) {
    d.addAppRoleAssignment(tenant.tenantId, {
      principalObjectId: sp.objectId,
      resourceObjectId: tenant.exchangeServicePrincipalObjectId!,
      appRoleId: MANAGE_AS_APP_ROLE.id,
      ...(o.consentAfterMs !== undefined ? { visibleAfterMs: o.consentAfterMs } : {}),
    });
  }
  if (o.role !== "none") {
    d.addDirectoryRoleAssignment(tenant.tenantId, {
      principalObjectId: sp.objectId,
      roleTemplateId: o.role ?? EXCHANGE_ADMIN,
      ...(o.roleAfterMs !== undefined ? { visibleAfterMs: o.roleAfterMs } : {}),
    });
  }
  const { secretText } = d.addPassword(tenant.tenantId, app.objectId, o.secretAfterMs !== undefined ? { visibleAfterMs: o.secretAfterMs } : undefined);
  const cert = o.certificate ? createClientCertificate() : undefined;
  if (cert) d.addCertificate(tenant.tenantId, app.objectId, cert.certPem);
  return {
    tenantId: tenant.tenantId,
    organization: tenant.organization,
    clientId: app.clientId,
    appObjectId: app.objectId,
    spObjectId: sp.objectId,
    secret: secretText,
    certificatePem: cert ? `${cert.keyPem}${cert.certPem}` : "",
  };
}
