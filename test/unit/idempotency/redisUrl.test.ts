import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { UserError } from '../../../extension/engines/core/model';
import { describeRedisUrl, parseRedisUrl, withRedisPassword } from '../../../extension/engines/idempotency/redisUrl';

test('a Redis URL is read back without its credentials', () => {
  assert.deepEqual(parseRedisUrl('redis://bob:pw@cache.internal:6380/3'), { host: 'cache.internal', port: 6380, db: 3, username: 'bob', password: 'pw' });
  assert.equal(describeRedisUrl('redis://bob:pw@cache.internal:6380/3'), 'redis://cache.internal:6380/3');
  assert.equal(describeRedisUrl('redis://[::1]'), 'redis://::1:6379');
});

test('a URL that does not parse is quoted with its credentials masked', () => {
  for (const bad of ['redis://u:se cret@h:x', 'redis://:se cret@']) {
    const e = (() => { try { parseRedisUrl(bad); } catch (err) { return err; } })();
    assert.ok(e instanceof UserError, `${bad} should be refused`);
    assert.doesNotMatch(e.message, /se cret/);
    assert.match(e.message, /\*\*\*@/);
  }
  assert.throws(() => parseRedisUrl('http://h:1'), /"http:" URLs are not supported/);
  assert.throws(() => parseRedisUrl('redis://h:1/16'), /not a Redis database number/);
});

test('any password survives being put into a URL and read back; the user name and target stay', () => {
  fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom('redis://h:1', 'redis://alice@h:1/2', 'redis://:old@h'), (pw, url) => {
    const withPw = withRedisPassword(url, pw);
    const before = parseRedisUrl(url);
    const after = parseRedisUrl(withPw);
    assert.equal(after.password, pw);
    assert.deepEqual({ ...after, password: undefined }, { ...before, password: undefined });
    assert.equal(describeRedisUrl(withPw), describeRedisUrl(url));
  }));
});
