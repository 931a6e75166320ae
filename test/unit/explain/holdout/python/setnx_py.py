# expect: idempotency
def once(r, msg_id):
    if r.setnx(f"seen:{msg_id}", 1):
        r.expire(f"seen:{msg_id}", 600)
        return True
    return False
