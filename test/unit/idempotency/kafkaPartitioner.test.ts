import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import fc from 'fast-check';
import { utf8 } from '../../../extension/engines/hashing';
import { kafkaMurmur2, kafkaPartition, toPositive } from '../../../extension/engines/idempotency/kafkaPartitioner';

// kafkajs's DefaultPartitioner is the Java-compatible one (it was JavaCompatiblePartitioner before 2.0).
const require = createRequire(import.meta.url);
const { Partitioners } = require('kafkajs') as {
  Partitioners: { DefaultPartitioner: () => (args: { topic: string; partitionMetadata: { partitionId: number; leader: number }[]; message: { key: string } }) => number };
};
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: string | Buffer) => number;

test('murmur2 matches the known answers in Kafka\'s own UtilsTest and Akka\'s Kafka-compatible sharding', () => {
  const known: [string, number][] = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
    ['1', -1993445489],
    ['12', 126087238],
    ['123', -267702483],
    ['1234', -1614185708],
    ['12345', -1188365604],
  ];
  for (const [key, expected] of known) assert.equal(kafkaMurmur2(utf8(key)), expected, key);
});

test('toPositive masks the sign bit (Integer.MIN_VALUE maps to 0, not to itself as abs would)', () => {
  assert.equal(toPositive(-2147483648), 0);
  assert.equal(toPositive(-1), 0x7fffffff);
  assert.equal(toPositive(123), 123);
});

test('murmur2 agrees with kafkajs on arbitrary keys, including non-ASCII', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (key) => {
      assert.equal(kafkaMurmur2(utf8(key)), kafkajsMurmur2(Buffer.from(key, 'utf8')));
    }),
    { numRuns: 2000 },
  );
});

test('kafkaPartition picks the partition kafkajs\'s default partitioner picks', () => {
  const partitioner = Partitioners.DefaultPartitioner();
  fc.assert(
    fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 256 }), (key, n) => {
      const partitionMetadata = Array.from({ length: n }, (_, partitionId) => ({ partitionId, leader: 0 }));
      assert.equal(kafkaPartition(key, n), partitioner({ topic: 't', partitionMetadata, message: { key } }));
    }),
    { numRuns: 1000 },
  );
});
