import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelFactory } from '../../../extension/engines/core/model';
import { noRunContext } from '../../../extension/engines/core/model';
import { hashTableFactory } from '../../../extension/engines/hashtable';
import { idempotencyFactory } from '../../../extension/engines/idempotency';
import { keepAliveFactory } from '../../../extension/engines/keepalive';
import { poolModelFactory } from '../../../extension/engines/pool';
import { ringFactory } from '../../../extension/engines/ring';
import { txnFactory } from '../../../extension/engines/txn';
import { explain, type Finding, openRequestFor, recognise } from '../../../extension/explain';
import { chiSquarePValue, expectedCollisions } from '../../../extension/explain/distribution/statistics';
import { loadCorpus } from './corpus';

const one = (text: string, lang: Parameters<typeof recognise>[1]): Finding => {
  const all = recognise(text, lang);
  assert.equal(all.length, 1, `expected one finding, got ${all.map((f) => f.concept).join(', ')}`);
  return all[0]!;
};

test('modulo sharding: hash % 4 moves about 80% of keys when a fifth server joins, a 160-vnode ring about 20%', async () => {
  const e = await explain(one('const SHARDS = 4;\nconst shard = (k: string) => crc32(k) % SHARDS;', 'typescript'));
  const moved = (id: string): number => e.measurements.find((m) => m.id === id)!.value;
  assert.ok(Math.abs(moved('moved-on-add-modulo') - 0.8) < 0.01, `modulo moved ${moved('moved-on-add-modulo')}`);
  assert.ok(Math.abs(moved('moved-on-add-ring') - 0.2) < 0.02, `ring moved ${moved('moved-on-add-ring')}`);
  assert.equal(moved('moved-ideal'), 0.2);
  assert.match(e.summary, /With n = 4, adding a fifth server moves 8\d\.\d% of keys \(measured on 100,000 sample keys\); a ring with 160 virtual nodes moves 2\d\.\d%/);
  assert.ok(e.measurements.every((m) => m.engine === 'ring'));
  assert.deepEqual(e.missing, []);
  assert.equal(e.open?.kind, 'ring');
});

test('an unknown shard count is measured with an example n and said so', async () => {
  const e = await explain(one('def shard(key, nodes):\n    return zlib.crc32(key) % len(nodes)', 'python'));
  assert.match(e.missing.join(' '), /not fixed in the selection; the numbers use n = 4 as an example/);
});

test('a Java HashMap sized for its entries resizes once; a presized one does not', async () => {
  const e = await explain(one('Map<String, Long> m = new HashMap<>(1000, 0.75f);', 'java'));
  const v = (id: string): number => e.measurements.find((m) => m.id === id)!.value;
  assert.equal(v('resizes'), 1);
  assert.equal(v('resizes-presized'), 0);
  assert.ok(v('keys-moved') > 700);
});

test('hash functions the engine knows are measured beside FNV-1a and Murmur3; others say how to measure them', async () => {
  const known = await explain(one('int djb2(String s) { int h = 5381; for (char c : s.toCharArray()) h = h * 33 + c; return h; }', 'java'));
  assert.ok(known.measurements.some((m) => m.id === 'selected-collisions'));
  assert.ok(known.measurements.some((m) => m.id === 'murmur3_32-avalanche-bias'));
  const own = await explain(one('function myHash(s) { let h = 7; for (let i = 0; i < s.length; i++) h = Math.imul(h, 131) + s.charCodeAt(i); return h >>> 0; }', 'javascript'));
  assert.equal(own.measurements.length, 0);
  assert.match(own.missing[0]!, /Use Selection as Hash Function/);
});

test('ordering: a shared queue runs messages out of order, routing by key does not', async () => {
  const e = await explain(one('for record in consumer:\n    pool.submit(handle, record)\npool = ThreadPoolExecutor(max_workers=4)', 'python'));
  const v = (id: string): number => e.measurements.find((m) => m.id === id)!.value;
  assert.ok(v('violations-shared') > 0);
  assert.equal(v('violations-keyed'), 0);
});

test('idempotency: no check double-charges, SET NX does not but loses crashed payments, the strong check neither', async () => {
  const e = await explain(one('r.set(f"pay:{m.id}", 1, nx=True, ex=3600)', 'python'));
  const v = (id: string): number => e.measurements.find((m) => m.id === id)!.value;
  assert.ok(v('slipped-off') > 0);
  assert.equal(v('slipped-strong'), 0);
  assert.equal(v('lost-strong'), 0);
  assert.ok(v('lost-weak') > 0);
});

test('transactions: the explorer finds what a planted non-idempotent compensation breaks; a local transaction is not explored', async () => {
  const saga = await explain(recognise(loadCorpus().find((c) => c.file === 'python/saga.py')!.text, 'python')[0]!);
  const v = (id: string): number => saga.measurements.find((m) => m.id === id)!.value;
  assert.ok(v('explored-runs') > 10);
  assert.equal(v('explored-violations'), 0);
  assert.ok(v('variant-violations') > 0);
  const local = await explain(one('tx, _ := db.Begin()\ntx.Exec("UPDATE stock SET n = n - 1")\ntx.Commit()\ntx.Rollback()', 'go'));
  assert.equal(local.measurements.length, 0);
  assert.match(local.missing[0]!, /atomic on its own/);
  assert.equal(local.open, null);
});

test('a pool that never recycles fails queries after the server\'s wait_timeout; validation on borrow prevents it', async () => {
  const e = await explain(one('engine = create_engine("mysql+pymysql://app@db/shop", pool_size=5)', 'python'));
  const v = (id: string): number => e.measurements.find((m) => m.id === id)!.value;
  assert.ok(v('stale-failures') > 0);
  assert.equal(v('stale-failures-guarded'), 0);
  assert.match(e.missing[0]!, /MySQL's default, 28800 s/);
  const pg = await explain(one('const pool = new Pool({ max: 5 });', 'javascript'));
  assert.equal(pg.measurements.length, 0);
  assert.match(pg.missing[0]!, /does not close idle connections by default/);
});

test('keep-alive without sockets explains from the settings alone', async () => {
  const e = await explain(one('const a = new http.Agent({ keepAlive: true, maxSockets: 10 });', 'typescript'), { realTime: false });
  assert.equal(e.measurements.length, 0);
  assert.match(e.summary, /at most 10 connections per host/);
});

const FACTORIES: Record<string, ModelFactory<any, any, any>> = { pool: poolModelFactory, ring: ringFactory, hashtable: hashTableFactory, keepalive: keepAliveFactory, idempotency: idempotencyFactory, txn: txnFactory };

test('every open request from the corpus fits its inspector\'s protocol, and one per kind runs on the real model', async () => {
  let checked = 0;
  const ran = new Set<string>();
  for (const c of loadCorpus()) {
    for (const f of recognise(c.text, c.lang)) {
      const req = openRequestFor(f);
      if (!req) continue;
      assert.ok(req.title.startsWith('Open '), req.title);
      const factory = FACTORIES[req.kind]!;
      const config = factory.configSchema.parse({ ...factory.defaults(), ...req.config });
      assert.ok(config.ok, `${c.file}: ${req.kind} config: ${!config.ok && config.error}`);
      for (const intent of req.intents) {
        const r = factory.intentSchema.parse(intent);
        assert.ok(r.ok, `${c.file}: ${req.kind} intent ${JSON.stringify(intent)}: ${!r.ok && r.error}`);
      }
      // One request per kind goes through the real model (keep-alive's would open sockets, txn's explores).
      if ((req.kind === 'ring' || req.kind === 'hashtable' || req.kind === 'idempotency' || req.kind === 'pool') && !ran.has(req.kind)) {
        ran.add(req.kind);
        const model = factory.create(config.ok ? config.value : undefined);
        for (const intent of req.intents) await model.dispatch(intent, noRunContext);
        assert.equal(model.view().timeline.length, req.intents.length, `${c.file}: every intent is one step`);
        await model.dispose?.();
      }
      checked++;
    }
  }
  assert.ok(checked >= 40, `only ${checked} open requests checked`);
});

test('statistics: chi-square p-values and expected collisions match known values', () => {
  assert.ok(Math.abs(chiSquarePValue(3.841, 1) - 0.05) < 1e-3);
  assert.ok(Math.abs(chiSquarePValue(18.307, 10) - 0.05) < 1e-3);
  assert.ok(Math.abs(chiSquarePValue(1023, 1023) - 0.49) < 0.01);
  assert.ok(Math.abs(expectedCollisions(20_000, 2 ** 32) - 0.0466) < 1e-3);
  assert.ok(Math.abs(expectedCollisions(1000, 1000) - 367.7) < 0.5);
});
