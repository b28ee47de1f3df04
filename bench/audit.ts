/**
 * `npm run bench:audit`: how the audit's reading grows with a tenant. Emulated tenants of 100, 1,000 and 10,000 service
 * principals, 1 % to 5 % of them holding Exchange grants (consent and a directory role, a client secret, one in five
 * registered in Exchange's RBAC), read by readTenant over HTTPS exactly as the CLI wires it (httpGraphReader,
 * httpExchangeReader), every request delayed 50 ms (a delaying transport in front of the emulator: a slow link).
 *
 * Prints, per tenant: the requests sent (Graph and Exchange), the time, and the peak RSS of the process that ran it
 * (each row in a fresh process, the emulator and its directory included). Goals: requests grow with the holders, not
 * with the tenant (the same at 1,000 and 10,000 principals with 50 holders), and time(10,000) / time(1,000) ≤ 1.5 at
 * the same number of holders. A benchmark, not a test: it exits 1 only when a goal is missed.
 */
import { execFileSync } from "node:child_process";
import { httpExchangeReader } from "../src/audit/exchangeHttp";
import { httpGraphReader } from "../src/audit/graphHttp";
import { readTenant } from "../src/audit/readTenant";
import type { ExchangeTransport } from "../src/exchange";
import { CLOUDS, EXCHANGE_ROLES, MANAGE_AS_APP_ROLE } from "../src/facts";
import { HttpTransport } from "../src/net/http";
import { startEmulator, type TenantEmulator } from "../test/emulator";
import { secretToken } from "../test/emulator/scenario";

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);

interface Row {
  readonly principals: number;
  readonly holders: number;
}

const ROWS: readonly Row[] = [
  { principals: 100, holders: 5 },
  { principals: 1_000, holders: 10 },
  { principals: 1_000, holders: 50 },
  { principals: 10_000, holders: 100 },
  // The same holders as the 1,000-principal tenant at 5 %: what the tenant's size alone costs.
  { principals: 10_000, holders: 50 },
];

interface Measured {
  readonly holdersRead: number;
  readonly graphRequests: number;
  readonly exchangeRequests: number;
  readonly ms: number;
  readonly peakRssMb: number;
}

const role = (name: string) => EXCHANGE_ROLES.find((r) => r.name === name)!.templateId;

/** A tenant of `principals` service principals, `holders` of them holding Exchange grants, and the auditor (one more holder). */
function buildTenant(emu: TenantEmulator, row: Row) {
  const d = emu.directory;
  const tenant = d.addTenant();
  const tid = tenant.tenantId;
  const graph = d.getServicePrincipal(tid, tenant.graphServicePrincipalObjectId)!;
  const app = (name: string) => {
    const a = d.addApplication(tid, { displayName: name });
    return { ...a, sp: d.addServicePrincipal(tid, a.clientId).objectId };
  };
  const wire = (sp: string, roleName: string) => {
    d.addAppRoleAssignment(tid, { principalObjectId: sp, resourceObjectId: tenant.exchangeServicePrincipalObjectId!, appRoleId: MANAGE_AS_APP_ROLE.id });
    d.addDirectoryRoleAssignment(tid, { principalObjectId: sp, roleTemplateId: role(roleName) });
  };
  for (let i = 0; i < row.holders; i++) {
    const h = app(`holder ${i}`);
    wire(h.sp, "Exchange Recipient Administrator");
    d.addPassword(tid, h.objectId, { endDate: new Date(Date.now() + 200 * 86_400_000).toISOString() });
    if (i % 5 === 0) {
      emu.exchangeRbac.addServicePrincipal(tid, { appId: h.clientId, objectId: h.sp, displayName: `holder ${i}` });
      emu.exchangeRbac.grantRoles(tid, h.sp, ["View-Only Recipients"], `holder group ${i}`);
    }
  }
  // The rest of the tenant: principals that hold nothing. User-assigned identities: service principals without an
  // app registration, so building 10,000 stays quick; the reader never asks about any of them.
  const auditor = app("auditor");
  for (let i = 0; i < row.principals - row.holders - 1; i++) d.addManagedIdentity(tid, { kind: "user", displayName: `bystander ${i}` });
  for (const value of ["Application.Read.All", "RoleManagement.Read.Directory"]) {
    d.addAppRoleAssignment(tid, { principalObjectId: auditor.sp, resourceObjectId: graph.objectId, appRoleId: graph.appRoles.find((r) => r.value === value)!.id });
  }
  wire(auditor.sp, "Global Reader");
  const { secretText } = d.addPassword(tid, auditor.objectId);
  return { tenantId: tid, clientId: auditor.clientId, clientSecret: secretText };
}

/** Every request waits LATENCY_MS before it is sent, and is counted by where it goes. */
function slowLink(inner: ExchangeTransport): ExchangeTransport & { graph: number; exchange: number } {
  const link = {
    graph: 0,
    exchange: 0,
    async request(...args: Parameters<ExchangeTransport["request"]>) {
      if (new URL(args[1]).pathname.startsWith("/v1.0/")) link.graph += 1;
      else link.exchange += 1;
      await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
      return inner.request(...args);
    },
  };
  return link;
}

async function measureRow(row: Row): Promise<Measured> {
  const emu = await startEmulator();
  try {
    const auditor = buildTenant(emu, row);
    const token = async (resource: string) => (await secretToken(emu, auditor, `${resource}/.default`)).json<{ access_token: string }>().access_token;
    const [graphToken, exchangeToken] = [await token(CLOUDS.public.graphResource), await token(CLOUDS.public.exchangeResource)];
    const deadline = Date.now() + 30 * 60_000;
    const link = slowLink(new HttpTransport({ ca: emu.caPem, deadline }));
    const start = process.hrtime.bigint();
    const reading = await readTenant({
      graph: httpGraphReader(link, { baseUrl: emu.url, token: async () => graphToken, deadline }),
      exchange: httpExchangeReader(link, { baseUrl: emu.url, tenantId: auditor.tenantId, token: async () => exchangeToken, deadline }),
      tenantId: auditor.tenantId,
      environment: "public",
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (reading.unread.length > 0) throw new Error(`parts not read: ${JSON.stringify(reading.unread)}`);
    return { holdersRead: reading.holders.length, graphRequests: link.graph, exchangeRequests: link.exchange, ms, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await emu.close();
  }
}

function main(): void {
  console.log(`audit reading: every request delayed ${LATENCY_MS} ms; each tenant read in a fresh process (peak RSS is that process's, emulator included)`);
  console.log("holders: those read, the auditor included (it holds Exchange.ManageAsApp and Global Reader)\n");
  console.log(`${"principals".padStart(10)} ${"holders".padStart(8)} ${"share".padStart(6)} ${"Graph req".padStart(10)} ${"Exchange req".padStart(13)} ${"time".padStart(9)} ${"peak RSS".padStart(9)}`);
  const results = ROWS.map((row, i) => {
    const out = execFileSync(process.execPath, [__filename, "--row", String(i)], { encoding: "utf8", maxBuffer: 1 << 20 });
    const m = JSON.parse(out.trim().split("\n").pop()!) as Measured;
    const share = `${((row.holders / row.principals) * 100).toFixed(1)}%`;
    console.log(`${row.principals.toLocaleString("en").padStart(10)} ${String(m.holdersRead).padStart(8)} ${share.padStart(6)} ${String(m.graphRequests).padStart(10)} ${String(m.exchangeRequests).padStart(13)} ${`${(m.ms / 1000).toFixed(2)} s`.padStart(9)} ${`${m.peakRssMb.toFixed(0)} MB`.padStart(9)}`);
    return { row, m };
  });
  const at = (principals: number, holders: number) => results.find((r) => r.row.principals === principals && r.row.holders === holders)!.m;
  const small = at(1_000, 50);
  const large = at(10_000, 50);
  const ratio = large.ms / small.ms;
  const sameRequests = small.graphRequests + small.exchangeRequests === large.graphRequests + large.exchangeRequests;
  console.log(`\nrequests at 50 holders: ${small.graphRequests + small.exchangeRequests} (1,000 principals) vs ${large.graphRequests + large.exchangeRequests} (10,000): ${sameRequests ? "the same: they grow with the holders" : "NOT the same"}`);
  console.log(`time(10,000) / time(1,000) at 50 holders: ${ratio.toFixed(3)} (goal <= 1.5) ${ratio <= 1.5 ? "met" : "NOT met"}`);
  if (!sameRequests || ratio > 1.5) process.exitCode = 1;
}

const rowFlag = process.argv.indexOf("--row");
if (rowFlag >= 0) {
  measureRow(ROWS[Number(process.argv[rowFlag + 1])]!).then(
    (m) => process.stdout.write(`${JSON.stringify(m)}\n`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  main();
}
