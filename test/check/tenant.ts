/** Wires an emulated tenant the way the stack does: app, service principal, consent, directory role, credential. */
import type { CheckOptions } from "../../src/check/run";
import type { TenantEmulator } from "../emulator";
import { createIdentity } from "../emulator/scenario";

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
  o: { certificate?: boolean; consent?: boolean; role?: string | "none"; consentAfterMs?: number; roleAfterMs?: number; secretAfterMs?: number; tenantId?: string } = {},
): WiredTenant {
  const id = createIdentity(emu, {
    ...(o.tenantId !== undefined ? { tenantId: o.tenantId } : {}),
    displayName: "exo-app-only",
    ...(o.consent !== undefined ? { consent: o.consent } : {}),
    ...(o.role !== undefined ? { roleTemplateId: o.role } : {}),
    ...(o.certificate ? { certificate: true } : {}),
    visibleAfterMs: {
      ...(o.consentAfterMs !== undefined ? { consent: o.consentAfterMs } : {}),
      ...(o.roleAfterMs !== undefined ? { role: o.roleAfterMs } : {}),
      ...(o.secretAfterMs !== undefined ? { secret: o.secretAfterMs } : {}),
    },
  });
  return {
    tenantId: id.tenantId,
    organization: id.tenant.organization,
    clientId: id.clientId,
    appObjectId: id.applicationObjectId,
    spObjectId: id.servicePrincipalObjectId,
    secret: id.clientSecret!,
    certificatePem: id.certificate ? `${id.certificate.keyPem}${id.certificate.certPem}` : "",
  };
}

/** Check options for a wired tenant against the emulator: its login host, its Exchange, its CA. */
export function checkOptions(emu: TenantEmulator, t: WiredTenant, extra: Partial<CheckOptions> = {}): CheckOptions {
  return {
    tenantId: t.tenantId,
    clientId: t.clientId,
    credential: { kind: "secret", secret: t.secret },
    authorityHost: emu.url,
    exchangeEndpoint: emu.url,
    ca: emu.caPem,
    timeoutMs: 10_000,
    ...extra,
  };
}
