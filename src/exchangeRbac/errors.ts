/**
 * What goes wrong talking to Exchange's RBAC cmdlets, as values with a stable code, Exchange's own words and a fix.
 * The plugin prints `message` and `remedy` (provider/resources.ts); neither ever holds a token.
 */

export type ExchangeRbacErrorCode =
  /** The deploying identity could not get a token (no sign-in found, refused, wrong tenant). */
  | "ERR_SIGN_IN"
  /** Exchange refused the token (401): not a token Exchange accepts for this tenant. */
  | "ERR_UNAUTHORIZED"
  /** The deploying identity may not run the cmdlet: it lacks Organization Management. */
  | "ERR_NOT_ORGANIZATION_MANAGEMENT"
  /** A name in the stack Exchange does not know: role, role group, management scope, administrative unit. */
  | "ERR_NOT_FOUND"
  /** The object already exists in Exchange and is not in this stack's state. */
  | "ERR_EXISTS"
  /** Exchange does not see the Entra service principal yet (propagation), past the deadline. */
  | "ERR_PROPAGATION"
  /** Throttling or a service-side failure that outlasted the retries; a network failure. */
  | "ERR_UNAVAILABLE"
  /** A bad import id or input. */
  | "ERR_INPUT"
  /** Anything else Exchange said. */
  | "ERR_EXCHANGE";

export class ExchangeRbacError extends Error {
  constructor(
    readonly code: ExchangeRbacErrorCode,
    message: string,
    /** What to do about it, one or two sentences. */
    readonly remedy: string,
    /** Exchange's own text, when it gave one. */
    readonly exchangeText?: string,
  ) {
    super(message);
    this.name = "ExchangeRbacError";
  }
}
