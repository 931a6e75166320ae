import type { HashRingParams } from '../finding';
import { find, type Measured } from '../measure/measurement';
import { pointsPerServer } from '../measure/hashRing';
import type { Description } from './description';

const SCHEMES: Record<HashRingParams['scheme'], string> = { ring: 'a consistent-hash ring', ketama: 'a ketama ring (MD5 points, libketama-compatible)', jump: 'jump consistent hashing', rendezvous: 'rendezvous (highest random weight) hashing' };

export function describeHashRing(p: HashRingParams, m: Measured): Description {
  const points = pointsPerServer(p);
  const servers = p.serverCount !== null ? `${p.serverCount} servers` : 'its servers';
  let summary = `Keys are placed with ${SCHEMES[p.scheme]}${p.library !== 'hand-written' ? ` (${p.library})` : ''} over ${servers}${points !== null && (p.scheme === 'ring' || p.scheme === 'ketama') ? `, ${points} points per server` : ''}.`;
  const balance = find(m, 'balance');
  const moved = find(m, 'moved-on-add');
  const ideal = find(m, 'moved-ideal');
  const better = find(m, 'balance-160');
  const modulo = find(m, 'moved-on-add-modulo');
  if (balance && moved && ideal) {
    summary += ` The busiest server carries ${balance.display} the mean load${better ? ` (${better.display} with 160 points per server)` : ''}. Adding a server moves ${moved.display} of keys (ideal ${ideal.display})`;
    summary += modulo ? `, where hash % n would move ${modulo.display}.` : '.';
  }
  return { title: p.scheme === 'jump' ? 'Jump consistent hash' : p.scheme === 'rendezvous' ? 'Rendezvous hashing' : 'Consistent-hash ring', summary };
}
