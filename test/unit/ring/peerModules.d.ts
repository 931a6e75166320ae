// Types for the two npm rings the tests and bench/ring.bench.ts measure against; neither ships its own.

declare module 'hashring' {
  /** libketama-style ring: 40 MD5 digests × 4 points per server, weighted by share. */
  export default class HashRing {
    constructor(servers: string[] | Record<string, number | { weight?: number; vnodes?: number }>, algorithm?: string, options?: Record<string, unknown>);
    get(key: string): string | undefined;
    /** `size` distinct servers clockwise from the key. */
    range(key: string, size?: number, unique?: boolean): string[];
    /** Adds servers and rebuilds the continuum. */
    add(servers: string | string[]): this;
    /** Removes a server and rebuilds the continuum. */
    remove(server: string): this;
    /** The continuum: points sorted by value. */
    ring: { value: number; server: string }[];
  }
}

declare module 'consistent-hash' {
  /** A ring whose control points are drawn with Math.random. */
  export default class ConsistentHash {
    constructor(options?: { range?: number; weight?: number; distribution?: 'random' | 'uniform' });
    add(node: string, weight?: number, points?: number[]): this;
    remove(node: string): this;
    get(name: string): string | null;
    keyCount: number;
  }
}
