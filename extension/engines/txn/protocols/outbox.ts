/**
 * The transactional outbox. The order service writes the order and an "order placed" event into
 * its outbox table in one local transaction, so either both exist or neither. A relay in the same
 * service publishes every unpublished outbox row to the broker, retrying until the broker
 * acknowledges, then marks the row published. The broker stores what it receives (a publish
 * repeated after a lost acknowledgement is stored twice) and delivers each stored event to every
 * consumer until that consumer acknowledges it. Consumers apply the event and remember its id in
 * the same local transaction, so a redelivered or duplicated event is recognised and skipped.
 *
 * Nothing is undone here: every service ends up having applied the order exactly once. The planted
 * bug `no-consumer-dedup` skips the check, and any duplicate is applied twice.
 */
import type { NodeContext, Outcome, ProtocolLogic } from '../nodeLogic';
import { backoff, vol } from '../nodeLogic';
import { consumerDedup } from '../consumerDedup';
import { describeDeltas, forwardDeltas } from '../participants';
import type { Message, NodeState } from '../state';
import { BROKER, OUTBOX_SOURCE as SOURCE, PROTOCOL_SHAPES } from './shapes';

const EVENT_ID = 'evt-order-placed-1001';
const OUTBOX_ROW = `outbox:${EVENT_ID}`;
const APPLIED = 'applied';

interface RetryVol {
  attempt: number;
}

/** Broker offsets holding a stored event. */
function storedOffsets(broker: NodeState): number[] {
  const out: number[] = [];
  broker.log.forEach((r, i) => { if (r.kind === 'stored') out.push(i); });
  return out;
}

const ackKey = (consumer: string, offset: number): string => `ack:${consumer}:${offset}`;

function unacked(broker: NodeState, consumers: readonly string[]): { consumer: string; offset: number }[] {
  const out: { consumer: string; offset: number }[] = [];
  for (const offset of storedOffsets(broker)) for (const c of consumers) if (!broker.records[ackKey(c, offset)]) out.push({ consumer: c, offset });
  return out;
}

function relay(ctx: NodeContext): void {
  if (ctx.node.records[OUTBOX_ROW] !== 'pending') return;
  ctx.send(BROKER, 'publish', { event: EVENT_ID });
  const v = vol<RetryVol>(ctx.node);
  ctx.setTimer('relay', backoff(v.attempt ?? 0));
}

function deliverAll(ctx: NodeContext): void {
  const pending = unacked(ctx.node, ctx.flow.slice(1));
  for (const { consumer, offset } of pending) ctx.send(consumer, 'event', { event: String(ctx.node.log[offset]!.value), offset });
  if (pending.length) ctx.setTimer('redeliver', backoff(vol<RetryVol>(ctx.node).attempt ?? 0));
}

function onSourceMessage(ctx: NodeContext, msg: Message): void {
  if (msg.type !== 'publish-ack' || ctx.node.records[OUTBOX_ROW] !== 'pending') return;
  ctx.cancelTimer('relay');
  ctx.commit({ what: 'marks the outbox row published', records: { [OUTBOX_ROW]: 'published' } }, 'published');
}

function onBrokerMessage(ctx: NodeContext, msg: Message): void {
  const broker = ctx.node;
  if (msg.type === 'publish') {
    // Offsets are log positions: what this write will be stored under.
    const offset = broker.log.length;
    ctx.log({ kind: 'stored', value: msg.body.event! }, 'stored');
    ctx.send(msg.from, 'publish-ack', { event: msg.body.event! });
    for (const c of ctx.flow.slice(1)) ctx.send(c, 'event', { event: msg.body.event!, offset });
    vol<RetryVol>(broker).attempt = 0;
    ctx.setTimer('redeliver', backoff(0));
    return;
  }
  if (msg.type === 'event-ack' && !broker.records[ackKey(msg.from, msg.body.offset!)]) {
    ctx.commit({ what: `${msg.from} has offset ${msg.body.offset}`, records: { [ackKey(msg.from, msg.body.offset!)]: '1' } });
  }
}

function onConsumerMessage(ctx: NodeContext, msg: Message): void {
  if (msg.type !== 'event') return;
  const node = ctx.node;
  const p = node.participant!;
  const dedup = consumerDedup(node, ctx.now);
  const event = msg.body.event!;
  if (ctx.variant !== 'no-consumer-dedup' && dedup.seen(event)) {
    ctx.note(`duplicate ${event}: its dedup key is set (already applied), skipped`);
    ctx.send(BROKER, 'event-ack', { event, offset: msg.body.offset! });
    return;
  }
  const deltas = forwardDeltas(p, ctx.flow);
  ctx.commit({ what: `${describeDeltas(p, deltas)} + dedup key`, deltas, ...dedup.remember(event), records: { [APPLIED]: String(Number(node.records[APPLIED] ?? 0) + 1) } }, 'applied');
  ctx.send(BROKER, 'event-ack', { event, offset: msg.body.offset! });
}

export const outbox: ProtocolLogic = {
  ...PROTOCOL_SHAPES.outbox,
  atomicAtEveryStep: false,

  onStart(ctx) {
    const deltas = forwardDeltas(SOURCE, ctx.flow);
    ctx.note('one local transaction: the order and its event');
    ctx.commit({ what: `${describeDeltas(SOURCE, deltas)} + outbox row ${EVENT_ID}`, deltas, records: { [OUTBOX_ROW]: 'pending', [APPLIED]: '1' } }, 'local-commit');
    ctx.send(BROKER, 'publish', { event: EVENT_ID });
    vol<RetryVol>(ctx.node).attempt = 0;
    ctx.setTimer('relay', backoff(0));
  },

  onMessage(ctx, msg) {
    if (ctx.node.role === 'source') onSourceMessage(ctx, msg);
    else if (ctx.node.role === 'broker') onBrokerMessage(ctx, msg);
    else onConsumerMessage(ctx, msg);
  },

  onTimer(ctx, name) {
    const v = vol<RetryVol>(ctx.node);
    v.attempt = (v.attempt ?? 0) + 1;
    if (name === 'relay') {
      ctx.note(`no acknowledgement from the broker: publish again (retry ${v.attempt})`);
      relay(ctx);
    } else if (name === 'redeliver') deliverAll(ctx);
  },

  onRecover(ctx) {
    const node = ctx.node;
    vol<RetryVol>(node).attempt = 0;
    if (node.role === 'source' && node.records[OUTBOX_ROW] === 'pending') {
      ctx.note('an unpublished outbox row: the relay publishes it');
      relay(ctx);
    } else if (node.role === 'broker') deliverAll(ctx);
  },

  outcome(node): Outcome {
    return node.records[APPLIED] ? 'committed' : 'none';
  },

  decided(nodes) {
    return nodes[SOURCE]!.records[APPLIED] ? 'committed' : undefined;
  },

  backlog(nodes, flow) {
    if (nodes[SOURCE]!.records[OUTBOX_ROW] === 'pending') return 'the outbox row is not published yet';
    const left = unacked(nodes[BROKER]!, flow.slice(1)).length;
    return left ? `${left} deliveries not acknowledged yet` : undefined;
  },

  inDoubt: () => false,

  stateLabel(node) {
    if (node.role === 'source') return node.records[OUTBOX_ROW] ? `order placed, event ${node.records[OUTBOX_ROW]}` : 'idle';
    if (node.role === 'broker') return `${storedOffsets(node).length} stored`;
    const n = Number(node.records[APPLIED] ?? 0);
    return n === 0 ? 'waiting' : n === 1 ? 'applied' : `applied ${n}×`;
  },
};
