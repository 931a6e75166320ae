/**
 * Explain Selection: how long recognition takes per language against the parser alone (the floor
 * any recogniser pays), how much the sandbox costs against hashing in-process, and how long each
 * concept's explanation takes to measure. Medians of repeated runs; ratios within this run.
 */
import ts from 'typescript';
import { hasher } from '../extension/engines/hashing';
import { explain, hashInSandbox, LANGUAGES, prepareUserFunction, recognise } from '../extension/explain';
import { keyPlan } from '../extension/explain/distribution/keyPlan';
import { tokenize } from '../extension/explain/syntax/tokenizer';
import { loadCorpus } from '../test/unit/explain/corpus';
import { fmt, printTable, ratio, timeMedian, timeMedianAsync } from './stats';

const RUNS = 9;

async function main(): Promise<void> {
  const corpus = loadCorpus();

  console.log('\nRecognition of the whole corpus per language (median of 9 runs)');
  const recognitionRows = LANGUAGES.map((lang) => {
    const texts = corpus.filter((c) => c.lang === lang).map((c) => c.text);
    const chars = texts.reduce((n, t) => n + t.length, 0);
    const full = timeMedian(RUNS, () => { for (const t of texts) recognise(t, lang); });
    const floor = timeMedian(RUNS, () => {
      for (const t of texts) {
        if (lang === 'typescript' || lang === 'javascript') ts.createSourceFile('x.ts', t, ts.ScriptTarget.Latest, true);
        else tokenize(t, lang);
      }
    });
    return { language: lang, snippets: texts.length, chars, 'recognise ms': full, 'parse/tokenize ms': floor, 'chars/ms': chars / full, 'vs parse alone': ratio(full, floor) };
  });
  printTable(recognitionRows);

  console.log('\n"Use Selection as Hash Function": FNV-1a over the 31,400-key plan, sandboxed vs in-process (median of 5)');
  const plan = keyPlan();
  const fnv = prepareUserFunction('function fnv(s) { let h = 0x811c9dc5; for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); } return h >>> 0; }', 'javascript');
  const sandbox = await timeMedianAsync(5, async () => { await hashInSandbox(fnv, plan.keys); });
  const engine = hasher('fnv1a32');
  const inProcess = timeMedian(5, () => { for (const k of plan.keys) engine(k); });
  printTable([
    { run: 'sandbox (worker start, vm, limits)', ms: sandbox, ratio: ratio(sandbox, inProcess) },
    { run: 'in-process engine fnv1a32', ms: inProcess, ratio: ratio(inProcess, inProcess) },
  ]);

  console.log('\nExplanation per concept, measurements included (median of 3; keep-alive opens real sockets)');
  const samples: [string, Parameters<typeof recognise>[1], string][] = [
    ['modulo-sharding', 'go', 'crc32.ChecksumIEEE(k) % uint32(4)'],
    ['hash-ring', 'javascript', "new HashRing(['a', 'b', 'c'])"],
    ['hash-function', 'java', 'int h(String s) { int h = 5381; for (char c : s.toCharArray()) h = h * 33 + c; return h; }'],
    ['hash-table', 'java', 'new HashMap<>(100000, 0.75f)'],
    ['connection-pool', 'python', 'create_engine("mysql://x", pool_size=10)'],
    ['idempotency', 'python', 'r.set(f"idem:{m.id}", 1, nx=True, ex=600)'],
    ['ordered-consumption', 'python', 'pool = ThreadPoolExecutor(max_workers=8)\nfor msg in consumer:\n    pool.submit(handle, msg)'],
    ['distributed-transaction', 'python', 'STEPS = [(reserve, release), (charge, refund)]'],
    ['http-keepalive', 'typescript', 'new http.Agent({ keepAlive: true, maxSockets: 8 })'],
  ];
  const rows: Record<string, string | number>[] = [];
  for (const [concept, lang, code] of samples) {
    const f = recognise(code, lang).find((x) => x.concept === concept);
    if (!f) { rows.push({ concept, ms: 'not recognised' }); continue; }
    const ms = await timeMedianAsync(concept === 'http-keepalive' ? 1 : 3, async () => { await explain(f); });
    rows.push({ concept, ms, engine: (await explain(f, { realTime: false })).measurements[0]?.engine ?? '(sockets)' });
  }
  printTable(rows);
  console.log(`\nrecognition throughput ranges ${fmt(Math.min(...recognitionRows.map((r) => r['chars/ms'])))}–${fmt(Math.max(...recognitionRows.map((r) => r['chars/ms'])))} chars/ms`);
}

void main();
