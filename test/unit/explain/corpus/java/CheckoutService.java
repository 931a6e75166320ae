// expect: distributed-transaction protocol=local risks=dual-write
@Service
public class CheckoutService {
    @Transactional
    public void checkout(Cart cart) {
        Order order = orders.save(Order.from(cart));
        inventory.reserve(cart.items());
        kafkaTemplate.send("orders", order.getId(), order);
    }
}
