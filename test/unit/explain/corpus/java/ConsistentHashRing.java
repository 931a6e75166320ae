// expect: hash-ring library=hand-written scheme=ring vnodes=160 risks=
public class ConsistentHashRing<T> {
    private static final int VIRTUAL_NODES = 160;
    private final SortedMap<Integer, T> ring = new TreeMap<>();

    public void add(T node) {
        for (int i = 0; i < VIRTUAL_NODES; i++) {
            ring.put(murmur3(node.toString() + "#" + i), node);
        }
    }

    public T get(String key) {
        if (ring.isEmpty()) return null;
        int hash = murmur3(key);
        SortedMap<Integer, T> tail = ring.tailMap(hash);
        int point = tail.isEmpty() ? ring.firstKey() : tail.firstKey();
        return ring.get(point);
    }
}
