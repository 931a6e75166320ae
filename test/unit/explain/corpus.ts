/**
 * The recognition corpus: realistic snippets per language under corpus/<language>/, each opening
 * with the findings it must produce, one comment line each:
 *   // expect: modulo-sharding n=4 hash=crc32 risks=modulo-resharding
 *   # expect: none                      (a near miss: nothing may be recognised)
 * Listed params must equal the finding's (values are JSON where they parse, else strings);
 * `risks=` lists the risk ids exactly (empty: none). TypeScript snippets end in .ts.txt so that the
 * project's type check leaves them alone: they are fragments, not compilable modules.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Concept, CONCEPTS, type Finding } from '../../../extension/explain';
import type { Language } from '../../../extension/explain';

export interface Expectation {
  concept: Concept;
  params: Record<string, unknown>;
  risks: string[] | null;
  source: string;
}

export interface CorpusCase {
  file: string;
  lang: Language;
  text: string;
  expectations: Expectation[];
}

const EXTENSIONS: Record<string, Language> = { ts: 'typescript', js: 'javascript', java: 'java', go: 'go', py: 'python' };
/** The corpus the recognisers were developed against. */
export const CORPUS_DIR = join(import.meta.dirname, 'corpus');
/** Snippets written after the recognisers were frozen and never tuned against: an honest estimate. */
export const HOLDOUT_DIR = join(import.meta.dirname, 'holdout');

export function loadCorpus(root = CORPUS_DIR): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const dir of readdirSync(root).sort()) {
    for (const name of readdirSync(join(root, dir)).sort()) {
      const bare = name.replace(/\.txt$/, '');
      const lang = EXTENSIONS[bare.slice(bare.lastIndexOf('.') + 1)];
      if (!lang) throw new Error(`corpus/${dir}/${name}: unknown extension`);
      const text = readFileSync(join(root, dir, name), 'utf8');
      cases.push({ file: `${dir}/${name}`, lang, text, expectations: parseExpectations(text, `${dir}/${name}`) });
    }
  }
  return cases;
}

function parseExpectations(text: string, file: string): Expectation[] {
  const lines = [...text.matchAll(/^\s*(?:\/\/|#)\s*expect:\s*(.*)$/gm)].map((m) => m[1]!.trim());
  if (lines.length === 0) throw new Error(`${file}: no "expect:" line`);
  if (lines.length === 1 && lines[0] === 'none') return [];
  return lines.map((line) => {
    const [concept, ...rest] = line.split(/\s+/);
    if (!(CONCEPTS as readonly string[]).includes(concept!)) throw new Error(`${file}: unknown concept "${concept}"`);
    const params: Record<string, unknown> = {};
    let risks: string[] | null = null;
    for (const m of rest.join(' ').matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\[[^\]]*\]|\S*)/g)) {
      const [, key, raw] = m as unknown as [string, string, string];
      if (key === 'risks') { risks = raw === '' ? [] : raw.split(','); continue; }
      try { params[key] = JSON.parse(raw); } catch { params[key] = raw; }
    }
    return { concept: concept as Concept, params, risks, source: line };
  });
}

/** Why a finding does not meet an expectation, or null when it does. */
export function mismatch(f: Finding, e: Expectation): string | null {
  if (f.concept !== e.concept) return `concept ${f.concept}`;
  const params = f.params as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(e.params)) {
    if (JSON.stringify(params[k]) !== JSON.stringify(v)) return `${k} = ${JSON.stringify(params[k])}, expected ${JSON.stringify(v)}`;
  }
  if (e.risks) {
    const got = f.risks.map((r) => r.id).sort();
    const want = [...e.risks].sort();
    if (JSON.stringify(got) !== JSON.stringify(want)) return `risks [${got.join(', ')}], expected [${want.join(', ')}]`;
  }
  return null;
}

export interface Score { tp: number; fp: number; fn: number }

export interface Row { concept: Concept; tp: number; fp: number; fn: number; precision: number; recall: number }

export function table(s: Record<Concept, Score>): Row[] {
  return CONCEPTS.map((concept) => {
    const { tp, fp, fn } = s[concept];
    return { concept, tp, fp, fn, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) };
  });
}

export function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  console.log('concept                   TP  FP  FN  precision  recall');
  for (const r of rows) console.log(`${r.concept.padEnd(24)} ${String(r.tp).padStart(3)} ${String(r.fp).padStart(3)} ${String(r.fn).padStart(3)}  ${r.precision.toFixed(3).padStart(9)}  ${r.recall.toFixed(3).padStart(6)}`);
}

/** Per concept: findings matching an expected concept (tp), extra findings (fp), expectations not found (fn). */
export function score(results: { c: CorpusCase; findings: Finding[] }[]): Record<Concept, Score> {
  const out = Object.fromEntries(CONCEPTS.map((c) => [c, { tp: 0, fp: 0, fn: 0 }])) as Record<Concept, Score>;
  for (const { c, findings } of results) {
    for (const concept of CONCEPTS) {
      const expected = c.expectations.filter((e) => e.concept === concept).length;
      const found = findings.filter((f) => f.concept === concept).length;
      const tp = Math.min(expected, found);
      out[concept].tp += tp;
      out[concept].fp += found - tp;
      out[concept].fn += expected - tp;
    }
  }
  return out;
}
