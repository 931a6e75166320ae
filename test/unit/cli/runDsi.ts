/**
 * Runs `dsi` in this process through `main()` (fast) or as a real child process (slow, for the
 * entry point and exit codes), returning the exit code and what it wrote.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../../extension/cli/main';

export interface DsiResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export async function runDsi(...args: string[]): Promise<DsiResult> {
  const out = process.stdout.write;
  const err = process.stderr.write;
  let stdout = '';
  let stderr = '';
  process.stdout.write = ((chunk: string | Uint8Array) => { stdout += String(chunk); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => { stderr += String(chunk); return true; }) as typeof process.stderr.write;
  try {
    const status = await main(args);
    return { status, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

export function spawnDsi(...args: string[]): DsiResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'extension/cli/main.ts', ...args], { cwd: join(__dirname, '../../..'), encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
