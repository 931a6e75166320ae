import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runDsi } from '../cli/runDsi';

const dir = mkdtempSync(join(tmpdir(), 'dsi-explain-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, 'router.go');
writeFileSync(file, [
  'package router',
  '',
  'var shards = []string{"a", "b", "c", "d"}',
  '',
  'func Pick(k string) string {',
  '\treturn shards[crc32.ChecksumIEEE([]byte(k))%uint32(len(shards))]',
  '}',
  'func open(db *sql.DB) { db.SetMaxOpenConns(10) }',
  '',
].join('\n'));

test('dsi explain prints one JSON finding per line with concept, confidence, range, params and risks', async () => {
  const r = await runDsi('explain', '--lang', 'go', file);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((f) => f.concept), ['modulo-sharding', 'connection-pool']);
  const [shard] = lines;
  assert.deepEqual(Object.keys(shard), ['concept', 'confidence', 'range', 'params', 'risks', 'evidence']);
  assert.deepEqual(shard.range.start, { line: 5, character: 15 });
  assert.equal(shard.params.n, 4);
  assert.equal(shard.params.hash, 'crc32');
  assert.deepEqual(shard.risks.map((x: { id: string }) => x.id), ['modulo-resharding']);
});

test('--lines reads a selection and keeps document positions; --explain adds measured numbers', async () => {
  const r = await runDsi('explain', '--lang', 'go', '--lines', '6-6', '--explain', file);
  assert.equal(r.status, 0, r.stderr);
  const [f] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(f.range.start.line, 5);
  assert.equal(f.params.n, null);
  assert.match(f.explanation.summary, /adding a fifth server moves 8\d\.\d% of keys/);
  assert.equal(f.explanation.open.kind, 'ring');
  assert.ok(f.explanation.missing.length > 0);
});

test('bad arguments exit 2 with the usage; unreadable files exit 1 saying why', async () => {
  const lang = await runDsi('explain', '--lang', 'rust', file);
  assert.equal(lang.status, 2);
  assert.match(lang.stderr, /--lang must be one of typescript\|javascript\|java\|go\|python/);
  assert.match(lang.stderr, /Usage: dsi explain/);
  assert.equal((await runDsi('explain', file)).status, 2);
  assert.equal((await runDsi('explain', '--lang', 'go')).status, 2);
  assert.equal((await runDsi('explain', '--lang', 'go', '--lines', '9-2', file)).status, 2);
  assert.equal((await runDsi('explain', '--lang', 'go', '--lines', '500-501', file)).status, 2);
  assert.equal((await runDsi('explain', '--lang', 'go', '--min-confidence', '2', file)).status, 2);
  const missing = await runDsi('explain', '--lang', 'go', join(dir, 'nope.go'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /Cannot read .*nope\.go: it does not exist/);
  const folder = await runDsi('explain', '--lang', 'go', dir);
  assert.equal(folder.status, 1);
  assert.match(folder.stderr, /it is a directory/);
});
