/** "Did you mean ...?" for near-miss names: roles, clouds, keys, credential kinds. */
import { closest, distance } from "fastest-levenshtein";
import { normalizeName } from "../facts";

/** The candidate closest to `value`, when it is close enough to be a plausible typo or abbreviation. */
export function suggest(value: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0 || value.trim() === "") return undefined;
  const wanted = normalizeName(value);
  const byNormal = new Map(candidates.map((c) => [normalizeName(c), c]));
  const prefixed = candidates.find((c) => normalizeName(c).startsWith(wanted) && wanted.length >= 3);
  if (prefixed) return prefixed;
  const best = closest(wanted, [...byNormal.keys()]);
  const allowed = Math.max(2, Math.floor(best.length / 3));
  return distance(wanted, best) <= allowed ? byNormal.get(best) : undefined;
}

/** ` Did you mean "x"?` or an empty string. */
export function didYouMean(value: string, candidates: readonly string[]): string {
  const hit = suggest(value, candidates);
  return hit ? ` Did you mean "${hit}"?` : "";
}
