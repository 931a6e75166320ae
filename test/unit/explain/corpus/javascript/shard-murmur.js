// expect: modulo-sharding n=8 hash=murmur3_32 risks=modulo-resharding
const murmurhash = require('murmurhash');

const NUM_SHARDS = 8;

function shardOf(tenantId) {
  return murmurhash.v3(String(tenantId)) % NUM_SHARDS;
}

module.exports = { tableFor: (tenantId) => `events_${shardOf(tenantId)}` };
