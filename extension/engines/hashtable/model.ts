/**
 * The Hash Table inspector's model: a table, its key generators and the last step's recorded
 * operations, driven by intents. Every intent is one timeline step; the engine is deterministic,
 * so a step is the intent itself (a cancelled bulk insert records how many keys it did insert) and
 * seeking redoes intents from the nearest snapshot. Snapshots copy typed arrays, never objects per
 * key, so they stay cheap for a million keys.
 */
import {
  CombineStats, ComparisonPart, ConfigPart, DEFAULT_CONFIG, HashTableConfig, HashTableIntent, HashTableStep, HashTableView,
  LastOpPart, MAX_KEYS, OPS_SHOWN, STRATEGY_LABELS, hashTableConfig, hashTableIntent, hashTableStep,
} from '../../protocol/hashtable';
import type { InspectorModel, Metric, ModelFactory, ModelOptions, RunContext, Summary } from '../core/model';
import { UserError, noRunContext, timelineView } from '../core/model';
import { Prng } from '../core/prng';
import { SessionFile, SessionFileError, makeSessionFile } from '../core/sessionFile';
import { Replayable, Timeline } from '../core/timeline';
import { HASH_INFO, StringHash, hasher } from '../hashing';
import { SelectedHash } from '../hashing/selectedHash';
import { SELECTED_HASH, selectedHashLabel } from '../hashing/selectedHashSource';
import { HashTable, TableSettings, TableSnapshot, checkSettings } from './hashTable';
import { GeneratorState, JAVA_FAMILY_SIZE, KeyGenerators } from './keyGenerators';
import { OpRecorder } from './recorder';
import { reducer } from './sizing';
import { compareCombines, recordFields, recordHasher } from './recordHash';
import { rehashPart, resizesPart, tableParts } from './tableView';

/** Absent keys each miss measurement looks up. */
const MISS_SAMPLE = 1024;
/** Records the combine comparison hashes at most (a sample of larger tables). */
const COMPARISON_SAMPLE = 200_000;
/** Hash evaluations an adversarial search may spend (each hit takes about `size` tries). */
const SEARCH_BUDGET = 50_000_000;
/** Probes colliding keys may cost: each walks past every earlier one, so n keys cost n²/2. */
const COLLISION_BUDGET = 200_000_000;
/** How often a bulk insert looks at the cancel flag and reports progress: keys, or work units. */
const CHECK_KEYS = 4096;
/** Keys a hash from the user's code is given at once when a bulk insert runs ahead of it. */
const LOOKAHEAD = 4096;
const CHECK_WORK = 1 << 20;

interface Snap {
  config: HashTableConfig;
  table: TableSnapshot;
  gen: GeneratorState;
  lastOp: LastOpPart;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

function settingsOf(c: HashTableConfig): TableSettings {
  const { strategy, sizes, initialSize, maxLoad, minLoad, growth, rehash, rehashBatch, deletion } = c;
  return { strategy, sizes, initialSize, maxLoad, minLoad, growth, rehash, rehashBatch, deletion };
}

/** The hash of a key's text: a shared function, or the user's (which the model loaded, with permission). */
function textHash(c: HashTableConfig, selected: SelectedHash | undefined): StringHash {
  if (c.hash !== SELECTED_HASH) return hasher(c.hash, c.seed);
  if (!selected) throw new Error('a custom hash without its loaded function');
  return selected.hash;
}

function hashOf(c: HashTableConfig, selected: SelectedHash | undefined): StringHash {
  const text = textHash(c, selected);
  return c.record ? recordHasher(c.record, text, c.seed) : text;
}

const hashLabel = (c: HashTableConfig): string => (c.hash === SELECTED_HASH ? selectedHashLabel(c.customHash ?? { name: 'custom' }) : HASH_INFO[c.hash].label);
const isSeeded = (c: HashTableConfig): boolean => c.hash !== SELECTED_HASH && HASH_INFO[c.hash].seeded;

/** Throws a UserError when a configuration cannot work. */
export function checkConfig(c: HashTableConfig): void {
  checkSettings(settingsOf(c));
  if (c.hash === SELECTED_HASH && !c.customHash)
    throw new UserError('This table has no hash function from your code to use. Select a JavaScript or TypeScript hash function in an editor and run "DS Inspector: Use Selection as Hash Function".');
}

/** In the order the label names them, whatever order the intent's keys came in. */
const POLICY_KEYS = ['maxLoad', 'minLoad', 'growth', 'sizes', 'rehash', 'rehashBatch', 'deletion'] as const;

const layoutChanged = (a: HashTableConfig, b: HashTableConfig): boolean => a.sizes !== b.sizes || a.deletion !== b.deletion || a.strategy !== b.strategy;

function shortList(keys: readonly string[], max = 3): string {
  const shown = keys.slice(0, max).map((k) => (k.length > 24 ? `${k.slice(0, 23)}…` : k)).join(', ');
  return keys.length > max ? `${shown} (+${fmt(keys.length - max)})` : shown;
}

export class HashTableModel implements InspectorModel<HashTableIntent, HashTableView>, Replayable<HashTableStep, Snap> {
  private config: HashTableConfig;
  private table: HashTable;
  private gen: KeyGenerators;
  private lastOp: LastOpPart = { label: 'new table', total: 0, ops: [] };
  private readonly rec = new OpRecorder();
  private readonly timeline: Timeline<HashTableStep, Snap>;
  private derived: { table: HashTable; version: number; parts: Pick<HashTableView, 'metrics' | 'buckets' | 'comparison'> } | undefined;
  private missKeys: { config: HashTableConfig; keys: string[] } | undefined;
  /** The hash function from the user's code, when the session carries one (see ModelOptions). */
  private readonly selected: SelectedHash | undefined;

  constructor(private readonly initial: HashTableConfig, options: ModelOptions = {}) {
    checkConfig(initial);
    this.selected = initial.customHash ? SelectedHash.load(initial.customHash, options) : undefined;
    this.config = initial;
    this.table = new HashTable(settingsOf(initial), hashOf(initial, this.selected));
    this.gen = new KeyGenerators(initial.seed, initial.record);
    this.timeline = new Timeline(this, { snapshotEvery: 64, snapshotCost: 4_000_000, maxSnapshots: 16 });
  }

  // ───────────── InspectorModel ─────────────

  dispatch(intent: HashTableIntent, ctx: RunContext): void {
    if (!this.selected) return this.record(intent, ctx);
    try {
      this.record(intent, ctx);
    } catch (e) {
      // The user's hash can fail on any key, half way through a step: go back to the last good state.
      this.timeline.reload();
      throw e;
    }
  }

  /** Applies a step and records it, with its cost in work units (a rebuild's is the new table's). */
  private record(step: HashTableStep, ctx: RunContext, label?: string): void {
    const before = this.table;
    const w0 = before.meter.work;
    const applied = this.apply(step, ctx);
    const cost = this.table === before ? this.table.meter.work - w0 : this.table.meter.work;
    this.timeline.record(applied.step, label ?? applied.label, Math.max(1, cost));
  }

  seek(step: number): void {
    if (!Number.isInteger(step) || step < 0 || step > this.timeline.length)
      throw new UserError(`Cannot go to step ${step}: this session has steps 0 to ${this.timeline.length}.`);
    this.timeline.seek(step);
  }

  view(): HashTableView {
    const derived = this.derivedParts();
    return {
      summary: this.summary(derived.metrics),
      timeline: timelineView(this.timeline),
      config: this.configPart(),
      lastOp: this.lastOp,
      resizes: resizesPart(this.table),
      rehash: rehashPart(this.table),
      ...derived,
    };
  }

  exportSession(): SessionFile<HashTableConfig, HashTableStep> {
    const t = this.timeline;
    return makeSessionFile('hashtable', this.initial, t.steps(), t.labels(), t.cursor);
  }

  // ───────────── Replayable ─────────────

  snapshot(): Snap {
    return { config: this.config, table: this.table.snapshot(), gen: this.gen.state(), lastOp: this.lastOp };
  }

  restore(snap: Snap): void {
    this.config = snap.config;
    this.table = new HashTable(settingsOf(snap.config), hashOf(snap.config, this.selected), snap.table);
    this.gen = new KeyGenerators(snap.gen, snap.config.record);
    this.lastOp = snap.lastOp;
  }

  redo(step: HashTableStep): void {
    this.apply(step, noRunContext);
  }

  /** Replays an imported session's steps with their labels, then moves to its cursor. */
  replay(file: SessionFile<HashTableConfig, HashTableStep>): void {
    file.steps.forEach((step, i) => {
      try {
        this.record(step, noRunContext, file.labels[i]);
      } catch (e) {
        if (e instanceof UserError) throw new SessionFileError(`This session cannot be replayed: step ${i + 1} ("${file.labels[i]}") fails: ${e.message}`);
        throw e;
      }
    });
    this.timeline.seek(file.cursor);
  }

  // ───────────── steps ─────────────

  /** Applies a step; throws a UserError, changing nothing, when it cannot be done. */
  private apply(step: HashTableStep, ctx: RunContext): { step: HashTableStep; label: string } {
    switch (step.type) {
      case 'insert':
        return this.insertKeys(step);
      case 'delete':
      case 'lookup':
        return this.deleteOrLookup(step);
      case 'bulkInsert':
        return this.bulkInsert(step, ctx);
      case 'setStrategy':
        return this.reconfigure(step, { strategy: step.strategy, ...(step.deletion ? { deletion: step.deletion } : {}) }, `strategy: ${STRATEGY_LABELS[step.strategy]}`);
      case 'setHash': {
        const next = { ...this.config, hash: step.fn, seed: step.seed ?? this.config.seed };
        return this.reconfigure(step, { hash: next.hash, seed: next.seed }, `hash: ${hashLabel(next)}${isSeeded(next) ? ` (seed ${next.seed})` : ''}`);
      }
      case 'setResizePolicy': {
        const { type: _type, ...changes } = step;
        const said = POLICY_KEYS.filter((k) => changes[k] !== undefined).map((k) => `${k} ${changes[k]}`).join(', ');
        return this.reconfigure(step, changes, `resize policy: ${said || 'unchanged'}`);
      }
      case 'setRecordType':
        return this.setRecordType(step);
      case 'resize': {
        const from = this.table.size;
        const to = this.table.resize(step.size);
        const ev = this.table.stats.events[this.table.stats.events.length - 1]!;
        const how = this.config.rehash === 'incremental' ? 'incrementally' : `at once, ${fmt(ev.work)} work units`;
        const label = `resize ${fmt(from)} → ${fmt(to)} (${how})`;
        this.lastOp = { label, total: 0, ops: [], note: `Rehashing ${fmt(this.table.count)} keys into ${fmt(to)} ${this.unit()} ${how}.` };
        return { step, label };
      }
      case 'clear': {
        const had = this.table.count;
        this.table = this.table.emptied();
        this.gen = this.gen.restarted(this.config.record);
        this.lastOp = { label: 'clear', total: 0, ops: [], note: `Removed ${fmt(had)} keys.` };
        return { step, label: 'clear' };
      }
    }
  }

  private insertKeys(step: Extract<HashTableStep, { type: 'insert' }>): { step: HashTableStep; label: string } {
    this.checkKeys(step.keys);
    this.checkRoom(step.keys.length);
    this.selectedText()?.prime(step.keys);
    const rec = this.beginOps();
    let added = 0;
    for (const key of step.keys) if (this.table.insert(key, rec)) added++;
    const label = `insert ${shortList(step.keys)}`;
    const present = step.keys.length - added;
    this.lastOp = { label, total: step.keys.length, ops: rec.last(OPS_SHOWN), ...(present ? { note: `${fmt(added)} inserted, ${fmt(present)} already present.` } : {}) };
    return { step, label };
  }

  private deleteOrLookup(step: Extract<HashTableStep, { type: 'delete' | 'lookup' }>): { step: HashTableStep; label: string } {
    this.checkKeys([step.key]);
    const rec = this.beginOps();
    const hit = step.type === 'delete' ? this.table.delete(step.key, rec) : this.table.has(step.key, rec);
    const label = `${step.type === 'delete' ? 'delete' : 'look up'} ${shortList([step.key])} → ${hit ? (step.type === 'delete' ? 'deleted' : 'found') : 'missing'}`;
    this.lastOp = { label, total: 1, ops: [rec.op(0)] };
    return { step, label };
  }

  private bulkInsert(step: Extract<HashTableStep, { type: 'bulkInsert' }>, ctx: RunContext): { step: HashTableStep; label: string } {
    const { generator, count } = step;
    this.checkRoom(count);
    // Adversarial keys collide modulo the size the bulk starts at; growing spreads them (unless,
    // as with Java's family, their whole hashes are equal), which the view then shows.
    let done = 0;
    const ahead = this.lookahead(generator === 'sequential' ? 'sequential' : 'random', () => (generator === 'adversarial' ? LOOKAHEAD : count - done - 1));
    const tableHash = this.table.hash;
    const hash = ahead ? (k: string): number => { ahead(k); return tableHash(k); } : tableHash;
    const target = { hash, bucketOf: reducer(this.table.size), javaStrings: this.config.hash === 'java' && !this.config.record };
    if (generator === 'adversarial') this.checkAdversarial(count, target.javaStrings);
    const requested = step.requested ?? count;
    const rec = this.beginOps();
    const tries = { n: 0 };
    const next = (): string => (generator === 'sequential' ? this.gen.sequential() : generator === 'random' ? this.gen.random() : this.gen.adversarial(target, tries));
    let added = 0;
    let lastCheckWork = this.table.meter.work;
    let lastCheckTries = 0;
    let cancelled = false;
    for (; done < count; done++) {
      if (done % CHECK_KEYS === 0 || this.table.meter.work - lastCheckWork > CHECK_WORK || tries.n - lastCheckTries > CHECK_WORK) {
        if (ctx.cancelled) {
          cancelled = true;
          break;
        }
        lastCheckWork = this.table.meter.work;
        lastCheckTries = tries.n;
        ctx.progress(done / count, `inserted ${fmt(done)} of ${fmt(count)}`);
      }
      // Only the last few operations are shown, so only they take the recording path. A cancelled
      // bulk shows none: it did not know its last keys in time, and its replay must match it.
      const key = next();
      ahead?.(key);
      if (this.table.insert(key, requested - done <= OPS_SHOWN ? rec : null)) added++;
    }
    const partial = cancelled || done < requested;
    const recorded: HashTableStep = partial ? { type: 'bulkInsert', generator, count: done, requested } : { type: 'bulkInsert', generator, count };
    const label = partial ? `insert ${fmt(done)} of ${fmt(requested)} ${generator} keys (cancelled)` : `insert ${fmt(count)} ${generator} keys`;
    const dupes = done - added;
    const note = [
      partial ? `Inserted ${fmt(done)} of ${fmt(requested)} — cancelled.` : `Inserted ${fmt(added)} keys.`,
      dupes ? `${fmt(dupes)} generated keys were already present.` : '',
    ].filter(Boolean).join(' ');
    if (cancelled && done === 0) throw new UserError('Bulk insert cancelled before any key was inserted.');
    ctx.progress(1, note);
    this.lastOp = { label, total: done, ops: rec.last(OPS_SHOWN), note };
    return { step: recorded, label };
  }

  /**
   * Applies a change of settings. The table is rebuilt when its layout changes (strategy, size
   * policy, deletion, hash) or when its load falls outside the new bounds; otherwise it keeps its
   * slots and only follows the new policy from now on.
   */
  private reconfigure(step: HashTableStep, changes: Partial<HashTableConfig>, label: string): { step: HashTableStep; label: string } {
    const next: HashTableConfig = { ...this.config, ...changes };
    checkConfig(next);
    const from = this.table.size;
    const load = this.table.count / this.table.size;
    const fill = (this.table.count + this.table.tombstones) / this.table.size;
    const fits = fill <= next.maxLoad && (next.minLoad === 0 || load >= next.minLoad || this.table.size <= this.table.minSize);
    const rebuild = layoutChanged(this.config, next) || next.hash !== this.config.hash || next.seed !== this.config.seed || !fits;
    this.table = rebuild ? this.table.rebuild(settingsOf(next), hashOf(next, this.selected), this.batchHash(next)) : this.table.withSettings(settingsOf(next));
    this.config = next;
    const note = rebuild
      ? `Rebuilt: ${fmt(this.table.count)} keys rehashed from ${fmt(from)} into ${fmt(this.table.size)} ${this.unit()} in one pause.`
      : 'Same slots; the new policy applies from the next operation.';
    this.lastOp = { label, total: 0, ops: [], note };
    return { step, label };
  }

  private setRecordType(step: Extract<HashTableStep, { type: 'setRecordType' }>): { step: HashTableStep; label: string } {
    const record = step.record;
    if (record) {
      let bad: string | undefined;
      this.table.forEach((k) => {
        if (bad === undefined && k.split(',').length !== record.fields.length) bad = k;
      });
      if (bad !== undefined)
        throw new UserError(`The table holds keys that are not ${record.fields.join(',')} records (e.g. "${bad}"). Clear the table first, then set the record type.`);
    }
    const { record: _old, ...rest } = this.config;
    const next: HashTableConfig = record ? { ...rest, record } : rest;
    const label = record ? `record type {${record.fields.join(', ')}}, combine ${record.combine}` : 'plain string keys';
    this.table = this.table.rebuild(settingsOf(next), hashOf(next, this.selected), this.batchHash(next));
    this.config = next;
    this.gen = new KeyGenerators(this.gen.state(), record);
    this.lastOp = { label, total: 0, ops: [], note: `Rehashed ${fmt(this.table.count)} keys with the ${record ? `${record.combine} combine` : 'string hash'}.` };
    return { step, label };
  }

  // ───────────── a hash from the user's code ─────────────

  /** The user's hash when it hashes whole keys now (not when a record type hashes fields with it). */
  private selectedText(c: HashTableConfig = this.config): SelectedHash | undefined {
    return c.hash === SELECTED_HASH && !c.record ? this.selected : undefined;
  }

  /** Hashes a rebuild's keys in batches when the user's hash is in use. */
  private batchHash(c: HashTableConfig): ((keys: readonly string[]) => Uint32Array) | undefined {
    const selected = this.selectedText(c);
    return selected && ((keys) => selected.many(keys));
  }

  /**
   * The user's hash runs a batch at a time (one run in its sandbox costs tens of microseconds): when
   * a bulk insert reaches a key it has not hashed yet, that key goes with the next keys the
   * generator will yield (at most `left()` of them), which a copy of the generator predicts. The
   * adversarial search draws its candidates from the random generator, so it looks ahead the same
   * way; as it cannot know how many it will draw, a batch that fails is retried with the key alone,
   * so only a key the step really hashes can fail it.
   */
  private lookahead(kind: 'sequential' | 'random', left: () => number): ((key: string) => void) | undefined {
    const selected = this.selectedText();
    if (!selected) return undefined;
    return (key) => {
      if (selected.has(key)) return;
      const copy = new KeyGenerators(this.gen.state());
      const upcoming = [key];
      for (let i = Math.min(LOOKAHEAD, left()); i > 0; i--) upcoming.push(kind === 'sequential' ? copy.sequential() : copy.random());
      try {
        selected.prime(upcoming);
      } catch (e) {
        if (upcoming.length === 1) throw e;
        selected.prime([key]);
      }
    };
  }

  // ───────────── checks ─────────────

  private beginOps(): OpRecorder {
    this.rec.clear();
    return this.rec;
  }

  private unit(): string {
    return this.config.strategy === 'chaining' ? 'buckets' : 'slots';
  }

  private checkKeys(keys: readonly string[]): void {
    const record = this.config.record;
    if (record) for (const k of keys) recordFields(k, record);
  }

  private checkRoom(n: number): void {
    if (this.table.count + n > MAX_KEYS)
      throw new UserError(`The table holds ${fmt(this.table.count)} keys; ${fmt(n)} more would pass the limit of ${fmt(MAX_KEYS)}. Delete or clear keys first, or insert fewer.`);
  }

  private checkAdversarial(count: number, javaStrings: boolean): void {
    const colliding = javaStrings ? Math.min(this.gen.state().adversarial, JAVA_FAMILY_SIZE) + count : count;
    const cost = (colliding * colliding) / 2;
    const most = Math.floor(Math.sqrt(2 * COLLISION_BUDGET));
    if (cost > COLLISION_BUDGET)
      throw new UserError(`${fmt(count)} colliding keys would cost about ${cost.toExponential(1)} probes (each insert walks past every earlier colliding key); this inspector allows up to ${fmt(most)} colliding keys${javaStrings ? ' in all' : ' per bulk'}. Ask for fewer.`);
    if (!javaStrings && count * this.table.size > SEARCH_BUDGET)
      throw new UserError(`Finding ${fmt(count)} keys that collide in one of ${fmt(this.table.size)} buckets takes about ${fmt(count * this.table.size)} hash evaluations; the limit is ${fmt(SEARCH_BUDGET)}. Ask for at most ${fmt(Math.floor(SEARCH_BUDGET / this.table.size))} keys, or start from a smaller table.`);
  }

  // ───────────── view ─────────────

  /** Parts that scan the whole table, recomputed only when its contents or layout changed. */
  private derivedParts(): Pick<HashTableView, 'metrics' | 'buckets' | 'comparison'> {
    const d = this.derived;
    let parts = d?.parts;
    if (!d || d.table !== this.table || d.version !== this.table.version) {
      parts = { ...tableParts(this.table, this.missSample()), comparison: this.comparison() };
      this.derived = { table: this.table, version: this.table.version, parts };
    }
    // Operation counters move on every operation, even one that changes nothing (a lookup, a miss).
    const s = this.table.stats;
    return { ...parts!, metrics: { ...parts!.metrics, lastOpWork: s.lastOpWork, maxOpWork: s.maxOpWork, operations: s.ops } };
  }

  /** Absent keys of the table's key type, the same ones for as long as the configuration holds. */
  private missSample(): string[] {
    if (this.missKeys?.config === this.config) return this.missKeys.keys;
    const prng = new Prng(0x6d157);
    const fields = this.config.record?.fields.length;
    let keys = Array.from({ length: MISS_SAMPLE }, (_, i) =>
      // Negative field values and a control character keep the sample apart from generated keys.
      fields ? Array.from({ length: fields }, () => -1 - prng.int(65536)).join(',') : `\u0001miss:${i}`,
    );
    try {
      this.selectedText()?.prime(keys);
    } catch {
      // A user's hash that fails on these made-up keys leaves the miss metrics empty, not the view broken.
      keys = [];
    }
    this.missKeys = { config: this.config, keys };
    return keys;
  }

  private comparison(): ComparisonPart {
    const record = this.config.record;
    if (!record) return { active: false };
    const keys: string[] = [];
    this.table.forEach((k) => { if (keys.length < COMPARISON_SAMPLE) keys.push(k); });
    const combines: CombineStats[] = compareCombines(keys, record, textHash(this.config, this.selected), this.config.seed, (h) => this.table.home(h));
    return { active: true, fields: record.fields, current: record.combine, records: keys.length, sampled: this.table.count > keys.length, size: this.table.size, combines };
  }

  private configPart(): ConfigPart {
    const { customHash, ...c } = this.config;
    const shifts = c.strategy === 'linear' || c.strategy === 'robinhood';
    return {
      ...c,
      hashLabel: hashLabel(this.config),
      ...(customHash ? { customHashName: customHash.name } : {}),
      strategyLabel: STRATEGY_LABELS[c.strategy],
      seeded: isSeeded(this.config),
      effectiveDeletion: c.strategy === 'chaining' ? 'unlink' : shifts ? c.deletion : 'tombstone',
    };
  }

  private summary(m: HashTableView['metrics']): Summary {
    const c = this.config;
    const r = this.table.stats;
    const metrics: Metric[] = [
      { label: 'Keys', value: fmt(m.keys) },
      { label: 'Load factor', value: m.loadFactor.toFixed(2), tone: m.fillFactor > c.maxLoad ? 'warn' : 'normal', hint: `keys / ${this.unit()}; grows above ${c.maxLoad}` },
      { label: 'Probes (hit)', value: `${m.hit.avg.toFixed(2)} avg, ${fmt(m.hit.max)} max`, tone: m.hit.max > 32 ? 'bad' : m.hit.max > 8 ? 'warn' : 'good', hint: 'slots or chain nodes a successful lookup examines' },
      { label: 'Probes (miss)', value: `${m.miss.avg.toFixed(2)} avg, ${fmt(m.miss.max)} max`, hint: `over ${fmt(m.missSample)} absent keys` },
    ];
    if (c.strategy !== 'chaining') metrics.push({ label: 'Tombstones', value: fmt(m.tombstones), tone: m.tombstones > m.keys ? 'warn' : 'normal' });
    metrics.push({ label: 'Resizes', value: `${fmt(r.resizeCount)}, longest pause ${fmt(r.maxPause)}`, hint: 'work units (slots touched + keys moved) of the costliest single operation of any rehash' });
    return { title: 'Hash Table', subtitle: `${STRATEGY_LABELS[c.strategy]} · ${hashLabel(c)} · ${fmt(this.table.size)} ${this.unit()}`, metrics };
  }
}

/** Wraps the model as the InspectorModel the host and the CLI expect. */
export const hashTableFactory: ModelFactory<HashTableConfig, HashTableIntent, HashTableStep> = {
  kind: 'hashtable',
  title: 'Hash Table',
  configSchema: hashTableConfig,
  intentSchema: hashTableIntent,
  stepSchema: hashTableStep,
  defaults: () => ({ ...DEFAULT_CONFIG }),
  create: (config, options) => new HashTableModel(config, options),
  fromSession(file, options) {
    const model = new HashTableModel(file.config, options);
    model.replay(file);
    return model;
  },
};
