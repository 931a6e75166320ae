import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { UsageError } from '../../../extension/cli/args';
import { runIdem } from '../../../extension/cli/idem';
import { freePort } from '../../services/process';

const MAIN = join(__dirname, '../../../extension/cli/main.ts');

/** The subcommand in this process (a child costs seconds): what it printed, or the error it threw. */
async function idem(args: string[]): Promise<{ out: string; error?: Error }> {
  let out = '';
  const sink = new Writable({ write(chunk, _enc, done) { out += String(chunk); done(); } });
  try {
    await runIdem(args, sink);
    return { out };
  } catch (e) {
    return { out, error: e as Error };
  }
}

const json = async (args: string[]): Promise<Record<string, number | string>> => {
  const r = await idem([...args, '--json']);
  assert.equal(r.error, undefined, r.error?.message);
  const lines = r.out.trim().split('\n');
  assert.equal(lines.length, 1, 'one JSON object');
  return JSON.parse(lines[0]!) as Record<string, number | string>;
};

test('dsi idem --json prints the counters: off double-charges, strong does not; round robin breaks order, key hash does not', async () => {
  const common = ['--messages', '1500', '--duplicates', '0.3', '--workers', '8'];
  const off = await json([...common, '--check', 'off', '--dispatch', 'roundrobin']);
  const strong = await json([...common, '--check', 'strong', '--dispatch', 'keyhash']);
  for (const r of [off, strong]) for (const k of ['delivered', 'duplicatesDropped', 'duplicatesSlipped', 'effects', 'orderViolations']) assert.equal(typeof r[k], 'number', k);
  assert.ok((off.duplicatesSlipped as number) > 300 && (off.overcharged as number) > 0);
  assert.ok((off.violationsByDispatch as number) > 0);
  assert.equal(strong.duplicatesSlipped, 0);
  assert.equal(strong.effects, 1500);
  assert.equal(strong.violationsByDispatch, 0);
  assert.equal(strong.store, 'memory');
});

test('dsi idem: the human table names each counter', async () => {
  const r = await idem(['--check', 'weak', '--messages', '50']);
  assert.equal(r.error, undefined);
  for (const label of ['delivered', 'duplicates dropped', 'duplicates slipped through', 'effects executed', 'order violations']) assert.match(r.out, new RegExp(label));
});

test('dsi idem: bad arguments are usage errors; an unreachable Redis is a clear failure', async () => {
  for (const args of [['--check', 'medium'], ['--workers', '0'], ['--duplicates', '2'], ['--store', 'redis'], ['--url', 'redis://x'], ['--messages', 'many'], ['--nope', '1']])
    assert.ok((await idem(args)).error instanceof UsageError, args.join(' '));
  const port = await freePort();
  const r = await idem(['--store', 'redis', '--url', `redis://127.0.0.1:${port}`, '--messages', '5']);
  assert.match(r.error?.message ?? '', /Could not connect to Redis at redis:\/\/127\.0\.0\.1:\d+ \(connect ECONNREFUSED/);
});

test('the real dsi binary: exit 0 and one JSON line', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, 'idem', '--messages', '20', '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).produced, 20);
});
