/**
 * The host's half of Explain Selection that runs outside VS Code: the worker bundle behind
 * ExplainClient (recognise, explain with a ready inspector, measure a selected hash, failures and
 * restarts), the inspector settings completed by each inspector's own factory, and the check that
 * keeps a language model from adding numbers.
 */
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { UserError } from '../../../extension/engines/core/model';
import { hashTableFactory } from '../../../extension/engines/hashtable';
import { ringFactory } from '../../../extension/engines/ring';
import { noRunContext } from '../../../extension/engines/core/model';
import { ExplainClient } from '../../../extension/host/explain/explainClient';
import { plan } from '../../../extension/host/explain/explainService';
import { inventedNumbers, numbersIn } from '../../../extension/host/explain/numberGuard';
import { linesLabel } from '../../../extension/host/explain/explainState';

const SHARD_ROUTER = readFileSync(join(__dirname, '../../../sample-workspace/ts/src/shardRouter.ts'), 'utf8');
let workerFile: string;

before(async () => {
  // Bundled the way esbuild.mjs ships it (dist/workers/explain.js), into a scratch folder.
  workerFile = join(mkdtempSync(join(tmpdir(), 'dsi-explain-')), 'explain.js');
  await build({ entryPoints: [join(__dirname, '../../../extension/host/explain/explainWorker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: workerFile, logLevel: 'error' });
});
after(() => rmSync(dirname(workerFile), { recursive: true, force: true }));

test('in its worker: a selection is recognised with ranges in the document, explained, and each inspector comes with complete settings', async () => {
  const client = new ExplainClient(workerFile);
  try {
    const lines = SHARD_ROUTER.split('\n');
    const { language, findings } = await client.request('recognise', { text: lines.slice(13, 19).join('\n'), languageId: 'typescriptreact', origin: { line: 13, character: 0 } });
    assert.equal(language, 'typescript');
    assert.deepEqual(findings.map((f) => f.concept), ['modulo-sharding']);
    assert.equal(findings[0]!.range.start.line, 17, 'the range points into the document, not the selection');
    const e = await client.request('explain', { finding: findings[0]!, realTime: false });
    assert.match(e.summary, /moves \d+\.\d% of keys/);
    assert.equal(e.open?.kind, 'ring');
    // Complete settings: a ring session starts from them as they are.
    const model = ringFactory.create(e.open!.config as never);
    for (const intent of e.open!.intents) await model.dispatch(intent as never, noRunContext);
    const movement = (model.view() as unknown as { movement: { fraction: number } | null }).movement;
    assert.ok(movement && movement.fraction > 0.7, `hash % 4 → 5 moved ${movement?.fraction}`);
  } finally {
    client.dispose();
  }
});

test('in its worker: a selected hash is measured, and the table and ring it offers hash with it (given permission)', async () => {
  const client = new ExplainClient(workerFile);
  try {
    const m = await client.request('measureHash', { text: SHARD_ROUTER.split('\n').slice(3, 12).join('\n'), languageId: 'typescript' });
    assert.equal(m.source.name, 'fnv1a32');
    assert.equal(m.report.selected.chiSquare, m.report.references[0]!.chiSquare, 'the selection is FNV-1a');
    const table = hashTableFactory.create(m.targets.hashtable.config as never, { runSelectedCode: true });
    for (const intent of m.targets.hashtable.intents) await table.dispatch(intent as never, noRunContext);
    assert.match(table.view().summary.subtitle ?? '', /fnv1a32 \(your code\)/);
    assert.throws(() => ringFactory.create(m.targets.ring.config as never), /allow it/);
    await assert.rejects(client.request('measureHash', { text: 'func hash(s string) uint32 { return 1 }', languageId: 'go' }), (e: unknown) => e instanceof UserError && /JavaScript and TypeScript only/.test(e.message));
    await assert.rejects(client.request('measureHash', { text: 'const h = (s) => { for (;;) {} };', languageId: 'javascript' }), (e: unknown) => e instanceof UserError && /time limit/.test(e.message));
    await assert.rejects(client.request('recognise', { text: 'fn main() {}', languageId: 'rust', origin: { line: 0, character: 0 } }), (e: unknown) => e instanceof UserError && /does not read "rust" code/.test(e.message));
  } finally {
    client.dispose();
  }
});

test('the worker stops when idle and after a crash, and the next request starts it again', async () => {
  const client = new ExplainClient(workerFile, 200);
  try {
    const first = await client.request('recognise', { text: 'x % 4', languageId: 'typescript', origin: { line: 0, character: 0 } });
    assert.deepEqual(first.findings, []);
    assert.ok(client.running);
    await new Promise((r) => setTimeout(r, 600));
    assert.ok(!client.running, 'stopped after being idle');
    const pending = client.request('explain', { finding: null as never, realTime: false });
    client.dispose();
    await assert.rejects(pending, /Cannot finish: the Explain engine was shut down/);
    const again = await client.request('recognise', { text: 'hash(key) % servers.length', languageId: 'javascript', origin: { line: 0, character: 0 } });
    assert.deepEqual(again.findings.map((f) => f.concept), ['modulo-sharding']);
  } finally {
    client.dispose();
  }
});

test('settings made for a finding are checked by the inspector\'s schema before anything opens', () => {
  assert.throws(() => plan({ kind: 'hashtable', title: 't', config: { initialSize: 1 }, intents: [] }), /do not fit the inspector: config\.initialSize/);
  assert.throws(() => plan({ kind: 'ring', title: 't', config: {}, intents: [{ type: 'insertKeys', count: -1 }] }), /does not fit the Hash Ring: intent\.count/);
  const p = plan({ kind: 'hashtable', title: 't', config: { hash: 'java' }, intents: [] });
  assert.deepEqual(p.config, { ...hashTableFactory.defaults(), hash: 'java' });
});

test('a language model\'s phrasing may use only numbers that were measured or written in the code', () => {
  const measured = 'With n = 4, adding a fifth server moves 80.3% of keys (measured on 100,000 sample keys); a ring with 160 virtual nodes moves 23.2%.';
  assert.deepEqual(numbersIn('moves 80.3% of 100,000 keys, 1.84× the mean'), ['80.3', '100000', '1.84']);
  assert.deepEqual(inventedNumbers('Adding a server to these 4 shards moves 80.3% of the 100000 keys; a ring moves 23.2%.', [measured]), []);
  assert.deepEqual(inventedNumbers('1. Adding a server moves 80.3% of keys.\n2. A ring moves about 20%.', [measured]), ['20']);
  assert.deepEqual(inventedNumbers('It moves roughly 81% of keys, 3 times more than a ring.', [measured, 'fnv1a32(key) % 4']), ['81', '3']);
  assert.deepEqual(inventedNumbers('fnv1a32 and MurmurHash3 are names, not numbers; x86 too.', [measured]), []);
  assert.deepEqual(numbersIn('a 4th shard, 32-bit hashes'), ['4', '32']);
});

test('line labels count as the editor does, and a selection ending at a line start does not take that line', () => {
  assert.equal(linesLabel({ start: { line: 17, character: 9 }, end: { line: 17, character: 47 } }), 'line 18');
  assert.equal(linesLabel({ start: { line: 3, character: 0 }, end: { line: 12, character: 0 } }), 'lines 4–12');
  assert.equal(linesLabel({ start: { line: 3, character: 0 }, end: { line: 11, character: 1 } }), 'lines 4–12');
});
