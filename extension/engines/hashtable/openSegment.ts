/**
 * Open addressing: one key per slot, collisions resolved by probing other slots in the order the
 * probe sequence gives. Deletion leaves a tombstone (lookups probe past it, inserts reuse it), or,
 * for linear probing, shifts the following keys back (Knuth's algorithm R) so no tombstone is left.
 *
 * Slots live in parallel typed arrays plus one array of key strings, so a snapshot is a few array
 * copies and the fast path never allocates.
 */
import type { SlotView } from '../../protocol/hashtable';
import { ProbeKind, ProbeSequence } from './probing';
import * as seg from './segment';
import type { OpenSnapshot, ProbeSink, Segment, Survey, WorkMeter } from './segment';

// Bound locally: run as CommonJS (tsx, tests, benchmarks), imported bindings are getters, which
// cost a call per access in the probe loops.
const { EMPTY, FULL, TOMB, MOVED, ROLE_MAIN, P_EMPTY, P_MATCH, P_OCCUPIED, P_PLACED, P_REMOVED, P_SHIFTED, P_TOMBSTONE } = seg;

export class OpenSegment implements Segment {
  readonly seq: ProbeSequence;
  readonly state: Uint8Array;
  readonly hashes: Uint32Array;
  readonly keys: (string | undefined)[];
  count = 0;
  tombstones = 0;
  moved = 0;
  role = ROLE_MAIN;
  /** Robin Hood: a lookup ends at a key closer to its home than the lookup has come. */
  protected readonly stopsEarly: boolean = false;

  constructor(
    readonly size: number,
    kind: ProbeKind,
    /** Backward-shift deletion (linear probing only). */
    protected readonly backshift: boolean,
    protected readonly meter: WorkMeter,
    from?: OpenSnapshot,
  ) {
    this.seq = new ProbeSequence(size, kind);
    if (from) {
      this.state = from.state.slice();
      this.hashes = from.hashes.slice();
      this.keys = from.keys.slice();
      this.count = from.count;
      this.tombstones = from.tombstones;
      this.moved = from.moved;
      this.role = from.role;
    } else {
      this.state = new Uint8Array(size);
      this.hashes = new Uint32Array(size);
      this.keys = new Array<string | undefined>(size).fill(undefined);
    }
  }

  home(hash: number): number {
    return this.seq.home(hash);
  }

  find(key: string, hash: number, sink: ProbeSink | null): number {
    const { state, hashes, keys, seq, size } = this;
    const home = seq.home(hash);
    const step = seq.step(hash);
    for (let i = 0; i < size; i++) {
      const j = seq.at(home, i, step);
      const s = state[j];
      if (s === EMPTY) {
        sink?.probe(this.role, j, -1, P_EMPTY);
        this.meter.work += i + 1;
        return -1;
      }
      if (s === FULL && hashes[j] === hash && keys[j] === key) {
        sink?.probe(this.role, j, -1, P_MATCH);
        this.meter.work += i + 1;
        return j;
      }
      sink?.probe(this.role, j, -1, s === FULL ? P_OCCUPIED : P_TOMBSTONE);
      if (this.stopsEarly && this.distanceAt(j) < i) {
        this.meter.work += i + 1;
        return -1;
      }
    }
    this.meter.work += size;
    return -1;
  }

  add(key: string, hash: number, sink: ProbeSink | null): boolean {
    const { state, hashes, keys, seq, size } = this;
    const home = seq.home(hash);
    const step = seq.step(hash);
    // The first tombstone on the way is where the key goes, but only once the rest of the
    // sequence has shown the key is not further on.
    let free = -1;
    for (let i = 0; i < size; i++) {
      const j = seq.at(home, i, step);
      const s = state[j];
      if (s === EMPTY) {
        this.meter.work += i + 1;
        if (free < 0) {
          sink?.probe(this.role, j, -1, P_PLACED);
          this.place(j, key, hash);
        } else {
          sink?.probe(this.role, j, -1, P_EMPTY);
          sink?.probe(this.role, free, -1, P_PLACED);
          this.place(free, key, hash);
        }
        return true;
      }
      if (s === FULL) {
        if (hashes[j] === hash && keys[j] === key) {
          sink?.probe(this.role, j, -1, P_MATCH);
          this.meter.work += i + 1;
          return false;
        }
        sink?.probe(this.role, j, -1, P_OCCUPIED);
      } else {
        if (free < 0) free = j;
        sink?.probe(this.role, j, -1, P_TOMBSTONE);
      }
    }
    this.meter.work += size;
    if (free < 0) throw new Error(`hash table invariant broken: no free slot among ${size}`);
    sink?.probe(this.role, free, -1, P_PLACED);
    this.place(free, key, hash);
    return true;
  }

  insertAbsent(key: string, hash: number, sink: ProbeSink | null): number {
    const { state, seq, size } = this;
    const home = seq.home(hash);
    const step = seq.step(hash);
    for (let i = 0; i < size; i++) {
      const j = seq.at(home, i, step);
      if (state[j] !== FULL) {
        sink?.probe(this.role, j, -1, P_PLACED);
        this.meter.work += i + 1;
        this.place(j, key, hash);
        return j;
      }
      sink?.probe(this.role, j, -1, P_OCCUPIED);
    }
    throw new Error(`hash table invariant broken: no free slot among ${size}`);
  }

  protected place(j: number, key: string, hash: number): void {
    if (this.state[j] === TOMB) this.tombstones--;
    this.state[j] = FULL;
    this.hashes[j] = hash;
    this.keys[j] = key;
    this.count++;
  }

  remove(key: string, hash: number, sink: ProbeSink | null, shift: boolean): boolean {
    const j = this.find(key, hash, sink);
    if (j < 0) return false;
    sink?.probe(this.role, j, -1, P_REMOVED);
    if (shift && this.backshift) this.shiftBack(j, sink);
    else {
      this.state[j] = TOMB;
      this.count--;
      this.tombstones++;
    }
    return true;
  }

  /**
   * Algorithm R: walk the cluster after the hole; a key may fill the hole when its home is not
   * cyclically within (hole, its slot], i.e. when the hole lies on its probe path.
   */
  protected shiftBack(hole: number, sink: ProbeSink | null): void {
    const { state, hashes, keys, seq, size } = this;
    let i = hole;
    let j = hole;
    for (;;) {
      j = j + 1 === size ? 0 : j + 1;
      this.meter.work++;
      if (state[j] !== FULL) {
        sink?.probe(this.role, j, -1, P_EMPTY);
        break;
      }
      const h = seq.home(hashes[j]!);
      const onPath = i <= j ? i < h && h <= j : i < h || h <= j;
      if (onPath) {
        sink?.probe(this.role, j, -1, P_OCCUPIED);
        continue;
      }
      sink?.probe(this.role, j, -1, P_SHIFTED);
      sink?.move(keys[j]!, j, i, true);
      hashes[i] = hashes[j]!;
      keys[i] = keys[j];
      i = j;
    }
    state[i] = EMPTY;
    keys[i] = undefined;
    this.count--;
  }

  bucketIsEmpty(b: number): boolean {
    return this.state[b] !== FULL;
  }

  migrate(b: number, into: Segment, sink: ProbeSink | null): number {
    this.meter.work++;
    if (this.state[b] !== FULL) return 0;
    const key = this.keys[b]!;
    const to = into.insertAbsent(key, this.hashes[b]!, null);
    sink?.move(key, b, to, false);
    this.state[b] = MOVED;
    this.count--;
    this.moved++;
    return 1;
  }

  forEach(fn: (key: string, hash: number) => void): void {
    const { state, hashes, keys } = this;
    for (let j = 0; j < this.size; j++) if (state[j] === FULL) fn(keys[j]!, hashes[j]!);
  }

  /** How far slot j's key (live or not) sits from its home, along a linear sequence. */
  protected distanceAt(j: number): number {
    return this.seq.distance(this.seq.home(this.hashes[j]!), j);
  }

  /** Probes a lookup of the key in slot `j` takes: its position in its own probe sequence, plus one. */
  probesAt(j: number): number {
    const { seq } = this;
    const hash = this.hashes[j]!;
    const home = seq.home(hash);
    if (seq.kind === 'linear') return seq.distance(home, j) + 1;
    const step = seq.step(hash);
    for (let i = 0; i < this.size; i++) if (seq.at(home, i, step) === j) return i + 1;
    throw new Error(`hash table invariant broken: slot ${j} is not on its key's probe sequence`);
  }

  survey(out: Survey): void {
    const { state, size } = this;
    const bins = out.bins;
    const lastBin = bins.length - 1;
    const cells = out.cells;
    for (let j = 0; j < size; j++) {
      const s = state[j];
      if (s === FULL) {
        const p = this.probesAt(j);
        out.hits++;
        out.hitSum += p;
        if (p > out.hitMax) out.hitMax = p;
        bins[Math.min(p - 1, lastBin)]!++;
        if (cells) {
          const c = Math.floor(j / cells.per);
          cells.keys[c]!++;
          if (p > cells.maxProbe[c]!) cells.maxProbe[c] = p;
        }
      } else if (s !== EMPTY && cells) cells.tombstones[Math.floor(j / cells.per)]!++;
    }
    out.longest = Math.max(out.longest, this.longestCluster());
  }

  private longestCluster(): number {
    const { state, size } = this;
    let first = 0;
    while (first < size && state[first] !== EMPTY) first++;
    if (first === size) return size;
    // Start counting after an empty slot so a run that wraps around the end is counted whole.
    let best = 0;
    let run = 0;
    for (let k = 1; k <= size; k++) {
      const j = first + k < size ? first + k : first + k - size;
      if (state[j] === EMPTY) run = 0;
      else if (++run > best) best = run;
    }
    return best;
  }

  slotView(j: number): SlotView {
    const s = this.state[j];
    if (s === EMPTY) return { state: 'empty' };
    const hash = this.hashes[j]!;
    const key = { key: this.keys[j]!, hash, home: this.seq.home(hash), probes: this.probesAt(j) };
    return { state: s === FULL ? 'full' : s === TOMB ? 'tombstone' : 'moved', key };
  }

  bytes(): number {
    return this.size * (1 + 4 + 8);
  }

  snapshot(): OpenSnapshot {
    return {
      kind: 'open', size: this.size, state: this.state.slice(), hashes: this.hashes.slice(), keys: this.keys.slice(),
      count: this.count, tombstones: this.tombstones, moved: this.moved, role: this.role,
    };
  }
}
