/** What every recogniser shares: building a finding, and reading names as words. */
import type { Concept, FindingOf, ParamsByConcept, Risk } from '../finding';
import type { Facts } from '../syntax/facts';
import type { Span } from '../syntax/tree';

export interface Recogniser {
  readonly concept: Concept;
  recognise(facts: Facts): FindingOf<Concept>[];
}

export function finding<C extends Concept>(
  facts: Facts,
  concept: C,
  span: Span,
  confidence: number,
  params: ParamsByConcept[C],
  risks: Risk[],
): FindingOf<C> {
  return { concept, confidence: Math.round(confidence * 100) / 100, range: facts.range(span), params, risks, evidence: facts.excerpt(span) };
}

/** The lower-case words of identifiers in `text`: "numShards", "len(self.servers)" → num, shards, len, self, servers. */
export function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** Whether any word of `text` is one of `words` (singular or plural). */
export function mentions(text: string, words: ReadonlySet<string>): boolean {
  return wordsOf(text).some((w) => words.has(w) || (w.endsWith('s') && words.has(w.slice(0, -1))));
}

/** The smallest span covering all of `spans`. */
export function cover(spans: Span[]): Span {
  return { start: Math.min(...spans.map((s) => s.start)), end: Math.max(...spans.map((s) => s.end)) };
}

/** Keeps the settings whose value is known, for the finding's raw `settings`. */
export function knownSettings(entries: [string, number | string | boolean | null][]): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const [k, v] of entries) if (v !== null) out[k] = v;
  return out;
}
