/**
 * A tenant component's outputs as `pulumi.Output` properties, named as the stack outputs are (docs/outputs.md).
 * Secrets stay secrets: the credential outputs are secret where they are made (components/certificateCredential.ts,
 * components/clientSecretCredential.ts), and `pulumi.output` keeps that.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ManagedIdentityOutputs } from "../src/outputs/stackOutputs";
import type { ManagedIdentityKind } from "./args";
import type { ExchangeAccessCheck } from "./exchangeCheck";
import type { TenantOutputs } from "./tenantOutputs";

/** Ready-to-paste `Connect-ExchangeOnline` lines, one a credential kind the app has. */
export interface ConnectExchangeOnlineLines {
  /** With a certificate: `Connect-ExchangeOnline -CertificateThumbprint …` (the certificate in the user's store). */
  certificateThumbprint?: string;
  /** With a generated certificate: `Connect-ExchangeOnline -CertificateFilePath …` (the PFX output saved to a file). */
  certificateFile?: string;
  /** `Connect-ExchangeOnline -AccessToken …` with a token the app got by any credential. */
  accessToken: string;
}

/** Ready-to-paste `Connect-IPPSSession` lines; where Microsoft's docs disagree on the URI (DoD), the other set too. */
export interface ConnectIPPSSessionLines {
  /** With a certificate: `Connect-IPPSSession -CertificateThumbprint …`. */
  certificateThumbprint?: string;
  /** With a generated certificate: `Connect-IPPSSession -CertificateFilePath …`. */
  certificateFile?: string;
  /** `Connect-IPPSSession -AccessToken …` with a token the app got by any credential. */
  accessToken: string;
  /** In DoD, where Microsoft's docs give two connection URIs: which ones, and that `alternative` uses the other. */
  docsDisagree?: string;
  /** In DoD: the same lines with the other documented connection URI. */
  alternative?: ConnectIPPSSessionAlternative;
}

/** The `Connect-IPPSSession` lines with the other documented URI. */
export interface ConnectIPPSSessionAlternative {
  /** With a certificate: `Connect-IPPSSession -CertificateThumbprint …`. */
  certificateThumbprint?: string;
  /** With a generated certificate: `Connect-IPPSSession -CertificateFilePath …`. */
  certificateFile?: string;
  /** `Connect-IPPSSession -AccessToken …`. */
  accessToken: string;
}

/** What the post-deploy check found when `pulumi up` ran it (`verifyOnUp`). */
export interface AccessCheckResult {
  /** True when every check passed (a failed check fails `pulumi up` instead). */
  ok: boolean;
  /** How many attempts the check took (it retries while Entra and Exchange propagate the grant). */
  attempts: number;
  /** How long the check took, in milliseconds. */
  elapsedMs: number;
  /** How long Entra and Exchange took to accept the fresh grant, when the check had to wait. */
  propagationMs?: number;
  /** The checks that passed, in order. */
  checks: string[];
  /** When the check ran (RFC 3339). */
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

/** The managed identity `ExchangeManagedIdentity` granted: what it is and its ids. */
export interface ManagedIdentityIds {
  /** `userAssigned`, `automationAccount` or `existing`, as the args say. */
  kind: ManagedIdentityKind;
  /** Object id of the identity's service principal: what consent and the directory role are granted to. */
  principalId: string;
  /** A user-assigned identity's client id (`-ManagedIdentityAccountId`); absent for a system-assigned one. */
  clientId?: string;
  /** ARM id of the identity or Automation account the component made; absent for an existing identity. */
  resourceId?: string;
}

/** Ready-to-paste `Connect-ExchangeOnline` lines for a managed identity. */
export interface ManagedIdentityConnectLines {
  /** `Connect-ExchangeOnline -ManagedIdentity …`, run where the identity is (the Automation account, the VM). */
  managedIdentity: string;
}

/** An Automation account's sample runbook: where it is and how to run it now. */
export interface SampleRunbookInfo {
  /** The runbook's name. */
  name: string;
  /** The Automation account that holds it. */
  automationAccount: string;
  /** The Automation account's resource group. */
  resourceGroup: string;
  /** When the schedule runs it (`every 1 day at 06:00 UTC`); absent without a schedule. */
  schedule?: string;
  /** Starts it once and waits: `az automation runbook start …` (the Azure CLI's automation extension). */
  start: string;
}

/** The outputs of `ExchangeManagedIdentity`, named as a managed-identity stack's outputs. */
export interface ExchangeManagedIdentityOutputs {
  readonly managedIdentity: pulumi.Output<ManagedIdentityIds>;
  readonly roleName: pulumi.Output<string>;
  readonly roleTemplateId: pulumi.Output<string | undefined>;
  readonly authorityHost: pulumi.Output<string>;
  readonly exchangeResource: pulumi.Output<string>;
  readonly connectExchangeOnline: pulumi.Output<ManagedIdentityConnectLines>;
  readonly runbook: pulumi.Output<SampleRunbookInfo | undefined>;
}

/** The stack outputs of a managed-identity tenant: known values as they are, the rest as Pulumi outputs. */
export type ManagedIdentityTenantOutputs = { readonly [K in keyof ManagedIdentityOutputs]: pulumi.Input<ManagedIdentityOutputs[K]> };

/** The output properties of an `ExchangeManagedIdentity` whose stack outputs are `outputs`. */
export function managedIdentityOutputProperties(outputs: ManagedIdentityTenantOutputs): ExchangeManagedIdentityOutputs {
  const out = <T>(value: pulumi.Input<T> | undefined) => pulumi.output(value) as pulumi.Output<T>;
  return {
    managedIdentity: out(outputs.managedIdentity) as pulumi.Output<ManagedIdentityIds>,
    roleName: out(outputs.roleName),
    roleTemplateId: out(outputs.roleTemplateId),
    authorityHost: out(outputs.authorityHost),
    exchangeResource: out(outputs.exchangeResource),
    connectExchangeOnline: out(outputs.connectExchangeOnline) as pulumi.Output<ManagedIdentityConnectLines>,
    runbook: out(outputs.runbook) as pulumi.Output<SampleRunbookInfo | undefined>,
  };
}
