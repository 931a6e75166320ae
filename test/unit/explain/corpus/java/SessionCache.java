// expect: hash-table implementation="java.util.HashMap" capacity=1000 loadFactor=0.75 collision=chaining risks=capacity-rounded
public class SessionCache {
    private final Map<String, Session> sessions = new HashMap<>(1000, 0.75f);

    public Session get(String id) {
        return sessions.get(id);
    }
}
