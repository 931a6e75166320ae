/**
 * Robin Hood hashing: linear probing where an insert that has travelled further from its home
 * than a resident takes the resident's slot and carries the resident on. Every key's distance from
 * home is then at most that of the key before it in the cluster, so a lookup stops as soon as it
 * meets a key closer to home than it has come, and backward-shift deletion just pulls the keys
 * after the hole back by one until one sits at home.
 *
 * Tombstones keep the hash of the key they replaced, so their distance still counts in that rule;
 * an insert may take a tombstone only at a distance at least the tombstone's, which keeps it.
 */
import { OpenSegment } from './openSegment';
import * as seg from './segment';
import type { OpenSnapshot, ProbeSink, WorkMeter } from './segment';

// Bound locally for the probe loops (see openSegment.ts).
const { EMPTY, FULL, TOMB, P_EMPTY, P_MATCH, P_OCCUPIED, P_PLACED, P_REMOVED, P_SHIFTED, P_SWAPPED, P_TOMBSTONE } = seg;

export class RobinHoodSegment extends OpenSegment {
  constructor(size: number, backshift: boolean, meter: WorkMeter, from?: OpenSnapshot) {
    super(size, 'linear', backshift, meter, from);
  }

  protected override readonly stopsEarly = true;

  override add(key: string, hash: number, sink: ProbeSink | null): boolean {
    const { state, hashes, keys, size } = this;
    let j = this.seq.home(hash);
    // A tombstone exactly as far from its home as we are from ours is a place to land, once the
    // walk shows the key is not further on.
    let free = -1;
    for (let i = 0; i < size; i++) {
      const s = state[j];
      if (s === EMPTY) {
        this.meter.work += i + 1;
        if (free >= 0) {
          sink?.probe(this.role, j, -1, P_EMPTY);
          j = free;
        }
        sink?.probe(this.role, j, -1, P_PLACED);
        this.place(j, key, hash);
        return true;
      }
      if (s === FULL && hashes[j] === hash && keys[j] === key) {
        sink?.probe(this.role, j, -1, P_MATCH);
        this.meter.work += i + 1;
        return false;
      }
      const d = this.distanceAt(j);
      if (d < i) {
        // The key would have been here or before: it is absent. Insert from this point on.
        this.meter.work += i;
        if (free >= 0) {
          sink?.probe(this.role, j, -1, s === FULL ? P_OCCUPIED : P_TOMBSTONE);
          sink?.probe(this.role, free, -1, P_PLACED);
          this.meter.work++;
          this.place(free, key, hash);
        } else this.carry(j, i, key, hash, sink);
        return true;
      }
      if (s !== FULL && d === i && free < 0) free = j;
      sink?.probe(this.role, j, -1, s === FULL ? P_OCCUPIED : P_TOMBSTONE);
      j = j + 1 === size ? 0 : j + 1;
    }
    this.meter.work += size;
    if (free < 0) throw new Error(`hash table invariant broken: no free slot among ${size}`);
    sink?.probe(this.role, free, -1, P_PLACED);
    this.place(free, key, hash);
    return true;
  }

  override insertAbsent(key: string, hash: number, sink: ProbeSink | null): number {
    return this.carry(this.seq.home(hash), 0, key, hash, sink);
  }

  /**
   * Places `key` (at distance `d` from its home when standing at slot `j`), swapping it with any
   * resident closer to home and carrying that one on. Returns where the original key landed.
   */
  private carry(j: number, d: number, key: string, hash: number, sink: ProbeSink | null): number {
    const { state, hashes, keys, size } = this;
    let landed = -1;
    for (let n = 0; n < size; n++) {
      this.meter.work++;
      const s = state[j];
      if (s === EMPTY || (s === TOMB && this.distanceAt(j) <= d)) {
        sink?.probe(this.role, j, -1, P_PLACED);
        this.place(j, key, hash);
        return landed < 0 ? j : landed;
      }
      const dj = this.distanceAt(j);
      if (s === FULL && dj < d) {
        sink?.probe(this.role, j, -1, P_SWAPPED);
        const k = keys[j]!;
        const h = hashes[j]!;
        keys[j] = key;
        hashes[j] = hash;
        if (landed < 0) landed = j;
        key = k;
        hash = h;
        d = dj;
      } else sink?.probe(this.role, j, -1, s === FULL ? P_OCCUPIED : P_TOMBSTONE);
      j = j + 1 === size ? 0 : j + 1;
      d++;
    }
    throw new Error(`hash table invariant broken: no free slot among ${size}`);
  }

  override remove(key: string, hash: number, sink: ProbeSink | null, shift: boolean): boolean {
    const j = this.find(key, hash, sink);
    if (j < 0) return false;
    sink?.probe(this.role, j, -1, P_REMOVED);
    if (!(shift && this.backshift)) {
      this.state[j] = TOMB;
      this.count--;
      this.tombstones++;
      return true;
    }
    const { state, hashes, keys, size } = this;
    let hole = j;
    for (;;) {
      const next = hole + 1 === size ? 0 : hole + 1;
      this.meter.work++;
      if (state[next] !== FULL || this.distanceAt(next) === 0) {
        sink?.probe(this.role, next, -1, state[next] === EMPTY ? P_EMPTY : P_OCCUPIED);
        break;
      }
      sink?.probe(this.role, next, -1, P_SHIFTED);
      sink?.move(keys[next]!, next, hole, true);
      hashes[hole] = hashes[next]!;
      keys[hole] = keys[next];
      hole = next;
    }
    state[hole] = EMPTY;
    keys[hole] = undefined;
    this.count--;
    return true;
  }
}
