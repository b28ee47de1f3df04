/**
 * Injected faults: queued per endpoint kind, each applying to exactly the next `times` matching requests.
 */

export type FaultKind = "token" | "invoke" | "metadata" | "graph";

export interface FaultSpec {
  readonly kind: FaultKind;
  /** How many matching requests it applies to (default 1). */
  readonly times?: number;
  /** Answer with this status. When `retryAfterSeconds` or `body` is given without a status (and no `aadsts`), 429. */
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** The body: a string or Buffer is sent as is, anything else as JSON. Defaults to an error in the endpoint's shape. */
  readonly body?: unknown;
  /** Answer with Entra's JSON error body for this AADSTS code (token and metadata kinds). */
  readonly aadsts?: number;
  /** Adds `Retry-After: <seconds>`. */
  readonly retryAfterSeconds?: number;
  /** Destroy the socket without an answer. */
  readonly reset?: boolean;
  /** Answer this much later (alone: a slow but otherwise normal answer). */
  readonly delayMs?: number;
}

export interface Faults {
  inject(f: FaultSpec): void;
  clear(): void;
  /** Faults still queued, with how many requests each has left. */
  pending(): readonly (FaultSpec & { remaining: number })[];
}

interface Queued {
  readonly spec: FaultSpec;
  remaining: number;
}

export class FaultQueue implements Faults {
  private queue: Queued[] = [];

  inject(f: FaultSpec): void {
    const times = f.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new RangeError(`times must be an integer >= 1, got ${times}`);
    if (!["token", "invoke", "metadata", "graph"].includes(f.kind)) throw new RangeError(`unknown fault kind ${String(f.kind)}`);
    if (f.delayMs !== undefined && (!Number.isFinite(f.delayMs) || f.delayMs < 0)) throw new RangeError(`delayMs must be >= 0`);
    this.queue.push({ spec: { ...f }, remaining: times });
  }

  clear(): void {
    this.queue = [];
  }

  pending(): readonly (FaultSpec & { remaining: number })[] {
    return this.queue.map((q) => ({ ...q.spec, remaining: q.remaining }));
  }

  /** The fault for this request, if any (first injected first), consuming one of its uses. */
  take(kind: string): FaultSpec | undefined {
    const i = this.queue.findIndex((q) => q.spec.kind === kind);
    if (i < 0) return undefined;
    const q = this.queue[i]!;
    q.remaining -= 1;
    if (q.remaining <= 0) this.queue.splice(i, 1);
    return q.spec;
  }
}
