/**
 * The server list every scheme is built from. A failed server keeps its place in the list (and, for
 * the schemes that have one, its place on the circle) but serves nothing; removing it takes it out.
 */
import { UserError } from '../core/model';
import { RING_LIMITS, serverNameSchema } from '../../protocol/ring';

export interface ServerSpec {
  readonly name: string;
  readonly weight: number;
  readonly alive: boolean;
}

export type ServerInput = string | { name: string; weight?: number; alive?: boolean };

/** Checks names and weights and fills in defaults; throws UserError saying which entry is wrong. */
export function normalizeServers(input: readonly ServerInput[]): ServerSpec[] {
  if (input.length > RING_LIMITS.maxServers)
    throw new UserError(`Too many servers: ${input.length}. The inspector handles up to ${RING_LIMITS.maxServers}; use fewer servers.`);
  const seen = new Set<string>();
  return input.map((s) => {
    const spec = typeof s === 'string' ? { name: s, weight: 1, alive: true } : { name: s.name, weight: s.weight ?? 1, alive: s.alive ?? true };
    checkServerName(spec.name);
    checkWeight(spec.name, spec.weight);
    if (seen.has(spec.name)) throw new UserError(`Server "${spec.name}" is listed twice. Give every server a distinct name.`);
    seen.add(spec.name);
    return spec;
  });
}

export function checkServerName(name: string): void {
  const r = serverNameSchema.parse(name, 'name');
  if (!r.ok) throw new UserError(`Bad server name ${JSON.stringify(name)}: a name has 1 to 100 characters, no commas and no leading or trailing spaces.`);
}

export function checkWeight(name: string, weight: number): void {
  if (!(Number.isFinite(weight) && weight >= 0.01 && weight <= RING_LIMITS.maxWeight))
    throw new UserError(`Bad weight ${weight} for server "${name}": a weight is a number from 0.01 to ${RING_LIMITS.maxWeight}.`);
}

export function liveCount(servers: readonly ServerSpec[]): number {
  let n = 0;
  for (const s of servers) if (s.alive) n++;
  return n;
}

/**
 * Each server's rank in name order. Schemes that place servers by name break every tie by this
 * rank, so the order in which servers are listed never changes where a key goes.
 */
export function nameRanks(servers: readonly ServerSpec[]): Int32Array {
  const order = servers.map((_, i) => i).sort((a, b) => compareNames(servers[a]!.name, servers[b]!.name));
  const rank = new Int32Array(servers.length);
  order.forEach((serverIndex, r) => { rank[serverIndex] = r; });
  return rank;
}

/** Code-unit order, the same in every locale and process. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Each live server's share of the total live weight (0 for failed ones). */
export function weightShares(servers: readonly ServerSpec[]): Float64Array {
  let total = 0;
  for (const s of servers) if (s.alive) total += s.weight;
  const shares = new Float64Array(servers.length);
  if (total > 0) servers.forEach((s, i) => { shares[i] = s.alive ? s.weight / total : 0; });
  return shares;
}
