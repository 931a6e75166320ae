import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import HashRing from 'hashring';
import { UsageError } from '../../../extension/cli/args';
import { ringCommand } from '../../../extension/cli/ring';
import { generateKeys } from '../../../extension/engines/ring';

const MAIN = join(__dirname, '../../../extension/cli/main.ts');
const scratch = mkdtempSync(join(tmpdir(), 'dsi-ring-cli-'));

/** The real `dsi` in a child process: exit codes, stdin, stdout and stderr as a shell sees them. */
function dsi(args: string[], input?: string): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'ring', ...args], { encoding: 'utf8', input, maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** The subcommand in this process (a child costs seconds): its output, or the error it throws. */
function ring(args: string[]): { out: string; error?: Error } {
  let out = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => { out += chunk; return true; }) as typeof process.stdout.write;
  try {
    ringCommand.run(args);
    return { out };
  } catch (e) {
    return { out, error: e as Error };
  } finally {
    process.stdout.write = write;
  }
}

test('dsi ring owners prints one owner per input line, as hashring routes them for ketama', () => {
  const servers = Array.from({ length: 10 }, (_, i) => `10.1.0.${i}:11211`);
  const keys: string[] = [];
  generateKeys(77, 20_000, (k) => { keys.push(k); });
  keys.splice(5, 0, '', 'κλειδί 🔑', 'with spaces  ');
  const file = join(scratch, 'keys.txt');
  writeFileSync(file, keys.join('\r\n') + '\r\n');
  const r = dsi(['owners', '--algo', 'ketama', '--servers', servers.join(','), '--keys-file', file]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n');
  assert.equal(lines.pop(), '');
  assert.equal(lines.length, keys.length);
  const ring = new HashRing(servers, 'md5', { 'max cache size': 1 });
  keys.forEach((k, i) => assert.equal(lines[i], ring.get(k), `line ${i + 1}: ${JSON.stringify(k)}`));
  // Standard input works too, and weights, vnodes and the hash function are honoured.
  const piped = dsi(['owners', '--algo', 'ring', '--servers', 'a,b', '--weights', '1,3', '--vnodes', '8', '--fn', 'xxhash32', '--keys-file', '-'], 'x\ny\n');
  assert.equal(piped.code, 0, piped.err);
  assert.match(piped.out, /^[ab]\n[ab]\n$/);
  // Bad arguments exit 2 with the reason and the usage; a run that fails exits 1.
  const bad = dsi(['move', '--algo', 'ring', '--servers', 'a,b', '--keys', '10']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /exactly one of --add[\s\S]*Usage:/);
  const missing = dsi(['owners', '--algo', 'ring', '--servers', 'a', '--keys-file', join(scratch, 'nope.txt')]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /cannot read keys from ".*nope.txt": ENOENT/);
});

test('dsi ring move prints the moved fraction against the ideal: about 1/(N+1) for the ring, most keys for modulo', () => {
  const r = JSON.parse(ring(['move', '--algo', 'ring', '--servers', 'a,b,c,d,e,f,g,h,i', '--add', 'j', '--keys', '50000', '--seed', '5']).out);
  assert.deepEqual(Object.keys(r), ['algo', 'total', 'moved', 'fraction', 'ideal']);
  assert.equal(r.algo, 'ring');
  assert.equal(r.total, 50_000);
  assert.equal(r.ideal, 0.1);
  assert.ok(Math.abs(r.fraction - 0.1) < 0.03, `ring moved ${r.fraction}`);
  const mod = JSON.parse(ring(['move', '--algo', 'modulo', '--servers', 'a,b,c,d,e,f,g,h,i,j', '--remove', 'j', '--keys', '50000']).out);
  assert.equal(mod.ideal, 0.1);
  assert.ok(mod.fraction > 0.85, `modulo moved ${mod.fraction}`);
});

test('dsi ring balance prints per-server counts, max/mean and CV; bounded loads stays within 1 + ε', () => {
  const b = JSON.parse(ring(['balance', '--algo', 'bounded', '--servers', 'a,b,c,d', '--keys', '40000', '--epsilon', '0.05', '--vnodes', '4']).out);
  assert.deepEqual(Object.keys(b.counts), ['a', 'b', 'c', 'd']);
  assert.equal(Object.values(b.counts as Record<string, number>).reduce((x, y) => x + y, 0), 40_000);
  assert.ok(b.maxOverMean <= 1.05 + 1e-9, `max/mean ${b.maxOverMean}`);
  assert.ok(b.cv >= 0);
});

test('every bad argument is a usage error that says what is wrong', () => {
  const cases: [string[], RegExp][] = [
    [[], /say what to do/],
    [['spin'], /unknown action "spin"/],
    [['move', '--algo', 'ring', '--servers', 'a,b', '--keys', '10'], /exactly one of --add/],
    [['move', '--algo', 'ring', '--servers', 'a,b', '--add', 'b', '--keys', '10'], /already in the list/],
    [['move', '--algo', 'ring', '--servers', 'a,b', '--remove', 'z', '--keys', '10'], /no server "z"/],
    [['balance', '--algo', 'ring', '--servers', 'a,a', '--keys', '10'], /listed twice/],
    [['balance', '--algo', 'ring', '--servers', 'a,b', '--weights', '1', '--keys', '10'], /one weight per server/],
    [['balance', '--algo', 'ketama', '--servers', 'a,b', '--vnodes', '150', '--keys', '10'], /multiple of 4/],
    [['balance', '--algo', 'ketama', '--servers', 'a,b', '--fn', 'djb2', '--keys', '10'], /MD5/],
    [['balance', '--algo', 'ring', '--servers', 'a,b', '--epsilon', '0.1', '--keys', '10'], /bounded only/],
    [['balance', '--algo', 'cuckoo', '--servers', 'a', '--keys', '10'], /--algo must be one of/],
    [['balance', '--algo', 'ring', '--servers', 'a', '--keys', '0'], /--keys must be ≥ 1/],
    [['balance', '--algo', 'ring', '--servers', 'a', '--keys', '10', '--colour', 'red'], /unknown option --colour/],
  ];
  for (const [args, message] of cases) {
    const { out, error } = ring(args);
    assert.ok(error instanceof UsageError, `${args.join(' ')}: ${error}`);
    assert.match(error.message, message);
    assert.equal(out, '');
  }
});
