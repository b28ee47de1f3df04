/**
 * A MockBackend that lands the program's azuread resources in emulated tenants, so the real program (run under
 * `pulumi.runtime.setMocks`) produces identities the check can then exercise through the emulator's endpoints.
 * Each resource and `getServicePrincipal` call goes to the tenant of its explicit azuread provider (the provider's
 * `tenantId`, read when the provider registers); one without an explicit provider goes to the default tenant.
 * Anything that is not an azuread resource or call it knows is left to the offline backend (returns undefined).
 * Use one backend per program run: every registration creates a new directory object, as a fresh `pulumi up` would.
 */
import { randomUUID, X509Certificate } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { MockBackend, MockedResource } from "../../src/mocks/backend";
import type { SignInAudience } from "./directory";
import type { TenantEmulator } from "./index";
import { FUNCTION, TYPE } from "../../src/facts/typeTokens";
import { CLOUDS } from "../../src/facts";
import { landExchangeRbac } from "./exchangeRbacBackend";
import { unwrapSecrets as unwrap } from "../support/secrets";

/** Directory objects the backend creates, for per-kind propagation delays and for deliberately dropping some. */
export type RecordedKind =
  | "application"
  | "servicePrincipal"
  | "appRoleAssignment"
  | "directoryRoleAssignment"
  | "password"
  | "certificate"
  | "federatedCredential";

export interface TenantBackendOptions {
  /** Propagation delay per kind of object (ms after registration before the token/invoke endpoints see it). */
  readonly visibleAfterMs?: Partial<Record<RecordedKind, number>>;
  /**
   * Kinds the backend answers as created but does NOT record in the directory: the program believes it exists,
   * Entra does not (a failed or reverted change). Lets a demo or test break one link of the chain on purpose.
   */
  readonly drop?: readonly RecordedKind[];
}

export interface EmulatorBackendOptions extends TenantBackendOptions {
  /**
   * Settings for one tenant only, by tenant id: its `visibleAfterMs` win per kind over the ones above, its `drop`
   * adds to the ones above. Breaks one tenant of a many-tenant stack and leaves the others whole.
   */
  readonly tenants?: Readonly<Record<string, TenantBackendOptions>>;
  /** Clock for generated dates (ms). Default Date.now. */
  readonly now?: () => number;
}

const T = { ...TYPE, ...FUNCTION } as const;

/** The provider's default lifetime for a generated password (two years). */
const DEFAULT_PASSWORD_LIFETIME_MS = 2 * 365 * 24 * 60 * 60 * 1000;


function str(inputs: Record<string, unknown>, key: string, type: string): string {
  const v = inputs[key];
  if (typeof v !== "string" || v === "") throw new Error(`emulatorBackend: ${type} needs a string '${key}' input, got ${v === undefined ? "nothing" : typeof v}`);
  return v;
}

/** `/applications/{objectId}` (v6) or a bare object id (tolerated) → object id. */
function applicationObjectId(applicationId: string): string {
  return applicationId.replace(/^\/applications\//, "");
}

/** `endDateRelative` such as `4320h` or `8760h30m` → ms. */
function parseRelative(v: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(v);
  if (!m || v === "") throw new Error(`emulatorBackend: endDateRelative '${v}' is not a duration like 4320h`);
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
}

function certificateToPem(value: string, encoding: string): string {
  let pem: string;
  if (encoding === "pem") pem = value;
  else {
    const der = encoding === "hex" ? Buffer.from(value, "hex") : Buffer.from(value, "base64");
    pem = `-----BEGIN CERTIFICATE-----\n${der.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END CERTIFICATE-----\n`;
  }
  return new X509Certificate(pem).toString();
}

/** The id part of a `urn::id` provider reference. */
function providerId(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  const at = ref.lastIndexOf("::");
  return at < 0 ? undefined : ref.slice(at + 2);
}

/** What an azuread provider registered with: the tenant and cloud it signs in to (absent for the default provider). */
interface ProviderTarget {
  readonly name: string;
  readonly tenantId?: string;
  readonly environment?: string;
}

/**
 * `tenantId`: the default tenant, for resources without an explicit azuread provider (or whose provider names no
 * tenant). Pass undefined when every resource comes with its tenant's provider (a many-tenant stack).
 */
export function emulatorBackend(emulator: TenantEmulator, tenantId: string | undefined, options?: EmulatorBackendOptions): MockBackend {
  const d = emulator.directory;
  const now = options?.now ?? Date.now;
  if (tenantId !== undefined && !d.getTenant(tenantId)) throw new Error(`emulatorBackend: the emulator has no tenant ${tenantId}`);
  for (const t of Object.keys(options?.tenants ?? {})) {
    if (!d.getTenant(t)) throw new Error(`emulatorBackend: options.tenants names ${t}, which the emulator does not have`);
  }
  const perTenant = (tid: string): TenantBackendOptions | undefined =>
    Object.entries(options?.tenants ?? {}).find(([t]) => d.getTenant(t)!.tenantId === tid)?.[1];
  /** Providers by the id this backend gave them: a resource's provider reference ends with it. */
  const providers = new Map<string, ProviderTarget>();
  const vis = (k: RecordedKind, tid: string) => {
    const ms = perTenant(tid)?.visibleAfterMs?.[k] ?? options?.visibleAfterMs?.[k];
    return ms !== undefined ? { visibleAfterMs: ms } : {};
  };
  const dropped = (k: RecordedKind, tid: string) => (options?.drop?.includes(k) ?? false) || (perTenant(tid)?.drop?.includes(k) ?? false);
  /**
   * The tenant a resource or call goes to: its explicit azuread provider's tenant, else the default tenant. A
   * provider naming a tenant the emulator lacks (or in another cloud) fails the resource, as the provider could not
   * sign in there: nothing lands silently in a tenant it was not meant for.
   */
  const tenantOf = (provider: string | undefined, what: string): string => {
    const id = providerId(provider);
    const target = id ? providers.get(id) : undefined;
    if (target?.tenantId) {
      const t = d.getTenant(target.tenantId);
      if (!t) {
        throw new Error(`emulatorBackend: ${what} uses provider ${target.name}, which signs in to tenant ${target.tenantId}: the emulator has no such tenant (add it with directory.addTenant)`);
      }
      if (target.environment && target.environment !== CLOUDS[t.cloud].azureadEnvironment) {
        throw new Error(`emulatorBackend: ${what} uses provider ${target.name} (environment ${target.environment}), but emulated tenant ${t.tenantId} is in the ${t.cloud} cloud`);
      }
      return t.tenantId;
    }
    if (tenantId !== undefined) return d.getTenant(tenantId)!.tenantId;
    throw new Error(`emulatorBackend: ${what} has no explicit azuread provider naming a tenant, and the backend has no default tenant`);
  };
  let counter = 0;
  const fakeId = (prefix: string) => `${prefix}-dropped-${++counter}`;

  const newResource = (args: pulumi.runtime.MockResourceArgs): MockedResource | undefined => {
    const inputs = unwrap(args.inputs ?? {}) as Record<string, unknown>;
    if (args.type === T.provider) {
      // Its own id, so each resource's provider reference (`urn::id`) names exactly this registration.
      const id = `emulator-provider-${providers.size + 1}-${randomUUID()}`;
      providers.set(id, {
        name: args.name,
        ...(typeof inputs.tenantId === "string" && inputs.tenantId ? { tenantId: inputs.tenantId } : {}),
        ...(typeof inputs.environment === "string" && inputs.environment ? { environment: inputs.environment } : {}),
      });
      return { id, state: { ...(args.inputs as Record<string, unknown>) } };
    }
    // The Exchange RBAC custom resources land in the emulated Exchange, as their provider would put them there.
    const rbac = landExchangeRbac(emulator, args.type, inputs);
    if (rbac) return rbac;
    if (!(Object.values(T) as string[]).includes(args.type) || !args.type.startsWith("azuread:")) return undefined;
    const tid = tenantOf(args.provider, `${args.type.split(":").pop()} ${args.name}`);
    const tenant = d.getTenant(tid)!;
    switch (args.type) {
      case T.application: {
        const displayName = str(inputs, "displayName", args.type);
        const rra = Array.isArray(inputs.requiredResourceAccesses) ? (inputs.requiredResourceAccesses as { resourceAppId: string; resourceAccesses?: { id: string; type: string }[] }[]) : [];
        const requiredResourceAccess = rra.map((r) => ({ resourceAppId: r.resourceAppId, resourceAccess: (r.resourceAccesses ?? []).map((a) => ({ id: a.id, type: a.type })) }));
        const signInAudience = typeof inputs.signInAudience === "string" ? (inputs.signInAudience as SignInAudience) : undefined;
        const app = dropped("application", tid)
          ? { objectId: fakeId("app"), clientId: fakeId("client") }
          : d.addApplication(tid, { displayName, requiredResourceAccess, ...(signInAudience ? { signInAudience } : {}), ...vis("application", tid) });
        return {
          id: `/applications/${app.objectId}`,
          state: {
            ...inputs,
            clientId: app.clientId,
            objectId: app.objectId,
            publisherDomain: tenant.organization,
            signInAudience: inputs.signInAudience ?? "AzureADMyOrg",
            disabledByMicrosoft: "",
            passwords: [],
          },
        };
      }
      case T.servicePrincipal: {
        const clientId = str(inputs, "clientId", args.type);
        const existing = d.getServicePrincipalByClientId(tid, clientId);
        let objectId: string;
        if (existing && inputs.useExisting === true) objectId = existing.objectId;
        else if (dropped("servicePrincipal", tid)) objectId = fakeId("sp");
        else objectId = d.addServicePrincipal(tid, clientId, vis("servicePrincipal", tid)).objectId;
        const sp = d.getServicePrincipal(tid, objectId);
        return {
          id: `/servicePrincipals/${objectId}`,
          state: {
            ...inputs,
            objectId,
            // A multi-tenant app's principal in a customer tenant names the app's home tenant.
            applicationTenantId: sp?.appOwnerTenantId ?? tenant.tenantId,
            displayName: sp?.displayName ?? "",
            appRoles: sp?.appRoles.map((r) => ({ ...r })) ?? [],
            appRoleIds: Object.fromEntries((sp?.appRoles ?? []).map((r) => [r.value, r.id])),
            servicePrincipalNames: sp ? [...sp.servicePrincipalNames] : [],
            type: "Application",
          },
        };
      }
      case T.appRoleAssignment: {
        const principalObjectId = str(inputs, "principalObjectId", args.type);
        const resourceObjectId = str(inputs, "resourceObjectId", args.type);
        const appRoleId = str(inputs, "appRoleId", args.type);
        const id = dropped("appRoleAssignment", tid) ? fakeId("ara") : d.addAppRoleAssignment(tid, { principalObjectId, resourceObjectId, appRoleId, ...vis("appRoleAssignment", tid) }).id;
        return {
          id: `/servicePrincipals/${resourceObjectId}/appRoleAssignedTo/${id}`,
          state: {
            ...inputs,
            principalType: "ServicePrincipal",
            principalDisplayName: d.getServicePrincipal(tid, principalObjectId)?.displayName ?? "",
            resourceDisplayName: d.getServicePrincipal(tid, resourceObjectId)?.displayName ?? "",
          },
        };
      }
      case T.directoryRoleAssignment: {
        const principalObjectId = str(inputs, "principalObjectId", args.type);
        const roleId = str(inputs, "roleId", args.type);
        const directoryScopeId = typeof inputs.directoryScopeId === "string" ? inputs.directoryScopeId : "/";
        const id = dropped("directoryRoleAssignment", tid)
          ? fakeId("dra")
          : d.addDirectoryRoleAssignment(tid, { principalObjectId, roleTemplateId: roleId, directoryScopeId, ...vis("directoryRoleAssignment", tid) }).id;
        return { id, state: { ...inputs, directoryScopeId } };
      }
      case T.password: {
        const applicationId = str(inputs, "applicationId", args.type);
        const objectId = applicationObjectId(applicationId);
        const startDate = typeof inputs.startDate === "string" ? inputs.startDate : new Date(now()).toISOString();
        const endDate =
          typeof inputs.endDate === "string"
            ? inputs.endDate
            : typeof inputs.endDateRelative === "string"
              ? new Date(Date.parse(startDate) + parseRelative(inputs.endDateRelative)).toISOString()
              : new Date(Date.parse(startDate) + DEFAULT_PASSWORD_LIFETIME_MS).toISOString();
        const displayName = typeof inputs.displayName === "string" ? inputs.displayName : undefined;
        const p = dropped("password", tid)
          ? { keyId: fakeId("key"), secretText: `dropped-secret-${counter}` }
          : d.addPassword(tid, objectId, { endDate, ...(displayName ? { displayName } : {}), ...vis("password", tid) });
        return {
          id: `${objectId}/password/${p.keyId}`,
          state: { ...inputs, applicationId, keyId: p.keyId, value: p.secretText, startDate, endDate, displayName: displayName ?? "" },
        };
      }
      case T.certificate: {
        const applicationId = str(inputs, "applicationId", args.type);
        const objectId = applicationObjectId(applicationId);
        const encoding = typeof inputs.encoding === "string" ? inputs.encoding : "pem";
        const pem = certificateToPem(str(inputs, "value", args.type), encoding);
        const endDate = typeof inputs.endDate === "string" ? inputs.endDate : new Date(new X509Certificate(pem).validTo).toISOString();
        const keyIdInput = typeof inputs.keyId === "string" ? inputs.keyId : undefined;
        const c = dropped("certificate", tid)
          ? { keyId: keyIdInput ?? fakeId("key") }
          : d.addCertificate(tid, objectId, pem, { endDate, ...(keyIdInput ? { keyId: keyIdInput } : {}), ...vis("certificate", tid) });
        return {
          id: `${objectId}/certificate/${c.keyId}`,
          state: { ...inputs, applicationId, keyId: c.keyId, encoding, type: inputs.type ?? "AsymmetricX509Cert", endDate, startDate: new Date(new X509Certificate(pem).validFrom).toISOString() },
        };
      }
      case T.federatedCredential: {
        const applicationId = str(inputs, "applicationId", args.type);
        const objectId = applicationObjectId(applicationId);
        const name = str(inputs, "displayName", args.type);
        const issuer = str(inputs, "issuer", args.type);
        const subject = str(inputs, "subject", args.type);
        const audiences = Array.isArray(inputs.audiences) ? inputs.audiences.map(String) : [];
        const f = dropped("federatedCredential", tid) ? { id: fakeId("fic") } : d.addFederatedCredential(tid, objectId, { name, issuer, subject, audiences, ...vis("federatedCredential", tid) });
        return { id: `${objectId}/federatedIdentityCredential/${f.id}`, state: { ...inputs, applicationId, credentialId: f.id, audiences } };
      }
      default:
        return undefined;
    }
  };

  const call = (args: pulumi.runtime.MockCallArgs): Record<string, unknown> | undefined => {
    const inputs = unwrap(args.inputs ?? {}) as Record<string, unknown>;
    if (args.token !== T.getServicePrincipal && args.token !== T.getClientConfig) return undefined;
    const tid = tenantOf(args.provider, args.token.split(":").pop()!);
    switch (args.token) {
      case T.getServicePrincipal: {
        const tenant = d.getTenant(tid)!;
        const sps = d.listServicePrincipals(tid);
        const sp = sps.find(
          (s) =>
            (typeof inputs.clientId === "string" && s.clientId === inputs.clientId) ||
            (typeof inputs.objectId === "string" && s.objectId === inputs.objectId) ||
            (typeof inputs.displayName === "string" && s.displayName === inputs.displayName),
        );
        if (!sp) {
          // The provider fails the program the same way when the principal does not exist in the tenant.
          throw new Error(`No service principal found matching ${JSON.stringify(inputs)} in tenant ${tenant.tenantId}`);
        }
        return {
          id: `/servicePrincipals/${sp.objectId}`,
          objectId: sp.objectId,
          clientId: sp.clientId,
          displayName: sp.displayName,
          applicationTenantId: sp.firstParty ? "f8cdef31-a31e-4b4a-93e4-5f571e91255a" : (sp.appOwnerTenantId ?? tenant.tenantId),
          appRoles: sp.appRoles.map((r) => ({ ...r, allowedMemberTypes: [...r.allowedMemberTypes], description: r.displayName })),
          appRoleIds: Object.fromEntries(sp.appRoles.map((r) => [r.value, r.id])),
          servicePrincipalNames: [...sp.servicePrincipalNames],
          accountEnabled: true,
          type: "Application",
        };
      }
      case T.getClientConfig: {
        return { clientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", objectId: "00000000-0000-0000-0000-00000000c11e", tenantId: d.getTenant(tid)!.tenantId, id: d.getTenant(tid)!.tenantId };
      }
      default:
        return undefined;
    }
  };

  return { newResource, call };
}
