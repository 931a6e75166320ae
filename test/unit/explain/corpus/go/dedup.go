// expect: idempotency store=redis command="SETNX with TTL" keyShape="idem:{evt.ID}" ttlSeconds=86400 atomic=true risks=ttl-bounds-dedup-window,weak-check-for-money
package payments

func (h *Handler) handleCharge(ctx context.Context, evt ChargeEvent) error {
	ok, err := h.rdb.SetNX(ctx, "idem:"+evt.ID, 1, 24*time.Hour).Result()
	if err != nil || !ok {
		return err
	}
	if err := h.gateway.Charge(ctx, evt.Amount); err != nil {
		h.rdb.Del(ctx, "idem:"+evt.ID)
		return err
	}
	return nil
}
