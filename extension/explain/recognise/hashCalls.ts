/**
 * Which hash an expression computes, from the functions it calls: `crc32.ChecksumIEEE(…)` is CRC32,
 * `key.hashCode()` is Java's polynomial, Python's `hash()` is the per-process randomised one. Used
 * wherever a recogniser needs "hash(key)" and which hash it is.
 */
import type { Call, Facts } from '../syntax/facts';
import { dotted, type Expr, lastName, walk } from '../syntax/tree';
import { hashShape } from './hashShape';

/** Callee names (lower case, without separators) and the hash they compute. */
const KNOWN: [RegExp, string][] = [
  [/^(fnv1a(32)?|fnv32a|new32a|fnv1a32|fnv_1a(_32)?|fnv1a_32)$/, 'fnv1a32'],
  [/^(fnv1(32)?|new32|fnv32|fnv_1(_32)?)$/, 'fnv1_32'],
  [/^(new64a|fnv1a64|fnv64a)$/, 'fnv1a64'],
  [/murmur2/, 'murmur2'],
  [/^(murmur3?(32|_32|x86_32|hash3?)?(_?32)?(gc)?|mmh3hash|hash32x86|murmurhash3x8632|murmurhash|murmur3_32|murmur332)$/, 'murmur3_32'],
  [/^(murmurhash3x64128|hash128x64|murmur3_128|hash128)$/, 'murmur3_128'],
  [/^(xxh32|xxhash32|xxhash)$/, 'xxhash32'],
  [/^(xxh64|xxhash64|xxh3|xxh364|sum64string)$/, 'xxhash64'],
  [/^(crc32|checksumieee|crc32ieee|crc32c)$/, 'crc32'],
  [/^crc16/, 'crc16'],
  [/^djb2a?$/, 'djb2'],
  [/^md5$/, 'md5'],
  [/^sha1$/, 'sha1'],
  [/^sha256$/, 'sha256'],
  [/^(hashcode|gethashcode)$/, 'java'],
  [/^(cityhash32|cityhash64|farmhash|farmhash32|fingerprint32|fingerprint64|siphash|siphash24|hashstring)$/, 'other'],
];

/** Password and key-derivation hashes: slow on purpose, never a table or shard hash. */
const PASSWORD_HASHES = /^(bcrypt|hashpw|argon2|scrypt|pbkdf2|hashpassword|hash_password|generate_password_hash)/;

export interface HashUse {
  /** A hashing-engine name or another known hash ("md5", "python-hash", "murmur2", …), null when unknown. */
  hash: string | null;
  /** The call (or name) that computes it. */
  at: Expr;
}

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

export function knownHashName(callee: string): string | null {
  const n = squash(callee);
  for (const [re, name] of KNOWN) if (re.test(n)) return name === 'other' ? null : name;
  return null;
}

function isHashyName(name: string): boolean {
  const n = squash(name);
  return !PASSWORD_HASHES.test(n) && /hash|crc|fnv|murmur|mmh|xxh|md5|sha1|sha256|digest|checksum|sum32|sum64|fingerprint|djb2/.test(n);
}

/**
 * The hash computed somewhere in `e`, following local variables to their values (`h := fnv.New32a();
 * h.Write(…); h.Sum32()` or `const hashed = murmur(key)`). Null when `e` computes no hash.
 */
export function hashIn(e: Expr, facts: Facts, depth = 0): HashUse | null {
  let found: HashUse | null = null;
  walk(e, (x) => {
    if (found && found.hash !== null) return;
    if (x.k === 'call') {
      const use = hashOfCall(x, facts, depth);
      if (use && (!found || use.hash !== null)) found = use;
      return;
    }
    if ((x.k === 'name' || x.k === 'member') && depth < 4) {
      const value = facts.scope.lookup(x);
      if (value && value !== e) {
        const inner = hashIn(value, facts, depth + 1);
        if (inner && (!found || inner.hash !== null)) { found = { hash: inner.hash, at: x }; return; }
      }
      if (!found && isHashyName(lastName(x) ?? '') && !/hashmap|hashtable|hashset|hashring/i.test(lastName(x) ?? '')) found = { hash: null, at: x };
    }
  });
  return found;
}

function hashOfCall(call: Call, facts: Facts, depth: number): HashUse | null {
  const name = lastName(call.callee);
  if (!name) return null;
  const path = dotted(call.callee) ?? name;
  if (PASSWORD_HASHES.test(squash(name)) || PASSWORD_HASHES.test(squash(path))) return null;
  // Python's built-in hash() of a str is salted per process (PYTHONHASHSEED).
  if (facts.lang === 'python' && path === 'hash') return { hash: 'python-hash', at: call };
  // Node's crypto.createHash('md5'), Java MessageDigest.getInstance("SHA-1").
  if ((name === 'createHash' || name === 'getInstance' || name === 'new') && call.args[0]?.value.k === 'str') {
    const algo = squash((call.args[0].value as { value: string }).value);
    if (/^(md5|sha1|sha256|sha512)$/.test(algo)) return { hash: algo, at: call };
  }
  const known = knownHashName(name) ?? (call.callee.k === 'member' ? knownHashName(dotted(call.callee.object) ?? '') : null);
  if (known) return { hash: known, at: call };
  // A finishing call on a hasher object: h.Sum32(), digest.hexdigest(), hasher.digest().
  if (call.callee.k === 'member' && /^(sum32|sum64|sum|digest|hexdigest|intdigest|finish|finalize|asint|aslong|hash)$/i.test(name) && depth < 4) {
    const inner = hashIn(call.callee.object, facts, depth + 1);
    if (inner) return { hash: inner.hash, at: call };
  }
  // A function defined in the selection: what its body computes is the hash used here.
  const local = call.callee.k === 'name' ? facts.unit.functions.find((f) => f.name === name) : undefined;
  if (local) {
    const shape = hashShape(local, facts);
    if (shape.mixing && shape.known) return { hash: shape.known, at: call };
  }
  if (isHashyName(name) && !/^(hashmap|hashtable|hashset|hashring|consistenthash)$/i.test(squash(name))) return { hash: null, at: call };
  return null;
}
