// expect: hash-ring library=consistent-hash scheme=ring servers=["cache-1","cache-2","cache-3"] vnodes=100 risks=random-ring-points
const ConsistentHash = require('consistent-hash');

const ring = new ConsistentHash({ weight: 100 });
ring.add('cache-1');
ring.add('cache-2');
ring.add('cache-3');

exports.nodeFor = (key) => ring.get(key);
