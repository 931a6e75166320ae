// expect: hash-table implementation="java.util.LinkedHashMap" capacity=64 loadFactor=2.5 risks=high-load-factor
public class LruCache<K, V> extends LinkedHashMap<K, V> {
    private final int max;

    public LruCache(int max) {
        super(64, 2.5f, true);
        this.max = max;
    }

    static <K, V> Map<K, V> create(int max) {
        return new LinkedHashMap<K, V>(64, 2.5f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }
}
