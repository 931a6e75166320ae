import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../../extension/engines/core/model';
import { describeTarget, explainConnectError, isRefusedLogin, parseMysqlUrl } from '../../../extension/engines/pool/mysqlSettings';

test('a mysql URL gives the settings, and the password apart from them', () => {
  const r = parseMysqlUrl('mysql://app:s%40cret@db.example:3307/shop');
  assert.deepEqual(r, { settings: { host: 'db.example', port: 3307, user: 'app', database: 'shop' }, password: 's@cret' });
  assert.equal(describeTarget(r.settings), 'mysql://app@db.example:3307/shop');
  assert.deepEqual(parseMysqlUrl('mysql://root@127.0.0.1/test'), { settings: { host: '127.0.0.1', port: 3306, user: 'root', database: 'test' } });
  assert.equal(describeTarget(parseMysqlUrl('mysql://u@[::1]:3306/d').settings), 'mysql://u@[::1]:3306/d');
});

test('a malformed URL is a UserError saying how to write it, without echoing a password', () => {
  for (const [url, why] of [
    ['not a url', /is not a URL/],
    ['mysql://u:hunter2@h:99999999/d', /"mysql:\/\/u:\*\*\*@h:99999999\/d" is not a URL/],
    ['mysql://:hunter2@h/d', /names no user/],
    ['http://u@h/d', /scheme is "http:"/],
    ['mysql://h:3306/d', /names no user/],
    ['mysql://u:hunter2@h:3306/', /names no database/],
    ['mysql://u@h:3306/a/b', /more than one path segment/],
  ] as const) {
    assert.throws(() => parseMysqlUrl(url), (e: unknown) => e instanceof UserError && why.test(e.message) && /mysql:\/\/user@host:port\/database/.test(e.message) && !e.message.includes('hunter2'), url);
  }
});

test('connection failures explain what failed, why, and what to do', () => {
  const s = { host: 'db', port: 3306, user: 'app', database: 'shop' };
  const cases: [string, RegExp][] = [
    ['ECONNREFUSED', /nothing is listening.*Start the server/],
    ['ENOTFOUND', /does not resolve/],
    ['ETIMEDOUT', /did not answer.*firewall/],
    ['ER_ACCESS_DENIED_ERROR', /refused the login for user "app".*password/],
    ['ER_BAD_DB_ERROR', /has no database "shop".*CREATE DATABASE/],
    ['ER_DBACCESS_DENIED_ERROR', /denied access to database "shop".*GRANT/],
    ['ER_CON_COUNT_ERROR', /max_connections/],
    ['SOMETHING_ELSE', /Could not connect to mysql:\/\/app@db:3306\/shop: boom \(SOMETHING_ELSE\)/],
  ];
  for (const [code, re] of cases) assert.match(explainConnectError({ code, fatal: true, message: 'boom' }, s), re, code);
  // Only a refused login makes the host ask for the password again.
  for (const [code] of cases) assert.equal(isRefusedLogin(explainConnectError({ code, fatal: true, message: 'boom' }, s)), code === 'ER_ACCESS_DENIED_ERROR', code);
});
