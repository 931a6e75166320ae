/** `dsi table`: run a hash table on generated keys and print its metrics. */
import { UserError, noRunContext } from '../engines/core/model';
import { HashTableModel } from '../engines/hashtable';
import {
  DEFAULT_CONFIG, DELETIONS, GENERATORS, HashTableConfig, MAX_BULK, REHASH_MODES, SIZE_POLICIES, STRATEGIES, TABLE_HASHES,
} from '../protocol/hashtable';
import { Options, UsageError, parseArgs, printJson } from './args';
import type { CliCommand } from './command';

const d = DEFAULT_CONFIG;

export const tableCommand: CliCommand = {
  name: 'table',
  summary: 'insert N generated keys into a hash table and print its metrics',
  usage: `Usage: dsi table --strategy <${STRATEGIES.join('|')}> --fn <${TABLE_HASHES.join('|')}> --keys N
                 [--rehash ${REHASH_MODES.join('|')}] [--seed N] [--generator ${GENERATORS.join('|')}]
                 [--max-load X] [--min-load X] [--growth X] [--sizes ${SIZE_POLICIES.join('|')}]
                 [--initial-size N] [--batch N] [--deletion ${DELETIONS.join('|')}]

Builds a table, bulk-inserts N keys from a seeded generator and prints one JSON object: the
settings, the metrics the inspector shows (load, probes for hits and misses, histogram, longest
cluster, tombstones, costliest operation) and the resizes (count, total work, longest pause), plus
the wall time. Work units count slots or chain nodes touched and keys moved.

  --strategy S      collision resolution
  --fn NAME         hash function
  --keys N          keys to insert (1 … ${MAX_BULK.toLocaleString('en-US')})
  --rehash MODE     resize all at once (one long pause) or incrementally, Redis-style (default ${d.rehash})
  --seed N          seed of the key generator and of murmur3_32/xxhash32 (default ${d.seed})
  --generator G     sequential (user:1…), random, or adversarial (colliding) keys (default sequential)
  --max-load X      grow above this load (default ${d.maxLoad}; at most 0.95 for open addressing)
  --min-load X      shrink below this load, 0 never (default ${d.minLoad})
  --growth X        size × X on growth (default ${d.growth})
  --sizes P         power-of-two or prime table sizes (default ${d.sizes})
  --initial-size N  starting size (default ${d.initialSize})
  --batch N         buckets migrated per operation in incremental mode (default ${d.rehashBatch})
  --deletion D      tombstones or backward shift (linear and Robin Hood) (default ${d.deletion})

Example: dsi table --strategy robinhood --fn murmur3_32 --keys 1000000 --rehash incremental`,
  run(argv) {
    const o = new Options(parseArgs(argv));
    const config: HashTableConfig = {
      strategy: o.choice('strategy', STRATEGIES),
      hash: o.choice('fn', TABLE_HASHES),
      seed: o.int('seed', d.seed, { min: 0, max: 0xffffffff }),
      sizes: o.choice('sizes', SIZE_POLICIES, d.sizes),
      initialSize: o.int('initial-size', d.initialSize, { min: 2, max: 1 << 20 }),
      maxLoad: o.number('max-load', d.maxLoad, { min: 0.05, max: 16 }),
      minLoad: o.number('min-load', d.minLoad, { min: 0, max: 4 }),
      growth: o.number('growth', d.growth, { min: 1.25, max: 8 }),
      rehash: o.choice('rehash', REHASH_MODES, d.rehash),
      rehashBatch: o.int('batch', d.rehashBatch, { min: 1, max: 1024 }),
      deletion: o.choice('deletion', DELETIONS, d.deletion),
    };
    const count = o.int('keys', undefined, { min: 1, max: MAX_BULK });
    const generator = o.choice('generator', GENERATORS, 'sequential');
    o.done();
    if (o.positional.length > 0) throw new UsageError(`unexpected argument "${o.positional[0]}"`);
    const t0 = performance.now();
    let model: HashTableModel;
    try {
      model = new HashTableModel(config);
      model.dispatch({ type: 'bulkInsert', generator, count }, noRunContext);
    } catch (e) {
      // Every input is an argument here, so an impossible run is a usage error.
      if (e instanceof UserError) throw new UsageError(e.message);
      throw e;
    }
    const elapsedMs = performance.now() - t0;
    const { metrics, resizes } = model.view();
    printJson({
      strategy: config.strategy,
      fn: config.hash,
      seed: config.seed,
      rehash: config.rehash,
      sizes: config.sizes,
      generator,
      requested: count,
      ...metrics,
      resizes: { count: resizes.count, totalWork: resizes.totalWork, maxPause: resizes.maxPause },
      elapsedMs: Math.round(elapsedMs),
    });
    return 0;
  },
};
