/**
 * Building a fault SPEC for the Transactions inspector with quick picks: what breaks (a crash, a
 * lost, duplicated, delayed or reordered message, a refusal, a business failure), which node or
 * message, and when; or the SPEC typed directly, checked as it is typed by the engine's own parser
 * against the run's nodes, messages and milestones.
 */
import * as vscode from 'vscode';
import { UserError } from '../../engines/core/model';
// The light parts of the engine only: the simulation itself loads in the session's worker.
import type { FaultVocabulary } from '../../engines/txn/faults';
import { DEFAULT_DOWNTIME_MS, parseFault, parseFaults } from '../../engines/txn/faults';
import { flowParticipants } from '../../engines/txn/participants';
import { faultVocabulary } from '../../engines/txn/protocols/shapes';
import type { ProtocolName, TxnArrowView } from '../../protocol/txn';
import { TXN_LIMITS } from '../../protocol/txn';
import { askInteger, pickOne } from './prompts';

/** Where the fault goes in. */
export interface FaultPlace {
  protocol: ProtocolName;
  participants: number;
  /** Run step it goes in after: 0 is the run's start (a new run, or What if… at step 0). */
  at: number;
  /** Messages in flight at that step (only an injection at the cursor knows them). */
  inFlight?: readonly TxnArrowView[];
  /** Several faults may be given, separated by commas (a new run's fault list). */
  many?: boolean;
}

/** Every prompt after the first of a command (see prompts.ts). */
export const FOLLOW_UP = { followUp: true } as const;

type Kind = 'crash' | 'lose' | 'dup' | 'delay' | 'reorder' | 'no' | 'fail' | 'typed';

const KINDS: { value: Kind; label: string; detail: string; startOnly?: boolean }[] = [
  { value: 'crash', label: '$(debug-disconnect) Crash a node…', detail: 'It loses its locks, timers and volatile state, drops what reaches it while down, and recovers from its durable log.' },
  { value: 'lose', label: '$(close) Lose a message…', detail: 'The network drops it; the sender finds out only by a timeout.' },
  { value: 'dup', label: '$(copy) Duplicate a message…', detail: 'It is delivered twice: is the handler idempotent?' },
  { value: 'delay', label: '$(watch) Delay a message…', detail: 'It arrives late, possibly after a timeout gave up on it.' },
  { value: 'reorder', label: '$(arrow-swap) Reorder a message…', detail: 'The next message to the same node overtakes it.' },
  { value: 'no', label: '$(thumbsdown) A participant refuses…', detail: 'It votes no, or its try or step fails, from now on.' },
  { value: 'fail', label: '$(error) A business check fails…', detail: 'Insufficient balance, coupon already used, out of stock…: part of the data the order starts from.', startOnly: true },
  { value: 'typed', label: '$(edit) Type a fault SPEC…', detail: 'e.g. crash:coordinator@after-votes, lose:commit->payment, dup:undo->payment, delay:ack#2:400' },
];

/** What a fault may name in the run: its nodes, participants, message types and milestones. */
const vocabulary = (place: FaultPlace): FaultVocabulary => faultVocabulary(place.protocol, flowParticipants(place.participants));

/** The engine's complaint about `text` without the grammar it appends (the input box shows one line). */
function problem(text: string, place: FaultPlace): string | undefined {
  const vocab = vocabulary(place);
  try {
    if (place.many) parseFaults([text], vocab);
    else if (text.includes(',')) return 'One fault at a time here; inject another one after this.';
    else parseFault(text, vocab);
    return undefined;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return e.message.split('\nFault SPEC')[0]!.replace(/\n/g, ' ');
  }
}

async function typed(title: string, place: FaultPlace): Promise<string | undefined> {
  const text = await vscode.window.showInputBox({
    title,
    ignoreFocusOut: true,
    prompt: `A fault SPEC${place.many ? ' (several separated by commas)' : ''}; see "dsi txn --help" for the grammar.`,
    placeHolder: 'crash:coordinator@after-votes',
    validateInput: (v) => (v.trim() === '' ? undefined : v.length > TXN_LIMITS.maxFaultSpecLength * (place.many ? TXN_LIMITS.maxFaults : 1) ? 'Too long.' : problem(v.trim(), place)),
  });
  return text?.trim() || undefined;
}

function nodeItems(place: FaultPlace, participantsOnly: boolean): { value: string; label: string; description: string }[] {
  const vocab = vocabulary(place);
  return (participantsOnly ? vocab.participants : vocab.nodes).map((id) => ({ value: id, label: id, description: vocab.participants.includes(id) ? 'participant' : 'protocol node' }));
}

async function crash(title: string, place: FaultPlace): Promise<string | undefined> {
  const node = await pickOne(`${title}: crash which node?`, nodeItems(place, false), undefined, FOLLOW_UP);
  if (!node) return undefined;
  const vocab = vocabulary(place);
  const now = place.at === 0 ? 'start' : `step:${place.at}`;
  const when = await pickOne<string>(`${title}: crash ${node} when?`, [
    { value: now, label: place.at === 0 ? 'At the start' : `Now (right after step ${place.at})`, detail: place.at === 0 ? 'Before the first step: the order finds it down.' : 'Before anything else happens.' },
    ...vocab.milestones.map((m) => ({ value: `after-${m}`, label: `After "${m}"`, detail: `Right after the step where ${node} reaches the milestone ${m} (if it ever does).` })),
    ...vocab.messageTypes.map((t) => ({ value: `recv:${t}`, label: `After it handles a ${t} message`, detail: `Its next ${t} message is handled, then it crashes before doing what the handler asked for.` })),
    ...vocab.messageTypes.map((t) => ({ value: `send:${t}`, label: `After it sends a ${t} message`, detail: 'The message is on the wire; the rest of the handler is lost.' })),
  ], undefined, FOLLOW_UP);
  if (!when) return undefined;
  const down = await askInteger(`${title}: how long is ${node} down?`, { min: 1, max: TXN_LIMITS.maxDowntimeMs, value: DEFAULT_DOWNTIME_MS, prompt: `Milliseconds until it recovers from its log (1 to ${TXN_LIMITS.maxDowntimeMs.toLocaleString('en-US')})`, followUp: true });
  if (down === undefined) return undefined;
  return `crash:${node}@${when}${down === DEFAULT_DOWNTIME_MS ? '' : `:for=${down}`}`;
}

async function message(title: string, kind: 'lose' | 'dup' | 'delay' | 'reorder', place: FaultPlace): Promise<string | undefined> {
  const vocab = vocabulary(place);
  const flying = (place.inFlight ?? []).filter((a) => a.fate === 'in-flight' && a.dupOf === undefined);
  const picked = await pickOne<string>(`${title}: which message?`, [
    ...flying.map((a) => ({ value: `msg:${a.id}`, label: `#${a.id} ${a.label}`, description: `${a.from} → ${a.to}, in flight since step ${a.sendStep}` })),
    ...vocab.messageTypes.map((t) => ({ value: `type:${t}`, label: `The next ${t} message…`, description: 'to or from any node, or one you pick' })),
  ], undefined, FOLLOW_UP);
  if (!picked) return undefined;
  let selector = picked;
  if (picked.startsWith('type:')) {
    const type = picked.slice(5);
    const dir = await pickOne<string>(`${title}: the next ${type} message between which nodes?`, [
      { value: type, label: `Any ${type} message`, detail: 'The first one sent from now on' },
      ...vocab.nodes.map((n) => ({ value: `${type}->${n}`, label: `${type} to ${n}` })),
      ...vocab.nodes.map((n) => ({ value: `${type}<-${n}`, label: `${type} from ${n}` })),
    ], undefined, FOLLOW_UP);
    if (!dir) return undefined;
    selector = dir;
  }
  if (kind !== 'delay') return `${kind}:${selector}`;
  const ms = await askInteger(`${title}: delay it by how long?`, { min: 1, max: TXN_LIMITS.maxDelayMs, value: 400, prompt: 'Milliseconds on top of the network latency (6–14 ms); timeouts are 100–150 ms', followUp: true });
  return ms === undefined ? undefined : `delay:${selector}:${ms}`;
}

/**
 * Asks what to break; resolves to a fault SPEC, or undefined when the user gives up. `followUp`:
 * the command asked something before (see prompts.ts).
 */
export async function askFault(title: string, place: FaultPlace, followUp = false): Promise<string | undefined> {
  const canRefuse = !vocabulary(place).refusalUnsupported;
  const kinds = KINDS.filter((k) => (!k.startOnly || place.at === 0) && (canRefuse || (k.value !== 'no' && k.value !== 'fail')));
  const kind = await pickOne(`${title}: what breaks?`, kinds, undefined, { followUp });
  switch (kind) {
    case undefined: return undefined;
    case 'typed': return typed(title, place);
    case 'crash': return crash(title, place);
    case 'no':
    case 'fail': {
      const node = await pickOne(`${title}: which participant ${kind === 'no' ? 'refuses' : 'fails its check'}?`, nodeItems(place, true), undefined, FOLLOW_UP);
      return node && `${kind}:${node}`;
    }
    default: return message(title, kind, place);
  }
}
