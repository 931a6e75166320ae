package shop.orders;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Caches carts per session and spreads sessions over cache nodes. */
public final class SessionCache {
    private static final int EXPECTED_SESSIONS = 10_000;

    // Sized so 10,000 sessions fit without a resize: capacity > expected / loadFactor.
    private final Map<String, Cart> carts = new HashMap<>(16_384, 0.75f);
    private final List<String> nodes;

    public SessionCache(List<String> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** Modulo placement: adding one node remaps most sessions, and every user logs in again. */
    public String nodeFor(String sessionId) {
        int h = sessionId.hashCode();
        return nodes.get(Math.floorMod(h, nodes.size()));
    }

    public Cart cartFor(String sessionId) {
        return carts.computeIfAbsent(sessionId, id -> new Cart());
    }

    /** A record whose hashCode combines its fields the way IDEs generate it. */
    public record SkuKey(String warehouse, String sku, int size) {
        @Override
        public int hashCode() {
            int h = warehouse.hashCode();
            h = 31 * h + sku.hashCode();
            h = 31 * h + size;
            return h;
        }
    }

    public static final class Cart {
        final Map<SkuKey, Integer> lines = new HashMap<>();
    }
}
