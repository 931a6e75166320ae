// expect: ordered-consumption routing=shared workers=8 framework="java.util.concurrent" risks=order-lost-shared-queue,commit-before-processing
public class OrderConsumer implements Runnable {
    private final ExecutorService workers = Executors.newFixedThreadPool(8);

    public void run() {
        Properties props = new Properties();
        props.put("enable.auto.commit", "true");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of("orders"));
        while (true) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                workers.submit(() -> handle(record));
            }
        }
    }
}
