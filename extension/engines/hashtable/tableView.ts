/**
 * The view parts derived from a table: metrics, buckets (every slot of a small table, density
 * cells of a large one), rehash progress and resize history. Each part stays bounded whatever the
 * table's size; the scans are linear in the table and the model caches them per table version.
 */
import type {
  BucketsPart, DensityTableView, Histogram, MetricsPart, RehashPart, ResizesPart, SmallTableView, TableRole,
} from '../../protocol/hashtable';
import { DENSITY_CELLS, SMALL_TABLE_KEYS, SMALL_TABLE_LIMIT } from '../../protocol/hashtable';
import type { HashTable } from './hashTable';
import { ROLE_NAMES, ROLE_OLD, Segment, Survey } from './segment';

/** Histogram buckets: the last one gathers everything at or above it. */
const HIST_BINS = 32;
/** Bins shown at least, so small tables do not get a one-bar histogram. */
const HIST_MIN_SHOWN = 8;

/** Metrics and buckets from one survey of the table's segments. */
export function tableParts(table: HashTable, missKeys: readonly string[]): { metrics: MetricsPart; buckets: BucketsPart } {
  const segs = table.segments();
  const chaining = table.settings.strategy === 'chaining';
  const small = segs.every((seg) => seg.size <= SMALL_TABLE_LIMIT) && table.count + table.tombstones <= SMALL_TABLE_KEYS;
  const survey: Survey = { hits: 0, hitSum: 0, hitMax: 0, bins: new Array<number>(HIST_BINS).fill(0), longest: 0 };
  const density: DensityTableView[] = [];
  for (const seg of segs) {
    if (small) {
      delete survey.cells;
    } else {
      const per = Math.ceil(seg.size / DENSITY_CELLS);
      const n = Math.ceil(seg.size / per);
      survey.cells = { per, keys: new Array<number>(n).fill(0), maxProbe: new Array<number>(n).fill(0), tombstones: new Array<number>(n).fill(0) };
    }
    seg.survey(survey);
    if (survey.cells) density.push({ role: roleOf(seg), size: seg.size, slotsPerCell: survey.cells.per, keys: survey.cells.keys, maxProbe: survey.cells.maxProbe, tombstones: survey.cells.tombstones, ...migrated(table, seg) });
  }
  const strategy = table.settings.strategy;
  const buckets: BucketsPart = small
    ? { mode: 'slots', strategy, tables: segs.map((seg): SmallTableView => ({ role: roleOf(seg), size: seg.size, slots: Array.from({ length: seg.size }, (_, i) => seg.slotView(i)), ...migrated(table, seg) })) }
    : { mode: 'density', strategy, tables: density };

  let misses = 0;
  let missSum = 0;
  let missMax = 0;
  for (const key of missKeys) {
    const p = table.missProbes(key);
    if (p < 0) continue;
    misses++;
    missSum += p;
    if (p > missMax) missMax = p;
  }
  const s = table.stats;
  const metrics: MetricsPart = {
    keys: table.count,
    size: table.size,
    loadFactor: table.count / table.size,
    fillFactor: (table.count + table.tombstones) / table.size,
    tombstones: table.tombstones,
    hit: { avg: survey.hits ? survey.hitSum / survey.hits : 0, max: survey.hitMax },
    miss: { avg: misses ? missSum / misses : 0, max: missMax },
    missSample: misses,
    histogram: histogram(survey.bins, chaining),
    longestCluster: survey.longest,
    lastOpWork: s.lastOpWork,
    maxOpWork: s.maxOpWork,
    operations: s.ops,
    bytes: table.bytes(),
  };
  return { metrics, buckets };
}

const roleOf = (seg: Segment): TableRole => ROLE_NAMES[seg.role]!;
const migrated = (table: HashTable, seg: Segment): { migratedBelow?: number } => (seg.role === ROLE_OLD ? { migratedBelow: table.migrationCursor } : {});

function histogram(bins: number[], chaining: boolean): Histogram {
  let last = bins.length - 1;
  while (last >= HIST_MIN_SHOWN && bins[last] === 0) last--;
  const first = chaining ? 0 : 1;
  const counts = bins.slice(0, last + 1);
  const labels = counts.map((_, i) => (i === HIST_BINS - 1 ? `≥ ${i + first}` : String(i + first)));
  return { kind: chaining ? 'chain' : 'probe', labels, counts };
}

export function rehashPart(table: HashTable): RehashPart {
  const [old, fresh] = table.segments();
  if (!fresh || !old) return { active: false };
  const ev = table.stats.events[table.stats.events.length - 1]!;
  return { active: true, from: old.size, to: fresh.size, migrated: table.migrationCursor, keysLeft: old.count, keysMoved: ev.keysMoved };
}

export function resizesPart(table: HashTable): ResizesPart {
  const s = table.stats;
  return { events: s.events.map((e) => ({ ...e })), count: s.resizeCount, totalWork: s.resizeWork, maxPause: s.maxPause };
}
