/**
 * One tenant's audit, start to end: sign in as the auditor, read the tenant (Graph, and Exchange's RBAC where the
 * auditor may), then judge it against the principals the given stacks manage. `audit` and `fleet audit` both run
 * this; the reading step is injected so tests can hand it a fake.
 */
import type { TokenCredential } from "@azure/identity";
import { CLOUDS, type CloudName } from "../facts";
import { HttpTransport, TransportError } from "../net/http";
import { signInAuditor, type SignedInAuditor } from "./auditor";
import { httpGraphReader } from "./graphHttp";
import { judge, type Judgement } from "./judge";
import { AuditError } from "./managed";
import type { AuditReading, ManagedPrincipal } from "./model";
import { httpExchangeReader, type ExchangeReader } from "./exchangeHttp";
import { GraphError } from "./readGraph";
import { readTenant, type TenantSources } from "./readTenant";
import type { Auditor } from "./report";

/** What reads a tenant: readTenant's shape, so tests can hand the audit a fake reading. */
export type TenantReader = (sources: TenantSources) => Promise<AuditReading>;

export interface AuditOptions {
  readonly tenant: string;
  readonly environment: CloudName;
  readonly env: NodeJS.ProcessEnv;
  /** Where Graph requests go (https): the cloud's Graph unless overridden (a test tenant). */
  readonly graphEndpoint?: string;
  /** Where Exchange requests go (https): the cloud's Exchange unless overridden. */
  readonly exchangeEndpoint?: string;
  /**
   * Principals the given stacks manage, from their outputs: called with every name the tenant is known by (the name
   * given, its GUID) once the sign-in says its GUID. Undefined: no stack given, nothing is judged unmanaged.
   */
  readonly managed?: (tenantNames: readonly string[]) => ManagedPrincipal[];
  readonly expiryWarningDays: number;
  /** The whole reading must end by then (epoch ms): throttling waits stop there. */
  readonly deadline: number;
}

export interface AuditDeps {
  readonly credential?: TokenCredential;
  readonly read?: TenantReader;
  readonly now?: () => Date;
}

export interface AuditResult {
  readonly reading: AuditReading;
  readonly judgement: Judgement;
  readonly auditor: Auditor;
}

/** A tenant's initial domain in each cloud: what Connect-ExchangeOnline's -Organization takes. */
const INITIAL_DOMAIN = /^[a-z0-9-]+\.(onmicrosoft\.com|onmicrosoft\.us|partner\.onmschina\.cn)$/i;

const PERMISSIONS = "Microsoft Graph's Application.Read.All and RoleManagement.Read.Directory application permissions";

/** A Graph refusal in words: a 403 names the permissions the auditor lacks. */
function graphFailure(error: GraphError, auditor: SignedInAuditor, tenant: string): AuditError {
  if (error.status === 401 || error.status === 403) {
    return new AuditError(
      "ERR_GRAPH_PERMISSION",
      `the auditor ${auditor.clientId} may not read tenant ${tenant} through Microsoft Graph (HTTP ${error.status} ${error.code}); its token carries ${auditor.roles.length > 0 ? auditor.roles.join(", ") : "no application permission"}`,
      `Grant the auditor ${PERMISSIONS} (admin consent) in that tenant; see docs/audit.md.`,
    );
  }
  return new AuditError("ERR_GRAPH", error.message.split("\n")[0]!, "Try again later; if it persists, check --graph-endpoint and the tenant's service health.");
}

/**
 * No Exchange token (no Exchange principal in the tenant, consent missing) is a part the audit could not read, not a
 * failure of the audit: it answers as Exchange's refusal would, with the sign-in's words, and the report says so.
 */
function signInFailureAsRefusal(reader: ExchangeReader): ExchangeReader {
  return {
    async run(cmdlet, parameters) {
      try {
        return await reader.run(cmdlet, parameters);
      } catch (error) {
        if (error instanceof AuditError && error.code === "ERR_SIGN_IN") return { status: 401, value: [], warnings: [], errorText: error.message };
        throw error;
      }
    },
  };
}

export async function auditTenant(options: AuditOptions, deps: AuditDeps = {}): Promise<AuditResult> {
  const cloud = CLOUDS[options.environment];
  const auditor = await signInAuditor({ tenant: options.tenant, environment: options.environment, env: options.env }, deps.credential);
  const names = [...new Set([options.tenant, auditor.tenantId])];
  // A stack of another tenant is refused before the tenant is read.
  const managed = options.managed?.(names);
  const transport = new HttpTransport({ deadline: options.deadline, requestTimeoutMs: 60_000 });
  const graph = httpGraphReader(transport, { baseUrl: options.graphEndpoint ?? cloud.graphResource, token: auditor.graphToken, deadline: options.deadline });
  const exchange = signInFailureAsRefusal(httpExchangeReader(transport, { baseUrl: (options.exchangeEndpoint ?? cloud.exchangeResource).replace(/\/+$/, ""), tenantId: auditor.tenantId, token: auditor.exchangeToken, deadline: options.deadline }));
  let reading: AuditReading;
  try {
    reading = await (deps.read ?? readTenant)({ graph, exchange, tenantId: auditor.tenantId, environment: options.environment, ...(deps.now ? { now: deps.now } : {}) });
  } catch (error) {
    if (error instanceof GraphError) throw graphFailure(error, auditor, options.tenant);
    if (error instanceof TransportError) {
      throw new AuditError("ERR_GRAPH", `cannot reach ${error.url.split("?")[0]}: ${error.message}`, "Check the network, --graph-endpoint and --exchange-endpoint; then run the audit again.");
    }
    throw error;
  }
  // Graph's organization needs one more permission; a tenant given by its initial domain already says it.
  if (!reading.organization && INITIAL_DOMAIN.test(options.tenant)) reading = { ...reading, organization: options.tenant.toLowerCase() };
  const judgement = judge(reading, { expiryWarningDays: options.expiryWarningDays, ...(managed ? { managed } : {}) });
  return { reading, judgement, auditor: { clientId: auditor.clientId, roles: auditor.roles } };
}
