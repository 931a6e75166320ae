/** Selected hash functions as the host stores them in a session (JavaScript, types stripped). */
import type { SelectedHashSource } from '../../../extension/engines/hashing/selectedHashSource';

/** FNV-1a over UTF-16 code units: the engine's fnv1a32 (over UTF-8 bytes) on ASCII keys. */
export const FNV_SOURCE: SelectedHashSource = {
  name: 'fnv',
  script: '"use strict";\nfunction fnv(s) {\n  let h = 0x811c9dc5;\n  for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }\n  return h >>> 0;\n}\n',
  entry: 'fnv',
};

/** A function with the given body, named h. */
export const sourceOf = (script: string, entry = 'h'): SelectedHashSource => ({ name: entry, script, entry });
