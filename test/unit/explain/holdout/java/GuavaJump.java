// expect: hash-ring
public int bucketFor(String userId, int buckets) {
    return Hashing.consistentHash(Hashing.murmur3_128().hashString(userId, UTF_8), buckets);
}
