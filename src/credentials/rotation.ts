/**
 * Overlapping rotation, for any credential: generation g is current, g - 1 stays valid beside it, and rotating
 * (g → g + 1) removes only g - 1, which consumers have had a whole rotation period to leave. The app never has
 * zero valid credentials. Pure, so the plan and the tests can reason about it without Pulumi.
 */
export interface Generation {
  readonly generation: number;
  /** True for the newest credential: the one the outputs hand out. */
  readonly current: boolean;
}

/** The generations alive at `rotation`, oldest first. */
export function liveGenerations(rotation: number): Generation[] {
  if (!Number.isSafeInteger(rotation) || rotation < 0) throw new RangeError(`rotation must be a whole number >= 0, got ${rotation}`);
  return rotation === 0
    ? [{ generation: 0, current: true }]
    : [
        { generation: rotation - 1, current: false },
        { generation: rotation, current: true },
      ];
}
