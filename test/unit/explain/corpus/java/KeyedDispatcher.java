// expect: ordered-consumption routing=per-key workers=null key="record.key()" risks=resize-moves-keys,hot-key
public class KeyedDispatcher {
    private final ExecutorService[] lanes;

    public KeyedDispatcher(int n) {
        lanes = new ExecutorService[n];
        for (int i = 0; i < n; i++) lanes[i] = Executors.newSingleThreadExecutor();
    }

    public void dispatch(ConsumerRecord<String, String> record) {
        int lane = Math.floorMod(record.key().hashCode(), lanes.length);
        lanes[lane].submit(() -> apply(record));
    }
}
