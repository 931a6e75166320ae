/** The registry of placement schemes: how to build each, and what it promises. */
import type { SchemeName } from '../../protocol/ring';
import { BoundedLoadsScheme } from './boundedLoads';
import { buildRing } from './consistentRing';
import { JumpScheme } from './jump';
import { buildKetama } from './ketama';
import { MaglevScheme } from './maglev';
import { ModuloScheme } from './modulo';
import { RendezvousScheme } from './rendezvous';
import type { Scheme, SchemeOptions } from './scheme';
import type { ServerSpec } from './servers';

export interface SchemeInfo {
  name: SchemeName;
  label: string;
  description: string;
  /** Adding a server moves keys only onto it; removing one moves only its keys. */
  monotone: boolean;
  /** Whether the `vnodes` setting changes it. */
  usesVnodes: boolean;
  /** Whether the hash setting changes it (ketama is always MD5). */
  usesHash: boolean;
  build(servers: readonly ServerSpec[], opts: SchemeOptions): Scheme;
}

export const SCHEMES: Record<SchemeName, SchemeInfo> = {
  modulo: {
    name: 'modulo', label: 'hash mod N', monotone: false, usesVnodes: false, usesHash: true,
    description: 'bucket = hash(key) mod N. Changing N moves almost every key.',
    build: (s, o) => new ModuloScheme(s, o),
  },
  ring: {
    name: 'ring', label: 'Consistent hash ring', monotone: true, usesVnodes: true, usesHash: true,
    description: 'Virtual nodes on a 32-bit circle; a key goes to the first one clockwise. Moves about 1/N of the keys per change.',
    build: buildRing,
  },
  ketama: {
    name: 'ketama', label: 'ketama (libketama, memcached)', monotone: false, usesVnodes: true, usesHash: false,
    description: '160 MD5 points per server as libketama places them. Monotone except when the float formula changes every server\'s point count.',
    build: buildKetama,
  },
  jump: {
    name: 'jump', label: 'Jump consistent hash', monotone: true, usesVnodes: false, usesHash: true,
    description: 'Lamping & Veach: no memory, perfectly even, but servers can only be added or removed at the end of the list.',
    build: (s, o) => new JumpScheme(s, o),
  },
  rendezvous: {
    name: 'rendezvous', label: 'Rendezvous (HRW)', monotone: true, usesVnodes: false, usesHash: true,
    description: 'Every server scores every key; the highest wins. Minimal movement, O(N) lookups.',
    build: (s, o) => new RendezvousScheme(s, o),
  },
  maglev: {
    name: 'maglev', label: 'Maglev table', monotone: false, usesVnodes: false, usesHash: true,
    description: 'A prime-sized lookup table filled by per-server permutations: O(1) lookups, near-perfect balance, a few extra moves.',
    build: (s, o) => new MaglevScheme(s, o),
  },
  bounded: {
    name: 'bounded', label: 'Bounded loads', monotone: false, usesVnodes: true, usesHash: true,
    description: 'The ring, but no server takes more than ⌈(1+ε)·average⌉ keys; overflow is forwarded clockwise.',
    build: (s, o) => new BoundedLoadsScheme(s, o),
  },
};
