/**
 * The Connection Pool inspector's palette commands. Each also accepts its values as arguments (for
 * scripts and tests). "Use MySQL / MariaDB…" lives in `mysqlConnect.ts`: it is the only way the
 * `useMysql` intent is sent, so the webview's intents are checked against the schema without it.
 */
import * as vscode from 'vscode';
import { PRESETS } from '../../engines/pool/presets';
import type { PoolConfig } from '../../engines/pool/poolConfig';
import {
  POOL_LIMITS, PRESET_NAMES, poolActionSchema, poolIntentSchema,
  type PoolIntent, type PoolPicture, type PresetName, type SimServerSettings,
} from '../../protocol/pool';
import {
  POOL_FIELDS, SERVER_FIELDS, checkedPool, checkedServer, fieldText, formatFieldValue, withTexts,
  type PoolField, type ServerField,
} from '../../protocol/poolFields';
import type { InspectorSession } from '../session';
import type { SessionManager } from '../sessionManager';
import type { InspectorDefinition } from './definition';
import { MysqlConnector } from './mysqlConnect';
import { askInteger, pickOne, setting } from './prompts';

const isPresetName = (v: unknown): v is PresetName => typeof v === 'string' && (PRESET_NAMES as readonly string[]).includes(v);
const isQueries = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= POOL_LIMITS.maxPresetQueries;

/** `dsInspector.pool.presetQueries`: what Connect per query and Pooled run (0: the preset's own 400). */
const presetQueries = (): number | undefined => setting('pool', 'presetQueries', 0, isQueries) || undefined;

/** Presets run one after the other, for the comparisons the view draws side by side (names unlike any preset's). */
const SERIES = {
  'per-query-vs-pooled': { title: 'Connect per query vs pooled', presets: ['per-query', 'pooled'], detail: 'Runs both: what reusing connections buys in throughput and latency.' },
  'stale-vs-fixes': { title: 'Stale vs keep-alive vs validation', presets: ['stale', 'stale-keepalive', 'stale-validate'], detail: 'Runs all three: the queries wait_timeout breaks, and the two settings that prevent it.' },
} as const satisfies Record<string, { title: string; presets: readonly PresetName[]; detail: string }>;
type SeriesName = keyof typeof SERIES;
const isSeriesName = (v: unknown): v is SeriesName => typeof v === 'string' && Object.hasOwn(SERIES, v);

/** What "Run Pool Preset…" accepts: a preset or series name, or an object naming one, with a query count. */
type RunArg = PresetName | SeriesName | { preset: PresetName | SeriesName; queries?: number };
/** What "Configure Pool…" accepts: pool settings (and embedded server settings) merged over the current ones. */
type ConfigureArg = Partial<PoolConfig> & { server?: Partial<SimServerSettings> };

function presetIntent(preset: PresetName, queries: number | undefined): PoolIntent {
  // The query count only shapes the throughput presets; the others run a fixed scenario.
  const counted = queries !== undefined && (preset === 'per-query' || preset === 'pooled');
  return { type: 'runPreset', preset, ...(counted ? { queries } : {}) };
}

export const poolInspector: InspectorDefinition = {
  kind: 'pool',
  title: 'Connection Pool',
  icon: 'database',
  intentSchema: poolIntentSchema,
  webviewIntentSchema: poolActionSchema,
  registerCommands(manager: SessionManager, context: vscode.ExtensionContext): vscode.Disposable[] {
    const mysql = new MysqlConnector(context.secrets);
    /** The pool session to act on (named by id, else the active or latest one); its panel comes forward after any prompt. */
    const session = async (id?: unknown): Promise<InspectorSession> => (typeof id === 'string' ? await manager.restore(id) : undefined) ?? manager.ensure('pool');
    const run = (s: InspectorSession, intent: PoolIntent, label: string): Promise<boolean> => {
      manager.showPanel(s);
      return s.run(intent, label);
    };
    const picture = (s: InspectorSession): Partial<PoolPicture> => s.parts as Partial<PoolPicture>;
    const reg = vscode.commands.registerCommand;

    const runPresets = async (s: InspectorSession, presets: readonly PresetName[], queries: number | undefined): Promise<boolean> => {
      for (const p of presets) if (!(await run(s, presetIntent(p, queries), `run ${PRESETS[p].title}`))) return false;
      return true;
    };

    return [
      reg('dsInspector.openConnectionPool', async () => {
        const s = await manager.create('pool');
        manager.showPanel(s);
        return s.id;
      }),
      reg('dsInspector.pool.runPreset', async (arg?: RunArg) => {
        const given = typeof arg === 'string' ? { preset: arg } : arg;
        const name = given?.preset;
        if (given && !isPresetName(name) && !isSeriesName(name)) {
          void vscode.window.showErrorMessage(`Run Pool Preset: "${String(name)}" is not a preset; use one of ${[...Object.keys(SERIES), ...PRESET_NAMES].join(', ')}.`);
          return false;
        }
        if (given?.queries !== undefined && !isQueries(given.queries)) {
          void vscode.window.showErrorMessage(`Run Pool Preset: queries must be a whole number from 4 to ${POOL_LIMITS.maxPresetQueries.toLocaleString('en-US')}.`);
          return false;
        }
        const s = await session();
        const chosen = name ?? (await pickOne<PresetName | SeriesName>('Run which pool experiment?', [
          ...Object.entries(SERIES).map(([value, x]) => ({ value: value as SeriesName, label: x.title, description: 'side by side', detail: x.detail })),
          ...PRESET_NAMES.map((value) => ({ value, label: PRESETS[value].title, description: value, detail: PRESETS[value].shows })),
        ]));
        if (!chosen) return false;
        const queries = given?.queries ?? presetQueries();
        return runPresets(s, isPresetName(chosen) ? [chosen] : SERIES[chosen].presets, queries);
      }),
      reg('dsInspector.pool.configure', async (arg?: ConfigureArg) => {
        const s = await session();
        const config = picture(s).config;
        if (!config) return false;
        const embedded = config.embedded;
        let next: { pool: PoolConfig; server: SimServerSettings | null } | undefined;
        if (arg) {
          const { server, ...pool } = arg;
          const p = checkedPool({ ...config.pool, ...pool });
          const sv = server && embedded ? checkedServer({ ...embedded, ...server }) : undefined;
          const problem = !p.ok ? p.error : sv && !sv.ok ? sv.error : server && !embedded ? 'the server settings apply only to the embedded server' : undefined;
          if (problem) {
            void vscode.window.showErrorMessage(`Configure Pool: ${problem}. Nothing was changed.`);
            return false;
          }
          next = { pool: (p as { value: PoolConfig }).value, server: sv?.ok ? sv.value : embedded };
        } else {
          next = await editConfig(config.pool, embedded);
        }
        if (!next) return false;
        let ok = true;
        if (JSON.stringify(next.pool) !== JSON.stringify(config.pool)) ok = await run(s, { type: 'configure', pool: next.pool }, 'configure the pool');
        if (ok && next.server && embedded && JSON.stringify(next.server) !== JSON.stringify(embedded))
          ok = await run(s, { type: 'configureServer', settings: next.server }, 'configure the embedded server');
        manager.showPanel(s);
        return ok;
      }),
      reg('dsInspector.pool.useMysql', async (arg?: { session?: string; host?: string; port?: number; user?: string; database?: string; password?: string }) => {
        const { session: id, ...given } = arg ?? {};
        const s = await session(id);
        const ok = await mysql.use(s, given);
        manager.showPanel(s);
        return ok;
      }),
      reg('dsInspector.pool.useEmbedded', async (arg?: { session?: string }) => run(await session(arg?.session), { type: 'useEmbedded' }, 'use the embedded server')),
      reg('dsInspector.pool.setWaitTimeout', async (arg?: number | { seconds: number; scope?: 'global' | 'session' }) => {
        const given = typeof arg === 'number' ? { seconds: arg } : arg;
        const s = await session();
        const current = picture(s).server?.variables?.waitTimeoutS;
        const seconds = given?.seconds ?? (await askInteger('Server wait_timeout (seconds)', {
          min: 1, max: 31_536_000, value: 2,
          prompt: `The server closes a connection idle this long${current !== undefined ? ` (now ${current.toLocaleString('en-US')} s)` : ''}. It applies to connections opened from now on; open ones keep theirs.`,
        }));
        if (seconds === undefined) return false;
        const scope = given ? (given.scope ?? 'session') : await pickOne<'session' | 'global'>('For which connections?', [
          { value: 'session', label: "The pool's new connections", description: 'SET SESSION', detail: 'Each connection the pool opens from now on runs SET SESSION wait_timeout. No privilege needed; other clients are not affected.' },
          { value: 'global', label: 'Every new connection to the server', description: 'SET GLOBAL', detail: 'Changes the server\'s global setting (needs SUPER on a real server) for every client that connects afterwards.' },
        ]);
        if (!scope) return false;
        return run(s, { type: 'setWaitTimeout', seconds, scope }, `wait_timeout = ${seconds} s (${scope})`);
      }),
      reg('dsInspector.pool.killConnection', async (threadId?: number) => {
        const s = await session();
        if (threadId === undefined) {
          const processes = picture(s).server?.processes ?? [];
          if (processes.length === 0) {
            void vscode.window.showInformationMessage('Kill Connection on Server: the server lists no connection to kill. Open some first: borrow one, or run a preset.');
            return false;
          }
          const picked = await pickOne('Kill which connection on the server?', processes.map(({ row, conn }) => ({
            value: String(row.id),
            label: `thread ${row.id}`,
            description: `${conn !== null ? `pool connection #${conn}` : 'not the pool\'s'} · ${row.command} ${row.timeS} s`,
            detail: `${row.user}@${row.host}${row.db ? ` · ${row.db}` : ''}${row.info ? ` · ${row.info}` : ''}`,
          })));
          if (picked === undefined) return false;
          threadId = Number(picked);
        }
        return run(s, { type: 'kill', threadId }, `KILL ${threadId}`);
      }),
    ];
  },
};

type EditItem = vscode.QuickPickItem & { pool?: PoolField; server?: ServerField; apply?: true };

/**
 * A quick pick listing every setting with its value; picking one edits it and the list comes back
 * until the user applies. Escape leaves everything as it was.
 */
async function editConfig(initialPool: PoolConfig, initialServer: SimServerSettings | null): Promise<{ pool: PoolConfig; server: SimServerSettings | null } | undefined> {
  let pool = initialPool;
  let server = initialServer;
  let last: PoolField | ServerField | undefined;
  for (;;) {
    const mark = (now: unknown, before: unknown): string => (JSON.stringify(now) !== JSON.stringify(before) ? ' (changed)' : '');
    const items: EditItem[] = [
      { label: '$(check) Apply', apply: true, detail: 'Use these settings now: the running pool adapts (opens, closes, re-times connections)' },
      { label: 'Pool', kind: vscode.QuickPickItemKind.Separator },
      ...POOL_FIELDS.map((f) => ({ label: f.label, description: `${formatFieldValue(f, pool[f.key])}${mark(pool[f.key], initialPool[f.key])}`, detail: f.help, pool: f })),
      ...(server && initialServer
        ? [
          { label: 'Embedded server', kind: vscode.QuickPickItemKind.Separator },
          ...SERVER_FIELDS.map((f) => ({ label: f.label, description: `${formatFieldValue(f, server![f.key])}${mark(server![f.key], initialServer[f.key])}`, detail: f.help, server: f })),
        ]
        : []),
    ];
    const picked = await new Promise<EditItem | undefined>((resolve) => {
      const qp = vscode.window.createQuickPick<EditItem>();
      qp.title = 'Configure Pool';
      qp.placeholder = 'Pick a setting to change, then Apply';
      qp.matchOnDetail = true;
      // A multi-step edit: a click elsewhere (or a webview taking the focus back) must not throw the edits away.
      qp.ignoreFocusOut = true;
      qp.items = items;
      const again = last && items.find((i) => i.pool === last || i.server === last);
      if (again) qp.activeItems = [again];
      qp.onDidAccept(() => { resolve(qp.selectedItems[0]); qp.hide(); });
      qp.onDidHide(() => { resolve(undefined); qp.dispose(); });
      qp.show();
    });
    if (!picked) return undefined;
    if (picked.apply) return { pool, server };
    if (picked.pool) {
      const f = (last = picked.pool);
      const current = pool;
      const edited = await editText(f, fieldText(f, current[f.key]), (text) => withTexts(current, POOL_FIELDS, { [f.key]: text }, checkedPool));
      if (edited) pool = edited;
    } else if (picked.server && server) {
      const f = (last = picked.server);
      const current = server;
      const edited = await editText(f, fieldText(f, current[f.key]), (text) => withTexts(current, SERVER_FIELDS, { [f.key]: text }, checkedServer));
      if (edited) server = edited;
    }
  }
}

async function editText<T>(f: PoolField | ServerField, value: string, edit: (text: string) => { ok: true; value: T } | { ok: false; error: string }): Promise<T | undefined> {
  if (f.kind === 'bool') {
    const on = await pickOne(f.label, [{ value: 'on', label: 'on', detail: f.help }, { value: 'off', label: 'off' }], value === 'on' ? 'on' : 'off');
    if (on === undefined) return undefined;
    const r = edit(on);
    return r.ok ? r.value : undefined;
  }
  const text = await vscode.window.showInputBox({
    title: f.label,
    prompt: `${f.help}${f.unit ? ` In ${f.unit === 'ms' ? 'milliseconds' : 'seconds'}.` : ''}`,
    value,
    ignoreFocusOut: true,
    validateInput: (t) => {
      const r = edit(t);
      return r.ok ? undefined : r.error;
    },
  });
  if (text === undefined) return undefined;
  const r = edit(text);
  return r.ok ? r.value : undefined;
}
