/**
 * The pool's event window turned into what the timeline draws: one lane per connection (stretches
 * of connecting, idle, validating, in use and closing, with pings, failures and leak reports as
 * marks) and one bar per borrower that had to queue (from its wait to the connection it got, or
 * to its acquire timeout). The window holds the newest events only, so a lane whose first event
 * is not its connect starts in the state that event implies.
 */
import type { ConnectionCell, PoolEventItem } from '../../extension/protocol/pool';

export type StretchKind = 'connecting' | 'idle' | 'validating' | 'in-use' | 'closing';
export type MarkKind = 'ping' | 'ping-failed' | 'validate-failed' | 'query-failed' | 'connect-failed' | 'leak' | 'closed';

export interface Stretch { kind: StretchKind; t0: number; t1: number; detail: string; open: boolean }
export interface LaneMark { kind: MarkKind; t: number; detail: string }

export interface Lane {
  conn: number;
  stretches: Stretch[];
  marks: LaneMark[];
  /** Closed (or failed to connect) within the window. */
  ended: boolean;
  /** The eviction reason, when the pool closed it. */
  evicted: string | null;
}

export interface WaitBar {
  waiter: number;
  t0: number;
  t1: number;
  outcome: 'served' | 'timeout' | 'waiting';
  /** The connection it got. */
  conn: number | null;
  detail: string;
  /** Row in the queue band, so overlapping waits do not cover each other. */
  row: number;
}

export interface LaneModel {
  lanes: Lane[];
  /** Lanes left out (the oldest closed ones) to keep the timeline readable. */
  hiddenLanes: number;
  waits: WaitBar[];
  waitRows: number;
  range: [number, number];
}

/** State a connection was in before the first event the window kept for it. */
const BEFORE: Partial<Record<PoolEventItem['type'], StretchKind>> = {
  connected: 'connecting', return: 'in-use', 'query-failed': 'in-use', leak: 'in-use', closed: 'closing',
  borrow: 'idle', validate: 'idle', ping: 'idle', 'ping-failed': 'idle', evict: 'idle', 'validate-failed': 'validating',
};

/** Events that end the open stretch and start another one (or none). */
const NEXT: Partial<Record<PoolEventItem['type'], StretchKind | null>> = {
  connecting: 'connecting', connected: 'idle', 'connect-failed': null, borrow: 'in-use', validate: 'validating',
  return: 'idle', evict: 'closing', closed: null,
};

const MARKS: Partial<Record<PoolEventItem['type'], MarkKind>> = {
  ping: 'ping', 'ping-failed': 'ping-failed', 'validate-failed': 'validate-failed', 'query-failed': 'query-failed',
  'connect-failed': 'connect-failed', leak: 'leak', closed: 'closed',
};

export const MAX_LANES = 24;
export const MAX_WAIT_ROWS = 6;

export function buildLanes(items: readonly PoolEventItem[], cells: readonly ConnectionCell[], now: number): LaneModel {
  const start = items.length ? items[0]!.t : now;
  const range: [number, number] = [start, Math.max(now, items.length ? items[items.length - 1]!.t : now)];
  const lanes = new Map<number, Lane & { current: Stretch | null }>();
  const waits = new Map<number, Omit<WaitBar, 'row'>>();

  const laneOf = (conn: number, first: PoolEventItem['type']): Lane & { current: Stretch | null } => {
    let lane = lanes.get(conn);
    if (!lane) {
      const before = BEFORE[first];
      const current = before ? { kind: before, t0: start, t1: start, detail: '', open: true } : null;
      lane = { conn, stretches: current ? [current] : [], marks: [], ended: false, evicted: null, current };
      lanes.set(conn, lane);
    }
    return lane;
  };

  for (const e of items) {
    if (e.waiter !== null) {
      if (e.type === 'wait') waits.set(e.waiter, { waiter: e.waiter, t0: e.t, t1: e.t, outcome: 'waiting', conn: null, detail: e.detail });
      const w = waits.get(e.waiter);
      if (w && (e.type === 'borrow' || e.type === 'timeout')) {
        w.t1 = e.t;
        w.outcome = e.type === 'borrow' ? 'served' : 'timeout';
        w.conn = e.conn;
        w.detail = e.detail;
      }
    }
    if (e.conn === null) continue;
    const lane = laneOf(e.conn, e.type);
    const mark = MARKS[e.type];
    if (mark) lane.marks.push({ kind: mark, t: e.t, detail: e.detail });
    if (e.type === 'evict') lane.evicted = e.detail;
    const next = NEXT[e.type];
    if (next === undefined) continue;
    if (lane.current) {
      lane.current.t1 = e.t;
      lane.current.open = false;
    }
    lane.current = next === null ? null : { kind: next, t0: e.t, t1: e.t, detail: e.type === 'borrow' || e.type === 'evict' ? e.detail : '', open: true };
    if (lane.current) lane.stretches.push(lane.current);
    if (next === null) lane.ended = true;
  }

  // Connections the window has no event for (quiet since before it) still get a lane.
  for (const c of cells) if (!lanes.has(c.id)) laneOf(c.id, c.state === 'in-use' ? 'return' : 'borrow');
  for (const lane of lanes.values()) if (lane.current) lane.current.t1 = range[1];
  for (const w of waits.values()) if (w.outcome === 'waiting') w.t1 = range[1];

  // Live connections first, then the most recently numbered closed ones; drawn in number order.
  const live = new Set(cells.map((c) => c.id));
  const ordered = [...lanes.values()].sort((a, b) => Number(live.has(b.conn)) - Number(live.has(a.conn)) || b.conn - a.conn);
  const kept = ordered.slice(0, MAX_LANES).sort((a, b) => a.conn - b.conn).map(({ current: _c, ...lane }) => lane);
  return { lanes: kept, hiddenLanes: ordered.length - kept.length, ...packWaits([...waits.values()]), range };
}

/** First-fit rows by start time; past MAX_WAIT_ROWS, waits share the last row. */
function packWaits(bars: Omit<WaitBar, 'row'>[]): { waits: WaitBar[]; waitRows: number } {
  const ends: number[] = [];
  const waits = bars.sort((a, b) => a.t0 - b.t0).map((b) => {
    let row = ends.findIndex((end) => end < b.t0);
    if (row < 0) row = ends.length < MAX_WAIT_ROWS ? ends.length : MAX_WAIT_ROWS - 1;
    ends[row] = Math.max(ends[row] ?? -Infinity, b.t1);
    return { ...b, row };
  });
  return { waits, waitRows: ends.length };
}
