/**
 * Loads a built webview bundle (dist/webview/<name>.js) into headless Chromium the way VS Code
 * does — an HTML shell, `acquireVsCodeApi` (whose postMessage clones like VS Code's: a state proxy
 * fails), theme CSS variables on the body — and lets a test play
 * the host: send it snapshots and patches, read what it posts back, and take screenshots.
 */
import { readFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { HostMessage } from '../../extension/protocol';

const root = join(__dirname, '..', '..');
const ORIGIN = 'http://webview.test';

/** The VS Code theme variables the webviews read, for a dark and a light theme (Dark/Light Modern). */
const THEMES = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace', '--vscode-editor-font-size': '13px',
      '--vscode-foreground': '#cccccc', '--vscode-descriptionForeground': '#9d9d9d', '--vscode-editor-background': '#1f1f1f', '--vscode-sideBar-background': '#181818',
      '--vscode-panel-border': '#2b2b2b', '--vscode-widget-border': '#313131', '--vscode-focusBorder': '#0078d4', '--vscode-errorForeground': '#f85149',
      '--vscode-editorWidget-background': '#202020', '--vscode-charts-blue': '#3794ff', '--vscode-charts-green': '#89d185', '--vscode-charts-yellow': '#cca700',
      '--vscode-charts-orange': '#d18616', '--vscode-charts-red': '#f14c4c', '--vscode-charts-purple': '#b180d7', '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff', '--vscode-button-secondaryBackground': '#313131', '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-input-background': '#313131', '--vscode-input-foreground': '#cccccc', '--vscode-input-border': '#3c3c3c', '--vscode-dropdown-background': '#313131',
      '--vscode-dropdown-foreground': '#cccccc', '--vscode-dropdown-border': '#3c3c3c', '--vscode-editorHoverWidget-background': '#202020',
      '--vscode-editorHoverWidget-foreground': '#cccccc', '--vscode-editorHoverWidget-border': '#454545',
      '--vscode-settings-textInputBackground': '#313131', '--vscode-settings-textInputForeground': '#cccccc', '--vscode-settings-textInputBorder': '#3c3c3c',
      '--vscode-settings-checkboxBackground': '#313131', '--vscode-settings-checkboxForeground': '#cccccc', '--vscode-settings-checkboxBorder': '#3c3c3c',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace', '--vscode-editor-font-size': '13px',
      '--vscode-foreground': '#3b3b3b', '--vscode-descriptionForeground': '#3b3b3b', '--vscode-editor-background': '#ffffff', '--vscode-sideBar-background': '#f8f8f8',
      '--vscode-panel-border': '#e5e5e5', '--vscode-widget-border': '#e5e5e5', '--vscode-focusBorder': '#005fb8', '--vscode-errorForeground': '#f85149',
      '--vscode-editorWidget-background': '#f8f8f8', '--vscode-charts-blue': '#1a85ff', '--vscode-charts-green': '#388a34', '--vscode-charts-yellow': '#bf8803',
      '--vscode-charts-orange': '#d18616', '--vscode-charts-red': '#e51400', '--vscode-charts-purple': '#652d90', '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff', '--vscode-button-secondaryBackground': '#e5e5e5', '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-input-background': '#ffffff', '--vscode-input-foreground': '#3b3b3b', '--vscode-input-border': '#cecece', '--vscode-dropdown-background': '#ffffff',
      '--vscode-dropdown-foreground': '#3b3b3b', '--vscode-dropdown-border': '#cecece', '--vscode-editorHoverWidget-background': '#f8f8f8',
      '--vscode-editorHoverWidget-foreground': '#3b3b3b', '--vscode-editorHoverWidget-border': '#c8c8c8',
      '--vscode-settings-textInputBackground': '#ffffff', '--vscode-settings-textInputForeground': '#3b3b3b', '--vscode-settings-textInputBorder': '#cecece',
      '--vscode-settings-checkboxBackground': '#f8f8f8', '--vscode-settings-checkboxForeground': '#3b3b3b', '--vscode-settings-checkboxBorder': '#cecece',
    },
  },
} as const;

export type Theme = keyof typeof THEMES;

export interface WebviewPage {
  page: Page;
  /** Sends a host message, as `webview.postMessage` would. */
  send(message: HostMessage): Promise<void>;
  /** Everything the webview posted so far (and clears the list). */
  takePosted(): Promise<unknown[]>;
  /** Waits until the webview has posted a message matching `pred`, and returns it. */
  waitForPosted(pred: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  screenshot(name: string): Promise<string>;
  /** Errors the page threw or logged. */
  errors: string[];
}

export async function openWebview(browser: Browser, bundle: string, opts: { theme?: Theme; width?: number; height?: number } = {}): Promise<WebviewPage> {
  const theme = THEMES[opts.theme ?? 'dark'];
  const page = await browser.newPage({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/index.html') {
      const style = Object.entries(theme.vars).map(([k, v]) => `${k}:${v}`).join(';');
      return route.fulfill({
        contentType: 'text/html',
        // VS Code sets the theme variables on <html> (so :root rules can build on them) and the theme class on <body>.
        body: `<!DOCTYPE html><html style="${style}"><head><meta charset="UTF-8">
<link rel="stylesheet" href="/media/codicon.css" id="vscode-codicon-stylesheet"><link rel="stylesheet" href="/webview/${bundle}.css">
<script>window.__posted=[];window.acquireVsCodeApi=()=>({postMessage:(m)=>window.__posted.push(structuredClone(m)),getState:()=>window.__state,setState:(s)=>{window.__state=s;}});</script>
</head><body class="${theme.bodyClass}" style="background:var(--vscode-sideBar-background)"><div id="app"></div><script type="module" src="/webview/${bundle}.js"></script></body></html>`,
      });
    }
    const file = join(root, 'dist', path);
    try {
      const body = readFileSync(file);
      const type = path.endsWith('.js') ? 'text/javascript' : path.endsWith('.css') ? 'text/css' : path.endsWith('.ttf') ? 'font/ttf' : 'application/octet-stream';
      return route.fulfill({ body, contentType: type });
    } catch {
      return route.fulfill({ status: 404, body: `not built: ${path}` });
    }
  });
  await page.goto(`${ORIGIN}/index.html`);
  const wp: WebviewPage = {
    page,
    errors,
    async send(message) {
      await page.evaluate((m) => window.postMessage(m, '*'), message);
      // The webview applies messages on the next animation frame.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    },
    async takePosted() {
      return page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted.splice(0));
    },
    async waitForPosted(pred, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      const seen: unknown[] = [];
      while (Date.now() < deadline) {
        for (const m of await wp.takePosted()) {
          seen.push(m);
          if (pred(m as Record<string, unknown>)) return m as Record<string, unknown>;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`The webview did not post the expected message within ${timeoutMs} ms; it posted: ${JSON.stringify(seen).slice(0, 500)}`);
    },
    async screenshot(name) {
      const dir = join(process.env.DSI_ARTIFACTS ?? join(root, '.test-artifacts'), 'screenshots', 'webview');
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `${name}-${opts.theme ?? 'dark'}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
  };
  await wp.waitForPosted((m) => m['type'] === 'ready');
  return wp;
}
