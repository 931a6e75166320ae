/** Bernstein's djb2: h = h·33 + byte, from 5381, modulo 2^32. */
export function djb2(bytes: Uint8Array, length = bytes.length): number {
  let h = 5381;
  for (let i = 0; i < length; i++) h = (Math.imul(h, 33) + bytes[i]!) | 0;
  return h >>> 0;
}
