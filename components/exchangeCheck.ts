/**
 * `verifyOnUp`: the post-deploy check as a resource, so `pulumi up` fails with the check's report instead of
 * succeeding into a broken state. It runs the same library as `exo-app-only verify` (src/check) on create and
 * whenever a trigger changes (a new credential, a new role, consent), and does nothing on delete.
 *
 * Why a dynamic provider and not `@pulumi/command`: the Command provider is a plugin binary this project cannot
 * install or test offline, and it would pass the secret to a child process through its environment; a dynamic
 * provider runs in Node, in the engine's provider host, with the secret kept a secret input. Dynamic providers
 * serialize their functions by value, so the functions below capture nothing but plain strings and `require` the
 * compiled check library (`dist/`) inside their bodies. `npm ci` builds it (the `prepare` script); after changing
 * the sources, `npm run build`. Every `pulumi` command, destroy and refresh too, runs this provider from the
 * project folder, so each needs `npm ci` there first.
 * Federated and managed identities can only be checked where they run: use `exo-app-only verify` in that pipeline.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CloudName } from "../src/facts";
import { compiledLibraryPath, providerErrorText, requireLibrary, withSecretInputs } from "./dynamic";

export interface ExchangeAccessCheckArgs {
  /** The tenant (GUID). */
  readonly tenantId: pulumi.Input<string>;
  /** The app's client id. */
  readonly clientId: pulumi.Input<string>;
  /** The Microsoft cloud (`public`, `usgovernment`, `dod`, `china`). */
  readonly environment: pulumi.Input<CloudName>;
  /** A client secret to check with. Stored as a secret; never in the resource's outputs. */
  readonly clientSecret?: pulumi.Input<string>;
  /** PEM holding the private key and the certificate, to check with. Stored as a secret; never in outputs. */
  readonly certificatePem?: pulumi.Input<string>;
  /**
   * Anything whose change must re-run the check: credential ids, the role assignment id, the consent grant id.
   * The check runs on create and whenever one of these (or tenant, client, cloud) changes. Pass the resources'
   * outputs, so the check also waits for them to exist.
   */
  readonly triggers: pulumi.Input<string>[];
  /** How long to wait for propagation, for example `15m` (the default) or `5m`. */
  readonly timeout?: pulumi.Input<string>;
  /** The tenant's initial domain (adds the X-AnchorMailbox header Connect-ExchangeOnline sends). */
  readonly organization?: pulumi.Input<string>;
  /** Overrides the login host (https only): the tenant emulator in tests and demos. */
  readonly authorityHost?: pulumi.Input<string>;
  /** Overrides where InvokeCommand is sent (https only). */
  readonly exchangeEndpoint?: pulumi.Input<string>;
  /** Extra CA (PEM) to trust: the tenant emulator's, in tests and demos. */
  readonly trustedCaPem?: pulumi.Input<string>;
  /** Skip the InvokeCommand probe (token checks only). */
  readonly probe?: pulumi.Input<boolean>;
}

/** What the provider receives: ExchangeAccessCheckArgs, resolved. */
export interface ExchangeCheckInputs {
  readonly tenantId: string;
  readonly clientId: string;
  readonly environment: CloudName;
  readonly clientSecret?: string;
  readonly certificatePem?: string;
  readonly triggers: string[];
  readonly timeout?: string;
  readonly organization?: string;
  readonly authorityHost?: string;
  readonly exchangeEndpoint?: string;
  readonly trustedCaPem?: string;
  readonly probe?: boolean;
}

/** What the resource keeps in state: what was checked and how it went. No secret. */
export interface ExchangeCheckOutputs {
  readonly tenantId: string;
  readonly clientId: string;
  readonly environment: CloudName;
  readonly triggers: string[];
  readonly ok: boolean;
  readonly attempts: number;
  readonly elapsedMs: number;
  /** How long propagation took, when the check had to wait. */
  readonly propagationMs?: number;
  /** One line per check: `ok token.role roles contains Exchange.ManageAsApp` (`WARN` for a warning, `FAIL`). */
  readonly checks: string[];
  readonly checkedAt: string;
}

/** The compiled check library, resolved once, here, into a plain string the serialized provider functions capture. */
const CHECK_MODULE = compiledLibraryPath("src/check/index.js");

/**
 * Runs the check for the provider (and for tests: under Pulumi mocks no provider runs). Throws an Error holding
 * the check's report when it fails, which is what makes `pulumi up` fail. Captures only `modulePath`.
 */
export async function runExchangeCheck(inputs: ExchangeCheckInputs, modulePath: string = CHECK_MODULE): Promise<ExchangeCheckOutputs> {
  const check = requireLibrary<typeof import("../src/check")>([modulePath], "verifyOnUp", "the check library");
  const credential = inputs.certificatePem
    ? ({ kind: "certificate", pem: inputs.certificatePem } as const)
    : inputs.clientSecret
      ? ({ kind: "secret", secret: inputs.clientSecret } as const)
      : undefined;
  if (!credential) {
    throw new Error("verifyOnUp: no client secret or certificate to check with. Federated and managed identities are checked where they run: `exo-app-only verify` in that pipeline.");
  }
  let report;
  try {
    report = await check.runCheck({
      tenantId: inputs.tenantId,
      clientId: inputs.clientId,
      environment: inputs.environment,
      credential,
      ...(inputs.timeout ? { timeoutMs: check.parseDuration(inputs.timeout, "timeout") } : {}),
      ...(inputs.organization ? { organization: inputs.organization } : {}),
      ...(inputs.authorityHost ? { authorityHost: inputs.authorityHost } : {}),
      ...(inputs.exchangeEndpoint ? { exchangeEndpoint: inputs.exchangeEndpoint } : {}),
      ...(inputs.trustedCaPem ? { ca: inputs.trustedCaPem } : {}),
      ...(inputs.probe === false ? { probe: false } : {}),
    });
  } catch (error) {
    throw new Error(providerErrorText("verifyOnUp", error));
  }
  if (!report.ok) {
    throw new Error(`verifyOnUp: the identity does not work yet.\n${check.renderText(report)}Re-run \`pulumi up\` after the fix, or \`exo-app-only verify --stack <stack>\` to check again without deploying.`);
  }
  return {
    tenantId: inputs.tenantId,
    clientId: inputs.clientId,
    environment: inputs.environment,
    triggers: [...inputs.triggers],
    ok: true,
    attempts: report.attempts,
    elapsedMs: Math.round(report.elapsedMs),
    ...(report.propagation ? { propagationMs: Math.round(report.propagation.waitedMs) } : {}),
    checks: report.checks.map((c) => `${c.warning ? "WARN" : c.ok ? "ok" : "FAIL"} ${c.id} ${c.detail}`),
    checkedAt: new Date().toISOString(),
  };
}

/** Re-run when what identifies the check or a trigger changes; secrets are compared through the triggers. */
export function exchangeCheckChanged(olds: Partial<ExchangeCheckOutputs>, news: ExchangeCheckInputs): boolean {
  return (
    olds.tenantId !== news.tenantId ||
    olds.clientId !== news.clientId ||
    olds.environment !== news.environment ||
    JSON.stringify(olds.triggers ?? []) !== JSON.stringify(news.triggers ?? [])
  );
}

const provider: pulumi.dynamic.ResourceProvider<ExchangeCheckInputs, ExchangeCheckOutputs> = {
  async create(inputs) {
    const outs = await runExchangeCheck(inputs, CHECK_MODULE);
    return { id: `${inputs.tenantId}/${inputs.clientId}`, outs };
  },
  async diff(_id, olds, news) {
    const changes = exchangeCheckChanged(olds, news);
    return { changes, replaces: [], deleteBeforeReplace: false };
  },
  async update(_id, _olds, news) {
    return { outs: await runExchangeCheck(news, CHECK_MODULE) };
  },
  // Nothing to undo, and nothing required: a state written on another machine can always be deleted.
  async delete() {
    return;
  },
};

/**
 * Proves, during `pulumi up`, that the app's secret or certificate yields an Exchange Online token with the right
 * audience and role and that `InvokeCommand` answers 200. Give it `dependsOn` (or trigger outputs of) the consent,
 * role assignment and credential so it runs after them.
 *
 * @example
 * new ExchangeAccessCheck("exo-verify", {
 *   tenantId, clientId: app.clientId, environment: "public",
 *   clientSecret: secret.value,
 *   triggers: [consent.id, roleAssignment.id, secret.keyId],
 * }, { parent: this, dependsOn: [consent, roleAssignment, secret] });
 */
/** A credential a check can sign in with, and the resources that hold it (the check waits for them). */
export interface CheckCredential {
  readonly certificatePem?: pulumi.Output<string>;
  readonly clientSecret?: pulumi.Output<string>;
  readonly resources: readonly pulumi.CustomResource[];
}

/** What a tenant's check depends on: its tenant, the app's client id, a credential and the tenant's grant. */
export interface CheckSubject {
  readonly tenant: { readonly tenantId: pulumi.Input<string>; readonly organization: string; readonly cloud: { readonly name: CloudName }; readonly verifyTimeout: string };
  readonly clientId: pulumi.Input<string>;
  readonly credential: CheckCredential;
  readonly grant: {
    readonly consent: pulumi.CustomResource;
    /** Absent for `role: none`. */
    readonly roleAssignment?: pulumi.CustomResource;
    readonly protectionConsent?: pulumi.CustomResource;
    readonly adminApiConsent?: pulumi.CustomResource;
  };
  /**
   * The app's Exchange RBAC grants (`exchangeRoles`): with `role: none` they are all the app may do in Exchange, so
   * the check waits for them and runs again when one is replaced.
   */
  readonly exchangeRbacGrants?: readonly pulumi.CustomResource[];
}

export class ExchangeAccessCheck extends pulumi.dynamic.Resource {
  /**
   * The check for one tenant, run after its consent, role and the credential exist, and again whenever one of
   * them is replaced.
   */
  static after(name: string, subject: CheckSubject, opts: pulumi.CustomResourceOptions): ExchangeAccessCheck {
    const { tenant, credential, grant } = subject;
    // In the order of old (consent, role), so a stack without the new grants keeps its triggers as they were.
    const grants = [grant.consent, grant.roleAssignment, grant.protectionConsent, grant.adminApiConsent, ...(subject.exchangeRbacGrants ?? [])].filter(
      (g): g is pulumi.CustomResource => g !== undefined,
    );
    return new ExchangeAccessCheck(
      name,
      {
        tenantId: tenant.tenantId,
        clientId: subject.clientId,
        environment: tenant.cloud.name,
        organization: tenant.organization,
        timeout: tenant.verifyTimeout,
        ...(credential.certificatePem ? { certificatePem: credential.certificatePem } : { clientSecret: credential.clientSecret }),
        triggers: [...grants.map((g) => g.id), ...credential.resources.map((c) => c.id)],
      },
      { ...opts, dependsOn: [...grants, ...credential.resources] },
    );
  }

  declare readonly ok: pulumi.Output<boolean>;
  declare readonly attempts: pulumi.Output<number>;
  declare readonly elapsedMs: pulumi.Output<number>;
  declare readonly propagationMs: pulumi.Output<number | undefined>;
  declare readonly checks: pulumi.Output<string[]>;
  declare readonly checkedAt: pulumi.Output<string>;

  constructor(name: string, args: ExchangeAccessCheckArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      {
        ...withSecretInputs(args, ["clientSecret", "certificatePem"]),
        ok: undefined,
        attempts: undefined,
        elapsedMs: undefined,
        propagationMs: undefined,
        checks: undefined,
        checkedAt: undefined,
      },
      // The secret inputs are wrapped above; the provider's outputs (ExchangeCheckOutputs) hold no secret at all.
      opts,
      "exchange-app-only",
      "ExchangeAccessCheck",
    );
  }
}
