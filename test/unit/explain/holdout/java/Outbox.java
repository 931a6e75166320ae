// expect: distributed-transaction
@Transactional
public void placeOrder(Order order) {
    jdbc.update("INSERT INTO orders (id, total) VALUES (?, ?)", order.id(), order.total());
    jdbc.update("INSERT INTO outbox_events (aggregate_id, type, payload) VALUES (?, 'OrderPlaced', ?)", order.id(), json(order));
}
