/**
 * The one interface every placement scheme implements. A scheme is built, immutable, from a server
 * list and options; membership changes build a new one (see router.ts), which is what lets a
 * movement report compare the owners before and after.
 *
 * Schemes work on 32-bit key hashes, not strings: the key set hashes each key once per hash
 * function and every scheme and every rebuild reuses those numbers.
 */
import type { HashRef } from '../hashing';
import { hasher } from '../hashing';
import type { RunContext } from '../core/model';
import type { LayoutKind, SchemeName } from '../../protocol/ring';
import { md5KeyHash } from './md5';
import type { ServerSpec } from './servers';

/** What turns a key into the number a scheme places: ketama always uses MD5, the others the chosen hash. */
export type KeyHashName = HashRef | 'md5';

export interface SchemeOptions {
  /** Virtual nodes per server of weight 1 (ring, bounded); points per server, a multiple of 4 (ketama). */
  vnodes: number;
  /** Hash of keys and of server names (every scheme but ketama): a named one, or the user's. */
  hash: HashRef;
  /** Bounded loads: capacity ⌈(1 + ε)·average⌉. */
  epsilon: number;
}

export const DEFAULT_OPTIONS: SchemeOptions = { vnodes: 160, hash: 'murmur3_32', epsilon: 0.25 };

/** What a drawing needs from a scheme. */
export interface SchemeLayout {
  kind: LayoutKind;
  /** Sorted positions and their owners (circle), or the table's owner per slot (maglev). */
  positions?: Uint32Array;
  owners?: Int32Array;
  /** Points or slots per server. */
  pointsPerServer: Int32Array;
}

export interface Scheme {
  readonly name: SchemeName;
  readonly keyHash: KeyHashName;
  readonly servers: readonly ServerSpec[];
  /** Index of the live server that serves a key with this hash, or -1 when no server is live. */
  owner(hash: number): number;
  /**
   * Up to `count` distinct servers in the scheme's preference order for this hash: the first live
   * one is the owner, the next live ones its replicas. Failed servers appear where the scheme keeps
   * their place (so a view can show who takes over); maglev and bounded loads rebuild without them.
   */
  preference(hash: number, count: number): number[];
  /**
   * Owners of a whole key set, in insertion order. Returns false if cancelled part way (`out` is
   * then incomplete). Bounded loads needs the whole set; the others look each key up.
   */
  assign(hashes: Uint32Array, out: Int32Array, ctx: RunContext): boolean;
  /** Bytes held by the lookup structures. */
  readonly memoryBytes: number;
  layout(): SchemeLayout;
}

/** How often long loops look at the cancel flag and report progress. */
const CHECK_EVERY = 1 << 16;

/**
 * Runs `fill(from, to)` over [0, n) in chunks, checking for cancellation and reporting progress
 * between chunks. Each scheme passes its own tight loop as `fill`, so the per-key call stays
 * monomorphic. Returns false if cancelled.
 */
export function inChunks(n: number, ctx: RunContext, fill: (from: number, to: number) => void): boolean {
  for (let start = 0; start < n; start += CHECK_EVERY) {
    if (ctx.cancelled) return false;
    const end = Math.min(n, start + CHECK_EVERY);
    fill(start, end);
    if (n > CHECK_EVERY) ctx.progress(end / n);
  }
  return true;
}

/** A RunContext whose progress 0…1 maps onto [from, to] of the outer one: for steps made of phases. */
export function phase(ctx: RunContext, from: number, to: number, message?: string): RunContext {
  return {
    get cancelled() { return ctx.cancelled; },
    progress: (f, m) => ctx.progress(from + (to - from) * f, m ?? message),
  };
}

export function keyHasher(name: KeyHashName): (key: string) => number {
  return name === 'md5' ? md5KeyHash : hasher(name);
}
