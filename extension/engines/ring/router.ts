/**
 * One placement scheme over one server list, keyed by strings: the interface a user of the engine
 * calls. A Router is immutable; add, remove, fail, recover and setWeight return a new Router, so
 * the old and new owners of every key can be compared.
 */
import { UserError } from '../core/model';
import { RING_LIMITS, SchemeName } from '../../protocol/ring';
import type { RunContext } from '../core/model';
import type { KeySet } from './keySet';
import { DEFAULT_OPTIONS, Scheme, SchemeOptions, keyHasher, phase } from './scheme';
import { SCHEMES } from './schemes';
import { ServerInput, ServerSpec, checkServerName, checkWeight, normalizeServers } from './servers';

export class Router {
  readonly scheme: Scheme;
  private readonly hashKey: (key: string) => number;

  private constructor(
    readonly schemeName: SchemeName,
    readonly servers: readonly ServerSpec[],
    readonly options: SchemeOptions,
  ) {
    this.scheme = SCHEMES[schemeName].build(servers, options);
    this.hashKey = keyHasher(this.scheme.keyHash);
  }

  static build(scheme: SchemeName, servers: readonly ServerInput[], options: Partial<SchemeOptions> = {}): Router {
    return new Router(scheme, normalizeServers(servers), { ...DEFAULT_OPTIONS, ...options });
  }

  /** The key's hash as this scheme sees it: its position on the circle. */
  keyHash(key: string): number {
    return this.hashKey(key);
  }

  /** The server that serves `key`, or undefined when no server is live. */
  owner(key: string): string | undefined {
    return this.servers[this.scheme.owner(this.hashKey(key))]?.name;
  }

  /** The first `r` live servers in the key's preference order: its owner, then the replicas that take over. */
  replicas(key: string, r: number): string[] {
    if (!Number.isInteger(r) || r < 1 || r > RING_LIMITS.maxReplicas) throw new UserError(`Bad replica count ${r}: use 1 to ${RING_LIMITS.maxReplicas}.`);
    return this.scheme
      .preference(this.hashKey(key), this.servers.length)
      .filter((i) => this.servers[i]!.alive)
      .slice(0, r)
      .map((i) => this.servers[i]!.name);
  }

  /** The owner (server index) of every key of the set; undefined if cancelled. */
  assign(keys: KeySet, ctx: RunContext): Int32Array | undefined {
    const hashes = keys.hashes(this.scheme.keyHash, phase(ctx, 0, 0.5, 'hashing keys'));
    if (!hashes) return undefined;
    const owners = new Int32Array(hashes.length);
    return this.scheme.assign(hashes, owners, phase(ctx, 0.5, 1, 'placing keys')) ? owners : undefined;
  }

  indexOf(name: string): number {
    return this.servers.findIndex((s) => s.name === name);
  }

  has(name: string): boolean {
    return this.indexOf(name) >= 0;
  }

  add(name: string, weight = 1): Router {
    checkServerName(name);
    checkWeight(name, weight);
    if (this.has(name)) throw new UserError(`Server "${name}" is already in the list. Pick another name.`);
    if (this.servers.length >= RING_LIMITS.maxServers) throw new UserError(`The list already has ${RING_LIMITS.maxServers} servers, the most the inspector handles. Remove one first.`);
    return this.with([...this.servers, { name, weight, alive: true }]);
  }

  remove(name: string): Router {
    this.require(name);
    return this.with(this.servers.filter((s) => s.name !== name));
  }

  fail(name: string): Router {
    if (!this.require(name).alive) throw new UserError(`Server "${name}" has already failed. Recover it first, or fail another one.`);
    return this.with(this.servers.map((s) => (s.name === name ? { ...s, alive: false } : s)));
  }

  recover(name: string): Router {
    if (this.require(name).alive) throw new UserError(`Server "${name}" is not failed, so there is nothing to recover.`);
    return this.with(this.servers.map((s) => (s.name === name ? { ...s, alive: true } : s)));
  }

  setWeight(name: string, weight: number): Router {
    this.require(name);
    checkWeight(name, weight);
    return this.with(this.servers.map((s) => (s.name === name ? { ...s, weight } : s)));
  }

  withScheme(scheme: SchemeName): Router {
    return new Router(scheme, this.servers, this.options);
  }

  withOptions(options: Partial<SchemeOptions>): Router {
    return new Router(this.schemeName, this.servers, { ...this.options, ...options });
  }

  private with(servers: ServerSpec[]): Router {
    return new Router(this.schemeName, servers, this.options);
  }

  private require(name: string): ServerSpec {
    const s = this.servers.find((x) => x.name === name);
    if (!s) throw new UserError(`There is no server "${name}". Servers: ${this.servers.map((x) => x.name).join(', ') || '(none)'}.`);
    return s;
  }
}
