// expect: hash-function name=hashCode known=java multiplier=31 initial=0 callable=true risks=weak-polynomial
function hashCode(str) {
  let hash = 0;
  for (let i = 0; i < str.length; i++) {
    const chr = str.charCodeAt(i);
    hash = (hash << 5) - hash + chr;
    hash |= 0;
  }
  return hash;
}
