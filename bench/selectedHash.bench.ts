/**
 * A hash from the user's code inside the engines ("Use Selection as Hash Function"): FNV-1a written
 * as a user would, run through engines/hashing/selectedHash.ts (vm context, batches, time limit),
 * against the engine's own FNV-1a on the same keys — raw hashing in batches and one key at a time,
 * a hash table's bulk insert, and a ring's key placement. Medians of repeated runs; ratios within
 * this run.
 */
import { noRunContext } from '../extension/engines/core/model';
import { hasher } from '../extension/engines/hashing';
import { SelectedHash } from '../extension/engines/hashing/selectedHash';
import type { SelectedHashSource } from '../extension/engines/hashing/selectedHashSource';
import { HashTableModel } from '../extension/engines/hashtable';
import { RingModel, ringFactory } from '../extension/engines/ring';
import { DEFAULT_CONFIG } from '../extension/protocol/hashtable';
import { ManualClock } from '../extension/engines/core/clock';
import { fmt, printTable, ratio, timeMedian } from './stats';

const RUNS = 5;
const FNV: SelectedHashSource = {
  name: 'fnv',
  script: 'function fnv(s) { let h = 0x811c9dc5; for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); } return h >>> 0; }',
  entry: 'fnv',
};
const ALLOWED = { runSelectedCode: true };

function main(): void {
  const keys = Array.from({ length: 1_000_000 }, (_, i) => `user:${i}`);
  const selected = SelectedHash.load(FNV, ALLOWED);
  const builtIn = hasher('fnv1a32');

  console.log(`\nHashing ${fmt(keys.length)} keys (median of ${RUNS})`);
  const batch = timeMedian(RUNS, () => { selected.many(keys); });
  const engine = timeMedian(RUNS, () => { let s = 0; for (const k of keys) s += builtIn(k); if (s < 0) throw new Error(); });
  const singles = 2000;
  // Fresh keys each run, so none is memoised: the cost of one run in the sandbox per key.
  let round = 0;
  const one = timeMedian(RUNS, () => { round++; for (let i = 0; i < singles; i++) selected.hash(`single:${round}:${i}`); }) / singles;
  printTable([
    { how: 'engine fnv1a32, in-process', 'ns/key': (engine * 1e6) / keys.length, 'vs engine': '1.00×' },
    { how: 'selected fnv, batches of 16,384 in the sandbox', 'ns/key': (batch * 1e6) / keys.length, 'vs engine': ratio(batch, engine) },
    { how: 'selected fnv, one key per run (memo miss)', 'ns/key': one * 1e6, 'vs engine': ratio(one * keys.length, engine) },
  ]);

  console.log(`\nHash table: bulk insert of 200,000 sequential keys, separate chaining (median of ${RUNS})`);
  const table = (hash: 'fnv1a32' | 'custom'): number => timeMedian(RUNS, () => {
    const m = new HashTableModel({ ...DEFAULT_CONFIG, strategy: 'chaining', hash, ...(hash === 'custom' ? { customHash: FNV } : {}) }, ALLOWED);
    m.dispatch({ type: 'bulkInsert', generator: 'sequential', count: 200_000 }, noRunContext);
  });
  const tableBuiltIn = table('fnv1a32');
  const tableSelected = table('custom');
  printTable([
    { hash: 'engine fnv1a32', ms: tableBuiltIn, 'vs engine': '1.00×' },
    { hash: 'selected fnv (look-ahead batches)', ms: tableSelected, 'vs engine': ratio(tableSelected, tableBuiltIn) },
  ]);

  console.log(`\nHash ring: 1,000,000 keys placed on 5 servers × 160 vnodes, then a sixth server added (median of ${RUNS})`);
  const ring = (hash: 'fnv1a32' | 'custom'): number => timeMedian(RUNS, () => {
    const m = new RingModel({ ...ringFactory.defaults(), hash, ...(hash === 'custom' ? { customHash: FNV } : {}) }, new ManualClock(), ALLOWED);
    m.dispatch({ type: 'insertKeys', count: 1_000_000, seed: 1 }, noRunContext);
    m.dispatch({ type: 'addServer', name: 's6' }, noRunContext);
  });
  const ringBuiltIn = ring('fnv1a32');
  const ringSelected = ring('custom');
  printTable([
    { hash: 'engine fnv1a32', ms: ringBuiltIn, 'vs engine': '1.00×' },
    { hash: 'selected fnv (key sets in batches)', ms: ringSelected, 'vs engine': ratio(ringSelected, ringBuiltIn) },
  ]);
}

main();
