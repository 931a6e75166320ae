import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../extension/cli/args';
import { keepaliveCommand } from '../../../extension/cli/keepalive';

/** Runs the subcommand in this process and returns its exit code and what it printed. */
async function dsi(...args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const write = process.stdout.write.bind(process.stdout);
  // The test runner talks to its parent through stdout in binary; let that through.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    if (typeof chunk !== 'string') return write(chunk, ...rest);
    stdout += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    return { code: await keepaliveCommand.run(args), stdout };
  } finally {
    process.stdout.write = write;
  }
}

test('dsi keepalive --json prints one object with the documented counters', async () => {
  const r = await dsi('--preset', 'keepalive', '--requests', '6', '--client', 'undici', '--json');
  assert.equal(r.code, 0);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const out = JSON.parse(lines[0]!) as Record<string, unknown>;
  for (const field of ['preset', 'client', 'status', 'requests', 'succeeded', 'failed', 'retries', 'socketsOpened', 'serverConnections', 'reuseRatio', 'errorsByCode', 'attemptErrorsByCode', 'closesByCause', 'meanWaitMs', 'latencyMs', 'durationMs', 'requestsPerSecond'])
    assert.ok(field in out, `missing ${field}`);
  assert.deepEqual([out['preset'], out['client'], out['status'], out['requests'], out['failed']], ['keepalive', 'undici', 'finished', 6, 0]);
  // Every JSON field is explained in the usage text.
  for (const field of Object.keys(out)) assert.match(keepaliveCommand.usage, new RegExp(`\\b${field}\\b`), `usage does not document ${field}`);
});

test('dsi keepalive refuses bad arguments with a usage error that says why', async () => {
  for (const [args, why] of [
    [['--preset', 'fast'], /--preset must be one of no-keepalive\|keepalive\|queueing\|race\|race-fixed/],
    [['--preset', 'race', '--requests', '0'], /--requests must be ≥ 1/],
    [['--preset', 'race', '--requests', 'many'], /--requests must be an integer/],
    [['--preset', 'race', '--clients', 'node'], /unknown option --clients/],
    [['--requests', '5'], /missing --preset/],
  ] as const) {
    await assert.rejects(() => dsi(...args), (e: Error) => e instanceof UsageError && why.test(e.message), args.join(' '));
  }
});
