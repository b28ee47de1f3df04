/**
 * Helpers for tests: wire a complete (or deliberately incomplete) Exchange app-only identity in the emulator, and
 * talk to its endpoints with raw HTTPS (no msal), for tests that assert exact requests and answers.
 */
import https from "node:https";
import { EXCHANGE_ROLES, MANAGE_AS_APP_ROLE } from "../../src/facts";
import type { Tenant } from "./directory";
import type { TenantEmulator } from "./index";
import { createClientCertificate, type ClientCertificate } from "./pki";

export interface IdentityOptions {
  /** An existing tenant; default: a new one (with Exchange). */
  readonly tenantId?: string;
  /** Grant Exchange.ManageAsApp (admin consent). Default true. */
  readonly consent?: boolean;
  /** Directory role template id, or "none". Default Exchange Administrator. */
  readonly roleTemplateId?: string | "none";
  /** Add a client secret (default true) / a certificate (default false). */
  readonly secret?: boolean;
  readonly certificate?: boolean;
  /** Propagation delays (ms) per piece. */
  readonly visibleAfterMs?: Partial<Record<"application" | "servicePrincipal" | "consent" | "role" | "secret" | "certificate", number>>;
  readonly displayName?: string;
}

export interface Identity {
  readonly tenant: Tenant;
  readonly tenantId: string;
  readonly clientId: string;
  readonly applicationObjectId: string;
  readonly servicePrincipalObjectId: string;
  readonly clientSecret?: string;
  readonly secretKeyId?: string;
  readonly certificate?: ClientCertificate;
  readonly consentAssignmentId?: string;
  readonly roleAssignmentId?: string;
}

export const EXCHANGE_ADMINISTRATOR = EXCHANGE_ROLES.find((r) => r.name === "Exchange Administrator")!.templateId;
export const GLOBAL_ADMINISTRATOR = EXCHANGE_ROLES.find((r) => r.name === "Global Administrator")!.templateId;
/** A real built-in role Exchange does not accept for app-only access. */
export const USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1";

export function createIdentity(emu: TenantEmulator, o: IdentityOptions = {}): Identity {
  const d = emu.directory;
  const tenant = o.tenantId ? d.getTenant(o.tenantId)! : d.addTenant();
  const tid = tenant.tenantId;
  const v = (k: keyof NonNullable<IdentityOptions["visibleAfterMs"]>) => {
    const ms = o.visibleAfterMs?.[k];
    return ms !== undefined ? { visibleAfterMs: ms } : {};
  };
  const app = d.addApplication(tid, { displayName: o.displayName ?? "exchange-app-only", ...v("application") });
  const sp = d.addServicePrincipal(tid, app.clientId, v("servicePrincipal"));
  let consentAssignmentId: string | undefined;
  if ((o.consent ?? true) && tenant.exchangeServicePrincipalObjectId) {
    consentAssignmentId = d.addAppRoleAssignment(tid, {
      principalObjectId: sp.objectId,
      resourceObjectId: tenant.exchangeServicePrincipalObjectId,
      appRoleId: MANAGE_AS_APP_ROLE.id,
      ...v("consent"),
    }).id;
  }
  let roleAssignmentId: string | undefined;
  const role = o.roleTemplateId ?? EXCHANGE_ADMINISTRATOR;
  if (role !== "none") roleAssignmentId = d.addDirectoryRoleAssignment(tid, { principalObjectId: sp.objectId, roleTemplateId: role, ...v("role") }).id;
  const password = (o.secret ?? true) ? d.addPassword(tid, app.objectId, v("secret")) : undefined;
  let certificate: ClientCertificate | undefined;
  if (o.certificate) {
    certificate = createClientCertificate();
    d.addCertificate(tid, app.objectId, certificate.certPem, v("certificate"));
  }
  return {
    tenant,
    tenantId: tid,
    clientId: app.clientId,
    applicationObjectId: app.objectId,
    servicePrincipalObjectId: sp.objectId,
    ...(password ? { clientSecret: password.secretText, secretKeyId: password.keyId } : {}),
    ...(certificate ? { certificate } : {}),
    ...(consentAssignmentId ? { consentAssignmentId } : {}),
    ...(roleAssignmentId ? { roleAssignmentId } : {}),
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  json<T = unknown>(): T;
}

/** One HTTPS request to the emulator, trusting its CA. Rejects on a reset socket. */
export function request(emu: TenantEmulator, method: "GET" | "POST", path: string, o?: { headers?: Record<string, string>; body?: string }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${emu.url}${path}`,
      { method, ca: emu.caPem, agent: false, headers: { ...(o?.headers ?? {}), ...(o?.body !== undefined ? { "content-length": String(Buffer.byteLength(o.body)) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body.toString("utf8")) as T });
        });
      },
    );
    req.on("error", reject);
    if (o?.body !== undefined) req.write(o.body);
    req.end();
  });
}

/** A client-credentials token request with form fields as given. */
export function tokenRequest(emu: TenantEmulator, tenant: string, form: Record<string, string>): Promise<RawResponse> {
  return request(emu, "POST", `/${tenant}/oauth2/v2.0/token`, {
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
}

/** A client-secret token for `scope` (default Exchange), or the error response. */
export function secretToken(emu: TenantEmulator, id: Pick<Identity, "tenantId" | "clientId" | "clientSecret">, scope = "https://outlook.office365.com/.default"): Promise<RawResponse> {
  return tokenRequest(emu, id.tenantId, { grant_type: "client_credentials", client_id: id.clientId, client_secret: id.clientSecret ?? "", scope });
}

/** `InvokeCommand` for a cmdlet (default Get-AcceptedDomain). */
export function invoke(emu: TenantEmulator, tenant: string, accessToken: string | undefined, cmdlet = "Get-AcceptedDomain"): Promise<RawResponse> {
  return request(emu, "POST", `/adminapi/beta/${tenant}/InvokeCommand`, {
    headers: { "content-type": "application/json", ...(accessToken !== undefined ? { authorization: `Bearer ${accessToken}` } : {}) },
    body: JSON.stringify({ CmdletInput: { CmdletName: cmdlet, Parameters: {} } }),
  });
}
