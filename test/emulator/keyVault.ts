/**
 * An emulated Azure Key Vault data plane, secrets only: `GET /keyvault/{vault}/secrets/{name}[/{version}]?api-version=7.4`
 * (the `/keyvault/{vault}` prefix stands for the vault's own host, `https://{vault}.vault.azure.net`). As Key Vault
 * does: a request without a bearer token gets a 401 challenge naming the tenant's authority and the vault resource
 * (the SDK's challenge-based authentication needs it); a token must be the emulator's, for the tenant cloud's vault
 * resource and the vault's tenant; the caller (`oid`) needs "Key Vault Secrets User" on the vault (RBAC), else 403
 * ForbiddenByRbac; an unknown secret is 404 SecretNotFound. Error bodies are Key Vault's `{error: {code, message}}`.
 */
import { randomBytes } from "node:crypto";
import { errors as joseErrors, type JWTPayload } from "jose";
import { CLOUDS } from "../../src/facts";
import type { Directory } from "./directory";
import type { Answer } from "./entra";
import { verifyJwt, type SigningKey } from "./tokens";

export const SECRETS_USER_ROLE = "Key Vault Secrets User";
const TOLERANCE_SECONDS = 300;

export interface VaultRecord {
  readonly name: string;
  readonly tenantId: string;
  /** Object ids holding "Key Vault Secrets User" on this vault. */
  readonly readers: Set<string>;
  readonly secrets: Map<string, { value: string; contentType?: string; version: string; enabled: boolean; created: number }>;
}

export interface KeyVaultContext {
  readonly url: string;
  readonly directory: Directory;
  readonly tokenKey: SigningKey;
  nowSeconds(): number;
}

/** The vaults of an emulator (`emu.keyVaults`). */
export class KeyVaults {
  private readonly vaults = new Map<string, VaultRecord>();

  constructor(private readonly ctx: KeyVaultContext) {}

  /** A vault in a tenant (its Azure cloud is the tenant's); adds the tenant's Key Vault principal. Names are global, as in Azure. */
  addVault(tenantId: string, p: { name: string }): { name: string; url: string; resource: string } {
    const key = p.name.toLowerCase();
    if (this.vaults.has(key)) throw new Error(`vault ${p.name} already exists`);
    const tenant = this.ctx.directory.getTenant(tenantId);
    if (!tenant) throw new Error(`unknown tenant ${tenantId}`);
    this.ctx.directory.ensureKeyVaultServicePrincipal(tenant.tenantId);
    this.vaults.set(key, { name: p.name, tenantId: tenant.tenantId, readers: new Set(), secrets: new Map() });
    return { name: p.name, url: this.url(p.name), resource: `https://${CLOUDS[tenant.cloud].keyVaultDnsSuffix}` };
  }

  /** The emulated vault's base URL (what `--key-vault-url` takes): `{emu.url}/keyvault/{name}`. */
  url(name: string): string {
    return `${this.ctx.url}/keyvault/${encodeURIComponent(name)}`;
  }

  /** Assigns "Key Vault Secrets User" on the vault to a principal (an app's service principal or a managed identity). */
  grantSecretsUser(vault: string, principalObjectId: string): void {
    this.vault(vault).readers.add(principalObjectId);
  }

  /** Stores (a new version of) a secret. A PFX goes in base64 with contentType `application/x-pkcs12`. */
  setSecret(vault: string, name: string, value: string, o: { contentType?: string; enabled?: boolean } = {}): { version: string } {
    const version = randomBytes(16).toString("hex");
    this.vault(vault).secrets.set(name.toLowerCase(), {
      value,
      ...(o.contentType ? { contentType: o.contentType } : {}),
      version,
      enabled: o.enabled ?? true,
      created: this.ctx.nowSeconds(),
    });
    return { version };
  }

  private vault(name: string): VaultRecord {
    const v = this.vaults.get(name.toLowerCase());
    if (!v) throw new Error(`unknown vault ${name}`);
    return v;
  }

  /** `GET /keyvault/{vault}/secrets/{name}[/{version}]`. */
  async getSecret(vaultName: string, secretName: string, query: URLSearchParams, headers: Record<string, string | string[] | undefined>): Promise<Answer> {
    const vault = this.vaults.get(vaultName.toLowerCase());
    if (!vault) return kvError(404, "VaultNotFound", `The vault '${vaultName}' does not exist (emulated DNS: no such host).`);
    const tenant = this.ctx.directory.getTenant(vault.tenantId)!;
    const resource = `https://${CLOUDS[tenant.cloud].keyVaultDnsSuffix}`;
    if (!query.get("api-version")) return kvError(400, "BadParameter", "The 'api-version' query parameter is missing.", vault.tenantId);
    const auth = typeof headers.authorization === "string" ? headers.authorization : "";
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    const challenge = {
      "www-authenticate": `Bearer authorization="${this.ctx.url}/${vault.tenantId}", resource="${resource}"`,
    };
    if (!m) return { ...kvError(401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.", vault.tenantId), headers: challenge };
    let claims: JWTPayload;
    try {
      claims = await verifyJwt(m[1]!, [this.ctx.tokenKey], this.ctx.nowSeconds(), TOLERANCE_SECONDS);
    } catch (e) {
      const why = e instanceof joseErrors.JWTExpired ? "AKV10022: Invalid audience or the token has expired." : "AKV10032: Invalid issuer or signature.";
      return { ...kvError(401, "Unauthorized", why, vault.tenantId), headers: challenge };
    }
    const aud = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).map((a) => String(a).replace(/\/$/, ""));
    if (!aud.includes(resource)) {
      return { ...kvError(401, "Unauthorized", `AKV10022: Invalid audience. Expected ${resource}, found: ${aud.join(",")}.`, vault.tenantId), headers: challenge };
    }
    if (claims.tid !== vault.tenantId) {
      return { ...kvError(401, "Unauthorized", `AKV10032: Invalid issuer. Expected one of the vault's tenant ${vault.tenantId}, found tenant ${String(claims.tid)}.`, vault.tenantId), headers: challenge };
    }
    const oid = typeof claims.oid === "string" ? claims.oid : "";
    if (!vault.readers.has(oid)) {
      return {
        status: 403,
        tenantId: vault.tenantId,
        body: {
          error: {
            code: "Forbidden",
            message: `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: appid=${String(claims.appid)};oid=${oid};iss=${String(claims.iss)}\r\nAction: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\r\nResource: '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/emulated/providers/microsoft.keyvault/vaults/${vault.name.toLowerCase()}/secrets/${secretName.toLowerCase()}'\r\nAssignment: (not found)\r\nVault: ${vault.name};location=emulated\r\n`,
            innererror: { code: "ForbiddenByRbac" },
          },
        },
      };
    }
    const secret = vault.secrets.get(secretName.toLowerCase());
    if (!secret) {
      return kvError(404, "SecretNotFound", `A secret with (name/id) ${secretName} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command.`, vault.tenantId);
    }
    if (!secret.enabled) return kvError(403, "Forbidden", `Operation get is not allowed on a disabled secret.`, vault.tenantId);
    return {
      status: 200,
      tenantId: vault.tenantId,
      body: {
        value: secret.value,
        ...(secret.contentType ? { contentType: secret.contentType } : {}),
        id: `https://${vault.name.toLowerCase()}.${CLOUDS[tenant.cloud].keyVaultDnsSuffix}/secrets/${secretName}/${secret.version}`,
        attributes: { enabled: true, created: secret.created, updated: secret.created, recoveryLevel: "Recoverable", recoverableDays: 90 },
        tags: {},
      },
    };
  }
}

function kvError(status: number, code: string, message: string, tenantId?: string): Answer {
  return { status, body: { error: { code, message } }, ...(tenantId ? { tenantId } : {}) };
}
