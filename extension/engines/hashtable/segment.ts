/**
 * One table of slots or buckets at one size. A hash table is one segment, or two while an
 * incremental rehash moves keys from the old one to the new one. Segments count their work
 * (slots or nodes touched, keys moved) on a shared meter and report what each probe found to an
 * optional sink; with no sink they run the fast path.
 */
import type { SlotView } from '../../protocol/hashtable';

/** Slot states of open addressing. MOVED marks an old-table slot already migrated by an incremental rehash. */
export const EMPTY = 0;
export const FULL = 1;
export const TOMB = 2;
export const MOVED = 3;

/** Which table a probe touched. */
export const ROLE_MAIN = 0;
export const ROLE_OLD = 1;
export const ROLE_NEW = 2;
export const ROLE_NAMES = ['main', 'old', 'new'] as const;

/** What a probe found; indexes into OUTCOME_NAMES. */
export const P_EMPTY = 0;
export const P_OCCUPIED = 1;
export const P_TOMBSTONE = 2;
export const P_MATCH = 3;
export const P_PLACED = 4;
export const P_SWAPPED = 5;
export const P_SHIFTED = 6;
export const P_REMOVED = 7;
export const OUTCOME_NAMES = ['empty', 'occupied', 'tombstone', 'match', 'placed', 'swapped', 'shifted', 'removed'] as const;

export interface ProbeSink {
  /** `node` is the chain position for chaining, −1 for open addressing. */
  probe(role: number, slot: number, node: number, outcome: number): void;
  /** A key moved from slot `from` to slot `to`: migrated by a rehash, or shifted back by a deletion. */
  move(key: string, from: number, to: number, shift: boolean): void;
}

export interface WorkMeter {
  work: number;
}

/**
 * What one pass over a segment gathers for the metrics and the density view. Segments add to it,
 * so the two tables of an incremental rehash fold into one survey.
 */
export interface Survey {
  hits: number;
  hitSum: number;
  hitMax: number;
  /** Probes per hit (open addressing) or keys per bucket (chaining); the last bin gathers the rest. */
  bins: number[];
  /** Longest run of non-empty slots (open addressing, wrapping around) or longest chain. */
  longest: number;
  /** Slots folded into cells of `per` consecutive slots (only for the density view). */
  cells?: { per: number; keys: number[]; maxProbe: number[]; tombstones: number[] };
}

export interface Segment {
  readonly size: number;
  /** Live keys. */
  readonly count: number;
  /** Deleted-key markers still occupying slots (open addressing). */
  readonly tombstones: number;
  /** Slots an incremental rehash has emptied (old table only). */
  readonly moved: number;
  role: number;
  home(hash: number): number;
  /** The slot (or node) holding `key`, or −1. */
  find(key: string, hash: number, sink: ProbeSink | null): number;
  /** Inserts `key` unless present; true when inserted. */
  add(key: string, hash: number, sink: ProbeSink | null): boolean;
  /** Inserts a key known to be absent; returns the slot (bucket) it landed in. */
  insertAbsent(key: string, hash: number, sink: ProbeSink | null): number;
  /** Removes `key`; `shift` allows backward-shift deletion where the segment uses it. */
  remove(key: string, hash: number, sink: ProbeSink | null, shift: boolean): boolean;
  /** Whether bucket `b` holds no key to migrate. */
  bucketIsEmpty(b: number): boolean;
  /** Moves every key of bucket `b` into `into`; returns how many moved. */
  migrate(b: number, into: Segment, sink: ProbeSink | null): number;
  forEach(fn: (key: string, hash: number) => void): void;
  survey(into: Survey): void;
  slotView(i: number): SlotView;
  bytes(): number;
  snapshot(): SegmentSnapshot;
}

export interface OpenSnapshot {
  kind: 'open';
  size: number;
  state: Uint8Array;
  hashes: Uint32Array;
  keys: (string | undefined)[];
  count: number;
  tombstones: number;
  moved: number;
  role: number;
}

export interface ChainSnapshot {
  kind: 'chain';
  size: number;
  head: Int32Array;
  count: number;
  role: number;
}

export type SegmentSnapshot = OpenSnapshot | ChainSnapshot;
