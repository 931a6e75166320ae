/**
 * The Idempotency & Ordering lab's palette commands. Each also accepts its values as arguments
 * (for scripts and tests). "Use Redis…" lives in `redisConnect.ts`; every command that runs the
 * simulation on Redis offers the in-memory store when Redis fails.
 */
import * as vscode from 'vscode';
import {
  CHECK_MODES, DISPATCH_MODES, MAX_SEND, MAX_WORKERS, PARTITIONERS, SCENARIOS, defaultSettings, intentSchema,
  type CheckMode, type CountersPart, type DispatchMode, type IdempotencyConfig, type IdempotencyIntent, type LanesPart, type Partitioner, type Scenario, type SettingsPart,
} from '../../protocol/idempotency';
import { CHECK_TEXT, DISPATCH_TEXT, PARTITIONER_LABEL, SCENARIO_TEXT, plural } from '../../protocol/idempotencyLabels';
import type { InspectorSession } from '../session';
import type { SessionManager } from '../sessionManager';
import type { InspectorDefinition } from './definition';
import { askInteger, pickOne, setting } from './prompts';
import { RedisConnector, runReportingError } from './redisConnect';

const isOneOf = <T extends string>(xs: readonly T[]) => (v: unknown): v is T => typeof v === 'string' && (xs as readonly string[]).includes(v);
const isIntIn = (min: number, max: number) => (v: unknown): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/** A new lab's settings: the defaults, overridden by the user's `dsInspector.idempotency.*` settings. */
function configFromSettings(): IdempotencyConfig {
  const d = defaultSettings();
  return {
    seed: 1,
    settings: {
      ...d,
      check: setting('idempotency', 'check', d.check, isOneOf(CHECK_MODES)),
      ttlMs: setting('idempotency', 'ttlMs', d.ttlMs, isIntIn(1, 86_400_000)),
      workers: setting('idempotency', 'workers', d.workers, isIntIn(1, MAX_WORKERS)),
      dispatch: setting('idempotency', 'dispatch', d.dispatch, isOneOf(DISPATCH_MODES)),
      partitioner: setting('idempotency', 'partitioner', d.partitioner, isOneOf(PARTITIONERS)),
    },
  };
}

/** What the busy bar and the log call an operation (the timeline's own label comes from the engine). */
function label(i: IdempotencyIntent): string {
  switch (i.type) {
    case 'send': return `send ${plural(i.count, i.scenario === 'notification' ? 'notification' : 'payment')}`;
    case 'duplicate': return `send ${i.message ?? 'the last message'} again${i.changePayload ? ' with a changed payload' : ''}`;
    case 'advance': return `advance ${i.ms.toLocaleString('en-US')} ms`;
    case 'setCheck': return `check: ${i.check}`;
    case 'setTtl': return `TTL ${i.ttlMs.toLocaleString('en-US')} ms`;
    case 'setWorkers': return `workers: ${i.workers}`;
    case 'setDispatch': return `dispatch: ${i.dispatch}`;
    case 'setFaults': return 'faults';
    case 'setWorkload': return 'workload';
    case 'useRedis': return 'use Redis';
    case 'useMemory': return 'use the in-memory store';
  }
}

type SendArg = number | { count: number; scenario?: Scenario; keys?: number; skew?: number };
type DuplicateArg = string | { message?: string; changePayload?: boolean };
type DispatchArg = DispatchMode | { dispatch: DispatchMode; partitioner?: Partitioner };
type TtlArg = number | { ttlMs: number; leaseMs?: number };

/** The newest messages the producer sent, newest first: the last one always, others from the lanes window. */
function recentMessages(s: InspectorSession, max = 10): { msg: string; key?: string }[] {
  const produced = (s.parts['counters'] as CountersPart | undefined)?.produced ?? 0;
  if (produced === 0) return [];
  const seen = new Map<string, string | undefined>([[`m${produced}`, undefined]]);
  const items = (s.parts['lanes'] as LanesPart | undefined)?.items ?? [];
  for (let i = items.length - 1; i >= 0 && seen.size < max; i--) {
    const it = items[i]!;
    if (it.lane === 'producer' && (!seen.has(it.msg) || seen.get(it.msg) === undefined)) seen.set(it.msg, it.key);
  }
  return [...seen].map(([msg, key]) => (key === undefined ? { msg } : { msg, key }));
}

const MESSAGE_ID = /^m[1-9]\d{0,30}$/;

export const idempotencyInspector: InspectorDefinition = {
  kind: 'idempotency',
  title: 'Idempotency & Ordering',
  icon: 'shield',
  intentSchema,
  registerCommands(manager: SessionManager, context: vscode.ExtensionContext): vscode.Disposable[] {
    const redis = new RedisConnector(context.secrets);
    const session = async (): Promise<InspectorSession> => {
      const s = await manager.ensure('idempotency');
      manager.showPanel(s);
      return s;
    };
    const settingsOf = (s: InspectorSession): SettingsPart | undefined => s.parts['settings'] as SettingsPart | undefined;
    /** Runs an intent; when it failed on Redis, offers the in-memory store (or connecting again). */
    const run = async (intent: IdempotencyIntent, s?: InspectorSession): Promise<boolean> => {
      s ??= await session();
      const { ok, error } = await runReportingError(s, intent, label(intent));
      const store = settingsOf(s)?.store;
      if (!ok && error?.includes('Redis') && store?.kind === 'redis') void offerMemory(s, store.where);
      return ok;
    };
    const offerMemory = async (s: InspectorSession, where: string): Promise<void> => {
      const memory = 'Use In-Memory Store';
      const again = 'Use Redis…';
      const pick = await vscode.window.showWarningMessage(
        `${s.title} is still on Redis at ${where}, which failed. Nothing ran twice because of it (fail closed). Switch to the in-memory store to keep going, or connect to Redis again?`,
        memory,
        again,
      );
      if (pick === memory) await run({ type: 'useMemory' }, s);
      else if (pick === again) await redis.use(s);
    };
    const byId = async (id: unknown): Promise<InspectorSession> => {
      const s = typeof id === 'string' ? await manager.restore(id) : undefined;
      if (s) manager.showPanel(s);
      return s ?? session();
    };
    const reg = vscode.commands.registerCommand;
    return [
      reg('dsInspector.openIdempotencyLab', async () => {
        const s = await manager.create('idempotency', configFromSettings());
        manager.showPanel(s);
        return s.id;
      }),
      reg('dsInspector.idempotency.sendMessages', async (arg?: SendArg) => {
        const given = typeof arg === 'number' ? { count: arg } : arg;
        const count = given?.count ?? (await askInteger('Send how many messages?', { min: 1, max: MAX_SEND, value: 20, prompt: `New messages for the producer to send, 1 to ${MAX_SEND.toLocaleString('en-US')}; the broker may duplicate, delay and redeliver them.` }));
        if (count === undefined) return false;
        const scenario = given ? (given.scenario ?? 'payment') : await pickOne('What do the messages do?', SCENARIOS.map((v) => ({ value: v, ...SCENARIO_TEXT[v] })));
        if (!scenario) return false;
        return run({ type: 'send', count, scenario, ...(given?.keys !== undefined ? { keys: given.keys } : {}), ...(given?.skew !== undefined ? { skew: given.skew } : {}) });
      }),
      reg('dsInspector.idempotency.sendDuplicate', async (arg?: DuplicateArg) => {
        const s = await session();
        const given = typeof arg === 'string' ? { message: arg } : arg;
        if (given) return run({ type: 'duplicate', ...given }, s);
        const recent = recentMessages(s);
        if (recent.length === 0) {
          const send = 'Send Messages…';
          if ((await vscode.window.showWarningMessage('Send Duplicate: there is no message to send again yet. Send some messages first.', send)) === send)
            await vscode.commands.executeCommand('dsInspector.idempotency.sendMessages');
          return false;
        }
        const OTHER = '(other)';
        let message = await pickOne('Send which message again?', [
          ...recent.map((m, i) => ({ value: m.msg, label: m.msg, description: [m.key, i === 0 ? 'the last message' : undefined].filter(Boolean).join(' · ') })),
          { value: OTHER, label: 'Another message…', detail: 'Type its id, e.g. m3' },
        ]);
        if (message === OTHER)
          message = await vscode.window.showInputBox({
            title: 'Send which message again?',
            prompt: 'A message id the producer sent before, like m3',
            validateInput: (v) => (MESSAGE_ID.test(v.trim()) ? undefined : 'Write a message id: m followed by its number, like m3.'),
          }).then((v) => v?.trim());
        if (!message) return false;
        const payload = await pickOne('Send it with which payload?', [
          { value: 'same', label: 'Same payload', detail: 'A true duplicate: the check should stop it.' },
          { value: 'changed', label: 'Changed payload', detail: 'The same idempotency key with a different amount: the strong check rejects it, a weak check cannot tell.' },
        ]);
        if (!payload) return false;
        return run({ type: 'duplicate', message, changePayload: payload === 'changed' }, s);
      }),
      reg('dsInspector.idempotency.setCheck', async (check?: CheckMode) => {
        const s = await session();
        check ??= await pickOne('Idempotency check', CHECK_MODES.map((v) => ({ value: v, ...CHECK_TEXT[v] })), settingsOf(s)?.check);
        return check ? run({ type: 'setCheck', check }, s) : false;
      }),
      reg('dsInspector.idempotency.setTtl', async (arg?: TtlArg) => {
        const s = await session();
        const given = typeof arg === 'number' ? { ttlMs: arg } : arg;
        const ttlMs = given?.ttlMs ?? (await askInteger('Idempotency key TTL (ms)', {
          min: 1, max: 86_400_000, value: settingsOf(s)?.ttlMs ?? defaultSettings().ttlMs,
          prompt: 'How long a weak key blocks copies, and how long a strong record keeps its result, in milliseconds.',
        }));
        if (ttlMs === undefined) return false;
        return run({ type: 'setTtl', ttlMs, ...(given?.leaseMs !== undefined ? { leaseMs: given.leaseMs } : {}) }, s);
      }),
      reg('dsInspector.idempotency.advance', async (ms?: number) => {
        const s = await session();
        ms ??= await askInteger('Let how much time pass (ms)?', {
          min: 1, max: 86_400_000, value: (settingsOf(s)?.ttlMs ?? defaultSettings().ttlMs) + 1,
          prompt: 'Simulated milliseconds: keys and leases run out, delayed copies and redeliveries arrive. On Redis the time passes for real.',
        });
        return ms ? run({ type: 'advance', ms }, s) : false;
      }),
      reg('dsInspector.idempotency.setWorkers', async (workers?: number) => {
        const s = await session();
        workers ??= await askInteger('How many worker threads?', {
          min: 1, max: MAX_WORKERS, value: settingsOf(s)?.workers ?? defaultSettings().workers,
          prompt: `Consumer threads, 1 to ${MAX_WORKERS}. Changing them rebalances: queued messages are re-dispatched once running ones finish.`,
        });
        return workers ? run({ type: 'setWorkers', workers }, s) : false;
      }),
      reg('dsInspector.idempotency.setDispatch', async (arg?: DispatchArg) => {
        const s = await session();
        const current = settingsOf(s);
        const given = typeof arg === 'string' ? { dispatch: arg } : arg;
        const dispatch = given?.dispatch ?? (await pickOne('How does the consumer hand messages to its workers?', DISPATCH_MODES.map((v) => ({ value: v, ...DISPATCH_TEXT[v] })), current?.dispatch));
        if (!dispatch) return false;
        let partitioner = given?.partitioner;
        if (!given && dispatch === 'keyhash') {
          partitioner = await pickOne('Which hash picks the lane?', PARTITIONERS.map((v) => ({ value: v, label: PARTITIONER_LABEL[v], ...(v === 'kafka' ? { detail: 'Bit-exact with the Java client: the same key lands on the same partition number.' } : {}) })), current?.partitioner);
          if (!partitioner) return false;
        }
        return run({ type: 'setDispatch', dispatch, ...(partitioner ? { partitioner } : {}) }, s);
      }),
      reg('dsInspector.idempotency.useRedis', async (arg?: string | { url?: string; session?: string }) => {
        const given = typeof arg === 'string' ? { url: arg } : arg;
        return redis.use(await byId(given?.session), given?.url);
      }),
      reg('dsInspector.idempotency.useMemory', async (arg?: { session?: string }) => run({ type: 'useMemory' }, await byId(arg?.session))),
    ];
  },
};
