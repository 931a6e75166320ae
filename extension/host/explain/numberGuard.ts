/**
 * The check that keeps a language model's phrasing honest: every number in it must come from the
 * measured explanation or the selected code. A phrasing that brings a number of its own is thrown
 * away, and the deterministic explanation stands alone.
 */

/**
 * Numbers in a text, normalised: "100,000" → "100000", "80.3%" → "80.3", "1.84×" → "1.84". List
 * markers ("1. ") and digits inside names ("fnv1a32", "MurmurHash3") are not numbers.
 */
export function numbersIn(text: string): string[] {
  const withoutMarkers = text.replace(/^\s*\d+[.)]\s/gm, '');
  return (withoutMarkers.match(/(?<![A-Za-z_\d.,])\d+(?:,\d{3})*(?:\.\d+)?/g) ?? []).map((n) => String(Number(n.replace(/,/g, ''))));
}

/** The numbers of `phrased` found in none of `sources`, each once. */
export function inventedNumbers(phrased: string, sources: readonly string[]): string[] {
  const known = new Set(sources.flatMap(numbersIn));
  return [...new Set(numbersIn(phrased).filter((n) => !known.has(n)))];
}
