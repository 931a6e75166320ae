/** `dsi hash`: hash keys with one of the shared hash functions. */
import { HASH_INFO, HASH_NAMES, hasher } from '../engines/hashing';
import { Options, UsageError, parseArgs, printJson } from './args';
import type { CliCommand } from './command';

const seeded = HASH_NAMES.filter((n) => HASH_INFO[n].seeded);

export const hashCommand: CliCommand = {
  name: 'hash',
  summary: 'hash keys with FNV-1a, MurmurHash3, xxHash32, djb2, Java String.hashCode or CRC32',
  usage: `Usage: dsi hash --fn <${HASH_NAMES.join('|')}> [--seed N] KEY...

Prints one JSON object per key, one per line: {"fn":…,"key":…,"hash":…}, the hash as an unsigned
32-bit integer. Byte-oriented hashes read the key's UTF-8 bytes; java reads UTF-16 code units.
Put -- before keys that start with "--".

  --fn NAME   the hash function
  --seed N    seed of ${seeded.join(' and ')} (0 … 4294967295, default 0)

Example: dsi hash --fn java Aa BB`,
  run(argv) {
    const o = new Options(parseArgs(argv));
    const fn = o.choice('fn', HASH_NAMES);
    const seed = o.int('seed', 0, { min: 0, max: 0xffffffff });
    o.done();
    if (o.has('seed') && !HASH_INFO[fn].seeded) throw new UsageError(`--seed applies to ${seeded.join(' and ')} only; ${fn} takes no seed`);
    if (o.positional.length === 0) throw new UsageError('give at least one KEY to hash');
    const hash = hasher(fn, seed);
    for (const key of o.positional) printJson({ fn, key, hash: hash(key) });
    return 0;
  },
};
