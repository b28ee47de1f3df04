/**
 * Overlapping client secret rotation with two slots. Generation g lives in slot g % 2; the other slot keeps
 * generation g - 1. Rotating (g → g + 1) replaces only the older secret, so the one consumers hold now stays
 * valid until the rotation after next: the app never has zero valid secrets and consumers get a whole rotation
 * period to switch. Pure, so the plan and the tests can reason about it without Pulumi.
 */
export type SlotName = "a" | "b";

export interface SecretSlot {
  readonly slot: SlotName;
  /** The rotation generation this slot's secret was issued for. */
  readonly generation: number;
  /** True for the newest secret: the one the `clientSecret` output holds. */
  readonly current: boolean;
}

export function secretSlots(rotation: number): SecretSlot[] {
  if (!Number.isSafeInteger(rotation) || rotation < 0) throw new RangeError(`rotation must be a whole number >= 0, got ${rotation}`);
  const slotOf = (generation: number): SlotName => (generation % 2 === 0 ? "a" : "b");
  const slots: SecretSlot[] = [{ slot: slotOf(rotation), generation: rotation, current: true }];
  if (rotation > 0) slots.push({ slot: slotOf(rotation - 1), generation: rotation - 1, current: false });
  return slots.sort((x, y) => x.slot.localeCompare(y.slot));
}
