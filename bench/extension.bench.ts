/**
 * The extension's own costs: bundle sizes of the production build, and activation time measured in
 * a real VS Code (code-server) from the extension's own log line — the time to evaluate the bundle
 * plus the time inside activate(). Targets: activation under 30 ms, extension bundle under 300 KB,
 * each webview under 200 KB (minified).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../test/harness/paths';
import { openVsCode } from '../test/harness/vscodeSession';
import { median, printTable } from './stats';

const RUNS = Number(process.env.DSI_BENCH_RUNS ?? 5);
const kb = (bytes: number): number => Math.round((bytes / 1024) * 10) / 10;

function sizes(): void {
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run package failed');
  const dist = join(repoRoot, 'dist');
  const rows: Record<string, string | number>[] = [];
  const row = (file: string, limitKb?: number): void => {
    const size = kb(statSync(join(dist, file)).size);
    rows.push({ bundle: file, KB: size, target: limitKb ? `< ${limitKb} KB` : '', verdict: limitKb ? (size < limitKb ? 'ok' : 'OVER') : '' });
  };
  row('extension.js', 300);
  for (const f of readdirSync(join(dist, 'webview')).filter((f) => f.endsWith('.js')).sort()) row(`webview/${f}`, 200);
  for (const f of readdirSync(join(dist, 'workers')).filter((f) => f.endsWith('.js')).sort()) row(`workers/${f}`);
  row('cli.js');
  row('ds-inspector.vsix');
  console.log('\nProduction bundles (minified):');
  printTable(rows);
}

async function activation(): Promise<void> {
  const total: number[] = [];
  const load: number[] = [];
  const body: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const vs = await openVsCode(`bench-activation-${i}`);
    try {
      await vs.workbench.openViewContainer('DS Inspector');
      const deadline = Date.now() + 30_000;
      let m: RegExpMatchArray | null = null;
      while (!(m = vs.extensionLog().match(/activated in ([\d.]+) ms \(loading the bundle ([\d.]+) ms, activate\(\) ([\d.]+) ms\)/)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      if (!m) throw new Error('no activation line in the extension log');
      total.push(Number(m[1]));
      load.push(Number(m[2]));
      body.push(Number(m[3]));
    } finally {
      await vs.close();
    }
  }
  console.log(`\nActivation in code-server, ${RUNS} cold starts (median): ${median(total).toFixed(1)} ms ` +
    `(bundle ${median(load).toFixed(1)} ms + activate() ${median(body).toFixed(1)} ms); target < 30 ms → ${median(total) < 30 ? 'ok' : 'MISSED'}`);
  console.log(`  every run: ${total.map((t) => t.toFixed(1)).join(', ')} ms`);
}

sizes();
activation().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
