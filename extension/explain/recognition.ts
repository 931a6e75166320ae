/** The entry point of recognition: source text and language in, findings out. */
import type { Finding, Position } from './finding';
import type { Language } from './language';
import { recogniseAll } from './recognise';
import { Facts } from './syntax/facts';
import { parseSource } from './syntax/parse';

export interface RecogniseOptions {
  /** Where the text starts in its document, so finding ranges point into the editor. Default 0:0. */
  origin?: Position;
  /** Findings below this confidence are dropped. Default 0.5. */
  minConfidence?: number;
}

export const DEFAULT_MIN_CONFIDENCE = 0.5;

export function recognise(text: string, lang: Language, options: RecogniseOptions = {}): Finding[] {
  const facts = new Facts(parseSource(text, lang), options.origin);
  return recogniseAll(facts, options.minConfidence ?? DEFAULT_MIN_CONFIDENCE);
}
