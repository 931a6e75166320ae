/**
 * The Hash Ring inspector's model: a server list under one placement scheme, a key set, and the
 * timeline of changes. Every membership change (add, remove, fail, recover, weight) and every
 * change of scheme, hash, vnodes or ε is one step that carries its movement report.
 *
 * Steps are commands, redone exactly on seek; two are resolved when first dispatched so that redo
 * is exact: a key insertion records the seed it drew, a comparison records what it measured
 * (lookup times come from the clock and would differ on a rerun).
 *
 * Owners of the keys are derived state: recomputed (lazily) after a restore rather than kept in
 * snapshots, so a snapshot costs the same with a million keys as with ten.
 */
import type { Clock } from '../core/clock';
import { systemClock } from '../core/clock';
import { InspectorModel, ModelFactory, ModelOptions, RunContext, UserError, noRunContext, timelineView } from '../core/model';
import type { Metric } from '../core/model';
import { Prng, PrngState } from '../core/prng';
import { arr, bool, int, lit, num, obj, optional, tagged } from '../core/schema';
import type { Infer } from '../core/schema';
import { SessionFile, makeSessionFile } from '../core/sessionFile';
import { Timeline } from '../core/timeline';
import type { HashRef } from '../hashing';
import { SelectedHash } from '../hashing/selectedHash';
import { SELECTED_HASH } from '../hashing/selectedHashSource';
import {
  ComparisonPart, MovementReport, RING_LIMITS, RingConfig, RingIntent, RingView, SCHEME_NAMES, defaultRingConfig, ringConfigSchema, ringIntentFields, ringIntentSchema,
} from '../../protocol/ring';
import { compareSchemes } from './comparison';
import { KeyBatch, KeySet } from './keySet';
import { ChangeInfo, balanceOf, movementReport } from './movement';
import { Router } from './router';
import { keysPart, layoutPart, loadPart, probePart, settingsPart } from './ringView';
import { SCHEMES } from './schemes';
import type { ServerSpec } from './servers';

export const RING_KIND = 'ring';

const comparisonSchema = obj({
  keys: int({ min: 0 }),
  servers: int({ min: 0 }),
  step: int({ min: 0 }),
  partial: bool(),
  rows: arr(
    obj({
      scheme: lit(...SCHEME_NAMES),
      movedOnAdd: num({ min: 0, max: 1 }),
      idealOnAdd: num({ min: 0, max: 1 }),
      wrongOnAdd: int({ min: 0 }),
      movedOnRemove: num({ min: 0, max: 1 }),
      idealOnRemove: num({ min: 0, max: 1 }),
      wrongOnRemove: int({ min: 0 }),
      maxOverMean: num({ min: 0 }),
      cv: num({ min: 0 }),
      lookupNs: num({ min: 0 }),
      memoryBytes: int({ min: 0 }),
      monotone: bool(),
    }),
    { max: SCHEME_NAMES.length },
  ),
});

/** What the timeline records: the intents, with a drawn seed and measured comparisons filled in. */
export const ringStepSchema = tagged('type', {
  ...ringIntentFields,
  insertKeys: obj({ count: int({ min: 1, max: RING_LIMITS.maxKeys }), seed: int({ min: 0, max: 0xffffffff }), drawn: optional(bool()) }),
  compareSchemes: obj({ result: comparisonSchema }),
});
export type RingStep = Infer<typeof ringStepSchema>;

interface RingSnapshot {
  scheme: RingConfig['scheme'];
  servers: readonly ServerSpec[];
  options: Router['options'];
  replicas: number;
  keys: KeySet;
  prng: PrngState;
  palette: readonly string[];
  movement: MovementReport | null;
  moved: readonly number[];
  comparison: ComparisonPart | null;
  probe: string | null;
}

interface Applied {
  label: string;
  cost: number;
}

const count = (n: number): string => n.toLocaleString('en-US');
const pct = (f: number): string => `${(f * 100).toFixed(f > 0 && f < 0.001 ? 3 : 1)}%`;

export class RingModel implements InspectorModel<RingIntent, RingView> {
  private router: Router;
  private replicas: number;
  private keys = KeySet.empty;
  private prng: Prng;
  /** Every server name the session has seen, in order: a server's colour is its index here. */
  private palette: string[];
  private movement: MovementReport | null = null;
  /** Indices of the keys the last change moved (small key sets only), for the dots. */
  private moved = new Set<number>();
  private comparison: ComparisonPart | null = null;
  private probe: string | null = null;
  /** Owner of every key under `router`; undefined until needed after a restore. */
  private owners: Int32Array | undefined;
  private readonly timeline: Timeline<RingStep, RingSnapshot>;
  private cachedView: RingView | undefined;
  /** The hash function from the user's code, when the session carries one (see ModelOptions). */
  private readonly selected: SelectedHash | undefined;

  constructor(private readonly config: RingConfig, private readonly clock: Clock = systemClock, options: ModelOptions = {}) {
    if (config.scheme === 'ketama' && config.vnodes % 4 !== 0)
      throw new UserError(`ketama needs a multiple of 4 points per server (got ${config.vnodes}); libketama uses 160.`);
    this.selected = config.customHash ? SelectedHash.load(config.customHash, options) : undefined;
    this.router = Router.build(config.scheme, config.servers, { vnodes: config.vnodes, hash: this.hashRef(config.hash), epsilon: config.epsilon });
    this.replicas = config.replicas;
    this.prng = new Prng(config.seed);
    this.palette = this.router.servers.map((s) => s.name);
    this.timeline = new Timeline<RingStep, RingSnapshot>(
      { snapshot: () => this.snapshot(), restore: (s) => this.restore(s), redo: (step) => this.redo(step) },
      { snapshotCost: 1_000_000 },
    );
  }

  static fromSession(file: SessionFile<RingConfig, RingStep>, clock: Clock = systemClock, options: ModelOptions = {}): RingModel {
    const model = new RingModel(file.config, clock, options);
    file.steps.forEach((step, i) => {
      let applied: Applied | undefined;
      try {
        applied = model.apply(step, noRunContext);
      } catch (e) {
        throw new UserError(`This session cannot be replayed: step ${i + 1} ("${file.labels[i]}") fails: ${(e as Error).message}`);
      }
      model.timeline.record(step, file.labels[i]!, applied!.cost);
    });
    model.seek(file.cursor);
    return model;
  }

  dispatch(intent: RingIntent, ctx: RunContext): void {
    let step: RingStep;
    if (intent.type === 'insertKeys') {
      // Peek rather than draw: a cancelled insert must leave the generator where it was.
      step = intent.seed !== undefined ? { ...intent, seed: intent.seed } : { ...intent, seed: new Prng(this.prng.state()).nextU32(), drawn: true };
    } else if (intent.type === 'compareSchemes') {
      const result = compareSchemes({ servers: this.router.servers, options: this.router.options, keys: this.keys }, this.clock, ctx);
      if (result.rows.length === 0) throw new UserError('Comparing schemes was cancelled before any scheme was measured; nothing changed.');
      const live = this.router.servers.filter((s) => s.alive).length;
      step = { type: 'compareSchemes', result: { keys: this.keys.size, servers: live, step: this.timeline.length + 1, rows: result.rows, partial: result.partial } };
    } else {
      step = intent;
    }
    const applied = this.apply(step, ctx);
    if (!applied) throw new UserError(`"${describe(intent)}" was cancelled; nothing changed.`);
    this.timeline.record(step, applied.label, applied.cost);
    this.cachedView = undefined;
  }

  seek(step: number): void {
    this.timeline.seek(step);
    this.cachedView = undefined;
  }

  exportSession(): SessionFile<RingConfig, RingStep> {
    return makeSessionFile(RING_KIND, this.config, this.timeline.steps(), this.timeline.labels(), this.timeline.cursor);
  }

  view(): RingView {
    this.cachedView ??= this.render();
    return this.cachedView;
  }

  /** The router as it stands: for the CLI, tests and the host's quick picks. */
  get current(): Router {
    return this.router;
  }

  get keySet(): KeySet {
    return this.keys;
  }

  /** Applies one resolved step; undefined if cancelled part way (and then nothing changed). */
  private apply(step: RingStep, ctx: RunContext): Applied | undefined {
    const r = this.router;
    switch (step.type) {
      case 'addServer': {
        const w = step.weight ?? 1;
        return this.change(r.add(step.name, w), { change: 'add', label: `add ${step.name}${w !== 1 ? ` (weight ${w})` : ''}`, server: step.name }, ctx);
      }
      case 'removeServer':
        return this.change(r.remove(step.name), { change: 'remove', label: `remove ${step.name}`, server: step.name }, ctx);
      case 'failServer':
        return this.change(r.fail(step.name), { change: 'fail', label: `fail ${step.name}`, server: step.name }, ctx);
      case 'recoverServer':
        return this.change(r.recover(step.name), { change: 'recover', label: `recover ${step.name}`, server: step.name }, ctx);
      case 'setWeight':
        return this.change(r.setWeight(step.name, step.weight), { change: 'weight', label: `weight of ${step.name} → ${step.weight}`, server: step.name }, ctx);
      case 'setVnodes':
        if (r.schemeName === 'ketama' && step.vnodes % 4 !== 0)
          throw new UserError(`ketama places four points per MD5 digest, so its points per server must be a multiple of 4 (got ${step.vnodes}).`);
        return this.change(r.withOptions({ vnodes: step.vnodes }), { change: 'vnodes', label: `vnodes → ${step.vnodes}` }, ctx);
      case 'setScheme':
        if (step.scheme === 'ketama' && r.options.vnodes % 4 !== 0)
          throw new UserError(`ketama needs a multiple of 4 points per server, and the session has ${r.options.vnodes} vnodes. Set the virtual nodes to a multiple of 4 (libketama uses 160) first.`);
        return this.change(r.withScheme(step.scheme), { change: 'scheme', label: `scheme → ${step.scheme}` }, ctx);
      case 'setHash':
        return this.change(r.withOptions({ hash: this.hashRef(step.hash) }), { change: 'hash', label: `hash → ${step.hash === SELECTED_HASH ? this.selected!.label : step.hash}` }, ctx);
      case 'setEpsilon':
        return this.change(r.withOptions({ epsilon: step.epsilon }), { change: 'epsilon', label: `ε → ${step.epsilon}` }, ctx);
      case 'setReplicas':
        this.replicas = step.replicas;
        return { label: `replicas → ${step.replicas}`, cost: 1 };
      case 'insertKeys': {
        const applied = this.insert({ kind: 'generated', seed: step.seed, count: step.count }, `insert ${count(step.count)} keys (seed ${step.seed})`, ctx);
        if (applied && step.drawn) this.prng.nextU32();
        return applied;
      }
      case 'insertKeyList':
        return this.insert({ kind: 'explicit', keys: step.keys }, step.keys.length === 1 ? `insert ${step.keys[0]}` : `insert ${count(step.keys.length)} keys`, ctx);
      case 'clearKeys':
        this.setKeys(KeySet.empty);
        this.owners = new Int32Array(0);
        this.movement = null;
        this.moved = new Set();
        return { label: 'clear keys', cost: 1 };
      case 'probeKey':
        // Hashed here, so a user's hash that fails on this key fails the step, not the view.
        r.keyHash(step.key);
        this.probe = step.key;
        return { label: `probe ${step.key}`, cost: 1 };
      case 'compareSchemes':
        this.comparison = step.result;
        return { label: step.result.partial ? 'compare schemes (cancelled part way)' : 'compare schemes', cost: 1 };
    }
  }

  /** The hash a session names, as the schemes take it: "custom" is the user's function. */
  private hashRef(name: RingConfig['hash']): HashRef {
    if (name !== SELECTED_HASH) return name;
    if (!this.selected)
      throw new UserError('This ring has no hash function from your code to use. Select a JavaScript or TypeScript hash function in an editor and run "DS Inspector: Use Selection as Hash Function".');
    return this.selected;
  }

  private change(next: Router, info: ChangeInfo, ctx: RunContext): Applied | undefined {
    const before = this.currentOwners(ctx);
    const after = before && next.assign(this.keys, ctx);
    if (!before || !after) return undefined;
    const moved: number[] = [];
    this.movement = movementReport(info, { servers: this.router.servers, owners: before }, { servers: next.servers, owners: after }, this.keys, moved);
    this.moved = new Set(moved);
    this.router = next;
    this.owners = after;
    for (const s of next.servers) if (!this.palette.includes(s.name)) this.palette.push(s.name);
    return { label: info.label, cost: this.keys.size + 1 };
  }

  private insert(batch: KeyBatch, label: string, ctx: RunContext): Applied | undefined {
    const next = this.keys.with(batch);
    if (next.size > RING_LIMITS.maxKeys)
      throw new UserError(`That would make ${count(next.size)} keys; the inspector holds up to ${count(RING_LIMITS.maxKeys)}. Clear the keys or insert fewer.`);
    const owners = this.router.assign(next, ctx);
    if (!owners) return undefined;
    this.setKeys(next);
    this.owners = owners;
    this.moved = new Set();
    return { label, cost: batch.kind === 'generated' ? batch.count : batch.keys.length };
  }

  private setKeys(next: KeySet): void {
    // Only the current key set keeps its hashes; older ones recompute them if a seek needs them.
    if (next !== this.keys) this.keys.releaseCaches();
    this.keys = next;
  }

  private currentOwners(ctx: RunContext): Int32Array | undefined {
    this.owners ??= this.router.assign(this.keys, ctx);
    return this.owners;
  }

  private redo(step: RingStep): void {
    if (!this.apply(step, noRunContext)) throw new Error(`redo of "${step.type}" did not complete`);
  }

  private snapshot(): RingSnapshot {
    return {
      scheme: this.router.schemeName,
      servers: this.router.servers,
      options: this.router.options,
      replicas: this.replicas,
      keys: this.keys,
      prng: this.prng.state(),
      palette: [...this.palette],
      movement: this.movement,
      moved: [...this.moved],
      comparison: this.comparison,
      probe: this.probe,
    };
  }

  private restore(s: RingSnapshot): void {
    this.router = Router.build(s.scheme, s.servers, s.options);
    this.replicas = s.replicas;
    this.setKeys(s.keys);
    this.owners = undefined;
    this.prng = new Prng(s.prng);
    this.palette = [...s.palette];
    this.movement = s.movement;
    this.moved = new Set(s.moved);
    this.comparison = s.comparison;
    this.probe = s.probe;
  }

  private render(): RingView {
    const owners = this.currentOwners(noRunContext)!;
    const hashes = this.keys.hashes(this.router.scheme.keyHash, noRunContext)!;
    const balance = balanceOf({ servers: this.router.servers, owners });
    return {
      summary: this.summary(balance.maxOverMean),
      timeline: timelineView(this.timeline),
      settings: settingsPart(this.router, this.replicas, this.selected),
      layout: layoutPart(this.router, this.palette),
      keys: keysPart(this.keys, hashes, owners, this.router.servers.length, this.moved),
      load: loadPart(balance),
      movement: this.movement,
      comparison: this.comparison,
      probe: this.probe === null ? null : probePart(this.router, this.probe, this.replicas),
    };
  }

  private summary(maxOverMean: number): RingView['summary'] {
    const servers = this.router.servers;
    const live = servers.filter((s) => s.alive).length;
    const metrics: Metric[] = [
      { label: 'Keys', value: count(this.keys.size) },
      { label: 'Servers', value: `${live}/${servers.length} live`, tone: live < servers.length ? 'warn' : 'normal', hint: 'Live servers out of all listed; failed servers keep their place but serve nothing.' },
    ];
    if (this.keys.size > 0)
      metrics.push({
        label: 'Max/mean',
        value: maxOverMean.toFixed(2),
        tone: maxOverMean <= 1.15 ? 'good' : maxOverMean <= 1.5 ? 'warn' : 'bad',
        hint: 'Keys on the busiest server over its fair share; 1.00 is perfectly even.',
      });
    const m = this.movement;
    if (m)
      metrics.push({
        label: 'Last change moved',
        value: `${pct(m.fraction)} (ideal ${pct(m.ideal)})`,
        tone: m.wrongMoves > 0 || m.fraction > m.ideal * 1.1 + 0.005 ? (m.fraction > 2 * m.ideal + 0.01 ? 'bad' : 'warn') : 'good',
        hint: `${count(m.moved)} of ${count(m.total)} keys moved on "${m.label}"; ${count(m.wrongMoves)} moved between servers that were live before and after.`,
      });
    return {
      title: 'Hash Ring',
      subtitle: `${SCHEMES[this.router.schemeName].label} · ${servers.length} servers · ${count(this.keys.size)} keys`,
      metrics,
    };
  }
}

function describe(intent: RingIntent): string {
  switch (intent.type) {
    case 'insertKeys': return `insert ${count(intent.count)} keys`;
    case 'compareSchemes': return 'compare schemes';
    default: return 'name' in intent ? `${intent.type} ${intent.name}` : intent.type;
  }
}

export const ringFactory: ModelFactory<RingConfig, RingIntent, RingStep> = {
  kind: RING_KIND,
  title: 'Hash Ring',
  configSchema: ringConfigSchema,
  intentSchema: ringIntentSchema,
  stepSchema: ringStepSchema,
  defaults: defaultRingConfig,
  create: (config, options) => new RingModel(config, systemClock, options),
  fromSession: (file, options) => RingModel.fromSession(file, systemClock, options),
};
