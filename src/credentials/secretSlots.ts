/**
 * Overlapping client secret rotation with two slots (see `liveGenerations`): generation g lives in slot g % 2, so
 * the resource a secret lives in keeps its name across rotations and rotating replaces only the older slot.
 */
import { liveGenerations } from "./rotation";

export type SlotName = "a" | "b";

export interface SecretSlot {
  readonly slot: SlotName;
  /** The rotation generation this slot's secret was issued for. */
  readonly generation: number;
  /** True for the newest secret: the one the `clientSecret` output holds. */
  readonly current: boolean;
}

export function secretSlots(rotation: number): SecretSlot[] {
  return liveGenerations(rotation)
    .map(({ generation, current }): SecretSlot => ({ slot: generation % 2 === 0 ? "a" : "b", generation, current }))
    .sort((x, y) => x.slot.localeCompare(y.slot));
}
