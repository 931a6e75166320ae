/**
 * A set of 32-bit integer keys in one Int32Array: open addressing with linear probing, keys mixed
 * by Murmur3's finaliser, backward-shift deletion. No boxing and one cache line per probe, which is
 * what makes integer keys fast. Key 0 marks an empty slot, so the key 0 itself is kept aside in a
 * flag (as fastutil and Koloboke do with their sentinel).
 */
import * as hashing from '../hashing';

// Bound locally: under tsx (CommonJS) an imported binding is a getter, a call per probe.
const { fmix32 } = hashing;

export class IntTable {
  private slots: Int32Array;
  private mask: number;
  private limit: number;
  private stored = 0;
  private hasZero = false;

  /** `maxLoad`: grow (double) when keys exceed this share of the slots. */
  constructor(capacity = 16, private readonly maxLoad = 0.75) {
    if (!(maxLoad > 0 && maxLoad <= 0.95)) throw new RangeError(`IntTable: max load must be in (0, 0.95], not ${maxLoad}`);
    let size = 16;
    while (size * maxLoad < capacity) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    this.limit = Math.floor(size * maxLoad);
  }

  get size(): number {
    return this.stored + (this.hasZero ? 1 : 0);
  }

  /** Slots in the array. */
  get capacity(): number {
    return this.slots.length;
  }

  add(key: number): boolean {
    if ((key | 0) !== key) throw new RangeError(`IntTable: keys are 32-bit integers, not ${key}`);
    if (key === 0) {
      const added = !this.hasZero;
      this.hasZero = true;
      return added;
    }
    const { slots, mask } = this;
    let j = fmix32(key) & mask;
    for (;;) {
      const k = slots[j]!;
      if (k === key) return false;
      if (k === 0) break;
      j = (j + 1) & mask;
    }
    slots[j] = key;
    if (++this.stored > this.limit) this.grow();
    return true;
  }

  has(key: number): boolean {
    if (key === 0) return this.hasZero;
    const { slots, mask } = this;
    let j = fmix32(key | 0) & mask;
    for (;;) {
      const k = slots[j]!;
      if (k === key) return true;
      if (k === 0) return false;
      j = (j + 1) & mask;
    }
  }

  delete(key: number): boolean {
    if (key === 0) {
      const had = this.hasZero;
      this.hasZero = false;
      return had;
    }
    const { slots, mask } = this;
    let i = fmix32(key | 0) & mask;
    for (;;) {
      const k = slots[i]!;
      if (k === key) break;
      if (k === 0) return false;
      i = (i + 1) & mask;
    }
    // Backward shift (Knuth's algorithm R): pull later keys of the cluster into the hole when
    // the hole lies on their probe path.
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const k = slots[j]!;
      if (k === 0) break;
      const h = fmix32(k) & mask;
      if (i <= j ? i < h && h <= j : i < h || h <= j) continue;
      slots[i] = k;
      i = j;
    }
    slots[i] = 0;
    this.stored--;
    return true;
  }

  forEach(fn: (key: number) => void): void {
    if (this.hasZero) fn(0);
    for (const k of this.slots) if (k !== 0) fn(k);
  }

  private grow(): void {
    const old = this.slots;
    const size = old.length * 2;
    const mask = size - 1;
    const slots = new Int32Array(size);
    for (let i = 0; i < old.length; i++) {
      const k = old[i]!;
      if (k === 0) continue;
      let j = fmix32(k) & mask;
      while (slots[j] !== 0) j = (j + 1) & mask;
      slots[j] = k;
    }
    this.slots = slots;
    this.mask = mask;
    this.limit = Math.floor(size * this.maxLoad);
  }
}
