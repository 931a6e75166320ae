/**
 * Drives the VS Code workbench in a Playwright page the way a user does: the command palette, quick
 * picks and input boxes, the activity bar, webview frames, notifications, themes and screenshots.
 * Every wait has a timeout whose error says what the harness was doing and what it saw.
 */
import type { Frame, Locator, Page } from 'playwright-core';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { artifactPath, slug } from './paths';

export type ThemeKind = 'dark' | 'light';

/** How the workbench and a webview's body mark the theme kind. */
const themes: Record<ThemeKind, { bodyClass: string; webviewClass: string }> = {
  dark: { bodyClass: 'vs-dark', webviewClass: 'vscode-dark' },
  light: { bodyClass: 'vs', webviewClass: 'vscode-light' },
};

const quickInput = '.quick-input-widget';
const quickInputBox = `${quickInput} .quick-input-box input`;
const quickInputRows = `${quickInput} .quick-input-list .monaco-list-row`;

/** Polls `probe` until it returns a value; on timeout throws with `what` and the last observation. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000, seen?: () => Promise<string>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const saw = seen ? await seen().catch((e: unknown) => `(could not look: ${String(e)})`) : undefined;
      const cause = lastError instanceof Error ? ` Last error: ${lastError.message.split('\n')[0]}` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.${saw ? ` Saw: ${saw}.` : ''}${cause}`);
    }
    await sleep(150);
  }
}

export class Workbench {
  /** The palette command whose first prompt has not been answered yet (see `prompt()`). */
  private unanswered: string | undefined;

  constructor(readonly page: Page) {}

  /**
   * Loads the workbench at `url` and waits until it is up and wears its configured theme: a fresh
   * browser first paints with a default theme, and a screenshot taken then would mislead.
   */
  async open(url: string, theme: ThemeKind = 'dark'): Promise<void> {
    await this.page.goto(url, { timeout: 60_000 });
    await waitFor(`the workbench to load with the ${theme} theme`, async () =>
      (await this.page.locator(`.monaco-workbench.${themes[theme].bodyClass} .part.statusbar`).isVisible()) || undefined, 60_000,
      async () => `workbench classes "${await this.page.locator('.monaco-workbench').getAttribute('class', { timeout: 1000 })}"`);
  }

  /** Runs a palette command by its full title as the palette shows it, e.g. "DS Inspector: Show Log". */
  async runCommand(title: string): Promise<void> {
    await this.openPalette();
    await this.page.locator(quickInputBox).fill(`>${title}`);
    await this.chooseRow(title, `command "${title}" in the palette`);
    this.unanswered = title;
  }

  /** Picks the item labelled `label` in the open quick pick (typing it to filter long lists). */
  async pick(label: string): Promise<void> {
    await this.prompt(`a quick pick to choose "${label}"`);
    await this.page.locator(quickInputBox).fill(label);
    await this.chooseRow(label, `item "${label}" in the quick pick`);
  }

  /**
   * Types `text` into the open input box and accepts it. If the box stays open with a validation
   * message, that message is thrown, so a test sees why its input was refused.
   */
  async answer(text: string): Promise<void> {
    await this.prompt(`an input box to type "${text}"`);
    await this.page.locator(quickInputBox).fill(text);
    // Some boxes work on what was typed before they take Enter (the file dialog lists the folder).
    await waitFor(`the input box to finish working on "${text}"`, async () => !(await this.quickInputState()).busy || undefined);
    const asked = (await this.quickInputState()).question;
    await this.page.keyboard.press('Enter');
    let pressedAt = Date.now();
    const outcome = await waitFor(`the input box to accept "${text}"`, async () => {
      const now = await this.quickInputState();
      // A validation error also changes the prompt line, so it is checked first, in the same snapshot.
      if (now.visible && now.refused) return { accepted: false, message: now.message };
      if (!now.visible || now.question !== asked) return { accepted: true };
      // Neither taken nor refused: the box ignored an Enter that came while it was still updating.
      if (Date.now() - pressedAt > 3000 && !now.busy) {
        await this.page.keyboard.press('Enter');
        pressedAt = Date.now();
      }
      return undefined;
    }, 10_000);
    if (!outcome.accepted) throw new Error(`The input box refused "${text}": ${outcome.message}`);
  }

  /** Closes whatever quick input is open. */
  async dismissQuickInput(): Promise<void> {
    if (await this.page.locator(quickInput).isVisible()) await this.page.keyboard.press('Escape');
  }

  /** Clicks the activity bar entry with this title (e.g. "DS Inspector") and waits for its side bar. */
  async openViewContainer(title: string): Promise<void> {
    const item = this.page.locator(`.part.activitybar .action-item .action-label[aria-label^=${JSON.stringify(title)}]`);
    await waitFor(`the activity bar entry "${title}"`, async () => ((await item.count()) > 0 ? true : undefined), 15_000, () =>
      this.page.locator('.part.activitybar .action-label').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')).join(' | ')),
    );
    const sidebarTitle = this.page.locator('.part.sidebar .composite.title h2');
    const showing = async () => (await sidebarTitle.textContent().catch(() => ''))?.trim().toLowerCase() === title.toLowerCase();
    if (!(await showing())) await item.first().click();
    await waitFor(`the side bar titled "${title}"`, async () => (await showing()) || undefined, 15_000, async () => `side bar title ${JSON.stringify(await sidebarTitle.textContent().catch(() => null))}`);
  }

  /**
   * The content frame of the webview whose text contains `text` (webviews are two nested iframes:
   * `iframe.webview.ready` > `iframe#active-frame`). Waits until such a webview has rendered.
   */
  async webview(text: string | RegExp, timeoutMs = 20_000): Promise<Frame> {
    return this.findWebview(`a webview showing ${String(text)}`, timeoutMs, async (frame) => {
      const body = await frame.locator('body').innerText({ timeout: 1000 });
      return typeof text === 'string' ? body.includes(text) : text.test(body);
    });
  }

  /** The content frame of the webview that has an element matching `selector`, once rendered. */
  async webviewWith(selector: string, timeoutMs = 20_000): Promise<Frame> {
    return this.findWebview(`a webview with ${selector}`, timeoutMs, async (frame) => (await frame.locator(selector).count()) > 0);
  }

  private async findWebview(what: string, timeoutMs: number, matches: (frame: Frame) => Promise<boolean>): Promise<Frame> {
    return waitFor(what, async () => {
      for (const frame of await this.webviewFrames()) if (await matches(frame).catch(() => false)) return frame;
      return undefined;
    }, timeoutMs, async () => {
      const texts = await Promise.all((await this.webviewFrames()).map((f) => f.locator('body').innerText({ timeout: 1000 }).catch(() => '?')));
      return texts.length ? texts.map((t) => JSON.stringify(t.slice(0, 120))).join(', ') : 'no webviews';
    });
  }

  /** The content frames of every rendered webview. */
  async webviewFrames(): Promise<Frame[]> {
    const hosts = await this.page.locator('iframe.webview.ready').elementHandles();
    const frames: Frame[] = [];
    for (const host of hosts) {
      const outer = await host.contentFrame();
      const inner = await outer?.$('iframe#active-frame');
      const content = await inner?.contentFrame();
      if (content) frames.push(content);
    }
    return frames;
  }

  /** Texts of the notification toasts on screen (errors shown to the user land here). */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
  }

  /** Waits for a notification toast whose text matches `pattern` and returns its text. */
  async waitForNotification(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    return waitFor(`a notification matching ${pattern}`, async () => (await this.notifications()).find((t) => pattern.test(t)), timeoutMs, async () =>
      JSON.stringify(await this.notifications()));
  }

  /** Dismisses every notification, so they do not cover what a screenshot should show. */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
    await waitFor('the notifications to clear', async () => ((await this.notifications()).length === 0 ? true : undefined));
  }

  /** Waits until the Output view (e.g. after "DS Inspector: Show Log") shows text matching `pattern`; returns it. */
  async waitForOutput(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    // The editor renders spaces as NBSP.
    const text = async () => (await this.page.locator('.part.panel .output-view .view-lines').innerText({ timeout: 1000 })).replace(/\u00a0/g, ' ');
    return waitFor(`the Output view to show ${pattern}`, async () => {
      const t = await text();
      return pattern.test(t) ? t : undefined;
    }, timeoutMs, async () => JSON.stringify((await text()).slice(-300)));
  }

  /** Switches the color theme as a user does, and waits until the workbench and every webview wear it. */
  async setTheme(kind: ThemeKind): Promise<void> {
    const t = themes[kind];
    const wearing = () => this.page.locator('.monaco-workbench').evaluate((el, cls) => el.classList.contains(cls), t.bodyClass);
    // Toggles between the preferred dark and light themes (Default Dark/Light Modern unless set).
    if (!(await wearing())) await this.runCommand('Preferences: Toggle between Light/Dark Themes');
    await waitFor(`the workbench to switch to the ${kind} theme`, async () => (await wearing()) || undefined);
    await waitFor(`every webview to switch to the ${kind} theme`, async () => {
      for (const f of await this.webviewFrames()) {
        if (!(await f.locator('body').evaluate((b, cls) => b.classList.contains(cls), t.webviewClass))) return undefined;
      }
      return true;
    });
    await sleep(300); // let canvases and transitions repaint before a screenshot
  }

  /** Saves a screenshot as `.test-artifacts/screenshots/<name>.png` and returns its path. */
  async screenshot(name: string): Promise<string> {
    const path = join(artifactPath('screenshots'), `${slug(name)}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  /** One screenshot per theme (`<name>-dark.png`, `<name>-light.png`), leaving the dark theme on. */
  async screenshotThemes(name: string): Promise<string[]> {
    const paths: string[] = [];
    for (const kind of ['light', 'dark'] as const) {
      await this.setTheme(kind);
      paths.push(await this.screenshot(`${name}-${kind}`));
    }
    return paths;
  }

  private async openPalette(): Promise<void> {
    await this.dismissQuickInput();
    // When the palette closes, the workbench gives focus back to what had it; a webview takes it back
    // asynchronously, possibly after the command opened its prompt, which then closes on blur. So
    // let pending focus changes land, then start from a neutral focus (see also `prompt()`).
    await this.focusSettled();
    if (await this.webviewFocused()) await this.page.evaluate(() => (document.activeElement as HTMLElement).blur());
    await this.page.keyboard.press('F1');
    await this.waitQuickInput('the command palette to open (F1)');
  }

  /**
   * Waits for the quick input a test is about to answer. The first prompt of a palette command can
   * lose a race with the workbench: when the palette closes it gives focus back to the editor, and
   * a webview panel takes it asynchronously, after the command's prompt opened, which then closes
   * on blur and the command sees a cancel. If the prompt is gone and a webview holds the focus, the
   * command is run once more, as a person would.
   */
  private async prompt(what: string): Promise<void> {
    const command = this.unanswered;
    this.unanswered = undefined;
    await this.waitQuickInput(what, command ? 5000 : 15_000).catch(() => undefined);
    if (await this.promptHoldsFocus()) return;
    if (!command || !(await this.webviewFocused())) return this.waitQuickInput(what); // fails with what it saw
    await this.runCommand(command);
    this.unanswered = undefined;
    await this.waitQuickInput(`${what} (after running "${command}" again: a webview took the focus from its first prompt)`);
  }

  /** The quick input is open and keeps the keyboard focus for a moment (it closes when it loses it). */
  private async promptHoldsFocus(): Promise<boolean> {
    for (let i = 0; i < 3; i++) {
      if (i > 0) await sleep(100);
      const held = await this.page.evaluate((sel) => !!document.activeElement?.closest(sel), quickInput);
      if (!held || !(await this.quickInputState()).visible) return false;
    }
    return true;
  }

  /** Waits (up to 2 s) until the focused element has not changed for 300 ms. */
  private async focusSettled(): Promise<void> {
    const focused = () => this.page.evaluate(() => {
      const e = document.activeElement;
      return e ? `${e.tagName}#${e.id}.${String(e.className)}` : '';
    });
    let last = await focused();
    let since = Date.now();
    for (const deadline = Date.now() + 2000; Date.now() < deadline && Date.now() - since < 300; ) {
      await sleep(50);
      const now = await focused();
      if (now !== last) [last, since] = [now, Date.now()];
    }
  }

  private webviewFocused(): Promise<boolean> {
    return this.page.evaluate(() => document.activeElement instanceof HTMLIFrameElement);
  }

  private async waitQuickInput(what: string, timeoutMs = 15_000): Promise<void> {
    await waitFor(what, async () => (await this.page.locator(quickInputBox).isVisible()) || undefined, timeoutMs, async () => {
      const focused = await this.page.evaluate(() => {
        const el = document.activeElement;
        return el ? `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}` : 'nothing';
      });
      return `no quick input open; focus on ${focused}; notifications ${JSON.stringify(await this.notifications())}`;
    });
  }

  /** Waits for a quick-input row labelled exactly `label`, then accepts it. */
  private async chooseRow(label: string, what: string): Promise<void> {
    const row = await waitFor(
      what,
      async () => {
        const rows = this.page.locator(quickInputRows);
        for (let i = 0; i < (await rows.count()); i++) {
          const r = rows.nth(i);
          if ((await rowLabel(r)) === label) return r;
        }
        return undefined;
      },
      15_000,
      async () => (await Promise.all((await this.page.locator(quickInputRows).all()).map(rowLabel))).map((l) => JSON.stringify(l)).join(', ') || 'no items',
    );
    const asked = (await this.quickInputState()).question;
    await row.click();
    await waitFor(`the quick input to take ${what}`, async () => (await this.movedOn(asked)) || undefined, 10_000);
  }

  /**
   * One consistent snapshot of the quick input: whether it shows, whether it is busy (progress bar),
   * whether its input box shows a validation error, its message, and what it asks (title, placeholder, prompt), which changes
   * when a step is taken. Read in one go because the workbench updates these between reads.
   */
  private quickInputState(): Promise<{ visible: boolean; busy: boolean; refused: boolean; message: string; question: string }> {
    // No named helpers inside: tsx would wrap them in a __name() call that the page does not have.
    return this.page.evaluate((sel) => {
      const widget = document.querySelector<HTMLElement>(sel);
      const [title, message] = ['.quick-input-title', '.quick-input-message'].map((q) => widget?.querySelector(q)?.textContent?.trim() ?? '');
      const style = widget && getComputedStyle(widget);
      const visible = !!widget && style!.display !== 'none' && style!.visibility !== 'hidden' && widget.getBoundingClientRect().height > 0;
      const refused = !!widget?.querySelector('.monaco-inputbox.error, .monaco-inputbox.warning');
      const busy = !!widget?.querySelector('.monaco-progress-container.active');
      const placeholder = widget?.querySelector('.quick-input-box input')?.getAttribute('placeholder') ?? '';
      return { visible, busy, refused, message: message!, question: JSON.stringify([title, placeholder, message]) };
    }, quickInput);
  }

  /**
   * The quick input took the answer: it closed, or a follow-up step asks something else. (The
   * palette clears its text before it closes, so a cleared box alone proves nothing.)
   */
  private async movedOn(asked: string): Promise<boolean> {
    const now = await this.quickInputState();
    return !now.visible || now.question !== asked;
  }
}

async function rowLabel(row: Locator): Promise<string> {
  return ((await row.locator('.label-name').first().textContent({ timeout: 1000 })) ?? '').replace(/\s+/g, ' ').trim();
}
