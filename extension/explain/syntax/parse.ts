/** Source text in, the shared syntax tree out, whatever the language. */
import { UserError } from '../../engines/core/model';
import type { Language } from '../language';
import { parseTokens } from './tokenParser';
import type { SourceUnit } from './tree';
import { parseTypeScript } from './typescriptParser';

/** Larger than any selection a person makes; a whole generated file is not worth explaining. */
export const MAX_SOURCE_CHARS = 1_000_000;

export function parseSource(text: string, lang: Language): SourceUnit {
  if (text.length > MAX_SOURCE_CHARS)
    throw new UserError(
      `The selection is too large to explain (${text.length.toLocaleString('en-US')} characters; the limit is ${MAX_SOURCE_CHARS.toLocaleString('en-US')}). Select the function or block you want explained.`,
    );
  try {
    return lang === 'typescript' || lang === 'javascript' ? parseTypeScript(text, lang) : parseTokens(text, lang);
  } catch (e) {
    // Only pathological nesting (thousands of levels) exhausts the stack; say so rather than crash.
    if (e instanceof RangeError)
      throw new UserError('The selection is nested too deeply to read (it exhausted the parser\'s stack). Select a smaller piece of code.');
    throw e;
  }
}
