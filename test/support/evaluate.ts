/** Runs the real program (index.ts) under Pulumi mocks with a config, for wiring tests. */
import type { RegisteredResource } from "../../src/mocks/run";
import { evaluateProgram } from "../../src/plan/evaluate";
import { offlineBackend } from "../../src/mocks/offline";
import { MINIMAL, engineConfig } from "./stackConfig";

/** One clock for the whole test run, so two evaluations of the same config can be compared. */
const backend = offlineBackend({ now: new Date("2026-11-26T00:00:00Z") });

export async function evaluate(overrides: Record<string, unknown> = {}) {
  const run = await evaluateProgram({ config: engineConfig({ ...MINIMAL, ...overrides }), backend });
  const ofType = (type: string) => run.resources.filter((r) => r.type === type);
  const one = (type: string): RegisteredResource => {
    const found = ofType(type);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0];
  };
  return { ...run, ofType, one };
}

export const T = {
  provider: "pulumi:providers:azuread",
  application: "azuread:index/application:Application",
  servicePrincipal: "azuread:index/servicePrincipal:ServicePrincipal",
  appRoleAssignment: "azuread:index/appRoleAssignment:AppRoleAssignment",
  directoryRoleAssignment: "azuread:index/directoryRoleAssignment:DirectoryRoleAssignment",
  password: "azuread:index/applicationPassword:ApplicationPassword",
  certificate: "azuread:index/applicationCertificate:ApplicationCertificate",
  federated: "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential",
  privateKey: "tls:index/privateKey:PrivateKey",
  selfSignedCert: "tls:index/selfSignedCert:SelfSignedCert",
  rotating: "time:index/rotating:Rotating",
  check: "pulumi-nodejs:dynamic/exchange-app-only:ExchangeAccessCheck",
} as const;
