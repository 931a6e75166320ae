// expect: hash-table implementation=custom capacity=8 loadFactor=0.75 collision=chaining risks=
class HashTable {
  constructor() {
    this.capacity = 8;
    this.buckets = Array.from({ length: this.capacity }, () => []);
    this.size = 0;
  }

  set(key, value) {
    const bucket = this.buckets[djb2(key) % this.capacity];
    const hit = bucket.find((e) => e[0] === key);
    if (hit) { hit[1] = value; return; }
    this.buckets[djb2(key) % this.capacity].push([key, value]);
    if (++this.size / this.capacity > 0.75) this.resize(this.capacity * 2);
  }

  resize(capacity) {
    const entries = this.buckets.flat();
    this.capacity = capacity;
    this.buckets = Array.from({ length: capacity }, () => []);
    this.size = 0;
    for (const [k, v] of entries) this.set(k, v);
  }
}
