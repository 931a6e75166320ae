# expect: distributed-transaction protocol=saga participants=["reserve_inventory","charge_payment","schedule_delivery"] risks=compensation-must-be-idempotent
SAGA_STEPS = [
    (reserve_inventory, release_inventory),
    (charge_payment, refund_payment),
    (schedule_delivery, cancel_delivery),
]


def run_saga(order):
    done = []
    for action, compensation in SAGA_STEPS:
        try:
            action(order)
            done.append(compensation)
        except Exception:
            for undo in reversed(done):
                undo(order)
            raise
