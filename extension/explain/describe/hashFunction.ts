import type { HashFunctionParams } from '../finding';
import type { HashFunctionMeasured } from '../measure/hashFunction';
import type { Description } from './description';

const NAMES: Record<string, string> = {
  fnv1a32: 'FNV-1a (32-bit)', fnv1_32: 'FNV-1 (32-bit)', murmur3_32: 'MurmurHash3 x86 32', 'murmur3-fmix32': "Murmur3's 32-bit finalizer",
  xxhash32: 'xxHash32', crc32: 'CRC-32', djb2: 'djb2', djb2a: 'djb2 (XOR variant)', java: "Java's String.hashCode", sdbm: 'sdbm',
  'jenkins-one-at-a-time': "Jenkins' one-at-a-time", 'java-objects-hash': 'Objects.hash (×31 per field)', 'polynomial-31': 'a ×31 polynomial',
  'python-hash': "Python's built-in hash()",
};

export function describeHashFunction(p: HashFunctionParams, m: HashFunctionMeasured): Description {
  const what = p.known ? NAMES[p.known] ?? p.known : null;
  const name = p.name ? `${p.name}` : 'This function';
  let summary: string;
  switch (p.form) {
    case 'hashCode-override': summary = `${name}() defines how instances hash in HashMap and HashSet${what ? `, with ${what}` : ''}.`; break;
    case '__hash__-override': summary = `__hash__ defines how instances hash as dict keys and set members${what ? `, with ${what}` : ''}.`; break;
    case 'library-wrapper': summary = `${name} wraps ${what ?? 'a hash library'}.`; break;
    case 'mixer': summary = `${name} is a bit mixer${what ? `: ${what}` : ''}.`; break;
    default: summary = what ? `${name} is ${what}${p.multiplier !== null ? ` (×${p.multiplier} per character${p.initial !== null ? `, starting at ${p.initial}` : ''})` : ''}.` : `${name} is a hand-written string hash${p.multiplier !== null ? ` multiplying by ${p.multiplier} per character` : ''}.`;
  }
  const [own, ...refs] = m.reports;
  if (own) {
    summary += ` On ${own.keys.toLocaleString('en-US')} keys it gave ${own.collisions} full 32-bit collisions (an ideal hash: ${own.expectedCollisions.toFixed(2)}), a bucket-spread p-value of ${fmtP(own.chiSquarePValue)}, and its worst output bit flips ${(0.5 + own.avalanche.worstBias).toFixed(2)} or ${(0.5 - own.avalanche.worstBias).toFixed(2)} of the time when one input bit changes (ideal 0.50).`;
    if (refs.length > 0) summary += ` On the same keys: ${refs.map((r) => `${r.label} ${r.collisions} collisions, p ${fmtP(r.chiSquarePValue)}, worst bit off by ${r.avalanche.worstBias.toFixed(2)}`).join('; ')}.`;
  }
  return { title: what ? `Hash function: ${what}` : `Hash function${p.name ? ` ${p.name}` : ''}`, summary };
}

const fmtP = (p: number): string => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));
