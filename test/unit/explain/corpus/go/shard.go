// expect: modulo-sharding n=3 hash=crc32 risks=modulo-resharding
package shard

import "hash/crc32"

var shards = []string{"db-a:5432", "db-b:5432", "db-c:5432"}

func ShardFor(userID string) string {
	return shards[crc32.ChecksumIEEE([]byte(userID))%uint32(len(shards))]
}
