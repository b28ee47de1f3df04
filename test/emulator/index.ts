/**
 * The tenant emulator: a local HTTPS fake of Entra ID (OpenID metadata, token endpoint, JWKS) and of Exchange
 * Online's InvokeCommand endpoint, backed by an in-memory directory. Loopback only, a throwaway CA per run.
 * See README.md in this folder for how msal-node and child processes are pointed at it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { randomBytes, randomUUID } from "node:crypto";
import type { INetworkModule } from "@azure/msal-node";
import { TOKEN_EXCHANGE_AUDIENCE } from "../../src/facts";
import { Directory } from "./directory";
import { defaultMintedClaims, federatedKeys, imdsToken, instanceDiscovery, keys, managedIdentityToken, openIdConfiguration, token, type Answer } from "./entra";
import { entraError } from "./entraErrors";
import { invokeCommand, type ExchangeContext, type ForbiddenBody } from "./exchange";
import { ExchangeRbac } from "./exchangeRbac";
import { FaultQueue, type FaultSpec, type Faults } from "./faults";
import { GraphSurface } from "./graph";
import { GITHUB_ACTIONS_ISSUER, githubActionsClaims, type GitHubJob } from "./github";
import { KeyVaults } from "./keyVault";
import { emulatorNetworkClient } from "./networkClient";
import { createPki } from "./pki";
import { createSigningKey, signJwt } from "./tokens";

export { Directory, DirectoryError, EXCHANGE_RESOURCE, GRAPH_RESOURCE, EMULATED_MANAGE_AS_APP_V2_ROLE_ID } from "./directory";
export { ExchangeRbac, type ExoServicePrincipal, type ExoRoleAssignment } from "./exchangeRbac";
export type { Tenant, Visibility, RequiredResourceAccess, AppRole, ServicePrincipalRecord, ApplicationRecord, SignInAudience } from "./directory";
export type { Faults, FaultSpec, FaultKind } from "./faults";
export { ENTRA_ERRORS, type EntraErrorBody } from "./entraErrors";
export { KeyVaults, SECRETS_USER_ROLE } from "./keyVault";
export { createClientCertificate, thumbprints, type ClientCertificate } from "./pki";
export { emulatorNetworkClient } from "./networkClient";
export { ACCESS_TOKEN_LIFETIME_SECONDS } from "./entra";
export { GITHUB_ACTIONS_ISSUER, githubActionsClaims, type GitHubJob } from "./github";
export { GraphSurface, MICROSOFT_SERVICES_TENANT, type GraphHook } from "./graph";

export type RequestKind = "metadata" | "token" | "jwks" | "invoke" | "keyvault" | "graph" | "other";

/** One request the emulator answered. Never bodies, never secrets. */
export interface RequestRecord {
  /** When the request arrived (ms since the epoch, local clock). */
  readonly at: number;
  /** When the answer was sent (or the socket reset); `at` + delay + work. */
  readonly doneAt: number;
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly kind: RequestKind;
  /** HTTP status sent; 0 when the socket was reset by a fault (or the client went away first). */
  readonly status: number;
  /** The tenant the request resolved to, when it named a known one. */
  readonly tenantId?: string;
  /** True when an injected fault shaped this answer (including a pure delay). */
  readonly faulted: boolean;
  /** The AADSTS code of an Entra error answer. */
  readonly aadsts?: number;
}

export interface EmulatorOptions {
  /** The emulator's clock runs this many seconds ahead of the local clock (negative: behind). Default 0. */
  readonly clockSkewSeconds?: number;
  /** Body of Exchange's 403 for an app without a directory role: NUL bytes (default, as Exchange sometimes does) or JSON. */
  readonly exchangeForbiddenBody?: ForbiddenBody;
  /** Rows per page of an Exchange answer (default 1,000, as Exchange); a longer answer carries `@odata.nextLink`. */
  readonly exchangePageSize?: number;
  /** Rows per page of a Graph collection at most (default 999, Graph's largest `$top`); more carry `@odata.nextLink`. */
  readonly graphPageSize?: number;
}

export interface TenantEmulator {
  /** `https://127.0.0.1:<port>`: authority host AND Exchange endpoint override. */
  readonly url: string;
  /** `127.0.0.1:<port>`: what msal-node's `knownAuthorities` takes. */
  readonly host: string;
  /** The throwaway CA certificate (PEM). */
  readonly caPem: string;
  /** The CA written to a temp file, for NODE_EXTRA_CA_CERTS in child processes. Removed by close(). */
  readonly caFile: string;
  readonly directory: Directory;
  /**
   * Exchange Online's own RBAC (service principals, management role assignments, role groups): see the top of
   * exchangeRbac.ts for how a test seeds the deploying identity and reads the state.
   */
  readonly exchangeRbac: ExchangeRbac;
  /** `{url}/compliance`: the Security & Compliance base (its InvokeCommand is `{base}/adminapi/beta/{tenant}/InvokeCommand`). */
  readonly complianceUrl: string;
  /** Microsoft Graph v1.0 as the audit reads it (`{url}/v1.0/...`, graph.ts); `afterAnswer` changes the tenant between two reads. */
  readonly graph: GraphSurface;
  /** Emulated Azure Key Vaults (secrets data plane): `keyVaults.addVault(tenantId, {name})`, `grantSecretsUser`, `setSecret`, `url(name)`. */
  readonly keyVaults: KeyVaults;
  readonly faults: Faults;
  readonly requests: readonly RequestRecord[];
  /** The issuer URL of the emulated external OIDC provider (its discovery document and keys are served). */
  readonly federatedIssuer: string;
  /** `{url}/{tenantId}`: the authority msal-node takes. */
  authority(tenantId: string): string;
  /**
   * Environment variables that make msal-node's ManagedIdentityApplication (App Service source) ask the emulator for
   * the tenant's managed identities (`directory.addManagedIdentity`). Set them in a child's env, or in process.env
   * before creating the ManagedIdentityApplication (msal detects the source once per process).
   */
  managedIdentityEnvironment(tenantId: string): { IDENTITY_ENDPOINT: string; IDENTITY_HEADER: string };
  /**
   * `http://127.0.0.1:<port>`: the emulated Instance Metadata Service (plain http, as IMDS is), a second loopback
   * listener. Its token path is `/imds/{tenant}/metadata/identity/oauth2/token` (the prefix picks the "VM's" tenant).
   */
  readonly imdsUrl: string;
  /**
   * The variable that points msal-node's IMDS source (VMs, Automation hybrid workers) at the emulator instead of
   * 169.254.169.254: `AZURE_POD_IDENTITY_AUTHORITY_HOST` = `{imdsUrl}/imds/{tenant}` (msal appends the token path).
   * Pass it *without* IDENTITY_ENDPOINT/IDENTITY_HEADER, which would select the App Service source first.
   */
  imdsEnvironment(tenantId: string): { AZURE_POD_IDENTITY_AUTHORITY_HOST: string };
  /** An msal-node network client that trusts the emulator's CA, for in-process use (`system.networkClient`). */
  networkClient(): INetworkModule;
  /** Sign an arbitrary access token with the emulator's key (inspect-token tests: Graph audience, delegated `scp`, expired...). */
  mintAccessToken(claims: Record<string, unknown>): Promise<string>;
  /** Sign an external OIDC token (as GitHub Actions / a Kubernetes cluster would) for federated-credential tests. */
  mintFederatedToken(p: { issuer: string; subject: string; audience: string; lifetimeSeconds?: number }): Promise<string>;
  /**
   * Sign a GitHub Actions job's OIDC token (issuer https://token.actions.githubusercontent.com, GitHub's claims, the
   * default subject in the repository's form: `github.ts`), as the job's ACTIONS_ID_TOKEN_REQUEST_URL would hand it out.
   */
  mintGitHubActionsToken(job: GitHubJob, audience?: string): Promise<string>;
  /** Forget the request log (e.g. between phases of a test). */
  clearRequests(): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

interface Route {
  readonly kind: RequestKind;
  readonly tenant?: string;
  readonly handler?: (body: string, req: IncomingMessage) => Promise<Answer> | Answer;
}

export async function startEmulator(options?: EmulatorOptions): Promise<TenantEmulator> {
  const skew = options?.clockSkewSeconds ?? 0;
  if (!Number.isFinite(skew)) throw new RangeError("clockSkewSeconds must be a finite number");
  if (options?.exchangePageSize !== undefined && !(Number.isInteger(options.exchangePageSize) && options.exchangePageSize > 0)) {
    throw new RangeError("exchangePageSize must be a positive integer");
  }
  if (options?.graphPageSize !== undefined && !(Number.isInteger(options.graphPageSize) && options.graphPageSize > 0)) {
    throw new RangeError("graphPageSize must be a positive integer");
  }
  const pki = createPki();
  const [tokenKey, federatedKey] = await Promise.all([createSigningKey(), createSigningKey()]);
  const directory = new Directory();
  const faults = new FaultQueue();
  const requests: RequestRecord[] = [];
  const sockets = new Set<Socket>();

  /** Listens on a free loopback port, tracking its sockets so `close` can end them; returns the port. */
  const listenLoopback = async (srv: http.Server, what: string): Promise<number> => {
    srv.on("connection", (s: Socket) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      srv.once("error", reject);
      srv.listen(0, "127.0.0.1", () => {
        srv.off("error", reject);
        resolve();
      });
    });
    const address = srv.address();
    if (!address || typeof address === "string") throw new Error(`${what} did not get a TCP port`);
    return address.port;
  };
  const server = https.createServer({ key: pki.server.keyPem, cert: pki.server.certPem });
  const port = await listenLoopback(server, "the emulator");
  // The Instance Metadata Service is plain http on the machine: a second listener, loopback only, same handler.
  const imdsServer = http.createServer();
  const imdsUrl = `http://127.0.0.1:${await listenLoopback(imdsServer, "the emulated IMDS")}`;
  const host = `127.0.0.1:${port}`;
  const url = `https://${host}`;

  const ctx: ExchangeContext = {
    url,
    directory,
    tokenKey,
    federatedKey,
    nowSeconds: () => Math.floor(Date.now() / 1000) + skew,
    forbiddenBody: options?.exchangeForbiddenBody ?? "nul",
    exchangeRbac: new ExchangeRbac(directory),
    pageSize: options?.exchangePageSize ?? 1000,
  };

  const graph = new GraphSurface({ ...ctx, graphPageSize: options?.graphPageSize ?? 999 });
  const keyVaults = new KeyVaults({ url, directory, tokenKey, nowSeconds: ctx.nowSeconds });

  /** The App Service managed identity endpoint's shared secret (`IDENTITY_HEADER`). */
  const identityHeader = randomBytes(16).toString("hex");

  const caDir = mkdtempSync(path.join(os.tmpdir(), "exo-emulator-"));
  const caFile = path.join(caDir, "ca.pem");
  writeFileSync(caFile, pki.ca.certPem, { mode: 0o600 });

  const route = (method: string, pathname: string): Route => {
    const seg = pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const [a, b, c, d] = seg;
    if (method === "GET") {
      if (seg.length === 4 && b === "v2.0" && c === ".well-known" && d === "openid-configuration") return { kind: "metadata", tenant: a!, handler: () => openIdConfiguration(ctx, a!) };
      if (seg.length === 3 && b === ".well-known" && c === "openid-configuration" && a !== "federated") return { kind: "metadata", tenant: a!, handler: () => openIdConfiguration(ctx, a!) };
      if (seg.length === 3 && a === "common" && b === "discovery" && c === "instance") return { kind: "metadata", handler: () => instanceDiscovery(ctx) };
      if (seg.length === 4 && b === "discovery" && c === "v2.0" && d === "keys") return { kind: "jwks", tenant: a!, handler: () => keys(ctx, a!) };
      if (seg.length === 3 && b === "discovery" && c === "keys") return { kind: "jwks", tenant: a!, handler: () => keys(ctx, a!) };
      if (seg.length === 2 && a === "federated" && b === "keys") return { kind: "jwks", handler: () => federatedKeys(ctx) };
      if (seg.length === 3 && a === "msi" && c === "token") {
        return { kind: "token", tenant: b!, handler: (_body, req) => managedIdentityToken(ctx, b!, new URL(req.url ?? "/", url).searchParams, req.headers, identityHeader) };
      }
      if (seg.length === 6 && a === "imds" && c === "metadata" && d === "identity" && seg[4] === "oauth2" && seg[5] === "token") {
        return { kind: "token", tenant: b!, handler: (_body, req) => imdsToken(ctx, b!, new URL(req.url ?? "/", url).searchParams, req.headers) };
      }
      if (seg.length >= 2 && a === "v1.0") {
        return {
          kind: "graph",
          handler: (_body, req) => {
            const u = new URL(req.url ?? "/", url);
            return graph.handle(u.pathname, u.searchParams, req.headers);
          },
        };
      }
      if ((seg.length === 4 || seg.length === 5) && a === "keyvault" && c === "secrets") {
        return { kind: "keyvault", handler: (_body, req) => keyVaults.getSecret(b!, d!, new URL(req.url ?? "/", url).searchParams, req.headers) };
      }
      if (seg.length === 3 && a === "federated" && b === ".well-known" && c === "openid-configuration") {
        return { kind: "metadata", handler: () => ({ status: 200, body: { issuer: `${url}/federated`, jwks_uri: `${url}/federated/keys`, id_token_signing_alg_values_supported: ["RS256"], response_types_supported: ["id_token"], subject_types_supported: ["public"] } }) };
      }
    }
    if (method === "POST") {
      if (seg.length === 4 && b === "oauth2" && c === "v2.0" && d === "token") {
        return { kind: "token", tenant: a!, handler: (body, req) => token(ctx, a!, new URLSearchParams(body), req.headers) };
      }
      if (seg.length === 4 && a === "adminapi" && b === "beta" && d?.toLowerCase() === "invokecommand") {
        return { kind: "invoke", tenant: c!, handler: (body, req) => invokeCommand(ctx, c!, req.headers, body, { kind: "exchange" }, skipToken(req)) };
      }
      if (seg.length === 5 && a === "compliance" && b === "adminapi" && c === "beta" && seg[4]?.toLowerCase() === "invokecommand") {
        return { kind: "invoke", tenant: d!, handler: (body, req) => invokeCommand(ctx, d!, req.headers, body, { kind: "compliance" }, skipToken(req)) };
      }
      if (seg.length === 4 && a === "adminapi" && b === "v2.0") {
        return { kind: "invoke", tenant: c!, handler: (body, req) => invokeCommand(ctx, c!, req.headers, body, { kind: "adminApiV2", endpoint: d! }, skipToken(req)) };
      }
    }
    return { kind: "other" };
  };

  /** The `$skiptoken` of an Exchange next-page link: the rows already sent. */
  const skipToken = (req: IncomingMessage): number => {
    const n = Number(new URL(req.url ?? "/", url).searchParams.get("$skiptoken") ?? "0");
    return Number.isInteger(n) && n > 0 ? n : 0;
  };

  const send = (res: ServerResponse, a: Answer): void => {
    const isRaw = typeof a.body === "string" || Buffer.isBuffer(a.body);
    const payload = Buffer.isBuffer(a.body) ? a.body : Buffer.from(isRaw ? (a.body as string) : JSON.stringify(a.body), "utf8");
    const headers: Record<string, string> = {
      "content-type": isRaw ? "text/plain; charset=utf-8" : "application/json; charset=utf-8",
      ...(a.headers ?? {}),
      "content-length": String(payload.length),
    };
    res.writeHead(a.status, headers);
    res.end(payload);
  };

  const faultAnswer = (kind: RequestKind, f: FaultSpec, req: IncomingMessage): Answer => {
    const retryAfter: Record<string, string> = f.retryAfterSeconds !== undefined ? { "retry-after": String(f.retryAfterSeconds) } : {};
    if (f.aadsts !== undefined) {
      const cid = req.headers["client-request-id"];
      const e = entraError(f.aadsts, { tenant: "", clientId: "", resource: "", scope: "", issuer: "", subject: "", audience: "", parameter: "", grantType: "" }, {
        authorityUrl: url,
        ...(typeof cid === "string" ? { correlationId: cid } : {}),
      });
      return { status: f.status ?? e.status, headers: { ...retryAfter, ...(f.headers ?? {}) }, body: f.body ?? e.body };
    }
    const status = f.status ?? 429;
    let body = f.body;
    if (body === undefined) {
      if (kind === "graph") {
        const code = status === 429 ? "TooManyRequests" : status >= 500 ? "ServiceUnavailable" : "BadRequest";
        body = { error: { code, message: `Emulated fault: HTTP ${status}.` } };
      } else if (kind === "invoke") {
        const code = status === 429 ? "TooManyRequests" : status >= 500 ? "InternalServerError" : "Error";
        body = { error: { code, message: `Emulated fault: HTTP ${status}.`, details: [{ code, message: `Emulated fault: HTTP ${status}.`, target: "" }] } };
      } else {
        const code = status === 429 ? 50196 : 90033;
        const e = entraError(code, {}, { authorityUrl: url });
        body = { ...e.body, error: status === 429 ? "temporarily_unavailable" : "server_error" };
      }
    }
    return { status, headers: { ...retryAfter, ...(f.headers ?? {}) }, body };
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse, overHttp: boolean): void => {
    const at = Date.now();
    const method = req.method ?? "GET";
    const pathname = new URL(req.url ?? "/", url).pathname;
    // Plain http serves the IMDS path only: tokens for app registrations never travel in the clear.
    const routed = route(method, pathname);
    const r: Route = overHttp && !pathname.startsWith("/imds/") ? { kind: "other" } : !overHttp && pathname.startsWith("/imds/") ? { kind: "other" } : routed;
    let recorded = false;
    let faulted = false;
    let tenantId: string | undefined = r.tenant ? directory.findTenant(r.tenant)?.tenantId : undefined;
    const record = (status: number, aadsts?: number): void => {
      if (recorded) return;
      recorded = true;
      requests.push({ at, doneAt: Date.now(), method, path: pathname, kind: r.kind, status, faulted, ...(tenantId ? { tenantId } : {}), ...(aadsts !== undefined ? { aadsts } : {}) });
    };
    res.on("close", () => record(res.headersSent ? res.statusCode : 0));

    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) tooBig = true;
      else chunks.push(c);
    });
    req.on("error", () => record(0));
    req.on("end", () => {
      void (async () => {
        const fault = r.kind === "token" || r.kind === "invoke" || r.kind === "metadata" || r.kind === "graph" ? faults.take(r.kind) : undefined;
        if (fault) {
          faulted = true;
          if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
          if (res.destroyed || req.socket.destroyed) return record(0);
          if (fault.reset) {
            req.socket.destroy();
            return record(0);
          }
          if (fault.status !== undefined || fault.aadsts !== undefined || fault.retryAfterSeconds !== undefined || fault.body !== undefined) {
            const a = faultAnswer(r.kind, fault, req);
            send(res, a);
            return record(a.status, aadstsOf(a.body));
          }
        }
        let answer: Answer;
        if (tooBig) answer = { status: 413, body: { error: "request_too_large" } };
        else if (!r.handler) answer = { status: 404, body: { error: { code: "NotFound", message: `No emulated endpoint for ${method} ${pathname}.` } } };
        else {
          try {
            answer = await r.handler(Buffer.concat(chunks).toString("utf8"), req);
          } catch (e) {
            answer = { status: 500, body: { error: "emulator_error", error_description: `The emulator failed: ${(e as Error).name}` } };
          }
        }
        if (answer.tenantId) tenantId = answer.tenantId;
        if (res.destroyed) return record(0);
        send(res, answer);
        record(answer.status, aadstsOf(answer.body));
      })();
    });
  };
  server.on("request", (req: IncomingMessage, res: ServerResponse) => onRequest(req, res, false));
  imdsServer.on("request", (req: IncomingMessage, res: ServerResponse) => onRequest(req, res, true));

  let closed = false;
  const emulator: TenantEmulator = {
    url,
    host,
    caPem: pki.ca.certPem,
    caFile,
    directory,
    exchangeRbac: ctx.exchangeRbac,
    graph,
    complianceUrl: `${url}/compliance`,
    keyVaults,
    faults,
    requests,
    federatedIssuer: `${url}/federated`,
    authority: (tenantId: string) => `${url}/${tenantId}`,
    imdsUrl,
    imdsEnvironment: (tenantId: string) => ({ AZURE_POD_IDENTITY_AUTHORITY_HOST: `${imdsUrl}/imds/${encodeURIComponent(tenantId)}` }),
    managedIdentityEnvironment: (tenantId: string) => ({ IDENTITY_ENDPOINT: `${url}/msi/${encodeURIComponent(tenantId)}/token`, IDENTITY_HEADER: identityHeader }),
    networkClient: () => emulatorNetworkClient(pki.ca.certPem),
    mintAccessToken: async (claims) => signJwt(tokenKey, { ...defaultMintedClaims(ctx), ...claims }),
    mintFederatedToken: async (p) => {
      const now = Math.floor(Date.now() / 1000);
      const lifetime = p.lifetimeSeconds ?? 600;
      return signJwt(federatedKey, { iss: p.issuer, sub: p.subject, aud: p.audience, iat: now, nbf: lifetime > 0 ? now : now + lifetime - 60, exp: now + lifetime, jti: randomUUID() });
    },
    mintGitHubActionsToken: async (job, audience = TOKEN_EXCHANGE_AUDIENCE) => {
      const now = Math.floor(Date.now() / 1000);
      return signJwt(federatedKey, { ...githubActionsClaims(job), iss: GITHUB_ACTIONS_ISSUER, aud: audience, iat: now, nbf: now, exp: now + 300, jti: randomUUID() });
    },
    clearRequests: () => {
      requests.length = 0;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      faults.clear();
      const done = Promise.all([new Promise<void>((resolve) => server.close(() => resolve())), new Promise<void>((resolve) => imdsServer.close(() => resolve()))]);
      for (const s of sockets) s.destroy();
      await done;
      rmSync(caDir, { recursive: true, force: true });
    },
  };
  return emulator;
}

function aadstsOf(body: unknown): number | undefined {
  if (typeof body === "object" && body !== null && !Buffer.isBuffer(body)) {
    const codes = (body as { error_codes?: unknown }).error_codes;
    if (Array.isArray(codes) && typeof codes[0] === "number") return codes[0];
  }
  return undefined;
}
