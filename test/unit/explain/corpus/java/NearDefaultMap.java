// expect: none
public class Registry {
    private final Map<String, Handler> handlers = new HashMap<>();
    private final Map<String, Long> counts = new ConcurrentHashMap<>();
    private final Map<String, Handler> copy = new HashMap<>(handlers);

    public void register(String name, Handler h) {
        handlers.put(name, h);
        counts.merge(name, 1L, Long::sum);
    }
}
