// expect: idempotency store=redis command="setIfAbsent with timeout" keyShape="refund:{request.getId()}" ttlSeconds=7200 atomic=true risks=ttl-bounds-dedup-window,weak-check-for-money
@Service
public class RefundService {
    private final StringRedisTemplate redis;

    public void refund(RefundRequest request) {
        Boolean first = redis.opsForValue().setIfAbsent("refund:" + request.getId(), "pending", Duration.ofHours(2));
        if (!Boolean.TRUE.equals(first)) return;
        try {
            gateway.refund(request);
        } catch (RuntimeException e) {
            redis.delete("refund:" + request.getId());
            throw e;
        }
    }
}
