/**
 * Where things go in the sequence diagram. Lanes are columns, one per node in lane order; time
 * runs down, one row per run step, so run step s is drawn in row s and the cursor line sits under
 * the row of the step shown. Long runs draw a window of rows around the cursor (the model sends
 * the items nearest the cursor). Pure arithmetic, tested without a browser.
 */
import type { TxnArrowView, TxnLanesPart } from '../../extension/protocol/txn';

/** Rows drawn on either side of the cursor in a long run (the model keeps labels that far too). */
export const ROW_WINDOW = 200;
export const GUTTER = 34;
export const MIN_LANE = 52;
const MAX_LANE = 180;
/** The step log gets about 38% of the width, 220–460 px, when the lanes keep at least this much each. */
const LANE_WITH_LOG = 60;

export interface Layout {
  /** Run steps drawn: rows first…last (first ≥ 1; last < first when nothing happened yet). */
  first: number;
  last: number;
  rowH: number;
  laneW: number;
  /** Lane centre by node id. */
  x: ReadonlyMap<string, number>;
  /** Where the step log column starts; 0 when there is no room for it. */
  logX: number;
  width: number;
  height: number;
}

/** Which run steps get a row: all of a short run, a window around the cursor of a long one. */
export function rowRange(lanes: Pick<TxnLanesPart, 'cursor' | 'length'>): { first: number; last: number } {
  if (lanes.length <= 2 * ROW_WINDOW) return { first: 1, last: lanes.length };
  const first = Math.max(1, Math.min(lanes.cursor - ROW_WINDOW, lanes.length - 2 * ROW_WINDOW));
  return { first, last: Math.min(lanes.length, first + 2 * ROW_WINDOW) };
}

/** Lays out `lanes` in `width` pixels with rows `rowH` tall; the step log takes what the lanes leave when there is room. */
export function layout(lanes: Pick<TxnLanesPart, 'cursor' | 'length' | 'nodes'>, width: number, rowH: number, withLog = true): Layout {
  const { first, last } = rowRange(lanes);
  const n = Math.max(1, lanes.nodes.length);
  const wantLog = Math.max(220, Math.min(460, Math.round(width * 0.38)));
  const logRoom = withLog && (width - GUTTER - wantLog - 8) / n >= LANE_WITH_LOG ? wantLog : 0;
  const laneW = Math.max(MIN_LANE, Math.min(MAX_LANE, (width - GUTTER - logRoom - (logRoom ? 8 : 0)) / n));
  const x = new Map(lanes.nodes.map((node, i) => [node.id, GUTTER + laneW * (i + 0.5)]));
  const lanesEnd = GUTTER + laneW * n;
  const logX = logRoom ? lanesEnd + 8 : 0;
  return { first, last, rowH, laneW, x, logX, width: Math.max(width, lanesEnd + (logRoom ? 0 : 4)), height: Math.max(rowH, (last - first + 1) * rowH) };
}

/** Middle of run step `step`'s row. */
export function rowY(l: Layout, step: number): number {
  return (step - l.first + 0.5) * l.rowH;
}

/** The cursor line: under the row of the step shown (at the top when the run is at step 0). */
export function cursorY(l: Layout, cursor: number): number {
  return (cursor - l.first + 1) * l.rowH;
}

/** The run step whose row holds y (clamped to the rows drawn). */
export function stepAt(l: Layout, y: number): number {
  return Math.max(l.first, Math.min(l.last, l.first + Math.floor(y / l.rowH)));
}

export interface ArrowShape {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** head: delivered; cross: lost on the way or dropped at a node that was down; open: still in flight. */
  end: 'head' | 'cross' | 'open';
}

/** Lost messages end this far along their way; dropped ones reach the (dead) receiver. */
const LOST_AT = 0.62;
/** An arrow in flight is drawn this far towards its receiver at the cursor line. */
const IN_FLIGHT_AT = 0.45;

export function arrowShape(a: TxnArrowView, l: Layout, cursor: number): ArrowShape {
  const x1 = l.x.get(a.from) ?? 0;
  const xTo = l.x.get(a.to) ?? 0;
  const y1 = rowY(l, a.sendStep);
  if (a.recvStep === undefined || a.fate === 'in-flight') return { x1, y1, x2: x1 + (xTo - x1) * IN_FLIGHT_AT, y2: cursorY(l, cursor), end: 'open' };
  const y2 = rowY(l, a.recvStep);
  if (a.fate === 'lost') return { x1, y1, x2: x1 + (xTo - x1) * LOST_AT, y2: y1 + (y2 - y1) * LOST_AT, end: 'cross' };
  return { x1, y1, x2: xTo, y2, end: a.fate === 'dropped' ? 'cross' : 'head' };
}

/** Whether an arrow has any part inside the rows drawn. */
export function arrowVisible(a: TxnArrowView, l: Layout, cursor: number): boolean {
  const end = a.recvStep ?? cursor;
  return end >= l.first && a.sendStep <= l.last;
}

/** Where a span (lock, downtime, blocked) is drawn: from its start row to its end row, or down to the cursor while it lasts. */
export function spanY(l: Layout, from: number, to: number | undefined, cursor: number): { y: number; h: number } {
  const y = rowY(l, Math.max(from, l.first - 1));
  const end = to === undefined ? cursorY(l, cursor) : rowY(l, Math.min(to, l.last + 1));
  return { y, h: Math.max(2, end - y) };
}
