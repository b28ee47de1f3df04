/**
 * `verifyOnUp`: the post-deploy check as a resource, so `pulumi up` fails with the check's report instead of
 * succeeding into a broken state. It runs the same library as `exo-app-only verify` (src/check/resource.ts) on
 * create and whenever a trigger changes (a new credential, a new role, consent), and does nothing on delete.
 *
 * A custom resource of this package's provider plugin (`exchange-app-only:index:ExchangeAccessCheck`, served by
 * provider/resources.ts in the plugin's process), not a dynamic provider: state holds no function, and `pulumi
 * destroy` or `refresh` need nothing from the folder that created the stack. The secret or the key is a secret
 * input (encrypted in state); the outputs hold no secret at all.
 * Federated and managed identities can only be checked where they run: use `exo-app-only verify` in that pipeline.
 */
import * as pulumi from "@pulumi/pulumi";
import { TYPE, type CloudName } from "../src/facts";

export type { ExchangeCheckInputs, ExchangeCheckOutputs } from "../src/check/resource";

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
  readonly triggers: pulumi.Input<pulumi.Input<string>[]>;
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

/** The check's secret inputs: sent as secrets, and kept secret should the engine ever echo them. */
const SECRET_INPUTS = ["clientSecret", "certificatePem"] as const;

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
  /** For a credential held by no resource here (an app made elsewhere): what changes when it does, no secret. */
  readonly triggers?: readonly pulumi.Input<string>[];
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

export class ExchangeAccessCheck extends pulumi.CustomResource {
  /** The type token the plugin serves it under. */
  static readonly __pulumiType = TYPE.check;

  /** Whether `obj` is an ExchangeAccessCheck, across copies of this package (as generated SDKs test it). */
  static isInstance(obj: unknown): obj is ExchangeAccessCheck {
    return pulumi.CustomResource.isInstance(obj) && (obj as unknown as { __pulumiType?: string }).__pulumiType === ExchangeAccessCheck.__pulumiType;
  }

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
        triggers: [...grants.map((g) => g.id), ...credential.resources.map((c) => c.id), ...(credential.triggers ?? [])],
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

  /** The tenant, client and cloud checked, and the triggers of the last run. */
  declare readonly tenantId: pulumi.Output<string>;
  declare readonly clientId: pulumi.Output<string>;
  declare readonly environment: pulumi.Output<CloudName>;
  declare readonly triggers: pulumi.Output<string[]>;

  constructor(name: string, args: ExchangeAccessCheckArgs, opts?: pulumi.CustomResourceOptions) {
    const inputs: Record<string, unknown> = { ...args, ok: undefined, attempts: undefined, elapsedMs: undefined, propagationMs: undefined, checks: undefined, checkedAt: undefined };
    for (const key of SECRET_INPUTS) inputs[key] = args[key] === undefined ? undefined : pulumi.secret(args[key]);
    super(TYPE.check, name, inputs, { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...SECRET_INPUTS] });
  }
}
