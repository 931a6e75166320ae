/**
 * The services an order touches and their local business data. Each service keeps a few numbers
 * (a wallet balance, a coupon's uses, a stock count…), changes them by fixed deltas when its part
 * of the order goes through, and refuses when a limit would break (insufficient balance, coupon
 * already used, out of stock). The protocols decide *when* the deltas apply; this module says
 * *what* they are, so every protocol moves the same money and the invariants compare like with like.
 *
 * Money lives in three places: the user's wallet (payment), a gift card (giftcard) and what the
 * order service has collected (order). Paying moves money from the first two into the third, so the
 * sum of money balances is the same before and after any order that is all done or all undone.
 */
import type { ParticipantId } from '../../protocol/txn';
import { PARTICIPANT_IDS } from '../../protocol/txn';

export interface Limit {
  min?: number;
  max?: number;
  /** The business failure when the limit would break, e.g. "insufficient balance". */
  reason: string;
}

export interface ParticipantSpec {
  id: ParticipantId;
  label: string;
  /** What a 2PC participant locks while prepared (and a TCC try reserves). */
  resource: string;
  /** Initial business data. */
  values: Record<string, number>;
  /** What its part of the order changes (shared, never modified). */
  forward: Readonly<Record<string, number>>;
  /** Keys counted as money. */
  money: readonly string[];
  /** Per-key labels for the balances table. */
  labels: Record<string, string>;
  /** Limits checked before the part goes through; keys with a limit are reserved by a TCC try. */
  limits: Record<string, Limit>;
  /** What `fail:<id>` does: sets the data so the limit check fails, or, without data to break, refuses for this reason. */
  businessFailure: { values: Record<string, number> } | { refuse: string };
}

const WALLET = 100;
const PRICE = 30;
const GIFTCARD = 50;
const GIFTCARD_PART = 20;
const STOCK = 3;

/** A service whose part is one more record (a shipment, an invoice…) and whose failure is a refusal. */
function recordKeeper(id: ParticipantId, label: string, resource: string, key: string, keyLabel: string, refuse: string): ParticipantSpec {
  return { id, label, resource, values: { [key]: 0 }, forward: { [key]: 1 }, money: [], labels: { [key]: keyLabel }, limits: {}, businessFailure: { refuse } };
}

const CATALOGUE: Record<ParticipantId, ParticipantSpec> = {
  order: {
    id: 'order', label: 'Order', resource: 'order:1001',
    // Its forward deltas depend on who takes the money: see forwardDeltas.
    values: { orders: 0, collected: 0 }, forward: {}, money: ['collected'],
    labels: { orders: 'orders placed', collected: 'collected' },
    limits: {}, businessFailure: { refuse: 'the cart changed since checkout' },
  },
  payment: {
    id: 'payment', label: 'Payment', resource: 'wallet:alice',
    values: { wallet: WALLET }, forward: { wallet: -PRICE }, money: ['wallet'], labels: { wallet: "alice's wallet" },
    limits: { wallet: { min: 0, reason: 'insufficient balance' } },
    businessFailure: { values: { wallet: PRICE - 10 } },
  },
  coupon: {
    id: 'coupon', label: 'Coupon', resource: 'coupon:SAVE10',
    values: { uses: 0 }, forward: { uses: 1 }, money: [], labels: { uses: 'SAVE10 uses' },
    limits: { uses: { max: 1, reason: 'coupon already used' } },
    businessFailure: { values: { uses: 1 } },
  },
  points: {
    id: 'points', label: 'Points', resource: 'points:alice',
    values: { points: 0 }, forward: { points: PRICE }, money: [], labels: { points: "alice's points" },
    limits: {}, businessFailure: { refuse: 'loyalty account frozen' },
  },
  inventory: {
    id: 'inventory', label: 'Inventory', resource: 'stock:sku-42',
    values: { stock: STOCK }, forward: { stock: -1 }, money: [], labels: { stock: 'sku-42 in stock' },
    limits: { stock: { min: 0, reason: 'out of stock' } },
    businessFailure: { values: { stock: 0 } },
  },
  shipping: recordKeeper('shipping', 'Shipping', 'shipment:1001', 'shipments', 'shipments booked', 'address not serviceable'),
  giftcard: {
    id: 'giftcard', label: 'Gift card', resource: 'giftcard:GC-7',
    values: { balance: GIFTCARD }, forward: { balance: -GIFTCARD_PART }, money: ['balance'], labels: { balance: 'gift card GC-7' },
    limits: { balance: { min: 0, reason: 'gift card balance too low' } },
    businessFailure: { values: { balance: GIFTCARD_PART - 5 } },
  },
  invoice: recordKeeper('invoice', 'Invoice', 'invoice:1001', 'invoices', 'invoices issued', 'tax id invalid'),
  fraud: recordKeeper('fraud', 'Fraud check', 'risk:alice', 'checks', 'checks passed', 'order flagged as fraud'),
  tax: recordKeeper('tax', 'Tax', 'tax:1001', 'filings', 'tax lines filed', 'tax region unsupported'),
  notification: recordKeeper('notification', 'Notification', 'mail:alice', 'emails', 'confirmations sent', 'mailbox unreachable'),
  analytics: recordKeeper('analytics', 'Analytics', 'events:1001', 'events', 'events recorded', 'event quota exceeded'),
};

export function participantSpec(id: ParticipantId): ParticipantSpec {
  return CATALOGUE[id];
}

/** The first n services of the flow. */
export function flowParticipants(n: number): ParticipantId[] {
  return PARTICIPANT_IDS.slice(0, n);
}

/** What one service's part of the order changes, given the services taking part. */
export function forwardDeltas(id: ParticipantId, flow: readonly ParticipantId[]): Readonly<Record<string, number>> {
  if (id !== 'order') return CATALOGUE[id].forward;
  // The order collects what the paying services take.
  const total = (flow.includes('payment') ? PRICE : 0) + (flow.includes('giftcard') ? GIFTCARD_PART : 0);
  return { orders: 1, collected: total };
}

/** The business failure applying `deltas` to `values` would cause, or undefined when it may go through. */
export function limitBreach(spec: ParticipantSpec, values: Readonly<Record<string, number>>, deltas: Readonly<Record<string, number>>): string | undefined {
  for (const [k, d] of Object.entries(deltas)) {
    const lim = spec.limits[k];
    if (!lim) continue;
    const v = (values[k] ?? 0) + d;
    if (lim.min !== undefined && v < lim.min) return `${lim.reason} (${spec.labels[k] ?? k}: ${values[k] ?? 0}, needs ${-d})`;
    if (lim.max !== undefined && v > lim.max) return `${lim.reason} (${spec.labels[k] ?? k}: ${values[k] ?? 0} of ${lim.max})`;
  }
  return undefined;
}

export function negate(deltas: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, d] of Object.entries(deltas)) out[k] = -d;
  return out;
}

/** "alice's wallet −30, orders placed +1", for step labels. */
export function describeDeltas(id: ParticipantId, deltas: Readonly<Record<string, number>>): string {
  const spec = CATALOGUE[id];
  const parts = Object.entries(deltas).filter(([, d]) => d !== 0).map(([k, d]) => `${spec.labels[k] ?? k} ${d > 0 ? '+' : '−'}${Math.abs(d)}`);
  return parts.length ? parts.join(', ') : 'no change';
}
