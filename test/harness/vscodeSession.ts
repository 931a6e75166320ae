/**
 * One e2e session: the packaged extension installed into code-server, a workspace open in headless
 * Chromium, and a Workbench driver. Failures come back with a screenshot and the extension's log;
 * close() always stops the browser and code-server's whole process group.
 *
 *   const vs = await openVsCode('smoke');
 *   await vs.check('opens the log', async (wb) => { await wb.runCommand('DS Inspector: Show Log'); … });
 *   await vs.close();
 */
import { appendFileSync, copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { createProfile, startCodeServer, type CodeServer, type Profile } from './codeServer';
import { extensionLogFiles, extensionLogText } from './extensionLogs';
import { artifactPath, sampleWorkspace, slug } from './paths';
import { extensionId, extensionsDirWith, packagedVsix } from './vsix';
import { Workbench } from './workbench';

export interface OpenOptions {
  /** Folder to open; the sample workspace by default. */
  folder?: string;
  /** User settings on top of the harness's quiet ones. */
  settings?: Record<string, unknown>;
}

export class VsCodeSession {
  private closed = false;

  private constructor(
    readonly name: string,
    /** `.test-artifacts/e2e/<name>/`: profile, code-server output, browser console, copied logs. */
    readonly dir: string,
    readonly profile: Profile,
    readonly server: CodeServer,
    readonly browser: Browser,
    readonly page: Page,
    readonly workbench: Workbench,
  ) {}

  static async open(name: string, opts: OpenOptions = {}): Promise<VsCodeSession> {
    const dir = join(artifactPath('e2e'), slug(name));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const profile = createProfile(dir, { settings: opts.settings, extensionsDir: await extensionsDirWith(packagedVsix()) });
    const folder = opts.folder ?? sampleWorkspace;
    const server = await startCodeServer({ profile, folder, logFile: join(dir, 'code-server.log') });
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      page.setDefaultTimeout(15_000);
      const consoleLog = join(dir, 'browser-console.log');
      page.on('console', (m) => appendFileSync(consoleLog, `[${m.type()}] ${m.text()}\n`));
      page.on('pageerror', (e) => appendFileSync(consoleLog, `[pageerror] ${e.stack ?? e.message}\n`));
      const workbench = new Workbench(page);
      await workbench.open(`${server.url}/?folder=${encodeURIComponent(folder)}`);
      return new VsCodeSession(name, dir, profile, server, browser, page, workbench);
    } catch (e) {
      await browser?.close().catch(() => undefined);
      await server.stop();
      throw e;
    }
  }

  /** What the extension wrote to its "DS Inspector" log channel so far. */
  extensionLog(): string {
    return extensionLogText(this.profile.userDataDir, extensionId(), 'DS Inspector');
  }

  /**
   * Runs one check against the workbench. When it fails, the error gains a screenshot path and the
   * tail of the extension's log, so a CI failure can be read without rerunning it.
   */
  async check(name: string, fn: (wb: Workbench) => Promise<void>): Promise<void> {
    try {
      await fn(this.workbench);
    } catch (e) {
      const shot = await this.workbench.screenshot(`failed-${this.name}-${name}`).catch((err: unknown) => `(no screenshot: ${String(err)})`);
      const log = this.extensionLog().split('\n').slice(-30).join('\n') || '(the extension has logged nothing)';
      const message = e instanceof Error ? e.message : String(e);
      throw new Error(`${message}\n  screenshot: ${shot}\n  artifacts: ${this.dir}\n  DS Inspector log, last lines:\n${log}`, { cause: e });
    }
  }

  /** Copies the extension's logs next to the other artifacts, then stops the browser and code-server. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const logs = join(this.dir, 'extension-logs');
    mkdirSync(logs, { recursive: true });
    for (const f of extensionLogFiles(this.profile.userDataDir, extensionId())) copyFileSync(f, join(logs, basename(f)));
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
  }
}

export const openVsCode = (name: string, opts?: OpenOptions): Promise<VsCodeSession> => VsCodeSession.open(name, opts);
