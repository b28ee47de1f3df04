/**
 * What a policy needs to know beyond the resources: the stack's name and the time. The Pulumi CLI starts the pack
 * with the stack in PULUMI_NODEJS_STACK (and PULUMI_STACK); `exo-app-only plan --policy` and the tests pass their own.
 */
export interface PackContext {
  /** The stack being previewed or updated, for example `contoso-prod`; empty when nobody said. */
  readonly stack: () => string;
  /** The clock a credential's lifetime is measured against. */
  readonly now: () => Date;
}

export function defaultContext(env: NodeJS.ProcessEnv = process.env): PackContext {
  return {
    stack: () => env.PULUMI_NODEJS_STACK ?? env.PULUMI_STACK ?? "",
    now: () => new Date(),
  };
}
