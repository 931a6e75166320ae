/**
 * The HTTP Keep-Alive inspector's palette commands: open, run a preset, configure a custom
 * experiment. Each also accepts its values as arguments (for scripts and tests).
 */
import * as vscode from 'vscode';
import { presetInfos, presetSettings } from '../../engines/keepalive/presets';
import {
  CLIENT_KINDS, KEEPALIVE_LIMITS, PRESET_IDS, keepAliveIntentSchema, keepAliveSettingsSchema,
  type ClientKind, type ConfigPart, type KeepAliveIntent, type KeepAliveSettings, type PresetId,
} from '../../protocol/keepalive';
import {
  SECTION_TITLES, SETTING_FIELDS, describeSettingsError, fieldValue, formatField, parseFieldText, tryField, type SettingField,
} from '../../protocol/keepaliveFields';
import type { InspectorSession } from '../session';
import type { SessionManager } from '../sessionManager';
import type { InspectorDefinition } from './definition';
import { pickOne, setting } from './prompts';

const isOneOf = <T extends string>(xs: readonly T[]) => (v: unknown): v is T => typeof v === 'string' && (xs as readonly string[]).includes(v);
const isRequestCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= KEEPALIVE_LIMITS.maxRequests;

/** `dsInspector.keepAlive.client`: the client library presets run with unless told otherwise. */
const defaultClient = (): ClientKind => setting('keepAlive', 'client', 'node', isOneOf(CLIENT_KINDS));
/** `dsInspector.keepAlive.requests`: 0 keeps each preset's own count. */
const defaultRequests = (): number => setting('keepAlive', 'requests', 0, isRequestCount);

function presetTitle(id: PresetId | 'custom'): string {
  return presetInfos.find((p) => p.id === id)?.title ?? 'custom settings';
}

function runLabel(intent: Extract<KeepAliveIntent, { type: 'run' }>): string {
  const what = intent.preset ? presetTitle(intent.preset) : 'custom experiment';
  const extras = [intent.client, intent.requests !== undefined ? `${intent.requests} requests` : undefined].filter(Boolean);
  return `run ${what}${extras.length ? ` (${extras.join(', ')})` : ''}`;
}

/** What "Run Keep-Alive Preset…" accepts: a preset id, or an object naming it with overrides. */
type RunArg = PresetId | { preset: PresetId; client?: ClientKind; requests?: number };
/** What "Configure Keep-Alive…" accepts: any part of the settings, merged over the current ones; `run` starts the experiment after. */
type ConfigureArg = { server?: Partial<KeepAliveSettings['server']>; client?: Partial<KeepAliveSettings['client']>; workload?: Partial<KeepAliveSettings['workload']>; run?: boolean };

export const keepAliveInspector: InspectorDefinition = {
  kind: 'keepalive',
  title: 'HTTP Keep-Alive',
  icon: 'plug',
  intentSchema: keepAliveIntentSchema,
  registerCommands(manager: SessionManager): vscode.Disposable[] {
    const session = async (): Promise<InspectorSession> => {
      const s = await manager.ensure('keepalive');
      manager.showPanel(s);
      return s;
    };
    const reg = vscode.commands.registerCommand;
    return [
      reg('dsInspector.openKeepAlive', async () => {
        const s = await manager.create('keepalive', presetSettings('keepalive', defaultClient()));
        manager.showPanel(s);
        return s.id;
      }),
      reg('dsInspector.keepalive.runPreset', async (arg?: RunArg) => {
        const given = typeof arg === 'string' ? { preset: arg } : arg;
        if (given && !isOneOf(PRESET_IDS)(given.preset)) {
          void vscode.window.showErrorMessage(`Run Keep-Alive Preset: "${String(given.preset)}" is not a preset; use one of ${PRESET_IDS.join(', ')}.`);
          return false;
        }
        const preset = given?.preset ?? (await pickOne('Run which keep-alive experiment?', presetInfos.map((p) => ({ value: p.id, label: p.title, description: p.id, detail: p.description }))));
        if (!preset) return false;
        const requests = given?.requests ?? (defaultRequests() || undefined);
        const intent: KeepAliveIntent = { type: 'run', preset, client: given?.client ?? defaultClient(), ...(requests !== undefined ? { requests } : {}) };
        return (await session()).run(intent, runLabel(intent));
      }),
      reg('dsInspector.keepalive.configure', async (arg?: ConfigureArg) => {
        // The panel comes forward only after the quick pick: revealing it first would take the focus the pick needs.
        const s = await manager.ensure('keepalive');
        const current = (s.parts['config'] as ConfigPart | undefined)?.settings;
        if (!current) return false;
        if (arg) {
          const { run, ...patch } = arg;
          const merged = keepAliveSettingsSchema.parse({
            server: { ...current.server, ...patch.server },
            client: { ...current.client, ...patch.client },
            workload: { ...current.workload, ...patch.workload },
          }, 'settings');
          if (!merged.ok) {
            void vscode.window.showErrorMessage(`Configure Keep-Alive: ${describeSettingsError(merged.error)}. Nothing was changed.`);
            return false;
          }
          manager.showPanel(s);
          return apply(s, current, merged.value, run === true);
        }
        const chosen = await editSettings(current);
        if (!chosen) return false;
        manager.showPanel(s);
        return apply(s, current, chosen.settings, chosen.run);
      }),
    ];
  },
};

/** Records the new settings (unless nothing changed), then runs them when asked. */
async function apply(s: InspectorSession, current: KeepAliveSettings, next: KeepAliveSettings, andRun: boolean): Promise<boolean> {
  if (JSON.stringify(next) !== JSON.stringify(current) && !(await s.run({ type: 'configure', settings: next }, 'configure experiment'))) return false;
  return andRun ? s.run({ type: 'run' }, runLabel({ type: 'run' })) : true;
}

type FieldItem = vscode.QuickPickItem & { field?: SettingField; action?: 'apply' | 'run' };

/**
 * A quick pick listing every setting with its value; picking one edits it, and the list comes
 * back until the user applies (or applies and runs). Escape leaves everything as it was.
 */
async function editSettings(initial: KeepAliveSettings): Promise<{ settings: KeepAliveSettings; run: boolean } | undefined> {
  let settings = initial;
  let active: SettingField | undefined;
  for (;;) {
    const items: FieldItem[] = [
      { label: '$(play) Apply and run', action: 'run', detail: 'Use these settings and start the experiment now' },
      { label: '$(check) Apply', action: 'apply', detail: 'Use these settings for the next run' },
    ];
    let section: string | undefined;
    for (const f of SETTING_FIELDS) {
      if (f.section !== section) {
        section = f.section;
        items.push({ label: SECTION_TITLES[f.section], kind: vscode.QuickPickItemKind.Separator });
      }
      const changed = JSON.stringify(fieldValue(settings, f)) !== JSON.stringify(fieldValue(initial, f));
      items.push({ label: f.label, description: `${formatField(f, fieldValue(settings, f))}${changed ? ' (changed)' : ''}`, detail: f.help, field: f });
    }
    const picked = await new Promise<FieldItem | undefined>((resolve) => {
      const qp = vscode.window.createQuickPick<FieldItem>();
      qp.title = 'Configure Keep-Alive';
      qp.placeholder = 'Pick a setting to change, then Apply';
      qp.matchOnDetail = true;
      qp.items = items;
      const again = active && items.find((i) => i.field === active);
      if (again) qp.activeItems = [again];
      qp.onDidAccept(() => { resolve(qp.selectedItems[0]); qp.hide(); });
      qp.onDidHide(() => { resolve(undefined); qp.dispose(); });
      qp.show();
    });
    if (!picked) return undefined;
    if (picked.action) return { settings, run: picked.action === 'run' };
    active = picked.field!;
    const next = await editField(settings, active);
    if (next) settings = next;
  }
}

async function editField(settings: KeepAliveSettings, f: SettingField): Promise<KeepAliveSettings | undefined> {
  const value = fieldValue(settings, f);
  if (f.type === 'bool' || f.type === 'choice') {
    const options = f.type === 'bool' ? ['on', 'off'] : [...f.options];
    const pick = await pickOne(f.label, options.map((o) => ({ value: o, label: o })), formatField(f, value));
    if (pick === undefined) return undefined;
    const r = tryField(settings, f, f.type === 'bool' ? pick === 'on' : pick);
    return r.ok ? r.settings : undefined;
  }
  const text = await vscode.window.showInputBox({
    title: f.label,
    prompt: `${f.help}${f.unit ? ` In ${f.unit}.` : ''}`,
    value: Array.isArray(value) ? value.join(', ') : String(value),
    validateInput: (t) => {
      const r = tryField(settings, f, parseFieldText(f, t));
      return r.ok ? undefined : r.error;
    },
  });
  if (text === undefined) return undefined;
  const r = tryField(settings, f, parseFieldText(f, text));
  return r.ok ? r.settings : undefined;
}
