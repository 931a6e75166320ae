/**
 * Inspector sessions through the real VS Code API: commands with arguments (as scripts and other
 * extensions call them), the session manager the extension exports, export and import through
 * real files, cancellation of a long step, and bad input that must change nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SessionManager } from '../../../extension/host/sessionManager';
import type { InspectorSession } from '../../../extension/host/session';
import type { MetricsPart } from '../../../extension/protocol/hashtable';
import type { TimelineView } from '../../../extension/protocol';
import { extensionId } from './manifest';

const keysOf = (s: InspectorSession): number => (s.parts['metrics'] as MetricsPart).keys;
const timelineOf = (s: InspectorSession): TimelineView => s.parts['timeline'] as TimelineView;

async function until(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('Inspector sessions', () => {
  let manager: SessionManager;
  let session: InspectorSession;
  const scratch = mkdtempSync(join(tmpdir(), 'dsi-integration-'));

  before(async () => {
    const ext = vscode.extensions.getExtension<{ manager: SessionManager }>(extensionId);
    assert.ok(ext);
    manager = (await ext.activate()).manager;
  });

  it('opens a hash table from its command and streams its view from the worker', async () => {
    const id = await vscode.commands.executeCommand<string>('dsInspector.openHashTable');
    assert.equal(typeof id, 'string');
    const s = manager.get(id);
    assert.ok(s, 'the session the command returned is live');
    session = s;
    assert.equal(session.kind, 'hashtable');
    assert.equal(keysOf(session), 0);
    assert.equal(manager.active?.id, id, 'a newly shown panel becomes the active session');
  });

  it('applies commands given their values as arguments, one timeline step each', async () => {
    assert.equal(await vscode.commands.executeCommand('dsInspector.hashtable.insertKeys', { keys: ['alice', 'bob', 'carol'] }), true);
    await until('3 keys', () => keysOf(session) === 3);
    assert.equal(await vscode.commands.executeCommand('dsInspector.hashtable.deleteKey', 'bob'), true);
    await until('2 keys', () => keysOf(session) === 2);
    assert.equal(await vscode.commands.executeCommand('dsInspector.hashtable.setStrategy', 'robinhood'), true);
    const labels = timelineOf(session).labels;
    assert.equal(labels.length, 3);
    assert.match(labels[0]!, /^insert alice, bob, carol/);
    assert.match(labels[1]!, /^delete bob/);
    assert.match(labels[2]!, /Robin Hood/);
  });

  it('steps back and forward through the timeline', async () => {
    await vscode.commands.executeCommand('dsInspector.stepBack', session.id);
    await vscode.commands.executeCommand('dsInspector.stepBack', session.id);
    await until('cursor 1', () => timelineOf(session).cursor === 1);
    assert.equal(keysOf(session), 3);
    await vscode.commands.executeCommand('dsInspector.stepForward', session.id);
    await until('cursor 2', () => timelineOf(session).cursor === 2);
    assert.equal(keysOf(session), 2);
  });

  it('rejects operations that do not fit the schema and changes nothing', async () => {
    const before = timelineOf(session).length;
    assert.equal(await session.run({ type: 'insert', keys: [42] }, 'bad insert'), false);
    assert.equal(await session.run({ type: 'dropTable' }, 'bad intent'), false);
    assert.equal(await session.run({ type: 'resize', size: -1 }, 'bad resize'), false);
    assert.equal(timelineOf(session).length, before);
  });

  it('reports an operation the engine refuses and keeps the session usable', async () => {
    const before = timelineOf(session).length;
    // Open addressing cannot run above a load factor of 0.95.
    assert.equal(await session.run({ type: 'setResizePolicy', maxLoad: 4 }, 'impossible max load'), false);
    assert.equal(timelineOf(session).length, before);
    assert.equal(await session.run({ type: 'insert', keys: ['dave'] }, 'insert dave'), true);
  });

  it('exports a session and imports it back from a file', async () => {
    const file = await session.exportSession();
    const path = join(scratch, 'table.dsi.json');
    writeFileSync(path, JSON.stringify(file));
    const id = await vscode.commands.executeCommand<string>('dsInspector.importSession', vscode.Uri.file(path));
    const imported = manager.get(id);
    assert.ok(imported, 'import returns the new session id');
    assert.equal(keysOf(imported), keysOf(session));
    assert.deepEqual(timelineOf(imported).labels, timelineOf(session).labels);
    await vscode.commands.executeCommand('dsInspector.closeSession', id);
    assert.equal(manager.get(id), undefined);
  });

  it('refuses broken and foreign session files without opening anything', async () => {
    const count = manager.entries().length;
    for (const [name, text] of [
      ['truncated.json', '{"format":"ds-inspector.session","version":1'],
      ['foreign.json', JSON.stringify({ name: 'some-package', version: '1.0.0' })],
      ['future.json', JSON.stringify({ format: 'ds-inspector.session', version: 99, kind: 'hashtable' })],
      ['damaged.json', JSON.stringify({ ...(await session.exportSession()), steps: [{ type: 'insert', keys: 'x' }] })],
    ] as const) {
      const path = join(scratch, name);
      writeFileSync(path, text);
      assert.equal(await vscode.commands.executeCommand('dsInspector.importSession', vscode.Uri.file(path)), undefined, name);
    }
    assert.equal(manager.entries().length, count);
  });

  it('cancels a long bulk insert, keeping what it finished, without blocking the extension host', async () => {
    const started = Date.now();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const run = session.run({ type: 'bulkInsert', generator: 'random', count: 2_000_000 }, 'insert 2,000,000 random keys');
    await until('the insert to start', () => session.busy !== null);
    await new Promise((r) => setTimeout(r, 300));
    session.cancel();
    assert.equal(await run, true, 'a cancelled step is still recorded');
    clearInterval(timer);
    const elapsed = Date.now() - started;
    assert.ok(ticks > elapsed / 10 / 4, `the host's event loop kept running (${ticks} ticks in ${elapsed} ms)`);
    const keys = keysOf(session);
    assert.ok(keys > 4 && keys < 2_000_004, `kept the keys inserted before the cancel (${keys})`);
    assert.match(timelineOf(session).labels.at(-1) ?? '', /cancelled/);
  });

  after(async () => {
    if (session) await vscode.commands.executeCommand('dsInspector.closeSession', session.id);
  });
});
