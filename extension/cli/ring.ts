/** `dsi ring`: route keys with the Hash Ring engine's schemes, measure movement and balance. */
import { readFileSync } from 'node:fs';
import { UserError, noRunContext } from '../engines/core/model';
import { HASH_NAMES } from '../engines/hashing';
import { KeySet, Router, balanceOf, movementReport } from '../engines/ring';
import type { ServerInput } from '../engines/ring';
import { RING_LIMITS, SCHEME_NAMES } from '../protocol/ring';
import { Options, UsageError, parseArgs, printJson } from './args';
import type { CliCommand } from './command';

const MAX_CLI_KEYS = 10_000_000;

const usage = `Usage:
  dsi ring owners  --algo ALGO --servers a,b,c [placement options] --keys-file FILE
  dsi ring move    --algo ALGO --servers a,b,c [placement options] (--add d | --remove b) --keys N [--seed S]
  dsi ring balance --algo ALGO --servers a,b,c [placement options] --keys N [--seed S]

owners   prints the owner of each line of FILE (one key per line; "-" reads standard input), one
         owner per line, in order.
move     routes N generated keys before and after adding or removing one server and prints
         {"algo","total","moved","fraction","ideal"}: ideal is the least fraction any scheme must
         move, 1/(N+1) to add and 1/N to remove at equal weights.
balance  routes N generated keys and prints {"algo","total","counts":{server:keys},"maxOverMean","cv"}.

ALGO is one of ${SCHEME_NAMES.join(', ')}.

Placement options:
  --weights 1,2,1  one weight per server (default all 1)
  --vnodes N       virtual nodes per server of weight 1 for ring and bounded, points per server
                   (a multiple of 4) for ketama; default 160
  --fn NAME        hash of keys and server names, default murmur3_32 (ketama always uses MD5):
                   ${HASH_NAMES.join(', ')}
  --epsilon E      bounded: each server takes at most ceil((1+E)·average) keys; default 0.25
  --seed S         seed of the generated keys (default 1)

Example: dsi ring move --algo ring --servers a,b,c,d --add e --keys 100000`;

function placement(o: Options): Router {
  const algo = o.choice('algo', SCHEME_NAMES);
  const names = o.list('servers');
  if (names.length === 0) throw new UsageError('--servers needs at least one server name');
  const weights = o.has('weights') ? o.list('weights').map((w) => Number(w)) : names.map(() => 1);
  if (weights.length !== names.length) throw new UsageError(`--weights has ${weights.length} values for ${names.length} servers; give one weight per server`);
  if (weights.some((w) => !Number.isFinite(w))) throw new UsageError(`--weights must be numbers, not "${o.string('weights')}"`);
  const vnodes = o.int('vnodes', 160, { min: 1, max: RING_LIMITS.maxVnodes });
  if (algo === 'ketama' && o.has('fn')) throw new UsageError('--fn does not apply to ketama, which hashes keys and servers with MD5 as libketama does');
  const hash = o.choice('fn', HASH_NAMES, 'murmur3_32');
  const epsilon = o.number('epsilon', 0.25, { min: 0.01, max: 10 });
  if (o.has('epsilon') && algo !== 'bounded') throw new UsageError('--epsilon applies to --algo bounded only');
  if (algo === 'ketama' && vnodes % 4 !== 0) throw new UsageError(`ketama needs a multiple of 4 points per server; --vnodes ${vnodes} is not (libketama uses 160)`);
  const servers: ServerInput[] = names.map((name, i) => ({ name, weight: weights[i]! }));
  return asUsage(() => Router.build(algo, servers, { vnodes, hash, epsilon }));
}

/** Engine complaints about the arguments (a duplicate name, a bad weight) are usage errors here. */
function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UserError) throw new UsageError(e.message);
    throw e;
  }
}

function generated(o: Options): KeySet {
  const count = o.int('keys', undefined, { min: 1, max: MAX_CLI_KEYS });
  const seed = o.int('seed', 1, { min: 0, max: 0xffffffff });
  return KeySet.empty.with({ kind: 'generated', seed, count });
}

function readKeys(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read keys from ${file === '-' ? 'standard input' : `"${file}"`}: ${(e as Error).message}`);
  }
  const lines = text.split('\n');
  // A final newline ends the last line; it does not start an empty one.
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

function owners(o: Options): number {
  const router = placement(o);
  const file = o.string('keys-file');
  o.done();
  const keys = readKeys(file);
  if (keys.length > MAX_CLI_KEYS) throw new UserError(`"${file}" has ${keys.length.toLocaleString('en-US')} lines; dsi ring routes up to ${MAX_CLI_KEYS.toLocaleString('en-US')} keys at once. Split the file.`);
  const set = KeySet.empty.with({ kind: 'explicit', keys });
  const owners = router.assign(set, noRunContext)!;
  const out = Array.from(owners, (i) => router.servers[i]!.name);
  if (out.length) process.stdout.write(out.join('\n') + '\n');
  return 0;
}

function move(o: Options): number {
  const before = placement(o);
  const add = o.optionalString('add');
  const remove = o.optionalString('remove');
  const keys = generated(o);
  o.done();
  if ((add === undefined) === (remove === undefined)) throw new UsageError('give exactly one of --add SERVER or --remove SERVER');
  const after = asUsage(() => (add !== undefined ? before.add(add) : before.remove(remove!)));
  const r = movementReport(
    { change: add !== undefined ? 'add' : 'remove', label: add !== undefined ? `add ${add}` : `remove ${remove}` },
    { servers: before.servers, owners: before.assign(keys, noRunContext)! },
    { servers: after.servers, owners: after.assign(keys, noRunContext)! },
  );
  printJson({ algo: before.schemeName, total: r.total, moved: r.moved, fraction: r.fraction, ideal: r.ideal });
  return 0;
}

function balance(o: Options): number {
  const router = placement(o);
  const keys = generated(o);
  o.done();
  const b = balanceOf({ servers: router.servers, owners: router.assign(keys, noRunContext)! });
  const counts = Object.fromEntries(router.servers.map((s, i) => [s.name, b.counts[i]!]));
  printJson({ algo: router.schemeName, total: b.total, counts, maxOverMean: b.maxOverMean, cv: b.cv });
  return 0;
}

const actions: Record<string, (o: Options) => number> = { owners, move, balance };

export const ringCommand: CliCommand = {
  name: 'ring',
  summary: 'consistent hashing: owners of keys, keys moved by a membership change, load balance',
  usage,
  run(argv) {
    const o = new Options(parseArgs(argv));
    const [action, ...extra] = o.positional;
    if (action === undefined || !Object.hasOwn(actions, action)) throw new UsageError(action === undefined ? 'say what to do: owners, move or balance' : `unknown action "${action}"; use owners, move or balance`);
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    return actions[action]!(o);
  },
};
