/**
 * UTF-8 bytes of a key, written into a reused scratch buffer. Hashing millions of short keys
 * through TextEncoder.encode would allocate a new array per key; ASCII keys take a plain loop.
 */
let scratch = new Uint8Array(256);
const encoder = new TextEncoder();

/** Encodes `s` into the shared scratch buffer and returns its length; valid until the next call. */
export function utf8Into(s: string): { bytes: Uint8Array; length: number } {
  const n = s.length;
  if (n * 3 > scratch.length) scratch = new Uint8Array(Math.max(n * 3, scratch.length * 2));
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    scratch[i] = c;
  }
  if (i === n) return { bytes: scratch, length: n };
  const { written } = encoder.encodeInto(s.slice(i), scratch.subarray(i));
  return { bytes: scratch, length: i + written };
}

export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}
