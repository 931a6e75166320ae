/** The Hash Table inspector's palette commands. Each also accepts its values as arguments (for scripts and tests). */
import * as vscode from 'vscode';
import { HASH_INFO } from '../../engines/hashing';
import {
  DEFAULT_CONFIG, GENERATORS, STRATEGY_LABELS, MAX_BULK, MAX_INSERT_KEYS, MAX_KEY_LENGTH, MAX_TABLE_SIZE, REHASH_MODES, STRATEGIES, TABLE_HASHES,
  hashTableIntent, type ConfigPart, type Generator, type HashTableConfig, type HashTableIntent, type Strategy, type TableHash,
} from '../../protocol/hashtable';
import type { SessionManager } from '../sessionManager';
import type { InspectorDefinition } from './definition';
import { askInteger, askText, pickOne, setting } from './prompts';

const STRATEGY_DETAIL: Record<Strategy, string> = {
  chaining: 'Each bucket holds a list; load factor may exceed 1.',
  linear: 'Try the next slot; cache-friendly, but clusters grow.',
  quadratic: 'Triangular steps (1, 3, 6, …) over a power-of-two table visit every slot.',
  double: 'A second hash picks the step; breaks up clusters.',
  robinhood: 'Rich keys give way to poor ones; probe lengths stay even; backward-shift deletion.',
};

const GENERATOR_INFO: Record<Generator, string> = {
  sequential: 'user:1, user:2, … continuing from the last bulk insert',
  random: 'Random keys from the session seed',
  adversarial: 'Keys that collide under the chosen hash (e.g. the "Aa"/"BB" family for Java)',
};

const isOneOf = <T extends string>(xs: readonly T[]) => (v: unknown): v is T => typeof v === 'string' && (xs as readonly string[]).includes(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A new table's settings: the defaults, overridden by the user's `dsInspector.hashTable.*` settings. */
function configFromSettings(): HashTableConfig {
  return {
    ...DEFAULT_CONFIG,
    strategy: setting('hashTable', 'strategy', DEFAULT_CONFIG.strategy, isOneOf(STRATEGIES)),
    hash: setting('hashTable', 'hashFunction', DEFAULT_CONFIG.hash, isOneOf(TABLE_HASHES)),
    initialSize: setting('hashTable', 'initialSize', DEFAULT_CONFIG.initialSize, (v): v is number => Number.isInteger(v) && (v as number) >= 2 && (v as number) <= 1 << 20),
    maxLoad: setting('hashTable', 'maxLoadFactor', DEFAULT_CONFIG.maxLoad, isNumber),
    rehash: setting('hashTable', 'rehash', DEFAULT_CONFIG.rehash, isOneOf(REHASH_MODES)),
  };
}

function label(intent: HashTableIntent): string {
  switch (intent.type) {
    case 'insert': return `insert ${intent.keys.length <= 3 ? intent.keys.join(', ') : `${intent.keys.length} keys`}`;
    case 'bulkInsert': return `insert ${intent.count.toLocaleString('en-US')} ${intent.generator} keys`;
    case 'delete': return `delete ${intent.key}`;
    case 'lookup': return `look up ${intent.key}`;
    case 'setStrategy': return `strategy: ${STRATEGY_LABELS[intent.strategy]}`;
    case 'setHash': return `hash: ${intent.fn === 'custom' ? 'your function' : HASH_INFO[intent.fn].label}`;
    case 'resize': return `resize to ${intent.size.toLocaleString('en-US')}`;
    case 'setResizePolicy': return 'resize policy';
    case 'setRecordType': return intent.record ? `record type (${intent.record.fields.join(', ')})` : 'plain string keys';
    case 'clear': return 'clear';
  }
}

export const hashTableInspector: InspectorDefinition = {
  kind: 'hashtable',
  title: 'Hash Table',
  icon: 'table',
  intentSchema: hashTableIntent,
  registerCommands(manager: SessionManager): vscode.Disposable[] {
    const run = async (intent: HashTableIntent): Promise<boolean> => {
      const s = await manager.ensure('hashtable');
      manager.showPanel(s);
      return s.run(intent, label(intent));
    };
    const config = async (): Promise<ConfigPart | undefined> => (await manager.ensure('hashtable')).parts['config'] as ConfigPart | undefined;
    const reg = vscode.commands.registerCommand;
    return [
      reg('dsInspector.openHashTable', async () => {
        const s = await manager.create('hashtable', configFromSettings());
        manager.showPanel(s);
        return s.id;
      }),
      reg('dsInspector.hashtable.insertKeys', async (arg?: { keys: string[] } | { generator: Generator; count: number }) => {
        if (arg && 'keys' in arg) return run({ type: 'insert', keys: arg.keys });
        if (arg && 'count' in arg) return run({ type: 'bulkInsert', generator: arg.generator, count: arg.count });
        const text = await askText('Insert Keys', {
          prompt: `Keys separated by commas or spaces (up to ${MAX_INSERT_KEYS}), or a number N to insert N generated keys (up to ${MAX_BULK.toLocaleString('en-US')}).`,
          placeHolder: 'alice, bob, carol   —or—   100000',
          maxLength: MAX_INSERT_KEYS * (MAX_KEY_LENGTH + 1),
        });
        if (!text?.trim()) return false;
        const n = Number(text.trim().replace(/[_,]/g, ''));
        if (/^\d[\d_,]*$/.test(text.trim()) && Number.isSafeInteger(n)) {
          if (n < 1 || n > MAX_BULK) {
            void vscode.window.showErrorMessage(`Insert Keys: ${n.toLocaleString('en-US')} is out of range; generate from 1 to ${MAX_BULK.toLocaleString('en-US')} keys at once.`);
            return false;
          }
          const generator = await pickOne('Which keys?', GENERATORS.map((g) => ({ value: g, label: g, detail: GENERATOR_INFO[g] })));
          return generator ? run({ type: 'bulkInsert', generator, count: n }) : false;
        }
        const keys = text.split(/[\s,]+/).filter(Boolean);
        const tooLong = keys.find((k) => k.length > MAX_KEY_LENGTH);
        if (keys.length > MAX_INSERT_KEYS || tooLong) {
          void vscode.window.showErrorMessage(
            tooLong ? `Insert Keys: a key is longer than ${MAX_KEY_LENGTH} characters.` : `Insert Keys: ${keys.length} keys given; enter at most ${MAX_INSERT_KEYS}, or a number to generate more.`,
          );
          return false;
        }
        return run({ type: 'insert', keys });
      }),
      reg('dsInspector.hashtable.deleteKey', async (key?: string) => {
        key ??= await askText('Delete Key', { prompt: 'The key to delete', maxLength: MAX_KEY_LENGTH });
        return key ? run({ type: 'delete', key }) : false;
      }),
      reg('dsInspector.hashtable.lookupKey', async (key?: string) => {
        key ??= await askText('Look Up Key', { prompt: 'The key to look up; the view animates its probe sequence', maxLength: MAX_KEY_LENGTH });
        return key ? run({ type: 'lookup', key }) : false;
      }),
      reg('dsInspector.hashtable.setStrategy', async (strategy?: Strategy) => {
        strategy ??= await pickOne('Collision strategy', STRATEGIES.map((v) => ({ value: v, label: STRATEGY_LABELS[v], detail: STRATEGY_DETAIL[v] })), (await config())?.strategy);
        return strategy ? run({ type: 'setStrategy', strategy }) : false;
      }),
      reg('dsInspector.hashtable.setHash', async (fn?: TableHash, seed?: number) => {
        const current = await config();
        // A table made with "Use Selection as Hash Function" can switch back to the selected function.
        const selected = current?.customHashName ? [{ value: 'custom' as const, label: `${current.customHashName} (your code)`, detail: 'The function you selected, run in its sandbox' }] : [];
        fn ??= await pickOne<TableHash>('Hash function', [...TABLE_HASHES.map((v) => ({ value: v, label: HASH_INFO[v].label, detail: HASH_INFO[v].description })), ...selected], current?.hash);
        if (!fn) return false;
        if (seed === undefined && fn !== 'custom' && HASH_INFO[fn].seeded) {
          seed = await askInteger(`${HASH_INFO[fn].label} seed`, { min: 0, max: 0xffffffff, value: current?.seed ?? 0 });
          if (seed === undefined) return false;
        }
        return run({ type: 'setHash', fn, ...(seed !== undefined ? { seed } : {}) });
      }),
      reg('dsInspector.hashtable.resize', async (size?: number) => {
        const current = await config();
        size ??= await askInteger('Resize to how many slots?', {
          min: 2,
          max: MAX_TABLE_SIZE,
          prompt: `Rounded up to a ${current?.sizes === 'prime' ? 'prime' : 'power of two'}; rehashed ${current?.rehash === 'incremental' ? 'incrementally' : 'all at once'}.`,
        });
        return size ? run({ type: 'resize', size }) : false;
      }),
    ];
  },
};
