/**
 * The Hash Ring inspector's palette commands: open a ring, change its membership (add, remove,
 * fail, recover, weigh servers), insert keys, set the virtual nodes, the scheme and the hash, find
 * a key, compare every scheme. Each also accepts its values as arguments (for scripts and tests).
 */
import * as vscode from 'vscode';
import { HASH_INFO, HASH_NAMES } from '../../engines/hashing';
import {
  RING_LIMITS, SCHEME_NAMES, defaultRingConfig, ringConfigSchema, ringIntentSchema, serverNameSchema,
  type RingConfig, type RingHash, type RingIntent, type RingLayoutPart, type RingLoadPart, type RingSettingsPart, type SchemeName,
} from '../../protocol/ring';
import type { InspectorSession } from '../session';
import type { SessionManager } from '../sessionManager';
import type { InspectorDefinition } from './definition';
import { askInteger, askText, pickOne, setting } from './prompts';

const isOneOf = <T extends string>(xs: readonly T[]) => (v: unknown): v is T => typeof v === 'string' && (xs as readonly string[]).includes(v);
const isIntIn = (min: number, max: number) => (v: unknown): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const count = (n: number): string => n.toLocaleString('en-US');

/**
 * A new ring's configuration: the engine's defaults overridden by `dsInspector.ring.*`. A setting
 * the engine would refuse (a bad server name, ketama with vnodes not a multiple of 4) is reported
 * by name rather than silently replaced.
 */
function configFromSettings(): { config: RingConfig } | { error: string } {
  const d = defaultRingConfig();
  const servers = setting('ring', 'servers', d.servers.map((s) => s.name), isStringList);
  const config: RingConfig = {
    ...d,
    scheme: setting('ring', 'scheme', d.scheme, isOneOf(SCHEME_NAMES)),
    vnodes: setting('ring', 'virtualNodes', d.vnodes, isIntIn(1, RING_LIMITS.maxVnodes)),
    hash: setting('ring', 'hashFunction', d.hash, isOneOf(HASH_NAMES)),
    replicas: setting('ring', 'replicas', d.replicas, isIntIn(1, RING_LIMITS.maxReplicas)),
    servers: servers.map((name) => ({ name })),
  };
  const bad = servers.find((n) => !serverNameSchema.parse(n).ok);
  if (bad !== undefined) return { error: `the setting dsInspector.ring.servers lists ${JSON.stringify(bad)}, which is not a server name (1 to 100 characters, no commas, no leading or trailing spaces). Fix the setting.` };
  const twice = servers.find((n, i) => servers.indexOf(n) !== i);
  if (twice !== undefined) return { error: `the setting dsInspector.ring.servers lists "${twice}" twice. Give every server a distinct name.` };
  if (config.scheme === 'ketama' && config.vnodes % 4 !== 0)
    return { error: `ketama needs a multiple of 4 points per server, and dsInspector.ring.virtualNodes is ${config.vnodes}. Set it to a multiple of 4 (libketama uses 160).` };
  const parsed = ringConfigSchema.parse(config, 'settings');
  return parsed.ok ? { config: parsed.value } : { error: `the dsInspector.ring settings do not make a ring (${parsed.error}).` };
}

/** What a quick pick shows of each server: its state, weight, points and keys. */
function serverItems(layout: RingLayoutPart, load: RingLoadPart | undefined, which: (alive: boolean) => boolean): { value: string; label: string; description: string }[] {
  return layout.servers.flatMap((s, i) => {
    if (!which(s.alive)) return [];
    const parts = [
      s.alive ? 'live' : 'failed',
      s.weight !== 1 ? `weight ${s.weight}` : '',
      s.points ? `${count(s.points)} ${layout.kind === 'table' ? 'slots' : 'points'}` : '',
      load ? `${count(load.counts[i] ?? 0)} keys` : '',
    ];
    return [{ value: s.name, label: `$(${s.alive ? 'server' : 'debug-disconnect'}) ${s.name}`, description: parts.filter(Boolean).join(' · ') }];
  });
}

/** The first name of the form s<N> not in the list: what Add Server suggests. */
function freshName(layout: RingLayoutPart | undefined): string {
  const taken = new Set(layout?.servers.map((s) => s.name));
  let n = (layout?.servers.length ?? 0) + 1;
  while (taken.has(`s${n}`)) n++;
  return `s${n}`;
}

/** The server arguments a command accepts: a name, or an object naming it. */
type ServerArg = string | { name: string; weight?: number };
/** What "Insert Keys into Ring…" accepts: a count of generated keys, or the keys themselves. */
type InsertArg = number | string[] | { count: number; seed?: number } | { keys: string[] };

export const ringInspector: InspectorDefinition = {
  kind: 'ring',
  title: 'Hash Ring',
  icon: 'circle-large-outline',
  intentSchema: ringIntentSchema,
  registerCommands(manager: SessionManager): vscode.Disposable[] {
    const fail = (what: string, why: string): false => {
      void vscode.window.showErrorMessage(`${what}: ${why}`);
      return false;
    };
    /** A new ring from the user's settings; undefined (the user told why) when they do not make one. */
    const open = async (): Promise<InspectorSession | undefined> => {
      const made = configFromSettings();
      if ('error' in made) return void fail('Open Hash Ring', made.error);
      const s = await manager.create('ring', made.config);
      manager.showPanel(s);
      return s;
    };
    /** The ring the commands act on: the active or latest one, else a new one from the settings. */
    const session = async (): Promise<InspectorSession | undefined> => {
      const anyLive = manager.entries().some((e) => e.session?.kind === 'ring' && !e.session.ended);
      if (!anyLive) return open();
      const s = await manager.ensure('ring');
      manager.showPanel(s);
      return s;
    };
    const run = async (intent: RingIntent, label: string): Promise<boolean> => (await session())?.run(intent, label) ?? false;
    const parts = async (): Promise<{ layout?: RingLayoutPart; load?: RingLoadPart; settings?: RingSettingsPart }> => {
      const p = (await session())?.parts ?? {};
      return { layout: p['layout'] as RingLayoutPart | undefined, load: p['load'] as RingLoadPart | undefined, settings: p['settings'] as RingSettingsPart | undefined };
    };
    /** Asks which server (among those `which` accepts) unless the argument names one. */
    const chooseServer = async (what: string, arg: ServerArg | undefined, which: (alive: boolean) => boolean, none: string): Promise<string | undefined> => {
      if (arg !== undefined) return typeof arg === 'string' ? arg : arg.name;
      const { layout, load } = await parts();
      const items = layout ? serverItems(layout, load, which) : [];
      if (items.length === 0) {
        void vscode.window.showInformationMessage(`${what}: ${none}`);
        return undefined;
      }
      return pickOne(what, items);
    };
    const reg = vscode.commands.registerCommand;
    return [
      reg('dsInspector.openHashRing', async () => (await open())?.id),
      reg('dsInspector.ring.addServer', async (arg?: ServerArg) => {
        const given = typeof arg === 'string' ? { name: arg } : arg;
        const { layout } = await parts();
        const taken = new Set(layout?.servers.map((s) => s.name));
        const name = given?.name ?? (await vscode.window.showInputBox({
          title: 'Add Server',
          prompt: 'Name of the new server; the movement report shows which keys it takes over.',
          value: freshName(layout),
          validateInput: (v) => (!serverNameSchema.parse(v).ok ? 'A name has 1 to 100 characters, no commas and no leading or trailing spaces.' : taken.has(v) ? `"${v}" is already in the list.` : undefined),
        }));
        if (!name) return false;
        const weight = given?.weight;
        return run({ type: 'addServer', name, ...(weight !== undefined ? { weight } : {}) }, `add ${name}${weight !== undefined && weight !== 1 ? ` (weight ${weight})` : ''}`);
      }),
      reg('dsInspector.ring.removeServer', async (arg?: ServerArg) => {
        const name = await chooseServer('Remove which server?', arg, () => true, 'the ring has no servers.');
        return name ? run({ type: 'removeServer', name }, `remove ${name}`) : false;
      }),
      reg('dsInspector.ring.failServer', async (arg?: ServerArg) => {
        const name = await chooseServer('Fail which server?', arg, (alive) => alive, 'no server is live. Recover or add one first.');
        return name ? run({ type: 'failServer', name }, `fail ${name}`) : false;
      }),
      reg('dsInspector.ring.recoverServer', async (arg?: ServerArg) => {
        const name = await chooseServer('Recover which server?', arg, (alive) => !alive, 'no server has failed. Fail one first to see where its keys go.');
        return name ? run({ type: 'recoverServer', name }, `recover ${name}`) : false;
      }),
      reg('dsInspector.ring.setWeight', async (arg?: { name: string; weight: number }) => {
        const name = arg?.name ?? (await chooseServer('Set the weight of which server?', undefined, () => true, 'the ring has no servers.'));
        if (!name) return false;
        let weight = arg?.weight;
        if (weight === undefined) {
          const { layout } = await parts();
          const text = await vscode.window.showInputBox({
            title: `Weight of ${name}`,
            prompt: `A number from 0.01 to ${RING_LIMITS.maxWeight}: a server of weight 2 gets twice the virtual nodes and twice the keys.`,
            value: String(layout?.servers.find((s) => s.name === name)?.weight ?? 1),
            validateInput: (v) => (isWeight(Number(v)) ? undefined : `Enter a number from 0.01 to ${RING_LIMITS.maxWeight}.`),
          });
          if (text === undefined) return false;
          weight = Number(text);
        }
        return run({ type: 'setWeight', name, weight }, `weight of ${name} → ${weight}`);
      }),
      reg('dsInspector.ring.insertKeys', async (arg?: InsertArg) => {
        if (typeof arg === 'number') return run({ type: 'insertKeys', count: arg }, `insert ${count(arg)} keys`);
        if (Array.isArray(arg)) return insertList(arg);
        if (arg && 'keys' in arg) return insertList(arg.keys);
        if (arg) return run({ type: 'insertKeys', count: arg.count, ...(arg.seed !== undefined ? { seed: arg.seed } : {}) }, `insert ${count(arg.count)} keys`);
        const text = await askText('Insert Keys into Ring', {
          prompt: `A number N to insert N generated keys (up to ${count(RING_LIMITS.maxKeys)} in all), or keys separated by commas or spaces.`,
          placeHolder: '10000   —or—   user:1, user:2, cart:9',
          maxLength: 200_000,
        });
        if (!text?.trim()) return false;
        const t = text.trim();
        if (/^\d[\d_,]*$/.test(t)) {
          const n = Number(t.replace(/[_,]/g, ''));
          if (!Number.isSafeInteger(n) || n < 1 || n > RING_LIMITS.maxKeys)
            return fail('Insert Keys into Ring', `${t} is out of range; generate from 1 to ${count(RING_LIMITS.maxKeys)} keys.`);
          return run({ type: 'insertKeys', count: n }, `insert ${count(n)} keys`);
        }
        return insertList(t.split(/[\s,]+/).filter(Boolean));
      }),
      reg('dsInspector.ring.setVnodes', async (vnodes?: number) => {
        const { settings } = await parts();
        const ketama = settings?.scheme === 'ketama';
        vnodes ??= await askInteger('Virtual nodes per server', {
          min: 1,
          max: RING_LIMITS.maxVnodes,
          value: settings?.vnodes ?? 160,
          prompt: `Points on the circle per server of weight 1, from 1 to ${count(RING_LIMITS.maxVnodes)}. More points even out the load${ketama ? '; ketama needs a multiple of 4' : ''}.`,
        });
        if (vnodes === undefined) return false;
        if (ketama && vnodes % 4 !== 0) return fail('Set Virtual Nodes', `ketama places four points per MD5 digest, so ${vnodes} will not do; use a multiple of 4 (libketama uses 160).`);
        return run({ type: 'setVnodes', vnodes }, `vnodes → ${vnodes}`);
      }),
      reg('dsInspector.ring.setScheme', async (scheme?: SchemeName) => {
        if (scheme !== undefined && !isOneOf(SCHEME_NAMES)(scheme)) return fail('Set Ring Scheme', `"${String(scheme)}" is not a scheme; use one of ${SCHEME_NAMES.join(', ')}.`);
        if (scheme === undefined) {
          const { settings } = await parts();
          if (!settings) return false;
          scheme = await pickOne(
            'Placement scheme',
            settings.schemes.map((i) => ({ value: i.name, label: i.label, description: i.monotone ? 'moves only what it must' : '', detail: i.description })),
            settings.scheme,
          );
        }
        return scheme ? run({ type: 'setScheme', scheme }, `scheme → ${scheme}`) : false;
      }),
      reg('dsInspector.ring.setHash', async (hash?: RingHash) => {
        if (hash !== undefined && !isOneOf([...HASH_NAMES, 'custom'] as const)(hash)) return fail('Set Ring Hash Function', `"${String(hash)}" is not a hash function; use one of ${HASH_NAMES.join(', ')}.`);
        const settings = (await parts()).settings;
        // A ring made with "Use Selection as Hash Function" can switch back to the selected function.
        const selected = settings?.customHashName ? [{ value: 'custom' as const, label: `${settings.customHashName} (your code)`, detail: 'The function you selected, run in its sandbox' }] : [];
        hash ??= await pickOne<RingHash>('Hash of keys and server names (ketama always uses MD5)', [...HASH_NAMES.map((h) => ({ value: h, label: HASH_INFO[h].label, detail: HASH_INFO[h].description })), ...selected], settings?.hash);
        return hash ? run({ type: 'setHash', hash }, `hash → ${hash}`) : false;
      }),
      reg('dsInspector.ring.findKey', async (key?: string) => {
        key ??= await askText('Find Key in Ring', { prompt: 'A key: the view shows its hash, its owner, its replicas and which replica takes over when a server fails.', maxLength: RING_LIMITS.maxKeyLength });
        return key ? run({ type: 'probeKey', key }, `probe ${key}`) : false;
      }),
      reg('dsInspector.ring.compareSchemes', () => run({ type: 'compareSchemes' }, 'compare schemes')),
    ];

    function insertList(keys: string[]): Promise<boolean> | false {
      if (keys.length === 0) return fail('Insert Keys into Ring', 'no keys were given.');
      if (keys.length > RING_LIMITS.maxExplicitKeys)
        return fail('Insert Keys into Ring', `${count(keys.length)} keys given; enter at most ${count(RING_LIMITS.maxExplicitKeys)} at once, or a number to generate more.`);
      if (keys.some((k) => typeof k !== 'string' || k.length > RING_LIMITS.maxKeyLength))
        return fail('Insert Keys into Ring', `every key must be text of at most ${count(RING_LIMITS.maxKeyLength)} characters.`);
      return run({ type: 'insertKeyList', keys }, keys.length <= 3 ? `insert ${keys.join(', ')}` : `insert ${count(keys.length)} keys`);
    }
  },
};

function isWeight(w: number): boolean {
  return Number.isFinite(w) && w >= 0.01 && w <= RING_LIMITS.maxWeight;
}
