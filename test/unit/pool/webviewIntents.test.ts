import assert from 'node:assert/strict';
import { test } from 'node:test';
import { routeWebviewMessage, type MessageTarget } from '../../../extension/host/messageRouter';
import { poolActionSchema, poolIntentSchema } from '../../../extension/protocol/pool';

/** Routes one webview message through the gate with the schema the pool's webview is held to. */
function route(intent: unknown): { handled: unknown[]; rejected: string | undefined } {
  const handled: unknown[] = [];
  const none = (): void => assert.fail('only intents are sent here');
  const target: MessageTarget = { ready: none, resync: none, seek: none, cancel: none, command: none, intent: (i) => void handled.push(i) };
  return { handled, rejected: routeWebviewMessage({ type: 'intent', intent }, poolActionSchema, target) };
}

test('the pool webview cannot send useMysql: a password only ever comes from the host', () => {
  const useMysql = { type: 'useMysql', host: '127.0.0.1', port: 3306, user: 'root', database: 'shop', password: 'hunter2' };
  assert.ok(poolIntentSchema.parse(useMysql).ok, 'commands may send it');
  const r = route(useMysql);
  assert.deepEqual(r.handled, []);
  assert.match(r.rejected ?? '', /type/);
  assert.ok(!(r.rejected ?? '').includes('hunter2'), 'the rejection logged does not quote the password');
});

test('every other pool intent passes the webview gate unchanged', () => {
  const actions = [
    { type: 'runPreset', preset: 'stale' }, { type: 'borrow', waitMs: 50 }, { type: 'release', lease: 1 }, { type: 'query', lease: 1, sql: 'SELECT 1' },
    { type: 'wait', ms: 3000 }, { type: 'setWaitTimeout', seconds: 2, scope: 'session' }, { type: 'kill', threadId: 7 }, { type: 'refreshServer' }, { type: 'useEmbedded' },
  ];
  for (const a of actions) assert.deepEqual(route(a), { handled: [a], rejected: undefined }, a.type);
});
