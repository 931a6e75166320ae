/**
 * Idempotency keys: a claim in Redis (`SET key value NX EX ttl` in any client's spelling, SETNX,
 * Spring's setIfAbsent, go-redis SetNX) or a unique row in SQL (INSERT … ON CONFLICT DO NOTHING
 * into a processed-messages table). A SET without NX is a cache write, and a key that names a
 * lock is a mutex, not an idempotency key: neither is reported.
 * Risks: `setnx-expire-not-atomic`, `no-ttl`, `ttl-bounds-dedup-window`, `claim-before-effect`,
 * `weak-check-for-money`.
 */
import type { FindingOf, IdempotencyParams, Risk } from '../finding';
import type { Call, Facts } from '../syntax/facts';
import { evalBool, evalDurationMs, evalNumber, evalTemplate } from '../syntax/evaluate';
import { type Expr, lastName, type Span, walk } from '../syntax/tree';
import { cover, finding, type Recogniser } from './common';

const LOCK_KEY = /lock|mutex|leader|semaphore|lease/i;
const MONEY = /pay|charge|refund|transfer|balance|wallet|invoice|order|billing|debit|credit/i;
const DEDUP_TABLE = /idempot|processed|dedup|inbox|seen_messages|handled/i;

interface Claim {
  span: Span;
  command: string;
  key: Expr | undefined;
  ttlSeconds: number | null;
  atomic: boolean;
  store: IdempotencyParams['store'];
}

export const idempotency: Recogniser = {
  concept: 'idempotency',
  recognise(facts) {
    const claims: Claim[] = [];
    for (const c of facts.calls) {
      const claim = redisClaim(facts, c);
      if (claim) claims.push(claim);
    }
    claims.push(...sqlClaims(facts));
    const out: FindingOf<'idempotency'>[] = [];
    for (const claim of claims) {
      const keyShape = claim.key ? evalTemplate(claim.key, facts.scope, facts.unit.text) ?? `{${facts.excerpt(claim.key.span, 60)}}` : null;
      if (keyShape !== null && LOCK_KEY.test(keyShape)) continue;
      if (keyShape === null && claim.key && LOCK_KEY.test(facts.text(claim.key.span))) continue;
      out.push(finding(facts, 'idempotency', claim.span, claim.store === 'sql' ? 0.85 : 0.9, {
        store: claim.store, command: claim.command, keyShape, ttlSeconds: claim.ttlSeconds, atomic: claim.atomic,
      }, risks(facts, claim)));
    }
    return out;
  },
};

/** Flags and their values from a flat argument list: ('NX', 'EX', 60), or a raw command array. */
function flagsOf(args: Expr[], facts: Facts): { nx: boolean; ttl: number | null } {
  let nx = false;
  let ttl: number | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.k !== 'str') continue;
    const f = a.value.toUpperCase();
    if (f === 'NX') nx = true;
    if ((f === 'EX' || f === 'PX') && args[i + 1]) {
      const n = evalNumber(args[i + 1], facts.scope);
      if (n !== null) ttl = f === 'EX' ? n : n / 1000;
    }
  }
  return { nx, ttl };
}

function redisClaim(facts: Facts, c: Call): Claim | null {
  const name = lastName(c.callee) ?? '';
  const args = c.args.map((a) => a.value);
  const lower = name.toLowerCase();
  // A raw command: redis.call('SET', k, v, 'NX', 'EX', 60), sendCommand(['SET', …]), execute_command('SET', …).
  const raw = args[0]?.k === 'list' ? args[0].items : args;
  if (raw[0]?.k === 'str' && raw[0].value.toUpperCase() === 'SET' && /^(call|pcall|sendcommand|send_command|execute_command|do|command|eval)$/.test(lower)) {
    const { nx, ttl } = flagsOf(raw.slice(3), facts);
    if (!nx) return null;
    return { span: c.span, command: ttl !== null ? 'SET NX EX' : 'SET NX', key: raw[1], ttlSeconds: ttl, atomic: true, store: 'redis' };
  }
  if (lower === 'set' && args.length >= 3) {
    const rest = args.slice(2);
    let { nx, ttl } = flagsOf(rest, facts);
    const kw = c.args.filter((a) => a.name);
    // redis-py: set(k, v, nx=True, ex=60); node-redis: set(k, v, { NX: true, EX: 60 }); Jedis: SetParams…nx().ex(60).
    for (const a of kw) {
      if (a.name === 'nx' && evalBool(a.value, facts.scope)) nx = true;
      if (a.name === 'ex' || a.name === 'px') {
        const ms = evalDurationMs(a.value, facts.scope, a.name === 'ex' ? 1000 : 1);
        if (ms !== null) ttl = ms / 1000;
      }
    }
    for (const r of rest) {
      if (r.k === 'record') {
        for (const e of r.entries) {
          if (e.key?.toUpperCase() === 'NX' && evalBool(e.value, facts.scope)) nx = true;
          if (e.key?.toUpperCase() === 'EX') ttl = evalNumber(e.value, facts.scope);
          if (e.key?.toUpperCase() === 'PX') { const n = evalNumber(e.value, facts.scope); ttl = n === null ? null : n / 1000; }
          if (e.key === 'condition' && e.value.k === 'str' && e.value.value.toUpperCase() === 'NX') nx = true;
        }
      }
      if (r.k === 'call') {
        walk(r, (x) => {
          if (x.k !== 'call') return;
          const n = lastName(x.callee);
          if (n === 'nx') nx = true;
          if ((n === 'ex' || n === 'px') && x.args[0]) { const v = evalNumber(x.args[0].value, facts.scope); if (v !== null) ttl = n === 'ex' ? v : v / 1000; }
        });
      }
    }
    if (!nx) return null;
    return { span: c.span, command: ttl !== null ? 'SET NX EX' : 'SET NX', key: args[0], ttlSeconds: ttl, atomic: true, store: 'redis' };
  }
  if (lower === 'setnx' || lower === 'setifabsent') {
    // go-redis SetNX(ctx, key, value, ttl) and Spring setIfAbsent(key, value, timeout[, unit]) carry the TTL in the same call.
    const goCtx = facts.lang === 'go' && args.length >= 3 && args[0]!.k === 'name' && /ctx|context/i.test(args[0].name) ? 1 : 0;
    const key = args[goCtx];
    const ttlArg = args[goCtx + 2];
    let ttl: number | null = null;
    if (ttlArg) {
      const unit = args[goCtx + 3] ? evalDurationMs(args[goCtx + 3], facts.scope) : null;
      const ms = evalDurationMs(ttlArg, facts.scope, unit ?? (facts.lang === 'go' ? 1e-6 : 1000));
      ttl = ms === null ? null : ms / 1000;
    }
    if (ttl !== null && ttl > 0) return { span: c.span, command: name === 'setIfAbsent' ? 'setIfAbsent with timeout' : 'SETNX with TTL', key, ttlSeconds: ttl, atomic: true, store: 'redis' };
    // The expiry, if any, comes in a second command: EXPIRE on the same key.
    const expire = facts.calls.find((e) => e !== c && /^(expire|pexpire|expireat|pexpireat|Expire|PExpire)$/.test(lastName(e.callee) ?? '') && e.span.start > c.span.start && sameKey(facts, key, e));
    if (expire) {
      const eargs = expire.args.map((a) => a.value);
      const off = facts.lang === 'go' && eargs[0]?.k === 'name' && /ctx|context/i.test(eargs[0].name) ? 1 : 0;
      const unitArg = eargs[off + 2] ? evalDurationMs(eargs[off + 2], facts.scope) : null;
      const ms = evalDurationMs(eargs[off + 1], facts.scope, unitArg ?? (facts.lang === 'go' ? 1e-6 : /^p/i.test(lastName(expire.callee) ?? '') ? 1 : 1000));
      return { span: cover([c.span, expire.span]), command: 'SETNX + EXPIRE', key, ttlSeconds: ms === null ? null : ms / 1000, atomic: false, store: 'redis' };
    }
    return { span: c.span, command: name === 'setIfAbsent' ? 'setIfAbsent' : 'SETNX', key, ttlSeconds: null, atomic: true, store: 'redis' };
  }
  if (facts.lang === 'go' && name === 'SetArgs' && args.length >= 4 && args[3]!.k === 'record') {
    const rec = args[3] as Extract<Expr, { k: 'record' }>;
    const mode = rec.entries.find((e) => e.key === 'Mode')?.value;
    if (mode?.k !== 'str' || mode.value.toUpperCase() !== 'NX') return null;
    const ttlE = rec.entries.find((e) => e.key === 'TTL')?.value;
    const ms = ttlE ? evalDurationMs(ttlE, facts.scope, 1e-6) : null;
    return { span: c.span, command: ms ? 'SET NX EX' : 'SET NX', key: args[1], ttlSeconds: ms === null ? null : ms / 1000, atomic: true, store: 'redis' };
  }
  return null;
}

function sameKey(facts: Facts, key: Expr | undefined, expire: Call): boolean {
  if (!key) return false;
  const text = facts.text(key.span);
  return expire.args.some((a) => facts.text(a.value.span) === text);
}

/** INSERT into a dedup table guarded by a unique key: the strong, durable form of the check. */
function sqlClaims(facts: Facts): Claim[] {
  const out: Claim[] = [];
  for (const s of facts.strings) {
    const m = /insert\s+(?:ignore\s+)?into\s+[`"]?(\w+)/i.exec(s.value);
    if (!m || !DEDUP_TABLE.test(m[1]!)) continue;
    const guarded = /on\s+conflict|on\s+duplicate\s+key|insert\s+ignore|unique/i.test(s.value) || facts.hasName(/DuplicateKey|IntegrityError|UniqueViolation|unique/i) || /23505|ER_DUP_ENTRY|1062/.test(facts.unit.text);
    if (!guarded) continue;
    out.push({ span: s.span, command: `INSERT into ${m[1]} (unique key)`, key: undefined, ttlSeconds: null, atomic: true, store: 'sql' });
  }
  return out;
}

function risks(facts: Facts, claim: Claim): Risk[] {
  const out: Risk[] = [];
  if (claim.store === 'redis') {
    if (!claim.atomic)
      out.push({
        id: 'setnx-expire-not-atomic',
        severity: 'error',
        message: 'SETNX and EXPIRE are two commands: if the process dies between them, the key never expires and every retry of that message is dropped forever. Use one SET key value NX EX ttl.',
      });
    else if (claim.ttlSeconds === null)
      out.push({
        id: 'no-ttl',
        severity: 'warning',
        message: 'The key is claimed without an expiry: it stays in Redis forever, and a message whose processing failed after the claim can never be retried.',
      });
    if (claim.ttlSeconds !== null)
      out.push({
        id: 'ttl-bounds-dedup-window',
        severity: 'info',
        message: `Duplicates are caught only while the key lives (${claim.ttlSeconds} s): a redelivery later than that is processed again. The TTL must exceed the broker's longest redelivery delay.`,
      });
    const releases = facts.calls.some((c) => /^(del|delete|unlink|Del|Delete)$/.test(lastName(c.callee) ?? ''));
    if (!releases)
      out.push({
        id: 'claim-before-effect',
        severity: 'warning',
        message: 'The key is claimed before the work is done and never released on failure: if processing throws, the retry finds the key and skips the message, so the effect is lost.',
      });
    const fn = facts.functionAt(claim.span);
    if (MONEY.test(fn?.name ?? '') || MONEY.test(facts.text(claim.span)))
      out.push({
        id: 'weak-check-for-money',
        severity: 'warning',
        message: 'A SET NX marker is a weak check for money-like effects: a concurrent duplicate during processing is answered with nothing, and a payload change under the same key goes unnoticed. Store state (in progress / done), a payload fingerprint and the result.',
      });
  }
  return out;
}
