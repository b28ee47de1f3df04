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

/** Lower-case words of a name: spaces, dashes, underscores and camelCase boundaries split it. */
function words(value: string): string[] {
  return value.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase().split(/[\s_-]+/).filter(Boolean);
}

/** A typed word stands for a name's word: a typo (one edit, two in a long word) or an abbreviation of 3+ letters. */
function sameWord(typed: string, word: string): boolean {
  if (typed.length >= 3 && word.startsWith(typed)) return true;
  return distance(typed, word) <= (word.length > 6 ? 2 : 1);
}

/**
 * The candidate that `value` misspells or abbreviates word for word, or undefined. Stricter than `suggest`, for
 * names where a near neighbour means something else: "User Administrator" must not lead to "Security
 * Administrator", nor "Exchange" to "Exchange Administrator".
 */
export function suggestSameName(value: string, candidates: readonly string[]): string | undefined {
  const typed = words(value);
  const wordForWord = candidates.filter((c) => {
    const w = words(c);
    return w.length === typed.length && w.every((word, i) => sameWord(typed[i]!, word));
  });
  if (wordForWord.length === 1) return wordForWord[0];
  const wanted = normalizeName(value);
  const typos = candidates.filter((c) => distance(normalizeName(c), wanted) <= 2);
  return typos.length === 1 ? typos[0] : undefined;
}

/**
 * For values where neighbours are different things (a managed identity's kinds, clouds, consent modes): the one
 * candidate `value` abbreviates (`user` for userAssigned) or misspells word for word, never the nearest spelling of
 * another word (`systemAssigned` is not `userAssigned`).
 */
export function suggestSameConcept(value: string, candidates: readonly string[]): string | undefined {
  const wanted = normalizeName(value);
  const abbreviated = wanted.length >= 3 ? candidates.filter((c) => normalizeName(c).startsWith(wanted)) : [];
  if (abbreviated.length === 1) return abbreviated[0];
  return suggestSameName(value, candidates);
}
