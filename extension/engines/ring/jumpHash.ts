/**
 * Jump Consistent Hash (Lamping & Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm",
 * 2014), bit for bit as the paper's C++:
 *
 *   int64_t b = -1, j = 0;
 *   while (j < num_buckets) {
 *     b = j;
 *     key = key * 2862933555777941757ULL + 1;
 *     j = (b + 1) * (double(1LL << 31) / double((key >> 33) + 1));
 *   }
 *   return b;
 *
 * The 64-bit key is carried as two unsigned 32-bit halves because JavaScript numbers hold 53 bits;
 * the multiply is done on 16-bit limbs so every partial product is exact.
 */
const C_HI = 0x27bb2ee6;
const C_LO = 0x87b0b0fd;
const C_LO_0 = C_LO & 0xffff;
const C_LO_1 = C_LO >>> 16;
const TWO_31 = 2147483648;

/** The bucket in [0, buckets) of the 64-bit key `hi·2³² + lo`. */
export function jumpHash(hi: number, lo: number, buckets: number): number {
  let b = -1;
  let j = 0;
  hi >>>= 0;
  lo >>>= 0;
  while (j < buckets) {
    b = j;
    // (hi·2³² + lo) · (C_HI·2³² + C_LO) + 1, modulo 2⁶⁴.
    const l0 = lo & 0xffff;
    const l1 = lo >>> 16;
    const mid = l0 * C_LO_1 + l1 * C_LO_0; // < 2³³
    const midLow = (mid >>> 0) & 0xffff;
    const low = l0 * C_LO_0 + midLow * 65536 + 1; // < 2³³
    const lowWord = low >>> 0;
    const high = l1 * C_LO_1 + (mid - midLow) / 65536 + (low - lowWord) / 4294967296 + Math.imul(hi, C_LO) + Math.imul(lo, C_HI);
    lo = lowWord;
    hi = high >>> 0;
    j = Math.floor((b + 1) * (TWO_31 / ((hi >>> 1) + 1)));
  }
  return b;
}
