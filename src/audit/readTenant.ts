/**
 * One tenant's reading, as the audit command takes it: the holders from Graph (readGraph.ts), Exchange's RBAC merged
 * onto them (readExchange.ts), the tenant's initial domain (Graph's organization, else Exchange's accepted domains), and every part that could not be read, with why. A Graph
 * failure on the holders themselves is thrown (without them there is nothing to audit); every other part degrades to
 * an Unread entry.
 */
import type { CloudName } from "../facts";
import type { ExchangeReader } from "./exchangeHttp";
import type { AuditReading, Unread } from "./model";
import { readExchangeRbac } from "./readExchange";
import { GraphError, readHolders, type GraphReader } from "./readGraph";

export interface TenantSources {
  readonly graph: GraphReader;
  /** Exchange's InvokeCommand as the auditor; without it Exchange's RBAC is reported as not read. */
  readonly exchange?: ExchangeReader;
  readonly tenantId: string;
  readonly environment: CloudName;
  /** When the reading is taken (expiry is judged against it). Default: the clock. */
  readonly now?: () => Date;
}

/** The tenant's initial domain (`*.onmicrosoft.com`) from Graph's organization; undefined with a why when not readable. */
async function initialDomain(graph: GraphReader): Promise<{ organization?: string; unread?: Unread }> {
  try {
    const [org] = await graph.list("organization?$select=id,verifiedDomains");
    const domains = Array.isArray(org?.verifiedDomains) ? (org.verifiedDomains as { name?: unknown; isInitial?: unknown }[]) : [];
    const initial = domains.find((d) => d.isInitial === true && typeof d.name === "string");
    return initial ? { organization: String(initial.name) } : {};
  } catch (error) {
    if (!(error instanceof GraphError) || (error.status !== 403 && error.status !== 401)) throw error;
    return { unread: { part: "organization", reason: `Graph answered ${error.status} (${error.code}): the tenant's initial domain needs Organization.Read.All; the report leaves Connect-ExchangeOnline's -Organization out` } };
  }
}

async function initialDomainFromExchange(exchange: ExchangeReader): Promise<string | undefined> {
  const answer = await exchange.run("Get-AcceptedDomain");
  if (answer.status < 200 || answer.status >= 300) return undefined;
  const initial = answer.value.find((d) => d.InitialDomain === true && typeof d.DomainName === "string");
  return initial ? String(initial.DomainName) : undefined;
}

export async function readTenant(sources: TenantSources): Promise<AuditReading> {
  const readAt = (sources.now ?? (() => new Date()))().toISOString();
  const graphReading = await readHolders(sources.graph, sources.tenantId);
  const unread: Unread[] = [...graphReading.unread];
  let { organization, unread: orgUnread } = await initialDomain(sources.graph);
  // Without Organization.Read.All, Exchange knows the initial domain too, to the same view-only role as its RBAC.
  if (orgUnread && sources.exchange) organization = await initialDomainFromExchange(sources.exchange);
  if (orgUnread && !organization) unread.push(orgUnread);
  let holders = graphReading.holders;
  if (!sources.exchange) {
    unread.push({ part: "exchangeRbac", reason: "Exchange was not read (no Exchange connection given): role group memberships and management role assignments are unknown" });
  } else {
    const rbac = await readExchangeRbac(sources.exchange, holders);
    if (rbac.unread) unread.push(rbac.unread);
    else holders = holders.map((h) => ({ ...h, exchangeRbac: rbac.byServicePrincipal.get(h.servicePrincipalObjectId)! }));
  }
  return { tenantId: sources.tenantId, ...(organization ? { organization } : {}), environment: sources.environment, readAt, holders, unread };
}
