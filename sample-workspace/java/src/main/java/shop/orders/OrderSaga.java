package shop.orders;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Places an order across services as a saga: each step has a compensation, and a failure runs the
 * compensations of the completed steps in reverse order. No step holds a lock across services.
 */
public final class OrderSaga {
    public interface Step {
        String name();
        void execute(Order order) throws Exception;
        void compensate(Order order) throws Exception;
    }

    public record Order(String id, String userId, long totalCents, String couponCode, int points) {}

    private final List<Step> steps;

    public OrderSaga(OrderService orders, PaymentService payments, CouponService coupons,
                     PointsService points, InventoryService inventory) {
        this.steps = List.of(
            step("create order", orders::create, orders::cancel),
            step("reserve inventory", inventory::reserve, inventory::release),
            step("redeem coupon", coupons::redeem, coupons::restore),
            step("spend points", points::spend, points::refund),
            step("charge payment", payments::charge, payments::refund),
            step("confirm order", orders::confirm, orders::markFailed));
    }

    public boolean run(Order order) {
        Deque<Step> done = new ArrayDeque<>();
        for (Step s : steps) {
            try {
                s.execute(order);
                done.push(s);
            } catch (Exception failure) {
                while (!done.isEmpty()) {
                    Step undo = done.pop();
                    try {
                        undo.compensate(order);
                    } catch (Exception e) {
                        // A compensation must eventually succeed: park it in the outbox for retry.
                        Outbox.enqueueCompensation(order.id(), undo.name(), e);
                    }
                }
                return false;
            }
        }
        return true;
    }

    interface Action { void apply(Order o) throws Exception; }

    private static Step step(String name, Action run, Action undo) {
        return new Step() {
            public String name() { return name; }
            public void execute(Order o) throws Exception { run.apply(o); }
            public void compensate(Order o) throws Exception { undo.apply(o); }
        };
    }

    interface OrderService { void create(Order o); void cancel(Order o); void confirm(Order o); void markFailed(Order o); }
    interface PaymentService { void charge(Order o) throws Exception; void refund(Order o) throws Exception; }
    interface CouponService { void redeem(Order o) throws Exception; void restore(Order o) throws Exception; }
    interface PointsService { void spend(Order o) throws Exception; void refund(Order o) throws Exception; }
    interface InventoryService { void reserve(Order o) throws Exception; void release(Order o) throws Exception; }

    static final class Outbox {
        static void enqueueCompensation(String orderId, String step, Exception cause) {
            System.err.printf("outbox: retry compensation %s for order %s (%s)%n", step, orderId, cause);
        }
    }
}
