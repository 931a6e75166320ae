/**
 * The Hash Table inspector's half of the protocol: its settings, the intents a webview or a command
 * may send, and the view parts the model renders. Imported by the engine, the host and the webview,
 * so it holds schemas and types only (engine code is imported for its types alone).
 *
 * Conventions the view relies on:
 * - A *probe* is one slot (open addressing) or one chain node (separate chaining) the table looked
 *   at. A hit costs the probes up to and including the match; a miss in open addressing costs the
 *   probes up to and including the empty slot that ended it; a miss in chaining costs the nodes of
 *   the bucket's chain (0 for an empty bucket).
 * - *Work units* count slots or nodes touched plus keys moved; a resize's pause is the work done
 *   inside the single operation that triggered it.
 * - Hashes are unsigned 32-bit integers; a key's *home* is its hash reduced to the table size
 *   (`hash & (size - 1)` for power-of-two sizes, `hash % size` for prime sizes).
 */
import type { HashName } from '../engines/hashing';
import { SELECTED_HASH, selectedHashSource } from '../engines/hashing/selectedHashSource';
import { Infer, arr, int, lit, num, obj, optional, str, tagged } from '../engines/core/schema';
import type { ModelView } from '../engines/core/model';

export const STRATEGIES = ['chaining', 'linear', 'quadratic', 'double', 'robinhood'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const STRATEGY_LABELS: Record<Strategy, string> = {
  chaining: 'Separate chaining',
  linear: 'Linear probing',
  quadratic: 'Quadratic probing',
  double: 'Double hashing',
  robinhood: 'Robin Hood',
};

/** The shared hash functions, spelled here because this file may import engine types only. */
export const TABLE_HASHES = ['fnv1a32', 'murmur3_32', 'xxhash32', 'djb2', 'java', 'crc32'] as const satisfies readonly HashName[];
// Fails to compile if the engine gains a hash this list lacks.
const _everyHashListed: Exclude<HashName, (typeof TABLE_HASHES)[number]> extends never ? true : never = true;
void _everyHashListed;

export const SIZE_POLICIES = ['pow2', 'prime'] as const;
export type SizePolicy = (typeof SIZE_POLICIES)[number];

export const REHASH_MODES = ['all-at-once', 'incremental'] as const;
export type RehashMode = (typeof REHASH_MODES)[number];

/** Backward-shift applies to linear probing and Robin Hood; the others always use tombstones. */
export const DELETIONS = ['tombstone', 'backshift'] as const;
export type Deletion = (typeof DELETIONS)[number];

/**
 * How the fields of a record type are folded into one hash. `poly31` is Java's
 * `Objects.hash` (h = 31·h + f from 1), `xor` and `sum` are the classic poor choices (symmetric
 * fields cancel or coincide), `murmur` runs each field through MurmurHash3's block mix and ends
 * with its finaliser.
 */
export const COMBINES = ['poly31', 'xor', 'sum', 'murmur'] as const;
export type Combine = (typeof COMBINES)[number];

export const GENERATORS = ['sequential', 'random', 'adversarial'] as const;
export type Generator = (typeof GENERATORS)[number];

/** Largest table the engine builds (slots or buckets). */
export const MAX_TABLE_SIZE = 1 << 26;
/** Most keys a table may hold. */
export const MAX_KEYS = 4_000_000;
/** Most keys one bulk insert may ask for. */
export const MAX_BULK = 2_000_000;
/** Most keys one "insert keys" intent may carry. */
export const MAX_INSERT_KEYS = 1000;
export const MAX_KEY_LENGTH = 256;

const fieldName = str({ min: 1, max: 32, pattern: /^[A-Za-z_][A-Za-z0-9_]*$/ });
const recordType = obj({
  /** Field names in order; a record key spells the values in this order, comma-separated ("3,4"). */
  fields: arr(fieldName, { min: 1, max: 8 }),
  combine: lit(...COMBINES),
});
export type RecordType = Infer<typeof recordType>;

/** A table's hash: one of the shared functions, or "custom", the function in `customHash`. */
const tableHash = lit(...TABLE_HASHES, SELECTED_HASH);
export type TableHash = Infer<typeof tableHash>;

export const hashTableConfig = obj({
  strategy: lit(...STRATEGIES),
  hash: tableHash,
  /** Seed of the seeded hashes (murmur3_32, xxhash32) and of the key generators. */
  seed: int({ min: 0, max: 0xffffffff }),
  sizes: lit(...SIZE_POLICIES),
  /** The size a new or cleared table starts at, and the smallest it shrinks to. */
  initialSize: int({ min: 2, max: 1 << 20 }),
  /** Grow when (keys + tombstones) / size exceeds this (≤ 0.95 for open addressing). */
  maxLoad: num({ min: 0.05, max: 16 }),
  /** Shrink when keys / size falls below this; 0 never shrinks. */
  minLoad: num({ min: 0, max: 4 }),
  /** New size = old size × growth, rounded up to the size policy. */
  growth: num({ min: 1.25, max: 8 }),
  rehash: lit(...REHASH_MODES),
  /** Incremental mode: buckets migrated per operation (Redis moves 1 per lookup, 100 per cron tick). */
  rehashBatch: int({ min: 1, max: 1024 }),
  deletion: lit(...DELETIONS),
  /** When set, keys are records ("3,4") hashed field by field with this combine. */
  record: optional(recordType),
  /** A hash function from the user's code ("Use Selection as Hash Function"), used when `hash` is "custom". */
  customHash: optional(selectedHashSource),
});
export type HashTableConfig = Infer<typeof hashTableConfig>;

export const DEFAULT_CONFIG: HashTableConfig & { hash: HashName } = {
  strategy: 'linear',
  hash: 'murmur3_32',
  seed: 0,
  sizes: 'pow2',
  initialSize: 16,
  maxLoad: 0.75,
  minLoad: 0.1,
  growth: 2,
  rehash: 'all-at-once',
  rehashBatch: 4,
  deletion: 'backshift',
};

const key = str({ max: MAX_KEY_LENGTH });

const intentVariants = {
  /** Inserts keys in order (an existing key is left as is). */
  insert: obj({ keys: arr(key, { min: 1, max: MAX_INSERT_KEYS }) }),
  delete: obj({ key }),
  lookup: obj({ key }),
  /** Inserts `count` keys from a seeded generator; successive bulks continue the sequence. */
  bulkInsert: obj({ generator: lit(...GENERATORS), count: int({ min: 1, max: MAX_BULK }) }),
  /** Rebuilds the table with another collision strategy (and deletion method). */
  setStrategy: obj({ strategy: lit(...STRATEGIES), deletion: optional(lit(...DELETIONS)) }),
  /** Rebuilds the table with another hash function (and seed); "custom" needs a session made from a selection. */
  setHash: obj({ fn: tableHash, seed: optional(int({ min: 0, max: 0xffffffff })) }),
  /** Changes any of the resize settings; a change of size policy or deletion method rebuilds the table. */
  setResizePolicy: obj({
    maxLoad: optional(num({ min: 0.05, max: 16 })),
    minLoad: optional(num({ min: 0, max: 4 })),
    growth: optional(num({ min: 1.25, max: 8 })),
    sizes: optional(lit(...SIZE_POLICIES)),
    rehash: optional(lit(...REHASH_MODES)),
    rehashBatch: optional(int({ min: 1, max: 1024 })),
    deletion: optional(lit(...DELETIONS)),
  }),
  /** Rehashes into a table of this size (rounded up to the size policy), all at once or incrementally. */
  resize: obj({ size: int({ min: 2, max: MAX_TABLE_SIZE }) }),
  /** Sets (or, without `record`, removes) the record type; rebuilds the table. */
  setRecordType: obj({ record: optional(recordType) }),
  /** Removes every key; settings stay. */
  clear: obj({}),
};

export const hashTableIntent = tagged('type', intentVariants);
export type HashTableIntent = Infer<typeof hashTableIntent>;

/**
 * A recorded step is the intent that was applied, except that a cancelled bulk insert records the
 * count it actually inserted, and the count that was asked for as `requested`.
 */
export const hashTableStep = tagged('type', {
  ...intentVariants,
  bulkInsert: obj({ generator: lit(...GENERATORS), count: int({ min: 1, max: MAX_BULK }), requested: optional(int({ min: 1, max: MAX_BULK })) }),
});
export type HashTableStep = Infer<typeof hashTableStep>;

// ───────────────────────────── view parts ─────────────────────────────

/** Which table a slot belongs to: `main` normally; `old` and `new` while an incremental rehash runs. */
export type TableRole = 'main' | 'old' | 'new';

/** `moved`: an old-table slot whose key an incremental rehash has migrated (probed past like a tombstone). */
export type SlotState = 'empty' | 'full' | 'tombstone' | 'moved';

/** Part `config`: the settings in force, for the controls (a selected hash by its name, not its code). */
export interface ConfigPart extends Omit<HashTableConfig, 'customHash'> {
  /** Human names for the pickers. */
  hashLabel: string;
  /** The selected hash function's name, when the session has one (then "custom" is a choice). */
  customHashName?: string;
  strategyLabel: string;
  /** Whether the chosen hash uses the seed. */
  seeded: boolean;
  /** Deletion actually used (quadratic, double and chaining ignore "backshift"). */
  effectiveDeletion: Deletion | 'unlink';
}

export interface KeyCell {
  key: string;
  hash: number;
  home: number;
  /** Probes a lookup of this key takes in its table (1 = found at home / first in chain). */
  probes: number;
}

/** One slot (open addressing) or bucket (chaining) of a small table. */
export interface SlotView {
  state: SlotState;
  /** Open addressing: the key in a full slot, or the key a tombstone/moved slot last held. */
  key?: KeyCell;
  /** Chaining: the chain in order (at most `CHAIN_SHOWN`); `more` counts the rest. */
  chain?: KeyCell[];
  more?: number;
}

export const CHAIN_SHOWN = 32;

export interface SmallTableView {
  role: TableRole;
  size: number;
  slots: SlotView[];
  /** Incremental rehash: old-table slots below this index have been migrated. */
  migratedBelow?: number;
}

/** A large table folded into at most `DENSITY_CELLS` cells of `slotsPerCell` consecutive slots. */
export interface DensityTableView {
  role: TableRole;
  size: number;
  slotsPerCell: number;
  /** Keys in each cell. */
  keys: number[];
  /** Longest chain (chaining) or largest probe count of a key (open addressing) in each cell. */
  maxProbe: number[];
  /** Tombstones (plus migrated slots) in each cell. */
  tombstones: number[];
  migratedBelow?: number;
}

/** Tables are drawn slot by slot while every table has at most this many slots… */
export const SMALL_TABLE_LIMIT = 512;
/** …and they hold at most this many keys (long chains would otherwise make the part large). */
export const SMALL_TABLE_KEYS = 1024;
export const DENSITY_CELLS = 4096;

/**
 * Part `buckets`: every slot for small tables (SVG), density cells for large ones (canvas); small
 * means every table within `SMALL_TABLE_LIMIT` slots and at most `SMALL_TABLE_KEYS` keys.
 */
export type BucketsPart =
  | { mode: 'slots'; strategy: Strategy; tables: SmallTableView[] }
  | { mode: 'density'; strategy: Strategy; tables: DensityTableView[] };

/**
 * What one probe found. `occupied`: another key (or a hash mismatch); `match`: the key itself;
 * `empty`: an empty slot (ends a miss, or is where an insert lands: see `placed`); `tombstone`:
 * skipped; `placed`: the insert wrote the key here; `swapped`: Robin Hood put the key here and
 * carries on with the poorer resident it displaced; `shifted`: backward-shift deletion pulled this
 * slot's key one place back; `removed`: the deleted key's slot (or chain node).
 */
export type ProbeOutcome = 'empty' | 'occupied' | 'tombstone' | 'match' | 'placed' | 'swapped' | 'shifted' | 'removed';

export interface ProbeView {
  table: TableRole;
  slot: number;
  /** Chaining: the node's position in the bucket's chain (0-based). */
  node?: number;
  outcome: ProbeOutcome;
}

/** A key this operation moved: migrated by an incremental rehash step, or shifted back by a deletion. */
export interface MoveView {
  key: string;
  /** Slot (bucket) it left: in the old table for `rehash`, the same table for `shift`. */
  from: number;
  /** Slot (bucket) it reached: in the new table for `rehash`. */
  to: number;
  cause: 'rehash' | 'shift';
}

export type OpKind = 'insert' | 'delete' | 'lookup';
export type OpResult = 'inserted' | 'present' | 'found' | 'missing' | 'deleted';

export interface OpView {
  kind: OpKind;
  key: string;
  hash: number;
  result: OpResult;
  /** In order; at most `PROBES_SHOWN`, `moreProbes` counts the rest. */
  probes: ProbeView[];
  moreProbes: number;
  moves: MoveView[];
  /** Work units this operation cost, including any rehash it did (the pause). */
  work: number;
  /** Set when this operation started or finished a resize. */
  resize?: ResizeEventView;
}

export const PROBES_SHOWN = 256;

/** Part `lastOp`: what the last step did, for the probe animation. */
export interface LastOpPart {
  /** The step's label, e.g. "insert a, b, c". */
  label: string;
  /** Keys operated on in the step (a bulk insert counts all of them). */
  total: number;
  /** The last operations of the step, in order (at most `OPS_SHOWN`). */
  ops: OpView[];
  /** Step-level note, e.g. "inserted 412,000 of 1,000,000 — cancelled". */
  note?: string;
}

export const OPS_SHOWN = 16;

export interface ProbeStats {
  avg: number;
  max: number;
}

export interface Histogram {
  /** `chain`: keys per bucket (chaining); `probe`: probes per hit (open addressing). */
  kind: 'chain' | 'probe';
  /** `labels[i]` names bucket i ("0", "1", …, "≥ 31"). */
  labels: string[];
  counts: number[];
}

/** Part `metrics`: everything the side panel shows. */
export interface MetricsPart {
  keys: number;
  /** Slots or buckets of the table new keys go to. */
  size: number;
  /** keys / size (both tables' keys over the new size during an incremental rehash). */
  loadFactor: number;
  /** (keys + tombstones) / size: what the max load is checked against. */
  fillFactor: number;
  tombstones: number;
  hit: ProbeStats;
  /** Measured with `missSample` absent keys through the real lookup. */
  miss: ProbeStats;
  missSample: number;
  histogram: Histogram;
  /** Longest run of non-empty slots (open addressing) or longest chain (chaining). */
  longestCluster: number;
  /** Work units of the last operation, and the most any single operation has cost. */
  lastOpWork: number;
  maxOpWork: number;
  operations: number;
  /** Bytes the table's arrays take (both tables during a rehash). */
  bytes: number;
}

export interface ResizeEventView {
  /** Operation number (1-based, over the session) at which it started. */
  atOp: number;
  from: number;
  to: number;
  reason: 'grow' | 'shrink' | 'clean' | 'manual' | 'rebuild';
  mode: RehashMode;
  keysMoved: number;
  /** Total work units of the rehash. */
  work: number;
  /** The most work one operation did for it: the pause (all at once, equals `work`). */
  maxPause: number;
  /** Operations it was spread over (1 for all at once). */
  ops: number;
  done: boolean;
  /** Incremental rehash that had to be finished at once because the new table filled up. */
  forced?: boolean;
  /** Bytes allocated for the new table. */
  bytes: number;
}

/** Part `resizes`: the most recent events (at most `RESIZES_SHOWN`) and totals over the session. */
export interface ResizesPart {
  events: ResizeEventView[];
  count: number;
  totalWork: number;
  maxPause: number;
}

export const RESIZES_SHOWN = 50;

/** Part `rehash`: progress of an incremental rehash. */
export type RehashPart =
  | { active: false }
  | { active: true; from: number; to: number; migrated: number; keysLeft: number; keysMoved: number };

export interface CombineStats {
  combine: Combine;
  /** Distinct 32-bit hashes among `records`. */
  distinctHashes: number;
  /** 1 − distinct / records: the share of records whose full hash another record already has. */
  collisionRate: number;
  /** Buckets (of the current size) with at least one record. */
  usedBuckets: number;
  /** Most records sharing one bucket. */
  maxBucket: number;
}

/** Part `comparison`: the record set in the table hashed under every combine (only when a record type is set). */
export type ComparisonPart =
  | { active: false }
  | { active: true; fields: string[]; current: Combine; records: number; sampled: boolean; size: number; combines: CombineStats[] };

export interface HashTableView extends ModelView {
  config: ConfigPart;
  buckets: BucketsPart;
  lastOp: LastOpPart;
  metrics: MetricsPart;
  resizes: ResizesPart;
  rehash: RehashPart;
  comparison: ComparisonPart;
}
