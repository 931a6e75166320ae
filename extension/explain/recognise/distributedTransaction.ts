/**
 * Transactions, local and distributed: BEGIN…COMMIT (in SQL or through a driver's API,
 * @Transactional, Django's atomic), XA two-phase commit (XA START/END/PREPARE/COMMIT or an
 * XAResource), sagas (step lists with compensations; Eventuate, Temporal and hand-written
 * orchestrators), TCC (try/confirm/cancel) and the transactional outbox. A Kafka offset commit or a
 * git commit is not a transaction and is not reported.
 * Risks: `dual-write`, `no-rollback`, `xa-no-recovery`, `xa-commit-without-prepare`,
 * `missing-compensation`, `compensation-must-be-idempotent`, `outbox-at-least-once`, `tcc-empty-cancel`.
 */
import type { DistributedTransactionParams, FindingOf, Risk } from '../finding';
import type { Call, Facts } from '../syntax/facts';
import { contains, dotted, type Expr, lastName, type RecordEntry, type Span } from '../syntax/tree';
import { cover, finding, type Recogniser } from './common';

const BEGIN_CALLS = /^(beginTransaction|begin|Begin|BeginTx|startTransaction|begin_nested|transaction|\$transaction|atomic)$/;
const COMMIT_CALLS = /^(commit|Commit|commitTransaction)$/;
const ROLLBACK_CALLS = /^(rollback|Rollback|rollbackTransaction)$/;
/** Receivers whose commit is not a database transaction's. */
const NOT_A_DATABASE = /consumer|producer|kafka|git|repo|offset|stream|index|writer/i;
const ACTION_KEYS = /^(action|execute|do|invoke|run|forward|handler|fn|func|perform|apply|Action|Func|Execute|Do)$/;
const COMPENSATION_KEYS = /^(compensat\w*|Compensat\w*|undo|Undo|rollback|Rollback|revert|Revert|cancel|onRollback)$/;
const NAME_KEYS = /^(name|Name|id|title|label)$/;
const PUBLISH = /^(send|publish|produce|emit|sendMessage|publishEvent|convertAndSend|basicPublish|xadd|lpush|rpush|sendAndWait|Publish|Produce|Send|WriteMessages|send_message|basic_publish)$/;
const OUTBOUND_RECEIVER = /producer|kafka|rabbit|channel|bus|queue|sqs|sns|publisher|broker|template|stream|nats|events?$/i;
const HTTP_CALLS = /^(fetch|axios\.post|axios\.put|axios\.patch|requests\.post|requests\.put|http\.Post|http\.Get|restTemplate\.postForObject|restTemplate\.exchange|httpClient\.send|client\.Do|got\.post)$/;

export const distributedTransaction: Recogniser = {
  concept: 'distributed-transaction',
  recognise(facts) {
    const out: FindingOf<'distributed-transaction'>[] = [];
    const xa = xaTransaction(facts);
    if (xa) out.push(xa);
    const saga = sagaSteps(facts);
    if (saga) out.push(saga);
    out.push(...tcc(facts));
    const outbox = outboxPattern(facts);
    if (outbox) out.push(outbox);
    if (!xa && !outbox) out.push(...localTransactions(facts));
    return out;
  },
};

/** The SQL verb a string starts with, for the statements a transaction is made of. */
function sqlVerb(s: string): string | null {
  const m = /^\s*(XA\s+(?:START|BEGIN|END|PREPARE|COMMIT|ROLLBACK|RECOVER)|BEGIN|START\s+TRANSACTION|COMMIT|ROLLBACK)\b/i.exec(s);
  return m ? m[1]!.toUpperCase().replace(/\s+/g, ' ') : null;
}

function tablesIn(facts: Facts, area?: Span): string[] {
  const tables = new Set<string>();
  for (const s of facts.strings) {
    if (area && !contains(area, s.span)) continue;
    for (const m of s.value.matchAll(/\b(?:insert\s+(?:ignore\s+)?into|update|delete\s+from)\s+[`"]?(\w+)/gi)) tables.add(m[1]!);
  }
  return [...tables];
}

function receiverOf(facts: Facts, s: Span): string | null {
  const call = facts.calls.find((c) => c.args.some((a) => a.value.span.start === s.start && a.value.span.end === s.end));
  return call && call.callee.k === 'member' ? dotted(call.callee.object) : null;
}

function xaTransaction(facts: Facts): FindingOf<'distributed-transaction'> | null {
  const statements = facts.strings.map((s) => ({ s, verb: sqlVerb(s.value) })).filter((x) => x.verb?.startsWith('XA'));
  const xaCalls = facts.calls.filter((c) => c.callee.k === 'member' && /^(prepare|commit|rollback|start|end|recover)$/.test(c.callee.name) && /xa/i.test(dotted(c.callee.object) ?? ''));
  if (statements.length === 0 && xaCalls.length < 2) return null;
  const participants = new Set<string>();
  for (const x of statements) { const r = receiverOf(facts, x.s.span); if (r) participants.add(r); }
  for (const c of xaCalls) participants.add(dotted((c.callee as Extract<Expr, { k: 'member' }>).object) ?? '?');
  const verbs = new Set(statements.map((x) => x.verb!));
  const names = new Set(xaCalls.map((c) => lastName(c.callee)));
  const risks: Risk[] = [];
  const prepared = verbs.has('XA PREPARE') || names.has('prepare');
  const onePhase = statements.some((x) => /one\s+phase/i.test(x.s.value));
  if ((verbs.has('XA COMMIT') || names.has('commit')) && !prepared && !onePhase)
    risks.push({ id: 'xa-commit-without-prepare', severity: 'error', message: 'XA COMMIT is issued without XA PREPARE: nothing guarantees every branch can commit, so one may commit while another fails. Prepare every branch first (or use ONE PHASE for a single branch).' });
  if (!verbs.has('XA RECOVER') && !names.has('recover'))
    risks.push({ id: 'xa-no-recovery', severity: 'warning', message: 'Nothing runs XA RECOVER: if the coordinator crashes after PREPARE, the prepared branches stay in doubt, holding their locks, until someone resolves them by hand.' });
  const spans = [...statements.map((x) => x.s.span), ...xaCalls.map((c) => c.span)];
  return finding(facts, 'distributed-transaction', cover(spans), 0.95, { protocol: 'xa-2pc', participants: [...participants], steps: null }, risks);
}

/** Entries of a step: a record's, or a call's keyword arguments (`Step(action=…, compensation=…)`). */
function stepEntries(e: Expr): RecordEntry[] | null {
  if (e.k === 'record') return e.entries;
  if (e.k === 'call' && e.args.some((a) => a.name)) return e.args.filter((a) => a.name).map((a) => ({ key: a.name, value: a.value }));
  if (e.k === 'call' && e.args.length === 1) return stepEntries(e.args[0]!.value);
  if (e.k === 'unary' && e.op === '&') return stepEntries(e.operand);
  return null;
}

function sagaSteps(facts: Facts): FindingOf<'distributed-transaction'> | null {
  const steps: { name: string; compensation: string | null; span: Span }[] = [];
  const label = (e: Expr | undefined): string => (e === undefined ? '?' : e.k === 'str' ? e.value : facts.excerpt(e.span, 40));
  // Records (or keyword calls) with an action and, where present, a compensation.
  const seen = new Set<Expr>();
  const candidates: Expr[] = [...facts.records, ...facts.calls.filter((c) => c.args.some((a) => a.name))];
  for (const e of candidates.sort((a, b) => a.span.start - b.span.start)) {
    const entries = stepEntries(e);
    if (!entries || [...seen].some((s) => contains(s.span, e.span))) continue;
    const action = entries.find((x) => x.key && ACTION_KEYS.test(x.key));
    const comp = entries.find((x) => x.key && COMPENSATION_KEYS.test(x.key));
    if (!action && !comp) continue;
    if (!action && !entries.some((x) => x.key && NAME_KEYS.test(x.key))) continue;
    seen.add(e);
    const name = entries.find((x) => x.key && NAME_KEYS.test(x.key))?.value;
    steps.push({ name: label(name ?? action?.value), compensation: comp && comp.value.k !== 'null' ? label(comp.value) : null, span: e.span });
  }
  // Eventuate: step().invokeParticipant(a).withCompensation(b)…; Temporal: saga.addCompensation(b).
  for (const c of facts.calls) {
    if (lastName(c.callee) !== 'withCompensation' && lastName(c.callee) !== 'invokeParticipant') continue;
    if (facts.calls.some((o) => o !== c && o.callee.k === 'member' && o.callee.object === c)) continue;
    steps.push(...chainSteps(facts, c));
  }
  for (const c of facts.calls) {
    if (lastName(c.callee) !== 'addCompensation' || !c.args[0]) continue;
    steps.push({ name: previousCall(facts, c) ?? `step ${steps.length + 1}`, compensation: label(c.args[0].value), span: c.span });
  }
  // Python: steps = [(reserve, release), (charge, refund)].
  for (const a of facts.assigns) {
    if (!/saga|steps|compensat/i.test(dotted(a.target) ?? '') || a.value.k !== 'list') continue;
    for (const item of a.value.items) {
      if (item.k === 'list' && item.items.length === 2) steps.push({ name: label(item.items[0]), compensation: item.items[1]!.k === 'null' ? null : label(item.items[1]), span: item.span });
    }
  }
  const withCompensation = steps.filter((s) => s.compensation !== null);
  const sagaNamed = facts.hasName(/saga|compensat|orchestrat/i);
  if (withCompensation.length === 0 || (steps.length < 2 && !sagaNamed)) return null;
  const risks: Risk[] = [];
  const missing = steps.filter((s) => s.compensation === null);
  if (missing.length > 0)
    risks.push({ id: 'missing-compensation', severity: 'error', message: `${missing.map((s) => `"${s.name}"`).join(', ')} ${missing.length === 1 ? 'has' : 'have'} no compensation: if a later step fails, ${missing.length === 1 ? 'its effect stays' : 'their effects stay'} while the others are undone, and the saga ends inconsistent.` });
  risks.push({ id: 'compensation-must-be-idempotent', severity: 'info', message: 'Compensations are retried after crashes and timeouts, so each must be safe to run twice (and to run for a step that never happened).' });
  return finding(facts, 'distributed-transaction', cover(steps.map((s) => s.span)), 0.9, {
    protocol: 'saga', participants: steps.map((s) => s.name), steps: steps.map(({ name, compensation }) => ({ name, compensation })),
  }, risks);
}

/** Steps of a builder chain, outermost call in, read in source order. */
function chainSteps(facts: Facts, outer: Call): { name: string; compensation: string | null; span: Span }[] {
  const chain: Call[] = [];
  let x: Expr = outer;
  while (x.k === 'call') {
    chain.unshift(x);
    x = x.callee.k === 'member' ? x.callee.object : x.callee;
  }
  const steps: { name: string; compensation: string | null; span: Span }[] = [];
  for (const c of chain) {
    const n = lastName(c.callee);
    const arg = c.args[0] ? facts.excerpt(c.args[0].value.span, 40) : '?';
    if (n === 'invokeParticipant' || n === 'invokeLocal') steps.push({ name: arg, compensation: null, span: c.span });
    else if (n === 'withCompensation' && steps.length > 0) steps[steps.length - 1]!.compensation = arg;
  }
  return steps;
}

function previousCall(facts: Facts, c: Call): string | null {
  const fn = facts.functionAt(c.span);
  const before = facts.calls.filter((o) => o.span.end <= c.span.start && (!fn || contains(fn.body, o.span)) && o.callee.k === 'member' && lastName(o.callee) !== 'addCompensation');
  const last = before.sort((a, b) => a.span.start - b.span.start).pop();
  return last ? lastName(last.callee) : null;
}

function tcc(facts: Facts): FindingOf<'distributed-transaction'>[] {
  const out: FindingOf<'distributed-transaction'>[] = [];
  const risk: Risk = { id: 'tcc-empty-cancel', severity: 'info', message: 'Cancel can arrive for a Try that never ran (empty cancel) or before a delayed Try (suspension): record cancelled transaction ids and refuse a late Try.' };
  for (const c of facts.calls) {
    if (lastName(c.callee) !== '@TwoPhaseBusinessAction') continue;
    const name = c.args.find((a) => a.name === 'name')?.value;
    out.push(finding(facts, 'distributed-transaction', c.span, 0.9, { protocol: 'tcc', participants: [name?.k === 'str' ? name.value : '?'], steps: null }, [risk]));
  }
  if (out.length > 0) return out;
  const fns = facts.unit.functions.filter((f) => f.name);
  const stem = (prefix: RegExp, name: string): string | null => { const m = prefix.exec(name); return m ? name.slice(m[0].length).toLowerCase() : null; };
  const tries = fns.map((f) => ({ f, stem: stem(/^try_?/i, f.name!) })).filter((x) => x.stem);
  for (const t of tries) {
    const confirm = fns.find((f) => stem(/^(confirm|commit)_?/i, f.name!) === t.stem);
    const cancel = fns.find((f) => stem(/^(cancel|rollback)_?/i, f.name!) === t.stem);
    if (!confirm || !cancel) continue;
    out.push(finding(facts, 'distributed-transaction', cover([t.f.span, confirm.span, cancel.span]), 0.85, {
      protocol: 'tcc', participants: [t.stem || t.f.className || '?'], steps: null,
    }, [risk]));
  }
  return out;
}

function outboxPattern(facts: Facts): FindingOf<'distributed-transaction'> | null {
  const rows = facts.strings.filter((s) => /\binsert\s+into\s+[`"]?\w*outbox\w*/i.test(s.value));
  const relay = facts.strings.filter((s) => /\bfrom\s+[`"]?\w*outbox\w*/i.test(s.value) && /select/i.test(s.value));
  if (rows.length === 0 && relay.length === 0) return null;
  const area = cover([...rows, ...relay].map((s) => facts.functionAt(s.span)?.span ?? s.span));
  const tables = tablesIn(facts, area);
  return finding(facts, 'distributed-transaction', area, 0.9, { protocol: 'outbox', participants: [...tables, 'message relay'], steps: null }, [
    { id: 'outbox-at-least-once', severity: 'info', message: 'The relay publishes at least once: a crash between publishing and marking the row sent publishes it again, so consumers must deduplicate by the message id.' },
  ]);
}

function localTransactions(facts: Facts): FindingOf<'distributed-transaction'>[] {
  const out: FindingOf<'distributed-transaction'>[] = [];
  const verbs = facts.strings.map((s) => ({ span: s.span, verb: sqlVerb(s.value) })).filter((x) => x.verb);
  const isDb = (c: Call): boolean => c.callee.k !== 'member' || !NOT_A_DATABASE.test(dotted(c.callee.object) ?? '');
  const begins = [
    ...facts.calls.filter((c) => BEGIN_CALLS.test(lastName(c.callee) ?? '') && isDb(c) && !(lastName(c.callee) === 'begin' && c.callee.k === 'name')).map((c) => c.span),
    ...facts.calls.filter((c) => lastName(c.callee) === 'setAutoCommit' && c.args[0]?.value.k === 'bool' && !(c.args[0].value as { value: boolean }).value).map((c) => c.span),
    ...verbs.filter((x) => x.verb === 'BEGIN' || x.verb === 'START TRANSACTION').map((x) => x.span),
  ];
  const commits = [...facts.calls.filter((c) => COMMIT_CALLS.test(lastName(c.callee) ?? '') && isDb(c)).map((c) => c.span), ...verbs.filter((x) => x.verb === 'COMMIT').map((x) => x.span)];
  const rollbacks = [...facts.calls.filter((c) => ROLLBACK_CALLS.test(lastName(c.callee) ?? '') && isDb(c)).map((c) => c.span), ...verbs.filter((x) => x.verb === 'ROLLBACK').map((x) => x.span)];
  const managed = facts.calls.filter((c) => /^@(Transactional|transaction\.atomic|atomic)$/.test(lastName(c.callee) ?? '') || (lastName(c.callee) === 'atomic' && /transaction/.test(dotted(c.callee) ?? '')));
  const tables = tablesIn(facts);
  // A framework that commits for you: @Transactional, transaction.atomic, engine.begin(), knex.transaction(cb).
  const frameworkManaged = managed.length > 0 || facts.calls.some((c) => /^(transaction|\$transaction)$/.test(lastName(c.callee) ?? '') && c.args.some((a) => a.value.k === 'func')) ||
    (facts.lang === 'python' && facts.calls.some((c) => lastName(c.callee) === 'begin' && /engine|session/i.test(facts.text(c.callee.span))));
  const implicitPython = facts.lang === 'python' && begins.length === 0 && commits.length > 0 && tables.length > 0;
  if (!frameworkManaged && !implicitPython && (begins.length === 0 || commits.length + rollbacks.length === 0)) return out;
  const spans = managed.length > 0 ? managed.map((m) => facts.unit.functions.find((f) => f.annotations.includes(m))?.span ?? m.span) : [...begins, ...commits, ...rollbacks];
  const area = cover(spans.length > 0 ? spans : managed.map((m) => m.span));
  const risks: Risk[] = [];
  const fnArea = facts.functionAt(area)?.body ?? area;
  const outbound = facts.calls.filter((c) => contains(fnArea, c.span) && isOutbound(facts, c));
  if (outbound.length > 0)
    risks.push({
      id: 'dual-write',
      severity: 'error',
      message: `The transaction and ${facts.excerpt(outbound[0]!.callee.span, 40)}(…) are two separate writes: a crash or failure between them leaves the database and the other system disagreeing (a message for a rolled-back change, or a committed change no one hears about). Write the message to an outbox table in the same transaction.`,
    });
  if (!frameworkManaged && rollbacks.length === 0 && begins.length > 0)
    risks.push({ id: 'no-rollback', severity: 'warning', message: 'Nothing rolls back on failure: an exception leaves the transaction open, holding its locks until the connection is closed or reused.' });
  out.push(finding(facts, 'distributed-transaction', area, implicitPython ? 0.7 : 0.85, {
    protocol: 'local', participants: tables.length > 0 ? tables : ['database'], steps: null,
  } satisfies DistributedTransactionParams, risks));
  return out;
}

function isOutbound(facts: Facts, c: Call): boolean {
  const path = dotted(c.callee) ?? '';
  if (HTTP_CALLS.test(path) || (c.callee.k === 'name' && c.callee.name === 'fetch')) return true;
  const name = lastName(c.callee) ?? '';
  return PUBLISH.test(name) && c.callee.k === 'member' && OUTBOUND_RECEIVER.test(facts.text(c.callee.object.span));
}
