/** Exit codes are a contract scripts rely on. */
import { ExoAppOnlyError } from "../errors";

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Thrown for bad flags or config: printed as one message (and remedy), exit 2, never a stack trace. */
export class UsageError extends ExoAppOnlyError {
  constructor(message: string, remedy: string) {
    super("ERR_USAGE", message, remedy);
  }
}
