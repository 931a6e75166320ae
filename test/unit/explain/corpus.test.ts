import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONCEPTS, type Finding, recognise } from '../../../extension/explain';
import { type CorpusCase, HOLDOUT_DIR, loadCorpus, mismatch, printTable, score, table } from './corpus';

const cases = loadCorpus();
const results = cases.map((c) => ({ c, findings: recognise(c.text, c.lang) }));

for (const { c, findings } of results) {
  test(`corpus ${c.file}: ${c.expectations.length === 0 ? 'nothing recognised' : c.expectations.map((e) => e.concept).join(', ')}`, () => {
    assert.equal(findings.length, c.expectations.length, `${c.file}: found ${describe(findings)}; expected ${c.expectations.map((e) => e.concept).join(', ') || 'nothing'}`);
    const free = [...findings];
    for (const e of c.expectations) {
      const problems: string[] = [];
      const i = free.findIndex((f) => { const m = mismatch(f, e); if (m) problems.push(m); return m === null; });
      assert.ok(i >= 0, `${c.file}: no finding meets "${e.source}": ${problems.join('; ')}`);
      free.splice(i, 1);
    }
  });
}

test('every concept has positives and every language has near misses in the corpus', () => {
  for (const concept of CONCEPTS) {
    const langs = new Set(cases.filter((c) => c.expectations.some((e) => e.concept === concept)).map((c) => c.lang));
    assert.ok(langs.size >= 3, `${concept} appears in ${[...langs].join(', ') || 'no language'}; write snippets in at least three`);
  }
  for (const lang of new Set(cases.map((c) => c.lang))) {
    assert.ok(cases.filter((c: CorpusCase) => c.lang === lang && c.expectations.length === 0).length >= 3, `${lang} needs at least three near misses`);
  }
});

test('precision and recall per concept on the corpus (printed), each at least 0.9', () => {
  const rows = table(score(results));
  const nearMisses = cases.filter((c) => c.expectations.length === 0).length;
  printTable(`Explain Selection corpus: ${cases.length} snippets (${nearMisses} near misses) in ${new Set(cases.map((c) => c.lang)).size} languages`, rows);
  for (const r of rows) {
    assert.ok(r.tp > 0, `${r.concept}: no true positive in the corpus`);
    assert.ok(r.precision >= 0.9, `${r.concept}: precision ${r.precision.toFixed(3)}`);
    assert.ok(r.recall >= 0.9, `${r.concept}: recall ${r.recall.toFixed(3)}`);
  }
});

test('precision and recall on the held-out snippets (printed); overall at least 0.8 and 0.7', () => {
  const holdout = loadCorpus(HOLDOUT_DIR).map((c) => ({ c, findings: recognise(c.text, c.lang) }));
  const rows = table(score(holdout));
  printTable(`Held-out snippets (never tuned against): ${holdout.length} in 5 languages`, rows);
  const sum = rows.reduce((a, r) => ({ tp: a.tp + r.tp, fp: a.fp + r.fp, fn: a.fn + r.fn }), { tp: 0, fp: 0, fn: 0 });
  const precision = sum.tp / (sum.tp + sum.fp);
  const recall = sum.tp / (sum.tp + sum.fn);
  console.log(`overall                  ${String(sum.tp).padStart(3)} ${String(sum.fp).padStart(3)} ${String(sum.fn).padStart(3)}  ${precision.toFixed(3).padStart(9)}  ${recall.toFixed(3).padStart(6)}`);
  for (const { c, findings } of holdout) {
    const want = c.expectations.map((e) => e.concept).sort().join(', ');
    const got = findings.map((f) => f.concept).sort().join(', ');
    if (want !== got) console.log(`  ${c.file}: expected [${want}], found [${got}]`);
  }
  assert.ok(precision >= 0.8, `held-out precision ${precision.toFixed(3)}`);
  assert.ok(recall >= 0.7, `held-out recall ${recall.toFixed(3)}`);
});

function describe(findings: Finding[]): string {
  return findings.map((f) => `${f.concept} @${f.range.start.line + 1} "${f.evidence}"`).join(', ') || 'nothing';
}
