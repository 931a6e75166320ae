// expect: none
public void pollLoop(KafkaConsumer<String, String> consumer) {
    while (running) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<String, String> r : records) apply(r);
        consumer.commitSync();
    }
}
