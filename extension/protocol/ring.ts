/**
 * The Hash Ring inspector's half of the protocol: its settings, the intents a webview or a command
 * may send, and the view parts the model renders. Imported by the engine (extension/engines/ring),
 * the host and the ring webview alike.
 *
 * Parts stay small whatever the session holds (10,000 vnodes, 1,000,000 keys): keys arrive as
 * counts in angular bins per owner, exact dots only for small key sets; vnode positions are sent
 * as they are up to `RING_LIMITS.maxPointsInView`, beyond that only the arcs' owners per bin.
 *
 * Angles: every position on the drawing is an unsigned 32-bit hash h; its angle is h / 2³² of a
 * full turn, clockwise from 12 o'clock. Bin b of n covers [b·2³²/n, (b+1)·2³²/n).
 */
import { HASH_NAMES } from '../engines/hashing';
import { SELECTED_HASH, selectedHashSource } from '../engines/hashing/selectedHashSource';
import type { ModelView } from '../engines/core/model';
import { Infer, arr, int, lit, num, obj, optional, str, tagged } from '../engines/core/schema';

export const SCHEME_NAMES = ['modulo', 'ring', 'ketama', 'jump', 'rendezvous', 'maglev', 'bounded'] as const;
export type SchemeName = (typeof SCHEME_NAMES)[number];

export const RING_LIMITS = {
  maxServers: 1_000,
  /** Virtual nodes per server of weight 1 (ring, bounded); points per server for ketama. */
  maxVnodes: 2_000,
  /** Points on one circle, all servers together. */
  maxPoints: 2_000_000,
  maxKeys: 2_000_000,
  /** Explicit keys in one intent; generated keys go up to maxKeys. */
  maxExplicitKeys: 100_000,
  maxKeyLength: 1_000,
  maxReplicas: 16,
  maxWeight: 1_000,
  /** Above this many points the view carries arc bins instead of every point. */
  maxPointsInView: 20_000,
  /** Up to this many keys the view carries every key as a dot (and the movement report names them). */
  maxDotsInView: 2_000,
  angleBins: 360,
} as const;

/** A server name: what the CLI lists with commas, so no commas and no surrounding blanks. */
export const serverNameSchema = str({ min: 1, max: 100, pattern: /^[^\s,](?:[^,]*[^\s,])?$/ });
const weightSchema = num({ min: 0.01, max: RING_LIMITS.maxWeight });

/** A ring's hash: one of the shared functions, or "custom", the function in `customHash`. */
const ringHash = lit(...HASH_NAMES, SELECTED_HASH);
export type RingHash = Infer<typeof ringHash>;

export const ringConfigSchema = obj({
  scheme: lit(...SCHEME_NAMES),
  servers: arr(obj({ name: serverNameSchema, weight: optional(weightSchema) }), { max: RING_LIMITS.maxServers }),
  /** Virtual nodes per server of weight 1 (ring, bounded); points per server (a multiple of 4) for ketama. */
  vnodes: int({ min: 1, max: RING_LIMITS.maxVnodes }),
  /** The hash of keys and of server names for every scheme but ketama, which is MD5 by definition. */
  hash: ringHash,
  replicas: int({ min: 1, max: RING_LIMITS.maxReplicas }),
  /** Bounded loads: each server takes at most ⌈(1 + ε)·average⌉ keys. */
  epsilon: num({ min: 0.01, max: 10 }),
  /** Seeds the generator of keys inserted without a seed of their own. */
  seed: int({ min: 0, max: 0xffffffff }),
  /** A hash function from the user's code ("Use Selection as Hash Function"), used when `hash` is "custom". */
  customHash: optional(selectedHashSource),
});
export type RingConfig = Infer<typeof ringConfigSchema>;

/** A new ring's configuration before settings override it; here, not in the engine, so the host reads it without loading the engine. */
export const defaultRingConfig = (): RingConfig => ({
  scheme: 'ring',
  servers: ['s1', 's2', 's3', 's4', 's5'].map((name) => ({ name })),
  vnodes: 160,
  hash: 'murmur3_32',
  replicas: 3,
  epsilon: 0.25,
  seed: 1,
});

/** Each intent's fields by its `type`; the engine's recorded steps reuse most of them. */
export const ringIntentFields = {
  addServer: obj({ name: serverNameSchema, weight: optional(weightSchema) }),
  removeServer: obj({ name: serverNameSchema }),
  /** The server stays in the list but serves nothing: its keys go to the next live owner. */
  failServer: obj({ name: serverNameSchema }),
  recoverServer: obj({ name: serverNameSchema }),
  setWeight: obj({ name: serverNameSchema, weight: weightSchema }),
  setVnodes: obj({ vnodes: int({ min: 1, max: RING_LIMITS.maxVnodes }) }),
  setScheme: obj({ scheme: lit(...SCHEME_NAMES) }),
  /** "custom" needs a session made from a selection. */
  setHash: obj({ hash: ringHash }),
  setReplicas: obj({ replicas: int({ min: 1, max: RING_LIMITS.maxReplicas }) }),
  setEpsilon: obj({ epsilon: num({ min: 0.01, max: 10 }) }),
  /** `count` keys from the seeded generator (the session's own seed when none is given)… */
  insertKeys: obj({ count: int({ min: 1, max: RING_LIMITS.maxKeys }), seed: optional(int({ min: 0, max: 0xffffffff })) }),
  /** …or these keys as they are. */
  insertKeyList: obj({ keys: arr(str({ max: RING_LIMITS.maxKeyLength }), { min: 1, max: RING_LIMITS.maxExplicitKeys }) }),
  clearKeys: obj({}),
  /** Shows where one key lives: its hash, owner, replicas and which replica serves it. */
  probeKey: obj({ key: str({ max: RING_LIMITS.maxKeyLength }) }),
  /** The same key set under every scheme: moved fraction on add and remove, balance, lookup time, memory. */
  compareSchemes: obj({}),
};
export const ringIntentSchema = tagged('type', ringIntentFields);
export type RingIntent = Infer<typeof ringIntentSchema>;

// ── View parts ──────────────────────────────────────────────────────────────────────────────────

/** How a scheme places keys, which decides what the drawing shows. */
export type LayoutKind =
  /** Points on the circle (ring, ketama, bounded); a key belongs to the first live point clockwise from it, so each point owns the arc that ends at it: draw arcs and ticks. */
  | 'circle'
  /** A lookup table of slots (maglev): draw the table as a band of coloured slots. */
  | 'table'
  /** No geometry (modulo, jump, rendezvous): keys at their hash angle, coloured by owner. */
  | 'none';

export interface RingServerView {
  name: string;
  weight: number;
  alive: boolean;
  /** Stable colour slot: the server's index in the session's list of every server ever added. */
  color: number;
  /** Points this server holds on the circle (circle layouts), slots in the table (maglev), else 0. */
  points: number;
}

export interface RingLayoutPart {
  scheme: SchemeName;
  kind: LayoutKind;
  /** Every owner number in the view (points, arcs, cells, dots, load) is an index into this list; -1 means no live server. */
  servers: RingServerView[];
  /** Every point when there are at most maxPointsInView of them, sorted by position; owners as placed, failed servers included (draw their ticks greyed). */
  points?: { positions: number[]; owners: number[] };
  /** Total points (circle) or table slots (maglev); 0 for layouts without geometry. */
  pointCount: number;
  /**
   * Owner of each of `angleBins` bins, absent for 'none'. Circles: the live owner at the bin's start,
   * so a failed server's arcs already show who took them over. Tables: the most frequent slot owner.
   */
  arcs?: number[];
  /** Maglev's prime table size. */
  tableSize?: number;
}

export interface RingKeysPart {
  total: number;
  /** angleBins, or fewer (down to 36) when many servers would make too many cells. */
  bins: number;
  /** Flat triples [bin, owner, count] for every non-empty (bin, owner) pair; owner -1 when no server is live. */
  cells: number[];
  /** Exact keys when total ≤ maxDotsInView: each key with its hash (angle) and owner. */
  dots?: { keys: string[]; hashes: number[]; owners: number[]; moved: boolean[] };
}

export interface RingLoadPart {
  total: number;
  /** Keys per server, in `layout.servers` order. */
  counts: number[];
  /** What each server should hold given its weight (0 for failed servers). */
  expected: number[];
  /** max over live servers of count / expected; 1 is perfect. */
  maxOverMean: number;
  /** Coefficient of variation of count / expected over live servers; 0 is perfect. */
  cv: number;
}

export type MembershipChange = 'add' | 'remove' | 'fail' | 'recover' | 'weight' | 'vnodes' | 'scheme' | 'hash' | 'epsilon';

export interface MovementReport {
  change: MembershipChange;
  /** What the user did, e.g. "fail s3". */
  label: string;
  /** The server concerned, when there is one. */
  server?: string;
  total: number;
  moved: number;
  /** moved / total. */
  fraction: number;
  /** The least fraction any scheme must move for this change: the total shift of weight shares. */
  ideal: number;
  /** Keys that moved between two servers live both before and after: a consistent scheme makes none. */
  wrongMoves: number;
  /** Names the matrix indices refer to (the servers before, then any new ones; "—" for no live server). */
  names: string[];
  /** Flat triples [from, to, count], from ≠ to. */
  matrix: number[];
  /** For small key sets: every moved key. */
  movedKeys?: { key: string; from: string; to: string }[];
}

export interface ComparisonRow {
  scheme: SchemeName;
  /** Fraction of keys moved when one server is added, and the ideal 1/(N+1). */
  movedOnAdd: number;
  idealOnAdd: number;
  wrongOnAdd: number;
  /** Fraction moved when the last server of the list is removed, and the ideal 1/N. */
  movedOnRemove: number;
  idealOnRemove: number;
  wrongOnRemove: number;
  maxOverMean: number;
  cv: number;
  /** Median nanoseconds for key string → owner (hashing included). */
  lookupNs: number;
  /** Bytes of the lookup structures. */
  memoryBytes: number;
  /** Whether the scheme promises that adding or removing a server moves only that server's keys. */
  monotone: boolean;
}

export interface ComparisonPart {
  keys: number;
  servers: number;
  /** Step at which it was measured: the table may describe an earlier state than the drawing. */
  step: number;
  rows: ComparisonRow[];
  /** True when the user cancelled before every scheme was measured. */
  partial: boolean;
}

export interface ProbePart {
  key: string;
  /** The key's hash under the current scheme (its angle on the drawing). */
  hash: number;
  /** The server that serves it now, or null if none is live. */
  owner: string | null;
  /** Its place in the scheme's preference order until `replicas` live servers are found. */
  preference: { server: string; alive: boolean; role: 'primary' | 'replica' | 'failed' | 'takeover' }[];
}

export interface RingSettingsPart {
  scheme: SchemeName;
  hash: RingHash;
  /** The selected hash function's name, when the session has one (then "custom" is among `hashes`). */
  customHashName?: string;
  vnodes: number;
  replicas: number;
  epsilon: number;
  schemes: { name: SchemeName; label: string; description: string; monotone: boolean; usesVnodes: boolean; usesHash: boolean }[];
  hashes: readonly RingHash[];
}

export interface RingParts {
  settings: RingSettingsPart;
  layout: RingLayoutPart;
  keys: RingKeysPart;
  load: RingLoadPart;
  /** The movement report of the last membership change (kept while keys are inserted after it). */
  movement: MovementReport | null;
  comparison: ComparisonPart | null;
  probe: ProbePart | null;
}

export type RingView = ModelView & RingParts;
