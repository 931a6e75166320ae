/**
 * The languages Explain Selection reads. TypeScript and JavaScript go through the TypeScript
 * compiler's parser; Java, Go and Python through a tolerant tokenizer, because a selection is
 * usually a fragment that no strict parser for those languages would accept.
 */
import { UserError } from '../engines/core/model';

export const LANGUAGES = ['typescript', 'javascript', 'java', 'go', 'python'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(s: string): s is Language {
  return (LANGUAGES as readonly string[]).includes(s);
}

/** VS Code language ids (and file extensions) that map onto a supported language. */
const ALIASES: Record<string, Language> = {
  typescript: 'typescript', typescriptreact: 'typescript', ts: 'typescript', tsx: 'typescript', mts: 'typescript', cts: 'typescript',
  javascript: 'javascript', javascriptreact: 'javascript', js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript',
  java: 'java',
  go: 'go',
  python: 'python', py: 'python',
};

/** Maps a VS Code language id or a file extension to a language, or says what is supported. */
export function languageFromId(id: string): Language {
  const lang = ALIASES[id.toLowerCase().replace(/^\./, '')];
  if (!lang)
    throw new UserError(
      `Explain Selection does not read "${id}" code: it cannot recognise anything in that language. ` +
        `Select code in ${LANGUAGES.join(', ')}.`,
    );
  return lang;
}
