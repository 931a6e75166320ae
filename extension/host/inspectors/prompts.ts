/**
 * Small wrappers over quick picks and input boxes that every inspector's commands use.
 *
 * `followUp`: the prompt follows another one. When a prompt closes, the workbench gives the focus
 * back to what had it, and a webview panel takes it asynchronously, after the next prompt opened,
 * which would then close on blur as if cancelled; a follow-up prompt stays open when it loses focus.
 */
import * as vscode from 'vscode';

export async function pickOne<T extends string>(
  title: string,
  items: readonly { value: T; label: string; description?: string; detail?: string }[],
  current?: T,
  opts: { followUp?: boolean } = {},
): Promise<T | undefined> {
  const picked = await vscode.window.showQuickPick(
    items.map((i) => ({ ...i, description: [i.description, i.value === current ? '(current)' : ''].filter(Boolean).join(' ') })),
    { title, placeHolder: title, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: opts.followUp === true },
  );
  return picked?.value;
}

export async function askInteger(title: string, opts: { min: number; max: number; value?: number; prompt?: string; followUp?: boolean }): Promise<number | undefined> {
  const raw = await vscode.window.showInputBox({
    title,
    ignoreFocusOut: opts.followUp === true,
    prompt: opts.prompt ?? `A whole number from ${opts.min.toLocaleString('en-US')} to ${opts.max.toLocaleString('en-US')}`,
    ...(opts.value !== undefined ? { value: String(opts.value) } : {}),
    validateInput: (v) => {
      const n = Number(v.replace(/[_,\s]/g, ''));
      if (!/^\d[\d_,\s]*$/.test(v.trim()) || !Number.isSafeInteger(n)) return 'Enter a whole number.';
      if (n < opts.min || n > opts.max) return `Enter a number from ${opts.min.toLocaleString('en-US')} to ${opts.max.toLocaleString('en-US')}.`;
      return undefined;
    },
  });
  return raw === undefined ? undefined : Number(raw.replace(/[_,\s]/g, ''));
}

export async function askText(title: string, opts: { prompt: string; placeHolder?: string; maxLength: number; value?: string; followUp?: boolean }): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title,
    ignoreFocusOut: opts.followUp === true,
    prompt: opts.prompt,
    ...(opts.placeHolder ? { placeHolder: opts.placeHolder } : {}),
    ...(opts.value !== undefined ? { value: opts.value } : {}),
    validateInput: (v) => (v.length > opts.maxLength ? `At most ${opts.maxLength} characters.` : undefined),
  });
}

/** Reads `dsInspector.<section>.<key>`, falling back when unset or of the wrong type. */
export function setting<T>(section: string, key: string, fallback: T, valid: (v: unknown) => v is T): T {
  const v = vscode.workspace.getConfiguration(`dsInspector.${section}`).get<unknown>(key);
  return v !== undefined && valid(v) ? v : fallback;
}
