// expect: ordered-consumption
await consumer.run({
  partitionsConsumedConcurrently: 4,
  eachMessage: async ({ topic, partition, message }) => {
    await handle(message);
  },
});
