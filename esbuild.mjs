// Builds everything the extension ships:
//   dist/extension.js        extension host bundle (Node, CommonJS, `vscode` external)
//   dist/workers/<engine>.js one worker-thread bundle per engine (extension/engines/<engine>/worker.ts)
//   dist/workers/explain.js  Explain Selection's worker (extension/host/explain/explainWorker.ts)
//   dist/cli.js              the `dsi` command-line tool
//   dist/webview/<view>.js   one browser bundle per webview (webview/<view>/main.ts, Svelte 5)
//   dist/media/              codicons, copied from @vscode/codicons
// Flags: --production (minified, linked source maps), --watch (rebuild on change).
import { context } from 'esbuild';
import sveltePlugin from 'esbuild-svelte';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = import.meta.dirname;

const dirsWith = (base, file) =>
  existsSync(join(root, base))
    ? readdirSync(join(root, base), { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(root, base, d.name, file)))
        .map((d) => d.name)
    : [];

/**
 * Every build's esbuild options; the host bundle first. Exported so tests check the bundle this
 * file really builds (test/unit/build/hostBundle.test.ts).
 */
export function buildOptions(production) {
  const common = {
    absWorkingDir: root,
    bundle: true,
    minify: production,
    sourcemap: production ? true : 'inline',
    sourcesContent: !production,
    logLevel: 'warning',
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
  };

  // keepNames: leak reports and errors show the borrower's real function names even when minified.
  const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', keepNames: true };

  return [
    {
      ...node,
      entryPoints: { extension: 'extension/extension.ts' },
      outdir: 'dist',
      external: ['vscode'],
      // Mark when the bundle starts and ends evaluating, so the logged activation time includes
      // loading the code but not the time VS Code spends between loading and calling activate().
      banner: { js: '"use strict"; var __dsiLoadStart = performance.now();' },
      footer: { js: 'var __dsiLoadEnd = performance.now();' },
    },
    { ...node, entryPoints: { cli: 'extension/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
    {
      ...node,
      entryPoints: Object.fromEntries([
        ...dirsWith('extension/engines', 'worker.ts').map((e) => [e, `extension/engines/${e}/worker.ts`]),
        // Explain Selection's worker: the TypeScript compiler and every engine, kept off the activation path.
        ['explain', 'extension/host/explain/explainWorker.ts'],
      ]),
      outdir: 'dist/workers',
    },
    {
      ...common,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      entryPoints: Object.fromEntries(dirsWith('webview', 'main.ts').map((v) => [v, `webview/${v}/main.ts`])),
      outdir: 'dist/webview',
      conditions: ['svelte', 'browser'],
      mainFields: ['svelte', 'browser', 'module', 'main'],
      plugins: [
        sveltePlugin({
          compilerOptions: { dev: !production, css: 'external' },
          // vscode-elements are real controls (role, tabindex, keyboard) that Svelte cannot see into.
          filterWarnings: (w) => !(w.code.startsWith('a11y_') && /<vscode-/.test(w.frame ?? '')),
        }),
      ],
    },
  ];
}

function copyMedia() {
  const out = join(root, 'dist', 'media');
  mkdirSync(out, { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(join(root, 'node_modules/@vscode/codicons/dist', f), join(out, f));
}

async function main() {
  const production = process.argv.includes('--production');
  const watch = process.argv.includes('--watch');
  const contexts = await Promise.all(buildOptions(production).filter((b) => Object.keys(b.entryPoints).length > 0).map((b) => context(b)));
  copyMedia();
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[esbuild] watching for changes…');
  } else {
    try {
      await Promise.all(contexts.map((c) => c.rebuild()));
    } finally {
      await Promise.all(contexts.map((c) => c.dispose()));
    }
  }
}

// Built when run (`node esbuild.mjs`), not when a test imports the options.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
