/**
 * A tenant component's outputs as `pulumi.Output` properties, named as the stack outputs are (docs/outputs.md).
 * Secrets stay secrets: the credential outputs are secret where they are made (components/certificateCredential.ts,
 * components/clientSecretCredential.ts), and `pulumi.output` keeps that.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ExchangeAccessCheck } from "./exchangeCheck";
import type { TenantOutputs } from "./tenantOutputs";

/** Ready-to-paste `Connect-ExchangeOnline` lines, one a credential kind the app has. */
export interface ConnectExchangeOnlineLines {
  certificateThumbprint?: string;
  certificateFile?: string;
  accessToken: string;
}

/** Ready-to-paste `Connect-IPPSSession` lines; where Microsoft's docs disagree on the URI (DoD), the other set too. */
export interface ConnectIPPSSessionLines {
  certificateThumbprint?: string;
  certificateFile?: string;
  accessToken: string;
  docsDisagree?: string;
  alternative?: ConnectIPPSSessionAlternative;
}

/** The `Connect-IPPSSession` lines with the other documented URI. */
export interface ConnectIPPSSessionAlternative {
  certificateThumbprint?: string;
  certificateFile?: string;
  accessToken: string;
}

/** What the post-deploy check found when `pulumi up` ran it (`verifyOnUp`). */
export interface AccessCheckResult {
  ok: boolean;
  attempts: number;
  elapsedMs: number;
  /** How long Entra and Exchange took to accept the fresh grant, when the check had to wait. */
  propagationMs?: number;
  /** The checks that passed, in order. */
  checks: string[];
  checkedAt: string;
}

/** The outputs of `ExchangeAppOnly`, named as the stack outputs. */
export interface ExchangeAppOnlyOutputs {
  readonly clientId: pulumi.Output<string>;
  readonly applicationObjectId: pulumi.Output<string>;
  readonly servicePrincipalObjectId: pulumi.Output<string>;
  readonly roleName: pulumi.Output<string>;
  readonly roleTemplateId: pulumi.Output<string | undefined>;
  readonly authorityHost: pulumi.Output<string>;
  readonly exchangeResource: pulumi.Output<string>;
  readonly certificateThumbprint: pulumi.Output<string | undefined>;
  readonly certificateEndDate: pulumi.Output<string | undefined>;
  readonly certificatePem: pulumi.Output<string | undefined>;
  /** Secret. */
  readonly certificatePrivateKeyPem: pulumi.Output<string | undefined>;
  /** Secret. */
  readonly certificatePfxBase64: pulumi.Output<string | undefined>;
  /** Secret. */
  readonly clientSecret: pulumi.Output<string | undefined>;
  readonly clientSecretEndDate: pulumi.Output<string | undefined>;
  readonly connectExchangeOnline: pulumi.Output<ConnectExchangeOnlineLines>;
  readonly connectIPPSSession: pulumi.Output<ConnectIPPSSessionLines | undefined>;
  /** The post-deploy check's result; undefined when `verifyOnUp` did not run it. */
  readonly check: pulumi.Output<AccessCheckResult | undefined>;
}

/** The output properties of a component whose stack outputs are `outputs`, and whose check (if any) is `check`. */
export function outputProperties(outputs: TenantOutputs, check: ExchangeAccessCheck | undefined): ExchangeAppOnlyOutputs {
  const out = <T>(value: pulumi.Input<T> | undefined) => pulumi.output(value) as pulumi.Output<T>;
  return {
    clientId: out(outputs.clientId),
    applicationObjectId: out(outputs.applicationObjectId),
    servicePrincipalObjectId: out(outputs.servicePrincipalObjectId),
    roleName: out(outputs.roleName),
    roleTemplateId: out(outputs.roleTemplateId),
    authorityHost: out(outputs.authorityHost),
    exchangeResource: out(outputs.exchangeResource),
    certificateThumbprint: out(outputs.certificateThumbprint),
    certificateEndDate: out(outputs.certificateEndDate),
    certificatePem: out(outputs.certificatePem),
    certificatePrivateKeyPem: out(outputs.certificatePrivateKeyPem),
    certificatePfxBase64: out(outputs.certificatePfxBase64),
    clientSecret: out(outputs.clientSecret),
    clientSecretEndDate: out(outputs.clientSecretEndDate),
    connectExchangeOnline: out(outputs.connectExchangeOnline) as pulumi.Output<ConnectExchangeOnlineLines>,
    connectIPPSSession: out(outputs.connectIPPSSession) as pulumi.Output<ConnectIPPSSessionLines | undefined>,
    check: check
      ? pulumi
          .all([check.ok, check.attempts, check.elapsedMs, check.propagationMs, check.checks, check.checkedAt])
          .apply(([ok, attempts, elapsedMs, propagationMs, checks, checkedAt]) => ({ ok, attempts, elapsedMs, ...(propagationMs === undefined ? {} : { propagationMs }), checks, checkedAt }))
      : pulumi.output(undefined),
  };
}
