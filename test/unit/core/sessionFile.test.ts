import assert from 'node:assert/strict';
import { test } from 'node:test';
import { int, obj, str } from '../../../extension/engines/core/schema';
import { makeSessionFile, parseSessionFile, SessionFileError } from '../../../extension/engines/core/sessionFile';

const expect = { kind: 'demo', config: obj({ size: int({ min: 1 }) }), step: obj({ key: str() }) };

test('a session survives export and import', () => {
  const file = makeSessionFile('demo', { size: 8 }, [{ key: 'a' }, { key: 'b' }], ['insert a', 'insert b'], 1);
  const back = parseSessionFile(JSON.stringify(file), expect);
  assert.deepEqual(back.config, { size: 8 });
  assert.deepEqual(back.steps, [{ key: 'a' }, { key: 'b' }]);
  assert.equal(back.cursor, 1);
});

test('broken, foreign, future and mismatched files get clear errors', () => {
  const good = makeSessionFile('demo', { size: 8 }, [{ key: 'a' }], ['insert a'], 1);
  const cases: [string, RegExp][] = [
    ['{not json', /not valid JSON/],
    ['[]', /not a DS Inspector session/],
    [JSON.stringify({ name: 'package.json' }), /not a DS Inspector session/],
    [JSON.stringify({ ...good, version: 99 }), /newer DS Inspector.*version 99/],
    [JSON.stringify({ ...good, kind: 'ring' }), /"ring" session, not a "demo" session/],
    [JSON.stringify({ ...good, config: { size: 0 } }), /damaged: config.size: must be ≥ 1/],
    [JSON.stringify({ ...good, steps: [{ key: 5 }] }), /damaged: steps\[0\].key/],
    [JSON.stringify({ ...good, labels: [] }), /1 steps but 0 labels/],
    [JSON.stringify({ ...good, cursor: 5 }), /cursor 5 is past/],
    [JSON.stringify({ ...good, steps: undefined }), /damaged: steps/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseSessionFile(text, expect), (e: unknown) => e instanceof SessionFileError && message.test(e.message), text.slice(0, 60));
  }
});
