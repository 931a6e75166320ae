import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import ConsistentHash from 'consistent-hash';
import { Router, generateKeys } from '../../../extension/engines/ring';
import { SCHEME_NAMES } from '../../../extension/protocol/ring';

const SERVERS = ['cache-a', 'cache-b', 'cache-c', 'cache-d', 'cache-e', 'cache-f'];
const COUNT = 20_000;

test('every scheme routes every key alike in another process built from the same server list', () => {
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'routeInChild.ts'), SERVERS.join(','), String(COUNT)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(child.status, 0, child.stderr);
  const theirs = JSON.parse(child.stdout) as Record<string, string[]>;
  for (const scheme of SCHEME_NAMES) {
    const r = Router.build(scheme, SERVERS);
    const ours: (string | undefined)[] = [];
    generateKeys(1234, COUNT, (k) => { ours.push(r.owner(k)); });
    assert.equal(theirs[scheme]!.length, COUNT);
    assert.deepEqual(ours, theirs[scheme], scheme);
  }
});

test('the npm consistent-hash places servers with Math.random: two rings from the same list disagree', () => {
  const a = new ConsistentHash();
  const b = new ConsistentHash();
  for (const s of SERVERS) { a.add(s); b.add(s); }
  let differ = 0;
  generateKeys(1234, COUNT, (k) => { if (a.get(k) !== b.get(k)) differ++; });
  // With independent random control points about 1 − 1/N of the keys land elsewhere.
  assert.ok(differ > COUNT / 2, `${differ} of ${COUNT} keys differ`);
  // Our ring built twice agrees on every key.
  const x = Router.build('ring', SERVERS);
  const y = Router.build('ring', [...SERVERS].reverse());
  generateKeys(1234, COUNT, (k) => { assert.equal(x.owner(k), y.owner(k)); });
});
