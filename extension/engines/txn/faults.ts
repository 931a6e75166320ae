/**
 * Faults and their text form (the `--fault` SPEC of `dsi txn` and the Inject Fault… command).
 *
 *   SPEC   := FAULT ("," FAULT)*
 *   FAULT  := "crash:" NODE "@" WHEN [":for=" MS]   crash NODE right after WHEN; it recovers MS later
 *           | "lose:" MSG | "dup:" MSG                 the message is lost / delivered twice
 *           | "delay:" MSG ":" MS                       the message arrives MS later
 *           | "reorder:" MSG                           the message is overtaken by the next one to the same node
 *           | "no:" NODE                               the participant refuses (votes no, its try or step fails)
 *           | "fail:" NODE                             its business check fails (insufficient balance, coupon
 *                                                      already used, out of stock, …)
 *   WHEN   := "start" | "step:" K                      before the first step / after run step K
 *           | "after-" MILESTONE                       after NODE reaches it (e.g. after-votes, after-prepared)
 *           | "recv:" TYPE ["#" N] | "send:" TYPE ["#" N]   after NODE handles / sends its Nth TYPE message
 *   MSG    := "msg:" ID                                message number ID (as on the diagram)
 *           | TYPE ["->" NODE | "<-" NODE] ["#" N]     the Nth TYPE message (to / from NODE)
 *   Any FAULT may end with ":from=K": it is armed only after run step K (counting starts there).
 *   Injecting a fault at step K of a run records it this way, so the run's fault list replays it.
 *
 * Examples: crash:coordinator@after-votes, crash:payment@recv:prepare:for=3000, lose:commit->payment,
 * dup:undo->payment, lose:vote<-coupon, delay:ack#2:400, fail:payment.
 */
import { UserError } from '../core/model';
import { TXN_LIMITS } from '../../protocol/txn';

export type CrashTrigger =
  /** After run step `step` (0: before the first step). */
  | { at: 'step'; step: number }
  /** After the crashing node's own step that reached this milestone. */
  | { at: 'milestone'; name: string }
  /** After the crashing node handled (recv) or sent (send) its nth message of this type. */
  | { at: 'recv' | 'send'; type: string; nth: number };

export type MessageSelector =
  | { by: 'id'; id: number }
  | { by: 'match'; type: string; to?: string; from?: string; nth: number };

export type Fault = (
  | { kind: 'crash'; node: string; when: CrashTrigger; downMs?: number }
  | { kind: 'lose' | 'dup' | 'reorder'; msg: MessageSelector }
  | { kind: 'delay'; msg: MessageSelector; ms: number }
  | { kind: 'no' | 'fail'; node: string }
) & {
  /** Armed only after this run step (what injecting at step K records); 0 or absent: from the start. */
  from?: number;
};

/** What a fault may name in a given run, for checking specs with helpful messages. */
export interface FaultVocabulary {
  nodes: readonly string[];
  participants: readonly string[];
  messageTypes: readonly string[];
  milestones: readonly string[];
  /** Why `no:`/`fail:` cannot apply, when the protocol has no way to refuse. */
  refusalUnsupported?: string;
}

/** How long a crashed node stays down when the fault does not say. */
export const DEFAULT_DOWNTIME_MS = 1000;

export const FAULT_GRAMMAR = `Fault SPEC (several separated by commas):
  crash:NODE@WHEN[:for=MS]   crash NODE right after WHEN; it recovers MS ms later (default ${DEFAULT_DOWNTIME_MS})
      WHEN: start | step:K | after-MILESTONE | recv:TYPE[#N] | send:TYPE[#N]
  lose:MSG | dup:MSG | reorder:MSG | delay:MSG:MS
      MSG: msg:ID | TYPE[->NODE | <-NODE][#N]     (the Nth such message, first by default)
  no:NODE      the participant refuses (votes no / its try or step fails)
  fail:NODE    its business check fails (insufficient balance, coupon already used, out of stock…)
  FAULT:from=K armed only after run step K (how an injected fault is recorded)
Examples: crash:coordinator@after-votes  lose:commit->payment  dup:undo->payment  fail:coupon`;

function bad(spec: string, why: string, vocab?: FaultVocabulary): never {
  const hint = vocab ? `\nNodes: ${vocab.nodes.join(', ')}. Messages: ${vocab.messageTypes.join(', ')}. Milestones: ${vocab.milestones.join(', ')}.` : '';
  throw new UserError(`Cannot use the fault "${spec}": ${why}.${hint}\n${FAULT_GRAMMAR}`);
}

function positiveInt(spec: string, text: string, what: string, max: number): number {
  if (!/^\d+$/.test(text)) bad(spec, `${what} must be a whole number, not "${text}"`);
  const n = Number(text);
  if (n > max) bad(spec, `${what} must be at most ${max}`);
  return n;
}

function node(spec: string, name: string, vocab: FaultVocabulary | undefined): string {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) bad(spec, `"${name}" is not a node name`, vocab);
  if (vocab && !vocab.nodes.includes(name)) bad(spec, `there is no node "${name}" in this run`, vocab);
  return name;
}

function messageType(spec: string, type: string, vocab: FaultVocabulary | undefined): string {
  if (!/^[a-z][a-z-]*$/.test(type)) bad(spec, `"${type}" is not a message type`, vocab);
  if (vocab && !vocab.messageTypes.includes(type)) bad(spec, `this protocol sends no "${type}" messages`, vocab);
  return type;
}

/** "#N" suffix → N (1 when absent). */
function splitNth(spec: string, text: string): [string, number] {
  const i = text.indexOf('#');
  if (i < 0) return [text, 1];
  const n = positiveInt(spec, text.slice(i + 1), 'the message number after #', TXN_LIMITS.maxRunSteps);
  if (n < 1) bad(spec, 'counting starts at #1');
  return [text.slice(0, i), n];
}

function parseMessage(spec: string, text: string, vocab: FaultVocabulary | undefined): MessageSelector {
  if (text.startsWith('msg:')) return { by: 'id', id: positiveInt(spec, text.slice(4), 'the message id', 1_000_000) };
  const [body, nth] = splitNth(spec, text);
  const to = body.indexOf('->');
  const from = body.indexOf('<-');
  if (to >= 0) return { by: 'match', type: messageType(spec, body.slice(0, to), vocab), to: node(spec, body.slice(to + 2), vocab), nth };
  if (from >= 0) return { by: 'match', type: messageType(spec, body.slice(0, from), vocab), from: node(spec, body.slice(from + 2), vocab), nth };
  return { by: 'match', type: messageType(spec, body, vocab), nth };
}

function parseWhen(spec: string, text: string, vocab: FaultVocabulary | undefined): CrashTrigger {
  if (text === 'start') return { at: 'step', step: 0 };
  if (text.startsWith('step:')) return { at: 'step', step: positiveInt(spec, text.slice(5), 'the step', TXN_LIMITS.maxRunSteps) };
  if (text.startsWith('after-')) {
    const name = text.slice(6);
    if (vocab && !vocab.milestones.includes(name)) bad(spec, `this protocol has no milestone "${name}"`, vocab);
    return { at: 'milestone', name };
  }
  for (const at of ['recv', 'send'] as const) {
    if (text.startsWith(at + ':')) {
      const [type, nth] = splitNth(spec, text.slice(at.length + 1));
      return { at, type: messageType(spec, type, vocab), nth };
    }
  }
  return bad(spec, `"${text}" is not a moment (use start, step:K, after-MILESTONE, recv:TYPE or send:TYPE)`, vocab);
}

/** Parses one fault; with a vocabulary, also checks that the names exist in the run. */
export function parseFault(spec: string, vocab?: FaultVocabulary): Fault {
  const s = spec.trim();
  const fromAt = s.lastIndexOf(':from=');
  if (fromAt < 0) return parseUnarmed(s, vocab);
  const from = positiveInt(s, s.slice(fromAt + 6), 'the step after from=', TXN_LIMITS.maxRunSteps);
  const f = parseUnarmed(s.slice(0, fromAt), vocab);
  return from > 0 ? { ...f, from } : f;
}

function parseUnarmed(s: string, vocab: FaultVocabulary | undefined): Fault {
  const colon = s.indexOf(':');
  if (colon < 0) bad(s, 'it has no kind (crash:, lose:, dup:, delay:, reorder:, no:, fail:)');
  const kind = s.slice(0, colon);
  const rest = s.slice(colon + 1);
  switch (kind) {
    case 'crash': {
      const at = rest.indexOf('@');
      if (at < 0) bad(s, 'a crash needs a moment: crash:NODE@WHEN', vocab);
      const name = node(s, rest.slice(0, at), vocab);
      let when = rest.slice(at + 1);
      let downMs: number | undefined;
      const forAt = when.lastIndexOf(':for=');
      if (forAt >= 0) {
        downMs = positiveInt(s, when.slice(forAt + 5).replace(/ms$/, ''), 'the downtime', TXN_LIMITS.maxDowntimeMs);
        if (downMs < 1) bad(s, 'the downtime must be at least 1 ms');
        when = when.slice(0, forAt);
      }
      const trigger = parseWhen(s, when, vocab);
      return downMs === undefined ? { kind: 'crash', node: name, when: trigger } : { kind: 'crash', node: name, when: trigger, downMs };
    }
    case 'lose':
    case 'dup':
    case 'reorder':
      return { kind, msg: parseMessage(s, rest, vocab) };
    case 'delay': {
      const last = rest.lastIndexOf(':');
      if (last < 0) bad(s, 'a delay needs milliseconds: delay:MSG:MS', vocab);
      const ms = positiveInt(s, rest.slice(last + 1).replace(/ms$/, ''), 'the delay', TXN_LIMITS.maxDelayMs);
      return { kind: 'delay', msg: parseMessage(s, rest.slice(0, last), vocab), ms };
    }
    case 'no':
    case 'fail': {
      const name = node(s, rest, vocab);
      if (vocab?.refusalUnsupported) bad(s, vocab.refusalUnsupported);
      if (vocab && !vocab.participants.includes(name)) bad(s, `only participants (${vocab.participants.join(', ')}) can refuse`);
      return { kind, node: name };
    }
    default:
      return bad(s, `"${kind}" is not a fault kind`);
  }
}

/** Splits a SPEC on commas and parses each fault. */
export function parseFaults(specs: readonly string[], vocab?: FaultVocabulary): Fault[] {
  const out: Fault[] = [];
  for (const spec of specs) for (const part of spec.split(',')) if (part.trim()) out.push(parseFault(part, vocab));
  if (out.length > TXN_LIMITS.maxFaults) throw new UserError(`Too many faults (${out.length}); a run takes at most ${TXN_LIMITS.maxFaults}.`);
  return out;
}

function formatMessage(m: MessageSelector): string {
  if (m.by === 'id') return `msg:${m.id}`;
  const dir = m.to ? `->${m.to}` : m.from ? `<-${m.from}` : '';
  return `${m.type}${dir}${m.nth > 1 ? `#${m.nth}` : ''}`;
}

function formatWhen(w: CrashTrigger): string {
  switch (w.at) {
    case 'step': return w.step === 0 ? 'start' : `step:${w.step}`;
    case 'milestone': return `after-${w.name}`;
    case 'recv':
    case 'send': return `${w.at}:${w.type}${w.nth > 1 ? `#${w.nth}` : ''}`;
  }
}

/** The canonical text of a fault; parseFault(formatFault(f)) equals f. */
export function formatFault(f: Fault): string {
  return f.from ? `${formatUnarmed(f)}:from=${f.from}` : formatUnarmed(f);
}

function formatUnarmed(f: Fault): string {
  switch (f.kind) {
    case 'crash': return `crash:${f.node}@${formatWhen(f.when)}${f.downMs !== undefined ? `:for=${f.downMs}` : ''}`;
    case 'lose':
    case 'dup':
    case 'reorder': return `${f.kind}:${formatMessage(f.msg)}`;
    case 'delay': return `delay:${formatMessage(f.msg)}:${f.ms}`;
    case 'no':
    case 'fail': return `${f.kind}:${f.node}`;
  }
}
