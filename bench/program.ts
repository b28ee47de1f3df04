/**
 * `npm run bench`: how much the program's structure (config validation, components, outputs) costs over a
 * minimal hand-written program that declares the same resources. Both run under the same Pulumi mocks,
 * interleaved in one process, several repetitions; prints the median of each and their ratio. Goal: <= 1.25.
 */
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import * as time from "@pulumiverse/time";
import { join } from "node:path";
import { ExchangeAccessCheck } from "../components/exchangeCheck";
import { EXCHANGE_ONLINE_APP_ID, MANAGE_AS_APP_ROLE } from "../src/facts";
import { offlineBackend } from "../src/mocks/offline";
import { runProgram } from "../src/mocks/run";
import { readStackConfig } from "../src/plan/stackFile";

const ROOT = join(__dirname, "..", "..");
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 101);

/** The same resources as the dev stack, written flat with constants: no validation, no components. */
async function handWritten(): Promise<Record<string, unknown>> {
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

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main(): Promise<void> {
  const config = readStackConfig(join(ROOT, "Pulumi.yaml"), join(ROOT, "Pulumi.dev.yaml"));
  const backend = offlineBackend();
  const program = require("../index") as () => Promise<Record<string, unknown>>;
  const time = async (fn: () => Promise<Record<string, unknown>>) => {
    const start = process.hrtime.bigint();
    await runProgram(fn, { config, backend, record: false });
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  // Warm both paths (module loading, the mock certificate) and check they declare the same resources.
  const count = async (fn: () => Promise<Record<string, unknown>>) =>
    (await runProgram(fn, { config, backend })).resources.filter((r) => r.custom).map((r) => r.type).sort();
  const declared = [await count(program), await count(handWritten)];
  if (JSON.stringify(declared[0]) !== JSON.stringify(declared[1])) {
    throw new Error(`the baseline must declare the program's resources:\n${declared[0].join(" ")}\n${declared[1].join(" ")}`);
  }
  const ours: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    // Alternate which goes first so drift on a shared machine hits both alike.
    const pair = i % 2 === 0 ? [await time(program), await time(handWritten)] : [await time(handWritten), await time(program)].reverse();
    ours.push(pair[0]);
    baseline.push(pair[1]);
  }
  const ratio = median(ours) / median(baseline);
  console.log(`custom resources declared by each: ${declared[0].length} (the same types)`);
  console.log(`repetitions: ${REPETITIONS} each, interleaved`);
  const spread = (v: number[]) => `(quartiles ${quantile(v, 0.25).toFixed(1)}–${quantile(v, 0.75).toFixed(1)} ms)`;
  console.log(`program (index.ts)   median ${median(ours).toFixed(1)} ms ${spread(ours)}`);
  console.log(`hand-written         median ${median(baseline).toFixed(1)} ms ${spread(baseline)}`);
  console.log(`ratio                ${ratio.toFixed(3)} (goal <= 1.25) ${ratio <= 1.25 ? "met" : "NOT met"}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
