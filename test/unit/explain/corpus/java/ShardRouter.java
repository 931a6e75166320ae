// expect: modulo-sharding n=16 hash=java risks=modulo-resharding,abs-min-value
package shop.db;

public final class ShardRouter {
    private static final int SHARD_COUNT = 16;
    private final List<DataSource> shards;

    public DataSource shardFor(String customerId) {
        int shard = Math.abs(customerId.hashCode()) % SHARD_COUNT;
        return shards.get(shard);
    }
}
