import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { arr, int, obj, str, tagged } from '../../../extension/engines/core/schema';
import { routeWebviewMessage, type MessageTarget } from '../../../extension/host/messageRouter';

const intentSchema = tagged('op', {
  insert: obj({ keys: arr(str({ max: 100 }), { max: 10 }) }),
  bulk: obj({ count: int({ min: 1, max: 1000 }) }),
});

function spyTarget(): { target: MessageTarget; calls: string[] } {
  const calls: string[] = [];
  const rec = (name: string) => (...args: unknown[]) => void calls.push(`${name}:${JSON.stringify(args)}`);
  return {
    calls,
    target: { ready: rec('ready'), resync: rec('resync'), intent: rec('intent'), seek: rec('seek'), cancel: rec('cancel'), command: rec('command') },
  };
}

test('valid messages reach exactly one handler with parsed values', () => {
  const cases: [unknown, string][] = [
    [{ type: 'ready' }, 'ready:[]'],
    [{ type: 'resync', seen: 4 }, 'resync:[4]'],
    [{ type: 'seek', step: 7 }, 'seek:[7]'],
    [{ type: 'cancel' }, 'cancel:[]'],
    [{ type: 'command', command: 'exportSession' }, 'command:["exportSession"]'],
    [{ type: 'intent', intent: { op: 'insert', keys: ['a', 'b'] }, label: 'insert a, b' }, 'intent:[{"op":"insert","keys":["a","b"]},"insert a, b"]'],
    [{ type: 'intent', intent: { op: 'bulk', count: 3 } }, 'intent:[{"op":"bulk","count":3},"operation"]'],
  ];
  for (const [msg, expected] of cases) {
    const { target, calls } = spyTarget();
    assert.equal(routeWebviewMessage(msg, intentSchema, target), undefined, JSON.stringify(msg));
    assert.deepEqual(calls, [expected]);
  }
});

test('malformed messages are rejected with a reason and call nothing', () => {
  const hostile = JSON.parse('{"type":"intent","intent":{"op":"insert","keys":["a"],"__proto__":{"polluted":true}}}');
  const deep: Record<string, unknown> = {};
  let cur = deep;
  for (let i = 0; i < 50; i++) cur = (cur['x'] = {}) as Record<string, unknown>;
  const throwing = { get type(): string { throw new Error('boom'); } };
  const cases: unknown[] = [
    undefined, null, 42, 'ready', [], [{ type: 'ready' }],
    {}, { type: 'nope' }, { type: 'ready', extra: 1 }, { type: 'seek' }, { type: 'seek', step: -1 }, { type: 'seek', step: 1.5 },
    { type: 'seek', step: Number.NaN }, { type: 'seek', step: '3' }, { type: 'resync', seen: Infinity },
    { type: 'command', command: 'workbench.action.quit' }, { type: 'command', command: 'exportSession', args: [] },
    { type: 'intent' }, { type: 'intent', intent: { op: 'drop-table' } }, { type: 'intent', intent: { op: 'insert', keys: 'a' } },
    { type: 'intent', intent: { op: 'insert', keys: Array(11).fill('k') } }, { type: 'intent', intent: { op: 'bulk', count: 1e9 } },
    { type: 'intent', intent: { op: 'insert', keys: ['x'.repeat(101)] } }, { type: 'intent', intent: { op: 'insert', keys: ['a'] }, label: 'x'.repeat(201) },
    { type: 'intent', intent: deep }, hostile, throwing, Object.create({ type: 'ready' }), new Date(),
  ];
  cases.forEach((msg, i) => {
    const { target, calls } = spyTarget();
    const reason = routeWebviewMessage(msg, intentSchema, target);
    assert.equal(typeof reason, 'string', `accepted case ${i}`);
    assert.ok(reason!.length > 0);
    assert.deepEqual(calls, [], `called a handler for case ${i}`);
  });
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('an intent with no open session is rejected', () => {
  const { target, calls } = spyTarget();
  assert.match(routeWebviewMessage({ type: 'intent', intent: { op: 'bulk', count: 1 } }, undefined, target)!, /no inspector session/);
  assert.deepEqual(calls, []);
});

test('arbitrary values never throw and either call exactly one handler or none', () => {
  const arbMessage = fc.oneof(
    fc.anything(),
    fc.record({ type: fc.constantFrom('ready', 'resync', 'intent', 'seek', 'cancel', 'command', 'x'), seen: fc.anything(), step: fc.anything(), intent: fc.anything(), command: fc.anything() }, { requiredKeys: ['type'] }),
    fc.record({ type: fc.constant('intent'), intent: fc.record({ op: fc.constantFrom('insert', 'bulk', 'other'), keys: fc.anything(), count: fc.anything() }, { requiredKeys: ['op'] }) }),
  );
  fc.assert(
    fc.property(arbMessage, (msg) => {
      const { target, calls } = spyTarget();
      const reason = routeWebviewMessage(msg, intentSchema, target);
      assert.equal(calls.length, reason === undefined ? 1 : 0);
    }),
    { numRuns: 3000 },
  );
});
