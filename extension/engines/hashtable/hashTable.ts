/**
 * A hash table of string keys: the collision strategy lives in its segment(s); this class keeps
 * the load within the policy's bounds by resizing, either all at once (one operation pays the
 * whole rehash) or incrementally as Redis's dict.c does: a second table is allocated, every
 * operation first migrates a few buckets (visiting at most ten empty ones per bucket it is
 * allowed to move), lookups and deletes consult both tables, and inserts go to the new one.
 *
 * Every operation's cost in work units is measured, so the pause of an all-at-once rehash and the
 * spread-out cost of an incremental one can be compared. With a recorder the operation's probes
 * and moves are kept for the view; without one this is the fast path.
 */
import type { HashTableConfig, ResizeEventView } from '../../protocol/hashtable';
import { RESIZES_SHOWN } from '../../protocol/hashtable';
import { UserError } from '../core/model';
import type { StringHash } from '../hashing';
import { ChainSegment, NodePool, PoolSnapshot } from './chainSegment';
import { OpenSegment } from './openSegment';
import * as recorder from './recorder';
import type { OpRecorder } from './recorder';
import { RobinHoodSegment } from './robinHoodSegment';
import { P_EMPTY, ProbeSink, ROLE_MAIN, ROLE_NEW, ROLE_OLD, Segment, SegmentSnapshot } from './segment';
import { maxSize, sizeAtLeast } from './sizing';

// Bound locally: imported bindings are getters under CommonJS (tsx), a call per operation.
const { OP_DELETE, OP_INSERT, OP_LOOKUP, R_DELETED, R_FOUND, R_INSERTED, R_MISSING, R_PRESENT } = recorder;

export type TableSettings = Pick<HashTableConfig, 'strategy' | 'sizes' | 'initialSize' | 'maxLoad' | 'minLoad' | 'growth' | 'rehash' | 'rehashBatch' | 'deletion'>;

export type ResizeEvent = ResizeEventView;

/** Open addressing needs empty slots to end its probe sequences. */
export const MAX_OPEN_LOAD = 0.95;

/** Throws a UserError when the settings cannot work together. */
export function checkSettings(s: TableSettings): void {
  if (s.strategy !== 'chaining' && s.maxLoad > MAX_OPEN_LOAD)
    throw new UserError(`A max load of ${s.maxLoad} needs separate chaining: open addressing (${s.strategy}) must keep empty slots, so its max load is at most ${MAX_OPEN_LOAD}. Lower the max load or choose chaining.`);
  if (s.minLoad > 0 && s.minLoad >= s.maxLoad / s.growth)
    throw new UserError(`A min load of ${s.minLoad} is too close to the max load ${s.maxLoad}: right after growing by ${s.growth}× the load is ${(s.maxLoad / s.growth).toFixed(3)}, so the table would shrink again at once. Use a min load below ${(s.maxLoad / s.growth).toFixed(3)} (or 0 to never shrink).`);
}

export interface TableSnapshot {
  main: SegmentSnapshot;
  old: SegmentSnapshot | null;
  pool: PoolSnapshot | null;
  rehashIdx: number;
  history: History;
}

/** What the table has done so far: counts survive rebuilds. */
interface History {
  ops: number;
  lastOpWork: number;
  maxOpWork: number;
  resizeCount: number;
  resizeWork: number;
  maxPause: number;
  /** The most recent events, oldest first; while a rehash runs, the last one is it. */
  events: ResizeEvent[];
}

const emptyHistory = (): History => ({ ops: 0, lastOpWork: 0, maxOpWork: 0, resizeCount: 0, resizeWork: 0, maxPause: 0, events: [] });
const copyHistory = (h: History): History => ({ ...h, events: h.events.map((e) => ({ ...e })) });

/** Counts probes the way the view defines them: the end-of-chain marker of chaining is not one. */
class ProbeCounter implements ProbeSink {
  n = 0;
  probe(_role: number, _slot: number, node: number, outcome: number): void {
    if (!(node >= 0 && outcome === P_EMPTY)) this.n++;
  }
  move(): void {}
}

export class HashTable {
  readonly meter = { work: 0 };
  /** Bumped by every change of contents or layout, so views can cache what they derive. */
  version = 0;
  private main: Segment;
  private old: Segment | null = null;
  private rehashIdx = 0;
  private readonly pool: NodePool | null;
  private history: History;
  readonly minSize: number;

  constructor(readonly settings: TableSettings, readonly hash: StringHash, from?: TableSnapshot) {
    checkSettings(settings);
    this.minSize = this.sizeFor(settings.initialSize);
    if (from) {
      this.pool = from.pool ? new NodePool(0, from.pool) : null;
      this.main = this.segmentFrom(from.main);
      this.old = from.old ? this.segmentFrom(from.old) : null;
      this.rehashIdx = from.rehashIdx;
      this.history = copyHistory(from.history);
    } else {
      this.pool = settings.strategy === 'chaining' ? new NodePool(Math.max(16, this.minSize)) : null;
      this.main = this.newSegment(this.minSize);
      this.history = emptyHistory();
    }
  }

  // ───────────── operations ─────────────

  /** Inserts `key`; false when it was already there. */
  insert(key: string, rec: OpRecorder | null = null): boolean {
    const hash = this.hash(key);
    const w0 = this.meter.work;
    rec?.begin(OP_INSERT, key, hash);
    if (this.old) this.rehashStep(rec);
    const added = !(this.old !== null && this.old.find(key, hash, rec) >= 0) && this.main.add(key, hash, rec);
    if (added) {
      this.version++;
      this.afterInsert(rec);
    }
    this.endOp(w0, rec, added ? R_INSERTED : R_PRESENT);
    return added;
  }

  /** Removes `key`; false when it was not there. */
  delete(key: string, rec: OpRecorder | null = null): boolean {
    const hash = this.hash(key);
    const w0 = this.meter.work;
    rec?.begin(OP_DELETE, key, hash);
    if (this.old) this.rehashStep(rec);
    // The old table is only read and emptied while it is migrated: shifting keys back in it could
    // move them below the migration cursor, where they would never be moved, so it gets tombstones.
    const removed = (this.old !== null && this.old.remove(key, hash, rec, false)) || this.main.remove(key, hash, rec, true);
    if (removed) {
      this.version++;
      this.afterDelete(rec);
    }
    this.endOp(w0, rec, removed ? R_DELETED : R_MISSING);
    return removed;
  }

  has(key: string, rec: OpRecorder | null = null): boolean {
    const hash = this.hash(key);
    const w0 = this.meter.work;
    rec?.begin(OP_LOOKUP, key, hash);
    if (this.old) this.rehashStep(rec);
    const found = (this.old !== null && this.old.find(key, hash, rec) >= 0) || this.main.find(key, hash, rec) >= 0;
    this.endOp(w0, rec, found ? R_FOUND : R_MISSING);
    return found;
  }

  /**
   * Rehashes into a table of at least `size` slots (rounded up to the size policy), in the
   * configured rehash mode; a rehash already under way is finished first. Returns the new size.
   */
  resize(size: number, rec: OpRecorder | null = null): number {
    const target = Math.min(this.sizeFor(size), this.sizeCap());
    const keys = this.count;
    if (keys > this.settings.maxLoad * target) {
      const least = this.sizeFor(keys / this.settings.maxLoad);
      throw new UserError(`Cannot resize to ${target.toLocaleString('en-US')}: ${keys.toLocaleString('en-US')} keys at a max load of ${this.settings.maxLoad} need at least ${least.toLocaleString('en-US')} ${this.settings.strategy === 'chaining' ? 'buckets' : 'slots'}. Choose a larger size or delete keys first.`);
    }
    const w0 = this.meter.work;
    if (this.old) this.completeRehash(false);
    this.startResize(target, 'manual', rec);
    this.endOp(w0, null, 0);
    return target;
  }

  /**
   * A new table with other settings or another hash holding the same keys, rebuilt in one pause
   * (recorded as a "rebuild" resize). The history of operations and resizes carries over.
   */
  rebuild(settings: TableSettings, hash: StringHash, hashMany?: (keys: readonly string[]) => Uint32Array): HashTable {
    const t = new HashTable(settings, hash);
    t.history = copyHistory(this.history);
    // An incremental rehash under way is superseded: the rebuild moves every key anyway.
    if (this.old) t.activeEvent().done = true;
    const keys: string[] = [];
    this.forEach((k) => keys.push(k));
    // Sized as if it had just grown: room for the keys at max load ÷ growth.
    let size = Math.min(t.sizeCap(), Math.max(t.minSize, t.sizeFor(keys.length / (settings.maxLoad / settings.growth))));
    while (keys.length > settings.maxLoad * size && size < t.sizeCap()) size = t.sizeFor(size + 1);
    const w0 = t.meter.work;
    const ev = t.openEvent(this.size, size, 'rebuild', 'all-at-once', 0);
    t.main = t.newSegment(size);
    ev.bytes = t.main.bytes();
    // A hash from the user's code runs in batches (see engines/hashing/selectedHash.ts).
    const hashes = hashMany?.(keys);
    for (let i = 0; i < keys.length; i++) t.main.insertAbsent(keys[i]!, hashes ? hashes[i]! : hash(keys[i]!), null);
    t.meter.work += this.size;
    t.charge(ev, t.meter.work - w0, keys.length);
    ev.done = true;
    t.endOp(w0, null, 0);
    return t;
  }

  /**
   * The same table under settings that keep its layout (loads, growth, rehash mode and batch):
   * switching to all-at-once finishes a rehash under way.
   */
  withSettings(settings: TableSettings): HashTable {
    const t = new HashTable(settings, this.hash, this.snapshot());
    if (t.old && settings.rehash === 'all-at-once') {
      const w0 = t.meter.work;
      t.completeRehash(false);
      t.endOp(w0, null, 0);
    }
    return t;
  }

  /** An empty table with the same settings and hash; the history carries over. */
  emptied(): HashTable {
    const t = new HashTable(this.settings, this.hash);
    t.history = copyHistory(this.history);
    if (this.old) t.activeEvent().done = true;
    return t;
  }

  // ───────────── resizing ─────────────

  private afterInsert(rec: OpRecorder | null): void {
    // While a rehash runs, the new table must have room for the keys still in the old one too.
    if (!this.overMax(this.main, this.old?.count ?? 0)) return;
    // The new table filled up before the old one was drained: finish the migration now.
    if (this.old) this.completeRehash(true);
    const m = this.main;
    if (!this.overMax(m, 0)) return;
    const clean = m.tombstones > 0 && m.count <= (this.settings.maxLoad * m.size) / 2;
    let target = m.size;
    if (!clean) {
      // Small sizes with a small growth factor may need more than one step to fit the keys.
      do target = this.grownSize(target);
      while (m.count > this.settings.maxLoad * target && target < this.sizeCap());
      if (target <= m.size) return; // at the size cap: stay over the max load rather than fail
    }
    this.startResize(target, clean ? 'clean' : 'grow', rec);
  }

  private afterDelete(rec: OpRecorder | null): void {
    if (this.old) {
      if (this.old.count > 0) return;
      this.finishRehash();
    }
    const s = this.settings;
    const m = this.main;
    if (s.minLoad <= 0 || m.size <= this.minSize || m.count >= s.minLoad * m.size) return;
    const target = Math.max(this.minSize, this.sizeFor(m.count / ((s.minLoad + s.maxLoad) / 2)));
    if (target < m.size) this.startResize(target, 'shrink', rec);
  }

  private overMax(seg: Segment, pending: number): boolean {
    return seg.count + pending + seg.tombstones > this.settings.maxLoad * seg.size;
  }

  private startResize(size: number, reason: ResizeEvent['reason'], rec: OpRecorder | null): void {
    const fresh = this.newSegment(size);
    const ev = this.openEvent(this.main.size, size, reason, this.settings.rehash, fresh.bytes());
    const old = this.main;
    old.role = ROLE_OLD;
    fresh.role = ROLE_NEW;
    this.old = old;
    this.main = fresh;
    this.rehashIdx = 0;
    this.version++;
    rec?.resize(ev);
    if (this.settings.rehash === 'all-at-once' || old.count === 0) this.completeRehash(false);
  }

  /** One incremental step: up to `rehashBatch` non-empty buckets, at most ten empty ones each. */
  private rehashStep(rec: ProbeSink | null): void {
    const old = this.old!;
    const w0 = this.meter.work;
    let n = this.settings.rehashBatch;
    let emptyVisits = n * 10;
    let moved = 0;
    while (n > 0 && old.count > 0 && this.rehashIdx < old.size) {
      if (old.bucketIsEmpty(this.rehashIdx)) {
        this.rehashIdx++;
        this.meter.work++;
        if (--emptyVisits === 0) break;
        continue;
      }
      moved += old.migrate(this.rehashIdx++, this.main, rec);
      n--;
    }
    this.charge(this.activeEvent(), this.meter.work - w0, moved);
    if (moved > 0) this.version++;
    if (old.count === 0) this.finishRehash();
  }

  /** Migrates everything left in one go. */
  private completeRehash(forced: boolean): void {
    const old = this.old!;
    const w0 = this.meter.work;
    let moved = 0;
    for (; this.rehashIdx < old.size && old.count > 0; this.rehashIdx++) moved += old.migrate(this.rehashIdx, this.main, null);
    const ev = this.activeEvent();
    this.charge(ev, this.meter.work - w0, moved);
    if (forced) ev.forced = true;
    this.finishRehash();
  }

  private finishRehash(): void {
    this.activeEvent().done = true;
    this.old = null;
    this.main.role = ROLE_MAIN;
    this.rehashIdx = 0;
    this.version++;
  }

  private openEvent(from: number, to: number, reason: ResizeEvent['reason'], mode: ResizeEvent['mode'], bytes: number): ResizeEvent {
    const ev: ResizeEvent = { atOp: this.history.ops + 1, from, to, reason, mode, keysMoved: 0, work: 0, maxPause: 0, ops: 0, done: false, bytes };
    const h = this.history;
    h.events.push(ev);
    if (h.events.length > RESIZES_SHOWN) h.events.shift();
    h.resizeCount++;
    return ev;
  }

  private activeEvent(): ResizeEvent {
    return this.history.events[this.history.events.length - 1]!;
  }

  /** Books `work` done for a rehash inside the current operation. */
  private charge(ev: ResizeEvent, work: number, moved: number): void {
    if (work === 0) return;
    ev.work += work;
    ev.keysMoved += moved;
    ev.ops++;
    if (work > ev.maxPause) ev.maxPause = work;
    const h = this.history;
    h.resizeWork += work;
    if (work > h.maxPause) h.maxPause = work;
  }

  private endOp(w0: number, rec: OpRecorder | null, result: number): void {
    const work = this.meter.work - w0;
    const h = this.history;
    h.ops++;
    h.lastOpWork = work;
    if (work > h.maxOpWork) h.maxOpWork = work;
    rec?.end(result, work);
  }

  // ───────────── sizes and segments ─────────────

  /** The bucket a hash maps to in the table new keys go to. */
  home(hash: number): number {
    return this.main.home(hash);
  }

  sizeFor(n: number): number {
    return sizeAtLeast(n, this.settings.sizes, this.settings.strategy === 'quadratic');
  }

  sizeCap(): number {
    return maxSize(this.settings.sizes, this.settings.strategy === 'quadratic');
  }

  private grownSize(size: number): number {
    const cap = this.sizeCap();
    if (size >= cap) return size;
    let t = this.sizeFor(size * this.settings.growth);
    if (t <= size) t = this.sizeFor(size + 1);
    return Math.min(t, cap);
  }

  private newSegment(size: number): Segment {
    const s = this.settings;
    switch (s.strategy) {
      case 'chaining':
        return new ChainSegment(size, this.pool!, this.meter);
      case 'robinhood':
        return new RobinHoodSegment(size, s.deletion === 'backshift', this.meter);
      case 'linear':
        return new OpenSegment(size, 'linear', s.deletion === 'backshift', this.meter);
      case 'quadratic':
        return new OpenSegment(size, s.sizes === 'pow2' ? 'triangular' : 'alternating', false, this.meter);
      case 'double':
        return new OpenSegment(size, 'double', false, this.meter);
    }
  }

  private segmentFrom(snap: SegmentSnapshot): Segment {
    const s = this.settings;
    if (snap.kind === 'chain') return new ChainSegment(snap.size, this.pool!, this.meter, snap);
    switch (s.strategy) {
      case 'robinhood':
        return new RobinHoodSegment(snap.size, s.deletion === 'backshift', this.meter, snap);
      case 'quadratic':
        return new OpenSegment(snap.size, s.sizes === 'pow2' ? 'triangular' : 'alternating', false, this.meter, snap);
      default:
        return new OpenSegment(snap.size, s.strategy === 'double' ? 'double' : 'linear', s.strategy === 'linear' && s.deletion === 'backshift', this.meter, snap);
    }
  }

  // ───────────── reading ─────────────

  get count(): number {
    return this.main.count + (this.old?.count ?? 0);
  }

  /** Size of the table new keys go to. */
  get size(): number {
    return this.main.size;
  }

  get tombstones(): number {
    return this.main.tombstones + (this.old?.tombstones ?? 0);
  }

  get rehashing(): boolean {
    return this.old !== null;
  }

  /** The tables, old first while an incremental rehash runs. */
  segments(): Segment[] {
    return this.old ? [this.old, this.main] : [this.main];
  }

  /** Incremental rehash progress: the old table's next bucket to migrate. */
  get migrationCursor(): number {
    return this.rehashIdx;
  }

  get stats(): Readonly<Omit<History, 'events'>> & { events: readonly ResizeEvent[] } {
    return this.history;
  }

  forEach(fn: (key: string, hash: number) => void): void {
    this.old?.forEach(fn);
    this.main.forEach(fn);
  }

  /** Probes a lookup of an absent key makes (−1 if the key is present); changes nothing. */
  missProbes(key: string): number {
    const hash = this.hash(key);
    const w0 = this.meter.work;
    const counter = new ProbeCounter();
    const found = (this.old !== null && this.old.find(key, hash, counter) >= 0) || this.main.find(key, hash, counter) >= 0;
    this.meter.work = w0;
    return found ? -1 : counter.n;
  }

  bytes(): number {
    return this.main.bytes() + (this.old?.bytes() ?? 0) + (this.pool?.bytes() ?? 0);
  }

  snapshot(): TableSnapshot {
    return {
      main: this.main.snapshot(),
      old: this.old?.snapshot() ?? null,
      pool: this.pool?.snapshot() ?? null,
      rehashIdx: this.rehashIdx,
      history: copyHistory(this.history),
    };
  }
}
