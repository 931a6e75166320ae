import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runDsi as dsi } from './runDsi';

test('dsi hash prints one JSON object per key with the unsigned 32-bit hash', async () => {
  const r = await dsi('hash', '--fn', 'java', 'Aa', 'BB', 'polygenelubricants');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n').map((l) => JSON.parse(l)), [
    { fn: 'java', key: 'Aa', hash: 2112 },
    { fn: 'java', key: 'BB', hash: 2112 },
    { fn: 'java', key: 'polygenelubricants', hash: 2147483648 },
  ]);
  const m = await dsi('hash', '--fn', 'murmur3_32', '--seed', '2538058380', '--', 'Hello, world!', '--odd');
  assert.equal(m.status, 0, m.stderr);
  const [hello, odd] = m.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(hello.hash, 0x24884cba);
  assert.equal(odd.key, '--odd');
  assert.equal(JSON.parse((await dsi('hash', '--fn', 'crc32', '123456789')).stdout).hash, 0xcbf43926);
});

test('dsi hash: bad arguments print the usage and exit 2', async () => {
  for (const args of [
    ['hash', 'key'],
    ['hash', '--fn', 'md5', 'key'],
    ['hash', '--fn', 'java'],
    ['hash', '--fn', 'djb2', '--seed', '3', 'key'],
    ['hash', '--fn', 'murmur3_32', '--seed', '-1', 'key'],
    ['hash', '--fn', 'java', '--colour', 'red', 'key'],
  ]) {
    const r = await dsi(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /Usage: dsi hash --fn/);
    assert.equal(r.stdout, '');
  }
});
