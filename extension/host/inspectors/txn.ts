/**
 * The Distributed Transactions inspector's palette commands: open, run an order flow, inject a
 * fault, branch with What if…, replay a run (from the history, an explorer counterexample or a
 * file), step through the run shown, explore failures. Each also accepts its values as arguments
 * (for scripts and tests); what arguments carry is checked like any webview intent.
 */
import * as vscode from 'vscode';
import { parseRunFile } from '../../engines/txn/runFile';
import type {
  ExploreSpec, ExplorerCounterexample, ExplorerResult, ProtocolName, RunSpec, TxnIntent, TxnLanesPart, TxnRunPart, TxnView, VariantName,
} from '../../protocol/txn';
import { PARTICIPANT_IDS, PROTOCOL_NAMES, TXN_LIMITS, VARIANT_PROTOCOL, exploreSpecSchema, shortestCounterexample, txnIntentSchema } from '../../protocol/txn';
import { FAULT_PRESETS, PROTOCOL_INFO } from '../../protocol/txnPresets';
import { log, reportError } from '../log';
import type { InspectorSession } from '../session';
import type { SessionManager } from '../sessionManager';
import type { InspectorDefinition } from './definition';
import { pickOne, setting } from './prompts';
import { FOLLOW_UP, askFault, type FaultPlace } from './txnFaultPicker';

const isProtocol = (v: unknown): v is ProtocolName => typeof v === 'string' && (PROTOCOL_NAMES as readonly string[]).includes(v);
const intIn = (min: number, max: number) => (v: unknown): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';

/** `dsInspector.transactions.*`: what new runs and explorations start from. */
const defaults = {
  protocol: () => setting('transactions', 'protocol', '2pc', isProtocol),
  participants: () => setting('transactions', 'participants', 5, intIn(TXN_LIMITS.minParticipants, TXN_LIMITS.maxParticipants)),
  seed: () => setting('transactions', 'seed', 1, intIn(0, 0xffffffff)),
  runToEnd: () => setting('transactions', 'runToEnd', true, isBool),
  exploreParticipants: () => setting('transactions', 'explore.participants', 3, intIn(TXN_LIMITS.minParticipants, TXN_LIMITS.maxParticipants)),
  exploreCrashes: () => setting('transactions', 'explore.crashes', 1, intIn(0, TXN_LIMITS.maxExploreCrashes)),
  exploreMessages: () => setting('transactions', 'explore.messages', 0, intIn(0, TXN_LIMITS.maxExploreMessageFaults)),
};

function runTitle(run: RunSpec): string {
  const variant = run.variant && run.variant !== 'correct' ? ` (${run.variant})` : '';
  return `${PROTOCOL_INFO[run.protocol].short}${variant} · ${run.participants} participants${run.faults.length ? ` · ${run.faults.join(', ')}` : ''}`;
}

function exploreTitle(spec: { protocol: ProtocolName; variant?: VariantName; participants: number; crashes: number; messages?: number }): string {
  const variant = spec.variant && spec.variant !== 'correct' ? ` (${spec.variant})` : '';
  const m = spec.messages ?? 0;
  return `${PROTOCOL_INFO[spec.protocol].short}${variant} · ${spec.participants} participants · ${spec.crashes} crash${spec.crashes === 1 ? '' : 'es'}, ${m} message fault${m === 1 ? '' : 's'}`;
}

function label(intent: TxnIntent): string {
  switch (intent.type) {
    case 'run': return `run ${runTitle(intent.run)}`;
    case 'replay': return `replay ${runTitle(intent.run)}`;
    case 'inject': return `inject ${intent.fault}`;
    case 'whatIf': return `what if ${intent.fault} at step ${intent.at}`;
    case 'step': return `step ${intent.direction}${intent.count && intent.count > 1 ? ` ×${intent.count}` : ''}`;
    case 'explore': return `explore ${exploreTitle(intent.spec)}`;
  }
}

/** Participant counts as quick pick items, each naming the services it brings in. */
function participantItems(max: number): { value: string; label: string; detail: string }[] {
  const out = [];
  for (let n = TXN_LIMITS.minParticipants; n <= max; n++) out.push({ value: String(n), label: `${n} participants`, detail: PARTICIPANT_IDS.slice(0, n).join(', ') });
  return out;
}

const protocolItems = PROTOCOL_NAMES.map((p) => ({ value: p, label: PROTOCOL_INFO[p].title, description: p, detail: PROTOCOL_INFO[p].how }));

/** What Run Order Flow… accepts: a protocol, or a run with any field left to the settings. */
type RunArg = ProtocolName | (Partial<RunSpec> & { protocol: ProtocolName; settle?: boolean });
/** What Replay Transaction… accepts: a run, a run opened at a step, or a file to read one from. */
type ReplayArg = RunSpec | { run: RunSpec; at?: number } | { file: string };
/** What What If… accepts: the fault, and the run step to branch from (the one shown by default). */
type WhatIfArg = string | { fault: string; at?: number };

export const txnInspector: InspectorDefinition = {
  kind: 'txn',
  title: 'Transactions',
  icon: 'git-merge',
  intentSchema: txnIntentSchema,
  registerCommands(manager: SessionManager): vscode.Disposable[] {
    const view = (s: InspectorSession): Partial<TxnView> => s.parts as Partial<TxnView>;
    /** Runs an intent on the session with its panel in front; an argument that does not fit is refused with the reason. */
    const send = async (s: InspectorSession, raw: TxnIntent, what: string): Promise<boolean> => {
      const parsed = txnIntentSchema.parse(raw, 'argument');
      if (!parsed.ok) {
        void vscode.window.showErrorMessage(`${what}: ${parsed.error}. Nothing was run.`);
        return false;
      }
      manager.showPanel(s);
      return s.run(parsed.value, label(parsed.value));
    };
    /** The run shown, or a message saying there is none. */
    const shownRun = (s: InspectorSession, what: string): { run: TxnRunPart; lanes: TxnLanesPart } | undefined => {
      const v = view(s);
      if (v.run && v.lanes) return { run: v.run, lanes: v.lanes };
      void vscode.window.showInformationMessage(`${what}: no run is shown at this step. Run an order flow first (Run Order Flow…), or move the timeline onto a run.`);
      return undefined;
    };
    const replayAt = (s: InspectorSession, c: ExplorerCounterexample): Promise<boolean> =>
      send(s, { type: 'replay', run: c.run, at: c.since }, 'Show Counterexample');
    const reg = vscode.commands.registerCommand;

    return [
      reg('dsInspector.openTransactions', async () => {
        const s = await manager.create('txn', { initial: { protocol: defaults.protocol(), participants: defaults.participants(), faults: [], seed: defaults.seed() } });
        manager.showPanel(s);
        return s.id;
      }),

      reg('dsInspector.txn.runOrderFlow', async (arg?: RunArg) => {
        const what = 'Run Order Flow';
        // The panel comes forward only after the prompts: revealing it first would take the focus they need.
        const s = await manager.ensure('txn');
        if (arg !== undefined) {
          const given = typeof arg === 'string' ? { protocol: arg } : arg;
          const { settle, ...run } = given;
          const spec = { participants: defaults.participants(), faults: [], seed: defaults.seed(), ...run };
          return send(s, { type: 'run', run: spec as RunSpec, ...(settle !== undefined ? { settle } : {}) }, what);
        }
        const protocol = await pickOne(`${what}: which protocol?`, protocolItems, defaults.protocol());
        if (!protocol) return false;
        const n = await pickOne(`${what}: how many services take part?`, participantItems(TXN_LIMITS.maxParticipants), String(defaults.participants()), FOLLOW_UP);
        if (!n) return false;
        const participants = Number(n);
        const presets = FAULT_PRESETS[protocol].filter((p) => p.minParticipants <= participants);
        const choice = await pickOne<string>(`${what}: with a fault?`, [
          { value: '', label: '$(pass) No fault', detail: 'The happy path: every service does its part.' },
          ...presets.map((p) => ({ value: p.faults.join(','), label: `$(zap) ${p.title}`, description: p.faults.join(', '), detail: p.shows })),
          { value: 'build', label: '$(tools) Build a fault…', detail: 'Pick what breaks, where and when.' },
        ], undefined, FOLLOW_UP);
        if (choice === undefined) return false;
        let faults = choice;
        if (choice === 'build') {
          const place: FaultPlace = { protocol, participants, at: 0, many: true };
          const built = await askFault(what, place, true);
          if (!built) return false;
          faults = built;
        }
        const run: RunSpec = { protocol, participants, faults: faults ? faults.split(',').map((f) => f.trim()).filter(Boolean) : [], seed: defaults.seed() };
        return send(s, { type: 'run', run, settle: defaults.runToEnd() }, what);
      }),

      reg('dsInspector.txn.injectFault', async (fault?: string) => {
        const what = 'Inject Fault';
        const s = await manager.ensure('txn');
        const v = shownRun(s, what);
        if (!v) return false;
        if (fault === undefined) {
          const place: FaultPlace = { protocol: v.run.run.protocol, participants: v.run.run.participants, at: v.lanes.cursor, inFlight: v.lanes.arrows };
          fault = await askFault(`${what} at step ${v.lanes.cursor}`, place);
          if (!fault) return false;
        }
        return send(s, { type: 'inject', fault }, what);
      }),

      reg('dsInspector.txn.whatIf', async (arg?: WhatIfArg) => {
        const what = 'What If';
        const s = await manager.ensure('txn');
        const v = shownRun(s, what);
        if (!v) return false;
        const given = typeof arg === 'string' ? { fault: arg } : arg;
        const at = given?.at ?? v.lanes.cursor;
        const fault = given?.fault ?? (await askFault(`${what}: branch from step ${at} with a different fault (the faults still to come are dropped)`, {
          protocol: v.run.run.protocol, participants: v.run.run.participants, at, ...(at === v.lanes.cursor ? { inFlight: v.lanes.arrows } : {}),
        }));
        if (!fault) return false;
        return send(s, { type: 'whatIf', at, fault }, what);
      }),

      reg('dsInspector.txn.replay', async (arg?: ReplayArg) => {
        const what = 'Replay Transaction';
        const s = await manager.ensure('txn');
        if (arg !== undefined) {
          if ('file' in arg) return replayFile(s, vscode.Uri.file(arg.file));
          return 'run' in arg ? send(s, { type: 'replay', run: arg.run, ...(arg.at !== undefined ? { at: arg.at } : {}) }, what) : send(s, { type: 'replay', run: arg }, what);
        }
        const v = view(s);
        type Item = vscode.QuickPickItem & { run?: RunSpec; counterexample?: ExplorerCounterexample; file?: true };
        const items: Item[] = [];
        const history = [...(v.history ?? [])].reverse();
        if (history.length) items.push({ label: 'Runs in this session', kind: vscode.QuickPickItemKind.Separator });
        for (const h of history) {
          items.push({
            label: `$(history) ${runTitle(h.run)}`,
            description: `${h.steps} steps · ${h.outcome}${h.blocked ? ' · blocked' : ''}`,
            ...(h.violated.length ? { detail: `violated: ${h.violated.join(', ')}` } : {}),
            run: h.run,
          });
        }
        const counterexamples = (v.explorer ?? []).flatMap((r) => r.counterexamples.map((c) => ({ r, c })));
        if (counterexamples.length) items.push({ label: 'Explorer counterexamples', kind: vscode.QuickPickItemKind.Separator });
        for (const { r, c } of counterexamples) {
          items.push({
            label: `$(bug) ${c.invariant === 'blocked' ? 'Blocked' : `${c.invariant} violated`} · ${exploreTitle(r)}`,
            description: c.run.faults.join(', '),
            detail: `${c.length} steps; ${c.invariant === 'blocked' ? 'blocked' : 'broken'} from step ${c.since}: opens there`,
            counterexample: c,
          });
        }
        items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(folder-opened) From a file…', detail: 'A history entry, a counterexample, or the output of "dsi txn run --json"', file: true });
        const picked = await vscode.window.showQuickPick(items, { title: `${what}: which run?`, placeHolder: 'A run to replay step by step', matchOnDescription: true, matchOnDetail: true });
        if (!picked) return false;
        if (picked.counterexample) return replayAt(s, picked.counterexample);
        if (picked.run) return send(s, { type: 'replay', run: picked.run }, what);
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
        const file = (await vscode.window.showOpenDialog({ title: `${what}: a run saved as JSON`, canSelectMany: false, filters: { 'JSON': ['json'] }, ...(folder ? { defaultUri: folder } : {}) }))?.[0];
        return file ? replayFile(s, file) : false;
      }),

      reg('dsInspector.txn.stepForward', async (count?: number) => step(await manager.ensure('txn'), 'forward', count)),
      reg('dsInspector.txn.stepBack', async (count?: number) => step(await manager.ensure('txn'), 'back', count)),

      reg('dsInspector.txn.explore', async (arg?: Partial<ExploreSpec> & { protocol: ProtocolName }) => {
        const what = 'Explore Failures';
        const s = await manager.ensure('txn');
        let spec: ExploreSpec | undefined;
        if (arg) {
          const parsed = exploreSpecSchema.parse({ participants: defaults.exploreParticipants(), crashes: defaults.exploreCrashes(), messages: defaults.exploreMessages(), ...arg }, 'argument');
          if (!parsed.ok) {
            void vscode.window.showErrorMessage(`${what}: ${parsed.error}. Nothing was explored.`);
            return false;
          }
          spec = parsed.value;
        } else {
          spec = await askExploreSpec(what);
          if (!spec) return false;
        }
        if (!(await send(s, { type: 'explore', spec }, what))) return false;
        const result = view(s).explorer?.[0];
        if (result) void announce(result, (c) => replayAt(s, c));
        return true;
      }),
    ];

    async function step(session: InspectorSession, direction: 'forward' | 'back', count?: number): Promise<boolean> {
      const v = view(session);
      const t = v.timeline;
      if (t && direction === 'back' && t.cursor === 0) {
        void vscode.window.showInformationMessage(`${session.title} is at its first step.`);
        return false;
      }
      if (t && direction === 'forward' && t.cursor === t.length && (!v.run || v.run.status === 'settled' || v.run.status === 'stuck')) {
        void vscode.window.showInformationMessage(`${session.title}: the run has settled, nothing more happens. Inject a fault, branch with What If…, or run a new order flow.`);
        return false;
      }
      return send(session, { type: 'step', direction, ...(count !== undefined ? { count } : {}) }, direction === 'forward' ? 'Step Transaction Forward' : 'Step Transaction Back');
    }

    async function replayFile(session: InspectorSession, file: vscode.Uri): Promise<boolean> {
      let run: RunSpec;
      try {
        const stat = await vscode.workspace.fs.stat(file);
        if (stat.size > 1024 * 1024) throw new Error(`the file is ${Math.round(stat.size / 1024)} KB; a run to replay is a small JSON object`);
        run = parseRunFile(Buffer.from(await vscode.workspace.fs.readFile(file)).toString('utf8'));
      } catch (e) {
        reportError(`Could not replay ${vscode.workspace.asRelativePath(file)}`, e);
        return false;
      }
      log().info(`Replaying the run in ${file.toString()}`);
      return send(session, { type: 'replay', run }, 'Replay Transaction');
    }
  },
};

async function askExploreSpec(what: string): Promise<ExploreSpec | undefined> {
  const protocol = await pickOne(`${what}: which protocol?`, protocolItems, defaults.protocol());
  if (!protocol) return undefined;
  const n = await pickOne(`${what}: how many services? (small configurations explore fast)`, participantItems(6), String(defaults.exploreParticipants()), FOLLOW_UP);
  if (!n) return undefined;
  const crashes = await pickOne(`${what}: how many crashes in every run?`, [0, 1, 2, 3].map((k) => ({
    value: String(k), label: k === 0 ? 'No crash' : `${k} crash${k === 1 ? '' : 'es'}`, detail: k === 0 ? 'Only message faults (next question)' : `Every placement of ${k} crash${k === 1 ? '' : 'es'}: any node, right after any of its own steps`,
  })), String(defaults.exploreCrashes()), FOLLOW_UP);
  if (crashes === undefined) return undefined;
  const messages = await pickOne(`${what}: and how many message faults?`, [0, 1, 2].map((k) => ({
    value: String(k), label: k === 0 ? 'No message fault' : `${k} message fault${k === 1 ? '' : 's'}`, detail: k === 0 ? '' : `Every message, lost or delivered twice${k > 1 ? ', in every pair' : ''}`,
  })), String(defaults.exploreMessages()), FOLLOW_UP);
  if (messages === undefined) return undefined;
  const bugs = (Object.keys(VARIANT_PROTOCOL) as Exclude<VariantName, 'correct'>[]).filter((v) => VARIANT_PROTOCOL[v] === protocol);
  const variant = bugs.length === 0 ? 'correct' : await pickOne<VariantName>(`${what}: the correct protocol, or a planted bug?`, [
    { value: 'correct', label: 'Correct', detail: `${PROTOCOL_INFO[protocol].title} as it should be` },
    ...bugs.map((b) => ({ value: b, label: `Planted bug: ${b}`, detail: BUG_DETAIL[b] })),
  ], undefined, FOLLOW_UP);
  if (!variant) return undefined;
  return { protocol, participants: Number(n), crashes: Number(crashes), messages: Number(messages), ...(variant !== 'correct' ? { variant } : {}) };
}

const BUG_DETAIL: Record<Exclude<VariantName, 'correct'>, string> = {
  'commit-before-log': 'The coordinator sends commit before its decision is durable: a crash in between lets recovery abort what some already committed.',
  'non-idempotent-compensation': 'A compensation delivered twice is applied twice: the refund is paid twice.',
  'no-consumer-dedup': 'Consumers apply every delivery, duplicates included.',
};

/** Says what an exploration found; a violation or a blocked run offers its shortest counterexample. */
async function announce(r: ExplorerResult, open: (c: ExplorerCounterexample) => Promise<boolean>): Promise<void> {
  const title = exploreTitle(r);
  const broken = r.violations.map((v) => `${v.invariant} in ${v.runs.toLocaleString('en-US')}`).join(', ');
  const text = `${title}: ${r.runs.toLocaleString('en-US')} runs${r.complete ? '' : ' (incomplete)'}; ${broken ? `violated: ${broken}` : 'every invariant held'}; ${r.blocked.toLocaleString('en-US')} blocked.`;
  const best = shortestCounterexample(r);
  if (!best) {
    void vscode.window.showInformationMessage(text);
    return;
  }
  const show = 'Show Counterexample';
  const pick = await (r.violations.length ? vscode.window.showWarningMessage(text, show) : vscode.window.showInformationMessage(text, show));
  if (pick === show) await open(best);
}
