import { ExoAppOnlyError } from "../errors";

/**
 * The check cannot start: a flag, a file, a stack output or a credential is unusable. The CLI exits 2 on it.
 * Codes: ERR_USAGE (flags), ERR_CREDENTIAL (a secret, certificate or token source), ERR_STACK (stack outputs).
 */
export class CheckSetupError extends ExoAppOnlyError {
  constructor(code: "ERR_USAGE" | "ERR_CREDENTIAL" | "ERR_STACK", message: string, remedy: string, options?: { cause?: unknown }) {
    super(code, message, remedy, options);
  }
}
