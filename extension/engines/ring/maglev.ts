/**
 * `maglev`: Google's Maglev lookup table (Eisenbud et al., NSDI 2016, §3.4). The table has a prime
 * number M of slots; each live backend i walks its own permutation of the slots,
 *   offset = h1(name) mod M, skip = h2(name) mod (M − 1) + 1, permutation[j] = (offset + j·skip) mod M,
 * and the backends take turns claiming their next still-empty slot until the table is full. A key
 * goes to table[hash mod M]. Every backend ends up with ⌊M/N⌋ or ⌈M/N⌉ slots: near-perfect balance
 * and an O(1) lookup.
 *
 * Maglev rebuilds the table without a failed backend (as the paper does), so failure and removal
 * are alike. The rebuild moves mostly the lost backend's keys, but not only them: Maglev trades
 * strict monotonicity for balance, and the movement report shows the few wrong moves. Backends
 * take turns in name order, so the list's order does not matter. Weights set how many turns a
 * backend takes per round. Replicas: the next distinct backends in table order after the key's slot.
 */
import type { RunContext } from '../core/model';
import { hasher } from '../hashing';
import { Scheme, SchemeLayout, SchemeOptions, inChunks } from './scheme';
import { ServerSpec, compareNames } from './servers';

/** The smallest prime ≥ max(65537, 100·backends): the paper asks for M ≫ N and prime. */
export function maglevTableSize(backends: number): number {
  let m = Math.max(65537, 100 * backends);
  while (!isPrime(m)) m++;
  return m;
}

function isPrime(n: number): boolean {
  if (n < 2) return false;
  if (n % 2 === 0) return n === 2;
  for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false;
  return true;
}

export class MaglevScheme implements Scheme {
  readonly name = 'maglev' as const;
  readonly keyHash;
  readonly tableSize: number;
  /** Server index per slot; -1 everywhere when no backend is live. */
  readonly table: Int32Array;

  constructor(readonly servers: readonly ServerSpec[], opts: SchemeOptions) {
    this.keyHash = opts.hash;
    const live = servers.map((_, i) => i).filter((i) => servers[i]!.alive).sort((a, b) => compareNames(servers[a]!.name, servers[b]!.name));
    this.tableSize = maglevTableSize(live.length);
    this.table = populate(live, servers, this.tableSize, hasher(opts.hash));
  }

  owner(hash: number): number {
    return this.table[hash % this.tableSize]!;
  }

  preference(hash: number, count: number): number[] {
    const out: number[] = [];
    const m = this.tableSize;
    const start = hash % m;
    for (let k = 0; k < m && out.length < count; k++) {
      const o = this.table[(start + k) % m]!;
      if (o >= 0 && !out.includes(o)) out.push(o);
    }
    return out;
  }

  assign(hashes: Uint32Array, out: Int32Array, ctx: RunContext): boolean {
    const { table, tableSize } = this;
    return inChunks(hashes.length, ctx, (from, to) => {
      for (let i = from; i < to; i++) out[i] = table[hashes[i]! % tableSize]!;
    });
  }

  get memoryBytes(): number {
    return this.table.byteLength;
  }

  layout(): SchemeLayout {
    const counts = new Int32Array(this.servers.length);
    for (const o of this.table) if (o >= 0) counts[o]!++;
    return { kind: 'table', owners: this.table, pointsPerServer: counts };
  }
}

/** The paper's population loop, with weighted turns: a backend's credit grows by w / max w per round. */
function populate(live: number[], servers: readonly ServerSpec[], m: number, hash: (s: string) => number): Int32Array {
  const table = new Int32Array(m).fill(-1);
  if (live.length === 0) return table;
  const offset = live.map((i) => hash(`${servers[i]!.name}#offset`) % m);
  const skip = live.map((i) => (hash(`${servers[i]!.name}#skip`) % (m - 1)) + 1);
  const next = new Float64Array(live.length);
  const maxWeight = Math.max(...live.map((i) => servers[i]!.weight));
  const turn = live.map((i) => servers[i]!.weight / maxWeight);
  const credit = new Float64Array(live.length);
  let filled = 0;
  for (;;) {
    for (let k = 0; k < live.length; k++) {
      credit[k]! += turn[k]!;
      while (credit[k]! >= 1) {
        credit[k]! -= 1;
        let slot = (offset[k]! + next[k]! * skip[k]!) % m;
        while (table[slot]! >= 0) {
          next[k]!++;
          slot = (offset[k]! + next[k]! * skip[k]!) % m;
        }
        table[slot] = live[k]!;
        next[k]!++;
        if (++filled === m) return table;
      }
    }
  }
}
