/**
 * The recording path: every operation's probe sequence, the keys it moved and the resize it
 * started, kept in flat arrays so recording a million operations stays cheap. The model keeps one
 * recorder per step and renders its last few operations for the probe animation.
 */
import type { MoveView, OpKind, OpResult, OpView, ProbeOutcome, ProbeView, ResizeEventView } from '../../protocol/hashtable';
import { PROBES_SHOWN } from '../../protocol/hashtable';
import { OUTCOME_NAMES, ProbeSink, ROLE_NAMES } from './segment';

export const OP_KINDS: readonly OpKind[] = ['insert', 'delete', 'lookup'];
export const OP_INSERT = 0;
export const OP_DELETE = 1;
export const OP_LOOKUP = 2;

export const OP_RESULTS: readonly OpResult[] = ['inserted', 'present', 'found', 'missing', 'deleted'];
export const R_INSERTED = 0;
export const R_PRESENT = 1;
export const R_FOUND = 2;
export const R_MISSING = 3;
export const R_DELETED = 4;

/** Moves shown per operation (an operation that finishes a rehash at once may move millions). */
const MOVES_SHOWN = 64;

/** Operation fields in `ops`, four per operation. */
const KIND = 0;
const RESULT = 1;
const PROBE_START = 2;
const MOVE_START = 3;

/** Grows a typed array to at least `need` elements, doubling. */
function grown<T extends Int32Array | Float64Array>(a: T, need: number): T {
  let n = a.length;
  while (n < need) n *= 2;
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

export class OpRecorder implements ProbeSink {
  // Flat typed arrays: a million recorded operations must not mean millions of small objects.
  private ops = new Int32Array(4 * 256);
  /** hash, work for each operation. */
  private nums = new Float64Array(2 * 256);
  private keys: string[] = [];
  private count = 0;
  /** role, slot, node, outcome for each probe. */
  private probes = new Int32Array(4 * 1024);
  private nProbes = 0;
  /** from, to, shifted (1) or migrated (0) for each move. */
  private moveSlots = new Int32Array(3 * 64);
  private moveKeys: string[] = [];
  private resizes = new Map<number, ResizeEventView>();

  get length(): number {
    return this.count;
  }

  begin(kind: number, key: string, hash: number): void {
    const i = this.count++;
    if (4 * this.count > this.ops.length) {
      this.ops = grown(this.ops, 4 * this.count);
      this.nums = grown(this.nums, 2 * this.count);
    }
    this.ops[4 * i + KIND] = kind;
    this.ops[4 * i + PROBE_START] = this.nProbes;
    this.ops[4 * i + MOVE_START] = this.moveKeys.length;
    this.nums[2 * i] = hash;
    this.keys.push(key);
  }

  end(result: number, work: number): void {
    const i = this.count - 1;
    this.ops[4 * i + RESULT] = result;
    this.nums[2 * i + 1] = work;
  }

  probe(role: number, slot: number, node: number, outcome: number): void {
    const at = 4 * this.nProbes++;
    if (at + 4 > this.probes.length) this.probes = grown(this.probes, at + 4);
    const p = this.probes;
    p[at] = role;
    p[at + 1] = slot;
    p[at + 2] = node;
    p[at + 3] = outcome;
  }

  move(key: string, from: number, to: number, shift: boolean): void {
    const at = 3 * this.moveKeys.length;
    if (at + 3 > this.moveSlots.length) this.moveSlots = grown(this.moveSlots, at + 3);
    this.moveSlots[at] = from;
    this.moveSlots[at + 1] = to;
    this.moveSlots[at + 2] = shift ? 1 : 0;
    this.moveKeys.push(key);
  }

  /** The resize the current operation started (the event keeps changing while it runs). */
  resize(ev: ResizeEventView): void {
    this.resizes.set(this.count - 1, ev);
  }

  /** Operation i as the view shows it (probes and moves capped). */
  op(i: number): OpView {
    const { ops } = this;
    const p0 = ops[4 * i + PROBE_START]!;
    const p1 = i + 1 < this.count ? ops[4 * (i + 1) + PROBE_START]! : this.nProbes;
    const m0 = ops[4 * i + MOVE_START]!;
    const m1 = i + 1 < this.count ? ops[4 * (i + 1) + MOVE_START]! : this.moveKeys.length;
    const probes: ProbeView[] = [];
    for (let k = p0; k < Math.min(p1, p0 + PROBES_SHOWN); k++) {
      const node = this.probes[4 * k + 2]!;
      const view: ProbeView = { table: ROLE_NAMES[this.probes[4 * k]!]!, slot: this.probes[4 * k + 1]!, outcome: OUTCOME_NAMES[this.probes[4 * k + 3]!] as ProbeOutcome };
      if (node >= 0) view.node = node;
      probes.push(view);
    }
    const moves: MoveView[] = [];
    for (let k = m0; k < Math.min(m1, m0 + MOVES_SHOWN); k++) moves.push({ key: this.moveKeys[k]!, from: this.moveSlots[3 * k]!, to: this.moveSlots[3 * k + 1]!, cause: this.moveSlots[3 * k + 2] ? 'shift' : 'rehash' });
    const out: OpView = {
      kind: OP_KINDS[ops[4 * i + KIND]!]!,
      key: this.keys[i]!,
      hash: this.nums[2 * i]!,
      result: OP_RESULTS[ops[4 * i + RESULT]!]!,
      probes,
      moreProbes: Math.max(0, p1 - p0 - PROBES_SHOWN),
      moves,
      work: this.nums[2 * i + 1]!,
    };
    const ev = this.resizes.get(i);
    if (ev) out.resize = { ...ev };
    return out;
  }

  /** The last `n` operations. */
  last(n: number): OpView[] {
    const out: OpView[] = [];
    for (let i = Math.max(0, this.count - n); i < this.count; i++) out.push(this.op(i));
    return out;
  }

  clear(): void {
    this.count = 0;
    this.nProbes = 0;
    this.keys.length = 0;
    this.moveKeys.length = 0;
    this.resizes.clear();
  }
}
