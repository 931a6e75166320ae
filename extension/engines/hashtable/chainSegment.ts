/**
 * Separate chaining: each bucket heads a singly linked chain of nodes. Nodes live in a pool of
 * parallel typed arrays shared by the old and new tables of an incremental rehash, so migrating a
 * bucket relinks its nodes instead of copying them, as Redis's dict.c moves its entries. New keys
 * go to the head of their chain (also as Redis does) after a walk that checks they are absent.
 */
import { CHAIN_SHOWN, KeyCell, SlotView } from '../../protocol/hashtable';
import { ChainSnapshot, P_EMPTY, P_MATCH, P_OCCUPIED, P_PLACED, P_REMOVED, ProbeSink, ROLE_MAIN, Segment, Survey, WorkMeter } from './segment';

export interface PoolSnapshot {
  next: Int32Array;
  hashes: Uint32Array;
  keys: (string | undefined)[];
  free: number;
  used: number;
}

export class NodePool {
  next: Int32Array;
  hashes: Uint32Array;
  keys: (string | undefined)[];
  /** Head of the list of released nodes (linked through `next`), −1 when none. */
  free = -1;
  /** Nodes ever handed out; those above are untouched. */
  used = 0;

  constructor(capacity = 16, from?: PoolSnapshot) {
    if (from) {
      this.next = from.next.slice();
      this.hashes = from.hashes.slice();
      this.keys = from.keys.slice();
      this.free = from.free;
      this.used = from.used;
    } else {
      this.next = new Int32Array(capacity);
      this.hashes = new Uint32Array(capacity);
      this.keys = new Array<string | undefined>(capacity).fill(undefined);
    }
  }

  alloc(key: string, hash: number): number {
    let n = this.free;
    if (n >= 0) this.free = this.next[n]!;
    else {
      if (this.used === this.next.length) this.grow();
      n = this.used++;
    }
    this.keys[n] = key;
    this.hashes[n] = hash;
    return n;
  }

  release(n: number): void {
    this.keys[n] = undefined;
    this.next[n] = this.free;
    this.free = n;
  }

  private grow(): void {
    const cap = this.next.length * 2;
    const next = new Int32Array(cap);
    next.set(this.next);
    const hashes = new Uint32Array(cap);
    hashes.set(this.hashes);
    const keys = this.keys.concat(new Array<string | undefined>(cap - this.keys.length).fill(undefined));
    this.next = next;
    this.hashes = hashes;
    this.keys = keys;
  }

  bytes(): number {
    return this.next.length * (4 + 4 + 8);
  }

  snapshot(): PoolSnapshot {
    return { next: this.next.slice(), hashes: this.hashes.slice(), keys: this.keys.slice(), free: this.free, used: this.used };
  }
}

export class ChainSegment implements Segment {
  readonly head: Int32Array;
  private readonly mask: number;
  count = 0;
  readonly tombstones = 0;
  readonly moved = 0;
  role = ROLE_MAIN;

  constructor(readonly size: number, readonly pool: NodePool, private readonly meter: WorkMeter, from?: ChainSnapshot) {
    this.mask = (size & (size - 1)) === 0 ? size - 1 : -1;
    if (from) {
      this.head = from.head.slice();
      this.count = from.count;
      this.role = from.role;
    } else this.head = new Int32Array(size).fill(-1);
  }

  home(hash: number): number {
    return this.mask >= 0 ? hash & this.mask : hash % this.size;
  }

  find(key: string, hash: number, sink: ProbeSink | null): number {
    const { next, hashes, keys } = this.pool;
    const b = this.home(hash);
    let pos = 0;
    for (let n = this.head[b]!; n >= 0; n = next[n]!, pos++) {
      if (hashes[n] === hash && keys[n] === key) {
        sink?.probe(this.role, b, pos, P_MATCH);
        this.meter.work += pos + 2;
        return n;
      }
      sink?.probe(this.role, b, pos, P_OCCUPIED);
    }
    sink?.probe(this.role, b, pos, P_EMPTY);
    this.meter.work += pos + 1;
    return -1;
  }

  add(key: string, hash: number, sink: ProbeSink | null): boolean {
    if (this.find(key, hash, sink) >= 0) return false;
    this.link(this.home(hash), this.pool.alloc(key, hash), sink);
    return true;
  }

  insertAbsent(key: string, hash: number, sink: ProbeSink | null): number {
    const b = this.home(hash);
    this.meter.work++;
    this.link(b, this.pool.alloc(key, hash), sink);
    return b;
  }

  private link(b: number, n: number, sink: ProbeSink | null): void {
    this.pool.next[n] = this.head[b]!;
    this.head[b] = n;
    this.count++;
    sink?.probe(this.role, b, 0, P_PLACED);
  }

  remove(key: string, hash: number, sink: ProbeSink | null): boolean {
    const { next, hashes, keys } = this.pool;
    const b = this.home(hash);
    let prev = -1;
    let pos = 0;
    for (let n = this.head[b]!; n >= 0; prev = n, n = next[n]!, pos++) {
      if (hashes[n] === hash && keys[n] === key) {
        sink?.probe(this.role, b, pos, P_REMOVED);
        this.meter.work += pos + 2;
        if (prev < 0) this.head[b] = next[n]!;
        else next[prev] = next[n]!;
        this.pool.release(n);
        this.count--;
        return true;
      }
      sink?.probe(this.role, b, pos, P_OCCUPIED);
    }
    sink?.probe(this.role, b, pos, P_EMPTY);
    this.meter.work += pos + 1;
    return false;
  }

  bucketIsEmpty(b: number): boolean {
    return this.head[b]! < 0;
  }

  migrate(b: number, into: Segment, sink: ProbeSink | null): number {
    if (!(into instanceof ChainSegment) || into.pool !== this.pool) throw new Error('chained buckets migrate only into a table sharing their node pool');
    const { next, hashes, keys } = this.pool;
    let moved = 0;
    let n = this.head[b]!;
    this.meter.work++;
    while (n >= 0) {
      const after = next[n]!;
      const to = into.home(hashes[n]!);
      next[n] = into.head[to]!;
      into.head[to] = n;
      into.count++;
      sink?.move(keys[n]!, b, to, false);
      moved++;
      n = after;
    }
    this.meter.work += 2 * moved;
    this.head[b] = -1;
    this.count -= moved;
    return moved;
  }

  forEach(fn: (key: string, hash: number) => void): void {
    const { next, hashes, keys } = this.pool;
    for (let b = 0; b < this.size; b++) for (let n = this.head[b]!; n >= 0; n = next[n]!) fn(keys[n]!, hashes[n]!);
  }

  survey(out: Survey): void {
    const { next } = this.pool;
    const bins = out.bins;
    const lastBin = bins.length - 1;
    const cells = out.cells;
    for (let b = 0; b < this.size; b++) {
      let len = 0;
      for (let n = this.head[b]!; n >= 0; n = next[n]!) len++;
      // The keys of a chain of length len are found in 1, 2, …, len probes.
      out.hits += len;
      out.hitSum += (len * (len + 1)) / 2;
      if (len > out.hitMax) out.hitMax = len;
      if (len > out.longest) out.longest = len;
      bins[Math.min(len, lastBin)]!++;
      if (cells) {
        const c = Math.floor(b / cells.per);
        cells.keys[c]! += len;
        if (len > cells.maxProbe[c]!) cells.maxProbe[c] = len;
      }
    }
  }

  slotView(b: number): SlotView {
    const { next, hashes, keys } = this.pool;
    const chain: KeyCell[] = [];
    let len = 0;
    for (let n = this.head[b]!; n >= 0; n = next[n]!) {
      if (len < CHAIN_SHOWN) chain.push({ key: keys[n]!, hash: hashes[n]!, home: b, probes: len + 1 });
      len++;
    }
    if (len === 0) return { state: 'empty' };
    return len > CHAIN_SHOWN ? { state: 'full', chain, more: len - CHAIN_SHOWN } : { state: 'full', chain };
  }

  /** The bucket array only; the shared node pool is counted once by the table. */
  bytes(): number {
    return this.size * 4;
  }

  snapshot(): ChainSnapshot {
    return { kind: 'chain', size: this.size, head: this.head.slice(), count: this.count, role: this.role };
  }
}
