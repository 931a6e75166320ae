# expect: idempotency store=redis command="SET NX EX" keyShape="idem:{event['id']}" ttlSeconds=3600 atomic=true risks=ttl-bounds-dedup-window,claim-before-effect
def handle(r, event):
    if not r.set(f"idem:{event['id']}", 1, nx=True, ex=3600):
        return
    send_welcome_email(event["user"])
