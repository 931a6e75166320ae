/**
 * Java's String.hashCode: s[0]·31^(n-1) + … + s[n-1] over UTF-16 code units, as a 32-bit int.
 * Returned unsigned like every hash here; `toJavaInt` gives the signed value Java prints.
 */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h >>> 0;
}

export const toJavaInt = (u32: number): number => u32 | 0;
